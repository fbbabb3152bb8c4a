"""``veille demo``: write the scenario, ingest it like a user's files, and say what is there.

The scenario's files go through the same readers as anyone's exports; the ground truth beside
them says what the later analyses should find.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from veille.case import Case
from veille.demo.findings import print_activity, print_enrichment
from veille.demo.generate import write_scenario
from veille.demo.turnover_findings import print_turnover
from veille.errors import ConfigError, VeilleError
from veille.runs.ingest import IngestResult

__all__ = ["run_demo"]

GROUND_TRUTH = "ground_truth.json"
PUBLIC_KINDS = ("mention", "reply", "forward", "retweet", "quote")


def _check_data_folder(data: Path) -> None:
    if not data.exists():
        return
    if not data.is_dir():
        raise ConfigError(f"--data: {data} exists and is not a folder; choose another folder")
    if any(data.iterdir()) and not (data / GROUND_TRUTH).is_file():
        raise ConfigError(
            f"--data: {data} is not empty and not a previous demo's data "
            f"(no {GROUND_TRUTH}); choose another folder"
        )


def _check_case_folder(case: Path, data: Path) -> None:
    """The demo deletes ``case`` before building it: only ever a demo case.

    A previous demo case is a case whose every source was read from the demo's data folder;
    a user's case, read from anywhere else, is refused.
    """
    if not case.exists():
        return
    if not case.is_dir():
        raise ConfigError(f"{case} exists and is not a folder; choose another folder")
    if not any(case.iterdir()):
        return
    refusal = f"{case} is not empty and not a previous demo case; choose another folder"
    if not (case / "case.toml").is_file():
        raise ConfigError(refusal)
    try:
        with Case.open(case, read_only=True) as opened:
            sources = [Path(row["path"]) for row in opened.status()["sources"]]
    except VeilleError:
        raise ConfigError(refusal) from None  # not even a case that opens
    inside = data.resolve()
    if not sources or not all(source.is_relative_to(inside) for source in sources):
        raise ConfigError(refusal)


def run_demo(
    case_path: Path, data: Path, console: Console, *, seed: int = 7, scale: float = 1.0
) -> dict[str, Any]:
    """Generate the scenario into ``data``, build ``case_path`` from it, print a summary;
    return the scores of the silence, successor and coverage findings against the truth."""
    # Both are checked before either is deleted: only ever a previous demo's folders.
    _check_data_folder(data)
    _check_case_folder(case_path, data)
    for folder in (data, case_path):
        if folder.exists():
            shutil.rmtree(folder)
    truth = write_scenario(data, seed=seed, scale=scale)
    console.print(
        f"Wrote the demo scenario (seed {seed}, scale {scale}) to {data}/: "
        f"{len(truth['files'])} export files; what was planted is in {data / GROUND_TRUTH}"
    )
    # Files are grouped by the zone their naive times were written in, as a user would
    # ingest a chat exported on a phone set to Baghdad time with --tz Asia/Baghdad.
    by_zone: dict[str | None, list[Path]] = defaultdict(list)
    for entry in truth["files"].values():
        by_zone[entry["zone"]].append(data / entry["ingest"])
    reports: list[IngestResult] = []
    Case.init(case_path).close()
    _declare_same_accounts(case_path / "case.toml", truth)
    with Case.open(case_path) as case:
        for zone, paths in sorted(by_zone.items(), key=lambda item: item[0] or ""):
            reports.append(case.ingest(sorted(set(paths)), time_zone=zone))
        _print_ingest(console, reports, truth)
        _print_case(console, case, truth)
        _print_network(console, case, truth)
        print_enrichment(console, case, case.enrich())
        activity = case.activity()
        print_activity(console, activity, truth)
        scores = print_turnover(console, case, activity, truth)
        report = case_path / "report.html"
        case.report(report)
        exports = case_path / "exports"
        exports.mkdir()
        for table in ("posts", "actors", "interactions", "quarantine"):
            case.export(table, exports / f"{table}.parquet", "parquet")
        case.index()  # the workbench's search
    console.print(
        f"\nOutputs: the case is {case_path}/ (case.duckdb, media/), Parquet copies of its tables "
        f"are in {exports}/, the report (open it in a browser) is {report}.\n"
        f"Try: veille status {case_path}  |  veille quarantine {case_path}  |  "
        f'veille query {case_path} "SELECT platform, count(*) FROM posts GROUP BY 1"\n'
        f"Explore it in the workbench: veille serve {case_path}  then open "
        "http://127.0.0.1:8765/ (search, every post, account and finding, graph, map, timeline)."
    )
    return scores


def _same_as_groups(truth: dict[str, Any]) -> list[list[str]]:
    """Each planted person's accounts on every platform, as an analyst would declare them."""
    groups = []
    for account in truth["accounts"]:
        keys = account["keys"]
        entries = [f"twitter:{keys['twitter']}"] if "twitter" in keys else []
        if "telegram" in keys:
            # Forwards name a channel by its display name only: that is an account key too.
            entries += [f"telegram:{keys['telegram']}", f"telegram:name:{account['name']}"]
        if "telegram_username" in keys:
            entries.append(f"telegram:@{keys['telegram_username']}")
        if "telegram_html" in keys:
            entries.append(f"telegram:{keys['telegram_html']}")
        if "whatsapp" in keys:
            entries.append(f"whatsapp:{keys['whatsapp']}")
        if len(entries) > 1:
            groups.append(list(dict.fromkeys(entries)))
    return groups


def _declare_same_accounts(config: Path, truth: dict[str, Any]) -> None:
    """Write the planted cross-platform identities into ``case.toml`` (``actors.same_as``)."""
    text = config.read_text(encoding="utf-8")
    groups = json.dumps(_same_as_groups(truth), ensure_ascii=False, indent=None)
    config.write_text(text.replace("same_as = []", f"same_as = {groups}"), encoding="utf-8")


def _print_network(console: Console, case: Case, truth: dict[str, Any]) -> None:
    # Public acts only: WhatsApp "contact" edges join every member of a chat and would
    # drown who addresses whom (veille network --kind ... chooses the same way).
    report = case.network(kinds=PUBLIC_KINDS)
    rank_of = {account["id"]: account["rank"] for account in truth["central_accounts"]}
    planted = {
        actor: rank_of[account["id"]]
        for account in truth["accounts"]
        if account["id"] in rank_of
        for actor in account["actor_ids"].values()
    }
    table = Table(
        title=f"Most important accounts (veille network: {report.vertices} accounts, "
        f"{len(report.communities)} communities)",
        title_justify="left",
    )
    for column in ("rank", "account", "community", "planted hub", "why"):
        table.add_column(column)
    for actor in report.actors[:10]:
        hub = planted.get(actor["actor_id"])
        sentence = actor["reasons"]["sentence"] if actor["reasons"] else ""
        table.add_row(
            str(actor["rank"]), f"{actor['label']} [{actor['platform']}]", str(actor["community"]),
            f"#{hub}" if hub else "", Text(sentence),
        )  # fmt: skip
    console.print(table)
    found = sum(1 for actor in report.actors[:10] if actor["actor_id"] in planted)
    console.print(
        f"{found} of the {len(rank_of)} planted hubs are in the top 10. Evidence posts for "
        f"each reason: veille network {case.root} --json (run {report.run_id})."
    )


def _print_ingest(console: Console, reports: list[IngestResult], truth: dict[str, Any]) -> None:
    table = Table(title="Ingested", title_justify="left")
    for column in ("file", "reader", "read", "new", "already present", "quarantined", "media"):
        table.add_column(column, justify="left" if column in ("file", "reader") else "right")
    totals = {"read": 0, "new": 0, "quarantined": 0}
    for report in reports:
        for source in report.sources:
            if source.skipped:
                continue
            counts = source.counts
            media = f"{counts.media_stored} stored, {counts.media_missing} missing"
            table.add_row(
                Path(source.path).name, source.reader or "", f"{counts.read:,}",
                f"{counts.new:,}", f"{counts.present:,}", f"{counts.quarantined:,}", media,
            )  # fmt: skip
            for key in totals:
                totals[key] += getattr(counts, key)
    console.print(table)
    expected = truth["expected_counts"]
    console.print(
        f"{totals['new']:,} posts stored ({expected['posts']:,} planted, plus service messages); "
        f"{totals['read'] - totals['new']:,} read twice were recognised and not added again "
        f"(the iOS chat comes both as .txt and as .zip); {totals['quarantined']} records "
        f"quarantined ({expected['rejects']} planted broken)."
    )


def _print_case(console: Console, case: Case, truth: dict[str, Any]) -> None:
    _, rows = case.query(
        "SELECT platform, count(*) FILTER (WHERE kind <> 'service'), count(*) "
        "FROM posts GROUP BY 1 ORDER BY 1"
    )
    console.print(
        "By platform: "
        + ", ".join(
            f"{platform} {posts:,} posts ({total - posts} service)"
            for platform, posts, total in rows
        )
    )
    _, rows = case.query("SELECT kind, count(*) FROM interactions GROUP BY 1 ORDER BY 2 DESC")
    console.print("Interactions: " + ", ".join(f"{n:,} {kind}" for kind, n in rows))
    rank_of = {account["id"]: account["rank"] for account in truth["central_accounts"]}
    planted = {
        actor: rank_of[account["id"]]
        for account in truth["accounts"]
        if account["id"] in rank_of
        for actor in account["actor_ids"].values()
    }
    _, rows = case.query(
        "SELECT a.id, coalesce(a.name, a.handle) AS who, a.platform, count(*) AS received, "
        "count(DISTINCT i.source_actor_id) AS senders "
        "FROM interactions i JOIN actors a ON a.id = i.target_actor_id "
        "WHERE i.kind <> 'contact' GROUP BY ALL ORDER BY received DESC, who LIMIT 10"
    )
    table = Table(
        title="Most mentioned, replied to, forwarded and retweeted accounts "
        "(the network analysis will rank them properly)",
        title_justify="left",
    )
    for column in ("account", "platform", "received", "from accounts", "planted hub rank"):
        table.add_column(column)
    for actor, who, platform, received, senders in rows:
        rank = planted.get(actor)
        table.add_row(who, platform, f"{received:,}", f"{senders:,}", str(rank) if rank else "")
    console.print(table)
    blackout = truth["blackouts"][0]
    move = truth["moves"][0]
    console.print(
        f"Planted for the analyses to find: activity about {blackout['series'].split(':')[-1]} "
        f"collapses from {blackout['start']} (-{blackout['depth']:.0%}); "
        f"{len(move['accounts'])} accounts move from {move['from']} to {move['to']} "
        f"from {move['start']}."
    )
