"""Page bodies that depend only on frozen or versioned data, rendered once and kept in the cache."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

BODY_TIMEOUT = 60 * 60 * 24 * 7


def cached_body(key: str, template: str, context: Callable[[], dict[str, Any]]) -> SafeString:
    """The HTML of a page body that depends only on ``key`` (frozen or versioned data), rendered once
    for each interface language (its words and its number and date formats)."""
    key = language_key(key)
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, context())
        cache.set(key, body, BODY_TIMEOUT)
    return mark_safe(body)  # rendered by our own template, escaped there


def cached_bodies_delete(keys: Iterable[str]) -> None:
    """Remove page bodies from the cache (a person's own pages, when their account is deleted)."""
    cache.delete_many([language_key(key, language) for key in keys for language in dict(settings.LANGUAGES)])


def language_key(key: str, language: str | None = None) -> str:
    """``key`` for one interface language (the active one by default): cached text differs by language."""
    return f"{key}:{language or translation.get_language() or settings.LANGUAGE_CODE}"
