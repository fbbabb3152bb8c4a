"""``veille enrich``: language, links, entities, places and photo facts for what lacks them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from veille.case import Case
from veille.cli.app import app
from veille.cli.output import JsonOption, QuietOption, emit_json, emit_rows, stderr, stdout
from veille.enrich.aliases import ENTITY_TYPES
from veille.enrich.gazetteer import LEVELS
from veille.runs.enrich import EnrichResult

# Places found in photos' GPS tags are points, not gazetteer entries.
PLACE_LEVELS = (*LEVELS, "point")


def _one_of(known: tuple[str, ...]) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and value not in known:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(known)}")
        return value

    return check


@app.command()
def enrich(
    case: Path = typer.Argument(..., help="The case folder."),
    only: str | None = typer.Option(
        None, help="Comma-separated enrichers: lang,links,entities,places,media (default all)."
    ),
    redo: bool = typer.Option(False, help="Forget what these enrichers found and start again."),
    json_output: bool = JsonOption,
    quiet: bool = QuietOption,
) -> None:
    """Find languages, links, entities and places in posts, and read photos' EXIF."""
    chosen = [name.strip() for name in only.split(",") if name.strip()] if only else None
    with Case.open(case) as opened:
        if json_output or quiet or not stderr.is_terminal:
            reports = opened.enrich(chosen, redo=redo)
        else:
            reports = _enrich_with_progress(opened, chosen, redo)
    if json_output:
        emit_json({"ok": True, "enrichers": [report.as_dict() for report in reports]})
        return
    rows = [
        (
            report.enricher,
            report.version,
            report.records,
            ", ".join(f"{table} {count:,}" for table, count in report.facts.items()) or "-",
            f"{report.seconds:.1f}",
            report.run_id or "nothing new",
        )
        for report in reports
    ]
    emit_rows(("enricher", "version", "records", "facts", "seconds", "run"), rows)


def _enrich_with_progress(case: Case, only: list[str] | None, redo: bool) -> list[EnrichResult]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done)

        return case.enrich(only, redo=redo, progress=advance)


def _examples(row: dict[str, Any]) -> str:
    examples = row.get("examples") or []
    return " | ".join(" ".join(str(e["context"]).split()) for e in examples[:2])


@app.command()
def entities(
    case: Path = typer.Argument(..., help="The case folder."),
    entity_type: str | None = typer.Option(
        None,
        "--type",
        help=f"Only this type: {', '.join(ENTITY_TYPES)}.",
        callback=_one_of(ENTITY_TYPES),
    ),
    top: int = typer.Option(30, min=0, help="Entities to list (0: all)."),
    json_output: bool = JsonOption,
) -> None:
    """Entities found by `veille enrich`: mentions, names seen, example posts."""
    with Case.open(case, read_only=True) as opened:
        rows = opened.entities(entity_type, top or None)
    if json_output:
        emit_json({"ok": True, "entities": rows})
        return
    table = []
    for row in rows:
        names = ", ".join(row["names_seen"][:6])
        table.append(
            (row["name"], row["type"], row["mentions"], row["posts"], names, _examples(row))
        )
    emit_rows(("entity", "type", "mentions", "posts", "names seen", "example"), table)


@app.command()
def places(
    case: Path = typer.Argument(..., help="The case folder."),
    level: str | None = typer.Option(
        None,
        help=f"Only this level: {', '.join(PLACE_LEVELS)}.",
        callback=_one_of(PLACE_LEVELS),
    ),
    top: int = typer.Option(30, min=0, help="Places to list (0: all)."),
    account: str | None = typer.Option(
        None, help="Only places this account posts from or about (platform:handle)."
    ),
    community: int | None = typer.Option(
        None, help="Only places this community (latest `veille network`) posts from or about."
    ),
    json_output: bool = JsonOption,
) -> None:
    """Places found by `veille enrich`: mentions, names seen, why this place, example posts."""
    with Case.open(case, read_only=True) as opened:
        rows = opened.places(level, top or None, account, community)
    if json_output:
        emit_json({"ok": True, "places": rows})
        return
    table = []
    for row in rows:
        names = ", ".join(row["names_seen"] or [])
        geonames = str(row["geonameid"] or "")
        table.append(
            (
                row["name"],
                row["country_code"] or "",
                row["level"],
                geonames,
                row["mentions"],
                names,
                row["usual_reason"],
                _examples(row),
            )
        )
    columns = ("place", "country", "level", "geonames", "mentions", "names seen", "why", "example")
    emit_rows(columns, table)


@app.command()
def media(
    case: Path = typer.Argument(..., help="The case folder."),
    json_output: bool = JsonOption,
) -> None:
    """Photos read by `veille enrich`: camera, time, GPS place; the same image posted again."""
    with Case.open(case, read_only=True) as opened:
        rows, groups = opened.photos()
    if json_output:
        emit_json({"ok": True, "media": rows, "same_image": groups})
        return
    table = []
    for row in rows:
        where = f"{row['latitude']:.4f}, {row['longitude']:.4f}" if row["latitude"] else ""
        camera = " ".join(v for v in (row["camera_make"], row["camera_model"]) if v)
        table.append(
            (
                row["file"],
                row["platform"] or "",
                camera,
                row["taken_at"] or "",
                where,
                row["place"] or "",
                row["phash"] or "",
            )
        )
    emit_rows(("file", "platform", "camera", "taken (camera clock)", "GPS", "near", "pHash"), table)
    by_id = {row["media_id"]: row for row in rows}
    for number, group in enumerate(groups, start=1):
        posts = ", ".join(sorted({str(by_id[m]["post_id"]) for m in group}))
        stdout.print(f"Same image {number}: {len(group)} copies, in posts {posts}")
