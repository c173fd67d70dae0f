"""Readiness: can this app server do its work? Each check answers whether one service is up."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def database_is_up() -> bool:
    """The database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means not ready; the log says which
        logger.warning("readiness: the database is down", exc_info=True)
        return False


def cache_is_up() -> bool:
    """The cache stores a key and gives it back."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key) == value
        cache.delete(key)
    except Exception:  # any failure means not ready; the log says which
        logger.warning("readiness: the cache is down", exc_info=True)
        return False
    if not answered:
        logger.warning("readiness: the cache did not give back a key it stored")
    return answered


CHECKS = {"database": database_is_up, "cache": cache_is_up}


def services_down() -> list[str]:
    """The names of the services that are down, in a fixed order (empty when all are up)."""
    return [name for name, is_up in CHECKS.items() if not is_up()]
