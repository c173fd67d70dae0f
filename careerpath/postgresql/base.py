"""Django's PostgreSQL backend, checking a kept connection without a round trip when it can.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request that
reuses a connection: on a page of a few small reads that is one more round trip, and work for the
database server, each time. Whatever ends a connection from the server's side (a restart, an idle
timeout, ``pg_terminate_backend``) sends a last message and closes the socket, so an idle
connection whose socket has nothing to read is still open. Only when the socket has something to
read (or psycopg already knows the connection is closed, broken or not idle) does the full check
run, as Django does it; a failing connection is closed and the request opens a new one.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        # (health_check_enabled and pool are Django's, missing from its type stubs.)
        if (
            self.connection is not None
            and self.health_check_enabled  # type: ignore[attr-defined]
            and not self.health_check_done
            and not self.pool  # type: ignore[attr-defined]
            and self._quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """Open, idle and nothing from the server waiting on the socket."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
