"""The workbench under load: 20 clients on search, account and post pages of a 10^6-post case.

Builds (at bench time, in a temporary folder) a case of ``--posts`` posts by ``--accounts``
accounts, words drawn from a skewed vocabulary in three scripts, one mention in three posts;
builds its search index; starts ``veille serve`` in its own process; then ``--clients``
threads ask for pages for ``--seconds``: a search (a rare, a common or a two-word query), an
account page or a post page, at random. Prints p50 and p95 latency per kind of page, pages a
second, and the server's peak memory; and, to show what the web layer costs, the same search
run straight on DuckDB in this process (``search_posts``, one client).

    .venv/bin/python bench/serve.py                       # 10^6 posts, 20 clients, 60 s
    .venv/bin/python bench/serve.py --posts 100000 --seconds 20
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import psutil

KINDS = ("search", "account", "post")
# A skewed vocabulary: word i of VOCABULARY turns up about as often as 1 / (i + 1).
VOCABULARY = (
    ["mossoul", "الموصل", "daech", "داعش", "raqqa", "مدينة", "attaque", "bataille"]
    + [f"mot{i}" for i in range(3000)]
    + [f"كلمة{i}" for i in range(1000)]
)


def build(root: Path, posts: int, accounts: int) -> Path:
    from veille.case import Case

    case_root = root / "case"
    with Case.init(case_root) as case:
        con = case.con
        con.execute("CREATE TEMP TABLE vocabulary (i INTEGER, word VARCHAR)")
        con.executemany("INSERT INTO vocabulary VALUES (?, ?)", list(enumerate(VOCABULARY)))
        size = len(VOCABULARY)
        con.execute(
            f"""
            INSERT INTO actors (id, platform, kind, native_id, handle, name, source_id, locator)
            SELECT 'a' || a, 'twitter', 'account', CAST(a AS VARCHAR), 'user_' || a,
                   'Name ' || a, 'bench', 'row ' || a
            FROM range({accounts}) t(a);
            INSERT INTO actor_sightings (id, actor_id, platform, native_id, handle, name,
                                         source_id, locator)
            SELECT 's' || a, 'a' || a, 'twitter', CAST(a AS VARCHAR), 'user_' || a,
                   'Name ' || a, 'bench', 'row ' || a
            FROM range({accounts}) t(a);
            INSERT INTO sources (id, path, sha256, size, reader, reader_version, run_id,
                                 started_at, finished_at, status)
            VALUES ('bench', 'bench.csv', '', 0, 'tabular', 1, 'bench', now(), now(), 'done');
            SET VARIABLE vocabulary = (SELECT list(word ORDER BY i) FROM vocabulary);
            CREATE TEMP TABLE drawn AS
            SELECT p, 'a' || (hash(p) % {accounts}) AS author,
                   TIMESTAMPTZ '2016-01-01 00:00:00+00' + to_seconds(hash(p * 7) % 31536000)
                       AS posted_at,
                   list_transform(range(CAST(8 + hash(p * 3) % 16 AS BIGINT)), w -> CAST(
                       floor(exp((hash(p * 31 + w) % 1000000) / 1e6 * ln({size}))) AS INTEGER
                   )) AS words
            FROM range({posts}) t(p);
            INSERT INTO posts (id, platform, kind, author_id, posted_at, text, source_id, locator)
            SELECT 'p' || p, 'twitter', 'post', author, posted_at,
                   array_to_string(list_transform(words, w -> getvariable('vocabulary')[w]), ' '),
                   'bench', 'row ' || p
            FROM drawn;
            """
        )
        con.execute(
            f"""
            INSERT INTO interactions (id, kind, source_actor_id, target_actor_id, post_id,
                                      platform, occurred_at, source_id, locator)
            SELECT 'i' || p, 'mention', author, 'a' || (hash(p * 13) % {accounts}), 'p' || p,
                   'twitter', posted_at, 'bench', 'row ' || p
            FROM drawn WHERE p % 3 = 0
            """
        )
        started = time.perf_counter()
        case.index()
        print(f"index: {posts:,} posts in {time.perf_counter() - started:.1f} s", flush=True)
    return case_root


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _two_words(rng: random.Random) -> str:
    return f"{VOCABULARY[rng.randrange(0, 8)]} {VOCABULARY[rng.randrange(8, 200)]}"


def _urls(rng: random.Random, posts: int, accounts: int) -> tuple[str, str]:
    kind = rng.choice(KINDS)
    if kind == "account":
        return kind, f"/account/a{rng.randrange(accounts)}"
    if kind == "post":
        return kind, f"/post/p{rng.randrange(posts)}"
    query = rng.choice(
        [
            VOCABULARY[rng.randrange(1000, len(VOCABULARY))],  # rare
            VOCABULARY[rng.randrange(0, 8)],  # common
            _two_words(rng),
        ]
    )
    return kind, "/search?" + urllib.parse.urlencode({"q": query})


def load(base: str, clients: int, seconds: float, posts: int, accounts: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    errors: list[str] = []
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        while time.perf_counter() < stop:
            kind, url = _urls(rng, posts, accounts)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + url, timeout=60) as answer:
                    answer.read()
            except Exception as error:  # counted, not fatal: the figures say how many
                errors.append(f"{url}: {error}")
                continue
            timings[kind].append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors}


def _quantiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0] * 1000, values[0] * 1000) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=20)
    return statistics.median(values) * 1000, cuts[18] * 1000


def direct_search(case_root: Path, rounds: int = 60) -> dict[str, tuple[float, float]]:
    """The same searches straight on DuckDB, one at a time: the floor the web layer adds to."""
    from veille.case import Case, SearchFilters

    rng = random.Random(0)
    found: dict[str, list[float]] = {"rare": [], "common": [], "two words": []}
    with Case.open(case_root, read_only=True) as case:
        for _ in range(rounds):
            for label, words in (
                ("rare", VOCABULARY[rng.randrange(1000, len(VOCABULARY))]),
                ("common", VOCABULARY[rng.randrange(0, 8)]),
                (
                    "two words",
                    _two_words(rng),
                ),
            ):
                started = time.perf_counter()
                case.search(SearchFilters(words=words), limit=50)
                found[label].append(time.perf_counter() - started)
    return {label: _quantiles(values) for label, values in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--case", type=Path, help="A case this script built before (same --posts, --accounts)."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veille-serve-bench-") as work:
        started = time.perf_counter()
        case_root = args.case or build(Path(work), args.posts, args.accounts)
        print(f"case: {args.posts:,} posts ready in {time.perf_counter() - started:.1f} s")
        direct = direct_search(case_root)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from veille.cli import main; main()",
                "serve",
                str(case_root),
                "--port",
                str(port),
            ],
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/search", timeout=30).read()
                    break
                except OSError:
                    time.sleep(0.2)
            peak = [0.0]
            watching = [True]

            def watch() -> None:
                process = psutil.Process(server.pid)
                while watching[0]:
                    peak[0] = max(peak[0], process.memory_info().rss / 2**20)
                    time.sleep(0.2)

            watcher = threading.Thread(target=watch)
            watcher.start()
            result = load(base, args.clients, args.seconds, args.posts, args.accounts)
            watching[0] = False
            watcher.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    pages = sum(len(v) for v in result["timings"].values())
    print(f"\n{args.clients} clients for {args.seconds:.0f} s: {pages:,} pages, "
          f"{pages / args.seconds:.1f} pages/s, {len(result['errors'])} errors; "
          f"server peak RSS {peak[0]:,.0f} MB")  # fmt: skip
    print(f"{'page':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, values in result["timings"].items():
        p50, p95 = _quantiles(values)
        print(f"{kind:<10} {len(values):>7} {p50:>8.0f} {p95:>8.0f}")
    print("\nThe same searches straight on DuckDB (search_posts, one at a time):")
    for label, (p50, p95) in direct.items():
        print(f"{label:<10} {'':>7} {p50:>8.0f} {p95:>8.0f}")
    for error in result["errors"][:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
