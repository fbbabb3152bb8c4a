"""``veille index`` and ``veille search``: full-text search over the posts of a case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from veille.case import Case, SearchFilters
from veille.cli.app import app
from veille.cli.output import JsonOption, emit_json, emit_rows, stderr, stdout

_SORTS = ("relevance", "newest", "oldest")
_ORIGINS = ("about", "from")


@app.command()
def index(
    case: Path = typer.Argument(..., help="The case folder."),
    json_output: bool = JsonOption,
) -> None:
    """Build the full-text index over posts; later ingests keep it up to date."""
    with Case.open(case) as opened:
        indexed = opened.index()
    if json_output:
        emit_json({"ok": True, "posts": indexed})
        return
    stdout.print(f"Indexed {indexed:,} posts.")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def _one_of(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}", param_hint=option)
    return value


def _line(text: str) -> str:
    return " ".join(text.split())[:140]


@app.command()
def search(
    case: Path = typer.Argument(..., help="The case folder."),
    words: str = typer.Argument("", help="Words that must all be in a post (any script)."),
    since: str | None = typer.Option(None, help="First day, YYYY-MM-DD."),
    until: str | None = typer.Option(None, help="Last day, YYYY-MM-DD."),
    platform: str | None = typer.Option(None, help="telegram, twitter, whatsapp, web..."),
    account: str | None = typer.Option(None, help="The author's actor id."),
    chat: str | None = typer.Option(None, help="The channel's, group's or chat's actor id."),
    community: int | None = typer.Option(None, help="A community of the latest network run."),
    place: str | None = typer.Option(None, help="A place id (geonames:99072, country:IQ)."),
    place_origin: str | None = typer.Option(
        None, help="about (named in the text) or from (profile location, photo GPS)."
    ),
    lang: str | None = typer.Option(None, help="A language code: ar, fr, en..."),
    hashtag: str | None = typer.Option(None, help="A hashtag, with or without #."),
    entity: str | None = typer.Option(None, help="An entity id (org:islamic-state)."),
    sort: str = typer.Option("relevance", help="relevance, newest or oldest."),
    limit: int = typer.Option(20, min=1, max=10_000, help="Posts to print."),
    offset: int = typer.Option(0, min=0, help="Posts to skip first."),
    json_output: bool = JsonOption,
) -> None:
    """Posts with all the words and every filter given, best match first."""
    filters = SearchFilters(
        words=words,
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        platform=platform,
        chat=chat,
        account=account,
        community=community,
        place=place,
        place_origin=_one_of(place_origin, _ORIGINS, "--place-origin"),  # type: ignore[arg-type]
        lang=lang,
        hashtag=hashtag,
        entity=entity,
        sort=_one_of(sort, _SORTS, "--sort"),  # type: ignore[arg-type]
    )
    with Case.open(case, read_only=True) as opened:
        page = opened.search(filters, limit=limit, offset=offset)
    if page.index_missing:
        stderr.print("No search index: scanned every post. `veille index CASE` makes it fast.")
    elif page.index_stale:
        stderr.print("The search index is older than the case: run `veille index CASE`.")
    if json_output:
        emit_json({"ok": True, "total": page.total, "words": page.words, "posts": page.rows})
        return
    emit_rows(
        ["posted_at", "platform", "author_id", "text", "id"],
        [
            (row["posted_at"], row["platform"], row["author_id"], _line(row["text"]), row["id"])
            for row in page.rows
        ],
        title=f"{page.total:,} posts",
    )
