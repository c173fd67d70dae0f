"""A page's CSRF token (catalogue/csrf.py): Django's, with its randomness drawn in one read.

What a person would notice if it went wrong: a form refused with "CSRF verification failed", or a
token that repeats (which would defeat the masking that keeps it from being read off compressed
pages). The token must be exactly what Django's own middleware accepts.
"""

from __future__ import annotations

import collections
import re
from unittest import mock

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from catalogue import csrf
from tests.accounts import factories as account_factories

SECRETS = st.text(alphabet=django_csrf.CSRF_ALLOWED_CHARS, min_size=32, max_size=32)
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@given(SECRETS)
def test_a_token_unmasks_to_the_request_s_secret(secret):
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    token = csrf.get_token(request)
    assert len(token) == django_csrf.CSRF_TOKEN_LENGTH
    django_csrf._check_token_format(token)  # Django's own format check: raises if wrong
    assert django_csrf._unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # the cookie is sent (its age renewed)


def test_a_request_without_a_secret_gets_a_new_one_to_send():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == django_csrf.CSRF_SECRET_LENGTH
    assert set(secret) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    assert django_csrf._unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert csrf.get_token(RequestFactory().get("/")) != token  # every visitor gets a secret of their own


def test_each_token_is_masked_afresh():
    request = RequestFactory().get("/")
    tokens = {csrf.get_token(request) for _ in range(200)}
    assert len(tokens) == 200
    assert {django_csrf._unmask_cipher_token(token) for token in tokens} == {request.META["CSRF_COOKIE"]}


def test_the_characters_are_drawn_uniformly():
    """Every character of the alphabet as often as the others (no modulo bias toward the first ones)."""
    draws = 62 * 2000
    counts = collections.Counter(csrf.random_string(draws))
    assert set(counts) == set(django_csrf.CSRF_ALLOWED_CHARS)
    expected = draws / 62
    chi_square = sum((count - expected) ** 2 / expected for count in counts.values())
    assert chi_square < 130  # 61 degrees of freedom: above 130 happens by chance about once in a billion runs


@pytest.mark.parametrize("length", [0, 1, 32, 100])
def test_a_random_string_has_the_length_asked(length):
    assert len(csrf.random_string(length)) == length


@pytest.mark.django_db
def test_a_form_s_token_is_accepted_by_django_s_middleware():
    """The log-in form's token, posted back, passes Django's check (and a tampered one does not)."""
    person = account_factories.UserFactory()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("account_login"))
    token = FORM_TOKEN.search(page.content.decode()).group(1)
    assert django_csrf._unmask_cipher_token(token) == page.cookies["csrftoken"].value

    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    refused = browser.post(
        reverse("account_login"),
        {"csrfmiddlewaretoken": tampered, "login": person.email, "password": account_factories.PASSWORD},
    )
    assert refused.status_code == 403

    accepted = browser.post(
        reverse("account_login"),
        {"csrfmiddlewaretoken": token, "login": person.email, "password": account_factories.PASSWORD},
    )
    assert accepted.status_code == 302
    assert int(browser.session["_auth_user_id"]) == person.pk


@pytest.mark.django_db
def test_a_signed_in_page_s_log_out_form_and_htmx_header_carry_a_valid_token(client):
    person = account_factories.UserFactory()
    client.force_login(person)
    client.cookies["csrftoken"] = "S" * 32
    page = client.get(reverse("how_we_score")).content.decode()
    tokens = FORM_TOKEN.findall(page) + re.findall(r'"X-CSRFToken": "([^"]+)"', page)
    assert len(tokens) >= 2
    assert {django_csrf._unmask_cipher_token(token) for token in tokens} == {"S" * 32}


@pytest.mark.django_db
def test_pages_take_their_token_from_this_module(client):
    """The settings put catalogue.csrf's processor after Django's built-in one, so it is the one used."""
    client.force_login(account_factories.UserFactory())
    with mock.patch("catalogue.csrf.get_token", wraps=csrf.get_token) as made:
        client.get(reverse("how_we_score"))
    assert made.call_count == 1
