"""Dates written in the text of an article: "14.06.2017", "3 juin 2017", "June 3, 2017", ISO.

Month names in French, English and Arabic (Gulf and Maghreb forms). Numeric dates are read
day-first unless the caller knows the text is month-first (or the first number is above 12).
"""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["DAY_DATES", "TEXT_DATES", "date_in_line", "dated_line"]

_MONTHS = {
    **dict.fromkeys(("janvier", "janv", "january", "jan", "يناير", "جانفي"), 1),
    **dict.fromkeys(
        ("février", "fevrier", "févr", "fevr", "february", "feb", "فبراير", "فيفري"), 2
    ),
    **dict.fromkeys(("mars", "march", "mar", "مارس"), 3),
    **dict.fromkeys(
        ("avril", "avr", "april", "apr", "أبريل", "ابريل", "إبريل", "أفريل", "افريل"), 4
    ),
    **dict.fromkeys(("mai", "may", "مايو", "ماي"), 5),
    **dict.fromkeys(("juin", "june", "jun", "يونيو", "جوان"), 6),
    **dict.fromkeys(("juillet", "juil", "july", "jul", "يوليو", "جويلية"), 7),
    **dict.fromkeys(("août", "aout", "august", "aug", "أغسطس", "اغسطس", "أوت"), 8),
    **dict.fromkeys(("septembre", "sept", "september", "sep", "سبتمبر"), 9),
    **dict.fromkeys(("octobre", "oct", "october", "أكتوبر", "اكتوبر"), 10),
    **dict.fromkeys(("novembre", "nov", "november", "نوفمبر"), 11),
    **dict.fromkeys(("décembre", "decembre", "déc", "dec", "december", "ديسمبر"), 12),
}
_MONTH = "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True))
_TIME = r"(?:\D{1,6}?(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2}))?"
TEXT_DATES = (
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)" + _TIME),
    re.compile(
        r"(?<!\d)(?P<first>\d{1,2})[./-](?P<second>\d{1,2})[./-](?P<year>\d{4})(?!\d)" + _TIME
    ),
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<name>{_MONTH})\.?,?\s+(?P<year>\d{{4}})"
        + _TIME,
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w)(?P<name>{_MONTH})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})" + _TIME,
        re.IGNORECASE,
    ),
    re.compile(rf"(?<!\w)(?P<name>{_MONTH})\.?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE),
)
# The patterns that name a day (all but "juin 2017").
DAY_DATES = TEXT_DATES[:4]


def date_in_line(line: str, month_first: bool) -> datetime | None:
    """The first date written in ``line``, with its time if one follows; naive."""
    found = dated_line(line, month_first)
    return found[0] if found else None


def dated_line(line: str, month_first: bool) -> tuple[datetime, str] | None:
    """The first date written in ``line`` and its precision: "minute", "day" or "month".

    A month without a day ("juin 2017") comes back as the 1st with precision "month": the
    caller must not take it for that day.
    """
    for pattern in TEXT_DATES:
        match = pattern.search(line)
        if match is None:
            continue
        parts = match.groupdict()
        if parts.get("first"):
            first, second = int(parts["first"]), int(parts["second"])
            day_first = first > 12 or (second <= 12 and not month_first)
            day, month = (first, second) if day_first else (second, first)
        else:
            month = _MONTHS[parts["name"].casefold()] if parts.get("name") else int(parts["month"])
            day = int(parts["day"]) if parts.get("day") else 1
        if parts.get("hour"):
            precision = "minute"
        else:
            precision = "day" if "day" in parts or "first" in parts else "month"
        try:
            moment = datetime(
                int(parts["year"]),
                month,
                day,
                int(parts.get("hour") or 0),
                int(parts.get("minute") or 0),
            )
        except ValueError:
            return None
        return moment, precision
    return None
