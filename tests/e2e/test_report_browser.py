"""The sample report in a real browser (Debian's headless Chromium through Playwright).

Opened from a file:// URL with every other request refused and recorded: the page must ask
for nothing, log no error, and show its map, timelines, tables and Arabic text.
``VEILLE_SCREENSHOT=1`` also writes ``docs/report-screenshot.png``.

Skipped when Playwright or /usr/bin/chromium is missing, except under ``CI=true``, where that
is a failure. Setup: ``apt-get install -y chromium`` and ``pip install playwright==1.65.2``
(no ``playwright install``: the system Chromium is used).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from veille.report.html_report import render_report
from veille.report.report_data import sample_report_data

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "report-screenshot.png"
SCREENSHOT_LIMIT = 600_000  # bytes
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright==1.65.2)"
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


def _refuse_all_but(page: Any, url: str) -> list[str]:
    """Let only ``url`` through; every other request is aborted and recorded."""
    refused: list[str] = []

    def route(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return refused


def _keep_error(errors: list[str], message: Any) -> None:
    if message.type == "error":
        errors.append(message.text)


@dataclass
class Loaded:
    browser: Any  # playwright.sync_api.Browser
    page: Any  # playwright.sync_api.Page
    url: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(sample_report_data()), encoding="utf-8")
    url = path.as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            loaded = Loaded(browser, page, url, refused=_refuse_all_but(page, url))
            page.on("request", lambda request: loaded.requests.append(request.url))
            page.on("console", lambda m: _keep_error(loaded.errors, m))
            page.on("pageerror", lambda e: loaded.errors.append(str(e)))
            page.on("requestfailed", lambda r: loaded.errors.append(f"failed: {r.url}"))
            page.goto(url, wait_until="load")
            yield loaded
        finally:
            browser.close()


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box  # type: ignore[no-any-return]


def test_nothing_but_the_file_is_requested(loaded: Loaded) -> None:
    loaded.page.locator("a.ev").first.click()  # in-page links load nothing either
    loaded.page.wait_for_timeout(200)
    assert loaded.refused == []
    assert set(loaded.requests) == {loaded.url}


def test_no_console_or_page_error(loaded: Loaded) -> None:
    assert loaded.errors == []


def test_map_timelines_and_tables_are_visible(loaded: Loaded) -> None:
    page = loaded.page
    box = _box(page, "svg.map")
    assert box["width"] > 900
    assert box["height"] > 300
    assert page.locator("svg.map path.country").count() > 20
    assert page.locator("svg.map circle.place").count() == len(sample_report_data().places)
    timelines = page.locator("svg.timeline")
    assert timelines.count() == len(sample_report_data().series)
    for i in range(timelines.count()):
        chart = timelines.nth(i).bounding_box()
        assert chart is not None
        assert chart["width"] > 800
        assert chart["height"] > 60
    bands = page.locator("svg.timeline rect.band")
    assert bands.count() == len(sample_report_data().blackouts)
    assert _box(page, "svg.timeline rect.band")["width"] > 0
    tables = page.locator("table")
    assert tables.count() >= 8
    for i in range(tables.count()):
        table = tables.nth(i)
        assert table.is_visible()
        table_box = table.bounding_box()
        assert table_box is not None
        assert table_box["height"] > 0


def test_hostile_text_is_shown_not_run(loaded: Loaded) -> None:
    page = loaded.page
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    heading = page.locator("h1").inner_text()
    assert "<script>alert(1)</script>" in heading
    assert page.evaluate("document.title").endswith("veille report")


def test_arabic_text_renders_right_to_left(loaded: Loaded) -> None:
    page = loaded.page
    cell = page.locator("td", has_text="نشر الأخبار").first
    assert cell.evaluate("e => getComputedStyle(e).direction") == "rtl"
    box = cell.bounding_box()
    assert box is not None
    assert box["width"] > 0
    # Missing glyphs all draw as one same-width box: real Arabic letters differ in width.
    widths = page.evaluate(
        """() => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = getComputedStyle(document.body).font;
            return ['ا', 'م', 'ش', 'ل'].map(ch => c.measureText(ch).width);
        }"""
    )
    assert min(widths) > 0
    assert len(set(widths)) > 1


def test_print_unfolds_long_tables(loaded: Loaded, tmp_path: Path) -> None:
    data = sample_report_data()
    rows = [{"path": "f.json", "locator": f"messages[{i}]", "reason": "no id"} for i in range(50)]
    path = tmp_path / "long.html"
    path.write_text(render_report(replace(data, quarantine=rows)), encoding="utf-8")
    page = loaded.browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        refused = _refuse_all_but(page, path.as_uri())
        page.goto(path.as_uri(), wait_until="load")
        folded = page.locator("details:not([open]) table")
        assert folded.count() == 1
        assert not folded.is_visible()  # on screen: one click away
        page.emulate_media(media="print")
        assert folded.is_visible()  # on paper: all there
        assert refused == []
    finally:
        page.close()


def test_screenshot(loaded: Loaded, tmp_path: Path) -> None:
    """A full-page screenshot renders; with VEILLE_SCREENSHOT=1 it replaces
    docs/report-screenshot.png (a commit-worthy image)."""
    from PIL import Image

    page = loaded.page
    page.goto(loaded.url, wait_until="load")  # fresh: no link target highlighted
    png = page.screenshot(full_page=True, type="png")
    # A 256-colour palette keeps text sharp and small swatches true, at a third of the size.
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 1000
    assert image.height > image.width  # the whole report, not one screen
    small = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    target = SCREENSHOT if os.environ.get("VEILLE_SCREENSHOT") == "1" else tmp_path / "shot.png"
    target.parent.mkdir(exist_ok=True)
    small.save(target, optimize=True)
    assert target.stat().st_size < SCREENSHOT_LIMIT
