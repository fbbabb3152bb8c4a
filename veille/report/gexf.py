"""GEXF 1.3 export, the format Gephi opens natively.

One ``<graph defaultedgetype="directed">`` with node attributes (scores, community, platform,
first/last seen: whatever the caller's node dicts hold, see ``veille.report.attributes``) and
edge attributes (kinds, count per kind, first/last time, evidence posts), each edge weighted
by its number of interactions. Written incrementally with lxml's ``xmlfile``, so a graph of
millions of edges never sits in memory as a tree; lxml escapes every value (hostile names
included) and the text is cleaned of characters XML 1.0 forbids beforehand.

Given ``spells``, the graph is dynamic (``mode="dynamic"``, days as ``timeformat="date"``),
for Gephi's timeline to play: an edge exists over the runs of consecutive days it has
interactions (one ``<spell>`` each, with a dynamic ``interactions`` attribute giving the
count of each run) and a node from its first edge's first day to its last edge's end. A
spell ends the day after its last day: Gephi's intervals are closed, and two runs are always
a day apart at least, so no two spells of an edge overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from veille.report.attributes import Column, clean_text, edge_table, node_table

if TYPE_CHECKING:
    from veille.analyze.graph import InteractionGraph

__all__ = ["GEXF_NAMESPACE", "Spell", "spells_from_days", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"


@dataclass(frozen=True, slots=True)
class Spell:
    """A run of consecutive days with interactions on one edge."""

    start: date  # its first day
    end: date  # the day after its last
    interactions: int


def spells_from_days(
    days: Sequence[tuple[str, str, date, int]],
) -> dict[tuple[str, str], list[Spell]]:
    """(source, target, day, interactions) rows, by pair then day, as runs of consecutive
    days per (source, target)."""
    spells: dict[tuple[str, str], list[Spell]] = {}
    one_day = timedelta(days=1)
    for source, target, day, count in days:
        runs = spells.setdefault((source, target), [])
        if runs and runs[-1].end == day:  # the next day of the current run
            last = runs[-1]
            runs[-1] = Spell(last.start, day + one_day, last.interactions + count)
        else:
            runs.append(Spell(day, day + one_day, count))
    return spells


def _tag(name: str) -> str:
    return f"{{{GEXF_NAMESPACE}}}{name}"


def _attributes(
    xf: Any, kind: str, columns: Sequence[Column], prefix: str, mode: str = "static"
) -> None:
    with xf.element(_tag("attributes"), {"class": kind, "mode": mode}):
        for i, column in enumerate(columns):
            xf.write("\n")
            attribute = {"id": f"{prefix}{i}", "title": column.name, "type": column.type}
            with xf.element(_tag("attribute"), attribute):
                pass
        xf.write("\n")


def _element(
    xf: Any,
    tag: str,
    attributes: dict[str, str],
    values: Sequence[str | None],
    prefix: str,
    spells: Sequence[Spell] = (),
) -> None:
    """One node or edge with its attribute values (missing ones left out) and its spells."""
    xf.write("\n")
    with xf.element(_tag(tag), attributes):
        present = [(i, v) for i, v in enumerate(values) if v is not None]
        if present or spells:
            with xf.element(_tag("attvalues")):
                for i, value in present:
                    with xf.element(_tag("attvalue"), {"for": f"{prefix}{i}", "value": value}):
                        pass
                for spell in spells:
                    timed = {
                        "for": _INTERACTIONS,
                        "value": str(spell.interactions),
                        "start": spell.start.isoformat(),
                        "end": spell.end.isoformat(),
                    }
                    with xf.element(_tag("attvalue"), timed):
                        pass
        if spells:
            with xf.element(_tag("spells")):
                for spell in spells:
                    times = {"start": spell.start.isoformat(), "end": spell.end.isoformat()}
                    with xf.element(_tag("spell"), times):
                        pass


_INTERACTIONS = "d0"  # the dynamic edge attribute: interactions in each spell


def _node_times(
    spells: Mapping[tuple[str, str], Sequence[Spell]],
) -> dict[str, tuple[date, date]]:
    """Each node's first day and end: from the earliest to the latest of its edges' spells."""
    times: dict[str, tuple[date, date]] = {}
    for (source, target), runs in spells.items():
        if not runs:
            continue
        first, end = runs[0].start, runs[-1].end
        for node in (source, target):
            known = times.get(node)
            times[node] = (min(known[0], first), max(known[1], end)) if known else (first, end)
    return times


def write_gexf(
    net: InteractionGraph,
    nodes: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    creator: str = "",
    spells: Mapping[tuple[str, str], Sequence[Spell]] | None = None,
    zone: str = "UTC",
) -> list[Path]:
    """Write ``net`` to ``path`` as GEXF 1.3, with one attribute dict per vertex in ``nodes``.

    ``nodes[i]`` describes vertex ``i`` (``net.actor_ids`` order); see
    ``veille.report.attributes`` for the columns. ``creator`` goes in ``<meta>``. With
    ``spells`` ((source, target) actor ids -> runs of days, in ``zone``; see
    :func:`spells_from_days`) the graph is dynamic.
    """
    node_columns = node_table(net, nodes)
    edges = edge_table(net)
    if not creator:
        from veille import __version__

        creator = f"veille {__version__}"
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        root_attributes = {"version": "1.3", f"{{{_XSI}}}schemaLocation": _SCHEMA_LOCATION}
        nsmap = {None: GEXF_NAMESPACE, "xsi": _XSI}
        with xf.element(_tag("gexf"), root_attributes, nsmap=nsmap):
            xf.write("\n")
            with xf.element(_tag("meta")):
                with xf.element(_tag("creator")):
                    xf.write(clean_text(creator))
                with xf.element(_tag("description")):
                    xf.write("interaction graph")
            xf.write("\n")
            graph_attributes = {"defaultedgetype": "directed", "mode": "static"}
            timed: dict[tuple[str, str], Sequence[Spell]] = {}
            if spells is not None:
                graph_attributes.update(mode="dynamic", timeformat="date", timezone=zone)
                timed = {(clean_text(s), clean_text(t)): runs for (s, t), runs in spells.items()}
            node_times = _node_times(timed)
            with xf.element(_tag("graph"), graph_attributes):
                xf.write("\n")
                _attributes(xf, "node", node_columns.columns, "n")
                xf.write("\n")
                _attributes(xf, "edge", edges.columns, "e")
                xf.write("\n")
                if spells is not None:
                    dynamic = (Column("interactions", "long"),)  # its id is _INTERACTIONS
                    _attributes(xf, "edge", dynamic, "d", mode="dynamic")
                    xf.write("\n")
                with xf.element(_tag("nodes")):
                    for actor_id, label, values in zip(
                        node_columns.ids, node_columns.labels, node_columns.values, strict=True
                    ):
                        node = {"id": actor_id, "label": label}
                        if actor_id in node_times:
                            first, end = node_times[actor_id]
                            node.update(start=first.isoformat(), end=end.isoformat())
                        _element(xf, "node", node, values, "n")
                    xf.write("\n")
                xf.write("\n")
                with xf.element(_tag("edges")):
                    for row in edges.rows():
                        attributes = {
                            "id": row.id,
                            "source": row.source,
                            "target": row.target,
                            "weight": row.weight,
                        }
                        runs = timed.get((row.source, row.target), ())
                        _element(xf, "edge", attributes, row.values, "e", runs)
                    xf.write("\n")
                xf.write("\n")
            xf.write("\n")
    return [path]
