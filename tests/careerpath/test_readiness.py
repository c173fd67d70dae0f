"""/readyz: the database and the cache answer, or 503 naming what is down; /healthz stays bare."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.urls import reverse

from careerpath import readiness

pytestmark = pytest.mark.django_db


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_ready_when_the_database_and_the_cache_answer(client):
    """Both services up: 200 and a short JSON body, never cached."""
    response = client.get(reverse("readyz"))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "down": []}
    assert "no-cache" in response["Cache-Control"]


def test_a_database_outage_gives_503_naming_the_database(client, monkeypatch):
    """The database refuses connections: 503, and the body says it is the database."""
    monkeypatch.setattr(readiness, "connection", BrokenConnection())

    response = client.get(reverse("readyz"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"status": "unavailable", "down": ["database"]}


def test_a_cache_that_keeps_nothing_gives_503_naming_the_cache(client, settings):
    """A cache that does not give back what it stored is down."""
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }

    response = client.get(reverse("readyz"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"status": "unavailable", "down": ["cache"]}


def test_both_down_are_both_named(client, settings, monkeypatch):
    monkeypatch.setattr(readiness, "connection", BrokenConnection())
    settings.CACHES = settings.CACHES | {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }

    assert client.get(reverse("readyz")).json()["down"] == ["database", "cache"]


def test_healthz_stays_a_bare_liveness_check(client, monkeypatch, django_assert_num_queries):
    """/healthz answers "ok" without touching the database, even when it is down."""
    monkeypatch.setattr(readiness, "connection", BrokenConnection())

    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))

    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"
