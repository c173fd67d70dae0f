"""Who is calling the API: a personal access token, or the browser session (with CSRF on writes).

Every operation's ``request.auth`` and ``request.user`` are the calling person, whichever way they
came in. A call made with a token also carries that token (``request_token``), so that
``require_write`` can refuse a read-only token's writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from . import selectors, services

if TYPE_CHECKING:
    from accounts.models import User

    from .models import AccessToken

READ_ONLY_MESSAGE = "This token can only read; create a read-write token to change data."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TOKEN_ATTRIBUTE = "api_token"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cp_…``: a person's access token, looked up by its hash.

    A revoked token, an unknown one, or one whose person is inactive authenticates nobody (401).
    A bearer token is never sent by a browser on its own, so token calls need no CSRF token.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        # HttpBearer.__call__ logs the whole header under DEBUG when its scheme is not "Bearer":
        # a token sent as "Token cp_…" would end up in the log. Parse it here, logging nothing.
        scheme, _, token = request.headers.get(self.header, "").strip().partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = selectors.token_authenticate(secret=token)
        if found is None:
            return None
        services.token_used(token=found)
        request.user = found.user
        setattr(request, _TOKEN_ATTRIBUTE, found)
        # A read-only token never writes, even through an operation that forgot require_write.
        if not found.can_write and (request.method or "GET").upper() not in SAFE_METHODS:
            raise HttpError(403, READ_ONLY_MESSAGE)
        return found.user


def authenticators() -> list[Any]:
    """Every way in, tried in order; an operation answers 401 when none accepts the request.

    The token comes first: a call that presents one is judged by it, even from a browser that also
    holds a session cookie (the session's CSRF check would otherwise refuse it before the token
    is looked at). Without an ``Authorization`` header the session is tried, CSRF checked on writes.
    """
    return [TokenAuth(), SessionAuth()]


def request_token(request: HttpRequest) -> AccessToken | None:
    """The access token the call was authenticated with; ``None`` for a session call."""
    return getattr(request, _TOKEN_ATTRIBUTE, None)


def require_write(request: HttpRequest) -> None:
    """Refuse a write made with a read-only credential (the session may always write)."""
    token = request_token(request)
    if token is not None and not token.can_write:
        raise HttpError(403, READ_ONLY_MESSAGE)
