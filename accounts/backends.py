"""The authentication backends: Django's and allauth's, each reading the logged-in person on every
request in one query compiled once per process (``catalogue.compiled``) instead of building it anew.

Every page a logged-in person opens reads their account row; Django takes longer to compile that
query than the database takes to run it. Logging in, passwords and permissions are the libraries'
own, unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from catalogue import compiled

from .models import User


def _user(user_id: Any) -> User | None:
    """The account with this id (None when there is none), as ``User.objects.get(pk=...)`` reads it."""
    found = compiled.read(_user_query(), {compiled.SOME_PK: user_id})
    return found[0] if found else None


@cache
def _user_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of(User._default_manager.filter(pk=compiled.SOME_PK))


class _CompiledGetUser(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        if type(user_id) is not int:  # the session holds the id as the pk field reads it: an int
            return super().get_user(user_id)
        user = _user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CompiledGetUser):
    """Django's ``ModelBackend`` (username or e-mail and password, permissions)."""


class AuthenticationBackend(_CompiledGetUser, AllauthBackend):
    """allauth's backend (log in by e-mail), its person read as :class:`ModelBackend` reads them."""
