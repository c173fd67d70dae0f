"""Page bodies that depend only on frozen or versioned data, rendered once and kept in the cache."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BODY_TIMEOUT = 60 * 60 * 24 * 7
K = TypeVar("K")
V = TypeVar("V")


def cached_body(key: str, template: str, context: Callable[[], dict[str, Any]]) -> SafeString:
    """The HTML of a page body that depends only on ``key`` (frozen or versioned data), rendered once
    for each interface language (its words and its number and date formats).

    It is kept in the cache every process shares, and each process keeps its own copy of the bodies
    it served lately (the ``pages`` cache), so a repeat visit costs no cache query or round trip: a
    key names frozen or versioned data, so a copy never goes stale.
    """
    key = language_key(key)
    local = caches["pages"]
    body = local.get(key)
    if body is None:
        body = cache.get(key)
        if body is None:
            body = render_to_string(template, context())
            cache.set(key, body, BODY_TIMEOUT)
        local.set(key, body)
    return mark_safe(body)  # rendered by our own template, escaped there


def cached_bodies_delete(keys: Iterable[str]) -> None:
    """Remove page bodies from the cache (a person's own pages, when their account is deleted), and
    this process's copies. Another process's copy can no longer be shown (the page checks first that
    the result exists and is the visitor's) and ages out of that process's ``pages`` cache."""
    keys = [language_key(key, language) for key in keys for language in dict(settings.LANGUAGES)]
    cache.delete_many(keys)
    caches["pages"].delete_many(keys)


# Kept HTML that holds a form (an open roadmap card, the header's log-out form) is rendered with this
# stand-in as its CSRF token, and the request's own token is put in on the way out. What is replaced
# is the whole ``name=... value=...`` pair, which escaped text (a note, a link) can never contain:
# its quotes are escaped.
TOKEN_PLACEHOLDER = "careerpath-csrf-placeholder"
_TOKEN_FIELD = 'name="csrfmiddlewaretoken" value="{}"'


def put_token(html: str, token: str) -> str:
    """``html``, kept with :data:`TOKEN_PLACEHOLDER` as its forms' token, with ``token`` instead."""
    return html.replace(_TOKEN_FIELD.format(TOKEN_PLACEHOLDER), _TOKEN_FIELD.format(escape(token)))


def token_outside_forms(html: str) -> bool:
    """Whether ``html`` shows :data:`TOKEN_PLACEHOLDER` other than as a form's token, where
    :func:`put_token` would leave it in place."""
    return TOKEN_PLACEHOLDER in html.replace(_TOKEN_FIELD.format(TOKEN_PLACEHOLDER), "")


def language_key(key: str, language: str | None = None) -> str:
    """``key`` for one interface language (the active one by default): cached text differs by language."""
    return f"{key}:{language or translation.get_language() or settings.LANGUAGE_CODE}"


# --- within one request: the catalogue's version read once, catalogue data kept per process -------
# A page reads the catalogue's version to key what it caches, often several times (the open
# catalogue, role names, milestones, salary figures). Inside a request the version is read once;
# outside one (commands, services called directly) every call asks the database. The data built
# from one version is kept per process in LOCAL, which holds one version at a time: a new version
# empties it, so nothing stale is ever served and it cannot grow past one catalogue's worth.

_request_version: ContextVar[str | None] = ContextVar("catalogue_request_version", default=None)
_in_request: ContextVar[bool] = ContextVar("catalogue_in_request", default=False)
LOCAL: dict[str, Any] = {}
_local_version: list[str] = [""]


def request_started(**_kwargs: Any) -> None:
    _in_request.set(True)
    _request_version.set(None)


def request_finished(**_kwargs: Any) -> None:
    _in_request.set(False)
    _request_version.set(None)


def request_version(read: Callable[[], str]) -> str:
    """The catalogue's version, read with ``read`` once per request (every time outside one)."""
    version = _request_version.get()
    if version is None:
        version = read()
        if _in_request.get():
            _request_version.set(version)
    return version


def version_changed(version: str) -> None:
    """The catalogue was just changed in this request: later reads in it see ``version``."""
    if _in_request.get():
        _request_version.set(version)


def local(version: str, name: str, build: Callable[[], Any]) -> Any:
    """``build()`` for catalogue ``version``, kept in this process until the version changes."""
    if _local_version[0] != version:
        LOCAL.clear()
        _local_version[0] = version
    key = language_key(name)
    try:
        return LOCAL[key]
    except KeyError:
        value = LOCAL[key] = build()
        return value


def kept(store: dict[K, V], key: K, build: Callable[[], V], limit: int) -> V:
    """``build()`` kept in this process's ``store`` under ``key``, for values that never change once
    written (what a frozen result says); past ``limit`` entries the oldest is dropped."""
    try:
        return store[key]
    except KeyError:
        pass
    value = build()
    keep(store, key, value, limit)
    return value


def keep(store: dict[K, V], key: K, value: V, limit: int) -> None:
    """``value`` put in this process's ``store`` under ``key``; past ``limit`` entries the oldest is dropped."""
    if len(store) >= limit:
        # Another thread may change the store meanwhile: then nothing is dropped this time.
        with contextlib.suppress(RuntimeError, StopIteration):
            store.pop(next(iter(store)), None)
    store[key] = value
