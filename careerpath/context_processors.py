"""Template context that spans the apps."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def mail_outbox(request: HttpRequest) -> dict[str, str]:
    """``mail_outbox``: where e-mail goes when a local copy writes it to files instead of sending it."""
    if settings.PRODUCTION or settings.EMAIL_BACKEND != FILE_BACKEND:
        return {}
    folder = Path(settings.EMAIL_FILE_PATH).resolve()
    if folder.is_relative_to(settings.BASE_DIR):
        folder = folder.relative_to(settings.BASE_DIR)
    return {"mail_outbox": f"{folder}/"}
