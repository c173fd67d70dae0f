"""Template context that spans the apps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import translation

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

# The links of the base layout (templates/base.html): its navigation and footer URLs by URL name,
# and its stylesheets, icon and scripts by static path.
LAYOUT_URLS = {
    "home": "home",
    "dashboard": "dashboard",
    "assessment_start": "assessment_start",
    "roadmap": "roadmap",
    "progress": "progress",
    "catalogue_index": "catalogue_index",
    "how_we_score": "how_we_score",
    "privacy": "privacy",
    "profile": "profile",
    "admin_index": "admin:index",
    "account_logout": "account_logout",
    "account_login": "account_login",
    "account_signup": "account_signup",
    "set_language": "set_language",
}
LAYOUT_STATIC = {
    "favicon": "favicon.svg",
    "bootstrap_css": "vendor/bootstrap/bootstrap.min.css",
    "careerpath_css": "css/careerpath.css",
    "highlight_css": "css/highlight.css",
    "print_css": "css/print.css",
    "nav_js": "js/nav.js",
    "language_js": "js/language.js",
}
# Distinct (script prefix, language) pairs kept; past this the links are worked out per request.
LAYOUT_CACHE_LIMIT = 16

_layouts: dict[tuple[str, str | None], dict[str, dict[str, str]]] = {}
_language_names: list[list[tuple[str, str]]] = []


def mail_outbox(request: HttpRequest) -> dict[str, str]:
    """``mail_outbox``: where e-mail goes when a local copy writes it to files instead of sending it."""
    if settings.PRODUCTION or settings.EMAIL_BACKEND != FILE_BACKEND:
        return {}
    folder = Path(settings.EMAIL_FILE_PATH).resolve()
    if folder.is_relative_to(settings.BASE_DIR):
        folder = folder.relative_to(settings.BASE_DIR)
    return {"mail_outbox": f"{folder}/"}


def languages(request: HttpRequest) -> dict[str, list[tuple[str, str]]]:
    """``interface_languages``: the header switch's choices, each language named in itself
    (worked out once per process: the names do not depend on the request)."""
    if not _language_names:
        named = []
        for code, name in settings.LANGUAGES:
            with translation.override(code):
                named.append((code, str(name)))
        _language_names[:] = [named]
    return {"interface_languages": _language_names[0]}


def layout(request: HttpRequest) -> dict[str, dict[str, str]]:
    """``layout_urls`` and ``layout_static``: the base layout's links, reversed and looked up once per
    process (for each script prefix and language) instead of by a dozen tags on every page."""
    key = (get_script_prefix(), translation.get_language())
    links = _layouts.get(key)
    if links is None:
        links = {
            "layout_urls": {name: reverse(url_name) for name, url_name in LAYOUT_URLS.items()},
            "layout_static": {name: static(path) for name, path in LAYOUT_STATIC.items()},
        }
        if len(_layouts) < LAYOUT_CACHE_LIMIT:
            _layouts[key] = links
    return links


def forget_layout(**kwargs: Any) -> None:
    """A changed setting (in tests: URLconf, static storage, languages) may change the links."""
    _layouts.clear()
    _language_names.clear()


setting_changed.connect(forget_layout, dispatch_uid="careerpath.context_processors.forget_layout")
