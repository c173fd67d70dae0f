"""Personal access tokens: how a person's own scripts call the API without a browser session.

Only a hash of each token is stored (sha256 of a high-entropy secret); the token itself is shown
once, when it is created. A short prefix of it, no secret, tells a person's tokens apart in lists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read-write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    # The token's first characters ("cp_" and 8 more), shown in lists: too short to be a secret.
    prefix = models.CharField(max_length=16)
    # sha256 of the whole token, hex: what a request's token is looked up by.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        constraints = [
            # One active token of a name per person (a revoked token's name may be reused).
            models.UniqueConstraint(
                Lower("name"),
                "user",
                condition=models.Q(revoked_at__isnull=True),
                name="api_token_active_name_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "read-write"]), name="api_token_scope_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
