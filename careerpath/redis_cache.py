"""Django's Redis cache, keeping one Redis client per connection pool; and the sessions' cache,
which also keeps what it reads in the process, true to Redis (``TrackedRedisCache``, below).

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every call (each one builds its table
of some 170 response callbacks), which is half the cost of reading a session from a local Redis.
A client only borrows a connection from its pool for each command, so one client per pool serves
every call (Django's caches are per thread already).
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.cache.backends import redis

from catalogue import caching


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


# --- reads kept in the process, true to Redis ------------------------------------------------------

INVALIDATE_CHANNEL = "__redis__:invalidate"
WATCH_RETRY_SECONDS = 1.0  # after Redis refused or dropped the watch, reads go to Redis this long


class TrackedRedisCacheClient(RedisCacheClient):
    """A Redis cache client that keeps what it reads, and drops a key the moment Redis says it changed.

    Redis's client-side caching (``CLIENT TRACKING``, Redis 6 or later) in broadcasting mode: one
    connection of this client's own (the *watch*) asks Redis to tell it of every change to a key
    under the cache's prefix (written, deleted, expired, evicted, or the database flushed), from
    any client anywhere, and subscribes to those messages. Before each read the messages waiting
    on the watch are taken (a poll of its socket, no round trip) and the keys they name dropped;
    a key still kept is served from memory, anything else is read from Redis and kept.

    What keeps it true:

    - a value is kept only when the watch was subscribed before it was read, so any later change
      of it has a message waiting by the next read;
    - the watch lost (Redis restarted, the connection dropped or killed, a fork), everything
      kept is forgotten and reads go to Redis until a new watch is subscribed;
    - this client's own writes drop their keys at once, without waiting for the message;
    - each kept value lasts at most ``kept_seconds``, and a read returns a fresh copy of it
      (unpickled again), so a caller that changes what it got changes nothing kept;
    - a Redis that refuses tracking, or more than one server (replicas), leaves every read to Redis.

    Django gives each thread its own cache object, so each thread keeps its own values and holds
    one watch connection; the values are bounded by ``kept_entries`` (the oldest go first).
    """

    def __init__(
        self,
        servers: Any,
        *,
        tracked_prefix: str | None = None,
        kept_entries: int = 10_000,
        kept_seconds: float = 30.0,
        **options: Any,
    ) -> None:
        super().__init__(servers, **options)
        self._tracked_prefix = tracked_prefix  # None: every key of the database is watched
        self._kept_entries = kept_entries
        self._kept_seconds = kept_seconds
        self._kept: dict[str, tuple[float, bytes]] = {}  # key -> (monotonic deadline, raw value)
        self._watch: Any = None
        self._watch_pid = 0
        self._watch_retry_at = 0.0
        self._trackable = len(servers) == 1

    # The watch ---------------------------------------------------------------------------

    def watching(self) -> bool:
        """Whether Redis tells this client of every change, with the changes so far applied."""
        if self._watch is not None:
            if self._watch_pid == os.getpid():
                return self._drain()
            self._lose_watch(close=False)  # a forked child: the parent's socket and values are not its own
            self._watch_retry_at = 0.0  # and it may open its own at once
        if not self._trackable or time.monotonic() < self._watch_retry_at:
            return False
        return self._open_watch()

    def _open_watch(self) -> bool:
        pool = self._get_connection_pool(False)  # type: ignore[attr-defined]
        # RESP2, where a subscribed connection receives the messages as ordinary replies.
        watch = pool.connection_class(**(pool.connection_kwargs | {"protocol": 2}))
        try:
            watch.connect()
            watch.send_command("CLIENT", "ID")
            own_id = watch.read_response()
            prefixes = [] if self._tracked_prefix is None else ["PREFIX", self._tracked_prefix]
            watch.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", *prefixes)
            tracking = watch.read_response()
            watch.send_command("SUBSCRIBE", INVALIDATE_CHANNEL)
            subscribed = watch.read_response()
            if tracking != b"OK" or not subscribed or subscribed[0] != b"subscribe":
                raise RedisWatchError(f"unexpected replies {tracking!r}, {subscribed!r}")
        except Exception:  # refused (an old Redis, an ACL), or Redis away: reads go to Redis
            watch.disconnect()
            self._watch_retry_at = time.monotonic() + WATCH_RETRY_SECONDS
            return False
        self._kept.clear()  # nothing read before the subscription may be served from memory
        self._watch, self._watch_pid = watch, os.getpid()
        return True

    def _drain(self) -> bool:
        """Drop the keys Redis said changed since the last read; False (and nothing kept) when the watch is lost."""
        watch = self._watch
        try:
            while watch.can_read(timeout=0):
                message = watch.read_response()
                if not isinstance(message, list) or len(message) != 3 or message[0] != b"message":
                    continue  # a subscription's confirmation
                keys = message[2]
                if keys is None:  # the database was flushed
                    self._kept.clear()
                    continue
                for key in keys:
                    self._kept.pop(key.decode("utf-8", "surrogateescape"), None)
        except Exception:
            self._lose_watch(close=True)
            return False
        return True

    def _lose_watch(self, *, close: bool) -> None:
        watch, self._watch = self._watch, None
        self._kept.clear()
        self._watch_retry_at = time.monotonic() + WATCH_RETRY_SECONDS
        if close and watch is not None:
            watch.disconnect()

    def forget_kept(self) -> None:
        """Forget every kept value (the next reads go to Redis)."""
        self._kept.clear()

    # Reads -------------------------------------------------------------------------------

    def _keeps(self, key: str) -> bool:
        return self._tracked_prefix is None or key.startswith(self._tracked_prefix)

    def _read(self, keys: list[Any]) -> dict[Any, Any]:
        if not self.watching():
            return super().get_many(keys)
        now = time.monotonic()
        found: dict[Any, Any] = {}
        missing = []
        for key in keys:
            kept = self._kept.get(key)
            if kept is not None and kept[0] > now:
                found[key] = self._serializer.loads(kept[1])  # type: ignore[attr-defined]
            else:
                missing.append(key)
        if missing:
            client = self.get_client(None)
            raws = client.mget(missing) if len(missing) > 1 else [client.get(missing[0])]
            for key, raw in zip(missing, raws, strict=True):
                if raw is None:
                    continue
                found[key] = self._serializer.loads(raw)  # type: ignore[attr-defined]
                if self._keeps(key):
                    self._keep(key, raw, now)
        return found

    def _keep(self, key: str, raw: bytes, now: float) -> None:
        self._kept.pop(key, None)  # a key read again goes to the end (the newest)
        caching.keep(self._kept, key, (now + self._kept_seconds, raw), self._kept_entries)

    def get(self, key: Any, default: Any) -> Any:
        return self._read([key]).get(key, default)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._read(list(keys))

    # Writes drop what they change at once --------------------------------------------------

    def _drop(self, keys: Any) -> None:
        for key in keys:
            self._kept.pop(key, None)

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        self._drop([key])
        return super().add(key, value, timeout)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._drop([key])
        super().set(key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        self._drop([key])
        return super().touch(key, timeout)

    def delete(self, key: Any) -> bool:
        self._drop([key])
        return super().delete(key)

    def incr(self, key: Any, delta: int) -> Any:
        self._drop([key])
        return super().incr(key, delta)

    def set_many(self, data: Any, timeout: Any) -> None:
        self._drop(data)
        super().set_many(data, timeout)

    def delete_many(self, keys: Any) -> None:
        keys = list(keys)
        self._drop(keys)
        super().delete_many(keys)

    def clear(self) -> bool:
        self._kept.clear()
        return super().clear()


class RedisWatchError(Exception):
    """Redis answered the watch's set-up with something else than agreement."""


class TrackedRedisCache(RedisCache):
    """:class:`RedisCache` whose reads are kept in the process (:class:`TrackedRedisCacheClient`).

    ``OPTIONS`` may set ``kept_entries`` and ``kept_seconds``. With Django's key function and a
    ``KEY_PREFIX``, Redis tells of the changes under that prefix only; give the cache a prefix of
    its own, so that writes to other caches in the same database send no message.
    """

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = TrackedRedisCacheClient
        default_keys = params.get("KEY_FUNCTION") in (
            None,
            "django.core.cache.backends.base.default_key_func",
        )
        tracked_prefix = f"{self.key_prefix}:" if self.key_prefix and default_keys else None
        options: dict[str, Any] = params.get("OPTIONS", {})
        self._options = {**options, "tracked_prefix": tracked_prefix}
