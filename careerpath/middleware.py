"""Limits applied to every request before anything reads it, the language reset, and the content security policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus

from csp import middleware as csp_middleware
from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .headers import csp_policy, page_security_headers


class RequestBodyLimitMiddleware:
    """Refuse a body larger than CAREERPATH_MAX_REQUEST_BODY with 413, before any of it is parsed.

    No page takes an upload, so the limit is small. A declared Content-Length is checked without
    reading the body. A chunked body (no Content-Length) is read up to one byte past the limit;
    Django itself never reads such a body (it treats it as empty), so nothing is lost by reading it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit: int = settings.CAREERPATH_MAX_REQUEST_BODY
        if self.declared_length(request) > limit or self.chunked_length(request, limit) > limit:
            return self.too_large(limit)
        return self.get_response(request)

    @staticmethod
    def declared_length(request: HttpRequest) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0  # Django reads such a body as empty too

    @staticmethod
    def chunked_length(request: HttpRequest, limit: int) -> int:
        """How much of a chunked body there is, counted up to ``limit + 1`` bytes."""
        if (
            request.META.get("CONTENT_LENGTH")
            or "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            return 0
        stream = request.META.get("wsgi.input")
        if stream is None:
            return 0
        read = 0
        while read <= limit:
            chunk = stream.read(limit + 1 - read)
            if not chunk:
                break
            read += len(chunk)
        return read

    @staticmethod
    def too_large(limit: int) -> HttpResponse:
        body = render_to_string("413.html", {"limit": limit})
        response = HttpResponse(body, status=413)
        for name, value in page_security_headers().items():
            response[name] = value
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware (the language from the cookie, else the browser), and the default
    language again once the response is made: the active language is per thread, so without the
    reset a page made before this middleware runs (the 413 above) or outside a request would be
    in the language of whichever request the thread served last.

    Without language-prefixed URLs (``i18n_patterns``; careerpath has none) Django's middleware
    still looks for a language at the start of every path, twice a request, and for a path such
    as ``/roadmap/`` that means an exception raised and caught each time; what it finds changes
    nothing unless the prefixes are used. Here it is not looked for then: the same language,
    ``Vary`` and ``Content-Language`` (a test compares the two), some 10 µs sooner. With prefixed
    URLs, Django's code runs unchanged."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        try:
            return super().__call__(request)
        finally:
            translation.deactivate()

    def process_request(self, request: HttpRequest) -> None:
        if _prefixed(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if _prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _prefixed(request: HttpRequest) -> bool:
    """Whether the request's URLs use language prefixes (Django asks the same, kept per URLconf)."""
    return is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[0]


# The response attributes through which a view changes its policy (django-csp's decorators).
_CSP_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_CSP_HEADERS = (
    (CSP_HEADER, False, "_csp_exempt"),
    (CSP_HEADER_REPORT_ONLY, True, "_csp_exempt_ro"),
)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policies of a response that changes nothing in them built
    once per process instead of on every response (some 40 µs of every response, a quarter of
    ``/healthz``). A response whose view changed its policy (django-csp's decorators) or that used
    a nonce goes through django-csp's own code, unchanged; a test compares the two on every case."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CSP_PER_RESPONSE
        ):
            return super().process_response(request, response)
        if (
            response.status_code in (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND)
            and settings.DEBUG
        ):
            return response
        for header, report_only, exempt in _CSP_HEADERS:
            policy, excluded = csp_policy(report_only=report_only)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: once the header is written, asking for a nonce is an error.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
