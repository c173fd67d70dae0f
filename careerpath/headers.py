"""The security headers every page carries: the content security policy built once per process, and the
headers for responses that bypass the middleware that sets them."""

from __future__ import annotations

from typing import Any
from wsgiref.headers import Headers

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

_csp_policies: dict[bool, tuple[str, tuple[str, ...]]] = {}


def csp_policy(*, report_only: bool = False) -> tuple[str, tuple[str, ...]]:
    """django-csp's policy from the settings (and the URL prefixes it excludes), built once per process."""
    kept = _csp_policies.get(report_only)
    if kept is None:
        setting = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        kept = _csp_policies[report_only] = (build_policy(report_only=report_only), tuple(prefixes))
    return kept


def _forget_csp_policies(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_policies.clear()


setting_changed.connect(_forget_csp_policies, dispatch_uid="careerpath.headers.csp_policies")


def page_security_headers() -> dict[str, str]:
    """What django-csp, XFrameOptionsMiddleware and SecurityMiddleware add to a page, from their settings."""
    headers = {}
    policy, _excluded = csp_policy()
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
