"""Read one news article, saved as an HTML page or as plain text, into an outlet and a post.

HTML: trafilatura extracts the main text and the metadata (comments excluded; htmldate finds the
original publication date), from the decoded string only — nothing is ever fetched. The
extracted text then goes through ``boilerplate.separate`` without its structural cues, which
takes out what trafilatura leaves in (title repeated in the text, cookie banner, "Our
Standards" notice); those lines are kept in ``Post.boilerplate``.

Plain text: the first non-empty line is the title; ``boilerplate.separate`` splits the other
lines into body and boilerplate. Every non-empty line of the file ends up in the body or in the
boilerplate (the title line in the boilerplate, as it is the post's ``title``, not its body). A
short line holding a date ("14.06.2017", "Publié le 3 juin 2017") gives the publication date.

One file is one article: the provenance locator is "whole file" and ``raw`` is None (the file
is the fragment). The outlet is keyed by its domain (canonical URL, without "www."), else by the
site name its page or boilerplate shows, else by the name of the folder holding the file. A date
without a time is midnight in ``options.zone``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from veille.errors import InputError, MissingDependency
from veille.ingest.base import ReadOptions
from veille.ingest.common.dates import to_utc
from veille.ingest.common.edges import interaction, mentions_in
from veille.ingest.common.identity import actor_id, post_id
from veille.ingest.common.textfile import SAMPLE_SIZE, FileTooLarge, detect_encoding, read_text
from veille.ingest.news.article_dates import dated_line
from veille.ingest.news.article_meta import date_precision, is_placeholder, page_timestamp
from veille.ingest.news.boilerplate import Separation, byline_names, separate
from veille.ingest.news.html_page import (
    decode_html,
    domain_of,
    load_tree,
    nesting_cost,
    page_facts,
    primary_language,
)
from veille.ingest.news.titles import clean_title, site_keys_of
from veille.model import Actor, Note, Post, Provenance, Record

__all__ = ["NewsReader"]

# A saved page or article; anything bigger is not one article. Reading a page costs about 30
# times its size in memory (lxml's tree, trafilatura's copies): a page holding a 60 MB
# paragraph peaked at 1.9 GB, so this bound keeps one article under 2 GB.
_MAX_BYTES = 64 << 20
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAG = re.compile(r"<(?:html|article|p)[\s>]", re.IGNORECASE)
_CHAT_LINE = re.compile(r"^\s*\[?\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_PROSE_LINE = re.compile(r"\w[.!?…»\"”]\s|\w[.!?…»\"”]$")
_LOCATOR = "whole file"

# Characters of a page past which htmldate does not search its text for a date (its pattern
# search runs at about a second a megabyte; a 50 MB paragraph took over a minute).
_DATE_SEARCH_CHARS = 2_000_000
_FALLBACK_COST = 2_000_000  # elements x depth: a real page is under 100,000
_DATE_LINE_CHARS = 100
_DATE_LINE_WORDS = 10


def _too_large(size: int) -> str:
    return f"{size:,} bytes, over the limit of {_MAX_BYTES:,} for one article (page or text)"


def _libraries() -> tuple[ModuleType, ModuleType]:
    """trafilatura and its ``load_html``, imported only when an HTML page is read."""
    try:
        import trafilatura
        import trafilatura.utils
    except ImportError as error:
        raise MissingDependency(
            f"news: HTML pages need trafilatura, which cannot be imported ({error}); "
            "reinstall veille's dependencies (trafilatura's justext needs lxml_html_clean)"
        ) from error
    return trafilatura, trafilatura.utils


def _is_binary(data: bytes) -> bool:
    """Control bytes where text would be (UTF-16's NULs excepted)."""
    sample = data[:8192]
    if detect_encoding(sample).startswith(("utf-16", "utf-32")):
        return False
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return b"\x00" in sample or controls > len(sample) * 0.05


def _looks_like_html(head: str, suffix: str) -> bool:
    if _HTML_START.match(head):
        return True
    return suffix in _HTML_SUFFIXES and _HTML_TAG.search(head) is not None


def _looks_like_prose(head: str) -> bool:
    """Long lines ending sentences, and not a chat log (lines starting with a date)."""
    lines = [line for line in head.splitlines() if line.strip()]
    if not lines:
        return False
    if sum(1 for line in lines if _CHAT_LINE.match(line)) > len(lines) * 0.3:
        return False
    prose = [line for line in lines if len(line) >= 80 and _PROSE_LINE.search(line)]
    return len(prose) >= min(2, len(lines)) and sum(map(len, prose)) >= 0.5 * len(head.strip())


class NewsReader:
    """A news article page (HTML) or a news article copied as text, one article per file."""

    name: ClassVar[str] = "news"
    version: ClassVar[int] = 1

    def sniff(self, path: Path) -> int:
        """70 for an HTML page, 30 for a .txt file of prose, 0 otherwise (folders included)."""
        if not path.is_file():
            return 0
        try:
            with path.open("rb") as file:
                head_bytes = file.read(1 << 16)
        except OSError:
            return 0
        if not head_bytes.strip() or _is_binary(head_bytes):
            return 0
        head = head_bytes.decode(detect_encoding(head_bytes), errors="replace")
        suffix = path.suffix.lower()
        if _looks_like_html(head, suffix):
            return 70
        # Low on purpose: chat exports are .txt too, and their readers claim them with 90.
        return 30 if suffix == ".txt" and _looks_like_prose(head) else 0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield notes, the outlet, the article and any @mentions in it."""
        if path.is_dir():
            raise InputError(f"news: {path.name}: a folder; the news reader reads one file")
        try:
            with path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                data = file.read(_MAX_BYTES + 1) if size <= _MAX_BYTES else b""
        except OSError as error:
            raise InputError(f"news: {path.name}: cannot be read ({error.strerror})") from error
        if size > _MAX_BYTES or len(data) > _MAX_BYTES:  # too large, or grew while read
            raise InputError(f"news: {path.name}: {_too_large(max(size, len(data)))}")
        if not data.strip():
            raise InputError(f"news: {path.name}: empty file")
        if _is_binary(data):
            raise InputError(f"news: {path.name}: binary content, not an article page or text")
        head = data[:SAMPLE_SIZE].decode(detect_encoding(data[:SAMPLE_SIZE]), errors="replace")
        if _looks_like_html(head, path.suffix.lower()):
            yield from _HtmlArticle(path, data, options).records()
        elif path.suffix.lower() in _HTML_SUFFIXES:
            raise InputError(f"news: {path.name}: named {path.suffix} but holds no HTML markup")
        else:
            yield from _TextArticle(path, options).records()


class _Article:
    """Internal helper: what both kinds of article share once read; not a stable API."""

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path = path
        self.options = options
        self.notes: list[str] = []
        self.provenance = Provenance(_LOCATOR)
        self.published: dict[str, str] = {}  # a publication month or year without a day

    def note(self, text: str) -> None:
        """Keep a note for the user, yielded before the records."""
        self.notes.append(f"news: {self.path.name}: {text}")

    def emit(
        self,
        *,
        outlet_key: str,
        outlet_name: str | None,
        separation: Separation,
        title: str | None,
        url: str | None,
        day: datetime | None,
        lang: str | None,
        extra: dict[str, Any],
    ) -> Iterator[Record]:
        """The notes, the outlet, the article post, then the @mentions in its body."""
        body = separation.body
        if not body:
            self.note("no article body found, only a title and boilerplate")
        at, offset = to_utc(day, self.options.zone) if day else (None, None)
        outlet = actor_id("web", outlet_key)
        # Without a URL the body's hash is the key; an article with no body is keyed by
        # everything that was read, so that two title-only files stay two posts.
        content = body or "\n".join(line.text for line in separation.lines)
        article = post_id(
            "web", url or "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()
        )
        for text in self.notes:
            yield Note(text)
        yield Actor(outlet, "web", "outlet", self.provenance, name=outlet_name or outlet_key)
        yield Post(
            id=article,
            platform="web",
            kind="article",
            provenance=self.provenance,
            text=body,
            author_id=outlet,
            posted_at=at,
            utc_offset_min=offset,
            title=title or None,
            url=url,
            lang_hint=lang,
            boilerplate=separation.boilerplate,
            extra={key: value for key, value in extra.items() if value},
        )
        for handle in mentions_in(body):
            # The platform behind an @handle in an article is not known: "web" keeps it apart.
            target = actor_id("web", handle)
            if target == outlet:
                continue
            yield Actor(target, "web", "account", self.provenance, handle=handle)
            yield interaction("mention", outlet, target, article, "web", self.provenance, at)


class _HtmlArticle(_Article):
    """An article page: trafilatura's extraction, cleaned once more of boilerplate lines."""

    def __init__(self, path: Path, data: bytes, options: ReadOptions) -> None:
        super().__init__(path, options)
        self.data = data

    def records(self) -> Iterator[Record]:
        """Extract, clean and yield; raises InputError before yielding if the page is empty."""
        trafilatura, _ = _libraries()
        text, encoding, replaced = decode_html(self.data)
        self.data = b""  # the text holds the page now: a huge page is not held twice
        if replaced:
            self.note(f"{replaced:,} characters did not decode as {encoding} and were replaced")
        tree = load_tree(text)
        if tree is None or len(tree) == 0:
            raise InputError(f"news: {self.path.name}: no HTML structure found in the page")
        facts = page_facts(tree)
        declared = page_timestamp(tree)
        # htmldate's text search only matters when the page declares no date (the declared one
        # wins), and it costs seconds a megabyte: a huge page is searched in its markup only.
        extensive = declared is None and len(text) <= _DATE_SEARCH_CHARS
        if declared is None and not extensive:
            self.note(
                f"the page is {len(text):,} characters long: its publication date was looked "
                f"for in its markup only, not in its text (past {_DATE_SEARCH_CHARS:,})"
            )
        # The fallback extractors (justext, readability) cost elements times nesting depth: a
        # page of 7,000 elements 1,000 levels deep took minutes. Such a page gets the main one.
        fast = nesting_cost(tree) > _FALLBACK_COST
        if fast:
            self.note("the page nests too deeply for the fallback extractors; main extractor only")
        document = trafilatura.bare_extraction(
            copy.deepcopy(tree),
            fast=fast,
            include_comments=False,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": extensive},
        )
        if document is None or not (document.text or "").strip():
            raise InputError(f"news: {self.path.name}: no article text found in the page")
        url = document.url or facts["canonical"]
        domain = domain_of(url)
        site_name = document.sitename or None
        keys = site_keys_of(site_name, domain, facts["publisher"])
        title = clean_title(document.title, keys) if document.title else None
        separation = separate(document.text, title=title, site_names=sorted(keys), structural=False)
        authors = self._authors(document.author, keys, separation, facts["byline"])
        day, published = self._published(document.date, declared, text)
        outlet_key = domain or site_name or self.path.resolve().parent.name
        self.note(f"outlet {outlet_key!r}" + (" (from the page URL)" if domain else ""))
        yield from self.emit(
            outlet_key=outlet_key,
            outlet_name=site_name,
            separation=separation,
            title=title,
            url=url,
            day=day,
            lang=facts["lang"] or primary_language(document.language),
            extra={
                "authors": authors,
                "site_name": site_name,
                "categories": [c.strip() for c in document.categories or [] if c.strip()],
                **published,
            },
        )

    def _authors(
        self, found: str | None, site_keys: set[str], separation: Separation, byline: str | None
    ) -> list[str]:
        names = self._real([name.strip() for name in (found or "").split(";")], "metadata")
        if names and not any(site_keys_of(name) & site_keys for name in names):
            return names
        # No author, or the site itself named as author: a byline in the text or page tells.
        lines = [line.text for line in separation.lines if line.reason == "byline"]
        for line in [*lines, *([byline] if byline else [])]:
            from_byline = self._real(byline_names(line) or [], "byline")
            if from_byline:
                self.note(f"author from the byline {line.strip()!r}")
                return from_byline
        return names

    def _real(self, names: list[str], where: str) -> list[str]:
        """``names`` without empty ones and content systems' placeholders ("Username")."""
        kept = [name for name in names if name and not is_placeholder(name)]
        dropped = [name for name in names if name and is_placeholder(name)]
        if dropped:
            self.note(
                f"author {', '.join(map(repr, dropped))} in the page's {where} is a content "
                "system's placeholder, not a name; dropped"
            )
        return kept

    def _published(
        self, found: str | None, declared: tuple[datetime, str, str] | None, text: str
    ) -> tuple[datetime | None, dict[str, str]]:
        """The publication time, and what goes in ``extra`` when only a month or year is known.

        A timestamp the page declares wins, with its time and offset; else htmldate's day. A
        date known only to the month or year leaves ``posted_at`` empty rather than inventing
        the 1st or 1 January (a false day would sit on timelines as a fact); ``extra`` keeps
        it as ``published`` ("2017", "2017-05") with ``published_precision``.
        """
        if declared is not None:
            moment, precision, where = declared
            if precision == "time":
                shown = moment.isoformat()
                self.note(f"published {shown} (declared by the page's {where})")
            else:
                self.note(f"published {moment:%Y-%m-%d} (declared by the page's {where}; a day, "
                          "read as midnight local)")  # fmt: skip
            if found and not found.startswith(f"{moment:%Y-%m-%d}"):
                self.note(f"htmldate found {found!r} instead; the page's own date is kept")
            return moment, {}
        if not found:
            self.note("no publication date found")
            return None, {}
        try:
            day = datetime.fromisoformat(found)
        except ValueError:
            self.note(f"unreadable publication date {found!r}; left empty")
            return None, {}
        precision = date_precision(day, text)
        if precision != "day":
            shown = f"{day:%Y}" if precision == "year" else f"{day:%Y-%m}"
            self.note(
                f"published in {shown} (found by htmldate; the page gives no day, so the "
                "publication time is left empty and extra.published keeps the "
                f"{precision})"
            )
            return None, {"published": shown, "published_precision": precision}
        self.note(f"published {day:%Y-%m-%d} (found by htmldate; a day, read as midnight local)")
        return day, {}


class _TextArticle(_Article):
    """An article copied as text: title, body and boilerplate lines, maybe a date line."""

    def records(self) -> Iterator[Record]:
        """Separate and yield; raises InputError before yielding if there are no words."""
        try:
            text, encoding, replaced = read_text(self.path, _MAX_BYTES)
        except FileTooLarge as error:
            raise InputError(f"news: {self.path.name}: {_too_large(error.size)}") from None
        if encoding not in {"utf-8", "utf-8-sig"}:
            self.note(f"decoded as {encoding}")
        if replaced:
            self.note(f"{replaced:,} bytes did not decode as {encoding} and were replaced")
        if not any(char.isalpha() for char in text):
            raise InputError(f"news: {self.path.name}: no words in the file")
        title = next(line.strip() for line in text.splitlines() if line.strip())
        separation = separate(text, title=title, first_line_is_title=True)
        separation, day = self._date_line(separation)
        if separation.site_name:
            outlet_key = separation.site_name
            self.note(f"outlet {outlet_key!r} (named in the site's own boilerplate)")
        else:
            outlet_key = self.path.resolve().parent.name or "unknown outlet"
            self.note(f"outlet unknown; using the folder name {outlet_key!r}")
        aside = sum(1 for line in separation.lines if line.is_boilerplate)
        self.note(f"{aside} of {len(separation.lines)} lines set aside as boilerplate or title")
        bylines = [line.text for line in separation.lines if line.reason == "byline"]
        yield from self.emit(
            outlet_key=outlet_key,
            outlet_name=separation.site_name,
            separation=separation,
            title=title,
            url=None,
            day=day,
            lang=None,
            extra={
                "authors": byline_names(bylines[0]) if bylines else None,
                "site_name": separation.site_name,
                **self.published,
            },
        )

    def _date_line(self, separation: Separation) -> tuple[Separation, datetime | None]:
        """The first short line holding a date; it becomes boilerplate ("date line")."""
        month_first = self.options.date_order == "month"
        lines = list(separation.lines)
        for index, line in enumerate(lines):
            stripped = line.text.strip()
            if (
                line.reason == "title"
                or len(stripped) > _DATE_LINE_CHARS
                or len(stripped.split()) > _DATE_LINE_WORDS
                or re.search(r"\w\.\s", stripped)  # a sentence, not a date line
            ):
                continue
            found = dated_line(stripped, month_first)
            if found is not None:
                day, precision = found
                lines[index] = replace(line, reason="date line")
                if precision == "month":
                    self.published = {"published": f"{day:%Y-%m}", "published_precision": "month"}
                    self.note(
                        f"published in {day:%Y-%m} (date line {line.number}, no day: the "
                        "publication time is left empty and extra.published keeps the month)"
                    )
                    return replace(separation, lines=tuple(lines)), None
                self.note(f"published {day:%Y-%m-%d %H:%M} (date line {line.number}, local time)")
                return replace(separation, lines=tuple(lines)), day
        return separation, None
