"""A throwaway API for the token and throttling tests: the project's authenticators and throttles
on one read and one write operation, so those tests need none of the real operations.

Used as the URLconf of those tests: ``@pytest.mark.urls("tests.api.token_api")``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from api import auth, throttling

api = NinjaAPI(
    title="token test API",
    urls_namespace="token-test-api",
    docs_url=None,
    auth=auth.authenticators(),
    throttle=throttling.default_throttles(),
)


@api.get("/whoami")
def whoami(request: HttpRequest) -> dict[str, object]:
    token = auth.request_token(request)
    return {"user": request.user.pk, "token": token.pk if token else None}


@api.post("/notes")
def note_create(request: HttpRequest) -> dict[str, object]:
    auth.require_write(request)
    return {"written": True, "user": request.user.pk}


@api.get("/public", auth=None)
def public(request: HttpRequest) -> dict[str, object]:
    return {"ok": True}


urlpatterns = [path("t/", api.urls)]

WHOAMI = "/t/whoami"
NOTES = "/t/notes"
PUBLIC = "/t/public"
