"""The session engine: Django's cached_db, each stored session indexed by its account, and the
signed-in person's kept copy read together with the session's data."""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoDatabaseStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import signed_in
from accounts.models import Session
from tests.accounts import factories as account_factories

pytestmark = pytest.mark.django_db

migration = import_module("accounts.migrations.0007_session_indexed_by_account")


def test_the_settings_use_the_indexed_engine():
    assert settings.SESSION_ENGINE == "accounts.sessions"


def test_a_stored_session_says_whose_it_is(client):
    person = account_factories.UserFactory()
    client.force_login(person)
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.account_id == person.pk
    anonymous = Client()
    anonymous.get(reverse("account_login"))
    session = anonymous.session
    session["seen"] = True
    session.save()
    assert Session.objects.get(session_key=session.session_key).account_id is None


def test_a_warm_page_asks_the_cache_once_for_the_session_and_the_person(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    person = account_factories.UserFactory()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("how_we_score"))
    calls = []
    cache = signed_in.store()
    real_get_many = cache.get_many

    def counted_get_many(keys, *args, **kwargs):
        calls.append(tuple(keys))
        return real_get_many(keys, *args, **kwargs)

    def refused_get(*args, **kwargs):
        raise AssertionError("a second trip to the cache")

    monkeypatch.setattr(cache, "get_many", counted_get_many)
    monkeypatch.setattr(cache, "get", refused_get)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == person.pk
    assert len(calls) == 1 and signed_in.key(client.session.session_key) in calls[0]


def test_moving_the_stored_sessions_keeps_everyone_signed_in(client):
    """The migration moves Django's stored sessions into the indexed table, as they were."""
    person = account_factories.UserFactory()
    client.force_login(person)
    key = client.session.session_key
    data = Session.objects.get(session_key=key)
    # The session as Django's engine stored it before the migration.
    Session.objects.filter(session_key=key).delete()
    DjangoSession.objects.create(
        session_key=key, session_data=data.session_data, expire_date=data.expire_date
    )
    visitor = DjangoDatabaseStore()
    visitor["seen"] = True
    visitor.save()

    editor = SimpleNamespace(connection=connection)
    migration.forwards(apps, editor)

    assert not DjangoSession.objects.exists()
    moved = Session.objects.get(session_key=key)
    assert (moved.session_data, moved.expire_date, moved.account_id) == (
        data.session_data,
        data.expire_date,
        person.pk,
    )
    assert Session.objects.get(session_key=visitor.session_key).account_id is None
    # Nothing from before in the cache: the next page reads the moved row.
    signed_in.store().delete_many([f"django.contrib.sessions.cached_db{key}", signed_in.key(key)])
    assert client.get(reverse("dashboard")).status_code == 200

    migration.backwards(apps, editor)
    assert not Session.objects.exists()
    assert DjangoSession.objects.get(session_key=key).session_data == data.session_data


def test_clearsessions_removes_the_expired_sessions_of_this_engine(client):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    person = account_factories.UserFactory()
    client.force_login(person)
    live = client.session.session_key
    expired = Session.objects.create(
        session_key="expired-session-key", session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    call_command("clearsessions")
    assert not Session.objects.filter(pk=expired.pk).exists()
    assert Session.objects.filter(session_key=live).exists()
