"""Whatever text a case holds, the HTML report shows it as text: never a tag, never an attribute.

The same arbitrary string goes into every kind of case field (names, labels, sentences, post
texts and URLs, paths, post ids); the page is parsed back with ``html.parser``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.property.reader_settings import SETTINGS
from tests.unit.report.test_html_report import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, Page
from veille.report.attributes import clean_text
from veille.report.html_report import render_report
from veille.report.report_data import ReportData, sample_report_data

BASE = sample_report_data()

# Short texts, biased towards what breaks markup: quotes, brackets, ampersands, entities,
# direction controls, Arabic, and characters HTML cannot carry.
TOKENS = [*"<>&\"'=/ \n\t\r\x00\x0c\u202e\u2066ا", "&amp;", "&#x3c;", "<!--", "]]>", "</td>", "on"]
TEXT = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(TOKENS)), max_size=30).map(
    "".join
)


def _with_text(text: str) -> ReportData:
    """The sample case with ``text`` in every kind of case field."""
    post: dict[str, Any] = {
        "platform": text,
        "author": text,
        "posted_at": text,
        "text": text,
        "url": text,
        "source_path": text,
        "locator": text,
    }
    return replace(
        BASE,
        case_name=text,
        time_zone=text,
        summary={**BASE.summary, text: 1},
        sources=[
            {
                "path": text,
                "reader": text,
                "status": text,
                "n_read": 1,
                "n_new": 1,
                "n_quarantined": 0,
            }
        ],
        quarantine=[{"path": text, "locator": text, "reason": text}],
        top_accounts=[
            {
                "rank": 1,
                "label": text,
                "platform": text,
                "combined": 0.5,
                "community": text,
                "sentence": text,
                "evidence": [text, "p01"],
            }
        ],
        places=[
            *BASE.places,
            {
                "place_id": text,
                "name": text,
                "country_code": text,
                "level": text,
                "latitude": 40.0,
                "longitude": 20.0,
                "posts": 9,
                "names_seen": [text],
            },
        ],
        countries=[*BASE.countries, {"country_code": text, "name": text, "posts": 3}],
        series=[{**BASE.series[0], "label": text, "key": text}, *BASE.series[1:]],
        blackouts=[
            {
                **BASE.blackouts[0],
                "label": text,
                "key": text,
                "comparison": [text],
                "evidence": [text],
            }
        ],
        moves=[{**BASE.moves[0], "source_label": text, "evidence": [text]}],
        hotspots=[{**BASE.hotspots[0], "place": text, "evidence": [text]}],
        entities=[{"name": text, "type": text, "mentions": 1, "names_seen": [text]}],
        evidence_posts={**BASE.evidence_posts, text: post},
    )


@SETTINGS
@given(text=TEXT)
def test_case_text_is_only_ever_data(text: str) -> None:
    page = Page(render_report(_with_text(text)))
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
    assert {name for _, attrs in page.tags for name in attrs} <= ALLOWED_ATTRIBUTES
    shown = clean_text(text)
    if shown.strip():
        assert any(shown in chunk for chunk in page.data)
    ids = page.ids()
    assert not [h for h in page.hrefs() if not h.startswith("#") or h[1:] not in ids]
