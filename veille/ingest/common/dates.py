"""Read dates whose format a file does not declare, deciding the format once per column.

``1/6/2015 21:07`` is 1 June or 6 January depending on who wrote the file. Deciding row by row
gives a column where June and January alternate; so every value of the column is observed first,
then one order is chosen for all of them:

1. a value whose first number is above 12 proves day-first, one whose second number is above 12
   proves month-first (if both occur the majority wins, the minority is quarantined later);
2. otherwise the order under which the column is more often in time order wins (exports are
   written chronologically);
3. otherwise month-first, the order of the US-made tools most scraped tables come from.

The decision and why it was taken are reported to the user.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime

__all__ = ["CachedParser", "DateColumn", "DateParser", "to_utc"]

_NUMERIC = re.compile(
    r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4}),?"
    r"(?:[\sT]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([aApP])\.?\s?[mM]\.?)?)?\s*$"
)
_EPOCH = re.compile(r"^\s*\d{9,13}(?:\.\d+)?\s*$")
_MONOTONIC_SAMPLE = 20_000


def to_utc(moment: datetime, zone: tzinfo) -> tuple[datetime, int | None]:
    """Make ``moment`` aware and UTC; return it with the offset the source showed, if any."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone).astimezone(UTC), None
    offset = moment.utcoffset() or timedelta(0)
    return moment.astimezone(UTC), int(offset.total_seconds() // 60)


def _numeric_parts(match: re.Match[str]) -> tuple[int, int, int, int, int, int]:
    first, second, year_text, hour, minute, sec, meridiem = match.groups()
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900
    hours = int(hour) if hour else 0
    if meridiem:
        # 12 AM is midnight, 12 PM is noon; "00:08 a. m." also occurs in real exports.
        hours = hours % 12 + (12 if meridiem in "pP" else 0)
    return int(first), int(second), year, hours, int(minute or 0), int(sec or 0)


@dataclass
class DateParser:
    """Parses the values of one column in the format that was decided for it."""

    kind: str  # "numeric", "iso", "epoch", "rfc2822", "twitter" or "empty"
    day_first: bool
    description: str

    def parse(self, value: str, zone: tzinfo) -> tuple[datetime, int | None]:
        """Parse ``value``; raises ValueError with a reason a person understands."""
        text = value.strip()
        if self.kind == "epoch" or (_EPOCH.match(text) and self.kind != "numeric"):
            number = float(text)
            if number > 1e11:  # milliseconds
                number /= 1000
            return datetime.fromtimestamp(number, UTC), 0
        match = _NUMERIC.match(text)
        if match:
            first, second, year, hours, minutes, seconds = _numeric_parts(match)
            day, month = (first, second) if self.day_first else (second, first)
            try:
                moment = datetime(year, month, day, hours, minutes, seconds)
            except ValueError as error:
                order = "day-first" if self.day_first else "month-first"
                raise ValueError(f"impossible date {value!r} read {order}: {error}") from None
            return to_utc(moment, zone)
        return to_utc(_parse_textual(text, value), zone)


class CachedParser:
    """``parser.parse`` in ``zone``, once per distinct text: a column of minute-resolution times
    repeats the same values many times. A failure comes back as its reason, not raised."""

    _LIMIT = 100_000  # distinct texts remembered; then the cache starts again (flat memory)

    def __init__(self, parser: DateParser, zone: tzinfo) -> None:
        self.parser = parser
        self.zone = zone
        self._known: dict[str, tuple[datetime, int | None] | str] = {}

    def __call__(self, text: str) -> tuple[datetime, int | None] | str:
        """(UTC time, offset shown or None), or why ``text`` cannot be read."""
        known = self._known.get(text)
        if known is None:
            try:
                known = self.parser.parse(text, self.zone)
            except ValueError as error:
                known = str(error)
            if len(self._known) > self._LIMIT:
                self._known.clear()
            self._known[text] = known
        return known


def _parse_textual(text: str, value: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    for pattern in ("%a %b %d %H:%M:%S %z %Y", "%d %b %Y %H:%M", "%d %B %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"unreadable date {value!r}") from None


class DateColumn:
    """Observes every value of a date column, then decides how to read all of them.

    ``subject`` names what is observed in the decision's description ("column 'time'",
    "message headers").
    """

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.values = 0
        self.numeric = 0
        self.epoch = 0
        self.proves_day_first = 0
        self.proves_month_first = 0
        self._ambiguous: list[tuple[int, int, int, int, int, int]] = []

    def observe(self, value: str | None) -> None:
        """Look at one value; cheap, so whole multi-million-row columns can be observed."""
        if not value or not value.strip():
            return
        self.values += 1
        match = _NUMERIC.match(value)
        if match is None:
            if _EPOCH.match(value):
                self.epoch += 1
            return
        self.numeric += 1
        parts = _numeric_parts(match)
        first, second = parts[0], parts[1]
        if first > 12 >= second:
            self.proves_day_first += 1
        elif second > 12 >= first:
            self.proves_month_first += 1
        else:
            self.add_ambiguous(parts)

    def ambiguous_room(self) -> int:
        """How many more ambiguous values the time-order check still samples."""
        return _MONOTONIC_SAMPLE - len(self._ambiguous)

    def add_ambiguous(self, parts: tuple[int, int, int, int, int, int]) -> None:
        """Keep an already counted value that fits both orders, for the time-order check."""
        if len(self._ambiguous) < _MONOTONIC_SAMPLE:
            self._ambiguous.append(parts)

    def decide(self, forced_order: str | None = None) -> DateParser:
        """Choose one reading for the whole column and say why."""
        label = self.subject
        if self.values == 0:
            return DateParser("empty", False, f"{label}: no dates")
        if self.numeric == 0:
            kind = "epoch" if self.epoch == self.values else "iso"
            described = "Unix timestamps" if kind == "epoch" else "ISO 8601 or named-month dates"
            count = f"{self.values:,} value{'s' if self.values > 1 else ''}"
            return DateParser(kind, False, f"{label}: {described} ({count})")
        if forced_order is not None:
            day_first = forced_order == "day"
            reason = "as asked with --date-order"
        elif self.proves_day_first or self.proves_month_first:
            day_first = self.proves_day_first >= self.proves_month_first
            proofs = self.proves_day_first if day_first else self.proves_month_first
            reason = (
                "1 value only fits that order"
                if proofs == 1
                else f"{proofs:,} values only fit that order"
            )
            contrary = self.proves_month_first if day_first else self.proves_day_first
            if contrary:
                reason += f"; {contrary:,} values fit only the other and will be quarantined"
        else:
            day_first, reason = self._order_by_chronology()
        order = "day-first (D/M/Y)" if day_first else "month-first (M/D/Y)"
        return DateParser("numeric", day_first, f"{label}: {order}, {reason}")

    def _order_by_chronology(self) -> tuple[bool, str]:
        def in_order(day_first: bool) -> int:
            keys = [
                (year, *((second, first) if day_first else (first, second)), h, m, s)
                for first, second, year, h, m, s in self._ambiguous
            ]
            return sum(1 for a, b in itertools.pairwise(keys) if a <= b)

        by_day, by_month = in_order(True), in_order(False)
        if by_day > by_month:
            return True, "every value is ambiguous; day-first keeps the rows in time order"
        if by_month > by_day:
            return False, "every value is ambiguous; month-first keeps the rows in time order"
        return False, "every value is ambiguous; assumed (override with --date-order day)"
