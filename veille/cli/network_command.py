"""``veille network``: who talks to whom, who matters and why, and the communities."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.text import Text

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stdout
from veille.errors import ConfigError
from veille.model import INTERACTION_KINDS


def _moment(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"{option}: {value!r} is not a date (2016-11-14 or 2016-11-14T08:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def network(
    case: Path = typer.Argument(..., help="The case folder."),
    kinds: list[str] = typer.Option([], "--kind", help="Edge kinds to use (repeat); default all."),
    platforms: list[str] = typer.Option([], "--platform", help="Platforms to use (repeat)."),
    since: str | None = typer.Option(None, help="From this date (inclusive, UTC if no zone)."),
    until: str | None = typer.Option(None, help="Before this date (exclusive)."),
    min_weight: int = typer.Option(1, help="Drop pairs with fewer interactions than this."),
    seed: int = typer.Option(0, help="Seed of community detection and sampled betweenness."),
    top: int = typer.Option(20, help="Accounts to print."),
    json_output: bool = JsonOption,
) -> None:
    """Rank accounts by importance, with reasons and evidence posts; find communities."""
    unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
    if unknown:
        raise ConfigError(
            f"--kind: unknown {', '.join(unknown)}; kinds: {', '.join(INTERACTION_KINDS)}"
        )
    with Case.open(case) as opened:
        report = opened.network(
            kinds=tuple(kinds),
            platforms=tuple(platforms),
            since=_moment(since, "--since"),
            until=_moment(until, "--until"),
            min_weight=min_weight,
            seed=seed,
        )
    if json_output:
        emit_json(
            {
                "ok": True,
                "run": report.run_id,
                "parameters": report.parameters,
                "vertices": report.vertices,
                "edges": report.edges,
                "modularity": report.modularity,
                "betweenness_sample": report.betweenness_sample,
                "actors": report.actors[:top] if top else report.actors,
                "communities": report.communities,
            }
        )
        return
    sampled = (
        f"sampled from {report.betweenness_sample} sources"
        if report.betweenness_sample
        else "exact"
    )
    stdout.print(
        f"{report.vertices:,} accounts, {report.edges:,} directed pairs; "
        f"{len(report.communities)} communities (modularity {report.modularity:.2f}); "
        f"betweenness {sampled}; run {report.run_id}"
    )
    rows = [
        (
            a["rank"],
            f"{a['label']}@{a['platform']}",
            a["community"],
            f"{a['pagerank']:.4f}",
            int(a["in_strength"]),
            f"{a['betweenness']:,.0f}",
            f"{a['brokerage']:.0%}",
            Text(a["reasons"]["sentence"]) if a["reasons"] else "",
        )
        for a in report.actors[:top]
    ]
    emit_rows(
        ["rank", "account", "community", "pagerank", "received", "betweenness", "brokerage", "why"],
        rows,
        title="Most important accounts",
    )
    emit_rows(
        ["community", "size", "top accounts", "hashtags that set it apart"],
        [
            (c["community"], c["size"], ", ".join(c["top_labels"]), " ".join(c["terms"]))
            for c in report.communities[:20]
        ],
        title="Communities",
    )
