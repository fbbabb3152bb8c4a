"""Cross-site request forgery: a form the app did not serve cannot write to the case.

Double submit: the app gives the browser a random value in a SameSite=Strict cookie and puts
the same value in every form it renders; a POST must carry both, equal, and (when the browser
says where it comes from) an Origin of the app itself. A page on another site can neither read
the cookie nor make the browser send it.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

__all__ = ["COOKIE", "check_form", "form_token"]

COOKIE = "veille_csrf"
FIELD = "csrf"


def form_token(request: Request) -> tuple[str, bool]:
    """The value forms must carry, and whether it is new (then the response sets the cookie)."""
    current = request.cookies.get(COOKIE, "")
    if len(current) >= 32:
        return current, False
    return secrets.token_urlsafe(32), True


def check_form(request: Request, form: FormData) -> None:
    """Refuse (403) a POST whose token or origin is not the app's."""
    cookie = request.cookies.get(COOKIE, "")
    given = form.get(FIELD)
    if not isinstance(given, str) or len(cookie) < 32:
        raise HTTPException(403, "This form did not come from this workbench (no token).")
    if not hmac.compare_digest(cookie.encode(), given.encode()):
        raise HTTPException(403, "This form did not come from this workbench (wrong token).")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "This form was sent from another site.")
    if origin == "null":
        raise HTTPException(403, "This form was sent from an opaque origin.")
