"""Fuzz the readers with mutated fixtures: no input may end in a traceback, a hang or a blow-up.

Every fixture format in ``../shared/fixtures`` is mutated (bit flips, truncation, insertions,
deletions, repeated chunks, wrong JSON types, deep nesting, huge numbers, long values) and read
by its reader's ``read()`` in-process; a sample also goes through the full ``Case.ingest``. Any
exception other than ``veille.errors.InputError`` is a finding, counted by where it was raised
(the deepest frame in veille), and so is a file the ingest reports as ``internal error:``. An
input that takes over ``--hang-seconds`` of CPU (the process's, every thread counted) is a
hang, and so is one that waits over ``--stuck-seconds`` of wall-clock time. CPU time, because
the long runs share two cores with other work at the lowest priority: an input of 1 s of CPU
took 21 s of wall-clock time while a test suite ran, and a run paused with SIGSTOP counted
its pause as a hang.

    .venv/bin/python bench/fuzz.py --budget-seconds 60             # every format, 60 s each
    .venv/bin/python bench/fuzz.py --format jsonl --count 100000 --seed 7
    .venv/bin/python bench/fuzz.py --list

Mutations depend only on (seed, format, input number): the same seed gives the same inputs,
whatever the budget, so a finding can be replayed (``--replay N``). The smallest input of each
finding is written to ``--save`` (a temporary folder by default).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from types import FrameType
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
HANG_SECONDS = 20.0  # of CPU time
STUCK_SECONDS = 120.0  # of wall-clock time: blocked on something, not computing
INGEST_EVERY = 25  # one input in this many also goes through the full ingest


@dataclass(frozen=True)
class Format:
    """One fixture format: its files, the reader that reads them, and how to mutate them."""

    name: str
    reader: str
    files: tuple[str, ...]  # relative to the fixtures folder; a folder is copied whole
    kind: str  # "jsonl", "json", "js" (JSON after "="), "html", "text", "zip" (ingest only)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "csv",
            "tabular",
            ("tabular-quirks/scraped-tweets.csv", "tabular-quirks/excel-fr.csv"),
            "text",
        ),
        Format(
            "jsonl",
            "tabular",
            ("posts-jsonl/twarc2-edited.jsonl", "posts-jsonl/twarc2-media_tweet.jsonl"),
            "jsonl",
        ),
        Format("json-array", "tabular", ("posts-jsonl/twitter-v1.1-tweets.json",), "json"),
        Format(
            "telegram-json",
            "telegram",
            (
                "telegram/tg2md-test-channel-result.json",
                "telegram/langchain-personal-chat-result.json",
            ),
            "json",
        ),
        Format(
            "telegram-html", "telegram", ("telegram/langchain-personal-chat-messages.html",), "html"
        ),
        Format(
            "whatsapp",
            "whatsapp",
            (
                "whatsapp/chat-miner-android-ddmmyy-24h.txt",
                "whatsapp/chat-miner-android-es-12h.txt",
                "whatsapp/langchain-ios-en-us.txt",
            ),
            "text",
        ),
        Format(
            "whatsapp-zip",
            "whatsapp",
            ("whatsapp/chat-miner-android-ddmmyy-24h.txt", "whatsapp/langchain-ios-en-us.txt"),
            "zip",
        ),
        Format(
            "twitter-archive",
            "twitter-archive",
            (
                "twitter-archive/mrled-2022-tweet.js",
                "twitter-archive/django-ditto-v2-with-media-tweet.js",
                "twitter-archive/darkliquid-2023",
            ),
            "js",
        ),
        Format(
            "news-html",
            "news",
            (
                "news-html/ar-assabah.com.tn.article.html",
                "news-html/en-reuters.com.parasite.html",
                "news-html/fr-dw.com-elephants.html",
            ),
            "html",
        ),
        Format(
            "news-text",
            "news",
            (
                "news-text/rt-2016-daesh-messageries.txt",
                "news-text/sputnik-2017-daech-reseaux-sociaux.txt",
            ),
            "text",
        ),
    )
}


# ---------------------------------------------------------------------------------------------
# Mutations: each takes the bytes and a seeded random source, and returns new bytes.

_HUGE_INT = "9" * 5000
_DEEP = 100_000
# Values json.dumps cannot write (too many digits, too deep): markers replaced after dumping.
_HUGE_MARK, _DEEP_MARK = "\x01huge\x01", "\x01deep\x01"
_MARKS = {
    json.dumps(_HUGE_MARK): _HUGE_INT,
    json.dumps(_DEEP_MARK): "[" * _DEEP + "]" * _DEEP,
}
_JSON_VALUES: tuple[Callable[[random.Random], Any], ...] = (
    lambda r: None,
    lambda r: r.choice([True, False]),
    lambda r: r.choice([0, -1, 1, 2**63, -(2**63) - 1, 10**30]),
    lambda r: r.choice([1.5, -0.0, 1e308, 1e-320]),
    lambda r: _HUGE_MARK,
    lambda r: _DEEP_MARK,
    lambda r: r.choice(["", "x", "2023-02-30", "Wed Oct 99 99:99:99 +9999 2018", "\ud800", "\x00"]),
    lambda r: [],
    lambda r: {},
    lambda r: [1, "a", None, {}],
    lambda r: {"a": 1, "id": [], "text": {}},
    lambda r: "x" * r.choice([1000, 100_000]),
)
_INSERTS = (
    b'"',
    b"'",
    b",",
    b";",
    b"\n",
    b"\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\\",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"<",
    b">",
    b"</div>",
    b"<div>",
    b"&#0;",
    b"&",
    b"null",
    b"-",
    b"1e999",
    _HUGE_INT.encode(),
    b"\\ud800",
    b"\xe2\x80\x8f",
    b"\t",
)


def _position(data: bytes, rng: random.Random) -> int:
    return rng.randint(0, len(data))


def bit_flips(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: _position(data, rng)]


def insert(data: bytes, rng: random.Random) -> bytes:
    at = _position(data, rng)
    chunk = rng.choice(_INSERTS) * rng.choice([1, 1, 1, 2, 7, 100])
    return data[:at] + chunk + data[at:]


def delete(data: bytes, rng: random.Random) -> bytes:
    at = _position(data, rng)
    return data[:at] + data[at + rng.randint(1, 200) :]


def repeat(data: bytes, rng: random.Random) -> bytes:
    at = _position(data, rng)
    chunk = data[at : at + rng.randint(1, 2000)]
    return data[:at] + chunk * rng.randint(2, 20) + data[at:]


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    at = _position(data, rng)
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}"), (b"<div>", b"</div>")])
    depth = rng.choice([100, 1000, _DEEP])
    closed = closer * depth if rng.random() < 0.5 else b""
    return data[:at] + opener * depth + closed + data[at:]


def huge_number(data: bytes, rng: random.Random) -> bytes:
    digits = [i for i, byte in enumerate(data) if 0x30 <= byte <= 0x39]
    at = rng.choice(digits) if digits else _position(data, rng)
    return (
        data[:at]
        + rng.choice([_HUGE_INT.encode(), b"1e999", b"-" + _HUGE_INT.encode()])
        + data[at:]
    )


def long_value(data: bytes, rng: random.Random) -> bytes:
    at = _position(data, rng)
    return (
        data[:at]
        + rng.choice([b"a", b"\xd8\xa7", b" ", b"\n"]) * rng.choice([10_000, 300_000])
        + data[at:]
    )


def _mutate_json(value: Any, rng: random.Random, budget: list[int]) -> Any:
    """``value`` with some of its nested values replaced by values of other JSON types."""
    if budget[0] <= 0:
        return value
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        copy = dict(value)
        copy[key] = _mutate_json(value[key], rng, budget)
        if rng.random() < 0.1:
            copy.pop(rng.choice(list(copy)), None)
        return copy
    if isinstance(value, list) and value and rng.random() < 0.8:
        index = rng.randrange(len(value))
        items = list(value)
        items[index] = _mutate_json(value[index], rng, budget)
        return items
    budget[0] -= 1
    return rng.choice(_JSON_VALUES)(rng)


def _dumps(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False)
    for mark, replacement in _MARKS.items():
        text = text.replace(mark, replacement)
    return text.encode("utf-8", "surrogatepass")


def wrong_types(data: bytes, rng: random.Random, kind: str) -> bytes:
    """Replace some values of the JSON (a whole document, one JSONL line, or after "=")."""
    text = data.decode("utf-8", "replace")
    try:
        if kind == "jsonl":
            lines = text.split("\n")
            candidates = [i for i, line in enumerate(lines) if line.strip()]
            if not candidates:
                return data
            index = rng.choice(candidates)
            value = json.loads(lines[index])
            for _ in range(rng.randint(1, 4)):
                value = _mutate_json(value, rng, [1])
            lines[index] = _dumps(value).decode("utf-8", "surrogatepass").replace("\n", " ")
            return "\n".join(lines).encode("utf-8", "surrogatepass")
        head, body = "", text
        if kind == "js":
            head, _, body = text.partition("=")
            head += "= "
        value = json.loads(body)
    except (ValueError, RecursionError):
        return bit_flips(data, rng)
    for _ in range(rng.randint(1, 4)):
        value = _mutate_json(value, rng, [1])
    return head.encode() + _dumps(value)


_BYTE_MUTATIONS = (
    bit_flips,
    truncate,
    insert,
    delete,
    repeat,
    deep_nesting,
    huge_number,
    long_value,
)


def mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    """One to three stacked mutations; JSON kinds get wrong types half the time."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if kind in ("json", "jsonl", "js") and rng.random() < 0.5:
            data = wrong_types(data, rng, kind)
        else:
            data = rng.choice(_BYTE_MUTATIONS)(data, rng)
    return data


# ---------------------------------------------------------------------------------------------
# Running one input.


class Hang(BaseException):
    """Raised by the timer inside a read that runs past the hang limit (not an Exception, so
    no reader's ``except Exception`` can swallow it)."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@dataclass
class Finding:
    place: str  # "veille/ingest/twitter/twarc.py:93 KeyError"
    count: int = 0
    example: str = ""  # saved smallest input
    example_size: int = -1
    message: str = ""
    first_input: int = -1


@dataclass
class FormatReport:
    name: str
    tried: int = 0
    ingested: int = 0
    seconds: float = 0.0
    hangs: int = 0
    slowest: float = 0.0  # CPU seconds
    slowest_wall: float = 0.0
    max_rss_mb: float = 0.0
    findings: dict[str, Finding] = field(default_factory=dict)

    @property
    def tracebacks(self) -> int:
        return sum(f.count for f in self.findings.values() if not f.place.startswith("hang"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.name,
            "inputs": self.tried,
            "ingested": self.ingested,
            "seconds": round(self.seconds, 1),
            "inputs_per_second": round(self.tried / self.seconds, 1) if self.seconds else 0,
            "tracebacks": self.tracebacks,
            "hangs": self.hangs,
            "slowest_seconds": round(self.slowest, 2),
            "slowest_wall_seconds": round(self.slowest_wall, 2),
            "max_rss_mb": round(self.max_rss_mb, 1),
            "findings": {
                place: {"count": f.count, "example": f.example, "message": f.message}
                for place, f in sorted(self.findings.items())
            },
        }


def _in_package(filename: str) -> Path | None:
    """``filename`` relative to the veille package, or None if it lies outside it.

    Judged by the package's own folder, not by "/veille/" in the path: a checkout may itself
    be named veille, and then every test file would look like the package's.
    """
    import veille

    package = Path(veille.__file__).resolve().parent
    try:
        return Path(filename).resolve().relative_to(package)
    except ValueError:
        return None


def place_of(error: BaseException) -> str:
    """Where ``error`` was raised: the deepest frame in veille (else the deepest), and its type."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if _in_package(f.filename) is not None]
    frame = (ours or frames)[-1] if (ours or frames) else None
    if frame is None:
        return type(error).__name__
    inside = _in_package(frame.filename)
    short = f"veille/{inside.as_posix()}" if inside is not None else Path(frame.filename).name
    return f"{short}:{frame.lineno} {type(error).__name__}"


def _read_whole(reader: Any, path: Path) -> None:
    from veille.ingest.base import ReadOptions

    for _ in reader.read(path, ReadOptions()):
        pass


class Fuzzer:
    """Mutates one format's fixtures and reads them; keeps the report."""

    def __init__(
        self,
        fmt: Format,
        seed: int,
        save: Path,
        work: Path,
        hang_seconds: float = HANG_SECONDS,
        ingest_every: int = INGEST_EVERY,
        fixtures: Path = FIXTURES,
    ) -> None:
        from veille.ingest import READERS

        self.fmt = fmt
        self.seed = seed
        self.save = save
        self.work = work
        self.hang_seconds = hang_seconds
        self.stuck_seconds = max(STUCK_SECONDS, hang_seconds)
        self.ingest_every = ingest_every
        self.reader = READERS.get(fmt.reader)()
        self.report = FormatReport(fmt.name)
        self.seeds = [self._load(fixtures / name, fmt.kind) for name in fmt.files]
        self.case: Any = None
        self.cases = 0

    @staticmethod
    def _load(path: Path, kind: str) -> tuple[Path, Path | None, bytes]:
        """(fixture, file mutated inside a folder or None, its bytes)."""
        if kind == "zip":  # the fixture zipped as a phone exports it: the zip is mutated
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(path, "_chat.txt")
            return path.with_suffix(".zip"), None, buffer.getvalue()
        if path.is_dir():
            target = next(p for p in sorted(path.rglob("*.js")) if p.name.startswith("tweet"))
            return path, target.relative_to(path), target.read_bytes()
        return path, None, path.read_bytes()

    def input(self, number: int) -> tuple[Path, bytes]:
        """Input ``number``: written under ``work``; returns (path to read, the mutated bytes)."""
        rng = random.Random(f"{self.seed}:{self.fmt.name}:{number}")
        fixture, inner, data = rng.choice(self.seeds)
        mutated = mutate(data, rng, self.fmt.kind)
        folder = self.work / f"in{number % 2}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if inner is None:
            path = folder / fixture.name
            path.write_bytes(mutated)
            return path, mutated
        path = folder / fixture.name
        shutil.copytree(fixture, path)
        (path / inner).write_bytes(mutated)
        return path, mutated

    def run(self, number: int) -> None:
        path, data = self.input(number)
        self.report.tried += 1
        if self.fmt.kind != "zip":  # readers never see a zip: the ingest opens it
            self._timed(number, data, lambda: _read_whole(self.reader, path))
        if self.fmt.kind == "zip" or (self.ingest_every and number % self.ingest_every == 0):
            self.report.ingested += 1
            self._timed(number, data, lambda: self._ingest(path))

    def _timed(self, number: int, data: bytes, action: Callable[[], None]) -> None:
        from veille.errors import InputError

        started, cpu = time.perf_counter(), time.process_time()
        signal.setitimer(signal.ITIMER_PROF, self.hang_seconds)
        signal.setitimer(signal.ITIMER_REAL, self.stuck_seconds)
        interrupted = False
        try:
            action()
        except InputError:
            pass
        except Hang:
            interrupted = True
            self.report.hangs += 1
            self._found(f"hang over {self.hang_seconds:g} s", number, data, "")
        except Exception as error:  # the point: anything else is a finding
            self._found(place_of(error), number, data, " ".join(str(error).split())[:300])
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed, used = time.perf_counter() - started, time.process_time() - cpu
            self.report.slowest = max(self.report.slowest, used)
            self.report.slowest_wall = max(self.report.slowest_wall, elapsed)
            # Stuck in C code the timers could not interrupt:
            if not interrupted and (used > self.hang_seconds or elapsed > self.stuck_seconds):
                self.report.hangs += 1
                self._found(f"hang over {self.hang_seconds:g} s", number, data, f"{used:.1f} s CPU")

    def _ingest(self, path: Path) -> None:
        from veille.case import Case

        if self.case is None:
            self.cases += 1
            self.case = Case.init(self.work / f"case{self.cases}")
        try:
            report = self.case.ingest([path])
        except BaseException:
            self.close()  # a case whose ingest broke may hold a run or source left 'started'
            raise
        for source in report.sources:
            if source.error and source.error.startswith("internal error:"):
                raise IngestFailure(source.error)
        left = self.case.con.execute(
            "SELECT count(*) FROM sources WHERE status = 'started'"
        ).fetchone()
        if left and left[0]:
            raise IngestFailure(f"{left[0]} source(s) left 'started'")

    def _found(self, place: str, number: int, data: bytes, message: str) -> None:
        finding = self.report.findings.setdefault(place, Finding(place, first_input=number))
        finding.count += 1
        if finding.example_size < 0 or len(data) < finding.example_size:
            name = "".join(c if c.isalnum() else "_" for c in place)[:80]
            target = self.save / self.fmt.name / f"{name}-input{number}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            finding.example, finding.example_size, finding.message = str(target), len(data), message

    def close(self) -> None:
        if self.case is not None:
            self.case.close()
            self.case = None


class IngestFailure(Exception):
    """The full ingest reported an internal error, or left a source ``started``."""


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fuzz_format(
    name: str,
    *,
    seed: int = 0,
    count: int | None = None,
    budget_seconds: float | None = None,
    save: Path | None = None,
    hang_seconds: float = HANG_SECONDS,
    ingest_every: int = INGEST_EVERY,
    start: int = 0,
    fixtures: Path = FIXTURES,
) -> FormatReport:
    """Fuzz one format for ``count`` inputs or ``budget_seconds``, whichever ends first."""
    if count is None and budget_seconds is None:
        raise ValueError("give a count or a budget")
    save = save or Path(tempfile.mkdtemp(prefix="veille-fuzz-findings-"))
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    previous_prof = signal.signal(signal.SIGPROF, _on_alarm)
    with tempfile.TemporaryDirectory(prefix="veille-fuzz-") as work:
        fuzzer = Fuzzer(FORMATS[name], seed, save, Path(work), hang_seconds, ingest_every, fixtures)
        started = time.perf_counter()
        try:
            for number in _numbers(start, count):
                if budget_seconds is not None and time.perf_counter() - started > budget_seconds:
                    break
                fuzzer.run(number)
        finally:
            fuzzer.close()
            signal.signal(signal.SIGALRM, previous)
            signal.signal(signal.SIGPROF, previous_prof)
        fuzzer.report.seconds = time.perf_counter() - started
    fuzzer.report.max_rss_mb = _maxrss_mb()
    return fuzzer.report


def _numbers(start: int, count: int | None) -> Iterator[int]:
    number = start
    while count is None or number < start + count:
        yield number
        number += 1


def _print(report: FormatReport) -> None:
    data = report.as_dict()
    print(
        f"{report.name:16} {data['inputs']:>8,} inputs ({data['inputs_per_second']:,.0f}/s, "
        f"{data['ingested']:,} ingested)  tracebacks {data['tracebacks']:,}  hangs {report.hangs}"
        f"  slowest {data['slowest_seconds']} s CPU  max RSS {data['max_rss_mb']:,.0f} MB",
        flush=True,
    )
    for place, finding in sorted(report.findings.items(), key=lambda item: -item[1].count):
        print(f"    {finding.count:>6,}  {place}  {finding.message[:120]}")
        print(f"            e.g. {finding.example} ({finding.example_size:,} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", action="append", choices=sorted(FORMATS), help="repeatable")
    parser.add_argument("--budget-seconds", type=float, help="per format")
    parser.add_argument("--count", type=int, help="inputs per format")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="first input number")
    parser.add_argument("--jobs", type=int, default=1, help="formats fuzzed at once")
    parser.add_argument("--hang-seconds", type=float, default=HANG_SECONDS)
    parser.add_argument("--ingest-every", type=int, default=INGEST_EVERY, help="0: never")
    parser.add_argument("--save", type=Path, help="folder for the smallest input per finding")
    parser.add_argument("--replay", type=int, help="write input N of --format to stdout")
    parser.add_argument("--json", action="store_true", help="one JSON object per format")
    parser.add_argument("--list", action="store_true", help="list the formats and exit")
    args = parser.parse_args(argv)
    if args.list:
        for fmt in FORMATS.values():
            print(f"{fmt.name:16} {fmt.reader:16} {', '.join(fmt.files)}")
        return 0
    names = args.format or list(FORMATS)
    if args.replay is not None:
        with tempfile.TemporaryDirectory() as work:
            fuzzer = Fuzzer(FORMATS[names[0]], args.seed, Path(work), Path(work), HANG_SECONDS, 0)
            sys.stdout.buffer.write(fuzzer.input(args.replay)[1])
        return 0
    if args.count is None and args.budget_seconds is None:
        parser.error("give --count or --budget-seconds")
    save = args.save or Path(tempfile.mkdtemp(prefix="veille-fuzz-findings-"))
    options = {
        "seed": args.seed,
        "count": args.count,
        "budget_seconds": args.budget_seconds,
        "save": save,
        "hang_seconds": args.hang_seconds,
        "ingest_every": args.ingest_every,
        "start": args.start,
    }
    # One process per format: its peak memory is its own, and a crash is contained.
    context = get_context("spawn")
    with ProcessPoolExecutor(args.jobs, mp_context=context, max_tasks_per_child=1) as pool:
        futures = [pool.submit(fuzz_format, name, **options) for name in names]
        reports = [future.result() for future in futures]
    total = 0
    for report in reports:
        total += report.tracebacks + report.hangs
        if args.json:
            print(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            _print(report)
    if not args.json:
        print(f"findings: {total:,}; smallest inputs in {save}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
