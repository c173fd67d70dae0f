"""allauth adapter: how careerpath differs from allauth's defaults."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """One failed-login counter per account, not per host: another Host port must not reset it."""
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        return f"careerpath:login-failures:{login}"
