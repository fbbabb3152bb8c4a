"""The workbench over a real case: every page answers, links lead somewhere, hostile text
stays text.

The case holds every shared fixture and a corpus of script-injection payloads in post text,
handles, names, profiles, hashtags, links and place names (``tests/hostile_corpus.py``),
enriched and analysed. Every page reachable from the home page is fetched; each must answer,
and hold no markup but the app's own: no script but the app's files under ``/static/`` (and
nothing inline), no event handler, no frame or object, no address outside the app.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from starlette.testclient import TestClient

from tests.hostile_corpus import PAYLOADS, write_hostile_jsonl
from veille.case import Case, SearchFilters
from veille.web.app import create_app

pytestmark = pytest.mark.e2e

MAX_PAGES = 400
_ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "body", "header", "nav", "form", "input", "main",
    "footer", "h1", "h2", "h3", "p", "span", "b", "a", "code", "table", "thead", "tbody", "tr",
    "th", "td", "ul", "ol", "li", "div", "mark", "label", "select", "option", "button",
    "figure", "figcaption", "svg", "rect", "article", "dl", "dt", "dd", "details", "summary",
    "pre", "section", "textarea", "script", "circle", "path", "g", "text", "line",
}  # fmt: skip
_LINKS = {"/static/style.css", "/static/favicon.svg"}


class _Inert(HTMLParser):
    """Collects what would make a page active or reach outside the app."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":  # only the app's own files, nothing inline
            self.in_script = True
            if not (dict(attrs).get("src") or "").startswith("/static/"):
                self.problems.append(f"<script {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "data", "formaction") and value is not None:
                if not value.startswith("/"):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
                elif tag == "a":
                    self.links.append(value)
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.problems.append("<meta http-equiv>")
        if tag == "link" and dict(attrs).get("href") not in _LINKS:
            self.problems.append(f"<link {attrs}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("workbench")
    hostile = root / "hostile.jsonl"
    write_hostile_jsonl(hostile)
    with Case.init(root / "case") as opened:
        opened.ingest([fixtures_dir, hostile])
        opened.enrich()
        opened.network()
        opened.activity()
        opened.silences()
        opened.analyze("successors")
        opened.index()
    return root / "case"


@pytest.fixture(scope="module")
def client(case: Path) -> Iterator[TestClient]:
    with TestClient(create_app(case, hosts=["testserver"])) as test_client:
        yield test_client


def test_every_reachable_page_answers_and_holds_no_live_markup(client: TestClient) -> None:
    seen: set[str] = set()
    queue = [
        "/",
        "/findings",
        "/search?q=script",
        "/search?q=mosul&sort=oldest",
        "/graph?q=script",
        "/map?q=script",
        "/timeline?q=mosul",
    ]
    kinds: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = url.split("?")[0]
        downloads = (".csv", ".parquet", ".json", ".gexf", ".geojson")
        if url in seen or path.endswith(downloads) or "page=" in url:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        page = _Inert()
        page.feed(response.text)
        assert page.problems == [], url
        kinds.add(url.split("/")[1].split("?")[0])
        queue += [link.replace("&amp;", "&") for link in page.links if link not in seen]
    assert {"", "search", "post", "account", "findings", "finding", "community", "entity"} <= kinds
    assert {"graph", "map", "timeline", "place"} <= kinds
    assert len(seen) >= 50


def test_payloads_are_shown_as_text(client: TestClient) -> None:
    response = client.get("/search", params={"q": "script title", "sort": "oldest"})
    assert response.status_code == 200
    assert "&lt;script&gt;document.title=" in response.text
    served: Case = client.app.state.case  # type: ignore[attr-defined]
    post = served.search(SearchFilters(words="evil example")).rows[0]
    page = client.get(f"/post/{post['id']}")
    assert "&lt;" in page.text
    assert "<script" not in page.text.lower()
    assert len(PAYLOADS) * 4 >= 100  # the corpus holds at least 100 payloads in place


def test_exports_carry_the_matching_posts_with_provenance(client: TestClient) -> None:
    csv_text = client.get("/search.csv", params={"q": "mosul"}).text
    header, *_rows = csv_text.strip().splitlines()
    assert '"source_path"' in header
    assert '"locator"' in header
    total = re.search(r'id="total">([\d,]+)<', client.get("/search", params={"q": "mosul"}).text)
    assert total is not None
    assert int(total.group(1).replace(",", "")) > 0
    parquet = client.get("/search.parquet", params={"q": "mosul"})
    assert parquet.content[:4] == b"PAR1"
    assert client.get("/search.xml").status_code == 404


def test_views_carry_hostile_names_as_data(client: TestClient, gexf_schema: Any) -> None:
    """Graph JSON holds the payloads verbatim (graph.js paints them on a canvas, never as
    markup); GEXF and GeoJSON hold them escaped by their serialisers."""
    response = client.get("/graph.json", params={"q": "script"})
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    labels = " ".join(node["label"] for node in response.json()["nodes"])
    assert "<script>" in labels or "onerror" in labels
    gexf = client.get("/graph.gexf", params={"q": "script"})
    document = etree.fromstring(gexf.content)
    gexf_schema.assertValid(document)
    assert b"<script>" not in gexf.content
    assert len(document.findall(".//{http://gexf.net/1.3}node")) > 10
    places = client.get("/map.geojson").json()
    names = " ".join(f["properties"]["name"] for f in places["features"])
    assert places["features"]
    assert "Mosul" in names
    javascript = client.get("/static/graph.js").text
    assert "innerHTML" not in javascript
    assert "insertAdjacentHTML" not in javascript


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_veille_serve_answers_on_the_loopback_only(tmp_path: Path) -> None:
    case = tmp_path / "case"
    Case.init(case).close()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from veille.cli import main; main()",
            "serve",
            str(case),
            "--port",
            str(port),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    body = answer.read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert "Most important accounts" in body
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err
