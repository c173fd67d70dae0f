"""The request body limit: too large a body is refused with 413 before anything parses it."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test.client import ClientHandler
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = settings.CAREERPATH_MAX_REQUEST_BODY
PASSWORD = "a long enough passphrase 4417"


def signup_fields(email: str = "newcomer@example.org") -> dict[str, str]:
    return {"email": email, "password1": PASSWORD, "password2": PASSWORD}


def users() -> int:
    return get_user_model().objects.count()


class EndlessBody(io.RawIOBase):
    """A chunked request body that never ends, counting what was read of it."""

    def __init__(self, total: int | None = None) -> None:
        self.read_bytes = 0
        self.total = total

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "the whole body was asked for"
        if self.total is not None:
            size = min(size, self.total - self.read_bytes)
        self.read_bytes += size
        return b"a" * size


def post_raw(path: str, body: io.RawIOBase, **meta: str):
    """POST ``body`` through the WSGI handler with the given headers (no Content-Length unless given)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "wsgi.multiprocess": False,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
        **meta,
    }
    return ClientHandler()(environ)


def test_the_limit_is_one_megabyte_and_bounds_form_parsing_too():
    """One limit for the middleware and for Django's own form parsing."""
    assert LIMIT == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == LIMIT
    assert settings.MIDDLEWARE.index("careerpath.middleware.RequestBodyLimitMiddleware") <= 1


def test_a_plain_form_body_over_the_limit_gets_413_and_changes_nothing(client):
    """A sign-up padded past the limit is refused with a short page and creates no account."""
    before = users()
    fields = signup_fields() | {"padding": "x" * LIMIT}

    response = client.post(reverse("account_signup"), fields)

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "Request too large" in response.content.decode()
    assert "1.0\xa0MB" in response.content.decode()
    assert len(response.content) < 2000
    assert users() == before


def test_the_413_page_carries_the_pages_security_headers(client):
    """The refusal short-circuits the middleware that adds CSP and X-Frame-Options, so it adds them itself."""
    response = client.post(reverse("account_signup"), {"padding": "x" * LIMIT})

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response["Content-Security-Policy"] == client.get(reverse("home"))["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_multipart_body_over_the_limit_gets_413_and_changes_nothing(client):
    """An upload (no page takes one) past the limit is refused before the multipart parser runs."""
    before = users()
    fields = signup_fields() | {"file": io.BytesIO(b"x" * (LIMIT + 1))}

    response = client.post(reverse("account_signup"), fields)

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert users() == before


def test_a_body_under_the_limit_goes_through(client):
    """A sign-up of ordinary size is served as usual."""
    response = client.post(reverse("account_signup"), signup_fields() | {"padding": "x" * 1000})

    assert response.status_code == HTTPStatus.FOUND
    assert get_user_model().objects.filter(email="newcomer@example.org").exists()


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body():
    """A Content-Length past the limit is enough: the body is not read at all."""
    body = EndlessBody()
    response = post_raw(reverse("account_signup"), body, CONTENT_LENGTH=str(LIMIT + 1))

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert body.read_bytes == 0


def test_a_chunked_body_over_the_limit_is_refused_after_reading_one_byte_past_it():
    """Without Content-Length, an endless body is read up to limit + 1 bytes, then refused."""
    before = users()
    body = EndlessBody()

    response = post_raw(reverse("account_signup"), body, HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert body.read_bytes == LIMIT + 1
    assert users() == before


def test_a_chunked_body_under_the_limit_goes_through():
    """A small chunked body is not refused."""
    body = EndlessBody(total=100)

    response = post_raw(reverse("account_signup"), body, HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code != HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert body.read_bytes == 100
