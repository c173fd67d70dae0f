"""Request limits for the API, counted in the shared cache (Redis in production, else the database).

Built on django-ninja's ``SimpleRateThrottle`` (a sliding log of request times per key in the
cache, rates written "count/period"). Reads (GET, HEAD, OPTIONS) and writes are counted apart:

- per token: ``token_read``, ``token_write`` (one token cannot use up its person's budget alone
  when the person's rates are set higher);
- per person, whichever way they call (session or any of their tokens): ``person_read``,
  ``person_write``;
- per client address, for anonymous calls to the public operations: ``anonymous_read``,
  ``anonymous_write`` (the address is REMOTE_ADDR, or the one the reverse proxy appends to
  X-Forwarded-For: ``NINJA_NUM_PROXIES``).

Beyond a limit the operation answers 429 ``{"detail": "Too many requests."}`` with a
``Retry-After`` header (whole seconds, rounded up by ninja from ``wait()``). The rates are read
from ``settings.CAREERPATH_API_RATES`` at each request (keys left out keep ``DEFAULT_RATES``),
so tests and load runs change them with ``override_settings``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from .auth import SAFE_METHODS, request_token

Kind = Literal["read", "write"]
KINDS: tuple[Kind, ...] = ("read", "write")

DEFAULT_RATES: dict[str, str] = {
    "token_read": "120/min",
    "token_write": "30/min",
    "person_read": "120/min",
    "person_write": "30/min",
    "anonymous_read": "60/min",
    "anonymous_write": "20/min",
}


def rates() -> dict[str, str]:
    """The rates in force: the defaults, with those the settings give."""
    return {**DEFAULT_RATES, **getattr(settings, "CAREERPATH_API_RATES", {})}


def request_kind(request: HttpRequest) -> Kind:
    return "read" if (request.method or "GET").upper() in SAFE_METHODS else "write"


class ApiRateThrottle(SimpleRateThrottle):
    """One limit of ``DEFAULT_RATES``: one kind of request (read or write), counted per ``who``.

    ninja keeps one throttle object for every request of every operation, and
    ``SimpleRateThrottle`` keeps a request's state on the object between ``allow_request`` and
    ``wait``; here that state is per thread, so threaded servers cannot mix two requests' waits.
    """

    who: str = ""
    cache_format = "api_throttle_%(scope)s_%(ident)s"

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.scope = f"{self.who}_{kind}"
        self._local = threading.local()
        super().__init__()  # parses the current rate: a malformed one fails at start-up

    def get_rate(self) -> str:
        return rates()[str(self.scope)]

    def ident(self, request: HttpRequest) -> str | None:
        """Whose budget the request counts against; ``None`` when this limit does not apply."""
        raise NotImplementedError

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if request_kind(request) != self.kind:
            return None
        ident = self.ident(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        key = self.get_cache_key(request)
        if key is None:
            return True
        num_requests, duration = self.parse_rate(self.get_rate())
        if num_requests is None or duration is None:
            return True
        now = time.time()
        # Newest first; drop the times that left the window.
        history = [moment for moment in self.cache.get(key, []) if moment > now - duration]
        if len(history) >= num_requests:
            # A slot frees when the num_requests-th newest request leaves the window.
            oldest_counted = history[num_requests - 1] if num_requests > 0 else now
            self._local.wait = max(1.0, oldest_counted + duration - now)
            return False
        history.insert(0, now)
        self.cache.set(key, history, duration)
        return True

    def wait(self) -> float | None:
        """Seconds until this limit lets the refused request through (ninja sends Retry-After)."""
        return getattr(self._local, "wait", None)


class TokenRateThrottle(ApiRateThrottle):
    """Per access token: only calls authenticated with a token."""

    who = "token"

    def ident(self, request: HttpRequest) -> str | None:
        token = request_token(request)
        return None if token is None else str(token.pk)


class PersonRateThrottle(ApiRateThrottle):
    """Per person: the session and all the person's tokens together."""

    who = "person"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return str(user.pk)


class AnonymousRateThrottle(ApiRateThrottle):
    """Per client address: anonymous calls (the public operations)."""

    who = "anonymous"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        address = self.get_ident(request) or "unknown"
        # A bounded, clean cache key whatever the header held.
        return hashlib.sha256(address.encode()).hexdigest()[:32]


def default_throttles() -> list[BaseThrottle]:
    """Every limit, for reads and for writes: per token, per person, per anonymous address."""
    throttles: list[BaseThrottle] = []
    for throttle_class in (TokenRateThrottle, PersonRateThrottle, AnonymousRateThrottle):
        for kind in KINDS:
            throttles.append(throttle_class(kind))
    return throttles
