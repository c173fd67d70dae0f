"""Limits applied to every request before anything reads it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation

from .headers import page_security_headers


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
    in the language of whichever request the thread served last."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        try:
            return super().__call__(request)
        finally:
            translation.deactivate()
