"""The records readers produce: one frozen dataclass per thing.

Readers yield these; the store writes them; nothing else creates them. Ids come from
``veille.ids.record_id`` over natural keys, so the same input always gives the same ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "ACTOR_KINDS",
    "BATCH_ROWS",
    "COLUMN_KINDS",
    "INTERACTION_KINDS",
    "POST_KINDS",
    "Actor",
    "Columns",
    "Interaction",
    "Media",
    "Note",
    "Post",
    "Provenance",
    "Record",
    "Reject",
    "column_fields",
]

ActorKind = Literal["account", "channel", "group", "outlet"]
PostKind = Literal["post", "message", "article", "service"]
InteractionKind = Literal["mention", "reply", "forward", "retweet", "quote", "contact"]

ACTOR_KINDS: tuple[str, ...] = ("account", "channel", "group", "outlet")
POST_KINDS: tuple[str, ...] = ("post", "message", "article", "service")
INTERACTION_KINDS: tuple[str, ...] = ("mention", "reply", "forward", "retweet", "quote", "contact")
COLUMN_KINDS: tuple[str, ...] = ("post", "actor", "interaction")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from inside its source.

    ``locator`` finds the raw fragment again ("line 1207", "messages[41]"); ``file`` is the
    path inside an export folder when the source has several files; ``raw`` is the fragment
    itself (the line, or the JSON object re-serialised compactly).
    """

    locator: str
    raw: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """An account, channel, group chat or news outlet, as one post of a source showed it.

    A reader yields an actor again whenever its handle, name or profile differ from what it
    yielded before in that file: each state is kept with when and where it was seen.
    """

    id: str
    platform: str
    kind: ActorKind
    provenance: Provenance
    native_id: str | None = None  # the platform's own id, when the source gives it
    handle: str | None = None  # @name without the @, as written by the platform
    name: str | None = None  # display name as seen in this source
    # The profile as the source showed it, when it shows one (store: actor_sightings).
    description: str | None = None  # the profile's text ("bio")
    location: str | None = None  # the profile's location, as typed
    followers: int | None = None  # follower count at ``seen_at``
    seen_at: datetime | None = None  # when the post that showed this state was made


@dataclass(frozen=True, slots=True)
class Post:
    """Anything authored: a tweet, a channel or chat message, a news article."""

    id: str
    platform: str
    kind: PostKind
    provenance: Provenance
    text: str
    author_id: str | None = None  # None means unknown; never "" or 0
    chat_id: str | None = None  # the channel or group it was posted in, if any
    native_id: str | None = None
    posted_at: datetime | None = None  # aware, UTC
    utc_offset_min: int | None = None  # the offset the source showed; None when it showed none
    title: str | None = None
    url: str | None = None
    reply_to_id: str | None = None  # post id
    forwarded_from_id: str | None = None  # actor id of the original author
    quoted_id: str | None = None  # post id
    edited_at: datetime | None = None
    lang_hint: str | None = None  # language declared by the source itself, not detected
    boilerplate: str | None = None  # text separated from an article body, kept aside
    extra: dict[str, Any] = field(default_factory=dict)  # fields the reader did not map


@dataclass(frozen=True, slots=True)
class Interaction:
    """A directed edge between two actors, with the post that shows it.

    Edges are mention, reply, forward, retweet, quote and contact; a post's chat membership is
    not an edge (it is ``Post.chat_id``).
    """

    id: str
    kind: InteractionKind
    source_actor_id: str
    target_actor_id: str
    post_id: str
    platform: str
    provenance: Provenance
    occurred_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """A file attached to a post; ``file`` is where it is on disk now, None when missing."""

    id: str
    post_id: str
    name: str  # the reference in the export ("photos/photo_1.jpg")
    provenance: Provenance
    file: Path | None = None
    mime: str | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """A fragment that could not be read, with a reason a person understands."""

    locator: str
    reason: str
    raw: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader decided and the user should know ("dates are day-first")."""

    text: str


# Rows per column batch and per write: DuckDB's row group. The writer writes this many posts
# per transaction; an insert of whole row groups goes straight to the database file and is not
# rewritten by the checkpoint (partial ones are: 1M posts in batches of 160,000 cost a 4.7 s
# checkpoint). Readers yielding Columns cut them to this size or to a divisor of it.
BATCH_ROWS = 122_880


@dataclass(frozen=True, slots=True)
class Columns:
    """Many posts, actors or interactions at once, field by field: the bulk form.

    ``kind`` is "post", "actor" or "interaction"; ``values`` maps the field names of that record
    type (provenance as ``locator``, ``raw`` and ``file``) to lists or Arrow arrays of equal
    length, one value per record; a field left out is None for all of them. In an Arrow column,
    ``extra`` is JSON text. Readers of big flat tables yield these instead of one object per
    row: building a frozen dataclass per row was most of the cost of a million-row CSV
    (bench/ingest.py).

    ``ends_batch`` marks the last record of a reader's batch: nothing after it refers back, so
    the writer writes the batch at once instead of waiting for the next posts to arrive.
    """

    kind: Literal["post", "actor", "interaction"]
    values: dict[str, Any]  # field -> list, or pyarrow Array / ChunkedArray
    ends_batch: bool = False

    def __len__(self) -> int:
        return len(self.values["id"])

    def as_lists(self, names: Iterable[str] | None = None) -> dict[str, list[Any]]:
        """``values`` with every column (or those of ``names``) as a Python list (``extra`` as
        dicts). Naming the columns needed saves converting the others: times cost ~12 µs each."""
        lists: dict[str, list[Any]] = {}
        wanted = self.values.keys() if names is None else set(names) & self.values.keys()
        for name in wanted:
            column = self.values[name]
            if isinstance(column, list):
                lists[name] = column
                continue
            items = column.to_pylist()
            if name == "extra":
                items = [None if text is None else json.loads(text) for text in items]
            lists[name] = items
        return lists

    def records(self) -> Iterator[Actor | Post | Interaction]:
        """The records these columns stand for, one object per row (for tests and ``peek``)."""
        record_type: type[Actor | Post | Interaction] = {
            "post": Post,
            "actor": Actor,
            "interaction": Interaction,
        }[self.kind]
        names = [f.name for f in fields(record_type) if f.name != "provenance"]
        values = self.as_lists()
        present = [name for name in names if name in values]
        locators = values["locator"]
        raws = values.get("raw")
        files = values.get("file")
        for index in range(len(self)):
            arguments = {name: values[name][index] for name in present}
            if arguments.get("extra", {}) is None:
                arguments["extra"] = {}
            provenance = Provenance(
                locators[index],
                None if raws is None else raws[index],
                None if files is None else files[index],
            )
            yield record_type(provenance=provenance, **arguments)


Record = Actor | Post | Interaction | Media | Reject | Note | Columns


_PROVENANCE_FIELDS = ("locator", "raw", "file")


def column_fields(kind: Literal["post", "actor", "interaction"], *names: str) -> tuple[str, ...]:
    """``names``, checked to be fields a ``Columns`` batch of ``kind`` may carry (the record
    type's fields, provenance as locator, raw and file): a reader's column buffer names the
    fields it fills, and a renamed field fails where the buffer is declared, not in the store."""
    record_type = {"post": Post, "actor": Actor, "interaction": Interaction}[kind]
    known = {f.name for f in fields(record_type)} - {"provenance"} | set(_PROVENANCE_FIELDS)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise TypeError(f"{kind} columns have no field {', '.join(unknown)}")
    return names
