"""What an analysis is: declarative attributes plus two verbs, ``plan`` and ``run``.

An analysis reads the case through ``veille.store`` queries and returns result rows; it never
writes. The runner (``veille.runs.analysis``) does the rest, the same way for every analysis:

1. ``plan(inputs, **options)`` checks the options and settles everything the result depends on
   (the latest run of each analysis it ``needs``, a resolved watchlist) into ``Plan.parameters``;
2. the run id hashes the name, ``version`` and those parameters, so the same parameters replace
   the same run's rows (``store/runs.recorded_run`` logs it started, then done or failed);
3. ``run(inputs, plan, run_id)`` computes and returns an ``Output``: rows for each table of
   ``tables`` (checked against its declared row type), counts for the run log, and a typed
   result for the command line and the report.

Adding an analysis: one module here, one migration creating its tables, one line in
``ANALYSES`` (``veille/analyze/__init__.py``), or an entry point in the group
``veille.analyses``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeAlias, TypeVar

import duckdb
import pyarrow as pa

__all__ = ["Analysis", "AnalysisInputs", "Output", "Plan", "Rows"]

Result = TypeVar("Result", covariant=True)
Rows: TypeAlias = Sequence[Mapping[str, Any]] | pa.Table  # a table computed in SQL stays Arrow


@dataclass(frozen=True)
class AnalysisInputs:
    """What an analysis may know of its case."""

    con: duckdb.DuckDBPyConnection  # read through veille.store queries only
    zone: str  # the case's time zone, for days
    same_as: Mapping[str, str]  # merged account id -> the account it stands for (case.toml)


@dataclass(frozen=True)
class Plan:
    """The parameters a run is known by, and what planning found that the run reuses."""

    parameters: dict[str, Any]  # JSON-ready; recorded with the run and hashed into its id
    prepared: Any = None


@dataclass
class Output(Generic[Result]):
    """What a run found: result rows by table, counts for the run log, the typed result."""

    tables: dict[str, Rows]
    counts: dict[str, int]
    result: Result


class Analysis(Protocol[Result]):
    name: ClassVar[str]  # network | reach | activity ...
    version: ClassVar[str]  # bump when the same parameters would give other rows
    needs: ClassVar[tuple[str, ...]]  # analyses whose latest run it reads, if there is one
    tables: ClassVar[Mapping[str, type[Any]]]  # result table -> its row type (a TypedDict)

    def plan(self, inputs: AnalysisInputs, **options: Any) -> Plan:
        """Check ``options`` and settle the parameters; ConfigError for a bad one."""
        ...

    def run(self, inputs: AnalysisInputs, plan: Plan, run_id: str) -> Output[Result]:
        """Compute; rows for every table of ``tables``."""
        ...
