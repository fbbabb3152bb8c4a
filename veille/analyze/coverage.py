"""What each source and each series covers: the days its records were being collected.

A series (posts about a place, of a community, on a platform...) is counted from sources (the
files read). Outside the days its sources collected, a zero is *no data*, never a drop: before
a collection starts, in a gap of it, after the export ends. The blackout detector is given
only the covered days (``veille.analyze.covered_shifts``).

**A source** covers, in the case's days, from its first record to its last, except:

- a *thin start*: a collection that starts with a trickle (a few dozen posts a year, then the
  real volume) is covered from the first of ``THIN_WEEKS`` consecutive weeks that each hold at
  least ``THIN_SHARE`` of a typical busy week (the 75th percentile of its 7-day totals);
- *collection gaps*: a run of at least ``GAP_MIN_DAYS`` days without a single record, and so
  long that at the source's own rate of days with records (p, over its covered span of D
  days) it would happen by chance less than ``GAP_ALPHA`` times over that span:
  ``(1 - p)^L * D < GAP_ALPHA``. A source with records on most days has gaps from 14 days;
  one with records one day in five, from about 47 days in a year.

Both rules apply only to *collections*: sources whose records come from several chats, or
from several authors when they have no chat (a scraped table of tweets, an account's export
of many chats). A single chat or account exported alone is complete by construction: its
silences are its own and stay judged (a channel that goes quiet for a month is a blackout,
not a gap). Its coverage still ends at its last record, since nothing says when the export
was made. Sources with fewer than ``MIN_RECORDS`` records (one news article per file) have no
span worth the name and neither cover nor uncover anything.

**A series** is covered on a day when one of its sources' spans holds that day and none of
its *major* sources is in a gap or a thin start there. A source is major for a series when it
gave at least ``MAJOR_MIN_POSTS`` of its posts and at least ``MAJOR_SHARE`` of the series'
posts over that source's span: a smaller one ending or pausing takes away less than the
shallowest drop reported (``DetectorSettings.min_depth`` = 0.2). Where the set of major
sources changes (one starts, one ends, exports hand over to each other), the series is judged
afresh: a baseline learnt from other sources is not its baseline. A series with no source
that has a span (only news articles) is covered every day, as before. Before its coverage a
series may still rise (it appeared) when the source it starts with is a chat or account
exported alone, complete from its start; not when it is a collection, whose start is only
when collecting began (``opened_by_collection``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "GAP_ALPHA",
    "GAP_MIN_DAYS",
    "MAJOR_MIN_POSTS",
    "MAJOR_SHARE",
    "MIN_RECORDS",
    "THIN_SHARE",
    "THIN_WEEKS",
    "NoData",
    "SeriesCoverage",
    "SourceCoverage",
    "series_coverage",
    "source_coverage",
]

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

GAP_MIN_DAYS = 14
GAP_ALPHA = 0.01
THIN_SHARE = 0.1
THIN_WEEKS = 4
MIN_RECORDS = 20
MAJOR_SHARE = 0.2
MAJOR_MIN_POSTS = 20


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    """The days one source collected (day indices on the case's calendar, inclusive)."""

    source_id: str
    name: str  # its path, to name it in reasons
    records: int
    first: int  # first day with a record
    last: int  # last day with a record
    start: int  # first day collected in full (after a thin start; == first without one)
    gaps: tuple[tuple[int, int], ...]  # (first, last) day of each collection gap
    rule: str  # "collection" | "one voice" | "few records" (see the module docstring)

    @property
    def has_span(self) -> bool:
        return self.rule != "few records"

    def covers_all(self, days: int) -> bool:
        """Collected in full every day of a calendar of ``days`` days."""
        return self.has_span and self.start == 0 and self.last == days - 1 and not self.gaps

    @classmethod
    def everywhere(cls, days: int, name: str = "sources covering every day") -> SourceCoverage:
        return cls(name, name, 0, 0, days - 1, 0, (), "collection")

    def span(self, days: int) -> Bools:
        """Days from its full start to its last record (gaps included)."""
        mask = np.zeros(days, dtype=bool)
        mask[self.start : self.last + 1] = True
        return mask

    def missing(self, days: int) -> Bools:
        """Days inside its records' span it did not collect: thin start and gaps."""
        mask = np.zeros(days, dtype=bool)
        mask[self.first : self.start] = True
        for first, last in self.gaps:
            mask[first : last + 1] = True
        return mask


def source_coverage(
    source_id: str, name: str, daily: npt.ArrayLike, several_voices: bool
) -> SourceCoverage:
    """Coverage of one source from its records per day (one count per day of the calendar)
    and whether several chats (or authors, without chats) speak in it."""
    x = np.asarray(daily, dtype=np.int64)
    active = np.flatnonzero(x)
    records = int(x.sum())
    if active.size == 0:
        return SourceCoverage(source_id, name, 0, 0, -1, 0, (), "few records")
    first, last = int(active[0]), int(active[-1])
    rule = "collection" if several_voices else "one voice"
    if records < MIN_RECORDS:
        rule = "few records"
    if rule != "collection":
        return SourceCoverage(source_id, name, records, first, last, first, (), rule)
    start = _full_start(x, first, last)
    gaps = _gaps(x, start, last)
    return SourceCoverage(source_id, name, records, first, last, start, gaps, rule)


def _full_start(x: Ints, first: int, last: int) -> int:
    """First day of ``THIN_WEEKS`` weeks each holding ``THIN_SHARE`` of a typical busy week."""
    span = x[first : last + 1]
    if span.size < 7 * THIN_WEEKS:
        return first
    cum = np.concatenate(([0], np.cumsum(span)))
    weekly = cum[7:] - cum[:-7]  # weekly[d]: records in [d, d + 7)
    busy = float(np.quantile(weekly, 0.75))
    enough = weekly >= THIN_SHARE * busy
    starts = enough[: enough.size - 7 * (THIN_WEEKS - 1)].copy()
    for k in range(1, THIN_WEEKS):
        starts &= enough[7 * k : 7 * k + starts.size]
    found = np.flatnonzero(starts & (span[: starts.size] > 0))
    return first + int(found[0]) if found.size else first


def _gaps(x: Ints, start: int, last: int) -> tuple[tuple[int, int], ...]:
    """Runs of days without records in [start, last] too long for the source's own rhythm."""
    span = x[start : last + 1]
    days = span.size
    p = float(np.count_nonzero(span)) / days
    if p >= 1.0 or days < GAP_MIN_DAYS:
        return ()
    # (1 - p)^L * days < alpha  <=>  L > ln(alpha / days) / ln(1 - p)
    longest = max(GAP_MIN_DAYS, int(np.floor(np.log(GAP_ALPHA / days) / np.log1p(-p))) + 1)
    active = np.flatnonzero(span)
    runs = np.diff(active) - 1  # days without records between two days with records
    found = np.flatnonzero(runs >= longest)
    return tuple((start + int(active[i]) + 1, start + int(active[i + 1]) - 1) for i in found)


@dataclass(frozen=True, slots=True)
class NoData:
    """A stretch inside a series' coverage where it has no data, and why."""

    first: int
    last: int  # inclusive
    why: str


@dataclass(frozen=True, slots=True)
class SeriesCoverage:
    """The days a series can be judged on, cut where its major sources change."""

    covered: Bools  # per calendar day
    segments: tuple[tuple[int, int], ...]  # [start, end): each judged on its own history
    no_data: tuple[NoData, ...]  # uncovered stretches between the first and last covered day
    missing: Bools | None = None  # days a major source collected thinly or not at all
    # The coverage begins where a collection begins: before it nothing was collected, so the
    # series' first posts say when collecting started, not when the series appeared.
    opened_by_collection: bool = False

    @property
    def first(self) -> int | None:
        found = np.flatnonzero(self.covered)
        return int(found[0]) if found.size else None

    @property
    def last(self) -> int | None:
        found = np.flatnonzero(self.covered)
        return int(found[-1]) if found.size else None

    @classmethod
    def everywhere(cls, days: int) -> SeriesCoverage:
        return cls(np.ones(days, dtype=bool), ((0, days),) if days else (), (), None)


def series_coverage(
    counts: npt.ArrayLike, sources: Sequence[tuple[SourceCoverage, int]]
) -> SeriesCoverage:
    """Coverage of a series from its daily counts and (source, posts it gave the series)."""
    x = np.asarray(counts, dtype=np.int64)
    days = x.size
    spanned = [(sc, given) for sc, given in sources if given > 0 and sc.has_span]
    if not spanned:
        return SeriesCoverage.everywhere(days)
    cum = np.concatenate(([0], np.cumsum(x)))
    major = [
        sc
        for sc, given in spanned
        if given >= MAJOR_MIN_POSTS and given >= MAJOR_SHARE * (cum[sc.last + 1] - cum[sc.first])
    ]
    covered = np.zeros(days, dtype=bool)
    for sc, _ in spanned:
        covered |= sc.span(days)
    holes = np.zeros(days, dtype=bool)
    for sc in major:
        holes |= sc.missing(days)
    covered &= ~holes
    segments = _segments(covered, [sc.span(days) for sc in major])
    found = np.flatnonzero(covered)
    opened = bool(found.size) and any(
        sc.rule == "collection" and sc.start == found[0] for sc, _ in spanned
    )
    return SeriesCoverage(covered, segments, _no_data(covered, major), holes, opened)


def _segments(covered: Bools, spans: list[Bools]) -> tuple[tuple[int, int], ...]:
    """Stretches where the same major sources collect, trimmed to their covered days."""
    days = covered.size
    cuts = [0, days]
    if spans:
        matrix = np.vstack(spans)
        cuts += [int(i) + 1 for i in np.flatnonzero(np.any(matrix[:, 1:] != matrix[:, :-1], 0))]
    out = []
    for start, end in zip(sorted(set(cuts))[:-1], sorted(set(cuts))[1:], strict=True):
        inside = np.flatnonzero(covered[start:end])
        if inside.size:
            out.append((start + int(inside[0]), start + int(inside[-1]) + 1))
    return tuple(out)


def _no_data(covered: Bools, major: list[SourceCoverage]) -> tuple[NoData, ...]:
    found = np.flatnonzero(covered)
    if found.size == 0:
        return ()
    inside = ~covered[found[0] : found[-1] + 1]
    edges = np.flatnonzero(np.diff(np.concatenate(([False], inside, [False])).astype(np.int8)))
    out = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        first, last = int(found[0] + a), int(found[0] + b - 1)
        out.append(NoData(first, last, _why(first, last, major)))
    return tuple(out)


def _why(first: int, last: int, major: list[SourceCoverage]) -> str:
    for sc in major:
        if sc.first <= first and last < sc.start:
            return f"{sc.name} was still collecting thinly"
        if any(a <= first and last <= b for a, b in sc.gaps):
            return f"collection gap in {sc.name}"
    return "no source was collecting"
