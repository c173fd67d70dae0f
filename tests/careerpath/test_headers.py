"""Static files served by WhiteNoise carry the same security headers as pages."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options")


@pytest.fixture
def static_client():
    """WhiteNoise serving straight from the source folders (as under DEBUG), through the WSGI app."""
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        yield Client()  # a new client builds its middleware, WhiteNoise included, with these settings


@pytest.mark.parametrize("path", ["/static/css/careerpath.css", "/static/favicon.svg"])
def test_static_files_carry_the_pages_security_headers(static_client, path):
    """CSP, X-Frame-Options, Referrer-Policy and nosniff on a static file equal those on a page."""
    page = static_client.get(reverse("home"))
    static = static_client.get(path)

    assert static.status_code == HTTPStatus.OK
    assert "streaming_content" in static.__dict__ or static.streaming, "served by WhiteNoise"
    for name in SECURITY_HEADERS:
        assert page.has_header(name), name
        assert static[name] == page[name], name


def test_the_static_policy_follows_the_settings(static_client, settings):
    """The headers are read from the settings that produce them on pages (django-csp's policy here)."""
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert Client().get("/static/css/careerpath.css")["Content-Security-Policy"] == "default-src 'none'"
