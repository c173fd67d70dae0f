"""Logs hold no e-mailed secret; production's lines are JSON; Sentry events lose secrets too."""

from __future__ import annotations

import json
import logging
import sys
from http import HTTPStatus

import pytest
from django.test import RequestFactory
from django.urls import reverse

from careerpath.logs import JsonFormatter, RedactSecretsFilter, redact, sentry_before_send
from tests.conftest import secrets_in_log

RESET_PATH = "/accounts/password/reset/key/3-cx2m0k-6b1f4e0d9a8c7b6e5f4a3b2c1d0e9f8a/"
CONFIRM_PATH = "/accounts/confirm-email/MQ:1vXyZa:" + "k" * 43 + "/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (RESET_PATH, "/accounts/password/reset/key/[redacted]/"),
        (CONFIRM_PATH, "/accounts/confirm-email/[redacted]/"),
        ("/email/weekly/stop/MQ:abc/", "/email/weekly/stop/[redacted]/"),
        ("GET /accounts/password/reset/key/3-set-password/ HTTP/1.1", None),  # no secret in it
        ("/roadmap/step/skill:python/", None),
    ],
)
def test_redact_replaces_the_secret_part_of_emailed_links(text, expected):
    assert redact(text) == (expected or text)


def record(msg: str, *args, **extra) -> logging.LogRecord:
    made = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def test_the_filter_rewrites_message_and_arguments():
    """Django's "Not Found: %s" with the path as argument comes out without the key."""
    logged = record("Not Found: %s", RESET_PATH)

    assert RedactSecretsFilter().filter(logged) is True
    assert logged.getMessage() == "Not Found: /accounts/password/reset/key/[redacted]/"


def test_a_bad_stop_link_is_logged_without_its_token(client, caplog):
    """A 400 on the weekly e-mail stop link logs the path with the token replaced."""
    token = "MQ:not-a-real-token-but-secret-looking"
    response = client.get(reverse("weekly_email_stop", args=[token]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages == ["Bad Request: /email/weekly/stop/[redacted]/"]
    assert token not in caplog.text


def test_the_json_formatter_writes_one_object_per_line():
    """time, level, logger, message, path and status; an exception's traceback stays on the line."""
    request = RequestFactory().get(RESET_PATH, HTTP_COOKIE="sessionid=secret-session")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logged = record("Internal Server Error: %s", RESET_PATH, request=request, status_code=500)
        logged.exc_info = sys.exc_info()

    line = JsonFormatter().format(logged)

    assert "\n" not in line
    data = json.loads(line)
    assert set(data) == {"time", "level", "logger", "message", "path", "status", "exception"}
    assert data["path"] == "/accounts/password/reset/key/[redacted]/"
    assert data["status"] == 500
    assert "RuntimeError: boom" in data["exception"]
    assert "secret-session" not in line
    assert "6b1f4e0d9a8c" not in line


def test_sentry_events_lose_the_secret_part_of_urls():
    event = {
        "request": {"url": "https://careerpath.example.org" + RESET_PATH},
        "breadcrumbs": {"values": [{"message": "Not Found: " + CONFIRM_PATH}]},
    }

    scrubbed = sentry_before_send(event, {})

    assert scrubbed["request"]["url"].endswith("/key/[redacted]/")
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "Not Found: /accounts/confirm-email/[redacted]/"


@pytest.mark.parametrize(
    "text", [RESET_PATH, CONFIRM_PATH, "reset key 3-cx2m0k-6b1f4e0d9a8c7b6e5f4a3b2c1d0e9f8a"]
)
def test_the_log_check_of_every_test_catches_links_and_keys(text):
    """The autouse check in tests/conftest.py would fail a test that logs one of these."""
    assert secrets_in_log([record("%s", text)])


@pytest.mark.parametrize("text", [redact(RESET_PATH), "/accounts/password/reset/key/1-set-password/"])
def test_the_log_check_lets_redacted_links_pass(text):
    assert secrets_in_log([record("%s", text)]) == []
