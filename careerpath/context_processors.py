"""Template context that spans the apps."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def mail_outbox(request: HttpRequest) -> dict[str, str]:
    """``mail_outbox``: where e-mail goes when a local copy writes it to files instead of sending it."""
    if settings.PRODUCTION or settings.EMAIL_BACKEND != FILE_BACKEND:
        return {}
    folder = Path(settings.EMAIL_FILE_PATH).resolve()
    if folder.is_relative_to(settings.BASE_DIR):
        folder = folder.relative_to(settings.BASE_DIR)
    return {"mail_outbox": f"{folder}/"}


def languages(request: HttpRequest) -> dict[str, list[tuple[str, str]]]:
    """``interface_languages``: the header switch's choices, each language named in itself."""
    named = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            named.append((code, str(name)))
    return {"interface_languages": named}
