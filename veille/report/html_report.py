"""``veille report``: a case's results as one self-contained HTML page anyone can open.

:func:`render_report` is pure: :class:`~veille.report.report_data.ReportData` in, a string
out; no database, no network. The page fetches nothing (inline CSS and SVG, no script, no
font, no image) and says so to the browser with a Content-Security-Policy that refuses every
load, so a mistake in escaping still could not run code or call out. Every case string goes
through :func:`~veille.report.html_parts.el`, which escapes by construction.
"""

from __future__ import annotations

from typing import Any

from veille import __version__
from veille.report.html_evidence import evidence_index, render_evidence
from veille.report.html_map import render_map
from veille.report.html_parts import Markup, as_number, el, fmt_datetime, fmt_int
from veille.report.html_style import CSS
from veille.report.html_tables import (
    accounts_section,
    blackouts_section,
    data_table,
    entities_section,
    fold,
    hotspots_section,
    moves_section,
    section,
    sources_section,
)
from veille.report.html_timeline import render_timelines
from veille.report.report_data import ReportData

__all__ = ["render_report"]

# Nothing may load: no script, no image, no font, no frame, no form target, no base URL.
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
_SUMMARY_LABELS = {
    "posts": "Posts",
    "accounts": "Accounts",
    "interactions": "Interactions",
    "sources": "Files read",
    "quarantined": "Set aside (unreadable)",
    "media": "Photos and videos",
    "places": "Places",
    "entities": "Names of people and groups",
}
_SECTIONS = (
    ("summary", "Summary"),
    ("sources", "Files read"),
    ("accounts", "Top accounts"),
    ("map", "Map"),
    ("timelines", "Activity over time"),
    ("blackouts", "Blackouts"),
    ("moves", "Moves between platforms"),
    ("hotspots", "Busy places"),
    ("entities", "Names mentioned"),
    ("evidence", "Evidence"),
)


def _header(data: ReportData) -> Markup:
    nav = el("nav", {}, [el("a", {"href": f"#{sid}"}, title) for sid, title in _SECTIONS])
    return el(
        "header",
        {"class": "top"},
        el("h1", {"dir": "auto"}, data.case_name),
        el(
            "p",
            {"class": "muted"},
            f"Report generated {fmt_datetime(data.generated_at)}. Days are counted in the "
            f"{data.time_zone} time zone.",
        ),
        el(
            "p",
            {},
            "Each finding links to the posts it rests on (E1, E2…), listed at the end with the "
            "file and position they were read from. Links found in posts are shown as text and "
            "never opened.",
        ),
        nav,
    )


def _summary(data: ReportData) -> Markup:
    keys = [k for k in _SUMMARY_LABELS if k in data.summary]
    keys += [k for k in data.summary if k not in _SUMMARY_LABELS]
    cards = [
        el(
            "div",
            {"class": "card"},
            el("span", {"class": "big"}, fmt_int(data.summary[k])),
            el("span", {"dir": "auto"}, _SUMMARY_LABELS.get(k, k.replace("_", " ").capitalize())),
        )
        for k in keys
    ]
    return section("summary", "Summary", el("div", {"class": "cards"}, cards))


_KIND_WORDS = {"about": "named in posts", "from": "posted from"}


def _countries_by_kind(countries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per country from its rows per kind: accounts and posts about it, and from it."""
    merged: dict[str, dict[str, Any]] = {}
    for row in countries:
        code = str(row.get("country_code") or "")
        found = merged.setdefault(
            code, {"name": row.get("name"), "country_code": code, "about": 0, "from": 0,
                   "about_posts": 0}
        )  # fmt: skip
        kind = "from" if row.get("kind") == "from" else "about"
        found[kind] += int(as_number(row.get("accounts")))
        if kind == "about":
            found["about_posts"] += int(as_number(row.get("posts")))
    return sorted(merged.values(), key=lambda c: (-c["about"], -c["from"], c["country_code"]))


def _map(data: ReportData) -> Markup:
    rows = _countries_by_kind(data.countries)
    table = data_table(
        ["Country", "Code", "Accounts naming places in it", "Their posts", "Accounts from it"],
        [
            [c["name"], c["country_code"], fmt_int(c["about"]), fmt_int(c["about_posts"]),
             fmt_int(c["from"])]
            for c in rows
        ],
        frozenset({2, 3, 4}),
    )  # fmt: skip
    places = data_table(
        ["Place", "Level", "Country", "How", "Accounts", "Posts", "Also written"],
        [
            [
                p.get("name"),
                p.get("level"),
                p.get("country_code"),
                _KIND_WORDS.get(str(p.get("kind")), str(p.get("kind"))),
                fmt_int(p.get("accounts")),
                fmt_int(p.get("posts")),
                ", ".join(str(n) for n in p.get("names_seen") or []),
            ]
            for p in sorted(data.places, key=lambda p: -as_number(p.get("accounts")))
        ],
        frozenset({4, 5}),
    )
    return section(
        "map",
        "Map",
        el(
            "p",
            {"class": "muted"},
            "Where the posts are about, and where their authors are from, kept apart and "
            "counted in accounts: countries are shaded by the accounts that named a place in "
            "them; places named in posts are filled circles, places authors post from "
            "(profile location, photo GPS) are rings. Hover a shape for its numbers.",
        ),
        render_map(data.places, data.countries),
        fold("Accounts by country", len(rows), table, unit="countries") if rows else None,
        fold("Places", len(data.places), places, unit="places") if data.places else None,
    )


def render_report(data: ReportData) -> str:
    """The whole report as one HTML5 document that loads nothing from anywhere."""
    index = evidence_index(
        [
            ("accounts", "Top accounts", data.top_accounts),
            ("blackouts", "Blackouts", data.blackouts),
            ("moves", "Moves between platforms", data.moves),
            ("hotspots", "Busy places", data.hotspots),
        ],
        data.evidence_posts,
    )
    head = el(
        "head",
        {},
        el("meta", {"charset": "utf-8"}),
        el("meta", {"http-equiv": "Content-Security-Policy", "content": _CSP}),
        el("meta", {"name": "referrer", "content": "no-referrer"}),
        el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        el("meta", {"name": "generator", "content": f"veille {__version__}"}),
        el("title", {}, f"{data.case_name} — veille report"),
        el("style", {}, Markup(CSS)),
    )
    body = el(
        "body",
        {},
        _header(data),
        el(
            "main",
            {},
            _summary(data),
            sources_section(data),
            accounts_section(data, index),
            _map(data),
            section(
                "timelines",
                "Activity over time",
                render_timelines(data.series, data.blackouts, data.moves, data.hotspots),
            ),
            blackouts_section(data, index),
            moves_section(data, index),
            hotspots_section(data, index),
            entities_section(data),
            section(
                "evidence",
                "Evidence",
                el(
                    "p",
                    {"class": "muted"},
                    "Every post cited above, as read from the "
                    "files. Texts are shown exactly as written.",
                ),
                render_evidence(index, data.evidence_posts),
            ),
        ),
        el(
            "footer",
            {},
            f"Made with veille {__version__}, offline. Map outlines: Natural Earth (public "
            "domain), via world-atlas 2.0.2 (ISC licence).",
        ),
    )
    return f"<!DOCTYPE html>\n{el('html', {'lang': 'en'}, head, body)}\n"
