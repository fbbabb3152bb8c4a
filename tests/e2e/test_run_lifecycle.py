"""Every kind of run ends ``done`` or ``failed``, and a killed one shows as unfinished.

An error injected mid-way into each kind of run (ingest, enrich, network, reach, activity)
must leave it ``failed`` with the error in ``veille status``; running the command again must
leave no failed run behind. A run killed with SIGKILL cannot log anything: ``status`` shows it
unfinished until a later run completes what it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from veille.case import Case

CSV = (
    "username,time,text\n"
    "abu_a,1/6/2015 21:07,hello @abu_b from Mosul\n"
    "abu_b,1/13/2015 08:00,reply @abu_a\n"
    "abu_c,1/14/2015 09:00,to @abu_b and @abu_a\n"
)


class Injected(RuntimeError):
    pass


def _fail(*args: object, **kwargs: object) -> None:
    raise Injected("injected mid-way")


@pytest.fixture
def case(tmp_path: Path) -> Case:
    opened = Case.init(tmp_path / "case")
    (tmp_path / "t.csv").write_text(CSV, encoding="utf-8")
    return opened


# Each kind of run, with the call that runs it and a function of its middle to break.
RUNS: dict[str, tuple[str, Callable[[Case, Path], object]]] = {
    "ingest": (
        "veille.store.write.SourceWriter.flush",
        lambda case, data: case.ingest([data]),
    ),
    "enrich": (
        "veille.enrich.links_enricher.LinksEnricher.enrich",
        lambda case, data: case.enrich(["links"]),
    ),
    "network": (
        "veille.analyze.network_analysis.detect",
        lambda case, data: case.network(),
    ),
    "reach": (
        "veille.analyze.reach_analysis.reach",
        lambda case, data: case.reach(["abu_a"]),
    ),
    "activity": (
        "veille.analyze.activity_analysis.find_moves",
        lambda case, data: case.activity(),
    ),
}


@pytest.mark.parametrize("kind", sorted(RUNS))
def test_an_error_mid_run_leaves_it_failed_with_the_error(
    kind: str, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, run = RUNS[kind]
    data = tmp_path / "t.csv"
    if kind != "ingest":
        case.ingest([data])
    with monkeypatch.context() as patched:
        patched.setattr(target, _fail)
        with pytest.raises(Injected):
            run(case, data)
    status = case.status()
    assert status["unfinished_runs"] == []
    [failed] = status["failed_runs"]
    assert failed["name"] == ("links" if kind == "enrich" else kind)  # enrich: one run per enricher
    assert failed["error"] == "Injected: injected mid-way"
    run(case, data)  # the same command again, unbroken
    assert case.status()["failed_runs"] == []


def _killed_script(body: str) -> str:
    """A Python program that runs ``body`` on the case and kills itself mid-way."""
    return textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from veille.case import Case

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        case = Case.open(Path(sys.argv[1]))
        data = Path(sys.argv[2])
        """
    ) + textwrap.dedent(body)


def _run_killed(case: Case, data: Path, body: str) -> None:
    case.close()  # the child needs the case's write lock
    child = subprocess.run(
        [sys.executable, "-c", _killed_script(body), str(case.root), str(data)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert child.returncode == -signal.SIGKILL, child.stderr


def test_a_killed_ingest_shows_as_unfinished_and_a_rerun_completes_it(
    case: Case, tmp_path: Path
) -> None:
    data = tmp_path / "t.csv"
    _run_killed(
        case,
        data,
        """
        import veille.runs.ingest as ingest
        ingest._PROGRESS_EVERY = 1
        case.ingest([data], progress=die)
        """,
    )
    with Case.open(case.root) as reopened:
        status = reopened.status()
        [run] = status["unfinished_runs"]
        assert (run["kind"], run["name"]) == ("ingest", "ingest")
        assert [s["path"] for s in status["unfinished_sources"]] == [str(data)]
        reopened.ingest([data])
        status = reopened.status()
        assert status["unfinished_sources"] == []
        assert status["unfinished_runs"][0]["sources_unfinished"] == 0
        assert status["totals"]["posts"] == 3


def test_a_killed_analysis_shows_as_unfinished_until_it_is_run_again(
    case: Case, tmp_path: Path
) -> None:
    data = tmp_path / "t.csv"
    case.ingest([data])
    _run_killed(
        case,
        data,
        """
        import veille.analyze.network_analysis as network
        network.detect = die
        case.network()
        """,
    )
    with Case.open(case.root) as reopened:
        [run] = reopened.status()["unfinished_runs"]
        assert (run["kind"], run["name"]) == ("analysis", "network")
        result = reopened.network()
        assert result.run_id == run["id"]  # same parameters, same run: now done
        assert reopened.status()["unfinished_runs"] == []
