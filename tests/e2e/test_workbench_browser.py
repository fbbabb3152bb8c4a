"""The workbench in a real browser (Debian's headless Chromium through Playwright).

A demo case with a corpus of script-injection payloads added, served by ``veille serve``'s
app on the loopback. Every request that does not go to the app is refused and recorded; the
console must stay free of errors; no payload may run (each would set the page title to
``MARKER``). The analyst's path: search, filter, a blackout, its evidence post, the author,
its graph neighbourhood and back; a note written, then read back after the server restarts.
``VEILLE_SCREENSHOT=1`` also writes the main pages' screenshots to ``docs/``.

Skipped when Playwright or /usr/bin/chromium is missing, except under ``CI=true``.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.e2e.test_report_browser import ARGS, CHROMIUM, _missing
from tests.e2e.test_workbench import _free_port
from tests.hostile_corpus import MARKER, write_hostile_jsonl
from veille.case import Case

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs"


class Server:
    """``veille serve``'s app under uvicorn in a thread, so a test can stop and restart it."""

    def __init__(self, case: Path) -> None:
        self.case = case
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import uvicorn

        from veille.web.app import create_app

        hosts = [f"127.0.0.1:{self.port}", "127.0.0.1"]
        app = create_app(self.case, hosts=hosts, author="analyst-7")
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        for _ in range(200):
            if self._server.started:
                return
            time.sleep(0.05)
        raise RuntimeError("the workbench did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        assert self._thread is not None
        self._thread.join(timeout=30)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from veille.demo.run import run_demo

    root = tmp_path_factory.mktemp("browser")
    run_demo(root / "case", root / "data", Console(file=io.StringIO()), scale=0.1)
    hostile = root / "hostile.jsonl"
    write_hostile_jsonl(hostile)
    with Case.open(root / "case") as opened:
        opened.ingest([hostile])
        opened.enrich()
        opened.silences()
        opened.analyze("successors")
        opened.index()
    return root / "case"


@dataclass
class Browser:
    page: Any  # playwright.sync_api.Page
    server: Server
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Any:
        self.page.goto(self.server.base + path, wait_until="load")
        assert self.page.title() != MARKER, f"a payload ran on {path}"
        return self.page


@pytest.fixture(scope="module")
def browser(case: Path) -> Iterator[Browser]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    server = Server(case)
    server.start()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            driven = Browser(page, server)

            def route(route: Any) -> None:
                if route.request.url.startswith(server.base + "/"):
                    route.continue_()
                else:
                    driven.refused.append(route.request.url)
                    route.abort()

            page.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and driven.errors.append(m.text))
            page.on("pageerror", lambda e: driven.errors.append(str(e)))
            yield driven
        finally:
            chromium.close()
            server.stop()


def _shoot(page: Any, name: str) -> None:
    if os.environ.get("VEILLE_SCREENSHOT") == "1":
        page.screenshot(path=str(DOCS / f"workbench-{name}.png"), full_page=False)


def test_search_then_filter(browser: Browser) -> None:
    page = browser.open("/")
    _shoot(page, "home")
    page.fill("header form.quick input[name=q]", "Mossoul")
    page.press("header form.quick input[name=q]", "Enter")
    page.wait_for_load_state("load")
    total = int(page.inner_text("#total").replace(",", ""))
    assert total > 0
    assert page.locator("ol.results mark.fact-match").count() > 0
    _shoot(page, "search")
    page.select_option("form.filters select[name=platform]", "telegram")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("load")
    assert "platform=telegram" in page.url
    assert 0 < int(page.inner_text("#total").replace(",", "")) <= total
    assert browser.errors == []
    assert browser.refused == []


def test_from_a_blackout_to_its_evidence_to_its_author_to_the_graph_and_back(
    browser: Browser,
) -> None:
    page = browser.open("/findings")
    page.click("ul.findings a[href^='/finding/blackout/']")
    page.wait_for_load_state("load")
    finding = page.url
    assert page.locator("h1").inner_text().startswith("Blackout")
    _shoot(page, "finding")
    page.click("ol.posts li.post .meta a[href^='/post/']")
    page.wait_for_load_state("load")
    assert "/post/" in page.url
    assert page.locator(".fulltext").count() == 1
    _shoot(page, "post")
    page.click(".post-page .meta a.account")
    page.wait_for_load_state("load")
    assert "/account/" in page.url
    assert page.locator("h2", has_text="Names and profiles over time").count() == 1
    _shoot(page, "account")
    page.click("a[href*='hops=1']")
    page.wait_for_load_state("load")
    assert "/graph?" in page.url
    for _ in range(300):  # polled from here: the CSP refuses a page-side wait (eval)
        if "Drawing" not in page.inner_text("#graph-status"):
            break
        page.wait_for_timeout(100)
    assert "Drawing" not in page.inner_text("#graph-status")
    assert page.locator("#graph canvas").count() > 0
    _shoot(page, "graph")
    page.go_back()
    page.go_back()
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url == finding
    assert browser.errors == []
    assert browser.refused == []


def test_a_note_survives_a_restart(browser: Browser) -> None:
    page = browser.open("/search?q=Mossoul")
    page.click("ol.results li.post .meta a[href^='/post/']")
    page.wait_for_load_state("load")
    post = page.url
    page.fill("form.note-form textarea[name=text]", "Same photo as the 14 Nov post?")
    page.fill("form.note-form input[name=tags]", "to check")
    page.click("form.note-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.startswith(post), page.inner_text("body")[:500]
    assert "Same photo as the 14 Nov post?" in page.inner_text("#notes")
    browser.server.stop()
    browser.server.start()
    page = browser.open(post.removeprefix(browser.server.base))
    notes = page.inner_text("#notes")
    assert "Same photo as the 14 Nov post?" in notes
    assert "analyst-7" in notes
    assert browser.errors == []


def test_no_payload_runs_and_nothing_leaves_on_any_page_it_reaches(browser: Browser) -> None:
    page = browser.open("/search?q=title&sort=oldest")
    links = page.eval_on_selector_all(
        "ol.results a", "elements => elements.map(e => e.getAttribute('href'))"
    )
    assert len(links) >= 20
    for link in dict.fromkeys(links):
        page = browser.open(link)
    assert browser.errors == []
    assert browser.refused == []
