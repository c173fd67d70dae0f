"""The sessions' cache keeps what it reads in the process, and Redis keeps it true (careerpath/redis_cache.py).

A real Redis (skipped when none answers). Two cache objects with the same settings stand for two
workers: what one writes, deletes or lets expire, the other must never serve from memory after its
next read begins. What a person would notice if it went wrong: still being signed in on one worker
after signing out on another, or a page seeing a language or a copy of their account that changed.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from unittest import mock

import pytest
import redis

from careerpath.redis_cache import TrackedRedisCache, TrackedRedisCacheClient
from tests.redis_server import REDIS_HOST, REDIS_PORT, redis_answers

pytestmark = pytest.mark.skipif(not redis_answers(), reason=f"needs Redis on {REDIS_HOST}:{REDIS_PORT}")
REDIS_DB = 13
LOCATION = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def tracked(prefix: str, **options) -> TrackedRedisCache:
    return TrackedRedisCache(LOCATION, {"KEY_PREFIX": prefix, "OPTIONS": options})


@pytest.fixture
def prefix():
    """A prefix of the test's own; its keys are deleted afterwards."""
    name = f"tracked-test-{secrets.token_hex(4)}"
    yield name
    server = redis.Redis.from_url(LOCATION)
    keys = list(server.scan_iter(match=f"{name}*"))
    if keys:
        server.delete(*keys)


@pytest.fixture
def workers(prefix):
    """Two workers' sessions caches, and a way to count the reads each sends to Redis."""
    first, second = tracked(prefix), tracked(prefix)
    yield first, second
    for cache in (first, second):
        cache.close()
        watch = cache._cache._watch
        if watch is not None:
            watch.disconnect()


@contextlib.contextmanager
def reads_sent(cache: TrackedRedisCache):
    """Count the reads (GET and MGET) the cache sends to Redis."""
    client = cache._cache.get_client()
    with (
        mock.patch.object(client, "mget", wraps=client.mget) as many,
        mock.patch.object(client, "get", wraps=client.get) as one,
    ):
        counter = mock.Mock()
        yield counter
        counter.count = many.call_count + one.call_count


def settle() -> None:
    """Redis writes its messages as it makes the change; give the socket a moment to carry them."""
    time.sleep(0.05)


def test_a_second_read_is_served_from_memory(workers):
    first, _ = workers
    first.set("session", {"user": 1})
    assert first.get("session") == {"user": 1}
    with reads_sent(first) as sent:
        assert first.get("session") == {"user": 1}
        assert first.get_many(["session"]) == {"session": {"user": 1}}
    assert sent.count == 0


def test_what_another_worker_writes_is_read_at_once(workers):
    first, second = workers
    second.set("session", {"language": "en"})
    assert first.get("session") == {"language": "en"}  # now kept by the first worker
    second.set("session", {"language": "fr"})
    settle()
    assert first.get("session") == {"language": "fr"}


def test_a_session_deleted_on_another_worker_is_gone_on_this_one(workers):
    """Signing out on one worker signs out on all: the deleted session is never served from memory."""
    first, second = workers
    second.set("session", {"user": 7})
    assert first.get_many(["session", "copy"]) == {"session": {"user": 7}}
    second.delete("session")
    settle()
    assert first.get_many(["session", "copy"]) == {}
    assert first.get("session", "gone") == "gone"


def test_every_kind_of_write_elsewhere_drops_the_kept_value(workers):
    first, second = workers
    second.set_many({"a": 1, "b": 2, "c": 3, "d": "x"})
    assert first.get_many(["a", "b", "c", "d"]) == {"a": 1, "b": 2, "c": 3, "d": "x"}
    second.incr("a", 10)
    second.delete_many(["b"])
    second.add("b", 20)
    second.set_many({"c": 30})
    server = redis.Redis.from_url(LOCATION)
    server.set(second.make_key("d"), 42)  # a write outside Django's cache API, by another client
    settle()
    assert first.get_many(["a", "b", "c", "d"]) == {"a": 11, "b": 20, "c": 30, "d": 42}


def test_a_value_that_expires_in_redis_is_not_served_from_memory(workers):
    first, second = workers
    second.set("marker", "retired", timeout=1)
    assert first.get("marker") == "retired"
    time.sleep(1.3)
    first.get("anything")  # Redis expires the key once it is past its time (at the latest when it is read)
    redis.Redis.from_url(LOCATION).get(second.make_key("marker"))
    settle()
    assert first.get("marker") is None


def test_a_kept_value_lasts_no_longer_than_kept_seconds(prefix):
    cache = tracked(prefix, kept_seconds=0.2)
    cache.set("a", 1)
    assert cache.get("a") == 1
    with reads_sent(cache) as sent:
        time.sleep(0.3)
        assert cache.get("a") == 1
    assert sent.count == 1


def test_a_worker_s_own_writes_are_read_back_at_once(workers):
    first, _ = workers
    first.set("a", 1)
    assert first.get("a") == 1
    first.set("a", 2)
    assert first.get("a") == 2  # without waiting for Redis's message
    first.delete("a")
    assert first.get("a") is None
    assert first.add("a", 3)
    assert first.get("a") == 3
    first.clear()
    assert first.get("a") is None


def test_changing_what_a_read_returned_changes_nothing_kept(workers):
    first, _ = workers
    first.set("session", {"items": [1]})
    value = first.get("session")
    value["items"].append(2)
    assert first.get("session") == {"items": [1]}


def test_a_lost_watch_forgets_everything_kept(workers):
    """Redis dropped the watch (a restart, a kill): what changed meanwhile is read from Redis."""
    first, second = workers
    second.set("session", {"user": 1})
    assert first.get("session") == {"user": 1}
    server = redis.Redis.from_url(LOCATION)
    server.client_kill_filter(_id=_watch_id(first._cache._watch, server))
    second.set("session", {"user": 2})  # no message can reach the first worker now
    settle()
    assert first.get("session") == {"user": 2}
    assert first._cache._watch is None  # reads go to Redis until the next watch is subscribed


def _watch_id(watch, server) -> int:
    """The client id Redis gave the watch connection (by its local port)."""
    port = watch._sock.getsockname()[1]
    return int(next(c["id"] for c in server.client_list() if c["addr"].endswith(f":{port}")))


def test_a_flushed_database_forgets_everything_kept(workers):
    first, second = workers
    second.set("a", 1)
    assert first.get("a") == 1
    redis.Redis.from_url(LOCATION).flushdb()
    settle()
    assert first.get("a") is None


def test_a_forked_worker_keeps_nothing_of_its_parent(workers):
    first, second = workers
    second.set("a", 1)
    assert first.get("a") == 1
    with mock.patch("careerpath.redis_cache.os.getpid", return_value=-1):
        with reads_sent(first) as sent:
            assert first.get("a") == 1
            assert first.get("a") == 1
        assert sent.count == 1  # read from Redis, not from the parent's memory, then kept under its own watch
        second.set("a", 2)
        settle()
        assert first.get("a") == 2


def test_a_redis_that_refuses_tracking_leaves_every_read_to_redis(prefix):
    cache = tracked(prefix)
    cache.set("a", 1)
    with mock.patch.object(TrackedRedisCacheClient, "_open_watch", return_value=False):
        assert cache.get("a") == 1
        with reads_sent(cache) as sent:
            assert cache.get("a") == 1
            assert cache.get("a") == 1
        assert sent.count == 2
    # A Redis that answers the watch's set-up with an error (an old version, an ACL): no watch, and
    # the reads after it still work, from Redis.
    fresh = tracked(prefix)
    real_send, real_read = (
        redis.connection.AbstractConnection.send_command,
        redis.connection.AbstractConnection.read_response,
    )
    sent: list[tuple] = []

    def send(connection, *args, **kwargs):
        sent.append(args)
        return real_send(connection, *args, **kwargs)

    def refuse_tracking(connection, *args, **kwargs):
        reply = real_read(connection, *args, **kwargs)
        if sent and sent[-1][:2] == ("CLIENT", "TRACKING"):
            raise redis.ResponseError("ERR unknown command 'CLIENT TRACKING'")
        return reply

    with (
        mock.patch("redis.connection.AbstractConnection.send_command", send),
        mock.patch("redis.connection.AbstractConnection.read_response", refuse_tracking),
    ):
        assert fresh._cache.watching() is False
    assert ("CLIENT", "TRACKING") in [args[:2] for args in sent]
    assert fresh._cache._watch is None
    assert fresh.get("a") == 1


def test_only_the_cache_s_own_prefix_is_watched(workers, prefix):
    """Writes to other caches in the same database send this one no message."""
    first, _ = workers
    first.get("a")
    other = TrackedRedisCache(LOCATION, {"KEY_PREFIX": prefix + "-other"})
    other.set("a", 1)
    other.set("b", 2)
    settle()
    watch = first._cache._watch
    assert watch.can_read(timeout=0) is False
    other.close()


def test_kept_values_are_bounded(prefix):
    cache = tracked(prefix, kept_entries=3)
    cache.set_many({name: name for name in "abcde"})
    assert cache.get_many(list("abcde")) == {name: name for name in "abcde"}
    assert len(cache._cache._kept) == 3
