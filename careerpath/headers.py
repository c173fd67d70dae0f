"""The security headers every page carries, for responses that bypass the middleware that sets them."""

from __future__ import annotations

from wsgiref.headers import Headers

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings


def page_security_headers() -> dict[str, str]:
    """What django-csp, XFrameOptionsMiddleware and SecurityMiddleware add to a page, from their settings."""
    headers = {}
    policy = build_policy()
    if policy:
        headers[CSP_HEADER] = policy
    if settings.X_FRAME_OPTIONS:
        headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    referrer_policy = settings.SECURE_REFERRER_POLICY
    if referrer_policy:
        if not isinstance(referrer_policy, str):
            referrer_policy = ",".join(referrer_policy)
        headers["Referrer-Policy"] = referrer_policy
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    return headers


def add_static_file_headers(headers: Headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: a static file (an SVG can hold script) gets the pages' headers."""
    for name, value in page_security_headers().items():
        headers[name] = value
