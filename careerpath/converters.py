"""URL converters shared by every app's URLconf."""

from __future__ import annotations


class IdConverter:
    """A database id: digits that fit a 64-bit integer (a longer number is a 404, not an overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


class KeyConverter:
    """A key stored in a text column of at most 100 characters (a plan step's ``skill:python:2``):
    one path segment without a NUL byte, which PostgreSQL cannot hold in text; anything else is a 404."""

    regex = "[^/\x00]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
