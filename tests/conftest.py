"""Shared test set-up: where the shared fixtures are, and golden-file updating."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/expected from the readers' current output; review the diff",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """``../shared/fixtures``; skipped in someone's own clone, required under CI."""
    if not SHARED_FIXTURES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared fixtures are missing at {SHARED_FIXTURES}")
        pytest.skip(f"shared fixtures not found at {SHARED_FIXTURES}")
    return SHARED_FIXTURES


GEXF_SCHEMA = SHARED_FIXTURES.parent / "schemas" / "gexf-1.3" / "gexf.xsd"


@pytest.fixture(scope="session")
def gexf_schema() -> Any:
    """The GEXF 1.3 XML Schema (``../shared/schemas/gexf-1.3``) as an lxml validator;
    skipped in someone's own clone, required under CI."""
    if not GEXF_SCHEMA.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the GEXF schema is missing at {GEXF_SCHEMA}")
        pytest.skip(f"GEXF schema not found at {GEXF_SCHEMA}")
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(GEXF_SCHEMA)))
