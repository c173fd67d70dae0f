"""Response policies that apply to every page."""

from __future__ import annotations

import time
from typing import Any, Literal, cast

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date

from . import selectors, signed_in


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, reading the signed-in person from the copy kept beside the sessions when the
    session may use it (accounts/signed_in.py), and through ``django.contrib.auth.get_user`` otherwise."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request: HttpRequest) -> Any:
    # As django.contrib.auth.middleware.get_user: read once a request.
    if not hasattr(request, "_cached_user"):
        request._cached_user = signed_in.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class PrivateCacheMiddleware:
    """Pages served to a logged-in person are never stored by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if logged_in(request):  # from the session: no user row loaded for a view that needs none
            if "Cache-Control" in response or "Expires" in response:  # merged with the view's own
                add_never_cache_headers(response)
                patch_cache_control(response, no_store=True, private=True)
            else:  # what the two calls above write on a response without either header
                response.headers["Expires"] = _http_now()
                response.headers["Cache-Control"] = NEVER_CACHED
        return response


NEVER_CACHED = "max-age=0, no-cache, no-store, must-revalidate, private"
_now: list[Any] = [None, ""]


def _http_now() -> str:
    """The current time as an HTTP date (``http_date()``), formatted once a second."""
    second = int(time.time())
    if _now[0] != second:
        _now[:] = [second, http_date(second)]
    return cast(str, _now[1])


# The person's saved language, kept in their session so that pages need no query to find it:
# written at log-in (``remember_language``), when they change it, and read from the profile once
# for a session that predates it.
LANGUAGE_SESSION_KEY = "careerpath_language"
SameSite = Literal["Lax", "Strict", "None", False] | None


def supported_language(code: str | None) -> str:
    """``code`` if it is one of the interface's languages (settings.LANGUAGES), else ""."""
    return code if code and code in dict(settings.LANGUAGES) else ""


def remember_language(request: HttpRequest, language: str) -> None:
    """Keep the person's chosen language in their session (the middleware applies it)."""
    request.session[LANGUAGE_SESSION_KEY] = supported_language(language)


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """The language cookie Django's LocaleMiddleware reads, as django.views.i18n.set_language sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At log-in, the person's saved language goes into the session (signal ``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        remember_language(request, selectors.profile_language(user=user))


def logged_in(request: HttpRequest) -> bool:
    """Whether the request's session is a logged-in person's (without loading the user)."""
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


class ProfileLanguageMiddleware:
    """A logged-in person's saved language wins over the cookie and the browser's Accept-Language.

    Sits after AuthenticationMiddleware (and after LocaleMiddleware, which chose the language from
    the cookie or the browser). The cookie follows the saved language, so the pages after log-out
    stay in it too. A person with no saved language follows the cookie and the browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Whether someone is logged in is read from the session alone: a request whose view never
        # looks at the person (/healthz, say) loads no user row for the language.
        if logged_in(request):
            saved = request.session.get(LANGUAGE_SESSION_KEY)
            if saved is None and request.user.is_authenticated:  # a session from before languages were saved
                saved = selectors.profile_language(user=request.user)
                remember_language(request, saved)
            language = supported_language(saved)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # Read again after the view, which may have changed the language (or logged the person out).
        if logged_in(request):
            language = supported_language(request.session.get(LANGUAGE_SESSION_KEY))
            cookie = settings.LANGUAGE_COOKIE_NAME
            if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
                set_language_cookie(response, language)
        return response
