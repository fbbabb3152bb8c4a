"""Case text as safe HTML, with facts or searched words marked.

Everything from a case is hostile: each piece of text is escaped on its own and only the
``<mark>`` elements built here are markup. Offsets are Python code points, as the enrichers
store them; facts may overlap (an entity that is also a place), so the text is cut at every
fact's start and end and each piece is marked with every fact that covers it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Span", "fold", "mark_spans", "mark_words"]

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script, as the index splits them


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # entity | place | link | hashtag ...: the CSS class
    title: str  # shown on hover: what was found


def fold(word: str) -> str:
    """Lower case without accents: how the search index holds a word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def mark_spans(text: str, spans: Iterable[Span]) -> Markup:
    usable = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    pieces: list[str] = []
    for start, end in itertools.pairwise(cuts):
        covering = [s for s in usable if s.start <= start and end <= s.end]
        piece = escape(text[start:end])
        if not covering:
            pieces.append(piece)
            continue
        kinds = " ".join(sorted({f"fact-{s.kind}" for s in covering}))
        title = escape("; ".join(dict.fromkeys(s.title for s in covering)))
        pieces.append(f'<mark class="{kinds}" title="{title}">{piece}</mark>')
    return Markup("".join(pieces))


def mark_words(text: str, words: Sequence[str]) -> Markup:
    """``text`` with every word whose folded form is one of ``words`` marked."""
    wanted = set(words)
    if not wanted:
        return Markup(escape(text))
    spans = [
        Span(m.start(), m.end(), "match", "search")
        for m in _WORD.finditer(text)
        if fold(m.group()) in wanted
    ]
    return mark_spans(text, spans)
