"""Run one registered analysis: plan it, log it as a run, compute, store its result tables.

The run id hashes the analysis name, version and planned parameters (``analysis_run_id``):
running it again with the same parameters replaces that run's rows and nothing else. Every
table the analysis declares is written, each row checked against its declared row type.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from veille import __version__
from veille.analyze import ANALYSES
from veille.analyze.base import Analysis, AnalysisInputs, Output
from veille.config import CaseConfig
from veille.errors import ConfigError, PluginError
from veille.ingest.common.identity import actor_id
from veille.store.declared import rows_table, table_with_schema
from veille.store.results import analysis_run_id
from veille.store.runs import recorded_run

__all__ = ["Finished", "analysis_inputs", "parameters_of", "resolve_same_as", "run_analysis"]


@dataclass(frozen=True)
class Finished:
    """A stored analysis run: its id, parameters and counts, and what the analysis found."""

    name: str
    run_id: str
    parameters: dict[str, Any]
    counts: dict[str, int]
    result: Any  # the analysis's own result type (NetworkResult, ReachFound, ...)


def resolve_same_as(groups: list[list[str]]) -> dict[str, str]:
    """``case.toml`` same-as groups ("platform:key" per account) to actor id -> canonical id.

    The first account of a group names it; keys are those of ``veille.ingest.common.identity``.
    """
    mapping: dict[str, str] = {}
    for group in groups:
        ids = []
        for entry in group:
            platform, sep, key = str(entry).partition(":")
            if not sep or not key:
                raise ConfigError(f"same_as: {entry!r} is not platform:key (twitter:abu_example)")
            ids.append(actor_id(platform, key))
        for other in ids[1:]:
            mapping[other] = ids[0]
    return mapping


def analysis_inputs(con: duckdb.DuckDBPyConnection, config: CaseConfig) -> AnalysisInputs:
    """What analyses may know of a case: its connection, time zone and same-as groups."""
    return AnalysisInputs(con, config.time_zone, resolve_same_as(config.same_as))


def run_analysis(inputs: AnalysisInputs, name: str, **options: Any) -> Finished:
    """Run analysis ``name`` with ``options`` (its keyword parameters) and store it."""
    analysis: Analysis[Any] = ANALYSES.get(name)()
    _check_options(analysis, options)
    plan = analysis.plan(inputs, **options)
    run_id = analysis_run_id(analysis.name, analysis.version, plan.parameters)
    with recorded_run(
        inputs.con,
        kind="analysis",
        name=analysis.name,
        version=analysis.version,
        parameters=plan.parameters,
        code_version=__version__,
        run_id=run_id,
    ) as run:
        output = analysis.run(inputs, plan, run_id)
        run.replace(_checked_tables(analysis, output, run_id))
        run.counts.update(output.counts)
    return Finished(analysis.name, run_id, plan.parameters, output.counts, output.result)


def parameters_of(analysis: Analysis[Any]) -> list[str]:
    """The options an analysis's ``plan`` takes."""
    signature = inspect.signature(analysis.plan)
    return [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]


def _check_options(analysis: Analysis[Any], options: dict[str, Any]) -> None:
    known = parameters_of(analysis)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ConfigError(
            f"analysis {analysis.name!r} has no parameter {', '.join(unknown)}; "
            f"its parameters: {', '.join(known) or 'none'}"
        )


def _checked_tables(
    analysis: Analysis[Any], output: Output[Any], run_id: str
) -> dict[str, pa.Table]:
    """Each declared table's rows as Arrow, in its declared schema, with the run id."""
    missing = sorted(analysis.tables.keys() - output.tables.keys())
    extra = sorted(output.tables.keys() - analysis.tables.keys())
    if missing or extra:
        raise PluginError(
            f"analysis {analysis.name!r} returned tables {sorted(output.tables)}; "
            f"it declares {sorted(analysis.tables)}"
        )
    prefix = {"run_id": run_id}
    tables = {}
    for table, row_type in analysis.tables.items():
        rows = output.tables[table]
        if isinstance(rows, pa.Table):
            tables[table] = table_with_schema(rows, row_type, prefix)
        else:
            tables[table] = rows_table(rows, row_type, prefix)
    return tables
