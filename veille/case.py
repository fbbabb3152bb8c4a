"""Case: one investigation folder, and the Python API the CLI wraps.

case/
  case.toml     settings (time zone, same-as lists)
  case.duckdb   every table
  media/        attachments, content-addressed by sha256
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from veille import __version__
from veille.config import CaseConfig, add_same_as, default_config_text, load_config, zone_named
from veille.enrich import EnrichContext
from veille.errors import ConfigError, StoreError
from veille.ingest.base import MAX_RECORD_CHARS, ReadOptions
from veille.ingest.common.identity import actor_id
from veille.runs.ingest import IngestResult, Progress, SourceResult, ingest_paths
from veille.runs.memory import return_large_blocks
from veille.store import read
from veille.store.activity import BUCKETS, SERIES_DIMENSIONS, bucketed_series
from veille.store.database import CaseBusy, ingest_settings, open_database, open_sandboxed
from veille.store.fact_lists import community_members, entity_list, media_list, place_list
from veille.store.media_files import MediaFolder
from veille.store.post_search import SearchFilters, SearchPage, search_posts
from veille.store.runs import recorded_run
from veille.store.search_index import build_lookups, drop_lookups, index_state
from veille.store.selection import Neighbourhood, select_interactions

# The analyses import scipy, networkx and spaCy: loaded when used, so that `veille ingest`
# and `veille status` start in a fraction of a second.
if TYPE_CHECKING:
    from veille.analyze.activity_analysis import ActivityResult
    from veille.analyze.network_analysis import NetworkResult
    from veille.analyze.reach_analysis import ReachFound
    from veille.analyze.silence import SilenceResult
    from veille.runs.analysis import Finished
    from veille.runs.enrich import EnrichResult
    from veille.runs.enrich import Progress as EnrichProgress
    from veille.runs.views import BaseMap

__all__ = [
    "Case",
    "CaseBusy",
    "IngestResult",
    "SearchFilters",
    "SearchPage",
    "SourceResult",
]

DATABASE = "case.duckdb"
CONFIG = "case.toml"


class Case:
    """An open case. Use ``Case.init`` to create one and ``Case.open`` to open it."""

    def __init__(self, root: Path, con: duckdb.DuckDBPyConnection, config: CaseConfig) -> None:
        self.root = root
        self.con = con
        self.config = config
        self.media = MediaFolder(root / "media")

    @classmethod
    def init(cls, root: Path, time_zone: str = "UTC") -> Case:
        """Create the case folder (it may exist but must not hold a case yet)."""
        if (root / DATABASE).exists() or (root / CONFIG).exists():
            raise StoreError(f"{root} already holds a case")
        text = default_config_text(root.resolve().name, time_zone)
        root.mkdir(parents=True, exist_ok=True)
        (root / "media").mkdir(exist_ok=True)
        con = open_database(root / DATABASE)  # creates the tables
        con.close()
        # case.toml last: its presence is what makes the folder a case.
        (root / CONFIG).write_text(text, encoding="utf-8")
        return cls.open(root)

    @classmethod
    def open(cls, root: Path, read_only: bool = False, *, sandboxed: bool = False) -> Case:
        """Open an existing case; a writable open migrates its schema if needed.

        ``sandboxed`` opens it read-only for user SQL: no file, network or extension access
        and no setting can change (``store.database.open_sandboxed``).
        """
        if not (root / CONFIG).exists():
            raise StoreError(f"{root} is not a veille case (no {CONFIG}); run `veille init {root}`")
        config = load_config(root / CONFIG)
        database = root / DATABASE
        con = open_sandboxed(database) if sandboxed else open_database(database, read_only)
        return cls(root, con, config)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(
        self,
        paths: list[Path],
        *,
        format_name: str | None = None,
        mapping: dict[str, str] | None = None,
        date_order: str | None = None,
        time_zone: str | None = None,
        delimiter: str | None = None,
        quote: str | None = None,
        encoding: str | None = None,
        max_record_chars: int = MAX_RECORD_CHARS,
        progress: Progress | None = None,
    ) -> IngestResult:
        """Read files and folders into the case, as one run.

        ``time_zone`` reads times written without an offset in that zone instead of the
        case's (a chat exported on a phone set to another zone). ``delimiter``, ``quote`` and
        ``encoding`` say what a CSV file uses instead of deciding it from the file.
        """
        zone = self.config.zone if time_zone is None else zone_named(time_zone)
        options = ReadOptions(
            mapping=mapping or {},
            zone=zone,
            date_order=date_order or self.config.date_order,
            delimiter=delimiter,
            quote=quote,
            encoding=encoding,
            max_record_chars=max_record_chars,
        )
        parameters = {
            "paths": [str(p) for p in paths],
            "format": format_name,
            "mapping": mapping or {},
            "date_order": date_order or self.config.date_order,
            "time_zone": str(zone),
            "delimiter": delimiter,
            "quote": quote,
            "encoding": encoding,
            "max_record_chars": max_record_chars,
        }
        return_large_blocks()  # for the process, from its first ingest on
        indexed = index_state(self.con).exists
        if indexed:
            drop_lookups(self.con)  # put back below: an index updated row by row slows writes
        with recorded_run(
            self.con,
            kind="ingest",
            name="ingest",
            version=__version__,
            parameters=parameters,
            code_version=__version__,
        ) as run:
            with ingest_settings(self.con):
                report = ingest_paths(
                    self.con, self.media, run.id, paths, options, format_name, progress
                )
            run.counts.update(report.totals())
        # An index the user built follows the case: a search never misses what was added.
        if indexed and report.totals()["new"]:
            self.index()
        elif indexed:
            build_lookups(self.con)
        return report

    def index(self) -> int:
        """Build (or rebuild) the full-text index over posts that ``search`` and the
        workbench use; returns the posts indexed. Ingests keep it up to date from then on."""
        from veille.runs.search_index import build_search_index

        return build_search_index(self.con)

    def search(self, filters: SearchFilters, limit: int = 50, offset: int = 0) -> SearchPage:
        """Posts matching ``filters`` (all the words, and every filter given), best first."""
        return search_posts(self.con, filters, limit, offset)

    def enrich(
        self,
        only: list[str] | None = None,
        *,
        redo: bool = False,
        progress: EnrichProgress | None = None,
    ) -> list[EnrichResult]:
        """Add language, links, entities, places and photo facts to what lacks them.

        ``redo`` forgets what the chosen enrichers found before and starts again.
        """
        from veille.runs.enrich import run_enrichers

        settings = self.config.raw.get("enrich", {})
        context = EnrichContext(self.root, settings if isinstance(settings, dict) else {})
        return run_enrichers(self.con, context, only, redo, progress)

    def entities(
        self, entity_type: str | None = None, top: int | None = None
    ) -> list[dict[str, Any]]:
        """Entities found, most mentioned first, with the names seen and example posts."""
        return entity_list(self.con, entity_type, top)

    def places(
        self,
        level: str | None = None,
        top: int | None = None,
        account: str | None = None,
        community: int | None = None,
    ) -> list[dict[str, Any]]:
        """Places found, most mentioned first, with the names seen, why, and example posts;
        only those an ``account`` ("platform:handle") or a ``community`` posts from or about."""
        authors: list[str] | None = None
        if account is not None:
            platform, sep, key = account.partition(":")
            if not sep or not key:
                raise ConfigError(f"--account: {account!r} is not platform:handle")
            authors = [actor_id(platform, key)]
        if community is not None:
            authors = (authors or []) + community_members(self.con, community)
        return place_list(self.con, level, top, authors)

    def analyze(self, name: str, **options: Any) -> Finished:
        """Run the analysis called ``name`` with ``options`` and store it as a run; what it
        found (``veille analyze``; ``network``, ``reach`` and ``activity`` have short forms)."""
        from veille.runs.analysis import analysis_inputs, run_analysis

        return run_analysis(analysis_inputs(self.con, self.config), name, **options)

    def activity(self, margin_days: int = 14) -> ActivityResult:
        """Daily series by place, community, platform and channel; blackouts, moves and
        hotspots, stored as a run (communities from the latest `network` run, if any)."""
        result: ActivityResult = self.analyze("activity", margin_days=margin_days).result
        return result

    def silences(self, **options: Any) -> SilenceResult:
        """When each account fell silent and how unusual that is for its rhythm; the weeks in
        which many fell silent at once (options: the ``silence`` analysis's parameters)."""
        result: SilenceResult = self.analyze("silence", **options).result
        return result

    def photos(self) -> tuple[list[dict[str, Any]], list[list[str]]]:
        """Photos with their EXIF facts, and groups of near-identical ones (by pHash)."""
        from veille.analyze.similar_images import similar_groups

        rows = media_list(self.con)
        # A flat picture (PDQ quality near 0) has a hash but no content to compare: every grey
        # square would be "the same image".
        hashed = [row for row in rows if row["phash"] and (row["pdq_quality"] or 0) >= 10]
        groups = similar_groups([r["media_id"] for r in hashed], [r["phash"] for r in hashed])
        return rows, groups

    def report(self, path: Path) -> int:
        """Write the self-contained HTML report to ``path``; return its size in bytes."""
        from veille.runs.analysis import resolve_same_as
        from veille.runs.report import write_report

        same_as = resolve_same_as(self.config.same_as)
        return write_report(self.con, self.config.name, self.config.time_zone, path, same_as)

    def series(self, dimension: str, bucket: str = "day") -> list[dict[str, Any]]:
        """Posts and active accounts per hour, day or week by place, country, community,
        platform, channel or account, in the case's time zone (computed now, not stored)."""
        if dimension not in SERIES_DIMENSIONS:
            known = ", ".join(SERIES_DIMENSIONS)
            raise ConfigError(f"unknown dimension {dimension!r}; one of {known}")
        if bucket not in BUCKETS:
            raise ConfigError(f"unknown bucket {bucket!r}; one of {', '.join(BUCKETS)}")
        return bucketed_series(self.con, self.config.time_zone, dimension, bucket)

    def network(
        self,
        *,
        kinds: tuple[str, ...] = (),
        platforms: tuple[str, ...] = (),
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        min_weight: int = 1,
        seed: int = 0,
    ) -> NetworkResult:
        """Who matters and why, and the communities, stored as a run (same_as from case.toml).

        ``since`` (inclusive) and ``until`` (exclusive) may be ISO dates or times; UTC when
        they name no zone."""
        output = self.analyze(
            "network",
            kinds=kinds,
            platforms=platforms,
            since=since,
            until=until,
            min_weight=min_weight,
            seed=seed,
        )
        result: NetworkResult = output.result
        return result

    def reach(
        self, watchlist: list[str], *, hops: int = 2, kinds: tuple[str, ...] = ()
    ) -> ReachFound:
        """Who is within ``hops`` of the watchlist's accounts, by which path, stored as a run."""
        result: ReachFound = self.analyze(
            "reach", watchlist=watchlist, hops=hops, kinds=kinds
        ).result
        return result

    def export_graph(
        self, file_format: str, path: Path, *, dynamic: bool = False
    ) -> tuple[str, list[Path]]:
        """Write the latest network run's graph (gexf, graphml or csv); (run id, files).

        ``dynamic`` (gexf): with the days each tie was active, for Gephi's timeline.
        """
        from veille.runs.analysis import analysis_inputs
        from veille.runs.export import export_graph

        inputs = analysis_inputs(self.con, self.config)
        return export_graph(inputs, file_format, path, dynamic=dynamic)

    def export_selection(
        self, filters: SearchFilters, path: Path, *, around: Neighbourhood | None = None
    ) -> tuple[int, int]:
        """Write the graph of the posts ``filters`` select (narrowed to a neighbourhood) as
        a dynamic GEXF; (nodes, edges). Safe from several threads at once."""
        from veille.runs.export import export_selection

        con = self.con.cursor()  # a connection of its own: the workbench calls from threads
        try:
            relation = select_interactions(con, filters, around)
            return export_selection(con, relation, path, zone=self.config.time_zone)
        finally:
            con.close()

    def base_map(self, points: Sequence[tuple[float, float]]) -> BaseMap:
        """The countries around ``points`` (longitude, latitude), ready to draw on."""
        from veille.runs.views import base_map

        return base_map(points)

    def same_as(self, accounts: list[str]) -> list[list[str]]:
        """Record in ``case.toml`` that ``accounts`` ("platform:handle") are one (a confirmed
        successor, say); later analyses merge them. Returns every same-as group."""
        groups = add_same_as(self.root / CONFIG, accounts)
        self.config = load_config(self.root / CONFIG)
        return groups

    def status(self) -> dict[str, Any]:
        return read.status(self.con)

    def quarantine(self, limit: int | None = None) -> list[dict[str, Any]]:
        return read.quarantine_rows(self.con, limit)

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run one SELECT; open the case with ``sandboxed=True`` for SQL you did not write."""
        return read.run_query(self.con, sql)

    def tables(self) -> list[str]:
        """Every table of the case (records, facts, analysis results): what `export` writes."""
        return read.case_tables(self.con)

    def export(self, table: str, path: Path, file_format: str) -> int:
        return read.export_table(self.con, table, path, file_format)
