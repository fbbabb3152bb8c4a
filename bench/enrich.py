"""Enrichment speed and memory on generated posts in French, English, Arabic and German.

Each mode runs in its own child process (peak RSS is per process) on the same posts:

- ``gazetteer``: language, links, aliases and places, the enrichers called on batches directly;
- ``case``: the same through a case (posts ingested from a CSV, then ``Case.enrich``), so the
  cost of reading posts and writing facts is counted;
- ``ner-pipe``: spaCy NER through ``nlp.pipe`` (batch 64), one process, on the French and
  English posts of a subset; ``ner-pipe2``: the same with two processes;
- ``plain``: the plain way, ``nlp(text)`` one post at a time, on the same subset.

    .venv/bin/python bench/enrich.py                    # 100,000 posts; NER on 5,000
    .venv/bin/python bench/enrich.py --posts 20000 --ner-posts 2000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from child import peak_rss_mb, run_child

MODES = ("gazetteer", "case", "ner-pipe", "ner-pipe2", "plain")
PLACES = {
    "fr": ["Mossoul", "Raqqa", "Alep", "Bagdad", "Paris", "Bruxelles", "Tripoli", "Syrie", "Irak"],
    "en": ["Mosul", "Raqqa", "Aleppo", "Baghdad", "London", "Brussels", "Tripoli", "Syria", "Iraq"],
    "ar": ["الموصل", "الرقة", "حلب", "بغداد", "باريس", "دمشق", "طرابلس", "سوريا", "العراق"],
    "de": ["Mossul", "Rakka", "Aleppo", "Bagdad", "Berlin", "Brüssel", "Syrien", "Irak"],
}
GROUPS = {
    "fr": ["Daech", "l'EI", "l'État islamique", "Europol", "Telegram"],
    "en": ["ISIS", "Daesh", "the Islamic State", "Europol", "Telegram"],
    "ar": ["داعش", "الدولة الإسلامية", "تنظيم الدولة", "تلغرام"],
    "de": ["der IS", "Daesh", "Telegram"],
}
TEMPLATES = {
    "fr": [
        "Nouvelles de {p} ce soir : {g} revendique l'attaque",
        "Les frères de {p} tiennent bon",
        "Selon une source locale, {g} a quitté {p} hier soir",
        "Coupure de courant à {p}",
    ],
    "en": [
        "Reports from {p} tonight: {g} claims the attack",
        "Brothers in {p} are steadfast",
        "According to a local source, {g} left {p} last night",
        "Power cut again in {p}",
    ],
    "ar": [
        "أخبار من {p} الليلة: {g} يتبنى الهجوم",
        "الإخوة في {p} بخير والحمد لله",
        "مصدر محلي: {g} انسحب من {p} الليلة الماضية",
        "انقطاع الكهرباء في {p} مرة أخرى",
    ],
    "de": ["Neuigkeiten aus {p} heute: {g} bekennt sich", "Stromausfall in {p}"],
}
LANGS = ["ar"] * 4 + ["en"] * 3 + ["fr"] * 2 + ["de"]


def posts(count: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    made = []
    for number in range(count):
        lang = rng.choice(LANGS)
        text = rng.choice(TEMPLATES[lang]).format(
            p=rng.choice(PLACES[lang]), g=rng.choice(GROUPS[lang])
        )
        if rng.random() < 0.2:
            text += f" #{rng.choice(PLACES[lang]).replace(' ', '_')}"
        if rng.random() < 0.1:
            text += f" https://t.me/canal_{rng.randrange(100)}"
        made.append({"id": f"p{number}", "text": text, "lang": lang, "author": f"u{number % 997}"})
    return made


def _batch(items: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {
        "id": [p["id"] for p in items],
        "text": [p["text"] for p in items],
        "title": [None] * len(items),
        "kind": ["post"] * len(items),
        "platform": ["bench"] * len(items),
        "author_id": [p["author"] for p in items],
    }


def run_gazetteer(items: list[dict[str, Any]]) -> dict[str, Any]:
    from veille.enrich import EnrichContext
    from veille.enrich.entities_enricher import EntitiesEnricher
    from veille.enrich.gazetteer import load_gazetteer
    from veille.enrich.language_enricher import LanguageEnricher
    from veille.enrich.links_enricher import LinksEnricher
    from veille.enrich.places_enricher import PlacesEnricher

    began = time.perf_counter()
    load_gazetteer()
    context = EnrichContext(Path(), {"entities": {"ner": "none"}})
    enrichers = [
        cls(context) for cls in (LanguageEnricher, LinksEnricher, EntitiesEnricher, PlacesEnricher)
    ]
    loaded = time.perf_counter() - began
    stages: dict[str, float] = {}
    facts: dict[str, int] = {}
    for start in range(0, len(items), 20_000):
        batch = _batch(items[start : start + 20_000])
        for enricher in enrichers:
            tick = time.perf_counter()
            found = enricher.enrich(batch)
            stages[enricher.name] = stages.get(enricher.name, 0.0) + time.perf_counter() - tick
            for table, rows in found.items():
                facts[table] = facts.get(table, 0) + len(rows)
            if enricher.name == "lang":
                columns = found["post_languages"].columns
                langs = dict(zip(columns["post_id"], columns["lang"], strict=True))
                batch["lang"] = [langs.get(i) for i in batch["id"]]
    seconds = sum(stages.values())
    return {
        "posts": len(items),
        "seconds": seconds,
        "load_seconds": loaded,
        "stages": stages,
        "facts": facts,
    }


def run_case(items: list[dict[str, Any]]) -> dict[str, Any]:
    from veille.case import Case

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "posts.csv"
        with source.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["id", "author", "time", "text"])
            for item in items:
                writer.writerow([item["id"][1:], item["author"], "2016-11-01 10:00", item["text"]])
        case = Case.init(Path(folder) / "case")
        case.ingest([source])
        began = time.perf_counter()
        reports = case.enrich(["lang", "links", "entities", "places"])
        seconds = time.perf_counter() - began
        case.close()
    return {
        "posts": len(items),
        "seconds": seconds,
        "stages": {r.enricher: r.seconds for r in reports},
        "facts": {k: v for r in reports for k, v in r.facts.items()},
    }


def run_ner(items: list[dict[str, Any]], mode: str) -> dict[str, Any]:
    from veille.enrich.ner import pipeline, recognise

    chosen = [p for p in items if p["lang"] in ("fr", "en")]
    for lang in ("fr", "en"):
        pipeline(lang)  # loading is not the part measured
    began = time.perf_counter()
    spans = 0
    for lang in ("fr", "en"):
        texts = [p["text"] for p in chosen if p["lang"] == lang]
        if mode == "plain":
            nlp = pipeline(lang)
            for text in texts:
                spans += len(nlp(text).ents)
        else:
            processes = 2 if mode == "ner-pipe2" else 1
            for found in recognise(texts, lang, batch_size=64, processes=processes):
                spans += len(found)
    return {"posts": len(chosen), "seconds": time.perf_counter() - began, "spans": spans}


def child(mode: str, count: int, ner_count: int) -> None:
    items = posts(count)
    if mode == "gazetteer":
        result = run_gazetteer(items)
    elif mode == "case":
        result = run_case(items)
    else:
        result = run_ner(items[:ner_count], mode)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def measure(mode: str, count: int, ner_count: int) -> dict[str, Any]:
    return run_child(
        __file__, "--child", mode, "--posts", str(count), "--ner-posts", str(ner_count)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--ner-posts", type=int, default=5_000)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--child", choices=MODES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.posts, args.ner_posts)
        return
    results = {mode: measure(mode, args.posts, args.ner_posts) for mode in args.modes.split(",")}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'mode':<11} {'posts':>8} {'seconds':>8} {'posts/s':>9} {'peak RSS':>9}  detail")
    for mode, r in results.items():
        rate = r["posts"] / r["seconds"] if r["seconds"] else float("inf")
        detail = ", ".join(f"{k} {v:.2f}s" for k, v in r.get("stages", {}).items())
        print(
            f"{mode:<11} {r['posts']:>8,} {r['seconds']:>8.2f} {rate:>9,.0f} "
            f"{r['peak_rss_mb']:>7,.0f}MB  {detail}"
        )
    if "plain" in results:
        plain = results["plain"]["posts"] / results["plain"]["seconds"]
        for mode in ("ner-pipe", "ner-pipe2"):
            if mode in results:
                rate = results[mode]["posts"] / results[mode]["seconds"]
                print(f"{mode} against nlp() one post at a time: {rate / plain:.2f}x")


if __name__ == "__main__":
    main()
