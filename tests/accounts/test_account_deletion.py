"""Deleting an account also forgets the person's cached result pages and ends all their sessions."""

from __future__ import annotations

from http import HTTPStatus
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts import services
from assessments.models import Result
from catalogue.caching import language_key
from tests.accounts import factories as account_factories
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

# The settings' engine (sessions indexed by account), and Django's two, whose sessions are decoded.
SESSION_ENGINES = [
    "accounts.sessions",
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
]


def browser_logged_in(user, **extra) -> Client:
    """A browser in which the person logged in through the log-in form."""
    browser = Client(**extra)
    response = browser.post(
        reverse("account_login"), {"login": user.email, "password": account_factories.PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    return browser


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


@pytest.mark.parametrize("engine", SESSION_ENGINES)
def test_deleting_the_account_removes_cached_result_pages_and_every_session(
    settings, shared_cache, small_catalogue, user, engine
):
    """A result page in the cache and a session in another browser are both gone afterwards."""
    settings.SESSION_ENGINE = engine
    laptop = browser_logged_in(user)
    phone = browser_logged_in(user, REMOTE_ADDR="198.51.100.7")
    complete(laptop, start(laptop), {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    result = Result.objects.get(user=user)
    assert phone.get(reverse("result_detail", args=[result.pk])).status_code == HTTPStatus.OK
    assert shared_cache.get(language_key(result.body_cache_key, "en-gb")) is not None
    assert (
        caches["pages"].get(language_key(result.body_cache_key, "en-gb")) is not None
    )  # this process's copy
    phone_key = phone.session.session_key
    assert session_exists(phone_key)

    response = laptop.post(
        reverse("account_delete"), {"password": account_factories.PASSWORD, "confirm": "on"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert shared_cache.get(language_key(result.body_cache_key, "en-gb")) is None
    assert caches["pages"].get(language_key(result.body_cache_key, "en-gb")) is None
    assert not session_exists(phone_key)
    model = import_module(engine).SessionStore.get_model_class()
    assert not model.objects.filter(session_key=phone_key).exists()
    assert not shared_cache.get(f"django.contrib.sessions.cached_db{phone_key}")
    dashboard = phone.get(reverse("dashboard"))
    assert dashboard.status_code == HTTPStatus.FOUND
    assert dashboard.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("engine", SESSION_ENGINES)
def test_ending_the_persons_sessions_leaves_other_peoples_alone(
    settings, shared_cache, user, other_user, engine
):
    """Only the deleted person's sessions end: another person stays logged in."""
    settings.SESSION_ENGINE = engine
    browser_logged_in(user)
    browser_logged_in(user, REMOTE_ADDR="198.51.100.7")
    theirs = browser_logged_in(other_user)

    assert services.sessions_delete(user=user) == 2

    assert session_exists(theirs.session.session_key)
    assert theirs.get(reverse("dashboard")).status_code == HTTPStatus.OK
