"""allauth adapter: a person's profile is created with their account."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from . import services
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        """Sign-up saves the account and its profile together (allauth's documented hook)."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.profile_create(user=user)
        return user
