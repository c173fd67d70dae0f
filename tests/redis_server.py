"""The local Redis some tests use (skipped when it does not answer)."""

from __future__ import annotations

import socket

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_answers() -> bool:
    """Whether a Redis answers PING on REDIS_HOST:REDIS_PORT."""
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
