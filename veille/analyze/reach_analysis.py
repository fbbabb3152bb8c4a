"""The ``reach`` analysis: who is within k hops of a watchlist's accounts, by which path.

Writes ``reach``: one row per account within reach, the watched account it is nearest to, the
path and the posts behind each hop. ``veille reach`` is its short form; the watchlist lines no
account matched come back in the result, and are part of the run's parameters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict

from veille.analyze.base import AnalysisInputs, Output, Plan
from veille.analyze.graph import EdgeFilter, build_graph
from veille.analyze.reach import ReachResult, reach, resolve_watchlist
from veille.errors import ConfigError
from veille.model import INTERACTION_KINDS
from veille.store.actor_history import actor_labels
from veille.store.declared import Int32, Json

__all__ = ["ReachAnalysis", "ReachFound", "ReachRow"]


class ReachRow(TypedDict):
    """A row of ``reach``."""

    actor_id: str  # the account within reach
    watch_actor_id: str  # the watchlist account it is nearest to
    hops: Int32
    score: float
    path: Json | None  # actor ids from the watched account to it
    evidence: Json | None  # post ids behind each hop, in path order


@dataclass
class ReachFound:
    """Who is within reach, the watchlist lines no actor matched, and labels to show them."""

    run_id: str
    result: ReachResult
    unknown: list[str]
    labels: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class _Watch:
    found: list[str]  # actor ids the lines matched
    watch: list[str]  # the same, merged accounts replaced by the account they stand for
    unknown: list[str]
    edge_filter: EdgeFilter


class ReachAnalysis:
    """Everyone within ``hops`` of the watchlist, either direction, over the chosen kinds."""

    name: ClassVar[str] = "reach"
    version: ClassVar[str] = "1"
    needs: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[Mapping[str, type[Any]]] = {"reach": ReachRow}

    def plan(
        self,
        inputs: AnalysisInputs,
        *,
        watchlist: Sequence[str] = (),
        hops: int = 2,
        kinds: Sequence[str] = (),
    ) -> Plan:
        unknown_kinds = sorted(set(kinds) - set(INTERACTION_KINDS))
        if unknown_kinds:
            raise ConfigError(f"kinds: unknown {', '.join(unknown_kinds)}")
        if hops < 1:
            raise ConfigError(f"hops: {hops} is not 1 or more")
        found, unknown = resolve_watchlist(inputs.con, watchlist)
        watch = list(dict.fromkeys(inputs.same_as.get(actor, actor) for actor in found))
        edge_filter = EdgeFilter(kinds=tuple(kinds), same_as=inputs.same_as)
        parameters = {
            **edge_filter.parameters(),
            "watch": sorted(watch),
            "hops": hops,
            "kinds": list(kinds),
            "unknown": unknown,
        }
        return Plan(parameters, _Watch(found, watch, unknown, edge_filter))

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[ReachFound]:
        planned: _Watch = plan.prepared
        net = build_graph(inputs.con, planned.edge_filter)
        result = reach(net, planned.watch, plan.parameters["hops"], plan.parameters["kinds"])
        rows: list[ReachRow] = [
            {
                "actor_id": r["actor_id"],
                "watch_actor_id": r["watch_actor_id"],
                "hops": r["hops"],
                "score": r["score"],
                "path": json.dumps(r["path"]),
                "evidence": json.dumps(r["evidence"]),
            }
            for r in result.rows()
        ]
        labels = actor_labels(inputs.con, [*net.actor_ids, *planned.found])
        found = ReachFound(run_id, result, planned.unknown, labels)
        counts = {"reached": len(rows), "unknown": len(planned.unknown)}
        return Output({"reach": rows}, counts, found)
