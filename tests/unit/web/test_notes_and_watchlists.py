"""The workbench's only writes: notes and watchlists, with who and when, behind CSRF checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from veille.case import Case
from veille.web.app import create_app

LINE = '{{"id": "{0}", "user": "{1}", "created_at": "2016-11-0{2}T10:00:00Z", "text": "{3}"}}\n'


def _jsonl(path: Path, *rows: tuple[str, str, int, str]) -> Path:
    path.write_text("".join(LINE.format(*row) for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path: Path) -> Path:
    first = _jsonl(
        tmp_path / "a.jsonl",
        ("1", "abu_a", 1, "Daech attaque Mossoul @abu_b"),
        ("2", "abu_b", 2, "calm day"),
    )
    with Case.init(tmp_path / "case") as opened:
        opened.ingest([first])
        opened.index()
    return tmp_path / "case"


@pytest.fixture
def client(case: Path) -> Iterator[TestClient]:
    with TestClient(create_app(case, hosts=["testserver"], author="analyst-1")) as test_client:
        yield test_client


def _post_id(client: TestClient, words: str) -> str:
    found = re.search(r'href="/post/([0-9a-f]+)"', client.get("/search", params={"q": words}).text)
    assert found is not None
    return found.group(1)


def _csrf(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert found is not None
    return found.group(1)


def _note(client: TestClient, post: str, **fields: str) -> dict[str, str]:
    token = _csrf(client, "/watchlists")
    return {"csrf": token, "target_kind": "post", "target_id": post, "text": "x", **fields}


def test_a_note_is_written_with_who_and_when_and_read_back_after_a_restart(
    client: TestClient, case: Path
) -> None:
    post = _post_id(client, "Mossoul")
    tags = "media cell, to check, media cell"
    form = _note(client, post, text="<b>check</b> the media cell", tags=tags)
    answer = client.post("/notes", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/post/{post}#notes"
    page = client.get(f"/post/{post}").text
    assert "&lt;b&gt;check&lt;/b&gt; the media cell" in page
    assert "analyst-1" in page
    client.close()
    with TestClient(create_app(case, hosts=["testserver"])) as again:
        listed = again.get("/notes", params={"tag": "to check"}).text
        assert "the media cell" in listed
        assert listed.count('class="tag"') == 2  # each tag once
        assert "the media cell" not in again.get("/notes", params={"tag": "nope"}).text


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"csrf": None}, 403),  # no token in the form
        ({"csrf": "x" * 43}, 403),  # not the cookie's
        ({"text": "", "tags": ""}, 400),  # nothing to keep
        ({"target_id": "nosuchpost"}, 400),
        ({"target_kind": "place"}, 400),
    ],
)
def test_a_bad_or_forged_note_writes_nothing(
    client: TestClient, change: dict[str, str | None], status: int
) -> None:
    post = _post_id(client, "Mossoul")
    form = _note(client, post, tags="")
    form.update({k: v for k, v in change.items() if v is not None})
    for key in [k for k, v in change.items() if v is None]:
        del form[key]
    assert client.post("/notes", data=form, follow_redirects=False).status_code == status
    assert "No notes" in client.get("/notes").text


def test_a_form_posted_from_another_site_is_refused(client: TestClient) -> None:
    post = _post_id(client, "Mossoul")
    form = _note(client, post)
    answer = client.post("/notes", data=form, headers={"origin": "http://evil.example"})
    assert answer.status_code == 403


def test_watchlist_hits_and_what_is_new_since_the_last_look(
    client: TestClient, tmp_path: Path
) -> None:
    token = _csrf(client, "/watchlists")
    for kind, value in (("keyword", "Mossoul"), ("account", "abu_b")):
        form = {"csrf": token, "watchlist": "cell  A", "kind": kind, "value": value}
        assert client.post("/watchlists", data=form, follow_redirects=False).status_code == 303
    listed = client.get("/watchlist/cell A").text
    assert "2 posts, 2 new" in listed  # abu_b wrote one and was mentioned in one
    assert "1 posts, 1 new" in listed
    assert client.post("/watchlist/cell A/seen", data={"csrf": token}).status_code == 200
    assert "0 new" in client.get("/watchlist/cell A").text
    case: Case = client.app.state.case  # type: ignore[attr-defined]
    case.ingest([_jsonl(tmp_path / "b.jsonl", ("3", "abu_c", 3, "Mossoul encore @abu_b"))])
    listed = client.get("/watchlist/cell A").text
    assert "2 posts, 1 new" in listed  # the keyword: found through the refreshed index
    assert "3 posts, 1 new" in listed
    summary = client.get("/watchlists").text
    assert re.search(r"<b>2</b>", summary)  # new hits in all


def test_an_entry_taken_off_stays_recorded(client: TestClient) -> None:
    token = _csrf(client, "/watchlists")
    form = {"csrf": token, "watchlist": "w", "kind": "keyword", "value": "calm"}
    client.post("/watchlists", data=form)
    entry = re.search(r'name="entry" value="([0-9a-f]+)"', client.get("/watchlist/w").text)
    assert entry is not None
    client.post("/watchlist/w/remove", data={"csrf": token, "entry": entry.group(1)})
    assert client.get("/watchlist/w").status_code == 404  # no entries left
    case: Case = client.app.state.case  # type: ignore[attr-defined]
    kept = case.con.execute("SELECT value, removed_at IS NOT NULL FROM watchlist_entries")
    assert kept.fetchall() == [("calm", True)]
    refused = {"csrf": token, "watchlist": "", "kind": "keyword", "value": "x"}
    assert client.post("/watchlists", data=refused).status_code == 400


def test_notes_leave_with_the_case(client: TestClient, tmp_path: Path) -> None:
    post = _post_id(client, "Mossoul")
    form = _note(client, post, tags="x")
    client.post("/notes", data=form)
    client.post("/watchlists", data={**form, "watchlist": "w", "kind": "keyword", "value": "a"})
    client.post("/watchlist/w/seen", data=form)
    case: Case = client.app.state.case  # type: ignore[attr-defined]
    for table in ("notes", "watchlist_entries", "watchlist_looks"):
        assert case.export(table, tmp_path / f"{table}.parquet", "parquet") == 1
