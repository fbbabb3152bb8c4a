"""Case text becomes HTML with only veille's own marks as markup, whatever it holds."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from veille.web.highlight import Span, fold, mark_spans, mark_words

_MARK = re.compile(r'<mark class="[a-z\- ]+" title="[^"<>]*">|</mark>')


def _plain(markup: str) -> str:
    return html.unescape(_MARK.sub("", markup))


def test_facts_are_marked_at_their_offsets_and_overlaps_keep_both() -> None:
    text = "Daech à Mossoul"
    marked = mark_spans(text, [Span(0, 5, "entity", "ISIS"), Span(8, 15, "place", "Mosul"),
                               Span(8, 15, "entity", "x")])  # fmt: skip
    assert str(marked) == (
        '<mark class="fact-entity" title="ISIS">Daech</mark> à '
        '<mark class="fact-entity fact-place" title="Mosul; x">Mossoul</mark>'
    )


def test_spans_outside_the_text_are_ignored() -> None:
    assert str(mark_spans("abc", [Span(2, 9, "place", "x"), Span(-1, 1, "place", "y")])) == "abc"


def test_searched_words_are_found_folded_in_any_script() -> None:
    marked = str(mark_words("État de Mossoul — الموصل", ["etat", "الموصل"]))
    assert marked.count("<mark") == 2
    assert fold("ÉTAT") == "etat"


hostile = st.text(alphabet=st.sampled_from(list("<>&\"' a/=scriptonerr()Mosul")), max_size=60)


@given(
    text=hostile, spans=st.lists(st.tuples(st.integers(-3, 70), st.integers(-3, 70)), max_size=5)
)
def test_no_markup_but_the_marks_and_no_text_lost(text: str, spans: list[tuple[int, int]]) -> None:
    title = '"><script>alert(1)</script>'
    marked = str(mark_spans(text, [Span(a, b, "place", title) for a, b in spans]))
    assert "<script" not in marked
    assert re.sub(r"<[^>]*>", "", _MARK.sub("", marked)).count("<") == 0
    assert _plain(marked) == text


@given(text=hostile, word=st.sampled_from(["mosul", "script", "onerror"]))
def test_marked_words_keep_the_text_whole_and_escaped(text: str, word: str) -> None:
    marked = str(mark_words(text, [word]))
    assert "<script" not in marked
    assert "<a" not in marked
    assert _plain(marked) == text
