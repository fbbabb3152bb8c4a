"""The ``silence`` analysis: when each account fell silent, how unusual that is, and waves.

For every account that posted (service lines such as joins are not posts), in the case's zone:
its last post (the evidence), the last day the sources it was read from hold any record (their
coverage), and the days between: its silence. Then, by rule:

- **export ends**: its sources end within ``export_margin_days`` of its last post. The data
  stops there, not the account: not a silence, whatever its rhythm. With ``coverage=platform``
  every source of its platform counts: for an export split into files by date, where each file
  ends with somebody's last post;
- **too little history**: fewer than ``min_posts`` posts or ``min_days`` posting days: no
  rhythm to judge a silence against (its last post and silence are still given);
- **silent**: the chance of a pause that long for its own rhythm is at most ``max_chance``, and
  the pause is at least ``min_silence_days`` long;
- **pause**: otherwise: quiet, but not unusually for this account.

**A pause's chance.** An account's rhythm is its gaps: the empty days between consecutive
posting days (posting two days running: 0). For a threshold ``t`` (0, then 1, 2, 4 ... 1,024
days): the share of its gaps at least ``t`` long, times the chance that such a gap goes on past
``t`` to the silence's length ``s``. That excess is read as exponential with an unknown rate, a
Gamma prior on the rate worth one pseudo-gap of excess ``max(t, 1)``, and the excesses of its
gaps over ``t``; its posterior predictive tail is a Lomax: ``(b / (b + s - t)) ** a`` with
``a = 1 + n_t`` gaps and ``b = max(t, 1) +`` their excess days. At ``t = s`` the term is the
share of its gaps at least as long as the silence: its own record. The chance is the largest
term. At ``t = 0`` it is the account's whole rhythm (posting every other day for two months,
then two months without a post: one chance in 3 x 10^14); its own long pauses keep it high (an
account that paused for 40 days five times in a hundred gaps is one chance in twenty at 40
days, one in forty at 41, and under one in a hundred from 62). Every term falls as ``s``
grows, so a longer silence is never less unusual for the same history. ``surprise`` is
``-log10`` of the chance (2: one in a hundred).

Accounts are not merged by ``same_as`` here: a suspended account fell silent even when its
owner came back under another. **Waves** are the weeks in which far more accounts fell silent
than the case's own base rate (``silence_waves``), with the accounts, their community and
importance in the latest ``network`` run, if there is one.

Everything per account is computed in DuckDB (a window over each account's posts by day, then
one grouping of its gaps) and the weeks with numpy over one row per account: 10^6 accounts
never meet a Python loop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, TypedDict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from veille.analyze.base import AnalysisInputs, Output, Plan
from veille.analyze.silence_waves import WaveRow, WaveRules, find_waves
from veille.errors import ConfigError
from veille.store.actor_history import actor_labels
from veille.store.declared import Int32
from veille.store.results import latest_run

__all__ = ["ListedSilence", "SilenceAnalysis", "SilenceResult", "SilenceRow", "WaveRow"]

STATUSES = ("silent", "pause", "export ends", "too little history")
# What covers an account after its last post: the sources it was read from, or (for an export
# split into files by date, where every file ends with someone's last post) every source of its
# platform.
COVERAGE = {"sources": "source_id", "platform": "platform"}
LISTED = 100  # the most unusual silences a result lists; the silences table has them all


class SilenceRow(TypedDict):
    """A row of ``silences``: one account that posted."""

    actor_id: str
    status: str  # silent | pause | export ends | too little history
    posts: int
    active_days: int  # days with at least one post
    first_day: date
    last_day: date
    last_post_id: str  # the evidence for last_day
    last_post_at: datetime
    coverage_end_day: date  # last day its sources (or its platform's) hold any record
    silence_days: int  # days without its posts after last_day, to coverage_end_day
    median_gap_days: float | None  # between consecutive posting days; None with one day
    longest_gap_days: int | None
    chance: float | None  # of a pause this long for its rhythm; None when not judged
    surprise: float | None  # -log10(chance)
    community: Int32 | None  # in the latest network run
    rank: Int32 | None  # importance in that run, 1 = most important
    combined: float | None


class ListedSilence(SilenceRow):
    """A silence as a result lists it: with the account's label and platform."""

    label: str
    platform: str


@dataclass
class SilenceResult:
    run_id: str
    parameters: dict[str, Any]
    accounts: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # status -> accounts
    weeks: int = 0  # weeks judged for waves
    waves: list[WaveRow] = field(default_factory=list)
    unusual: list[ListedSilence] = field(default_factory=list)  # most unusual first


@dataclass(frozen=True)
class _Rules:
    coverage: str
    min_posts: int
    min_days: int
    export_margin_days: int
    min_silence_days: int
    max_chance: float
    wave_min_accounts: int
    wave_min_ratio: float
    wave_max_chance: float


# The lengths (in empty days) a silence is compared at: 0, then powers of two to about three
# years; and the silence's own length, where the term is the share of gaps at least as long.
THRESHOLDS = (0, *(2**k for k in range(11)))


def _counted(t: int) -> str:
    """How many gaps are at least ``t`` empty days long, and their empty days."""
    return (
        f"count_if(g.empty >= {t}) AS n{t}, "
        f"coalesce(sum(g.empty) FILTER (WHERE g.empty >= {t}), 0) AS d{t}"
    )


def _term(t: int) -> str:
    """-log10 of the chance at threshold ``t`` (NULL without a gap that long): the share of
    gaps at least ``t`` long times the Lomax tail of their excess over ``t``."""
    b = f"({max(t, 1)} + d{t} - n{t} * {t})"
    return (
        f"CASE WHEN n{t} > 0 THEN log10(gaps) - log10(n{t}) + (1 + n{t}) * "
        f"(log10({b} + greatest(silence_days - {t}, 0)) - log10({b})) END"
    )


# Per account, one grouping of its posts (counts, first and last post, the end of its sources:
# times are converted to days after grouping, 10^6 times instead of 10^7), and one window over
# its posts by day: the days since its previous post (0 on the same day), of which those above
# 0 are its gaps. Then one grouping of the gaps counts, for each threshold, the gaps at least
# that long and their empty days; the surprise is the smallest term (the module's docstring).
# Measured on 10^7 posts: a DISTINCT over (account, day) cost more than the window itself,
# and so did materialising the posts with their days. The window and the grouping of the gaps
# key accounts by a 64-bit hash of their id (a quarter faster than the id itself); the query
# counts accounts that share a hash, and the run then keys them by id (``_KEYS``).
_ACCOUNTS_SQL = f"""
WITH source_ends AS (
    SELECT {{scope}} AS scope, max(posted_at) AS end_at FROM posts
    WHERE posted_at IS NOT NULL GROUP BY 1
),
accounts AS MATERIALIZED (
    SELECT actor_id, posts, last_post_id, last_post_at,
           CAST(timezone($zone, first_at) AS DATE) AS first_day,
           CAST(timezone($zone, last_post_at) AS DATE) AS last_day,
           CAST(timezone($zone, coverage_end_at) AS DATE) AS coverage_end_day
    FROM (
        SELECT p.author_id AS actor_id, count(*) AS posts, min(p.posted_at) AS first_at,
               max(p.posted_at) AS last_post_at,
               arg_max(p.id, (p.posted_at, p.id)) AS last_post_id,
               max(s.end_at) AS coverage_end_at
        FROM posts p JOIN source_ends s ON s.scope = p.{{scope}}
        WHERE p.author_id IS NOT NULL AND p.posted_at IS NOT NULL AND p.kind <> 'service'
        GROUP BY p.author_id
    )
),
steps AS (
    SELECT k, day - lag(day) OVER (PARTITION BY k ORDER BY day) AS step
    FROM (
        SELECT {{author_key}} AS k, CAST(timezone($zone, posted_at) AS DATE) AS day
        FROM posts
        WHERE author_id IS NOT NULL AND posted_at IS NOT NULL AND kind <> 'service'
    )
),
rhythm AS (
    SELECT a.actor_id, count(*) AS gaps,
           median(g.empty + 1)::DOUBLE AS median_gap_days,
           max(g.empty + 1)::BIGINT AS longest_gap_days,
           count_if(g.empty >= a.coverage_end_day - a.last_day) AS as_long,
           {", ".join(_counted(t) for t in THRESHOLDS)}
    FROM (SELECT k, step - 1 AS empty FROM steps WHERE step > 0) g
    JOIN (SELECT *, {{actor_key}} AS k FROM accounts) a USING (k)
    GROUP BY a.actor_id
),
judged AS (
    SELECT a.*, (a.coverage_end_day - a.last_day)::BIGINT AS silence_days,
           coalesce(r.gaps, 0) AS gaps, r.median_gap_days, r.longest_gap_days,
           r.* EXCLUDE (actor_id, gaps, median_gap_days, longest_gap_days)
    FROM accounts a LEFT JOIN rhythm r USING (actor_id)
),
scored AS (
    SELECT *, least(
        CASE WHEN as_long > 0 THEN log10(gaps) - log10(as_long) END,
        {", ".join(_term(t) for t in THRESHOLDS)}
    ) AS surprise
    FROM judged
),
metrics AS (
    SELECT actor_id, community, rank, combined FROM actor_metrics WHERE run_id = $network_run
)
SELECT s.actor_id, s.posts, s.gaps + 1 AS active_days, s.first_day, s.last_day,
       s.last_post_id, s.last_post_at, s.coverage_end_day, s.silence_days, s.median_gap_days,
       s.longest_gap_days, greatest(coalesce(s.surprise, 0), 0) AS surprise,
       m.community, m.rank, m.combined,
       (SELECT count(*) - count(DISTINCT {{actor_key}}) FROM accounts) AS shared_keys
FROM scored s LEFT JOIN metrics m USING (actor_id)
ORDER BY s.actor_id
"""
# How the window and the gaps key an account: (in posts, in accounts). By id when hashes meet.
_KEYS = {"hash": ("hash(author_id)", "hash(actor_id)"), "id": ("author_id", "actor_id")}


class SilenceAnalysis:
    """When each account fell silent, how unusual that is, and the weeks many fell at once."""

    name: ClassVar[str] = "silence"
    version: ClassVar[str] = "1"
    needs: ClassVar[tuple[str, ...]] = ("network",)
    tables: ClassVar[Mapping[str, type[Any]]] = {
        "silences": SilenceRow,
        "silence_waves": WaveRow,
    }

    def plan(
        self,
        inputs: AnalysisInputs,
        *,
        coverage: str = "sources",
        min_posts: int = 5,
        min_days: int = 4,
        export_margin_days: int = 3,
        min_silence_days: int = 7,
        max_chance: float = 0.01,
        wave_min_accounts: int = 3,
        wave_min_ratio: float = 2.0,
        wave_max_chance: float = 0.001,
    ) -> Plan:
        rules = _Rules(
            coverage, min_posts, min_days, export_margin_days, min_silence_days, max_chance,
            wave_min_accounts, wave_min_ratio, wave_max_chance,
        )  # fmt: skip
        _check(rules)
        network = latest_run(inputs.con, "network")
        parameters = {
            "time_zone": inputs.zone,
            "network_run": network["id"] if network else None,
            **rules.__dict__,
        }
        return Plan(parameters, rules)

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[SilenceResult]:
        rules: _Rules = plan.prepared
        table = _per_account(inputs, COVERAGE[rules.coverage], plan.parameters["network_run"])
        usable = (table.column("posts").to_numpy() >= rules.min_posts) & (
            table.column("active_days").to_numpy() >= rules.min_days
        )
        table = _judged(table, usable, rules)
        result = SilenceResult(run_id, plan.parameters, accounts=table.num_rows)
        statuses = Counter(table.column("status").to_pylist())
        result.statuses = {status: statuses.get(status, 0) for status in STATUSES}
        wave_rules = WaveRules(rules.wave_min_accounts, rules.wave_min_ratio, rules.wave_max_chance)
        result.weeks, result.waves = find_waves(inputs.con, table, usable, wave_rules)
        result.unusual = _most_unusual(inputs, table)
        counts = {
            "accounts": result.accounts,
            **{status.replace(" ", "_"): n for status, n in result.statuses.items()},
            "waves": len(result.waves),
        }
        return Output({"silences": table, "silence_waves": result.waves}, counts, result)


def _per_account(inputs: AnalysisInputs, scope: str, network_run: str | None) -> pa.Table:
    """The figures of every account that posted, keyed by hash, or by id if two hashes meet."""
    for keyed_by in ("hash", "id"):
        author_key, actor_key = _KEYS[keyed_by]
        sql = (
            _ACCOUNTS_SQL.replace("{scope}", scope)
            .replace("{author_key}", author_key)
            .replace("{actor_key}", actor_key)
        )
        parameters = {"zone": inputs.zone, "network_run": network_run or ""}
        table = inputs.con.execute(sql, parameters).to_arrow_table()
        if table.num_rows == 0 or table.column("shared_keys")[0].as_py() == 0:
            break
    return table.drop_columns(["shared_keys"])


def _check(rules: _Rules) -> None:
    if not isinstance(rules.coverage, str) or rules.coverage not in COVERAGE:
        known = ", ".join(COVERAGE)
        raise ConfigError(f"coverage: {rules.coverage!r} is not one of {known}")
    for name in ("min_posts", "min_days", "export_margin_days", "min_silence_days"):
        value = getattr(rules, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{name}: {value!r} is not a whole number, 0 or more")
    if not isinstance(rules.wave_min_accounts, int) or rules.wave_min_accounts < 1:
        raise ConfigError(f"wave_min_accounts: {rules.wave_min_accounts!r} is not 1 or more")
    ratio = rules.wave_min_ratio
    if not isinstance(ratio, int | float) or isinstance(ratio, bool) or ratio < 1:
        raise ConfigError(f"wave_min_ratio: {ratio!r} is not 1 or more")
    for name in ("max_chance", "wave_max_chance"):
        value = getattr(rules, name)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1:
            raise ConfigError(f"{name}: {value!r} is not a probability above 0")


def _judged(table: pa.Table, usable: np.ndarray[Any, Any], rules: _Rules) -> pa.Table:
    """The per-account figures with each account's status, and its chance and surprise when
    it was judged (not for an export's end or too little history)."""
    silence = table.column("silence_days").to_numpy()
    surprise = table.column("surprise").to_numpy()
    export_ends = silence <= rules.export_margin_days
    unusual = (surprise >= -np.log10(rules.max_chance)) & (silence >= rules.min_silence_days)
    status = np.select(
        [export_ends, ~usable, unusual], ["export ends", "too little history", "silent"], "pause"
    )
    not_judged = export_ends | ~usable
    table = table.drop_columns(["surprise"])
    table = table.append_column("status", pa.array(status.tolist(), pa.string()))
    table = table.append_column("chance", pa.array(10.0**-surprise, mask=not_judged))
    return table.append_column("surprise", pa.array(np.round(surprise, 4), mask=not_judged))


def _most_unusual(inputs: AnalysisInputs, table: pa.Table) -> list[ListedSilence]:
    silent = table.filter(pc.equal(table.column("status"), "silent"))
    order = pc.sort_indices(
        silent,
        [("surprise", "descending"), ("silence_days", "descending"), ("actor_id", "ascending")],
    )
    rows = silent.take(order[:LISTED]).to_pylist()
    labels = actor_labels(inputs.con, [row["actor_id"] for row in rows])
    listed: list[ListedSilence] = []
    for row in rows:
        label, platform = labels.get(row["actor_id"], (row["actor_id"], ""))
        listed.append({**row, "label": label, "platform": platform})  # type: ignore[typeddict-item]
    return listed
