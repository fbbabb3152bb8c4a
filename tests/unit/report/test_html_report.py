"""The HTML report: hostile text stays text, nothing is fetched, every link lands, the map and
timelines carry what the data says. Structure is checked through ``html.parser``."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from veille.report.html_captions import blackout_sentence, hotspot_sentence, move_sentence
from veille.report.html_map import COLORS, render_map
from veille.report.html_parts import Markup, el, esc, fmt_date, svg_num
from veille.report.html_report import render_report
from veille.report.html_timeline import render_timelines, select_series
from veille.report.report_data import (
    HOSTILE,
    IMG_ONERROR,
    JS_URL,
    RTL_OVERRIDE,
    SCRIPT,
    ReportData,
    sample_report_data,
)
from veille.report.topojson import decode, world_countries

# Every tag and attribute the report may use: anything else came from data, or is new and
# must be added here on purpose.
# fmt: off
ALLOWED_TAGS = frozenset({
    "a", "article", "body", "circle", "code", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "g", "h1", "h2", "head", "header", "html", "i", "main", "meta", "nav",
    "p", "path", "rect", "section", "span", "strong", "style", "summary", "svg", "table",
    "tbody", "td", "text", "th", "thead", "title", "tr",
})
ALLOWED_ATTRIBUTES = frozenset({
    "aria-labelledby", "charset", "class", "content", "cx", "cy", "d", "data-accounts",
    "data-blackout", "data-iso", "data-kind", "data-place", "data-posts", "data-series", "dir",
    "fill", "height", "href",
    "http-equiv", "id", "lang", "name", "open", "r", "role", "scope", "style", "title",
    "viewbox", "width", "x", "y",
})
# fmt: on


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.text: list[str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def walk(self) -> list[Element]:
        return [self, *(e for c in self.children for e in c.walk())]

    def find(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.walk() if e.tag == tag and (cls is None or cls in e.classes)]

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)


_VOID = {"meta", "br", "hr", "col", "wbr"}


class Page(HTMLParser):
    """A whole document as a tree, plus every data chunk and every (tag, attribute) seen."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root
        self.data: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []  # a bare attribute's value is ""
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        element = Element(tag, values, self.current)
        self.tags.append((tag, values))
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"stray </{tag}>"
        assert node.parent is not None
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        self.current.text.append(data)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def hrefs(self) -> list[str]:
        return [a["href"] for _, a in self.tags if "href" in a]


@pytest.fixture(scope="module")
def sample() -> ReportData:
    return sample_report_data()


@pytest.fixture(scope="module")
def document(sample: ReportData) -> str:
    return render_report(sample)


@pytest.fixture(scope="module")
def page(document: str) -> Page:
    return Page(document)


# Escaping


@pytest.mark.parametrize("hostile", [SCRIPT, IMG_ONERROR])
def test_hostile_markup_appears_only_escaped(document: str, page: Page, hostile: str) -> None:
    assert hostile not in document
    assert html.escape(hostile, quote=True) in document
    assert any(hostile in chunk for chunk in page.data)  # shown to the reader, as text


def test_no_tag_or_attribute_comes_from_data(page: Page) -> None:
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
    assert {name for _, attrs in page.tags for name in attrs} <= ALLOWED_ATTRIBUTES
    assert not [t for t, _ in page.tags if t in {"script", "img", "iframe", "object", "embed"}]
    assert not [n for _, a in page.tags for n in a if n.startswith("on")]


def test_no_event_handler_or_script_anywhere(document: str) -> None:
    assert not re.search(r"<script", document, re.I)
    # "onerror=" survives only inside escaped text: never right after a tag's name or a quote.
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", document, re.I)


def test_javascript_url_is_never_a_link(document: str, page: Page) -> None:
    assert all(href.startswith("#") for href in page.hrefs())
    assert JS_URL in "".join(page.data)
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", document, re.I)


def test_direction_override_is_flagged_and_isolated(page: Page) -> None:
    text_cells = [td for td in page.root.find("td") if RTL_OVERRIDE in td.all_text()]
    assert text_cells
    assert all(td.attrs.get("dir") == "auto" for td in text_cells)
    assert all(td.find("span", "bidi-warn") for td in text_cells)
    posts = [p for p in page.root.find("article", "post") if RTL_OVERRIDE in p.all_text()]
    assert posts
    assert all(p.find("p", "warning") for p in posts)


def test_every_hostile_string_survives_as_text(page: Page) -> None:
    text = "".join(page.data)
    for hostile in HOSTILE:
        assert hostile in text


# Self-containedness


def test_nothing_can_be_fetched(document: str, page: Page) -> None:
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:|//|data:|file:)", document, re.I)
    assert 'href="http' not in document
    assert "url(" not in document
    assert "@import" not in document
    assert not [a for _, a in page.tags if "src" in a]
    for _, attrs in page.tags:  # URLs from the case only ever appear as text
        assert not any("://" in (v or "") for v in attrs.values()), attrs


def test_content_security_policy_refuses_every_load(page: Page) -> None:
    (policy,) = [
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy is not None
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # so default-src 'none' applies to scripts


def test_evidence_urls_are_plain_text(page: Page, sample: ReportData) -> None:
    urls = [c.all_text() for c in page.root.find("code", "url")]
    assert sorted(urls) == sorted(str(p["url"]) for p in sample.evidence_posts.values())


# Evidence


def test_every_in_page_link_lands(page: Page) -> None:
    ids = page.ids()
    targets = [href[1:] for href in page.hrefs()]
    assert targets
    assert not [t for t in targets if t not in ids]


def test_every_cited_post_has_an_anchor(page: Page, sample: ReportData) -> None:
    cited = {
        str(i)
        for rows in (sample.top_accounts, sample.blackouts, sample.moves, sample.hotspots)
        for row in rows
        for i in row["evidence"]
    }
    assert "missing-post" in cited  # cited but absent from the extract: still listed
    ids = page.ids()
    assert {f"post-{i}" for i in cited | set(sample.evidence_posts)} <= ids
    links = {h[1:] for h in page.hrefs() if h.startswith("#post-")}
    assert {f"post-{i}" for i in cited} == links
    articles = page.root.find("article", "post")
    assert len(articles) == len(cited | set(sample.evidence_posts))


def test_strange_post_ids_get_working_anchors(sample: ReportData) -> None:
    strange = 'x" onclick="alert(1)'
    other = "post with spaces"
    posts = dict(sample.evidence_posts)
    posts[strange] = posts.pop("p01")
    posts[other] = posts.pop("p02")
    accounts = [dict(sample.top_accounts[0], evidence=[strange, other, strange])]
    page = Page(render_report(replace(sample, top_accounts=accounts, evidence_posts=posts)))
    anchors = [a["id"] or "" for t, a in page.tags if t == "article"]
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"post-[A-Za-z0-9_.:~-]+", a) for a in anchors)
    assert {h[1:] for h in page.hrefs() if h.startswith("#post-")} <= set(anchors)
    assert not [n for _, a in page.tags for n in a if n.startswith("on")]


# Map


def _map(page: Page) -> Any:
    (svg,) = page.root.find("svg", "map")
    return svg


def test_map_draws_countries_and_places(page: Page, sample: ReportData) -> None:
    svg = _map(page)
    countries = svg.find("path", "country")
    assert len(countries) > 20  # Europe, the Middle East and North Africa
    assert all(p.attrs.get("d", "").startswith("M") for p in countries)
    isos = [p.attrs.get("data-iso") for p in countries if p.attrs.get("data-iso")]
    assert len(isos) == len(set(isos))
    shade = {p.attrs.get("data-iso"): p.attrs.get("fill") for p in countries}
    for country in sample.countries:
        if country["kind"] == "about" and (country["country_code"] != "LY" or "LY" in shade):
            assert shade[country["country_code"]] in COLORS
    assert shade["IQ"] == shade["SY"] == COLORS[-1]  # the most accounts named places there
    assert shade["ES"] not in COLORS  # nobody
    assert shade["TR"] not in COLORS  # only accounts posting from there: not what posts are about
    assert all(p.find("title") for p in countries)
    circles = svg.find("circle", "place")
    with_coords = [p for p in sample.places if p["latitude"] is not None]
    assert sorted((c.attrs["data-place"], c.attrs["data-kind"]) for c in circles) == sorted(
        (p["place_id"], p["kind"]) for p in with_coords
    )
    # Places named are filled circles, places posted from are rings: never one mark for both.
    assert all(c.attrs["class"].split()[1] == c.attrs["data-kind"] for c in circles)
    assert all(c.find("title") for c in circles)


def test_map_frames_the_activity(page: Page) -> None:
    svg = _map(page)
    width, height = (float(v) for v in svg.attrs["viewbox"].split()[2:])
    spots = {
        c.attrs["data-place"]: c for c in svg.find("circle", "place") if "about" in c.attrs["class"]
    }

    def xy(pid: str) -> tuple[float, float]:
        return float(spots[pid].attrs["cx"]), float(spots[pid].attrs["cy"])

    for pid in spots:
        x, y = xy(pid)
        assert 0 <= x <= width
        assert 0 <= y <= height
    assert xy("pl-london")[0] < xy("pl-paris")[0] < xy("pl-berlin")[0] < xy("pl-mosul")[0]
    assert xy("pl-raqqa")[1] > xy("pl-paris")[1]  # south is down
    # Mosul and London span most of the width: the frame is the activity, not the world.
    assert xy("pl-mosul")[0] - xy("pl-london")[0] > width * 0.7
    radius = {pid: float(c.attrs["r"]) for pid, c in spots.items()}
    assert radius["pl-raqqa"] > radius["pl-paris"] > radius["pl-brussels"]  # by accounts


def test_map_is_small(document: str, page: Page) -> None:
    start = document.index('<svg class="map"')
    end = document.index("</svg>", start)
    assert end - start < 300_000


def test_map_titles_are_escaped() -> None:
    places = [
        {
            "place_id": "x",
            "name": SCRIPT,
            "country_code": "FR",
            "level": "city",
            "latitude": 48.0,
            "longitude": 2.0,
            "kind": "from",
            "accounts": 2,
            "posts": 3,
            "names_seen": [IMG_ONERROR],
        },
    ]
    country = {"country_code": "FR", "name": IMG_ONERROR, "kind": "about", "accounts": 2}
    markup = render_map(places, [country])
    assert SCRIPT not in markup
    assert IMG_ONERROR not in markup
    page = Page(markup)
    assert {t for t, _ in page.tags} <= ALLOWED_TAGS
    titles = [t.all_text() for t in page.root.find("title")]
    assert any(SCRIPT in t and IMG_ONERROR in t for t in titles)
    assert any(IMG_ONERROR in t for t in titles)


def test_map_without_places_shows_the_world() -> None:
    page = Page(render_map([], []))
    svg = _map(page)
    assert len(svg.find("path", "country")) > 150
    assert not svg.find("circle")


def test_map_skips_unusable_coordinates() -> None:
    places: list[dict[str, Any]] = [
        {"place_id": "a", "name": "A", "latitude": None, "longitude": 3.0, "accounts": 5},
        {"place_id": "b", "name": "B", "latitude": 95.0, "longitude": 3.0, "accounts": 5},
        {"place_id": "c", "name": "C", "latitude": float("nan"), "longitude": 3.0, "accounts": 5},
        {"place_id": "d", "name": "D", "latitude": 48.8, "longitude": 2.3, "accounts": 5},
    ]
    circles = _map(Page(render_map(places, []))).find("circle", "place")
    assert [c.attrs["data-place"] for c in circles] == ["d"]


# Timelines


def test_timeline_band_per_blackout(page: Page, sample: ReportData) -> None:
    bands = [r for svg in page.root.find("svg", "timeline") for r in svg.find("rect", "band")]
    assert sorted(int(b.attrs["data-blackout"]) for b in bands) == list(
        range(len(sample.blackouts))
    )
    kinds = {int(b.attrs["data-blackout"]): b.classes for b in bands}
    assert "blackout" in kinds[0]
    assert "sparse" in kinds[2]
    assert all(b.find("title") for b in bands)


def test_timeline_marks_move_on_both_series(page: Page) -> None:
    marked = {
        svg.attrs["data-series"]
        for svg in page.root.find("svg", "timeline")
        if svg.find("path", "move")
    }
    assert marked == {"twitter", "telegram"}


def test_timeline_band_spans_the_blackout_days(page: Page) -> None:
    (mosul,) = [
        s for s in page.root.find("svg", "timeline") if s.attrs["data-series"] == "pl-mosul"
    ]
    (band,) = mosul.find("rect", "band")
    width = float(band.attrs["width"])
    day = (920 - 44 - 8) / 92  # plot width over the sample's 92 days
    assert width == pytest.approx(21 * day, abs=0.2)
    assert band.find("title")[0].all_text().startswith("Activity in Mosul fell by 88 %")


def test_timeline_weekly_ticks(page: Page) -> None:
    svg = page.root.find("svg", "timeline")[0]
    ticks = [t.all_text() for t in svg.find("text", "tick")]
    assert ticks[:3] == ["3 Oct", "10 Oct", "17 Oct"]  # the Mondays of October 2016
    assert len(ticks) == 13


def test_series_selection_puts_findings_first(sample: ReportData) -> None:
    chosen = select_series(sample.series, sample.blackouts, sample.moves, limit=5)
    keys = [s["key"] for s in chosen]
    assert keys[:4] == ["pl-mosul", "twitter", "telegram", "pl-brussels"]
    assert len(keys) == 5
    assert keys[4] == "pl-raqqa"  # the busiest of the rest
    tight = select_series(sample.series, sample.blackouts, sample.moves, limit=1)
    assert len(tight) == 4  # findings are never dropped


def test_long_timelines_draw_one_outline() -> None:
    days = [(date(2015, 1, 1) + timedelta(days=i)).isoformat() for i in range(730)]
    series = [
        {
            "dimension": "platform",
            "key": "k",
            "label": "K",
            "days": days,
            "posts": [i % 7 for i in range(730)],
        }
    ]
    page = Page(render_timelines(series, [], [], []))
    (bars,) = page.root.find("path", "bars")
    assert bars.attrs["d"].count("M") == 1  # bars under 3 px wide become one stepped outline
    assert len(render_timelines(series, [], [], [])) < 20_000


def test_timelines_without_series() -> None:
    assert "No activity over time" in render_timelines([], [], [], [])


# Captions


def test_plain_language_captions(sample: ReportData) -> None:
    mosul, twitter, brussels = sample.blackouts
    last = date.fromisoformat(sample.series[0]["days"][-1])
    assert blackout_sentence(mosul, last) == (
        "Activity in Mosul fell by 88 % from 14 Nov 2016 and stayed low for 21 days; "
        "Raqqa and Telegram did not fall."
    )
    assert blackout_sentence(twitter, last) == (
        "Activity on Twitter fell by 70 % from 3 Dec 2016 and is still low (29 days so far); "
        "Telegram did not fall."
    )
    assert "too few posts" in blackout_sentence(brussels, last)
    alone = {**mosul, "comparison": []}
    assert blackout_sentence(alone, last).endswith(
        "; no comparable series covered those days, so a collection change is not ruled out."
    )
    assert move_sentence(sample.moves[0]) == (
        "From 3 Dec 2016, activity moved from Twitter to Telegram: Telegram rose 2 days after "
        "Twitter fell. 14 accounts posted on both, 37 posts linked from one to the other and "
        "52 were forwarded."
    )
    raqqa, istanbul = sample.hotspots
    assert hotspot_sentence(raqqa) == (
        "Raqqa: 14 accounts named it from 10 Dec 2016 to 16 Dec 2016, up to 14 in 7 days where "
        f"about 3.5 were usual (×4.0); {raqqa['posts']:,} posts, from 2 communities."
    )
    assert hotspot_sentence(istanbul).startswith("Istanbul: 6 accounts posted from there ")
    old = {**raqqa, "kind": "mixed", "accounts": None, "expected_accounts": None}
    assert "run veille activity again" in hotspot_sentence(old)


def test_busy_places_named_and_posted_from_are_two_tables(page: Page) -> None:
    (busy,) = [s for s in page.root.find("section") if s.attrs.get("id") == "hotspots"]
    summaries = [d.find("summary")[0].all_text() for d in busy.find("details")]
    assert summaries == [
        "Places many accounts wrote about (1 place)",
        "Places many accounts posted from (profile location, photo GPS) (1 place)",
    ]
    about, posted_from = (d.find("table")[0].all_text() for d in busy.find("details"))
    assert "Raqqa" in about
    assert "Istanbul" not in about
    assert "Istanbul" in posted_from
    assert "Raqqa" not in posted_from


# Structure


def test_document_structure(document: str, page: Page, sample: ReportData) -> None:
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">')
    sections = [e.attrs["id"] for e in page.root.find("section")]
    assert sections == [
        "summary",
        "sources",
        "accounts",
        "map",
        "timelines",
        "blackouts",
        "moves",
        "hotspots",
        "entities",
        "evidence",
    ]
    (h1,) = page.root.find("h1")
    assert h1.all_text() == sample.case_name
    assert len(page.root.find("div", "card")) == len(sample.summary)
    assert all(td.attrs.get("dir") == "auto" for td in page.root.find("td"))
    assert page.root.find("details")
    assert len(page.root.find("svg", "timeline")) == len(sample.series)
    blackout_rows = [
        tr
        for s in page.root.find("section")
        if s.attrs["id"] == "blackouts"
        for tr in s.find("tr")[1:]
    ]
    assert len(blackout_rows) == len(sample.blackouts)
    assert "@media print" in document


def test_long_tables_start_folded(sample: ReportData) -> None:
    quarantine = [
        {"path": "f.json", "locator": f"messages[{i}]", "reason": "no id"} for i in range(50)
    ]
    page = Page(render_report(replace(sample, quarantine=quarantine)))
    folded = [d for d in page.root.find("details") if "open" not in d.attrs]
    assert len(folded) == 1
    assert "50 rows" in folded[0].find("summary")[0].all_text()


def test_empty_case_renders(sample: ReportData) -> None:
    empty = ReportData(
        case_name="",
        generated_at="",
        time_zone="UTC",
        summary={},
        sources=[],
        quarantine=[],
        top_accounts=[],
        places=[],
        countries=[],
        series=[],
        blackouts=[],
        moves=[],
        hotspots=[],
        entities=[],
        evidence_posts={},
    )
    document = render_report(empty)
    page = Page(document)
    assert "No blackout was found." in document
    assert {t for t, _ in page.tags} <= ALLOWED_TAGS
    assert page.root.find("svg", "map")


def test_rendering_is_deterministic(sample: ReportData, document: str) -> None:
    assert render_report(sample_report_data()) == document


# Building blocks


def test_el_escapes_values_and_refuses_bad_names() -> None:
    assert el("span", {"title": '"><b>'}, "<i>") == (
        '<span title="&quot;&gt;&lt;b&gt;">&lt;i&gt;</span>'
    )
    assert el("p", {}, Markup("<b>ok</b>")) == "<p><b>ok</b></p>"
    assert el("details", {"open": True, "id": None}) == "<details open></details>"
    for tag in ("script", "iframe", "x y", "a>"):
        with pytest.raises(ValueError, match="tag"):
            el(tag)
    for name in ("onclick", "onError", "x y", 'a"', ""):
        with pytest.raises(ValueError, match="attribute"):
            el("a", {name: "1"})


def test_esc_drops_what_html_cannot_carry() -> None:
    assert esc("a\x00b\x01c\ud800d\n") == "abcd\n"
    assert esc(Markup("<b>")) == "<b>"


def test_formats() -> None:
    assert fmt_date("2016-11-14") == "14 Nov 2016"
    assert fmt_date("2016-11-14", year=False) == "14 Nov"
    assert fmt_date("not a date") == "not a date"
    assert svg_num(-0.04) == "0"
    assert svg_num(12.0) == "12"
    assert svg_num(3.25) == "3.2"


# TopoJSON


def test_decode_follows_the_specification() -> None:
    # Two arcs sharing a border; the second ring walks arc 0 backwards (~0 == -1).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 2.0], "translate": [10.0, 20.0]},
        "arcs": [
            [[0, 0], [0, 1]],
            [[0, 1], [2, 0], [0, -1], [-2, 0]],
            [[0, 0], [-2, 0], [0, 1], [2, 0]],
        ],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "A"}},
                    {"type": "MultiPolygon", "arcs": [[[2, -1]]], "id": "2"},
                    {"type": "Point", "coordinates": [0, 0]},
                ],
            }
        },
    }
    a, b = decode(topology, "shapes")
    assert a.id == "1"
    assert a.name == "A"
    assert a.polygons == (
        (
            (
                (10.0, 20.0),
                (10.0, 22.0),
                (11.0, 22.0),
                (11.0, 20.0),
                (10.0, 20.0),
            ),
        ),
    )
    assert b.polygons == (
        (
            (
                (10.0, 20.0),
                (9.0, 20.0),
                (9.0, 22.0),
                (10.0, 22.0),
                (10.0, 20.0),
            ),
        ),
    )
    assert b.bbox == (9.0, 20.0, 10.0, 22.0)


def test_world_countries_hold_iraq_around_mosul() -> None:
    (iraq,) = [c for c in world_countries() if c.id == "368"]
    west, south, east, north = iraq.bbox
    assert west < 43.13 < east
    assert south < 36.34 < north
    assert world_countries() is world_countries()  # decoded once


def test_importing_reads_nothing() -> None:
    code = (
        "import sys, veille.report.html_report as r\n"
        "from veille.report.topojson import world_countries\n"
        "assert world_countries.cache_info().currsize == 0\n"
        "assert 'pycountry' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
