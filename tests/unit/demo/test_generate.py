"""The demo scenario: deterministic, in formats the standard library parses, story as planted."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from veille.demo.clock import local_to_utc, offset_label, utc_offset_min
from veille.demo.generate import FILES, write_scenario
from veille.demo.jpeg import grey_jpeg
from veille.demo.scenario import (
    BLACKOUT_START,
    COLLECTION_START,
    MIGRATION_START,
    PERIOD_END,
    PERIOD_START,
)

SCALE = 0.05
MOSUL = re.compile(r"(?<!\w)(?:Mosul|Mossoul|Mossul|الموصل)(?!\w)")
RAQQA = re.compile(r"(?<!\w)(?:Raqqa|Rakka|الرقة)(?!\w)")
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,32})")
ANDROID_HEADER = re.compile(r"^(\d\d)/(\d\d)/(\d{4}), (\d\d):(\d\d) - ")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("demo")
    return folder, write_scenario(folder, seed=7, scale=SCALE)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _tweets(folder: Path) -> list[dict[str, str]]:
    with (folder / FILES["tweets"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _tweet_time(value: str) -> datetime | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d)", value)
    if not match:
        return None
    month, day, year, hour, minute = map(int, match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def _export(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / FILES["telegram_json"]).read_text("utf-8"))
    return data


def _messages(export: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(chat, m) for chat in export["chats"]["list"] for m in chat["messages"]]


def _text(message: dict[str, Any]) -> str:
    text = message["text"]
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else part["text"] for part in text)


# -- determinism --------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes(demo: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, _ = demo
    write_scenario(tmp_path, seed=7, scale=SCALE)
    first, second = _tree(folder), _tree(tmp_path)
    assert list(first) == list(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_another_seed_gives_other_files(demo: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, truth = demo
    other = write_scenario(tmp_path, seed=8, scale=SCALE)
    assert (tmp_path / FILES["tweets"]).read_bytes() != (folder / FILES["tweets"]).read_bytes()
    assert (tmp_path / FILES["telegram_json"]).read_bytes() != (
        folder / FILES["telegram_json"]
    ).read_bytes()
    assert other["seed"] == 8
    assert other["series"]["total"] != truth["series"]["total"]


def test_ground_truth_file_is_what_is_returned(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    assert json.loads((folder / FILES["truth"]).read_text("utf-8")) == truth
    assert truth["seed"] == 7
    assert truth["scale"] == SCALE


def test_scale_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        write_scenario(tmp_path, scale=0)


# -- formats ------------------------------------------------------------------------------------


def test_tweets_csv_is_the_kaggle_layout(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    rows = _tweets(folder)
    assert list(rows[0]) == [
        "name",
        "username",
        "description",
        "location",
        "followers",
        "numberstatuses",
        "time",
        "tweets",
    ]
    times = [_tweet_time(row["time"]) for row in rows]
    good = [t for t in times if t is not None]
    report = truth["files"][FILES["tweets"]]
    assert len(good) == report["records"]
    assert len(rows) - len(good) == report["bad"] == 2
    # Month-first, and days above 12 occur so the order can be detected.
    assert any(int(row["time"].split("/")[1]) > 12 for row in rows)
    # From the collection's thin start (a trickle before the period's real volume) to the end.
    assert all(COLLECTION_START <= t.date() <= PERIOD_END for t in good)
    assert sum(1 for t in good if t.date() < PERIOD_START) <= 40
    assert {"2/30/2016 14:05", "#VALUE!"} <= {row["time"] for row in rows}


def test_telegram_json_is_a_full_account_export(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    export = _export(folder)
    assert {"about", "personal_information", "contacts", "chats"} <= set(export)
    types = Counter(chat["type"] for chat in export["chats"]["list"])
    assert types["public_channel"] >= 3
    assert types["public_supergroup"] == 1
    assert types["personal_chat"] == 1
    messages = [m for _, m in _messages(export)]
    good = [m for m in messages if m["date_unixtime"].isdigit()]
    report = truth["files"][FILES["telegram_json"]]
    assert sum(1 for m in good if m["type"] == "message") == report["records"]
    assert sum(1 for m in good if m["type"] == "service") == report["service"]
    assert len(messages) - len(good) == report["bad"] == 1
    for message in good:
        # ``date`` is the exporting machine's wall clock, three hours ahead of UTC.
        local = datetime.fromisoformat(message["date"])
        utc = datetime.fromtimestamp(int(message["date_unixtime"]), UTC)
        assert (local - utc.replace(tzinfo=None)).total_seconds() == 3 * 3600
        assert isinstance(message["text_entities"], list)
    shapes = Counter(type(m["text"]).__name__ for m in good)
    assert shapes["str"]
    assert shapes["list"]
    kinds = {e["type"] for m in good for e in m["text_entities"]}
    assert {"plain", "hashtag", "mention", "link"} <= kinds
    assert any("forwarded_from" in m for m in good)
    assert any("reply_to_message_id" in m for m in good)


def test_telegram_media_present_or_missing_as_reported(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    listing = truth["media"]["files"]
    statuses = Counter(item["status"] for item in listing)
    assert statuses["present"] >= 3
    assert statuses["missing"] >= 2
    assert statuses["not_included"] == 1
    for item in listing:
        if item["file"].endswith(".zip") or item["status"] == "not_included":
            continue
        base = (folder / item["file"]).parent
        assert (base / item["name"]).is_file() == (item["status"] == "present"), item
    photos = [m["photo"] for _, m in _messages(_export(folder)) if "photo" in m]
    assert all(
        re.fullmatch(r"chats/chat_\d/photos/photo_\d+@\d\d-\d\d-\d{4}_\d\d-\d\d-\d\d\.jpg", p)
        or p.startswith("(File not included")
        for p in photos
    )


def test_telegram_html_pages_parse_and_paginate(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    report = truth["files"][FILES["telegram_html"] + "/messages.html"]
    pages = report["pages"]
    assert len(pages) >= 2
    assert pages[:2] == ["messages.html", "messages2.html"]
    total = 0
    titles = []
    for name in pages:
        tree = lxml.html.fromstring((folder / FILES["telegram_html"] / name).read_bytes())
        messages = tree.xpath('//div[contains(@class, "message default")]')
        total += len(messages)
        titles += tree.xpath('//div[contains(@class, "pull_right date details")]/@title')
        assert tree.xpath('//a[contains(@class, "pagination")]')
    assert total == report["records"] + report["bad"]
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d UTC\+03:00", t) for t in titles)
    every = "".join((folder / FILES["telegram_html"] / n).read_text("utf-8") for n in pages)
    assert 'class="message default clearfix joined"' in every
    assert '<div class="forwarded body">' in every
    assert '<a class="pagination block_link" href="messages2.html">' in every


def test_whatsapp_android_lines(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    lines = (folder / FILES["android"]).read_text("utf-8").splitlines()
    report = truth["files"][FILES["android"]]
    assert not ANDROID_HEADER.match(lines[0])  # the planted line before the first header
    headers = [line for line in lines if ANDROID_HEADER.match(line)]
    authored = [line for line in headers if re.match(r"^[^-]+ - [^:]+: ", line)]
    assert len(authored) == report["records"]
    assert len(headers) - len(authored) == report["service"]
    assert any(line.endswith(": <Media omitted>") for line in authored)
    # Multi-line messages leave continuation lines without a header.
    assert len(lines) > len(headers) + 1
    assert any(int(line[:2]) > 12 for line in headers)  # day-first is detectable


def test_whatsapp_ios_txt_and_zip(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    plain = (folder / FILES["ios_txt"]).read_text("utf-8").splitlines()
    with zipfile.ZipFile(folder / FILES["ios_zip"]) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        chat = archive.read("_chat.txt").decode("utf-8").splitlines()
        attached = re.findall(r"<attached: ([^>]+)>", "\n".join(chat))
        assert attached
        assert sorted(attached) == sorted(n for n in names if n != "_chat.txt")
        assert all(archive.read(n)[:2] == b"\xff\xd8" for n in attached)
    assert len(plain) == len(chat)
    header = re.compile(r"^\u200e?\[\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d:\d\d [AP]M\] ")
    assert sum(1 for line in plain if header.match(line)) == sum(
        1 for line in chat if header.match(line)
    )
    omitted = [line for line in plain if line.endswith("\u200eimage omitted")]
    assert len(omitted) == len(attached)
    assert all(line.startswith("\u200e[") for line in omitted)
    assert plain[-1].startswith("[2/30/17, ")  # the planted impossible date
    report = truth["files"][FILES["ios_zip"]]
    assert report["same_chat_as"] == FILES["ios_txt"]


def test_news_pages_parse_and_name_the_group(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    langs = set()
    for article in truth["news"]:
        path = folder / article["file"]
        content = path.read_text("utf-8")
        if path.suffix == ".html":
            tree = lxml.html.fromstring(content.encode("utf-8"))
            assert tree.xpath("//article//h1/text()") == [article["title"]]
            assert tree.xpath('//div[@id="cookie-banner"]')
            assert tree.xpath("//nav")
        else:
            assert content.startswith(article["title"] + "\n")
            assert "Suivez-nous surTelegram" in content
            assert "Lire aussi" in content
        assert article["aliases"]
        assert article["places"]
        for alias in article["aliases"]:
            assert alias in content
        langs.add(article["lang"])
    assert langs == {"fr", "en", "ar"}
    every = {alias for article in truth["news"] for alias in article["aliases"]}
    assert {"Daech", "Daesh", "ISIS", "ISIL", "Islamic State", "داعش"} <= every


def test_only_example_domains_and_telegram_links(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = demo
    allowed = re.compile(r"(?:[\w-]+\.)*example\.(?:org|com)|t\.me|schema\.org")
    for name, data in _tree(folder).items():
        if name.endswith((".jpg", ".zip")):
            continue
        for host in re.findall(r"https?://([^/\s\"'<>]+)", data.decode("utf-8")):
            assert allowed.fullmatch(host), (name, host)


def test_jpegs_decode(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = demo
    photos = sorted(folder.rglob("*.jpg"))
    assert photos
    for path in photos[:3]:
        width, height, blocks = _decode_jpeg(path.read_bytes())
        assert blocks == ((width + 7) // 8) * ((height + 7) // 8)
    assert _decode_jpeg(grey_jpeg(13, 9, 200)) == (13, 9, 4)


# -- the story ----------------------------------------------------------------------------------


def _daily_rate(days: Counter[date], start: date, end: date) -> float:
    span = (end - start).days + 1
    return sum(n for day, n in days.items() if start <= day <= end) / span


def _raw_place_days(folder: Path, pattern: re.Pattern[str]) -> Counter[date]:
    """Posts per UTC day naming a place, read straight from the CSV and the JSON export."""
    days: Counter[date] = Counter()
    for row in _tweets(folder):
        moment = _tweet_time(row["time"])
        if moment and pattern.search(row["tweets"]):
            days[moment.date()] += 1
    for _, message in _messages(_export(folder)):
        good = message["type"] == "message" and message["date_unixtime"].isdigit()
        if good and pattern.search(_text(message)):
            days[datetime.fromtimestamp(int(message["date_unixtime"]), UTC).date()] += 1
    return days


def test_mosul_blackout_is_visible_in_raw_counts(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    before_end = date.fromordinal(BLACKOUT_START.toordinal() - 1)
    mosul = _raw_place_days(folder, MOSUL)
    raqqa = _raw_place_days(folder, RAQQA)
    mosul_before = _daily_rate(mosul, PERIOD_START, before_end)
    mosul_after = _daily_rate(mosul, BLACKOUT_START, PERIOD_END)
    assert mosul_before > 1
    assert mosul_after < 0.2 * mosul_before
    raqqa_before = _daily_rate(raqqa, PERIOD_START, before_end)
    raqqa_after = _daily_rate(raqqa, BLACKOUT_START, PERIOD_END)
    assert 0.7 < raqqa_after / raqqa_before < 1.3
    planted = {b["series"]: b for b in truth["blackouts"]}
    assert planted["place:Mosul"]["start"] == BLACKOUT_START.isoformat()
    assert planted["place:Mosul"]["depth"] == 0.9
    assert "place:Raqqa" in {c["series"] for c in truth["controls"]}


def test_interactions_stay_mostly_inside_communities(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    accounts = truth["accounts"]
    by_handle = {a["keys"]["twitter"].casefold(): a for a in accounts if "twitter" in a["keys"]}
    by_username = {
        a["keys"]["telegram_username"]: a for a in accounts if "telegram_username" in a["keys"]
    }
    by_from_id = {a["keys"]["telegram"]: a for a in accounts if "telegram" in a["keys"]}
    by_name = {a["name"]: a for a in accounts}
    pairs: list[tuple[str, str]] = []
    for row in _tweets(folder):
        if _tweet_time(row["time"]) is None:
            continue
        source = by_handle[row["username"].casefold()]
        for handle in MENTION.findall(row["tweets"]):
            pairs.append((source["community"], by_handle[handle.casefold()]["community"]))
    export = _export(folder)
    for chat, message in _messages(export):
        if message["type"] != "message" or not message["date_unixtime"].isdigit():
            continue
        source = by_from_id[message["from_id"]]
        if "forwarded_from" in message:
            pairs.append((source["community"], by_name[message["forwarded_from"]]["community"]))
        for entity in message["text_entities"]:
            if entity["type"] == "mention":
                target = by_username[entity["text"][1:]]
                pairs.append((source["community"], target["community"]))
        if "reply_to_message_id" in message:
            replied = next(m for m in chat["messages"] if m["id"] == message["reply_to_message_id"])
            pairs.append((source["community"], by_from_id[replied["from_id"]]["community"]))
    expected = (
        truth["files"][FILES["tweets"]]["interactions"]
        + truth["files"][FILES["telegram_json"]]["interactions"]
    )
    assert len(pairs) == expected
    within = sum(1 for a, b in pairs if a == b) / len(pairs)
    assert within >= 0.8
    assert truth["interactions"]["share_within"] >= 0.8
    assert len({(a, b) for a, b in pairs if a != b}) >= 4  # brokers do link communities


def test_move_moves_named_people_to_the_group(demo: tuple[Path, dict[str, Any]]) -> None:
    folder, truth = demo
    move = truth["moves"][0]
    handles = {h.casefold() for h in move["twitter_handles"]}
    assert len(handles) >= 10
    rows = [r for r in _tweets(folder) if r["username"].casefold() in handles]
    times = [_tweet_time(r["time"]) for r in rows]
    assert all(t is None or t.date() < MIGRATION_START for t in times)
    announcing = {r["username"].casefold() for r in rows if move["link"] in r["tweets"]}
    assert announcing == handles
    export = _export(folder)
    group = next(c for c in export["chats"]["list"] if c["type"] == "public_supergroup")
    assert move["to"] == "telegram:muhajirun_eu"
    joined = {m["actor"] for m in group["messages"] if m.get("action") == "join_group_by_link"}
    assert joined == set(move["names"])
    speakers_after = {
        m["from"]
        for m in group["messages"]
        if m["type"] == "message" and m["date"] >= MIGRATION_START.isoformat()
    }
    assert set(move["names"]) & speakers_after


def test_ground_truth_describes_the_cast(demo: tuple[Path, dict[str, Any]]) -> None:
    _, truth = demo
    accounts = truth["accounts"]
    assert 120 <= len(accounts) <= 200
    # Names are unique but for successors, who may keep their suspended account's name.
    others = [a for a in accounts if a["turnover"] != "successor"]
    assert len({a["name"] for a in others}) == len(others)
    assert set(truth["communities"]) == {
        "mosul_cell",
        "raqqa_media",
        "european_supporters",
        "news_relay",
    }
    for community in truth["communities"].values():
        assert 1 <= len(community["hubs"]) <= 2
    hubs = {a["id"] for a in accounts if a["role"] == "hub"}
    ranked = sorted(accounts, key=lambda a: -a["received_interactions"])
    assert ranked[0]["id"] in hubs
    assert [c["id"] for c in truth["central_accounts"]] == sorted(
        # Ties go by id, as the truth ranks them (a set's order would make the test flaky).
        hubs,
        key=lambda h: (-next(a for a in accounts if a["id"] == h)["received_interactions"], h),
    )
    assert truth["brokers"]
    # At this scale a broker tweets a dozen times or so: each reaches across, most to two
    # communities or more (at scale 1 all do; which one falls short is the draw's luck).
    assert all(b["links_to"] for b in truth["brokers"])
    assert sum(len(b["links_to"]) >= 2 for b in truth["brokers"]) >= len(truth["brokers"]) - 1
    assert all(a["home_city"] in truth["places"] for a in accounts)
    assert 3 <= len(truth["bad_records"]) <= 10
    assert truth["expected_counts"]["rejects"] == len(truth["bad_records"])
    days = (PERIOD_END - COLLECTION_START).days + 1  # series count from the thin start
    assert all(len(values) == days for values in truth["series"].values())
    assert sum(truth["series"]["total"]) == truth["expected_counts"]["posts"] - len(truth["news"])


def test_volume_scales_to_the_planned_size(demo: tuple[Path, dict[str, Any]]) -> None:
    # Rates are linear in ``scale``: the small demo predicts the full one without writing it.
    _, truth = demo
    posts = truth["expected_counts"]["posts"]
    assert 20_000 <= posts / SCALE <= 40_000
    assert max(truth["series"]["total"]) >= 1


# -- clock --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2016, 9, 1, 12, tzinfo=UTC),
        datetime(2016, 10, 30, 0, 59, tzinfo=UTC),
        datetime(2016, 10, 30, 1, 0, tzinfo=UTC),
        datetime(2017, 2, 28, 23, tzinfo=UTC),
        datetime(2017, 3, 26, 1, 0, tzinfo=UTC),
    ],
)
def test_european_offsets_match_the_tz_database(moment: datetime) -> None:
    for zone, name in (("eu1", "Europe/Brussels"), ("eu0", "Europe/London")):
        expected = moment.astimezone(ZoneInfo(name)).utcoffset()
        assert expected is not None
        assert utc_offset_min(zone, moment) == expected.total_seconds() // 60


def test_local_to_utc_and_labels() -> None:
    assert local_to_utc("+3", datetime(2016, 9, 1, 3, 0)) == datetime(2016, 9, 1, 0, 0, tzinfo=UTC)
    assert local_to_utc("eu1", datetime(2016, 12, 1, 12, 0)) == datetime(
        2016, 12, 1, 11, 0, tzinfo=UTC
    )
    assert offset_label(180) == "+03:00"
    assert offset_label(-90) == "-01:30"


# -- helpers ------------------------------------------------------------------------------------


def _decode_jpeg(data: bytes) -> tuple[int, int, int]:
    """Huffman-decode a baseline greyscale JPEG; return its width, height and block count."""
    assert data[:2] == b"\xff\xd8"
    assert data[-2:] == b"\xff\xd9"
    position, tables, size = 2, {}, (0, 0)
    while True:
        marker, length = data[position + 1], int.from_bytes(data[position + 2 : position + 4])
        payload = data[position + 4 : position + 2 + length]
        position += 2 + length
        if marker == 0xC0:
            size = (int.from_bytes(payload[3:5]), int.from_bytes(payload[1:3]))
        elif marker == 0xC4:
            counts, symbols = payload[1:17], list(payload[17:])
            codes, code, index = {}, 0, 0
            for length_minus_one, count in enumerate(counts):
                for _ in range(count):
                    codes[(length_minus_one + 1, code)] = symbols[index]
                    code, index = code + 1, index + 1
                code <<= 1
            tables[payload[0] >> 4] = codes
        elif marker == 0xDA:
            break
    entropy = data[position:-2].replace(b"\xff\x00", b"\xff")
    bits = "".join(f"{byte:08b}" for byte in entropy)
    cursor = 0

    def symbol(table: dict[tuple[int, int], int]) -> int:
        nonlocal cursor
        for length in range(1, 17):
            key = (length, int(bits[cursor : cursor + length], 2))
            if key in table:
                cursor += length
                return table[key]
        raise AssertionError("no Huffman code matches")

    width, height = size
    blocks = 0
    expected = ((width + 7) // 8) * ((height + 7) // 8)
    while blocks < expected:
        category = symbol(tables[0])  # DC category, then that many value bits
        cursor += category
        coefficient = 1
        while coefficient < 64:
            value = symbol(tables[1])
            if value == 0:
                break
            cursor += value & 0x0F  # run/size: skip the coefficient's value bits
            coefficient += (value >> 4) + 1
        blocks += 1
    assert set(bits[cursor:]) <= {"1"}  # only padding left
    return width, height, blocks
