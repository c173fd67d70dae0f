"""The signed-in person is read from a copy kept beside the sessions, which every write retires."""

from __future__ import annotations

import pytest
from django.contrib.auth import HASH_SESSION_KEY, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import signed_in
from tests.accounts import factories as account_factories

pytestmark = pytest.mark.django_db

User = get_user_model()


def account_queries(client, name: str = "how_we_score") -> tuple[int, object]:
    """The page's response and how many of its queries read the account table."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
    read = f'FROM "{User._meta.db_table}" WHERE'
    return sum(read in query["sql"] for query in captured.captured_queries), response


def copy_of(client):
    """What is kept for the client's session."""
    return signed_in.store().get(signed_in.key(client.session.session_key))


def assert_signed_out(response) -> None:
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.fixture
def kept(django_capture_on_commit_callbacks):
    """Run each page as production does: what waits for the transaction's commit happens."""

    def get(client, name: str = "how_we_score"):
        with django_capture_on_commit_callbacks(execute=True):
            return account_queries(client, name)

    return get


def test_the_second_page_reads_no_account_row(client, kept):
    person = account_factories.UserFactory()
    client.force_login(person)
    first, _ = kept(client)
    second, response = kept(client, "dashboard")
    assert first == 1
    assert second == 0
    assert response.status_code == 200
    assert response.context["user"].pk == person.pk
    assert response.context["user"].email == person.email


def test_the_copy_holds_no_password_and_reading_it_loads_the_password(client, kept):
    person = account_factories.UserFactory()
    client.force_login(person)
    kept(client)
    copy = copy_of(client)
    assert person.password not in copy
    request = client.get(reverse("how_we_score")).wsgi_request
    assert request.user.check_password(account_factories.PASSWORD)


def test_a_copy_is_kept_only_once_the_reading_transaction_commits(client):
    person = account_factories.UserFactory()
    client.force_login(person)
    client.get(reverse("how_we_score"))  # the test's transaction never commits
    assert copy_of(client) is None


@pytest.mark.parametrize(
    "write",
    [
        lambda person: (setattr(person, "is_active", False), person.save()),
        lambda person: User.objects.filter(pk=person.pk).update(is_active=False),
        lambda person: (
            setattr(person, "is_active", False),
            User.objects.bulk_update([person], ["is_active"]),
        ),
        lambda person: person.delete(),
        lambda person: (person.set_password("another-long-passphrase-42"), person.save()),
    ],
    ids=["save", "update", "bulk_update", "delete", "new-password"],
)
def test_an_account_closed_or_changed_elsewhere_is_signed_out_on_its_next_page(client, kept, write):
    person = account_factories.UserFactory()
    client.force_login(person)
    kept(client)
    kept(client)
    write(person)
    assert_signed_out(client.get(reverse("dashboard")))


def test_a_session_with_another_hash_never_uses_the_copy(client, kept):
    person = account_factories.UserFactory()
    client.force_login(person)
    kept(client)
    session = client.session
    session[HASH_SESSION_KEY] = "not-the-hash"
    session.save()
    queries, response = account_queries(client, "dashboard")
    assert queries == 1  # Django's own check, which ends the session
    assert_signed_out(response)


def test_a_staff_change_shows_at_once(client, kept):
    person = account_factories.UserFactory()
    client.force_login(person)
    _, response = kept(client)
    assert reverse("admin:index") not in response.content.decode()
    User.objects.filter(pk=person.pk).update(is_staff=True)
    _, response = kept(client)
    assert reverse("admin:index") in response.content.decode()
    _, response = kept(client)  # and the new copy says so too
    assert reverse("admin:index") in response.content.decode()


def test_a_copy_read_before_a_write_is_not_put_back_after_it(client, django_capture_on_commit_callbacks):
    person = account_factories.UserFactory()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        stale = User.objects.get(pk=person.pk)  # read before the write...
        User.objects.filter(pk=person.pk).update(email="new@learners.careerpath.test")
        signed_in.keep(stale, client.session, client.session[HASH_SESSION_KEY])  # ...kept after it: refused
    assert copy_of(client) == signed_in.RETIRED
    response = client.get(reverse("how_we_score"))
    assert response.wsgi_request.user.email == "new@learners.careerpath.test"


def test_an_account_edited_outside_the_orm_shows_within_the_copys_lifetime(client, kept, monkeypatch):
    person = account_factories.UserFactory()
    client.force_login(person)
    kept(client)
    with connection.cursor() as cursor:  # no signal: the copy is not retired
        cursor.execute(
            f"UPDATE {User._meta.db_table} SET email = %s WHERE id = %s", ["sql@x.test", person.pk]
        )
    _, response = kept(client)
    assert response.wsgi_request.user.email == person.email
    import time

    from django.core.cache.backends import locmem

    later = time.time() + signed_in.KEPT_SECONDS + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    _, response = kept(client)
    assert response.wsgi_request.user.email == "sql@x.test"


def test_forget_signed_in_retires_every_copy(client, kept):
    from django.core.management import call_command

    person = account_factories.UserFactory()
    client.force_login(person)
    kept(client)  # kept, then edited behind the ORM's back
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {User._meta.db_table} SET is_active = %s WHERE id = %s", [False, person.pk])
    assert kept(client)[1].status_code == 200
    call_command("forget_signed_in", verbosity=0)
    assert_signed_out(client.get(reverse("dashboard")))


def test_a_copy_made_with_other_columns_is_never_read(client, kept, monkeypatch):
    """The copy is the account's columns in order: after a migration changes them, older copies
    are not looked up (their key names the columns), so no value lands in the wrong field."""
    person = account_factories.UserFactory()
    client.force_login(person)
    kept(client)
    assert copy_of(client) is not None
    renamed = tuple(reversed(signed_in._fields()))
    signed_in._key_prefix.cache_clear()
    monkeypatch.setattr(signed_in, "_fields", lambda: renamed)
    try:
        assert copy_of(client) is None
    finally:
        signed_in._key_prefix.cache_clear()
