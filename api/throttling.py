"""Request limits for the API, kept in the shared cache."""

from __future__ import annotations

from typing import Any


def default_throttles() -> list[Any]:
    return []
