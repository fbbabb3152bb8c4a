"""The report's evidence: every post a finding rests on, numbered E1, E2... and linked to.

Internal helper of ``veille.report.html_report``: not a stable API.

Post URLs are shown as text, never as links: the content is hostile and a report must not
make anyone's browser fetch it. A post id becomes the anchor ``post-<id>`` when it is made of
plain characters (record ids are hex), else ``post-h<hash>``, so any id gives a working link.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from veille.report.html_parts import Markup, bidi_flag, el, fmt_datetime, join

__all__ = ["Citation", "EvidenceIndex", "evidence_index", "render_evidence"]

_PLAIN_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}\Z")


@dataclass(frozen=True, slots=True)
class Citation:
    post_id: str
    anchor: str  # the element id, without "#"
    number: int  # E<number>
    cited_in: tuple[tuple[str, str], ...]  # (section id, section title)


@dataclass(frozen=True, slots=True)
class EvidenceIndex:
    """Every post to list, in order of first citation, then the uncited ones of the extract."""

    citations: tuple[Citation, ...]
    by_id: Mapping[str, Citation]

    def get(self, post_id: object) -> Citation | None:
        return self.by_id.get(str(post_id))

    def links(self, post_ids: Iterable[object]) -> Markup:
        """In-page links "E1 E4 E7" to the posts; a dash when there are none."""
        found = [c for i in post_ids or [] if (c := self.get(i)) is not None]
        if not found:
            return Markup("—")
        return join(
            [el("a", {"class": "ev", "href": f"#{c.anchor}"}, f"E{c.number}") for c in found],
            " ",
        )


def _anchor(post_id: str, used: set[str]) -> str:
    if _PLAIN_ID.match(post_id):
        anchor = f"post-{post_id}"
    else:
        digest = hashlib.sha256(post_id.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        anchor = f"post-h{digest}"
    unique, n = anchor, 1
    while unique in used:  # "~" is in no plain id nor hash, so this cannot collide again
        n += 1
        unique = f"{anchor}~{n}"
    used.add(unique)
    return unique


def evidence_index(
    sections: Sequence[tuple[str, str, Sequence[Mapping[str, Any]]]],
    posts: Mapping[str, Mapping[str, Any]],
) -> EvidenceIndex:
    """Number the posts cited by ``sections`` ((id, title, rows with "evidence")) then the
    rest of ``posts``."""
    cited: dict[str, list[tuple[str, str]]] = {}
    for section_id, title, rows in sections:
        for row in rows:
            for post_id in row.get("evidence") or []:
                places = cited.setdefault(str(post_id), [])
                if (section_id, title) not in places:
                    places.append((section_id, title))
    for post_id in posts:
        cited.setdefault(str(post_id), [])
    used: set[str] = set()
    citations = tuple(
        Citation(post_id, _anchor(post_id, used), n, tuple(where))
        for n, (post_id, where) in enumerate(cited.items(), start=1)
    )
    return EvidenceIndex(citations, {c.post_id: c for c in citations})


def _field(name: str, value: Markup | str | None) -> Markup:
    return join([el("dt", {}, name), el("dd", {"dir": "auto"}, value or "—")])


def _post(citation: Citation, post: Mapping[str, Any] | None) -> Markup:
    if post is None:
        body: list[Markup] = [
            el(
                "p",
                {"class": "muted"},
                f"Post {citation.post_id} is cited but was not in the evidence extract.",
            )
        ]
    else:
        text = str(post.get("text") or "")
        warning = (
            el(
                "p",
                {"class": "warning"},
                "This text holds invisible characters that change "
                "the direction of the text around them (they can disguise a file name or link).",
            )
            if bidi_flag(text + str(post.get("url") or ""))
            else None
        )
        source = " ".join(str(post.get(k) or "") for k in ("source_path", "locator")).strip()
        body = [
            el("p", {"class": "post-text", "dir": "auto"}, text),
            warning or Markup(),
            el(
                "dl",
                {},
                _field(
                    "Link (as text, not opened)",
                    el("code", {"class": "url"}, post.get("url")) if post.get("url") else None,
                ),
                _field("Read from", el("code", {}, source) if source else None),
            ),
        ]
    head = el(
        "header",
        {},
        el("span", {"class": "ev-number"}, f"E{citation.number}"),
        el("span", {"dir": "auto"}, str(post.get("platform") or "?")) if post else None,
        el("strong", {"dir": "auto"}, str(post.get("author") or "unknown author"))
        if post
        else None,
        bidi_flag(post.get("author")) if post else None,
        el("span", {"class": "muted"}, fmt_datetime(post.get("posted_at"))) if post else None,
    )
    cited_in = [el("a", {"href": f"#{sid}"}, title) for sid, title in citation.cited_in]
    footer = el("p", {"class": "muted"}, "Cited in: ", join(cited_in, ", ")) if cited_in else None
    return el("article", {"class": "post", "id": citation.anchor}, head, body, footer)


def render_evidence(index: EvidenceIndex, posts: Mapping[str, Mapping[str, Any]]) -> Markup:
    """Every post of ``index``, in order."""
    if not index.citations:
        return el("p", {"class": "empty"}, "No posts are cited.")
    by_id = {str(k): v for k, v in posts.items()}
    return join(_post(c, by_id.get(c.post_id)) for c in index.citations)
