"""The authentication backends read the logged-in person as Django's would, in one compiled query."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from tests.accounts import factories as account_factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_the_person_read_is_the_orms_and_an_inactive_or_unknown_one_is_none(backend):
    person = account_factories.UserFactory()
    with CaptureQueriesContext(connection) as captured:
        read = backend.get_user(person.pk)
    assert len(captured.captured_queries) == 1
    expected = get_user_model().objects.get(pk=person.pk)
    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert backend.get_user(person.pk + 10_000) is None
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    assert backend.get_user(person.pk) is None


def test_a_logged_in_person_stays_logged_in_until_their_password_changes(client):
    person = account_factories.UserFactory()
    client.force_login(person)
    assert settings.AUTHENTICATION_BACKENDS[0] == "accounts.backends.ModelBackend"
    assert client.get(reverse("dashboard")).status_code == 200
    person.set_password("another-long-passphrase-42")
    person.save()
    response = client.get(reverse("dashboard"))  # the session's hash no longer matches: logged out
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
