"""The Twitter side as a scraped table, in the layout of the "How ISIS uses Twitter" dataset.

Columns ``name,username,description,location,followers,numberstatuses,time,tweets``; rows are
grouped by account (scrapers collect one timeline after another), oldest first; ``time`` is
UTC, month-first without leading zeros (``1/6/2015 21:07``).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from veille.demo.activity import Draft
from veille.demo.output import BadRecord, FileReport, write_bytes
from veille.demo.textgen import join_plain

__all__ = ["csv_time", "write_tweets_csv"]

HEADER = ("name", "username", "description", "location", "followers", "numberstatuses", "time",
          "tweets")  # fmt: skip
# Broken rows planted for the quarantine, after the row of the n-th tweet (of the whole file).
_BAD_TIMES = (
    ("2/30/2016 14:05", "impossible date: 30 February (month-first like the rest of the column)"),
    ("#VALUE!", "spreadsheet error instead of a date"),
)


def csv_time(moment: datetime) -> str:
    """How the scraper writes a UTC moment: ``1/6/2015 21:07``."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment.minute:02d}"


def write_tweets_csv(folder: Path, relative: str, drafts: list[Draft]) -> FileReport:
    """Write the tweets of ``drafts`` to ``folder/relative``."""
    ordered = sorted(drafts, key=lambda d: ((d.author.twitter or "").casefold(), d.at))
    bad_after = {len(ordered) // 3: _BAD_TIMES[0], (2 * len(ordered)) // 3: _BAD_TIMES[1]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    report = FileReport(relative, "tweets-csv", records=0, zone="UTC")
    counters: dict[str, int] = {}
    for index, draft in enumerate(ordered):
        author = draft.author
        counters[author.id] = counters.get(author.id, 0) + 1
        row = [
            author.name,
            author.twitter,
            author.description,
            author.location,
            author.followers,
            author.statuses + counters[author.id],
            csv_time(draft.at),
            join_plain(draft.parts),
        ]
        writer.writerow(row)
        report.records += 1
        report.interactions += len(draft.interactions)
        if index in bad_after:
            value, reason = bad_after[index]
            line = buffer.getvalue().count("\n") + 1
            writer.writerow([*row[:6], value, row[7]])
            report.bad.append(
                BadRecord(relative, f"line {line}", f'{reason}: "{value}"; row quarantined')
            )
    write_bytes(folder / relative, buffer.getvalue().encode("utf-8"))
    return report
