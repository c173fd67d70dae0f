"""The signed-in person of a request, read from a copy kept beside their session when it is safe to.

Every page a signed-in person opens needs their account row: whether they are still active, and
whether their session still matches their password. Reading it was one query a page; on PostgreSQL
it was the largest part of a page with nothing else to read. The row is therefore kept, once read,
beside the session: in the cache that holds the sessions (``SESSION_CACHE_ALIAS``: Redis, or the
file cache every process on the machine shares), under a key made from the session's, so the
session engine (``accounts.sessions``) reads both in one call and the copy reaches exactly as far
as the session does.

What keeps the copy true:

- **It is checked against the session.** The copy holds the session hash Django derives from the
  password (``get_session_auth_hash``), and is used only by a session carrying that same hash. The
  copy never holds the password itself; reading ``user.password`` from it loads that one column
  from the database.
- **Every write through the ORM retires it.** Saving or deleting an account (``post_save``,
  ``post_delete``) and the account queryset's ``update`` and ``bulk_update``
  (``models.account_rows_written``) put a marker over the copies of that person's sessions (found
  by the sessions' account index) for :data:`RETIRED_SECONDS`, again when the transaction commits.
  A copy is only added where no key is (``cache.add``) and only after the reading transaction
  commits, so a request that read the row just before a write cannot put the old row back while
  the marker stands.
- **It lasts :data:`KEPT_SECONDS`.** An account edited outside the ORM (raw SQL, another program)
  is read afresh within that time, or at once after ``manage.py forget_signed_in``
  (``restore_db`` retires the copies itself).

Anything else (no copy, a marker, a different hash, a backend no longer configured) goes through
``django.contrib.auth.get_user`` unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import BaseCache, caches
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from catalogue import compiled

from .models import Session, User

KEPT_SECONDS = 300
RETIRED_SECONDS = 30
RETIRED = "retired"
_FORMAT = 1  # bumped when the copy's layout changes otherwise, so that older copies are never read


def store() -> BaseCache:
    """The cache the sessions are kept in (a copy reaches every process a session reaches)."""
    return caches[getattr(settings, "SESSION_CACHE_ALIAS", "default")]


@cache
def _fields() -> tuple[str, ...]:
    """The account's columns kept in a copy: all of them but the password."""
    return tuple(field.attname for field in User._meta.concrete_fields if field.attname != "password")


@cache
def _key_prefix(secret: str) -> str:
    # The secret key is part of the session hash, and the copy is the account's columns in order: a
    # copy made under another key, or before a column was added, renamed or moved, is never looked up.
    layout = "\x00".join((secret, *_fields()))
    return f"careerpath.signed-in.{_FORMAT}.{hashlib.sha256(layout.encode()).hexdigest()[:12]}."


def key(session_key: str | None) -> str:
    """The cache key of the copy kept for the session ``session_key``."""
    return f"{_key_prefix(settings.SECRET_KEY)}{session_key}"


def _copy_of(session: SessionBase) -> Any:
    # The session engine (accounts.sessions) read it with the session's data; another engine did not.
    if hasattr(session, "signed_in_copy"):
        return session.signed_in_copy
    return store().get(key(session.session_key)) if session.session_key else None


def kept_user(request: HttpRequest) -> Any | None:
    """The session's person from a kept copy, or None when there is no copy this session may use."""
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
        session_hash = session[HASH_SESSION_KEY]
    except (KeyError, ValidationError):  # no one signed in, or a malformed session: Django decides
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS or not isinstance(session_hash, str):
        return None
    copy = _copy_of(session)
    if type(copy) is not tuple or len(copy) != len(_fields()) + 1:
        return None
    *values, kept_hash = copy
    if not constant_time_compare(session_hash, kept_hash):
        return None
    user = compiled.loader(User, _fields())(values)
    if user.pk != user_id:
        return None
    backend = load_backend(backend_path)
    if not getattr(backend, "user_can_authenticate", lambda _user: True)(user):
        return None
    return user


def keep(user: Any, session: SessionBase, session_hash: str) -> None:
    """Keep a copy of ``user`` (just read and verified) for ``session``, whose hash is
    ``session_hash``, once the reading transaction commits, unless a copy or a retired marker is
    already there."""
    if not session.session_key:
        return
    copy = (*(user.__dict__[name] for name in _fields()), session_hash)
    transaction.on_commit(partial(store().add, key(session.session_key), copy, KEPT_SECONDS))


def session_keys(user_ids: Iterable[Any], database: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The keys of the stored sessions these accounts are signed in to."""
    ids = [user_id for user_id in user_ids if user_id is not None]
    if not ids:
        return []
    return list(
        Session.objects.using(database).filter(account_id__in=ids).values_list("session_key", flat=True)
    )


def forget(user_ids: Iterable[Any], batch: int = 1000) -> None:
    """Retire the copies kept for these accounts' sessions: now, and again when the current
    transaction commits."""
    _retire(session_keys(user_ids), batch)


def all_session_keys(database: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The keys of every stored session (none when the database has no session table yet)."""
    try:
        return list(Session.objects.using(database).values_list("session_key", flat=True))
    except DatabaseError:
        return []


def forget_all(keys: Iterable[str] | None = None, batch: int = 1000) -> int:
    """Retire the copies kept for these sessions, by default every stored one (after accounts were
    changed outside the ORM, or a database was restored); returns how many sessions there were."""
    keys = sorted(set(all_session_keys() if keys is None else keys))
    _retire(keys, batch)
    return len(keys)


def _retire(keys: list[str], batch: int) -> None:
    for start in range(0, len(keys), batch):
        retired = {key(session_key): RETIRED for session_key in keys[start : start + batch]}
        store().set_many(retired, RETIRED_SECONDS)
        transaction.on_commit(partial(store().set_many, retired, RETIRED_SECONDS))


def get_user(request: HttpRequest) -> Any:
    """The request's person: a kept copy when the session may use one, else Django's ``get_user``
    (whose result is then kept for the next request)."""
    user = kept_user(request)
    if user is not None:
        return user
    user = auth.get_user(request)
    session_hash = request.session.get(HASH_SESSION_KEY)
    if (
        user.is_authenticated
        and isinstance(session_hash, str)
        and "password" in user.__dict__
        and constant_time_compare(session_hash, user.get_session_auth_hash())
    ):
        keep(user, request.session, session_hash)
    return user


# Receivers (connected in AccountsConfig.ready) --------------------------------------------------


def on_account_written(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget([instance.pk])


def on_account_rows_written(sender: Any, ids: Iterable[Any], **kwargs: Any) -> None:
    forget(ids)
