"""The language middleware and the message storage: Django's behaviour, with less done per request.

careerpath.middleware.LocaleMiddleware skips Django's search for a language prefix in the path
when the URLs have none; careerpath.message_storage.LazyFallbackStorage makes Django's two message
stores only when a message is added or read. Both must be indistinguishable from Django's own.
"""

from __future__ import annotations

import itertools
import random
from http import HTTPStatus

import pytest
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.test import RequestFactory
from django.urls import path
from django.utils import translation

from careerpath.message_storage import LazyFallbackStorage
from careerpath.middleware import LocaleMiddleware

# A URLconf with language prefixes, which careerpath's own URLs do not use: there, Django's code runs.
urlpatterns = i18n_patterns(
    path("page/", lambda request: HttpResponse("a page")), prefix_default_language=True
)
PREFIXED = __name__

PATHS = ["/healthz", "/roadmap/", "/hi/", "/hi/roadmap/", "/en-gb/page/", "/page/", "/fr/x"]
COOKIES = [None, "hi", "en-gb", "fr"]
ACCEPT = [None, "hi", "en-US,en;q=0.8", "fr-FR", "hi-IN,hi;q=0.9"]
STATUSES = [HTTPStatus.OK, HTTPStatus.NOT_FOUND]


def _through(middleware_class, request, status):
    """The language a middleware chose for ``request`` and the response headers it set."""

    def view(request):
        chosen = (request.LANGUAGE_CODE, translation.get_language())
        response = HttpResponse("x") if status == HTTPStatus.OK else HttpResponseNotFound("x")
        response.chosen = chosen
        return response

    with translation.override(None):
        response = middleware_class(view)(request)
        return (
            response.status_code,
            getattr(response, "chosen", None),
            response.get("Vary"),
            response.get("Content-Language"),
            response.get("Location"),
        )


def _request(path_, cookie, accept, urlconf=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    request = RequestFactory().get(path_, **headers)
    if cookie:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    if urlconf:
        request.urlconf = urlconf
    return request


@pytest.mark.parametrize("urlconf", [None, PREFIXED], ids=["careerpath's URLs", "prefixed URLs"])
def test_the_language_and_headers_are_djangos(urlconf):
    compared = 0
    for path_, cookie, accept, status in itertools.product(PATHS, COOKIES, ACCEPT, STATUSES):
        ours = _through(LocaleMiddleware, _request(path_, cookie, accept, urlconf), status)
        django = _through(DjangoLocaleMiddleware, _request(path_, cookie, accept, urlconf), status)
        assert ours == django, (path_, cookie, accept, status)
        compared += 1
    assert compared == len(PATHS) * len(COOKIES) * len(ACCEPT) * len(STATUSES)


def test_a_language_looking_path_does_not_choose_the_language_without_prefixed_urls(client):
    """The path "/hi/" is not a Hindi page: careerpath's language comes from the person, never the path."""
    response = client.get("/hi/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Language"] == "en-gb"


def test_after_the_response_the_default_language_is_back(client):
    client.get("/healthz", HTTP_ACCEPT_LANGUAGE="hi")
    assert translation.get_language() == settings.LANGUAGE_CODE


# --- messages ------------------------------------------------------------------------------------


def _message_request(cookies=None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.COOKIES.update(cookies or {})
    return request


def test_a_request_without_messages_makes_no_store_and_writes_nothing():
    request = _message_request()
    storage = LazyFallbackStorage(request)
    response = HttpResponse()

    storage.update(response)

    assert "storages" not in vars(storage)  # neither the cookie nor the session store was made
    assert response.cookies == {}
    assert dict(request.session) == {}


@pytest.mark.parametrize("count", [1, 3, 60], ids=["one", "a few", "too many for the cookie"])
def test_messages_travel_to_the_next_request_as_with_djangos_storage(count):
    rng = random.Random(count)  # text that does not compress, so the cookie fills
    texts = [f"Saved step {n}: {rng.randbytes(40).hex()}" for n in range(count)]
    shown = {}
    for storage_class in (LazyFallbackStorage, FallbackStorage):
        first = _message_request()
        storage = storage_class(first)
        for text in texts:
            storage.add(messages.SUCCESS, text)
        response = HttpResponse()
        storage.update(response)
        cookies = {name: morsel.value for name, morsel in response.cookies.items() if morsel.value}

        second = _message_request(cookies)
        second.session = first.session  # the same person's session
        shown[storage_class] = [m.message for m in storage_class(second)]
    assert shown[LazyFallbackStorage] == shown[FallbackStorage] == texts
    if count == 60:  # the cookie holds what fits, the session the rest
        assert CookieStorage.cookie_name in cookies
        assert "_messages" in first.session


def test_a_message_added_before_a_redirect_is_shown_on_the_next_page(client, django_user_model):
    user = django_user_model.objects.create_user("messaged", "messaged@example.org", "a long passphrase 9912")
    client.force_login(user)
    response = client.post("/roadmap/replan/", follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "Re-planned from today" in response.content.decode()
    assert "Re-planned from today" not in client.get("/roadmap/").content.decode()  # shown once
