"""Reads of personal access tokens. A person's token is found only through that person."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from .models import AccessToken

if TYPE_CHECKING:
    from accounts.models import User

TOKEN_PREFIX = "cp_"
# What a token looks like: "cp_" and 43 URL-safe characters (32 random bytes); anything much
# shorter or longer is refused without a query.
TOKEN_MIN_LENGTH = 40
TOKEN_MAX_LENGTH = 100


def token_hash(secret: str) -> str:
    """The stored form of a token: sha256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_active(*, user: User) -> list[AccessToken]:
    """The person's tokens that still work, newest first."""
    return list(AccessToken.objects.filter(user=user, revoked_at__isnull=True))


def tokens_active_count(*, user: User) -> int:
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).count()


def token_get(*, user: User, pk: int) -> AccessToken | None:
    """One of the person's active tokens; ``None`` for another person's (or a revoked) token."""
    return AccessToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).first()


def token_authenticate(*, secret: str) -> AccessToken | None:
    """The active token a request presents, with its (active) person; ``None`` if there is none."""
    if not secret.startswith(TOKEN_PREFIX) or not TOKEN_MIN_LENGTH <= len(secret) <= TOKEN_MAX_LENGTH:
        return None
    return (
        AccessToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def personal_data(user: User) -> dict[str, Any]:
    """The person's tokens for their data download: names, scopes and dates, never a secret."""
    return {
        "api_tokens": [
            {
                "name": token.name,
                "scope": token.scope,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in AccessToken.objects.filter(user=user).order_by("created_at", "pk")
        ]
    }
