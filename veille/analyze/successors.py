"""The ``successors`` analysis: accounts that appear as others fall silent, and look like them.

A suspended account's owner opens another (``name_27`` -> ``name_28``) and the network carries
on. For every account that stopped posting well before its platform's data ends (``silent``),
the accounts of the same platform whose first post came within ``window_days`` after its last
one are candidates; each pair is scored on five kinds of likeness, each with its evidence:

- handle: the same once trailing digits and separators are dropped (``abu_27``, ``abu28``),
  else rapidfuzz's ratio of the handles when at least 80;
- name: the same display name (case and spacing aside), else its ratio when at least 85;
- profile: the token-set ratio of the profile texts, when both have one, at least 60;
- audience: the share of the accounts that addressed the old one (mentions, replies,
  retweets, forwards) that address the new one too (Jaccard, at least 2 shared accounts);
- links: the share of the links the old one posted that the new one posts too (Jaccard of
  URLs, at least 2 shared; needs ``veille enrich``'s links facts).

The score is the weighted sum (``WEIGHTS``, summing to 1) and pairs under ``min_score`` are
dropped, and so are *look-alikes*: pairs with neither shared links nor an audience shared
beyond chance (the hypergeometric chance of that many shared addressers, among the accounts
that addressed anyone on the platform, at most ``AUDIENCE_CHANCE``), unless the handle, the
display name and the profile text are all alike (an owner re-creating the account). A handle or
a name is cheap to share (kunyas repeat: "Abu Khalid al-Raqmi" and "Abu Walid al-Raqmi",
@abukhalid and @abukhalid6051 are different people), and so are two addressers in a busy
community; the same people addressing both beyond chance, or the same links, are not. Each old
account keeps its best candidates (``per_account``). A score is a ranking for the analyst, not
a probability: confirm a pair into ``case.toml``'s ``same_as`` to merge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypedDict

import duckdb
from rapidfuzz import fuzz
from scipy.stats import hypergeom  # type: ignore[import-untyped]

from veille.analyze.base import AnalysisInputs, Output, Plan
from veille.errors import ConfigError
from veille.store.actor_history import actor_labels
from veille.store.declared import Json

__all__ = ["SuccessorRow", "Successors", "SuccessorsFound", "audience_chance", "handle_stem"]

WEIGHTS = {"handle": 0.35, "name": 0.2, "profile": 0.1, "audience": 0.25, "links": 0.1}
# An audience vouches for a pair when sharing that many addressers is this unlikely by chance.
AUDIENCE_CHANCE = 0.01
_TAIL = re.compile(r"[\d_.\-]+$")


class SuccessorRow(TypedDict):
    """A row of ``successor_candidates``."""

    old_actor_id: str
    new_actor_id: str
    platform: str
    old_last_day: date
    new_first_day: date
    gap_days: int  # from the old account's last post to the new one's first (negative: overlap)
    score: float
    reasons: Json  # [{"kind", "value", "detail"}], strongest first; audience adds "chance"
    evidence: Json  # post ids: the old account's last post, the new one's first, shared links


@dataclass(frozen=True)
class SuccessorsFound:
    candidates: list[SuccessorRow]
    silent_accounts: int  # accounts fallen silent that had a candidate to judge
    labels: dict[str, tuple[str, str]]  # actor id -> ("@handle (Name)", platform)


def handle_stem(handle: str | None) -> str:
    """A handle without case and the digits or separators it ends with: ``Abu_27`` -> ``abu``."""
    return _TAIL.sub("", (handle or "").casefold())


class Successors:
    """Candidate successor accounts, with a score and the evidence for each reason."""

    name: ClassVar[str] = "successors"
    version: ClassVar[str] = "2"
    needs: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[Mapping[str, type[Any]]] = {"successor_candidates": SuccessorRow}

    def plan(
        self,
        inputs: AnalysisInputs,
        *,
        silent_days: int = 30,
        window_days: int = 60,
        min_score: float = 0.35,
        per_account: int = 3,
    ) -> Plan:
        if silent_days < 1 or window_days < 1 or per_account < 1:
            raise ConfigError("silent_days, window_days and per_account must be 1 or more")
        if not 0 <= min_score <= 1:
            raise ConfigError(f"min_score: {min_score} is not between 0 and 1")
        return Plan(
            {
                "time_zone": inputs.zone,
                "silent_days": silent_days,
                "window_days": window_days,
                "min_score": min_score,
                "per_account": per_account,
                "weights": WEIGHTS,
            }
        )

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[SuccessorsFound]:
        settings = plan.parameters
        pairs = _candidate_pairs(inputs.con, settings)
        profiles = _profiles(inputs.con, {a for pair in pairs for a in pair[:2]})
        audience = _addressed_by(inputs.con, {a for pair in pairs for a in pair[:2]})
        addressers = _addressers(inputs.con)
        links = _links(inputs.con, {a for pair in pairs for a in pair[:2]})
        rows: list[SuccessorRow] = []
        look_alikes = 0
        for old, new, platform, last_day, first_day, last_post, first_post in pairs:
            reasons = _reasons(
                profiles.get(old, {}),
                profiles.get(new, {}),
                audience.get(old, set()),
                audience.get(new, set()),
                links.get(old, {}),
                links.get(new, {}),
                addressers.get(platform, 0),
            )
            score = round(sum(WEIGHTS[r["kind"]] * r["value"] for r in reasons), 4)
            if score < settings["min_score"]:
                continue
            if not _vouched(reasons):
                look_alikes += 1
                continue
            shared_links = sorted(set(links.get(old, {})) & set(links.get(new, {})))[:3]
            evidence = [last_post, first_post] + [links[new][url] for url in shared_links]
            rows.append(
                {
                    "old_actor_id": old,
                    "new_actor_id": new,
                    "platform": platform,
                    "old_last_day": last_day,
                    "new_first_day": first_day,
                    "gap_days": (first_day - last_day).days,
                    "score": score,
                    "reasons": json.dumps(reasons, ensure_ascii=False),
                    "evidence": json.dumps(evidence),
                }
            )
        rows = _best(rows, settings["per_account"])
        silent = len({pair[0] for pair in pairs})
        named = {r["old_actor_id"] for r in rows} | {r["new_actor_id"] for r in rows}
        found = SuccessorsFound(rows, silent, actor_labels(inputs.con, sorted(named)))
        counts = {
            "silent_with_candidates": silent,
            "candidates": len(rows),
            "look_alikes_left_out": look_alikes,
        }
        return Output({"successor_candidates": rows}, counts, found)


def _candidate_pairs(
    con: duckdb.DuckDBPyConnection, settings: Mapping[str, Any]
) -> list[tuple[str, str, str, date, date, str, str]]:
    """(old, new, platform, old's last day, new's first day, old's last post, new's first)."""
    rows = con.execute(
        """
        WITH posted AS (
            SELECT author_id AS actor, platform, id, posted_at,
                   CAST(timezone($zone, posted_at) AS DATE) AS day
            FROM posts
            WHERE author_id IS NOT NULL AND posted_at IS NOT NULL AND kind <> 'service'
        ),
        spans AS (
            SELECT actor, platform, min(day) AS first_day, max(day) AS last_day,
                   arg_min(id, (posted_at, id)) AS first_post,
                   arg_max(id, (posted_at, id)) AS last_post
            FROM posted GROUP BY actor, platform
        ),
        ends AS (SELECT platform, min(day) AS data_start, max(day) AS data_end
                 FROM posted GROUP BY platform)
        SELECT o.actor, n.actor, o.platform, o.last_day, n.first_day, o.last_post, n.first_post
        FROM spans o JOIN ends e USING (platform)
        JOIN spans n ON n.platform = o.platform AND n.actor <> o.actor
        WHERE o.last_day <= e.data_end - $silent
          AND n.first_day > e.data_start
          AND n.first_day BETWEEN o.last_day - 7 AND o.last_day + $window
          AND n.first_day > o.first_day
        ORDER BY o.actor, n.actor
        """,
        {
            "zone": settings["time_zone"],
            "silent": settings["silent_days"],
            "window": settings["window_days"],
        },
    ).fetchall()
    return [tuple(row) for row in rows]


def _profiles(con: duckdb.DuckDBPyConnection, actors: set[str]) -> dict[str, dict[str, str]]:
    """Each account's latest handle, name and profile text (from every state seen)."""
    if not actors:
        return {}
    rows = con.execute(
        """
        SELECT actor_id,
               arg_max(handle, seen_at) FILTER (WHERE handle IS NOT NULL),
               arg_max(name, seen_at) FILTER (WHERE name IS NOT NULL),
               arg_max(description, seen_at) FILTER (WHERE description IS NOT NULL)
        FROM actor_sightings WHERE list_contains($actors, actor_id) GROUP BY actor_id
        """,
        {"actors": sorted(actors)},
    ).fetchall()
    return {
        actor: {"handle": handle or "", "name": name or "", "profile": profile or ""}
        for actor, handle, name, profile in rows
    }


def _addressed_by(con: duckdb.DuckDBPyConnection, actors: set[str]) -> dict[str, set[str]]:
    """The accounts that addressed each account (any interaction kind)."""
    if not actors:
        return {}
    rows = con.execute(
        "SELECT target_actor_id, list(DISTINCT source_actor_id) FROM interactions "
        "WHERE list_contains($actors, target_actor_id) AND source_actor_id <> target_actor_id "
        "GROUP BY 1",
        {"actors": sorted(actors)},
    ).fetchall()
    return {actor: set(sources) for actor, sources in rows}


def _links(con: duckdb.DuckDBPyConnection, actors: set[str]) -> dict[str, dict[str, str]]:
    """The URLs each account posted (from the links facts), with a post that shows each."""
    if not actors:
        return {}
    rows = con.execute(
        "SELECT p.author_id, l.normalized, min(p.id) FROM post_links l "
        "JOIN posts p ON p.id = l.post_id "
        "WHERE l.kind IN ('url', 'telegram', 'whatsapp') AND list_contains($actors, p.author_id) "
        "GROUP BY 1, 2",
        {"actors": sorted(actors)},
    ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for actor, url, post in rows:
        found.setdefault(actor, {})[url] = post
    return found


def _addressers(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many accounts addressed anyone, per platform: whom a shared audience is drawn from."""
    rows = con.execute(
        "SELECT platform, count(DISTINCT source_actor_id) FROM interactions GROUP BY 1"
    ).fetchall()
    return {platform: int(n) for platform, n in rows}


def audience_chance(shared: int, old: int, new: int, population: int) -> float:
    """The chance that two accounts addressed by ``old`` and ``new`` of ``population``
    addressers, drawn at random, share ``shared`` or more (hypergeometric upper tail)."""
    if shared <= 0:
        return 1.0
    population = max(population, old + new - shared)
    return float(hypergeom.sf(shared - 1, population, old, new))


def _reasons(
    old: Mapping[str, str],
    new: Mapping[str, str],
    old_audience: set[str],
    new_audience: set[str],
    old_links: Mapping[str, str],
    new_links: Mapping[str, str],
    population: int,
) -> list[dict[str, Any]]:
    """Each kind of likeness found, as {kind, value in [0, 1], detail}, strongest first."""
    reasons = []
    old_handle, new_handle = old.get("handle", ""), new.get("handle", "")
    if old_handle and new_handle:
        if handle_stem(old_handle) and handle_stem(old_handle) == handle_stem(new_handle):
            reasons.append(_reason("handle", 1.0, f"@{old_handle} and @{new_handle}: same stem"))
        else:
            ratio = fuzz.ratio(old_handle.casefold(), new_handle.casefold())
            if ratio >= 80:
                reasons.append(_reason("handle", ratio / 100, f"@{old_handle} and @{new_handle}"))
    old_name, new_name = old.get("name", ""), new.get("name", "")
    if old_name and new_name:
        ratio = fuzz.ratio(
            " ".join(old_name.casefold().split()), " ".join(new_name.casefold().split())
        )
        if ratio >= 85:
            reasons.append(_reason("name", ratio / 100, f"{old_name!r} and {new_name!r}"))
    if old.get("profile") and new.get("profile"):
        ratio = fuzz.token_set_ratio(old["profile"], new["profile"])
        if ratio >= 60:
            reasons.append(_reason("profile", ratio / 100, "profile texts alike"))
    shared = old_audience & new_audience
    if len(shared) >= 2:
        value = len(shared) / len(old_audience | new_audience)
        chance = audience_chance(len(shared), len(old_audience), len(new_audience), population)
        detail = f"{len(shared)} accounts addressed both (by chance: {chance:.2g})"
        reasons.append(_reason("audience", value, detail) | {"chance": chance})
    shared_links = set(old_links) & set(new_links)
    if len(shared_links) >= 2:
        value = len(shared_links) / len(set(old_links) | set(new_links))
        reasons.append(_reason("links", value, f"{len(shared_links)} links posted by both"))
    return sorted(reasons, key=lambda r: -WEIGHTS[r["kind"]] * r["value"])


def _plain(name: str) -> str:
    return " ".join(name.casefold().split())


def _vouched(reasons: list[dict[str, Any]]) -> bool:
    """More than a look-alike: the same links posted by both, or the same people addressing
    both beyond chance, or the handle, the display name and the profile text all carried over."""
    kinds = {r["kind"] for r in reasons}
    audience = any(r["kind"] == "audience" and r["chance"] <= AUDIENCE_CHANCE for r in reasons)
    return "links" in kinds or audience or {"handle", "name", "profile"} <= kinds


def _reason(kind: str, value: float, detail: str) -> dict[str, Any]:
    return {"kind": kind, "value": round(value, 4), "detail": detail}


def _best(rows: list[SuccessorRow], per_account: int) -> list[SuccessorRow]:
    """The best ``per_account`` candidates of each old account, best first."""
    rows.sort(key=lambda r: (r["old_actor_id"], -r["score"], r["new_actor_id"]))
    kept: list[SuccessorRow] = []
    taken: dict[str, int] = {}
    for row in rows:
        if taken.get(row["old_actor_id"], 0) < per_account:
            kept.append(row)
            taken[row["old_actor_id"]] = taken.get(row["old_actor_id"], 0) + 1
    return sorted(kept, key=lambda r: (-r["score"], r["old_actor_id"], r["new_actor_id"]))
