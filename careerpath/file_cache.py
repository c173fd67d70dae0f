"""The sessions' file cache without Redis: Django's, keeping in the process what it read.

Without Redis, sessions and the signed-in person's copy (accounts/signed_in.py) are read through a
file cache that every process on the machine shares. Django's ``FileBasedCache`` opens, reads,
decompresses and unpickles the file on every read: two files on every page a signed-in person
opens. :class:`KeptFileBasedCache` keeps what it read, with the file's identity (device, inode,
size, modification and change times), and on the next read asks the file system only for that
identity (one ``stat``): the same identity serves the kept value, anything else reads the file.

What keeps it true: Django writes every entry to a new temporary file and renames it over the
old one, so a written entry is a new inode (and the old inode is still in use while the new one is
made, so the two never share a number); a deleted entry (a log-out, an account's sessions ended)
makes the ``stat`` fail; ``touch`` rewrites in place, which changes the times. A kept value also
honours the expiry stored in the file, and a read returns a fresh copy (unpickled again).
"""

from __future__ import annotations

import os
import pickle
import time
import zlib
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

from catalogue import caching

KEPT_ENTRIES = 10_000  # per process (and thread): the oldest go first

Identity = tuple[int, int, int, int, int]


def _identity(stat: os.stat_result) -> Identity:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class KeptFileBasedCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._kept: dict[str, tuple[Identity, float | None, bytes]] = {}

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
        try:
            identity = _identity(os.stat(fname))
        except FileNotFoundError:
            self._kept.pop(fname, None)
            return default
        kept = self._kept.get(fname)
        if kept is not None and kept[0] == identity and (kept[1] is None or kept[1] >= time.time()):
            return pickle.loads(kept[2])
        return self._read(fname, default)

    def _read(self, fname: str, default: Any) -> Any:
        """Django's read of one entry (an expired one is deleted), keeping what it found."""
        self._kept.pop(fname, None)
        try:
            with open(fname, "rb") as file:
                identity = _identity(os.fstat(file.fileno()))
                expiry = pickle.load(file)
                if expiry is not None and expiry < time.time():
                    file.close()
                    self._delete(fname)  # type: ignore[attr-defined]
                    return default
                raw = zlib.decompress(file.read())
        except FileNotFoundError:
            return default
        value = pickle.loads(raw)
        caching.keep(self._kept, fname, (identity, expiry, raw), KEPT_ENTRIES)
        return value

    def set(
        self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._kept.pop(self._key_to_file(key, version), None)  # type: ignore[attr-defined]
        super().set(key, value, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        self._kept.pop(self._key_to_file(key, version), None)  # type: ignore[attr-defined]
        return super().delete(key, version)

    def clear(self) -> None:
        self._kept.clear()
        super().clear()
