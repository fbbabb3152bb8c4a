"""Stream the items of big JSON arrays one at a time, each cut out of the text by the C decoder.

``stream_json(text, ["chats.list[*].messages[*]"])`` walks the document in Python only along
the requested paths; every element of a ``[*]`` array there (and the whole value at a path
without ``[*]``) is decoded by ``json.JSONDecoder`` straight from a sliding text buffer. That
is about twice as fast as an event parser such as ijson, whose Python glue per event dominates,
and memory stays bounded: the buffer holds one chunk plus the value being decoded.

Events come in document order:

- ``Enter(path)``: a container on the way to a requested path opens (the root is ``()``);
- ``Scalar(path, value)``: a scalar member of an object on the way, such as a chat's ``name``
  written before its ``messages``: how a reader knows whose items come next;
- ``Item(path, index, value)``: element ``index`` of the requested array at ``path``, or, with
  ``index`` None, the whole value at a requested path that has no ``[*]``.

Everything else is skipped: decoded and dropped when it fits in the buffer, else walked into
container by container, so a skipped section of any size costs no memory. A path is keys joined
by dots, each followed by any number of ``[*]``: "messages[*]", "chats.list[*].messages[*]",
"[*]" for a root array, "personal_information" for one whole value. Keys holding a dot or a
bracket cannot be named. A value of another type than its path expects is skipped.

An integer with more digits than Python converts (4,300) comes back as the string of its digits,
for the reader to judge, rather than breaking the document.

Escaped lone surrogates ("\\ud800") become U+FFFD: they cannot be encoded as UTF-8 nor stored,
and text from ``veille.ingest.common.textfile.open_text`` holds no other surrogates.

A document cut short, malformed, or followed by other text raises ``JsonStreamError`` (kind,
character offset, path reached) once every item before the break has been yielded. No value
longer than ``max_value`` characters is held: an item (or a skipped value) that long is walked
past unread, character by character, and the item comes as a ``TooLong`` (its length and first
characters) for the reader to quarantine; the items after it are read. A key that long, or
more than ``MAX_DEPTH`` containers open at once, makes the document malformed.

The events and the error are in ``json_events``, the decoding of one value in ``json_decoding``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from veille.ingest.common.json_decoding import SCAN, complete, cut_short, repaired, scan_value
from veille.ingest.common.json_events import (
    TOO_LONG_HEAD,
    Enter,
    ErrorKind,
    Event,
    Item,
    JsonPath,
    JsonStreamError,
    Scalar,
    TooLong,
)

__all__ = ["CHUNK", "MAX_DEPTH", "MAX_VALUE", "stream_json"]

_Outcome = Literal["done", "big", "deep"]
CHUNK = 1 << 18  # characters read at a time: larger chunks are no faster
MAX_VALUE = 64 << 20  # characters: no message or tweet comes near; a value this long is broken
# Containers open at once while walking a skipped value: real exports nest a few levels; a file
# of brackets would otherwise hold a frame per character.
MAX_DEPTH = 100_000

_BLANK = re.compile(r"[ \t\n\r]*")
_NEXT = re.compile(r"[ \t\n\r]*([,\]]?)")  # between two array elements
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")  # the same, in the common case
_SEGMENT = re.compile(r"([^.\[\]]*)((?:\[\*\])*)")
# A decoder error this close to the end of the buffer may only mean the value goes on in the
# next chunk ("tru|e", "12.|5", "\u00|e9"); an unterminated string always may.
_NEAR_END = 10
_IN_STRING = re.compile(r'[^"\\]*')  # up to a string's closing quote or a backslash
_OUTSIDE = re.compile(r'[^"\[\]{}]*')  # up to a string or a bracket, in a skipped container
_TOKEN = re.compile(r"[^,\]}\s]*")  # a number or literal, up to what follows it


class _Readable(Protocol):
    def read(self, size: int, /) -> str: ...


def stream_json(
    text: _Readable,
    paths: Iterable[str],
    *,
    head: str = "",
    offset: int = 0,
    chunk_size: int = CHUNK,
    max_value: int = MAX_VALUE,
    trailing: str = "",
) -> Iterator[Event]:
    """The events of the JSON document read from ``text`` along ``paths`` (see the module doc).

    ``head`` is text already read from ``text`` (it comes first), ``offset`` the character
    offset of its start in the file, for error offsets; ``trailing`` lists characters allowed
    after the document besides blanks (";" after a JavaScript assignment). A leading byte-order
    mark is skipped. Raises ValueError at once for a malformed path, JsonStreamError as the
    document breaks.
    """
    root = _compile(paths)
    walk = _Walk(text, head, offset, chunk_size, max_value)
    return walk.events(root, trailing)


@dataclass
class _Step:
    """One step of the requested paths: the keys of an object, or every element of an array."""

    keys: dict[str, _Step] = field(default_factory=dict)
    each: _Step | None = None
    target: bool = False


def _compile(paths: Iterable[str]) -> _Step:
    """The requested paths as a tree of steps; raises ValueError for a malformed path."""
    root = _Step()
    targets: list[_Step] = []
    for path in paths:
        step = root
        for number, segment in enumerate(path.split(".")):
            match = _SEGMENT.fullmatch(segment)
            if match is None or not (match.group(1) or (number == 0 and match.group(2))):
                raise ValueError(f"malformed JSON path {path!r}")
            if match.group(1):
                step = step.keys.setdefault(match.group(1), _Step())
            for _ in range(len(match.group(2)) // 3):
                if step.each is None:
                    step.each = _Step()
                step = step.each
        step.target = True
        targets.append(step)
    for step in targets:
        if step.keys or step.each is not None:
            raise ValueError("a requested JSON path lies inside another one")
    return root


@dataclass(slots=True)
class _Frame:
    """An open container: what it is, where, and how far it has been read."""

    close: str  # "}" or "]"
    path: JsonPath
    step: _Step | None  # None: off the requested paths, skipped
    deep: bool = False  # too deeply nested for the C decoder: walk every container inside
    count: int = 0  # members or elements read


class _Walk:
    """The sliding text buffer and the walk through the document."""

    def __init__(
        self, text: _Readable, head: str, offset: int, chunk_size: int, max_value: int
    ) -> None:
        self.read = text.read
        self.buf = head
        self.pos = 0
        self.base = offset  # the offset in the text of buf[0]
        self.at_end = False
        self.chunk = chunk_size
        self.max_value = max_value

    def more(self, at_least: int = 0) -> bool:
        """Read on, dropping the text before ``pos``; False at the end of the text."""
        if self.at_end:
            return False
        text = self.read(max(self.chunk, at_least))
        if not text:
            self.at_end = True
            return False
        self.base += self.pos
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not blank, with ``pos`` on it; "" at the end of the text."""
        while True:
            self.pos = _BLANK.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def error(self, kind: ErrorKind, reason: str, path: JsonPath) -> JsonStreamError:
        at = len(self.buf) if kind == "truncated" else self.pos
        return JsonStreamError(kind, reason, self.base + at, path)

    def decode(
        self, path: JsonPath, walkable: bool = False, skippable: bool = True
    ) -> tuple[Any, _Outcome]:
        """(value, "done") for the JSON value at ``pos``, reading on as needed; ``pos`` moves past.

        With ``walkable``, a container that does not fit in the buffer ("big") or that nests too
        deeply for the decoder ("deep") is left for the caller to walk into: (None, outcome),
        ``pos`` unchanged. A value past ``max_value`` characters comes back as a ``TooLong``,
        walked past, if ``skippable``; else the document is malformed.
        """
        nested = bool(path)
        while True:
            buf, start = self.buf, self.pos
            # Only the message and position of an error are kept: the exception holds the whole
            # buffer, and keeping it in a local would make a reference cycle through its
            # traceback, so old buffers would pile up until the garbage collector ran.
            try:
                value, end = scan_value(buf, start)
            except StopIteration as stop:
                message, at = "Expecting value", int(stop.value)
            except json.JSONDecodeError as error:
                message, at = error.msg, error.pos
            except RecursionError:
                if walkable:
                    return None, "deep"
                raise self.error("malformed", "nested too deeply to decode", path) from None
            else:
                if complete(buf, end, value):
                    self.pos = end
                    if skippable and end - start > self.max_value:  # it fitted in a chunk
                        return TooLong(
                            end - start, self.max_value, buf[start : start + TOO_LONG_HEAD]
                        ), "done"
                    if buf.find("\\u", start, end) >= 0:
                        value = repaired(buf, start, end, value)
                    return value, "done"
                # A number may go on in the next chunk; one that ends with the text may have
                # been cut, unless it is the whole document. A number is bounded like any value.
                held = end - start
                if held > self.max_value:
                    if skippable:
                        return self.skip(path), "done"
                    reason = f"a value runs past {self.max_value:,} characters without ending"
                    raise self.error("malformed", reason, path)
                if self.more(max(1, min(held, self.max_value + 1 - held))):
                    continue
                if nested:
                    raise self.error("truncated", "the text ends in a number", path)
                self.pos = end
                return value, "done"
            if self.at_end and not cut_short(message, buf, at):
                self.pos = at
                raise self.error("malformed", message, path)
            if self.at_end:
                raise self.error("truncated", f"the text ends early ({message})", path)
            if not (message.startswith("Unterminated string") or at >= len(buf) - _NEAR_END):
                self.pos = at
                raise self.error("malformed", message, path)
            if walkable and buf[start] in "[{":
                return None, "big"
            held = len(buf) - start
            if held > self.max_value:
                if skippable:
                    return self.skip(path), "done"
                reason = f"a value runs past {self.max_value:,} characters without ending"
                raise self.error("malformed", reason, path)
            # At least doubles what is held (re-decoding costs linear time), never far past
            # the bound.
            self.more(max(1, min(held, self.max_value + 1 - held)))

    def skip(self, path: JsonPath) -> TooLong:
        """Walk past the value at ``pos`` holding no more than a chunk of it; its TooLong.

        Only strings and brackets are followed (a skipped value is not checked further), so a
        value of any length costs a chunk of memory; what follows it is read as usual.
        """
        start, head = self.base + self.pos, self.buf[self.pos : self.pos + TOO_LONG_HEAD]
        if self.buf[self.pos] not in '"[{':  # a number or a literal: up to what follows it
            while True:
                self.pos = _TOKEN.match(self.buf, self.pos).end()  # type: ignore[union-attr]
                if self.pos < len(self.buf) or not self.more():
                    return TooLong(self.base + self.pos - start, self.max_value, head)
        depth, in_string = 0, False
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf):
                if in_string:
                    pos = _IN_STRING.match(buf, pos).end()  # type: ignore[union-attr]
                    if pos >= len(buf):
                        break
                    if buf[pos] == "\\":
                        if pos + 1 >= len(buf):
                            break  # the escaped character is in the next chunk
                        pos += 2
                        continue
                    pos += 1
                    in_string = False
                    if depth == 0:
                        self.pos = pos
                        return TooLong(self.base + pos - start, self.max_value, head)
                    continue
                pos = _OUTSIDE.match(buf, pos).end()  # type: ignore[union-attr]
                if pos >= len(buf):
                    break
                char = buf[pos]
                pos += 1
                if char == '"':
                    in_string = True
                elif char in "[{":
                    depth += 1
                else:
                    depth -= 1
                    if depth <= 0:
                        self.pos = pos
                        return TooLong(self.base + pos - start, self.max_value, head)
            self.pos = pos
            if not self.more():
                reason = "the text ends inside a value too long to hold"
                raise self.error("truncated", reason, path)

    def events(self, root: _Step, trailing: str) -> Iterator[Event]:
        """The events of the whole document, then the check that nothing follows it."""
        if not self.buf:
            self.more()
        if self.buf.startswith("\ufeff"):
            self.pos = 1
        if not self.peek():
            raise self.error("truncated", "the text holds no JSON value", ())
        stack: list[_Frame] = []
        # The value at ``pos``: where it is, its step (None off the requested paths), whether
        # a scalar there is reported, whether its container was too deep for the decoder.
        path: JsonPath = ()
        step: _Step | None = root
        report = deep = False
        while True:
            first = self.peek()
            if step is not None and step.target:
                value, _ = self.decode(path)
                yield Item(path, None, value)
            elif step is not None and first == "{" and step.keys:
                yield Enter(path)
                self.pos += 1
                stack.append(_Frame("}", path, step))
            elif step is not None and first == "[" and step.each is not None:
                yield Enter(path)
                self.pos += 1
                if step.each.target:
                    yield from self.items(path)
                else:
                    stack.append(_Frame("]", path, step))
            elif first in ("{", "["):  # off the requested paths: skip it
                outcome: _Outcome = "deep" if deep else self.decode(path, walkable=True)[1]
                if outcome != "done":  # too big to hold or too deep to decode: walk into it
                    if len(stack) >= MAX_DEPTH:
                        reason = f"nested more than {MAX_DEPTH:,} levels deep"
                        raise self.error("malformed", reason, path)
                    self.pos += 1
                    stack.append(
                        _Frame("}" if first == "{" else "]", path, None, outcome == "deep")
                    )
            else:
                value, _ = self.decode(path)
                if report and type(value) is not TooLong:  # a name too long to hold is no name
                    yield Scalar(path, value)
            # Then the next value: close the finished containers, read a comma and a key.
            while True:
                if not stack:
                    self.finish(trailing)
                    return
                frame = stack[-1]
                char = self.peek()
                if char == frame.close:
                    self.pos += 1
                    stack.pop()
                    continue
                if not char:
                    reason = f"the text ends before the closing {frame.close}"
                    raise self.error("truncated", reason, frame.path)
                if frame.count:
                    if char != ",":
                        reason = f"expecting ',' or '{frame.close}', found {char!r}"
                        raise self.error("malformed", reason, frame.path)
                    self.pos += 1
                    char = self.peek()
                deep = frame.deep
                if frame.close == "}":
                    if char != '"':
                        reason = f"expecting a key in double quotes, found {char!r}"
                        raise self.error("malformed" if char else "truncated", reason, frame.path)
                    key, _ = self.decode(frame.path, skippable=False)
                    if self.peek() != ":":
                        kind: ErrorKind = "malformed" if self.pos < len(self.buf) else "truncated"
                        raise self.error(kind, "expecting ':' after a key", (*frame.path, key))
                    self.pos += 1
                    report = frame.step is not None
                    if frame.step is None:  # inside a skipped value: its path is enough
                        path, step = frame.path, None
                    else:
                        path, step = (*frame.path, key), frame.step.keys.get(key)
                else:
                    report = False
                    if frame.step is None:
                        path, step = frame.path, None
                    else:
                        path, step = (*frame.path, frame.count), frame.step.each
                frame.count += 1
                break

    def items(self, path: JsonPath) -> Iterator[Item]:
        """The elements of the array at ``path``, its "[" just read; ``pos`` ends past its "]".

        The hot loop: one regular-expression match and one C decode per element; the rare
        cases (the array's end, the buffer's end, errors) go the careful way.
        """
        index = 0
        scan, comma = SCAN, _COMMA.match
        while True:
            buf = self.buf
            match = comma(buf, self.pos) if index else None
            if match is not None and match.end() < len(buf):
                start = match.end()
            else:
                start = self.next_element(path, index)
                if start < 0:
                    return
                buf = self.buf
            try:
                value, end = scan(buf, start)
            except (StopIteration, ValueError, RecursionError):
                end = -1
            if end > 0 and (type(value) is dict or complete(buf, end, value)):
                if end - start > self.max_value:  # it fitted in a chunk: over the bound still
                    value = TooLong(end - start, self.max_value, buf[start : start + TOO_LONG_HEAD])
                elif buf.find("\\u", start, end) >= 0:
                    value = repaired(buf, start, end, value)
                self.pos = end
            else:  # broken, or it may go on in the next chunk: the careful way
                self.pos = start
                value, _ = self.decode((*path, index))
            yield Item(path, index, value)
            index += 1

    def next_element(self, path: JsonPath, index: int) -> int:
        """Where element ``index`` of the array at ``path`` starts, or -1 past the closing "]"."""
        while True:
            buf = self.buf
            match = _NEXT.match(buf, self.pos)
            separator, start = match.group(1), match.end()  # type: ignore[union-attr]
            if separator == "]":
                self.pos = start
                return -1
            if index and separator != ",":
                if start < len(buf):
                    self.pos = start
                    reason = f"expecting ',' or ']', found {buf[start]!r}"
                    raise self.error("malformed", reason, (*path, index))
            elif not index and separator:
                self.pos = start - 1
                raise self.error("malformed", "expecting a value or ']', found ','", (*path, 0))
            else:
                start = _BLANK.match(buf, start).end()  # type: ignore[union-attr]
            if start < len(buf):
                return start
            if not self.more():  # the separator may go on in the next chunk
                raise self.error("truncated", "the text ends before the closing ]", (*path, index))

    def finish(self, trailing: str) -> None:
        """Check that only blanks (and ``trailing`` characters) follow the document."""
        allowed = re.compile(f"[ \\t\\n\\r{re.escape(trailing)}]*")
        while True:
            self.pos = allowed.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                shown = self.buf[self.pos : self.pos + 40]
                reason = f"text after the end of the JSON document: {shown!r}"
                raise self.error("trailing", reason, ())
            if not self.more():
                return
