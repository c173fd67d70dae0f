"""One way in: staff log in to the admin through the site's log-in page, with its lock-out."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.accounts import factories as account_factories

pytestmark = pytest.mark.django_db

TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."


@pytest.fixture
def staff(db):
    return account_factories.UserFactory(is_staff=True, is_superuser=True)


def site_log_in(client, email, password=account_factories.PASSWORD, **extra):
    return client.post(
        reverse("account_login"), {"login": email, "password": password, "next": "/admin/"}, **extra
    )


def admin_log_in(client, user, password=account_factories.PASSWORD):
    """The admin's own form, as it was posted before (username and password)."""
    return client.post(
        reverse("admin:login"), {"username": user.username, "password": password, "next": "/admin/"}
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_sends_staff_to_the_sites_log_in_page_and_back(client, staff):
    """The admin asks for the site's log-in page, whose `next` brings staff back to the admin."""
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    response = site_log_in(client, staff.email)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/admin/"
    admin = client.get("/admin/")
    assert admin.status_code == HTTPStatus.OK
    assert "Site administration" in admin.content.decode()


def test_the_admins_own_form_logs_nobody_in(client, staff):
    """Even the right password, posted to the admin's form, only leads to the site's log-in page."""
    response = admin_log_in(client, staff)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert not is_logged_in(client)


def test_a_lock_out_on_the_site_also_refuses_the_admin_log_in(client, staff, shared_cache):
    """Five failures on the site's log-in page lock the account for the admin too, in any browser."""
    for _attempt in range(5):
        assert site_log_in(client, staff.email, "wrong-password-guess").status_code == HTTPStatus.OK

    assert admin_log_in(client, staff).status_code == HTTPStatus.FOUND
    assert not is_logged_in(client)
    locked = site_log_in(client, staff.email)
    assert locked.status_code == HTTPStatus.OK
    assert TOO_MANY_ATTEMPTS in locked.content.decode()
    other_browser = Client(REMOTE_ADDR="198.51.100.7")
    assert admin_log_in(other_browser, staff).status_code == HTTPStatus.FOUND
    assert TOO_MANY_ATTEMPTS in site_log_in(other_browser, staff.email).content.decode()
    for browser in (client, other_browser):
        assert not is_logged_in(browser)
        assert browser.get("/admin/").status_code == HTTPStatus.FOUND
    # The counter lives in the store every process shares, not in this process's memory.
    if isinstance(shared_cache, DatabaseCache):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(shared_cache._table)}")
            assert cursor.fetchone()[0] > 0


def test_the_lock_out_ends_and_staff_reach_the_admin_again(client, staff, shared_cache):
    """Once the counter is gone (the lock-out's window passed), the right password opens the admin."""
    for _attempt in range(5):
        site_log_in(client, staff.email, "wrong-password-guess")
    shared_cache.clear()

    response = site_log_in(client, staff.email)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == HTTPStatus.OK
