"""A local copy writes e-mail to outbox/ and says so on the "check your e-mail" pages, only then."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from careerpath.context_processors import FILE_BACKEND, mail_outbox

pytestmark = pytest.mark.django_db

NOTE = "it sends no e-mail"


@pytest.fixture
def file_mail(settings, tmp_path):
    """Mail written as files, as `make run` does (to a temporary folder here)."""
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


def test_the_outbox_is_named_relative_to_the_project(settings):
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = django_settings.BASE_DIR / "outbox"

    assert mail_outbox(RequestFactory().get("/")) == {"mail_outbox": "outbox/"}


def test_the_password_reset_page_points_to_the_outbox_holding_the_link(client, user, file_mail):
    """After asking for a reset, the page names the folder, and the file there holds the link."""
    response = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)

    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert NOTE in body
    assert f"<code>{file_mail}/</code>" in body
    written = "".join(path.read_text() for path in file_mail.iterdir())
    assert "/accounts/password/reset/key/" in written


def test_the_verification_sent_page_points_to_the_outbox(client, file_mail):
    response = client.get(reverse("account_email_verification_sent"))

    assert response.status_code == HTTPStatus.OK
    assert NOTE in response.content.decode()


@pytest.mark.parametrize("name", ["account_email_verification_sent", "account_reset_password_done"])
def test_no_note_when_mail_is_sent(client, name):
    """With mail really sent (locmem in tests, SMTP in production), the pages say nothing of a folder."""
    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    assert NOTE not in response.content.decode()


def test_no_note_in_production_even_with_file_mail(client, file_mail, settings):
    settings.PRODUCTION = True

    assert NOTE not in client.get(reverse("account_reset_password_done")).content.decode()
