"""Open a case database and bring its schema up to date.

Migrations are the numbered ``migrations/NNNN_*.sql`` files shipped in the package; each runs once,
in order, in its own transaction, and ``schema_version`` records which ones ran.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from veille.errors import StoreError

__all__ = [
    "INGEST_MEMORY_LIMITS",
    "SCHEMA_VERSION",
    "CaseBusy",
    "ingest_settings",
    "migrations",
    "open_database",
    "open_sandboxed",
    "raise_memory_limit",
]

# - checkpoint_threshold: DuckDB checkpoints (rewrites the database file from its write-ahead
#   log) every 16 MB of log by default; ingest writes so much that this halved insert speed
#   (bench/ingest.py). A larger log is as safe: a crash replays it on the next open.
# - storage_compatibility_version: new case files use DuckDB 1.5's storage format instead of
#   the default (readable back to 0.10.2), whose string compression costs more: 1M CSV rows
#   wrote in 4.4 s instead of 5.3 s, in files no bigger. veille pins DuckDB 1.5, and a case
#   made by an older veille keeps its format and opens as before.
_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "checkpoint_threshold": "256MB",
    "storage_compatibility_version": "v1.5.0",
}
# The user's SQL runs on a connection that can reach nothing but the case file: no file
# functions, COPY, ATTACH or extension installs (enable_external_access), no extension fetched
# or loaded behind a query's back, and (set once opened) no SET, PRAGMA or RESET that could turn
# any of it back on (lock_configuration). DuckDB still reads the database file it opened.
_SANDBOX: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
# DuckDB's message when another process holds the file: "... Conflicting lock is held in
# /usr/bin/python3.11 (PID 4242) ...".
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in .*?\(PID (\d+)\)")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every shipped migration, in order."""
    folder = resources.files("veille.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


SCHEMA_VERSION = max(number for number, _, _ in migrations())


class CaseBusy(StoreError):
    """Another process (an ingest, most often) holds the case's database."""

    def __init__(self, path: Path, pid: int, command: str | None) -> None:
        self.pid = pid
        self.command = command
        if command and " ingest " in f" {command} ":
            doing = f"an ingest is running (PID {pid})"
        else:
            doing = f"another process is using it (PID {pid}{': ' + command if command else ''})"
        super().__init__(f"{path.parent}: {doing}; try again when it ends")


def _command_of(pid: int) -> str | None:
    """The command line of process ``pid`` (Linux), to say what holds the case."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [word.decode("utf-8", "replace") for word in raw.split(b"\0") if word]
    # "python /usr/bin/veille ingest case x" reads better as "veille ingest case x".
    for at, word in enumerate(words):
        if Path(word).name == "veille":
            return " ".join(["veille", *words[at + 1 :]])
    return " ".join(words) or None


def _connect(
    path: Path, read_only: bool, config: dict[str, str | bool | int | float | list[str]]
) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as error:
        holder = _LOCK_HOLDER.search(str(error))
        if holder:
            pid = int(holder.group(1))
            raise CaseBusy(path, pid, _command_of(pid)) from error
        raise StoreError(f"cannot open {path}: {error}") from error


def open_database(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Connect to ``path``; a writable connection applies pending migrations first."""
    if read_only and not path.exists():
        raise StoreError(f"{path} does not exist; create the case with `veille init`")
    con = _connect(path, read_only, _CONFIG)
    # veille prints its own progress on stderr; DuckDB's bar would interleave with it.
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        _migrate(con)
    else:
        _check_version(con, path)
    return con


def open_sandboxed(path: Path) -> duckdb.DuckDBPyConnection:
    """Connect to ``path`` read-only for user SQL: nothing outside the case, no setting changes."""
    if not path.exists():
        raise StoreError(f"{path} does not exist; create the case with `veille init`")
    con = _connect(path, True, _SANDBOX)
    try:
        con.execute("SET enable_progress_bar = false")
        _check_version(con, path)
        con.execute("SET lock_configuration = true")  # last: nothing can be SET after this
    except StoreError:
        con.close()
        raise
    return con


def _current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _check_version(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    version = _current_version(con)
    if version == 0:
        raise StoreError(f"{path} holds no veille tables; was `veille init` interrupted?")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has schema version {version}, newer than this veille ({SCHEMA_VERSION}); "
            "upgrade veille"
        )


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    current = _current_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the case has schema version {current}, newer than this veille ({SCHEMA_VERSION})"
        )
    # By number, not by the highest: migrations written on branches land out of order, and a
    # case made in between must still get the one numbered below its highest.
    applied = {int(row[0]) for row in con.execute("SELECT version FROM schema_version").fetchall()}
    for number, name, sql in migrations():
        if number in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, name])
            con.execute("COMMIT")
        except duckdb.Error as error:
            con.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {error}") from error


# DuckDB's memory limit during an ingest, lowest first: see ingest_settings.
INGEST_MEMORY_LIMITS = ("128MB", "512MB", "2GB")


@contextmanager
def ingest_settings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB settings for the length of an ingest; its defaults come back afterwards.

    - ``memory_limit``: DuckDB keeps the pages it writes cached up to its limit (80% of RAM by
      default), so an ingest's memory grew with the file (1M Telegram messages: 1,014 MB with
      no cap); 128 MB keeps 1M Telegram messages at 493 MB. Long texts need more: the strings
      of a row group not yet full must fit at commit, and 2,500 posts of 120 KB (283 MB of
      CSV) failed at 128 MB with "failed to pin block". So a batch that runs out of memory is
      rolled back and tried again one step up ``INGEST_MEMORY_LIMITS`` (``raise_memory_limit``)
      and the source's notes say so: memory grows only for the files that need it.
    - ``threads = 1``: the reader works on the other core (Python, or the bulk CSV path's own
      one-thread DuckDB). Two pools of two threads on two cores contended: a 1M-row CSV took
      12.2 s instead of 10.4 s, 1M Telegram messages 21.2 s instead of 20.0 s.
    """
    con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMITS[0]}'")
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute("RESET memory_limit")
        con.execute("RESET threads")


def raise_memory_limit(con: duckdb.DuckDBPyConnection) -> str | None:
    """Set the next of ``INGEST_MEMORY_LIMITS`` above the connection's limit and return it;
    None when the limit is already at the top (or above: a limit the user chose)."""
    row = con.execute("SELECT current_setting('memory_limit')").fetchone()
    current = _size(str(row[0])) if row else 0
    for limit in INGEST_MEMORY_LIMITS:
        if _size(limit) > current * 1.1:  # DuckDB shows 128MB as '122.0 MiB', 2GB as '1.8 GiB'
            con.execute(f"SET memory_limit = '{limit}'")
            return limit
    return None


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip


def _size(text: str) -> float:
    """'128MB' or '122.0 MiB' in bytes."""
    number = text.rstrip("BbKkMmGgTtIi ")
    unit = text[len(number) :].strip().upper()
    return float(number) * _UNITS.get(unit, 1)
