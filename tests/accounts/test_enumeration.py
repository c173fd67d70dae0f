"""Sign-up, log-in and password reset give away nothing about which addresses have an account.

E-mail verification is mandatory here, as production insists (allauth can only keep sign-up quiet so).
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts import factories as account_factories

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody.here@learners.careerpath.test"
PASSWORD = "lantern-orbit-gravel-quietly"
# The form's hidden field and the htmx header (in <body hx-headers>) carry a new token each visit.
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')


@pytest.fixture(autouse=True)
def _verification_mandatory(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_PREVENT_ENUMERATION = True


def answer(url: str, data: dict[str, str], address: str) -> tuple[int, str, str]:
    """Status, redirect and page text of a fresh visitor's POST, the typed address and CSRF token blanked."""
    client = Client()
    response = client.post(url, data)
    location = response.get("Location", "")
    page = client.get(location) if response.status_code == HTTPStatus.FOUND else response
    text = CSRF_TOKEN.sub("", page.content.decode()).replace(address, "ADDRESS")
    return response.status_code, location, text


def test_sign_up_answers_the_same_for_a_known_and_an_unknown_address(user):
    """A taken address gets the same page as a new one; its owner gets an e-mail saying so."""

    def sign_up(address):
        form = {"email": address, "password1": PASSWORD, "password2": PASSWORD}
        return answer(reverse("account_signup"), form, address)

    known, unknown = sign_up(user.email), sign_up(UNKNOWN)

    assert known[0] == unknown[0] == HTTPStatus.FOUND
    assert known[1] == unknown[1] == reverse("account_email_verification_sent")
    assert known[2] == unknown[2]
    assert [m.to for m in mail.outbox] == [[user.email], [UNKNOWN]]
    assert "already" in mail.outbox[0].body  # the owner learns someone tried their address


def test_a_failed_log_in_answers_the_same_for_a_known_and_an_unknown_address(user):
    """A wrong password for a real account reads exactly like any password for no account."""

    def log_in(address):
        return answer(reverse("account_login"), {"login": address, "password": "not-the-password"}, address)

    known, unknown = log_in(user.email), log_in(UNKNOWN)

    assert known[0] == unknown[0] == HTTPStatus.OK
    assert known[2] == unknown[2]
    assert "The email address and/or password you specified are not correct." in known[2]


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(user):
    """Both addresses get the "sent" page; only the real account's e-mail carries a reset link."""

    def reset(address):
        return answer(reverse("account_reset_password"), {"email": address}, address)

    known, unknown = reset(user.email), reset(UNKNOWN)

    assert known[0] == unknown[0] == HTTPStatus.FOUND
    assert known[1] == unknown[1] == reverse("account_reset_password_done")
    assert known[2] == unknown[2]
    assert [m.to for m in mail.outbox] == [[user.email], [UNKNOWN]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_a_new_account_logs_in_once_its_address_is_confirmed(client):
    """With verification mandatory, the link in the e-mail confirms the address and logs the person in."""
    response = client.post(
        reverse("account_signup"), {"email": UNKNOWN, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirmed = client.post(link.group(1))

    assert confirmed.status_code == HTTPStatus.FOUND
    assert confirmed.url == reverse("onboarding")
    assert "_auth_user_id" in client.session


def test_the_log_in_page_still_works_for_a_known_address(user):
    """The right password still logs in (nothing above is a blanket refusal)."""
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": account_factories.PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")
