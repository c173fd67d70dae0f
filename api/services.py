"""Writes of personal access tokens: create, revoke, note a use."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User

from . import selectors
from .models import AccessToken

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_ACTIVE_TOKENS = 10
NAME_MAX_LENGTH = 60
# The shown part of a token: "cp_" and its first 8 random characters.
PREFIX_LENGTH = len(selectors.TOKEN_PREFIX) + 8
# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    """A token that cannot be created as asked; ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def new_secret() -> str:
    """A new token: "cp_" and 32 random bytes, URL-safe base64 (256 bits)."""
    return selectors.TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def token_create(*, user: User, name: str, scope: str) -> tuple[AccessToken, str]:
    """Create a token for the person; returns it and the token itself (the only time it exists).

    Raises ``TokenError`` (and writes nothing) for a missing or too long name, a name already used
    by one of the person's active tokens, an unknown scope, or too many active tokens.
    """
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, such as the script or machine that will use it.", "name")
    if len(name) > NAME_MAX_LENGTH:
        raise TokenError(f"Keep the name to {NAME_MAX_LENGTH} characters or fewer.", "name")
    if scope not in AccessToken.Scope.values:
        raise TokenError("Choose what the token may do: read only, or read and write.", "scope")
    # Lock the person's row: two creations at once cannot both pass the count below.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = AccessToken.objects.filter(user=user, revoked_at__isnull=True)
    if active.filter(name__iexact=name).exists():
        raise TokenError(
            f"You already have a token named “{name}”. Choose another name, or revoke that token first.",
            "name",
        )
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            f"You already have {MAX_ACTIVE_TOKENS} active tokens, the most one person can have. "
            "Revoke one you no longer use, then create this one."
        )
    secret = new_secret()
    try:
        with transaction.atomic():
            token = AccessToken.objects.create(
                user=user,
                name=name,
                scope=scope,
                prefix=secret[:PREFIX_LENGTH],
                token_hash=selectors.token_hash(secret),
            )
    except IntegrityError:  # the same name created at the same moment in another request
        raise TokenError(
            f"You already have a token named “{name}”. Choose another name, or revoke that token first.",
            "name",
        ) from None
    return token, secret


@transaction.atomic
def token_revoke(*, token: AccessToken, now: datetime | None = None) -> AccessToken:
    """Revoke the token from now on (revoking a revoked token changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
    return token


@transaction.atomic
def tokens_revoke(*, tokens: Iterable[AccessToken]) -> int:
    """Revoke several tokens (the admin's action); returns how many were still active."""
    pks = [token.pk for token in tokens]
    return AccessToken.objects.filter(pk__in=pks, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_used(*, token: AccessToken, now: datetime | None = None) -> None:
    """Note that the token was used: at most one write a minute per token, none in between (not
    even a transaction: this runs on every call made with a token)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    _last_used_write(token=token, now=now)


@transaction.atomic
def _last_used_write(*, token: AccessToken, now: datetime) -> None:
    # Conditional: of several servers seeing the same stale time, one writes.
    AccessToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    token.last_used_at = now


@transaction.atomic
def personal_data_delete(user: User) -> None:
    """Delete the person's tokens (account deletion; the foreign key cascades too)."""
    AccessToken.objects.filter(user=user).delete()
