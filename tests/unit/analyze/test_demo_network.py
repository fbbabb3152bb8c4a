"""On the generated demo case, the planted hubs rank high and the communities come back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from veille.analyze.communities import adjusted_rand_index, detect
from veille.analyze.graph import EdgeFilter, build_graph
from veille.analyze.importance import explain, score
from veille.case import Case
from veille.demo.generate import write_scenario
from veille.ingest.common.identity import actor_id

# The edges the scenario plants (ground truth "interactions"); WhatsApp contact edges link
# everyone in a chat and plant no structure.
PLANTED_KINDS = ("mention", "reply", "forward", "retweet", "quote")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Case, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("demo")
    truth = write_scenario(root / "data", scale=0.1)
    by_zone: dict[str | None, list[Path]] = defaultdict(list)
    for entry in truth["files"].values():
        by_zone[entry["zone"]].append(root / "data" / entry["ingest"])
    case = Case.init(root / "case")
    for zone, paths in sorted(by_zone.items(), key=lambda item: item[0] or ""):
        case.ingest(sorted(set(paths)), time_zone=zone)
    yield case, truth
    case.close()


def account_actor_ids(account: dict[str, Any]) -> list[str]:
    """Every actor id the account has in the case; a Telegram @username mention is one too."""
    ids = sorted(set(account["actor_ids"].values()))
    if "telegram_username" in account["keys"]:
        ids.append(actor_id("telegram", "@" + account["keys"]["telegram_username"]))
    return ids


def same_as(truth: dict[str, Any]) -> dict[str, str]:
    """What an analyst's same_as list would say: one actor per planted account."""
    merged = {}
    for account in truth["accounts"]:
        first, *others = account_actor_ids(account)
        merged.update(dict.fromkeys(others, first))
    return merged


def test_planted_hubs_rank_in_the_top_10_with_reasons(demo):
    case, truth = demo
    net = build_graph(case.con, EdgeFilter(kinds=PLANTED_KINDS, same_as=same_as(truth)))
    scores = score(net)
    vertex = {a: v for v, a in enumerate(net.actor_ids)}
    accounts = {a["id"]: a for a in truth["accounts"]}
    for hub in truth["central_accounts"]:
        first = account_actor_ids(accounts[hub["id"]])[0]
        assert scores.rank[vertex[first]] <= 10, hub["name"]
        why = explain(net, scores, first)
        assert why.received >= 1
        assert why.top_edges
        assert all(edge.evidence for edge in why.top_edges)


def test_planted_communities_are_recovered(demo):
    case, truth = demo
    net = build_graph(case.con, EdgeFilter(kinds=PLANTED_KINDS, same_as=same_as(truth)))
    found = detect(net, seed=0)
    planted = {
        actor: account["community"]
        for account in truth["accounts"]
        for actor in account_actor_ids(account)
    }
    pairs = [
        (planted[a], int(c))
        for a, c in zip(net.actor_ids, found.membership, strict=True)
        if a in planted
    ]
    assert len(pairs) >= 100
    assert adjusted_rand_index([p for p, _ in pairs], [c for _, c in pairs]) >= 0.8
