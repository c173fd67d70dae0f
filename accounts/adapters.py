"""allauth adapter: a person's profile is created with their account."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from . import services
from .middleware import supported_language
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        """Sign-up saves the account and its profile together (allauth's documented hook), with the
        language the visitor picked in the header before signing up, so it follows them to another
        browser and into their e-mails."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            language = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            services.profile_create(user=user, language=language)
        return user
