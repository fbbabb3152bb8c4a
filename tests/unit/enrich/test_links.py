"""Links and typed identifiers in post text: each case is a post and the facts expected in it."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from veille.enrich import links
from veille.enrich.links import LINK_KINDS, LinkFact, find_links

# (kind, value, normalized, domain, target), in text order.
Row = tuple[str, str, str, str | None, str | None]

CASES: dict[str, tuple[str, list[Row]]] = {
    "french post with telegram invitations": (
        "Communiqué : rejoignez https://t.me/+AbCdEf123_x et t.me/joinchat/XyZ123.",
        [
            ("telegram", "https://t.me/+AbCdEf123_x", "https://t.me/+AbCdEf123_x", "t.me",
             "+AbCdEf123_x"),
            ("telegram", "t.me/joinchat/XyZ123", "https://t.me/joinchat/XyZ123", "t.me",
             "+XyZ123"),
        ],
    ),
    "english post, tracking parameters and fragment dropped": (
        "Follow @Amaq_Agency, see https://www.Example.com/News?utm_source=tw&id=3&fbclid=abc#top!",
        [
            ("mention", "@Amaq_Agency", "amaq_agency", None, None),
            ("url", "https://www.Example.com/News?utm_source=tw&id=3&fbclid=abc#top",
             "https://www.example.com/News?id=3", "example.com", None),
        ],
    ),
    "every tracking parameter, in any case": (
        "HTTPS://youtu.be/abc?si=XyZ&t=42 https://x.org/p?gclid=1&igshid=2&UTM_Campaign=3",
        [
            ("url", "HTTPS://youtu.be/abc?si=XyZ&t=42", "https://youtu.be/abc?t=42", "youtu.be",
             None),
            ("url", "https://x.org/p?gclid=1&igshid=2&UTM_Campaign=3", "https://x.org/p", "x.org",
             None),
        ],
    ),
    "arabic post: the arabic comma ends the link": (
        "انضموا إلى قناتنا https://t.me/Mosul_News، #الموصل",
        [
            ("telegram", "https://t.me/Mosul_News", "https://t.me/Mosul_News", "t.me",
             "mosul_news"),
            ("hashtag", "#الموصل", "الموصل", None, None),
        ],
    ),
    "url inside arabic text, between direction marks": (
        "الرابط\u200f https://example.org/بيان\u200f هنا. وأيضا www.example.org/صفحة۔",
        [
            ("url", "https://example.org/بيان", "https://example.org/بيان", "example.org", None),
            ("url", "www.example.org/صفحة", "https://www.example.org/صفحة", "example.org", None),
        ],
    ),
    "arabic letters glued to a bare link": (
        "الرابطt.me/foo_channel",
        [("telegram", "t.me/foo_channel", "https://t.me/foo_channel", "t.me", "foo_channel")],
    ),
    "trailing punctuation is not part of the url": (
        "(voir https://example.com/a). « https://example.com/b » 'https://example.com/c'? "
        "https://example.com/d…",
        [
            ("url", "https://example.com/a", "https://example.com/a", "example.com", None),
            ("url", "https://example.com/b", "https://example.com/b", "example.com", None),
            ("url", "https://example.com/c", "https://example.com/c", "example.com", None),
            ("url", "https://example.com/d", "https://example.com/d", "example.com", None),
        ],
    ),
    "balanced parentheses are part of the url": (
        "Voir (https://fr.wikipedia.org/wiki/Mossoul_(ville)) et [lien](https://x.com/y).",
        [
            ("url", "https://fr.wikipedia.org/wiki/Mossoul_(ville)",
             "https://fr.wikipedia.org/wiki/Mossoul_(ville)", "fr.wikipedia.org", None),
            ("url", "https://x.com/y", "https://x.com/y", "x.com", None),
        ],
    ),
    "not hashtags: C#, html entities, numbers": (
        "I code in C# &#39;quoted&#39; &#x27; #123 #2024 #٢٠٢٤ but #1er is one",
        [("hashtag", "#1er", "1er", None, None)],
    ),
    "hashtags in several scripts": (
        "#Kobané #KOBANÊ #Новости #الْمَوْصِل #جمهوری‌اسلامی #Kobane\u0301 ＃Raqqa #a_1",
        [
            ("hashtag", "#Kobané", "kobané", None, None),
            ("hashtag", "#KOBANÊ", "kobanê", None, None),
            ("hashtag", "#Новости", "новости", None, None),
            ("hashtag", "#الْمَوْصِل", "الْمَوْصِل", None, None),
            ("hashtag", "#جمهوری‌اسلامی", "جمهوری‌اسلامی", None, None),
            ("hashtag", "#Kobane\u0301", "kobané", None, None),
            ("hashtag", "＃Raqqa", "raqqa", None, None),
            ("hashtag", "#a_1", "a_1", None, None),
        ],
    ),
    "emails are not mentions": (
        "Écrire à Contact.Presse@Exemple.FR ou @exemple; pas user@localhost",
        [
            ("email", "Contact.Presse@Exemple.FR", "Contact.Presse@exemple.fr", "exemple.fr", None),
            ("mention", "@exemple", "exemple", None, None),
        ],
    ),
    "mentions: at most 32 characters, not after a word": (
        "@" + "a" * 32 + " @" + "b" * 33 + " x@y @_",
        [("mention", "@" + "a" * 32, "a" * 32, None, None), ("mention", "@_", "_", None, None)],
    ),
    "an address on www. is an email, not a url": (
        "name@www.site.fr www.site@gmail.com",
        [
            ("email", "name@www.site.fr", "name@www.site.fr", "site.fr", None),
            ("email", "www.site@gmail.com", "www.site@gmail.com", "gmail.com", None),
        ],
    ),
    "telegram forms": (
        "https://t.me/s/IslamicNews/123 telegram.me/Some_Channel t.me/Name/45?single "
        "https://t.me/c/1234/56 https://mosul.t.me/ t.me/addstickers/Pack t.me/+33612345678",
        [
            ("telegram", "https://t.me/s/IslamicNews/123", "https://t.me/s/IslamicNews/123",
             "t.me", "islamicnews"),
            ("telegram", "telegram.me/Some_Channel", "https://telegram.me/Some_Channel",
             "telegram.me", "some_channel"),
            ("telegram", "t.me/Name/45?single", "https://t.me/Name/45?single", "t.me", "name"),
            ("telegram", "https://t.me/c/1234/56", "https://t.me/c/1234/56", "t.me", None),
            ("telegram", "https://mosul.t.me/", "https://mosul.t.me/", "mosul.t.me", "mosul"),
            ("telegram", "t.me/addstickers/Pack", "https://t.me/addstickers/Pack", "t.me", None),
            ("telegram", "t.me/+33612345678", "https://t.me/+33612345678", "t.me",
             "+33612345678"),
        ],
    ),
    "tg: links": (
        "tg://resolve?domain=Some_Channel&post=3 TG://join?invite=AbC-12_x tg://settings",
        [
            ("telegram", "tg://resolve?domain=Some_Channel&post=3",
             "tg://resolve?domain=Some_Channel&post=3", None, "some_channel"),
            ("telegram", "TG://join?invite=AbC-12_x", "tg://join?invite=AbC-12_x", None,
             "+AbC-12_x"),
            ("telegram", "tg://settings", "tg://settings", None, None),
        ],
    ),
    "whatsapp forms": (
        "https://chat.whatsapp.com/AbC123xyz، wa.me/33612345678 "
        "https://wa.me/+9647701234567?text=hi "
        "wa.me/message/ABCDEF https://api.whatsapp.com/send?phone=%2B33%206%2012%2034%2056%2078 "
        "https://www.whatsapp.com/channel/0029VaABC",
        [
            ("whatsapp", "https://chat.whatsapp.com/AbC123xyz",
             "https://chat.whatsapp.com/AbC123xyz", "chat.whatsapp.com", "AbC123xyz"),
            ("whatsapp", "wa.me/33612345678", "https://wa.me/33612345678", "wa.me",
             "+33612345678"),
            ("whatsapp", "https://wa.me/+9647701234567?text=hi",
             "https://wa.me/+9647701234567?text=hi", "wa.me", "+9647701234567"),
            ("whatsapp", "wa.me/message/ABCDEF", "https://wa.me/message/ABCDEF", "wa.me", None),
            ("whatsapp", "https://api.whatsapp.com/send?phone=%2B33%206%2012%2034%2056%2078",
             "https://api.whatsapp.com/send?phone=%2B33%206%2012%2034%2056%2078",
             "api.whatsapp.com", "+33612345678"),
            ("whatsapp", "https://www.whatsapp.com/channel/0029VaABC",
             "https://www.whatsapp.com/channel/0029VaABC", "whatsapp.com", "0029VaABC"),
        ],
    ),
    "host lower-cased and IDNA-encoded, default port dropped, path as written": (
        "https://Exémple.FR:443/Été http://x.com:80/A http://x.com:443/ https://x.com:8080 "
        "http://مثال.عراق/صفحة؟",
        [
            ("url", "https://Exémple.FR:443/Été", "https://xn--exmple-cva.fr/Été",
             "xn--exmple-cva.fr", None),
            ("url", "http://x.com:80/A", "http://x.com/A", "x.com", None),
            ("url", "http://x.com:443/", "http://x.com:443/", "x.com", None),
            ("url", "https://x.com:8080", "https://x.com:8080", "x.com", None),
            ("url", "http://مثال.عراق/صفحة", "http://xn--mgbh0fb.xn--mgbtx2b/صفحة",
             "xn--mgbh0fb.xn--mgbtx2b", None),
        ],
    ),
    "the host is what follows the user name": (
        "https://t.me@evil.example/x http://[2001:DB8::1]:8080/a",
        [
            ("url", "https://t.me@evil.example/x", "https://t.me@evil.example/x", "evil.example",
             None),
            ("url", "http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a", "[2001:db8::1]",
             None),
        ],
    ),
    "old twitter hashbang keeps its fragment": (
        "https://twitter.com/#!/SomeUser",
        [("url", "https://twitter.com/#!/SomeUser", "https://twitter.com/#!/SomeUser",
          "twitter.com", None)],
    ),
    "not urls": (
        "https:// www. abct.me/foo https://.. http://x..y/ https://[::1 https://x.com:8o/",
        [],
    ),
    "phones: Iraqi and French, international forms only": (
        "اتصل على +964 770 123 4567 أو 00964 750 123 4567 ou au +33 6 12 34 56 78, "
        "pas au 06 12 34 56 78",
        [
            ("phone", "+964 770 123 4567", "+9647701234567", None, None),
            ("phone", "00964 750 123 4567", "+9647501234567", None, None),
            ("phone", "+33 6 12 34 56 78", "+33612345678", None, None),
        ],
    ),
    "phones in arabic-indic digits": (
        "للتواصل +٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧",
        [("phone", "+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧", "+9647701234567", None, None)],
    ),
    "no phone inside a url": (
        "https://example.com/call/+33612345678 https://example.com/?tel=00964%20770",
        [
            ("url", "https://example.com/call/+33612345678",
             "https://example.com/call/+33612345678", "example.com", None),
            ("url", "https://example.com/?tel=00964%20770", "https://example.com/?tel=00964%20770",
             "example.com", None),
        ],
    ),
    "overlapping candidates: the url wins": (
        "https://example.com/page#section https://medium.com/@user "
        "https://example.com/?mail=a@b.com #tag",
        [
            ("url", "https://example.com/page#section", "https://example.com/page", "example.com",
             None),
            ("url", "https://medium.com/@user", "https://medium.com/@user", "medium.com", None),
            ("url", "https://example.com/?mail=a@b.com", "https://example.com/?mail=a@b.com",
             "example.com", None),
            ("hashtag", "#tag", "tag", None, None),
        ],
    ),
    "a whatsapp account id is a phone, not an email": (
        "+33612345678@s.whatsapp.net",
        [("phone", "+33612345678", "+33612345678", None, None)],
    ),
}  # fmt: skip


def rows(text: str) -> list[Row]:
    return [(f.kind, f.value, f.normalized, f.domain, f.target) for f in find_links(text)]


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=list(CASES))
def test_cases(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=list(CASES))
def test_offsets_point_at_the_value(text: str, expected: list[Row]) -> None:
    cursor = 0
    for fact in find_links(text):
        start = text.index(fact.value, cursor)
        assert (fact.start, fact.end) == (start, start + len(fact.value))
        cursor = fact.end


def test_offsets_in_arabic_text() -> None:
    text = "قناة #الموصل على t.me/Mosul"
    assert [(f.start, f.end) for f in find_links(text)] == [(5, 12), (17, 27)]


def test_every_kind_is_declared() -> None:
    text = "https://x.org #a @b t.me/channel wa.me/33612345678 a@b.org +33 6 12 34 56 78"
    assert {fact.kind for fact in find_links(text)} == set(LINK_KINDS)
    assert len(LINK_KINDS) == len(set(LINK_KINDS)) == 7


def test_public_api() -> None:
    assert sorted(links.__all__) == ["LINK_KINDS", "LinkFact", "VERSION", "find_links"]
    assert isinstance(links.VERSION, int)
    assert links.VERSION >= 1


def test_facts_are_frozen() -> None:
    fact = find_links("#tag")[0]
    assert fact == LinkFact("hashtag", 0, 4, "#tag", "tag", None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.start = 1  # type: ignore[misc]


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("find_links opened a connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(find_links("https://bit.ly/x t.me/+abc https://Exémple.fr wa.me/33612345678")) == 4


def test_hostile_input_stays_linear() -> None:
    # Inputs that make naive patterns backtrack; each must finish (the run time is in bench/).
    for text in (
        "a@" + "b." * 20_000 + "_",
        "https://x.com/" + ")" * 50_000,
        "#" * 50_000,
        "www." * 20_000,
        "+1 " * 5_000,
    ):
        for fact in find_links(text):
            assert text[fact.start : fact.end] == fact.value
