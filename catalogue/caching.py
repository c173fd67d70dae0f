"""Page bodies that depend only on frozen or versioned data, rendered once and kept in the cache."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

BODY_TIMEOUT = 60 * 60 * 24 * 7


def cached_body(key: str, template: str, context: Callable[[], dict[str, Any]]) -> SafeString:
    """The HTML of a page body that depends only on ``key`` (frozen or versioned data), rendered once."""
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, context())
        cache.set(key, body, BODY_TIMEOUT)
    return mark_safe(body)  # rendered by our own template, escaped there


def cached_bodies_delete(keys: Iterable[str]) -> None:
    """Remove page bodies from the cache (a person's own pages, when their account is deleted)."""
    cache.delete_many(list(keys))
