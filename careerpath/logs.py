"""Log records without secrets, and the one-JSON-object-per-line format production writes.

Links in e-mails carry secrets in their path (password reset keys, e-mail confirmation keys, the
weekly e-mail's stop token). Django logs request paths (``django.request`` for 4xx/5xx,
``django.server`` for every request under runserver, ``django.security.*``), so the key part of
such a path is replaced before any handler sees the record.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint

REDACTED = "[redacted]"
# The secret part of each link sent by e-mail (allauth's `set-password` placeholder is no secret).
SECRET_PATHS = (
    re.compile(r"(/password/reset/key/)(?![0-9a-z]+-set-password/)[^/\s?#\"']+"),
    re.compile(r"(/confirm-email/)[^/\s?#\"']+"),
    re.compile(r"(/email/weekly/stop/)[^/\s?#\"']+"),
)


def redact(text: str) -> str:
    """``text`` with the secret part of every e-mailed link replaced."""
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return text


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactSecretsFilter(logging.Filter):
    """Rewrite a record's message and arguments so that no e-mailed secret reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the request's path and status.

    Nothing else of the request is written: no body, no headers, no cookies.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        path = getattr(getattr(record, "request", None), "path", None)
        if isinstance(path, str):
            line["path"] = redact(path)
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def sentry_before_send(event: Event, hint: Hint) -> Event:
    """Sentry's ``before_send``: the request URL and breadcrumbs lose their e-mailed secrets too."""
    request = event.get("request") or {}
    url = request.get("url")
    if isinstance(url, str):
        request["url"] = redact(url)
    breadcrumbs = event.get("breadcrumbs") or {}
    for crumb in breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = redact(crumb["message"])
    return event
