"""Markup that is escaped by construction, and the plain formats the HTML report shows.

Internal helper of ``veille.report.html_report``: not a stable API.

Every case string is hostile (post text, names, paths, URLs). The only way into the page is
:func:`el`, which escapes each child and attribute value unless it is already
:class:`Markup`, and :class:`Markup` is only made here, from escaped text or from ``el``.
Tag and attribute names come from code and are checked, so no value can become a name.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from veille.report.attributes import clean_text

__all__ = [
    "Markup",
    "as_number",
    "bidi_flag",
    "el",
    "esc",
    "fmt_date",
    "fmt_datetime",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "join",
    "parse_day",
    "plain_list",
    "svg_num",
]

# A name is code, never data; SVG's are camelCase ("viewBox"). "on*" would be a script hook.
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*\Z")
_VOID = frozenset({"br", "col", "hr", "meta", "wbr"})
# Invisible characters that reorder the text around them ("\u202etxt.exe" shows "exe.txt").
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Child = object  # Markup, str, a number, None (skipped) or an iterable of those


class Markup(str):
    """HTML that is safe to emit as is: built only by :func:`esc`, :func:`el` and :func:`join`."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """``value`` as HTML text: cleaned of characters HTML cannot carry, then escaped."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(clean_text(str(value)), quote=True))


def _flatten(children: Iterable[Child]) -> Iterable[Markup]:
    for child in children:
        if child is None:
            continue
        if isinstance(child, str | int | float):
            yield esc(child)
        elif isinstance(child, Iterable):
            yield from _flatten(child)
        else:
            yield esc(child)


def join(children: Iterable[Child], separator: str = "") -> Markup:
    """Children escaped (unless Markup) and joined; ``separator`` is escaped too."""
    return Markup(esc(separator).join(_flatten(children)))


def _attribute(name: str, value: object) -> str:
    if not _NAME.match(name) or name.lower().startswith("on"):
        raise ValueError(f"not an allowed attribute name: {name!r}")
    if value is True:
        return f" {name}"
    return f' {name}="{esc(value)}"'


def el(tag: str, attrs: Mapping[str, object] | None = None, *children: Child) -> Markup:
    """``<tag attrs>children</tag>``: attribute values and non-Markup children escaped.

    Attributes whose value is None or False are left out; True gives a bare attribute.
    """
    if not _NAME.match(tag) or tag in {"script", "iframe", "object", "embed", "base"}:
        raise ValueError(f"not an allowed tag: {tag!r}")
    rendered = "".join(
        _attribute(name, value)
        for name, value in (attrs or {}).items()
        if value is not None and value is not False
    )
    if tag in _VOID:
        if children:
            raise ValueError(f"<{tag}> cannot have children")
        return Markup(f"<{tag}{rendered}>")
    return Markup(f"<{tag}{rendered}>{join(children)}</{tag}>")


def bidi_flag(text: object) -> Markup | None:
    """A visible warning when ``text`` holds direction controls (spoofed names, file names);
    None otherwise. Escaping leaves those characters as they are, so Markup can be checked."""
    if not _BIDI_CONTROLS.search(str(text)):
        return None
    tip = "Holds invisible characters that reverse the text around them: it may read wrong."
    return el("span", {"class": "bidi-warn", "title": tip}, "⚠")


def svg_num(value: float) -> str:
    """A coordinate with one decimal at most, as short as possible ("12", "3.5", "-0.2")."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def as_number(value: object) -> float:
    """``value`` as a finite float, 0 when it is none (for sorting and scaling)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return float(value)


def fmt_int(value: object) -> str:
    """A count with thousands separators; "?" when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "?"
    return f"{round(value):,}"


def fmt_num(value: object, digits: int = 1) -> str:
    """A number with ``digits`` decimals and thousands separators; "?" when not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "?"
    return f"{value:,.{digits}f}"


def fmt_pct(value: object) -> str:
    """A 0-1 fraction as a whole percentage, French-style spaced: "88 %"."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "?"
    return f"{round(value * 100)} %"


def parse_day(value: object) -> date | None:
    """An ISO date (or the date of an ISO timestamp); None when missing or unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def fmt_date(value: object, *, year: bool = True) -> str:
    """A date as "14 Nov 2016" ("14 Nov" without ``year``); the text itself when it is not a
    date, "" when missing."""
    day = parse_day(value)
    if day is None:
        return "" if value is None else str(value)
    short = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{short} {day.year}" if year else short


def fmt_datetime(value: object) -> str:
    """An ISO timestamp as "14 Nov 2016 08:30 +01:00"; the text itself when unreadable."""
    if not isinstance(value, str):
        return "" if value is None else str(value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = moment.strftime(" %z") if moment.tzinfo else ""
    if len(zone) == 6:
        zone = f"{zone[:4]}:{zone[4:]}"  # +0100 -> +01:00
    return f"{fmt_date(moment.date())} {moment:%H:%M}{zone}"


def plain_list(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    words = [item for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
