"""The report's style sheet, inlined in the page: system fonts only, nothing to fetch.

Internal helper of ``veille.report.html_report``: not a stable API.
"""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5c5c5c; --line: #d9d6cf;
  --accent: #1f4e79; --bad: #b42318; --move: #6a3d9a; --busy: #2e7d4f;
  --from: #8c510a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 0 24px 48px; color: var(--ink);
  background: #fff; font: 15px/1.5 system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans",
  "Noto Naskh Arabic", Arial, sans-serif; }
h1 { font-size: 1.7rem; margin: 24px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 36px 0 8px; padding-bottom: 4px;
  border-bottom: 2px solid var(--accent); }
a { color: var(--accent); }
code { font: 0.85em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
nav { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 8px 0;
  border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  background: #faf9f6; }
.card .big { display: block; font-size: 1.6rem; font-weight: 650; color: var(--accent);
  font-variant-numeric: tabular-nums; }
details { margin: 10px 0; }
summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
th { text-align: start; background: #f3f1ec; font-weight: 600; }
tbody tr:nth-child(even) { background: #fbfaf8; }
td { overflow-wrap: break-word; unicode-bidi: isolate; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; white-space: nowrap; }
.bidi-warn { color: #7a4100; cursor: help; margin-left: 4px; }
.status.bad { color: var(--bad); }
.score { display: inline-block; width: 60px; height: 8px; margin-right: 6px; background: #e6e3dc;
  vertical-align: middle; }
.score i { display: block; height: 100%; background: var(--accent); }
a.ev { font-weight: 600; text-decoration: none; }
figure { margin: 12px 0; }
svg.map { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
.sea { fill: #dfeaf2; }
.graticule { fill: none; stroke: #fff; stroke-width: 0.6; }
.country { stroke: #8c8a85; stroke-width: 0.5; fill-rule: evenodd; }
.country:hover { stroke: var(--ink); stroke-width: 1.2; }
.place { fill: #1d5fa8; fill-opacity: 0.78; stroke: #fff; stroke-width: 1; }
.place.area { fill-opacity: 0.12; stroke: #1d5fa8; stroke-dasharray: 4 3; }
.place.from { fill: none; stroke: var(--from); stroke-width: 2.5; stroke-opacity: 0.85; }
.place.from.area { stroke-dasharray: 4 3; }
.label { font-size: 12px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px;
  stroke-linejoin: round; }
.legend { font-size: 0.85rem; color: var(--muted); margin: 6px 0; }
.legend p { margin: 2px 0; }
.swatch { white-space: nowrap; margin-right: 12px; }
.swatch i { display: inline-block; width: 14px; height: 10px; margin-right: 4px;
  vertical-align: middle; border: 1px solid #aaa; }
.key-blackout { background: rgba(200, 30, 30, 0.22); }
.key-sparse { background: rgba(120, 120, 120, 0.15); border-style: dashed !important; }
.key-baseline { border: 0 !important; border-top: 2px dashed var(--bad) !important; }
.key-move { border: 0 !important; border-left: 2px dashed var(--move) !important; }
.key-hotspot { background: var(--busy); }
.key-hotspot-from { background: var(--from); }
figure.series { margin: 14px 0 6px; break-inside: avoid; }
figure.series figcaption { font-size: 0.9rem; }
.finding { display: block; }
svg.timeline { display: block; width: 100%; height: auto; }
.bars { fill: #4a6f94; }
.axis { stroke: #888; }
.grid { stroke: #e4e1da; }
.tick, .ymax { font-size: 10px; fill: #666; }
.tick { text-anchor: middle; }
.ymax { text-anchor: end; }
.band.blackout { fill: rgba(200, 30, 30, 0.14); stroke: rgba(200, 30, 30, 0.5); }
.band.sparse { fill: rgba(120, 120, 120, 0.12); stroke: #999; stroke-dasharray: 3 3; }
.band-label, .move-label { font-size: 10px; font-weight: 600; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.band-label { fill: var(--bad); }
.baseline { stroke: var(--bad); stroke-width: 1.2; stroke-dasharray: 5 3; }
.move { stroke: var(--move); stroke-width: 2; stroke-dasharray: 4 2; }
.move-label { fill: var(--move); text-anchor: end; }
.hotspot { fill: var(--busy); }
.hotspot.from { fill: var(--from); }
article.post { border-left: 3px solid var(--line); padding: 4px 12px; margin: 12px 0; }
article.post:target { background: #fff7cc; border-left-color: var(--accent); }
article.post header { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.ev-number { font-weight: 700; color: var(--accent); }
.post-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; unicode-bidi: isolate; }
.warning { color: #7a4100; background: #fff3d6; padding: 2px 6px; }
article.post dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 10px;
  margin: 4px 0; font-size: 0.88rem; }
article.post dt { color: var(--muted); }
article.post dd { margin: 0; unicode-bidi: isolate; }
footer { margin-top: 40px; font-size: 0.8rem; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  tr, figure, article.post, .card { break-inside: avoid; }
  svg.map { max-height: 60vh; }
}
/* Print folded tables too (browsers without ::details-content skip only this rule). */
@media print { details::details-content { content-visibility: visible; display: contents; } }
"""
