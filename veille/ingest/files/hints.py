"""What to try when much of a file went to quarantine, read from the reasons given.

The reasons are the readers' own words ("9 fields where the header has 8", "unreadable date
'31/02/16'", "... bytes did not decode"); the hint names the option that most likely helps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["quarantine_hint"]

_WIDTH = re.compile(r"^(\d+) fields where the header has (\d+)")


def quarantine_hint(reasons: Iterable[tuple[str, int]]) -> str | None:
    """A hint for the commonest kind of reason among ``(reason, count)`` pairs, if one helps."""
    wider = narrower = dates = decoding = 0
    for reason, count in reasons:
        width = _WIDTH.match(reason)
        if width:
            if int(width.group(1)) > int(width.group(2)):
                wider += count
            else:
                narrower += count
        elif "date" in reason:
            dates += count
        elif "decode" in reason:
            decoding += count
    kinds = {
        "wider": wider,
        "narrower": narrower,
        "dates": dates,
        "decoding": decoding,
    }
    commonest = max(kinds, key=lambda kind: kinds[kind])
    if not kinds[commonest]:
        return None
    return {
        "wider": "most rejected rows are wider than the header: the quote character or the "
        "delimiter may be wrong; try --quote or --delimiter",
        "narrower": "most rejected rows are narrower than the header: records may span lines "
        "under another quote character, or the delimiter may be wrong; try --quote or "
        "--delimiter",
        "dates": "most rejected rows have a time that could not be read: check --map time=COLUMN "
        "and --date-order",
        "decoding": "bytes did not decode: the encoding may be wrong; try --encoding",
    }[commonest]
