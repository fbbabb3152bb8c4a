"""Links and typed identifiers in post text, with their character offsets.

Kinds: URLs, Telegram and WhatsApp links (which name the chat they lead to, for following
audiences from one channel to another), hashtags, mentions, e-mail addresses, phone numbers.

Text is hostile data: nothing here fetches, resolves or opens anything. Candidates are taken in
order of trust, each kind only where no earlier kind already stands: URLs first (so a ``#`` in
a fragment or a ``+33…`` in a path is not reported again), then e-mail addresses, phone numbers,
and last hashtags and mentions. Every fact satisfies ``text[start:end] == value``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

from veille.enrich.phones import e164_digits, find_phones, may_hold_phone

__all__ = ["LINK_KINDS", "VERSION", "LinkFact", "find_links"]

VERSION = 1  # bump when the output for some text changes
LINK_KINDS: tuple[str, ...] = (
    "url", "hashtag", "mention", "telegram", "whatsapp", "email", "phone",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LinkFact:
    """One link or identifier at ``text[start:end]``, as written and in canonical form."""

    kind: str  # one of LINK_KINDS
    start: int
    end: int
    value: str  # exactly as written: text[start:end]
    normalized: str
    domain: str | None  # lower-case host without "www." (url, telegram, whatsapp, email); tg: None
    # telegram: casefolded username, or "+hash" for an invitation (t.me/+33…: the phone number);
    # whatsapp: group invite code, channel id, or "+E.164" for wa.me; None when the link names none.
    target: str | None


# Where a URL ends: spaces and controls, angle brackets and quotes, zero-width and direction
# marks (Arabic text wraps Latin URLs in them).
_STOP = '\\x00-\\x20\\x7f<>"«»\\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff'
# Hosts recognized without a scheme or "www.": messaging invitations and URL shorteners.
_BARE_HOSTS = (
    "t.me/", "telegram.me/", "telegram.dog/", "chat.whatsapp.com/", "wa.me/",
    "whatsapp.com/channel/", "signal.group/", "discord.gg/", "telegra.ph/", "justpaste.it/",
    "bit.ly/", "t.co/", "goo.gl/", "tinyurl.com/", "ow.ly/", "is.gd/", "buff.ly/", "cutt.ly/",
    "rb.gy/", "youtu.be/", "fb.me/",
)  # fmt: skip
_URL = re.compile(
    # The first-letter lookahead lets the scan skip most positions without trying each branch.
    "(?=[" + "".join(sorted({host[0] for host in _BARE_HOSTS} | set("htw"))) + "])"
    r"(?P<prefix>(?:https?|tg)://"
    # A bare URL starts a word: not "abct.me/", "x@www.y.fr" or "y.fr/www.z.fr".
    r"|(?<![A-Za-z0-9_@./\-])(?:www\.|" + "|".join(map(re.escape, _BARE_HOSTS)) + "))"
    rf"(?P<rest>[^{_STOP}]+)",
    re.IGNORECASE,
)
_WWW = re.compile(r"www\.", re.IGNORECASE)
# Stripped from a URL's end: sentence punctuation (Latin and Arabic), closing quotes, markdown
# emphasis. Closing brackets are stripped only when unbalanced within the URL.
_TRAILING = frozenset(".,;:!?»\"'’”…*،۔؛؟")
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_TRACKING = frozenset({"fbclid", "gclid", "igshid", "si"})  # and every utm_*
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
# t.me paths whose first segment is not a chat: stickers, proxies, private-post links...
_TELEGRAM_RESERVED = frozenset(
    {"c", "m", "share", "addstickers", "addemoji", "addtheme", "addlist", "setlanguage",
     "proxy", "socks", "iv", "login", "confirmphone", "bg", "invoice", "contact"}
)  # fmt: skip
# Telegram asks for 5 to 32 characters now; old, bot and auctioned names can be shorter.
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,63}")
_INVITE = re.compile(r"[A-Za-z0-9_\-]+")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]")  # in api.whatsapp.com/send?phone=…

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![\w\-])"
)


def _combining_marks() -> str:
    """Combining marks (Arabic harakat, Indic vowel signs...) as a regex class body: ``\\w``
    leaves them out, which would cut "#الْمَوْصِل" after its first letter."""
    ranges: list[list[int]] = []
    for code in range(0x0300, 0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


_MARKS = _combining_marks()
# Hashtags in any script, not after a word character or "&" (so neither "C#" nor "&#39;");
# zero-width (non-)joiners belong to Persian words. Mentions are Twitter/Telegram handles.
_TAG = re.compile(
    "(?=[#＃@])"  # as for _URL: most positions fail on the first character
    rf"(?<![\w&{_MARKS}])[#＃](?P<tag>(?:[\w{_MARKS}]|[\u200c\u200d](?=\w))+)"
    rf"|(?<![\w@{_MARKS}])@(?P<handle>[A-Za-z0-9_]{{1,32}})(?![A-Za-z0-9_])"
)


def find_links(text: str) -> list[LinkFact]:
    """Every link and identifier in ``text``, sorted by ``start``, never overlapping."""
    facts: list[LinkFact] = []
    # Each test below is a cheap scan that skips a costlier one on most posts.
    if "/" in text or _WWW.search(text):  # every URL form but "www.example.com" has a "/"
        facts.extend(_urls(text))
    if "@" in text and "." in text:
        _add_free(facts, _emails(text), text)
    if may_hold_phone(text):
        phones = (
            LinkFact("phone", s, e, text[s:e], e164, None, None) for s, e, e164 in find_phones(text)
        )
        _add_free(facts, phones, text)
    if "#" in text or "@" in text or "＃" in text:
        _add_free(facts, _tags(text), text)
    facts.sort(key=lambda fact: fact.start)
    return facts


def _add_free(facts: list[LinkFact], found: Iterable[LinkFact], text: str) -> None:
    """Append each fact of ``found`` that overlaps none already in ``facts``.

    Facts of one kind never overlap each other, so only the earlier kinds need checking.
    """
    if not facts:
        facts.extend(found)
        return
    taken = bytearray(len(text))  # 1 under every character an earlier fact covers
    for kept in facts:
        taken[kept.start : kept.end] = b"\x01" * (kept.end - kept.start)
    facts.extend(fact for fact in found if taken.find(1, fact.start, fact.end) == -1)


def _urls(text: str) -> Iterator[LinkFact]:
    for match in _URL.finditer(text):
        prefix = match.group("prefix")
        value = prefix + _trim(match.group("rest"))
        if len(value) == len(prefix):
            continue
        fact = _url_fact(value, match.start(), has_scheme=prefix.endswith("://"))
        if fact is not None:
            yield fact


def _trim(url: str) -> str:
    """``url`` without the punctuation that ends the sentence around it."""
    end = len(url)
    counts = {closer: (url.count(opener), url.count(closer)) for closer, opener in _CLOSERS.items()}
    while end:
        char = url[end - 1]
        if char in _CLOSERS:
            opened, closed = counts[char]
            if opened >= closed:  # balanced, as in wiki/Mossoul_(ville): part of the URL
                break
            counts[char] = (opened, closed - 1)
        elif char not in _TRAILING:
            break
        end -= 1
    return url[:end]


def _url_fact(value: str, start: int, has_scheme: bool) -> LinkFact | None:
    """The fact for URL ``value``, or None when it has no usable host."""
    try:
        parts = urlsplit(value if has_scheme else "https://" + value)
    except ValueError:  # an unclosed "[" (IPv6) or a netloc that NFKC-folds into "/?#@:"
        return None
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if at and not has_scheme:
        return None  # "www.name@mail.com" is an e-mail address, left to _emails
    host, port = _split_port(parts.scheme, hostport)
    if host is None or port is None:
        return None
    netloc = f"{userinfo}{at}{host}" + (f":{port}" if port else "")
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _tracking(pair))
    normalized = f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")
    if parts.fragment.startswith("!"):  # "twitter.com/#!/name": the fragment is the path
        normalized += f"#{parts.fragment}"
    end = start + len(value)
    if parts.scheme == "tg":
        target = _tg_target(parts)
        return LinkFact("telegram", start, end, value, normalized, None, target)
    if "." not in host and not host.startswith("["):
        return None  # "https://foo": a word after a scheme, not a reachable host
    domain = _without_www(host)
    kind, target = _classify(domain, parts)
    return LinkFact(kind, start, end, value, normalized, domain, target)


def _split_port(scheme: str, hostport: str) -> tuple[str | None, str | None]:
    """Lower-case IDNA host and the port to keep ("" for none or the default); None if bad."""
    if hostport.startswith("["):  # IPv6 literal
        host, _, port = hostport.partition("]")
        host += "]"
        if port and not port.startswith(":"):
            return None, None
        port = port[1:]
    else:
        host, _, port = hostport.partition(":")
        try:  # also rejects empty and over-long labels
            host = host.rstrip(".").lower().encode("idna").decode("ascii")
        except UnicodeError:
            return None, None
    if port and not (port.isascii() and port.isdigit()):
        return None, None
    if port == _DEFAULT_PORTS.get(scheme):
        port = ""
    return host.lower(), port


def _without_www(host: str) -> str:
    """``host`` without its "www." labels, unless they are the name itself ("www.com")."""
    while host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    return host


def _tracking(pair: str) -> bool:
    key = pair.partition("=")[0].lower()
    return key.startswith("utm_") or key in _TRACKING


def _classify(domain: str, parts: SplitResult) -> tuple[str, str | None]:
    """Kind and target of a URL on ``domain``: Telegram and WhatsApp links name a chat."""
    segments = [segment for segment in parts.path.split("/") if segment]
    if domain in _TELEGRAM_HOSTS:
        return "telegram", _telegram_target(segments)
    if domain.endswith(".t.me"):  # name.t.me is another form of t.me/name
        return "telegram", _username(domain.removesuffix(".t.me"))
    if domain == "chat.whatsapp.com":
        if segments[:1] == ["invite"]:
            segments = segments[1:]
        code = segments[0] if segments else None
        return "whatsapp", code if code and _INVITE.fullmatch(code) else None
    if domain == "wa.me":
        return "whatsapp", e164_digits(segments[0]) if segments else None
    if domain == "whatsapp.com" and segments[:1] == ["channel"]:
        return "whatsapp", segments[1] if len(segments) > 1 else None
    if domain in ("api.whatsapp.com", "web.whatsapp.com") and "phone" in parts.query:
        phone = _query_value(parts.query, "phone")
        return "whatsapp", e164_digits(_PHONE_PUNCTUATION.sub("", phone)) if phone else None
    return "url", None


def _telegram_target(segments: list[str]) -> str | None:
    """``+hash`` for an invitation (or ``t.me/+33…``, a phone link), else the username."""
    if not segments:
        return None
    first = segments[0]
    if first.startswith("+"):
        return first if _INVITE.fullmatch(first[1:]) else None
    head = first.lower()
    if head == "joinchat":
        return "+" + segments[1] if len(segments) > 1 and _INVITE.fullmatch(segments[1]) else None
    if head in ("s", "boost"):  # the web preview, and boosting a channel
        return _username(segments[1]) if len(segments) > 1 else None
    if head in _TELEGRAM_RESERVED:
        return None
    return _username(first)


def _tg_target(parts: SplitResult) -> str | None:
    """Target of ``tg://resolve?domain=name`` or ``tg://join?invite=hash``."""
    action = parts.netloc.lower()
    if action == "resolve":
        return _username(_query_value(parts.query, "domain") or "")
    invite = _query_value(parts.query, "invite") if action == "join" else None
    return "+" + invite if invite and _INVITE.fullmatch(invite) else None


def _username(name: str) -> str | None:
    return name.casefold() if _USERNAME.fullmatch(name) else None


def _query_value(query: str, key: str) -> str | None:
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name == key:
            return unquote(value)
    return None


def _emails(text: str) -> Iterator[LinkFact]:
    for match in _EMAIL.finditer(text):
        value = match.group()
        local, _, domain = value.rpartition("@")
        domain = domain.lower()
        yield LinkFact(
            "email", match.start(), match.end(), value, f"{local}@{domain}",
            _without_www(domain), None,
        )  # fmt: skip


def _tags(text: str) -> Iterator[LinkFact]:
    for match in _TAG.finditer(text):
        tag = match.group("tag")
        if tag is None:
            kind, name = "mention", match.group("handle")
        elif tag.isdigit():  # "#1", "#2024": a number, not a tag
            continue
        else:
            kind, name = "hashtag", tag
        normalized = (
            name.lower() if name.isascii() else unicodedata.normalize("NFC", name).casefold()
        )
        yield LinkFact(kind, match.start(), match.end(), match.group(), normalized, None, None)
