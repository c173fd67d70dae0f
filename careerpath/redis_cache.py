"""Django's Redis cache, keeping one Redis client per connection pool.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every call (each one builds its table
of some 170 response callbacks), which is half the cost of reading a session from a local Redis.
A client only borrows a connection from its pool for each command, so one client per pool serves
every call (Django's caches are per thread already).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # (_get_connection_pool and _client are Django's, missing from its type stubs.)
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
