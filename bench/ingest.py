"""Ingest speed and memory: veille against the plain way, on generated files.

Generates (at bench time, in a temporary folder) a Telegram Desktop JSON export and a CSV of
tweets of each size, ingests each into a fresh case in a child process, and prints records/s
and peak RSS beside the plain way (``json.load`` / ``pandas.read_csv`` + DataFrame into DuckDB)
measured the same way in the same run.

    .venv/bin/python bench/ingest.py                  # 100k and 1M of each
    .venv/bin/python bench/ingest.py --sizes 100000   # quicker
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2016, 9, 1, tzinfo=UTC)
CITIES = ["Mossoul", "Mosul", "الموصل", "Raqqa", "الرقة", "Paris", "Bruxelles", "Berlin"]


def write_telegram(path: Path, messages: int, seed: int = 1) -> None:
    """A full-account export: ten channels, current format, entity arrays on some messages."""
    rng = random.Random(seed)
    chats = 10
    per_chat = messages // chats
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "about": "Here is the data you requested.",\n "chats": {\n  "about": "",\n')
        out.write('  "list": [\n')
        for chat in range(chats):
            chat_id = 1_000_000 + chat
            out.write(
                f'   {{\n    "name": "Canal {chat}",\n    "type": "public_channel",\n'
                f'    "id": {chat_id},\n    "messages": [\n'
            )
            for number in range(1, per_chat + 1):
                moment = START + timedelta(seconds=number * 37 + chat)
                user = rng.randrange(5000)
                city = rng.choice(CITIES)
                message: dict[str, object] = {
                    "id": number,
                    "type": "message",
                    "date": moment.strftime("%Y-%m-%dT%H:%M:%S"),
                    "date_unixtime": str(int(moment.timestamp())),
                    "from": f"Abu {user}",
                    "from_id": f"user{user}",
                }
                if number % 5 == 0:
                    text: object = [
                        "Nouvelles de ",
                        {"type": "hashtag", "text": f"#{city}"},
                        f" via @canal_{rng.randrange(50)}",
                    ]
                else:
                    text = f"Message {number} depuis {city} https://example.org/{number}"
                message["text"] = text
                if number % 7 == 0:
                    message["reply_to_message_id"] = number - 1
                if number % 11 == 0:
                    message["forwarded_from"] = f"Canal {rng.randrange(chats)}"
                out.write("     " + json.dumps(message, ensure_ascii=False))
                out.write(",\n" if number < per_chat else "\n")
            out.write("    ]\n   }" + (",\n" if chat < chats - 1 else "\n"))
        out.write("  ]\n }\n}\n")


def write_csv(path: Path, rows: int, seed: int = 2) -> None:
    """A scraped tweets table in the style of public datasets (month-first times).

    As ``pandas.to_csv`` writes them: apostrophe-quoted phrases, commas and doubled quotes in
    some texts (so those are quoted), and one text in fifty over two lines.
    """
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "username", "location", "time", "tweets"])
        for number in range(rows):
            user = rng.randrange(20_000)
            moment = START + timedelta(seconds=number * 13)
            text = (
                f"News from #{rng.choice(CITIES)} @abu_{rng.randrange(20_000)} "
                f"https://example.org/{number}"
            )
            if number % 7 == 0:
                text = f"the 'market' is empty, they say: \"{text}\""
            if number % 50 == 0:
                text += "\nmore soon"
            writer.writerow(
                [
                    f"Abu {user}",
                    f"abu_{user}",
                    CITIES[user % len(CITIES)],  # a profile's location, as scrapers export it
                    f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment.minute:02d}",
                    text,
                ]
            )


def child(mode: str, path: Path, case: Path) -> None:
    """Run one measurement in this process and print its figures as JSON."""
    started = time.perf_counter()
    if mode == "veille":
        from veille.case import Case

        with Case.init(case) as opened:
            report = opened.ingest([path])
        records = report.totals()["read"]
    elif mode == "plain-telegram":
        import duckdb
        import pandas as pd

        with path.open(encoding="utf-8") as stream:
            export = json.load(stream)
        frames = []
        for chat in export["chats"]["list"]:
            frame = pd.DataFrame(chat["messages"])
            frame["chat_id"] = chat["id"]
            frame["text"] = frame["text"].map(
                lambda t: (
                    t
                    if isinstance(t, str)
                    else "".join(p if isinstance(p, str) else p["text"] for p in t)
                )
            )
            frames.append(frame)
        messages = pd.concat(frames, ignore_index=True)
        messages["date"] = pd.to_datetime(messages["date_unixtime"].astype(int), unit="s", utc=True)
        con = duckdb.connect(str(case) + ".duckdb")
        con.execute(
            'CREATE TABLE posts AS SELECT chat_id, id, date, "from", from_id, text, '
            "reply_to_message_id, forwarded_from FROM messages"
        )
        records = len(messages)
    elif mode == "plain-csv":
        import duckdb
        import pandas as pd

        frame = pd.read_csv(path)
        frame["time"] = pd.to_datetime(frame["time"], format="%m/%d/%Y %H:%M", utc=True)
        con = duckdb.connect(str(case) + ".duckdb")
        con.execute("CREATE TABLE posts AS SELECT * FROM frame")
        records = len(frame)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": records, "seconds": seconds, "peak_mb": peak_mb}))


def measure(mode: str, path: Path, case: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), str(case)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} on {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PATH", "CASE"))
    args = parser.parse_args()
    if args.child:
        mode, path, case = args.child
        child(mode, Path(path), Path(case))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{'input':<28}{'size':>10}{'way':>16}{'records/s':>12}{'seconds':>9}{'peak RSS MB':>13}")
    with tempfile.TemporaryDirectory(prefix="veille-bench-") as folder:
        root = Path(folder)
        for size in sizes:
            for kind, writer, plain in (
                ("telegram result.json", write_telegram, "plain-telegram"),
                ("tweets CSV", write_csv, "plain-csv"),
            ):
                data = root / f"{kind.split()[0]}-{size}.{'json' if 'json' in kind else 'csv'}"
                writer(data, size)
                figures = {}
                for way in ("veille", plain):
                    result = measure(way, data, root / f"case-{way}-{data.stem}")
                    figures[way] = result
                    rate = result["records"] / result["seconds"]
                    print(
                        f"{kind:<28}{size:>10,}{way:>16}{rate:>12,.0f}"
                        f"{result['seconds']:>9.1f}{result['peak_mb']:>13,.0f}",
                        flush=True,
                    )
                ratio = figures[plain]["seconds"] / figures["veille"]["seconds"]
                print(f"{'':<28}{'':>10}{'plain/veille':>16}{ratio:>12.2f}x")
                data.unlink()


if __name__ == "__main__":
    main()
