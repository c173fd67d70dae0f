"""The privacy page: what is stored, for how long, and how to export or delete it."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_privacy_page_says_what_is_stored_for_how_long_and_how_to_remove_it(client):
    response = client.get(reverse("privacy"))

    assert response.status_code == HTTPStatus.OK
    text = " ".join(response.content.decode().split())
    for stored in ("account", "ratings", "answers", "result", "plan", "notes", "study time", "weekly e-mail"):
        assert stored in text, stored
    assert "until you delete it" in text
    assert "7 days" in text
    assert "its lifetime" in text
    assert f'href="{reverse("account_data")}"' in text
    assert f'href="{reverse("account_delete")}"' in text


def test_every_page_links_to_the_privacy_page_from_the_footer(client):
    body = client.get(reverse("home")).content.decode()
    footer = body[body.index("<footer") :]

    assert f'href="{reverse("privacy")}"' in footer
