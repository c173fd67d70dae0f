"""The kept connections: PostgreSQL's health check without a round trip, Redis's one client per pool.

Both are the project's own thin layers over Django's backends (careerpath/postgresql/base.py,
careerpath/redis_cache.py). What a person would notice if they went wrong: a page failing after the
database or Redis dropped a kept connection, or a stale answer. Each test checks that a dropped
connection is noticed and replaced, beside the saving itself.
"""

from __future__ import annotations

import secrets
import time
from unittest import mock

import pytest
from django.db import connection, connections

from careerpath.redis_cache import RedisCache
from tests.redis_server import REDIS_HOST, REDIS_PORT, redis_answers

pytestmark = pytest.mark.django_db(transaction=True)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's connection check"
)
REDIS_DB = 12
needs_redis = pytest.mark.skipif(not redis_answers(), reason=f"needs Redis on {REDIS_HOST}:{REDIS_PORT}")


@pytest.fixture
def kept_connection():
    """A second connection to the test database, as a worker keeps it between requests."""
    wrapper = connections.create_connection("default")  # shares the settings' dict: left as it is
    wrapper.health_check_enabled = True
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def next_request(wrapper) -> None:
    """What the request handler does to a kept connection at the start of a request."""
    wrapper.close_if_unusable_or_obsolete()
    assert wrapper.health_check_done is False


@needs_postgresql
def test_the_postgresql_backend_is_the_projects():
    assert connection.settings_dict["ENGINE"] == "careerpath.postgresql"
    assert connection.vendor == "postgresql"


@needs_postgresql
def test_a_query_a_connection_runs_again_and_again_is_prepared_once(kept_connection):
    """From its fifth run on a connection, a query is a prepared statement: PostgreSQL plans it
    once, and it answers as before, for each value of its parameters."""
    marker = f"careerpath_prepared_{secrets.token_hex(4)}"
    query = f"SELECT %s::int + 1 AS {marker}"
    with kept_connection.cursor() as cursor:
        answers = []
        for value in range(7):
            cursor.execute(query, [value])
            answers.append(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{marker}%"])
        prepared = cursor.fetchone()[0]
    assert answers == [value + 1 for value in range(7)]
    assert prepared == 1


@needs_postgresql
def test_an_idle_kept_connection_is_reused_without_a_query(kept_connection):
    """The socket has nothing to read: the connection is kept, and no SELECT 1 is sent."""
    before = kept_connection.connection
    next_request(kept_connection)
    round_trip = AssertionError("a round trip")
    with (
        mock.patch.object(type(kept_connection), "is_usable", side_effect=round_trip),
        kept_connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)
    assert kept_connection.connection is before
    assert kept_connection.health_check_done is True


@needs_postgresql
def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(kept_connection):
    """The server ends the connection (a restart, an idle timeout, an administrator): the next
    request's first query runs on a new connection instead of failing."""
    before = kept_connection.connection
    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5  # the server's last message reaches the socket
    while not kept_connection.connection.closed and time.monotonic() < deadline:
        if not kept_connection._quiet():
            break
        time.sleep(0.01)

    next_request(kept_connection)
    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
    assert kept_connection.connection is not before


@needs_postgresql
def test_a_connection_inside_a_transaction_gets_the_full_check(kept_connection):
    """Not idle (a transaction left open): the check falls back to Django's SELECT 1."""
    kept_connection.connection.execute("BEGIN")
    next_request(kept_connection)
    with mock.patch.object(type(kept_connection), "is_usable", return_value=True) as is_usable:
        kept_connection.close_if_health_check_failed()
    is_usable.assert_called_once()
    kept_connection.connection.execute("ROLLBACK")


@pytest.fixture
def redis_cache():
    cache = RedisCache(
        f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}", {"KEY_PREFIX": f"test-{secrets.token_hex(6)}"}
    )
    yield cache
    cache.delete_many(["a", "b"])


@needs_redis
def test_the_redis_cache_reads_and_writes_through_one_client(redis_cache):
    redis_cache.set("a", {"x": 1})
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b"]) == {"a": {"x": 1}}
    assert redis_cache.add("b", 1)
    assert not redis_cache.add("b", 5)
    assert redis_cache.incr("b") == 2
    redis_cache.delete("a")
    assert redis_cache.get("a") is None
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)


@needs_redis
def test_the_redis_cache_reconnects_after_redis_dropped_its_connection(redis_cache):
    """Redis closes the connection (a restart, a timeout): the next read opens a new one."""
    redis_cache.set("a", "before")
    client = redis_cache._cache.get_client()
    client.client_kill_filter(_id=client.client_id())
    assert redis_cache.get("a") == "before"
