"""The report's tables, and the sections made of them: files read, top accounts, blackouts,
moves, hotspots, names mentioned.

Internal helper of ``veille.report.html_report``: not a stable API. Every text cell chooses
its own direction (``dir="auto"``: Arabic reads right to left) and is flagged when it holds
invisible direction controls. Tables longer than ``OPEN_ROWS`` rows start folded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from veille.report.html_captions import (
    blackout_days,
    blackout_sentence,
    confidence_words,
    hotspot_label,
    hotspot_sentence,
    move_sentence,
    subject,
)
from veille.report.html_evidence import EvidenceIndex
from veille.report.html_parts import (
    Markup,
    bidi_flag,
    el,
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_pct,
    join,
)
from veille.report.html_timeline import calendar
from veille.report.report_data import ReportData

__all__ = [
    "OPEN_ROWS",
    "accounts_section",
    "blackouts_section",
    "data_table",
    "empty",
    "entities_section",
    "fold",
    "hotspots_section",
    "moves_section",
    "section",
    "sources_section",
]

OPEN_ROWS = 15  # longer tables start folded


def data_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: frozenset[int] = frozenset()
) -> Markup:
    """A table; columns in ``numeric`` are right-aligned, every cell picks its own direction."""
    head = el("thead", {}, el("tr", {}, [el("th", {"scope": "col"}, h) for h in headers]))
    body = el(
        "tbody",
        {},
        [
            el(
                "tr",
                {},
                [
                    el(
                        "td",
                        {"class": "num" if i in numeric else None, "dir": "auto"},
                        cell,
                        bidi_flag(cell),
                    )
                    for i, cell in enumerate(row)
                ],
            )
            for row in rows
        ],
    )
    return el("div", {"class": "table-wrap"}, el("table", {}, head, body))


def fold(title: str, rows: int, table: Markup, *, unit: str = "rows") -> Markup:
    """``table`` under a summary line; folded when it has more than ``OPEN_ROWS`` rows."""
    label = f"{title} ({fmt_int(rows)} {unit if rows != 1 else unit.rstrip('s')})"
    return el("details", {"open": rows <= OPEN_ROWS}, el("summary", {}, label), table)


def section(section_id: str, title: str, *content: object) -> Markup:
    """``<section id>`` with its heading: the ids are the page's table of contents."""
    return el("section", {"id": section_id}, el("h2", {}, title), *content)


def empty(text: str) -> Markup:
    """What a section says when it has nothing to show."""
    return el("p", {"class": "empty"}, text)


def _score(value: object) -> Markup:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        return Markup("?")
    return join(
        [
            el("span", {"class": "score"}, el("i", {"style": f"width:{round(value * 100)}%"})),
            fmt_num(value, 2),
        ]
    )


def sources_section(data: ReportData) -> Markup:
    rows = [
        [
            el("code", {}, s.get("path")),
            s.get("reader"),
            el(
                "span",
                {"class": f"status {'bad' if s.get('status') == 'failed' else 'ok'}"},
                s.get("status"),
            ),
            fmt_int(s.get("n_read")),
            fmt_int(s.get("n_new")),
            fmt_int(s.get("n_quarantined")),
        ]
        for s in data.sources
    ]
    table = data_table(
        ["File", "Read as", "Status", "Records read", "New", "Set aside"],
        rows,
        frozenset({3, 4, 5}),
    )
    total = data.summary.get("quarantined", len(data.quarantine))
    quarantine = data_table(
        ["File", "Where in the file", "Why it was set aside"],
        [
            [el("code", {}, q.get("path")), el("code", {}, q.get("locator")), q.get("reason")]
            for q in data.quarantine
        ],
    )
    shown = (
        f"the first {len(data.quarantine)} are listed"
        if total > len(data.quarantine)
        else "all are listed"
    )
    return section(
        "sources",
        "Files read",
        fold("Files", len(rows), table) if rows else empty("No file was read."),
        el(
            "p",
            {},
            f"{fmt_int(total)} records could not be read and were set aside "
            f"(quarantined) rather than guessed at; {shown}.",
        )
        if total
        else None,
        fold("Set-aside records", len(data.quarantine), quarantine) if data.quarantine else None,
    )


def accounts_section(data: ReportData, index: EvidenceIndex) -> Markup:
    rows = [
        [
            fmt_int(a.get("rank")),
            el("strong", {}, a.get("label")),
            a.get("platform"),
            _score(a.get("combined")),
            a.get("community"),
            a.get("sentence"),
            index.links(a.get("evidence") or []),
        ]
        for a in data.top_accounts
    ]
    table = data_table(
        ["Rank", "Account", "Platform", "Importance (0–1)", "Community", "Why", "Evidence"],
        rows,
        frozenset({0}),
    )
    return section(
        "accounts",
        "Top accounts",
        el(
            "p",
            {"class": "muted"},
            "The accounts that matter most in the case's network, with "
            "the reason in plain words. The importance score combines several network measures.",
        ),
        fold("Accounts", len(rows), table) if rows else empty("No account was ranked."),
    )


def blackouts_section(data: ReportData, index: EvidenceIndex) -> Markup:
    cal = calendar(data.series)
    last = cal.last if cal else None
    rows = [
        [
            el("strong", {}, subject(b.get("dimension"), b.get("label"))),
            blackout_sentence(b, last),
            fmt_date(b.get("start")),
            "still low" if b.get("ongoing") or b.get("end") is None else fmt_date(b.get("end")),
            fmt_int(blackout_days(b, last)),
            fmt_pct(b.get("depth")),
            fmt_num(b.get("baseline_mean")),
            confidence_words(b.get("confidence")),
            el(
                "span",
                {"class": "status bad" if b.get("status") == "blackout" else "status"},
                b.get("status"),
            ),
            index.links(b.get("evidence") or []),
        ]
        for b in data.blackouts
    ]
    table = data_table(
        [
            "What",
            "In plain words",
            "From",
            "To",
            "Days",
            "Fall",
            "Usual posts a day",
            "Confidence",
            "Verdict",
            "Evidence",
        ],
        rows,
        frozenset({4, 5, 6}),
    )
    return section(
        "blackouts",
        "Blackouts",
        el(
            "p",
            {"class": "muted"},
            "A blackout is a sudden, lasting fall in posts compared with "
            "the series' own usual level, while comparable series did not fall.",
        ),
        fold("Blackouts", len(rows), table) if rows else empty("No blackout was found."),
    )


def moves_section(data: ReportData, index: EvidenceIndex) -> Markup:
    rows = [
        [
            el("strong", {}, f"{m.get('source_label')} → {m.get('target_label')}"),
            move_sentence(m),
            fmt_date(m.get("start")),
            fmt_int(m.get("lag_days")),
            fmt_int(m.get("shared_accounts")),
            fmt_int(m.get("links")),
            fmt_int(m.get("forwards")),
            confidence_words(m.get("confidence")),
            index.links(m.get("evidence") or []),
        ]
        for m in data.moves
    ]
    table = data_table(
        [
            "Move",
            "In plain words",
            "From",
            "Days between",
            "Accounts on both",
            "Links",
            "Forwards",
            "Confidence",
            "Evidence",
        ],
        rows,
        frozenset({3, 4, 5, 6}),
    )
    return section(
        "moves",
        "Moves between platforms",
        fold("Moves", len(rows), table) if rows else empty("No move was found."),
    )


# The two kinds of place, never mixed: what posts are about, where their authors are.
_HOTSPOT_KINDS = (
    ("about", "Places many accounts wrote about"),
    ("from", "Places many accounts posted from (profile location, photo GPS)"),
    ("mixed", "Busy places counted by an older run (posts, both kinds together)"),
)


def _hotspot_table(hotspots: Sequence[Mapping[str, Any]], index: EvidenceIndex) -> Markup:
    rows = [
        [
            el("strong", {}, hotspot_label(h)),
            hotspot_sentence(h),
            fmt_date(h.get("start")),
            fmt_date(h.get("end")),
            fmt_int(h.get("accounts")),
            fmt_num(h.get("expected_accounts")),
            fmt_int(h.get("posts")),
            index.links(h.get("evidence") or []),
        ]
        for h in hotspots
    ]
    return data_table(
        ["Place", "In plain words", "From", "To", "Accounts", "Usual a window", "Posts",
         "Evidence: first post of each account"],
        rows,
        frozenset({4, 5, 6}),
    )  # fmt: skip


def hotspots_section(data: ReportData, index: EvidenceIndex) -> Markup:
    parts: list[Markup] = []
    for kind, title in _HOTSPOT_KINDS:
        mine = [h for h in data.hotspots if (h.get("kind") or "mixed") == kind]
        if mine:
            parts.append(fold(title, len(mine), _hotspot_table(mine, index), unit="places"))
        elif kind != "mixed":
            parts.append(el("p", {"class": "empty"}, f"{title}: none found."))
    return section(
        "hotspots",
        "Busy places",
        el(
            "p",
            {"class": "muted"},
            "Days when far more accounts than usual wrote about a place, or posted from it: "
            "counted in people, not posts, so one account posting a hundred times is one. "
            "Places named in posts and places their authors are from are judged apart.",
        ),
        parts,
    )


def entities_section(data: ReportData) -> Markup:
    rows = [
        [
            e.get("name"),
            e.get("type"),
            fmt_int(e.get("mentions")),
            ", ".join(str(n) for n in e.get("names_seen") or []),
        ]
        for e in data.entities
    ]
    table = data_table(["Name", "Kind", "Mentions", "Also written"], rows, frozenset({2}))
    return section(
        "entities",
        "Names mentioned",
        fold("Names", len(rows), table) if rows else empty("No name was recognised."),
    )
