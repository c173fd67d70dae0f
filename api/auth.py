"""Who is calling the API: the browser session (with CSRF on writes) or a personal access token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth


def authenticators() -> list[Any]:
    """Every way in, tried in order; an operation answers 401 when none accepts the request."""
    return [SessionAuth()]


def require_write(request: HttpRequest) -> None:
    """Refuse a write made with a read-only credential (the session may always write)."""
    return None
