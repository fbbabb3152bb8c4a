"""Every response carries the CSP; only the served address answers; the token is required
when the workbench is reachable from other machines."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from veille.case import Case
from veille.web.app import create_app
from veille.web.security import CONTENT_SECURITY_POLICY

TOKEN = "a-long-enough-secret-token"


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web") / "case"
    Case.init(root).close()
    return root


def test_every_response_has_the_security_headers(case: Path) -> None:
    with TestClient(create_app(case, hosts=["testserver"])) as client:
        for url in ("/", "/search", "/nope", "/static/style.css", "/post/x"):
            response = client.get(url)
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "same-origin"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_another_host_name_is_refused(case: Path) -> None:
    """DNS rebinding: a hostile name resolving to 127.0.0.1 must not read the case."""
    with TestClient(create_app(case, hosts=["127.0.0.1:8765"])) as client:
        assert client.get("/", headers={"host": "evil.example:8765"}).status_code == 421
        assert client.get("/", headers={"host": "127.0.0.1:8765"}).status_code == 200


def test_the_token_is_required_then_kept_in_a_cookie(case: Path) -> None:
    with TestClient(create_app(case, hosts=["testserver"], token=TOKEN)) as client:
        assert client.get("/").status_code == 401
        assert client.get("/?token=wrong-token-of-some-length").status_code == 401
        first = client.get(f"/search?q=x&token={TOKEN}", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"] == "/search?q=x"  # the token leaves the address bar
        cookie = first.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        assert client.get("/search?q=x").status_code == 200  # the cookie now carries it
    with TestClient(create_app(case, hosts=["testserver"], token=TOKEN)) as fresh:
        fresh.cookies.set("veille_token", "wrong")
        assert fresh.get("/").status_code == 401
