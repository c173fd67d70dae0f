"""The session engine: Django's ``cached_db``, with each stored session indexed by its account and
read in one round trip together with the signed-in person's kept copy (accounts/signed_in.py).

``SESSION_ENGINE = "accounts.sessions"``. Sessions are kept as ``cached_db`` keeps them (in the
database, read through the cache, under the same cache keys), in ``accounts.models.Session``, whose
``account_id`` column says whose each one is: ending a person's sessions, or retiring the copies
kept for them, needs no decoding of every session.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from . import signed_in
from .models import Session


def account_id_of(data: dict[str, Any]) -> int | None:
    """The id of the account signed in to a session's data, or None."""
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self.signed_in_copy: Any = None  # read with the session's data by load()

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        instance = cast(Session, super().create_model_instance(data))
        instance.account_id = account_id_of(data)
        return instance

    def load(self) -> dict[str, Any]:
        """Django's ``cached_db`` load, asking the cache for the kept copy in the same call."""
        copy_key = signed_in.key(self.session_key)
        try:
            found = self._cache.get_many([self.cache_key, copy_key])  # type: ignore[attr-defined]
        except Exception:  # as Django's: a backend that refuses the key resets the session
            found = {}
        self.signed_in_copy = found.get(copy_key)
        data = found.get(self.cache_key)
        if data is None:
            stored = self._get_session_from_db()  # type: ignore[attr-defined]
            if stored:
                data = self.decode(stored.session_data)
                self._cache.set(  # type: ignore[attr-defined]
                    self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date)
                )
            else:
                data = {}
        return data
