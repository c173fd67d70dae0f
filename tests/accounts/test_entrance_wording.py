"""One wording for the way in everywhere: "Log in", "Sign up", "Log out"; never allauth's "Sign In"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OTHER_WORDING = re.compile(r"sign[ -]?in|sign[ -]?out|signup\b", re.IGNORECASE)


def _text(response) -> str:
    """The page as shown: no tags, comments or URLs (``/accounts/signup/`` is not wording)."""
    html = re.sub(r"<!--.*?-->|<[^>]+>", " ", response.content.decode(), flags=re.DOTALL)
    return " ".join(html.split())


def test_the_log_in_page_says_log_in(client):
    response = client.get(reverse("account_login"))
    text = _text(response)
    assert "<title>Log in" in response.content.decode()
    assert "Log in" in text and "Sign up" in text
    assert not OTHER_WORDING.search(text), OTHER_WORDING.search(text)
    assert re.search(r"<button[^>]*>\s*Log in\s*</button>", response.content.decode())


def test_the_sign_up_page_says_sign_up_and_log_in(client):
    response = client.get(reverse("account_signup"))
    text = _text(response)
    assert "<title>Sign up" in response.content.decode()
    assert "Already have an account? Log in" in text
    assert re.search(r"<button[^>]*>\s*Sign up\s*</button>", response.content.decode())
    assert not OTHER_WORDING.search(text), OTHER_WORDING.search(text)


def test_the_log_out_page_says_log_out(user_client):
    text = _text(user_client.get(reverse("account_logout")))
    assert "Are you sure you want to log out?" in text
    assert not OTHER_WORDING.search(text), OTHER_WORDING.search(text)
