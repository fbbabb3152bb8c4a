"""Article titles without the site names and dates glued to them ("X | DW | 23.05.2011").

Internal helper of ``veille.ingest.news.reader``: not a stable API.
"""

from __future__ import annotations

import re

from veille.ingest.news.article_dates import TEXT_DATES

__all__ = ["clean_title", "site_keys_of"]

# (?<!\s): a match starts where a run of blanks does, so a long run is scanned once, not once
# from each of its characters (quadratic); [^()] stops a search at the next bracket.
_TITLE_SEPARATOR = re.compile(r"(?<!\s)\s+[|–—-]\s+")
_PARENTHESISED = re.compile(r"(?<!\s)\s*\([^()]*\)")


def site_keys_of(*names: str | None) -> set[str]:
    """Case-folded forms a site goes by: names without "(www.x.com)", domains and their stem."""
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        folded = _PARENTHESISED.sub("", name).strip().casefold()
        keys.update({folded, folded.removeprefix("www.")})
        if "." in folded and " " not in folded:
            keys.add(folded.removeprefix("www.").split(".", 1)[0])
    keys.discard("")
    return keys


def clean_title(title: str, site_keys: set[str]) -> str:
    """Drop site names and dates glued to a title ("X | DW | 23.05.2011" -> "X")."""

    def junk(part: str) -> bool:
        folded = part.strip().casefold()
        return folded in site_keys or any(pattern.fullmatch(part.strip()) for pattern in TEXT_DATES)

    # The separators are found once and parts dropped from either end: searching again after
    # each drop was quadratic in a title of many parts.
    separators = list(_TITLE_SEPARATOR.finditer(title))
    first, last = 0, len(separators)  # the title runs from after separator first-1 to before last
    while first < last:
        start = separators[first - 1].end() if first else 0
        end = separators[last].start() if last < len(separators) else len(title)
        if junk(title[separators[last - 1].end() : end]):
            last -= 1
        elif junk(title[start : separators[first].start()]):
            first += 1
        else:
            break
    start = separators[first - 1].end() if first else 0
    end = separators[last].start() if last < len(separators) else len(title)
    return title[start:end]
