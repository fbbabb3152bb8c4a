"""find_links on any text: never raises, spans point at their values, whitespace only shifts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.property.reader_settings import SETTINGS
from veille.enrich.links import LINK_KINDS, LinkFact, find_links

# find_links is cheap and pure: more examples than the readers' file-writing tests afford.
LINK_SETTINGS = settings(SETTINGS, max_examples=400)

# Pieces that reach every branch: schemes, bare hosts, brackets, trailing punctuation, IDNA
# hosts, ports, tracking parameters, tags, handles, e-mail parts, phone prefixes, direction marks.
PIECES = (
    "https://", "http://", "tg://", "www.", "t.me/", "telegram.me/", "chat.whatsapp.com/",
    "wa.me/", "bit.ly/", "joinchat/", "+", "s/", "resolve?domain=", "join?invite=", "example",
    "Exémple", "مثال", ".com", ".عراق", ".", ":", ":443", ":8o", "/", "?", "&", "=", "utm_source",
    "si", "#", "#!", "＃", "@", "&#39;", "C#", "(", ")", "[", "]", "»", "«", "،", "۔", "…", "'",
    '"', " ", "\n", "\u200f", "\u200c", "\u0651", "00", "964", "770", "33 6 12 34 56 78",
    "٩٦٤", "1234567", "_", "a", "Z", "الموصل", "Новости", "..", "%2B",
)  # fmt: skip
POSTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30).map("".join),
)
SPACE = st.text(st.sampled_from(" \t\n\r\u00a0"), max_size=4)


def check_facts(text: str, facts: list[LinkFact]) -> None:
    previous_end = 0
    for fact in facts:
        assert 0 <= fact.start < fact.end <= len(text)
        assert text[fact.start : fact.end] == fact.value
        assert fact.start >= previous_end, "sorted by start and non-overlapping"
        previous_end = fact.end
        assert fact.kind in LINK_KINDS
        assert fact.normalized
        if fact.domain is not None:
            assert fact.domain == fact.domain.lower()
            assert not fact.domain.startswith("www.") or fact.domain.count(".") == 1


@LINK_SETTINGS
@given(text=POSTS)
def test_spans_point_at_values(text: str) -> None:
    check_facts(text, find_links(text))


@LINK_SETTINGS
@given(text=POSTS, before=SPACE, after=SPACE)
def test_surrounding_whitespace_only_shifts_offsets(text: str, before: str, after: str) -> None:
    shift = len(before)
    shifted = [
        LinkFact(f.kind, f.start + shift, f.end + shift, f.value, f.normalized, f.domain, f.target)
        for f in find_links(text)
    ]
    assert find_links(before + text + after) == shifted


USERNAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{4,31}", fullmatch=True)


@LINK_SETTINGS
@given(
    name=USERNAMES,
    form=st.sampled_from(
        ["https://t.me/{}", "t.me/s/{}", "telegram.me/{}/12", "tg://resolve?domain={}"]
    ),
    end=st.sampled_from(["", ".", ",", "!", ")", "،", "…", " suite"]),
)
def test_telegram_channel_links_name_their_channel(name: str, form: str, end: str) -> None:
    link = form.format(name)
    facts = find_links(f"قناة {link}{end}")
    assert [(f.kind, f.value, f.target) for f in facts] == [("telegram", link, name.casefold())]
