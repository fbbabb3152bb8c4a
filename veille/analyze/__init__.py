"""Analyses of a case: who matters in the interaction graph, who is within reach of a
watchlist, where and when activity happens and stops.

Each analysis is a plugin (``base.Analysis``) registered by name in ``ANALYSES``; the helper
modules beside them compute on a read connection or plain arrays. Nothing here writes to the
store: ``veille.runs.analysis`` stores what an analysis returns.
"""

from __future__ import annotations

from typing import Any

from veille.analyze.base import Analysis, AnalysisInputs, Output, Plan
from veille.registry import Registry

__all__ = ["ANALYSES", "Analysis", "AnalysisInputs", "Output", "Plan"]

ANALYSES: Registry[type[Analysis[Any]]] = Registry(
    "analysis",
    {
        "network": "veille.analyze.network_analysis:NetworkAnalysis",
        "reach": "veille.analyze.reach_analysis:ReachAnalysis",
        "activity": "veille.analyze.activity_analysis:ActivityAnalysis",
        "accounts": "veille.analyze.account_activity:AccountActivity",
        "successors": "veille.analyze.successors:Successors",
    },
    group="veille.analyses",
)
