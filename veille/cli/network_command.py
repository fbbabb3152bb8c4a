"""``veille network``: who talks to whom, who matters and why, and the communities."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stderr, stdout
from veille.errors import ConfigError
from veille.model import INTERACTION_KINDS

# --rank-by -> the rank that orders the accounts.
RANK_KEYS = {
    "combined": "rank",
    "pagerank": "pagerank_rank",
    "received": "in_strength_rank",
    "betweenness": "betweenness_rank",
}


@app.command()
def network(
    case: Path = typer.Argument(..., help="The case folder."),
    kinds: list[str] = typer.Option([], "--kind", help="Edge kinds to use (repeat); default all."),
    platforms: list[str] = typer.Option([], "--platform", help="Platforms to use (repeat)."),
    since: str | None = typer.Option(None, help="From this date (inclusive, UTC if no zone)."),
    until: str | None = typer.Option(None, help="Before this date (exclusive)."),
    min_weight: int = typer.Option(1, min=1, help="Drop pairs with fewer interactions than this."),
    seed: int = typer.Option(0, help="Seed of community detection and sampled betweenness."),
    top: int = typer.Option(20, min=0, help="Accounts to print (0: all)."),
    rank_by: str = typer.Option(
        "combined",
        help="Order by: combined, pagerank, received (interactions) or betweenness.",
    ),
    json_output: bool = JsonOption,
) -> None:
    """Rank accounts by importance, with reasons and evidence posts; find communities."""
    if rank_by not in RANK_KEYS:
        raise ConfigError(f"--rank-by: {rank_by!r} is not one of {', '.join(RANK_KEYS)}")
    unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
    if unknown:
        raise ConfigError(
            f"--kind: unknown {', '.join(unknown)}; kinds: {', '.join(INTERACTION_KINDS)}"
        )
    with Case.open(case) as opened:
        report = opened.network(
            kinds=tuple(kinds),
            platforms=tuple(platforms),
            since=since,
            until=until,
            min_weight=min_weight,
            seed=seed,
        )
    order = RANK_KEYS[rank_by]
    actors = sorted(report.actors, key=lambda a: int(a[order]))[: top or None]  # type: ignore[literal-required]
    if json_output:
        emit_json(
            {
                "ok": True,
                "run": report.run_id,
                "rank_by": rank_by,
                "parameters": report.parameters,
                "vertices": report.vertices,
                "edges": report.edges,
                "modularity": report.modularity,
                "betweenness_sample": report.betweenness_sample,
                "actors": actors,
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
            f"{a['pagerank_rank']}/{a['in_strength_rank']}/{a['betweenness_rank']}",
            f"{a['label']} [{a['platform']}]",
            a["community"],
            f"{a['pagerank']:.4f}",
            int(a["in_strength"]),
            f"{a['betweenness']:,.0f}",
            f"{a['brokerage']:.0%}",
            Text(a["reasons"]["sentence"]) if a["reasons"] else "",
        )
        for a in actors
    ]
    emit_rows(
        ["rank", "PR/recv/btw rank", "account", "community", "pagerank", "received",
         "betweenness", "brokerage", "why"],
        rows,
        title=f"Most important accounts (by {rank_by})",
    )  # fmt: skip
    emit_rows(
        ["community", "size", "top accounts", "hashtags that set it apart"],
        [
            (c["community"], c["size"], ", ".join(c["top_labels"]), " ".join(c["terms"]))
            for c in report.communities[:20]
        ],
        title="Communities",
    )


@app.command()
def reach(
    case: Path = typer.Argument(..., help="The case folder."),
    watchlist: Path = typer.Option(
        ..., help="One account per line: platform:handle, a handle, or an actor id."
    ),
    hops: int = typer.Option(
        2, min=1, help="How many steps from a watched account (either direction)."
    ),
    kinds: list[str] = typer.Option([], "--kind", help="Edge kinds that make a step (repeat)."),
    top: int = typer.Option(50, min=0, help="Accounts to print (0: all)."),
    json_output: bool = JsonOption,
) -> None:
    """Who has been in contact with the watchlist, directly or through intermediaries."""
    unknown_kinds = sorted(set(kinds) - set(INTERACTION_KINDS))
    if unknown_kinds:
        raise ConfigError(f"--kind: unknown {', '.join(unknown_kinds)}")
    try:
        lines = watchlist.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError(f"--watchlist: cannot read {watchlist}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--watchlist: {watchlist} is not UTF-8 text") from None
    if not any(line.strip() and not line.strip().startswith("#") for line in lines):
        raise ConfigError(
            f"--watchlist: {watchlist} names no account; write one per line "
            "(platform:handle, a handle or an actor id; # starts a comment)"
        )
    with Case.open(case) as opened:
        report = opened.reach(lines, hops=hops, kinds=tuple(kinds))
    result = report.result
    if json_output:
        emit_json(
            {
                "ok": True,
                "run": report.run_id,
                "watched": list(result.watched),
                "absent": list(result.absent),
                "unknown": report.unknown,
                "reached": [r.as_dict() for r in result.reached[: top or None]],
            }
        )
        return

    def name(actor: str) -> str:
        label, platform = report.labels.get(actor, (actor, "?"))
        return f"{label} [{platform}]"

    for line in report.unknown:
        stderr.print(f"watchlist: {line!r} matches no account in the case", markup=False)
    for actor in result.absent:
        stderr.print(f"watchlist: {name(actor)} has no interaction in the graph", markup=False)
    rows = [
        (
            f"{r.score:.3f}",
            name(r.actor_id),
            r.hops,
            " -> ".join(name(actor) for actor in r.path),
            sum(len(step.evidence) for step in r.steps),
        )
        for r in result.reached[: top or None]
    ]
    emit_rows(
        ["score", "account", "hops", "path from the watchlist", "evidence posts"],
        rows,
        title=f"Within {hops} hops of {len(result.watched)} watched accounts "
        f"({len(result.reached)} found; run {report.run_id})",
    )
