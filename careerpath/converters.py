"""URL converters shared by every app's URLconf."""

from __future__ import annotations


class IdConverter:
    """A database id: digits that fit a 64-bit integer (a longer number is a 404, not an overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)
