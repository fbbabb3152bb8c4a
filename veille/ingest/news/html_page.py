"""An HTML article page apart from trafilatura's extraction: its text, its tree, its own facts.

Internal helper of ``veille.ingest.news.reader``: not a stable API.

The page is decoded by its declared charset when that decodes it, parsed with text nodes
whole, and read for what its markup declares (language, canonical URL, publisher, byline);
``nesting_cost`` tells whether trafilatura's fallback extractors can afford it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from veille.ingest.common.textfile import SAMPLE_SIZE, detect_encoding
from veille.ingest.news.boilerplate import byline_names

__all__ = [
    "decode_html",
    "domain_of",
    "load_tree",
    "nesting_cost",
    "page_facts",
    "primary_language",
]

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I
)
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


def decode_html(data: bytes) -> tuple[str, str, int]:
    """The page as text: its declared charset if it decodes, else the detected encoding."""
    detected = detect_encoding(data[:SAMPLE_SIZE])
    candidates = []
    # A byte-order mark or UTF-16's NUL pattern outranks a declaration written inside the page.
    if detected.startswith(("utf-16", "utf-32")) or detected == "utf-8-sig":
        candidates.append(detected)
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        candidates.append(declared.group(1).decode("ascii").lower())
    candidates.append(detected)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding, 0
        except (UnicodeDecodeError, LookupError):
            continue
    text = data.decode(detected, errors="replace")
    return text, detected, text.count("\ufffd")


def primary_language(value: object) -> str | None:
    """The primary subtag of a language tag ("fr-FR" -> "fr"); None for anything else."""
    if not isinstance(value, str):
        return None
    match = _LANG.match(value.strip())
    return match.group(1).lower() if match else None


def _first(tree: Any, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def page_facts(tree: Any) -> dict[str, str | None]:
    """Declared language, canonical URL, site and publisher names, read before extraction."""
    lang = (
        primary_language(tree.get("lang"))
        or primary_language(tree.get("{http://www.w3.org/XML/1998/namespace}lang"))
        or primary_language(_first(tree, "//meta[@property='og:locale']/@content"))
        or primary_language(
            _first(tree, "//meta[@http-equiv='content-language' or @name='language']/@content")
        )
    )
    return {
        "lang": lang,
        "canonical": _first(tree, "//link[@rel='canonical']/@href")
        or _first(tree, "//meta[@property='og:url']/@content"),
        "publisher": _first(tree, "//meta[@name='publisher']/@content"),
        "byline": _page_byline(tree),
    }


def _page_byline(tree: Any) -> str | None:
    """The first short text of the page that reads as a byline ("Auteur : Kossivi Tiassou")."""
    for node in tree.xpath("//body//text()[string-length(normalize-space(.)) < 80]"):
        parent = node.getparent()
        if parent is None or parent.tag in {"script", "style", "noscript"}:
            continue
        if byline_names(str(node)) is not None:
            return str(node).strip()
    return None


def domain_of(url: str | None) -> str | None:
    """The host ``url`` names, without "www."; None without a dotted host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def nesting_cost(tree: Any) -> int:
    """Elements times their greatest depth: what justext's paragraph paths cost, in one pass."""
    elements, deepest = 0, 0
    stack = [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        elements += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return elements * deepest


def load_tree(text: str) -> Any:
    """The page's tree, text nodes whole: lxml cuts any text over 10 MB without ``huge_tree``
    (a 50 MB paragraph became a 216-character article), which trafilatura's own parser lacks."""
    from lxml.etree import ParserError
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        return fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (ParserError, ValueError):
        return None
