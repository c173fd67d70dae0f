"""API request limits: per token, per person and per anonymous address, reads and writes apart;
beyond a limit a 429 with Retry-After. Through the throwaway API of tests/api/token_api.py."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from api import services, throttling
from tests.api.token_api import NOTES, PUBLIC, WHOAMI

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.token_api")]

HIGH = "1000/min"


def limits(**rates: str) -> dict[str, str]:
    """Every rate high but the ones given, so a test sees the limit it is about."""
    return {**dict.fromkeys(throttling.DEFAULT_RATES, HIGH), **rates}


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def assert_throttled(response) -> None:
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.json() == {"detail": "Too many requests."}
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60


def test_the_defaults_are_120_reads_and_30_writes_a_minute_per_token_and_per_person():
    assert throttling.DEFAULT_RATES["token_read"] == throttling.DEFAULT_RATES["person_read"] == "120/min"
    assert throttling.DEFAULT_RATES["token_write"] == throttling.DEFAULT_RATES["person_write"] == "30/min"
    parsed = throttling.TokenRateThrottle("read").parse_rate("120/min")
    assert parsed == (120, 60)


def test_a_token_beyond_its_read_limit_gets_429_with_retry_after(client, user, settings):
    settings.CAREERPATH_API_RATES = limits(token_read="3/min")
    _, secret = services.token_create(user=user, name="ro", scope="read")

    answers = [client.get(WHOAMI, **bearer(secret)).status_code for _ in range(3)]
    refused = client.get(WHOAMI, **bearer(secret))

    assert answers == [HTTPStatus.OK] * 3
    assert_throttled(refused)


def test_writes_and_reads_are_counted_apart(client, user, settings):
    settings.CAREERPATH_API_RATES = limits(token_write="2/min", person_write="2/min")
    _, secret = services.token_create(user=user, name="rw", scope="read-write")

    assert [client.post(NOTES, **bearer(secret)).status_code for _ in range(2)] == [HTTPStatus.OK] * 2
    assert_throttled(client.post(NOTES, **bearer(secret)))
    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK  # reads still go


def test_each_token_has_its_own_limit(client, user, settings):
    settings.CAREERPATH_API_RATES = limits(token_read="2/min")
    _, first = services.token_create(user=user, name="one", scope="read")
    _, second = services.token_create(user=user, name="two", scope="read")

    for _ in range(2):
        assert client.get(WHOAMI, **bearer(first)).status_code == HTTPStatus.OK
    assert_throttled(client.get(WHOAMI, **bearer(first)))

    assert client.get(WHOAMI, **bearer(second)).status_code == HTTPStatus.OK


def test_a_persons_tokens_and_session_share_the_persons_limit(user, other_user, settings):
    settings.CAREERPATH_API_RATES = limits(person_read="3/min")
    _, first = services.token_create(user=user, name="one", scope="read")
    _, second = services.token_create(user=user, name="two", scope="read")
    _, theirs = services.token_create(user=other_user, name="one", scope="read")
    client = Client()
    browser = Client()
    browser.force_login(user)

    assert client.get(WHOAMI, **bearer(first)).status_code == HTTPStatus.OK
    assert client.get(WHOAMI, **bearer(second)).status_code == HTTPStatus.OK
    assert browser.get(WHOAMI).status_code == HTTPStatus.OK
    for refused in (
        client.get(WHOAMI, **bearer(first)),
        client.get(WHOAMI, **bearer(second)),
        browser.get(WHOAMI),
    ):
        assert_throttled(refused)

    assert client.get(WHOAMI, **bearer(theirs)).status_code == HTTPStatus.OK  # another person's budget


def test_the_session_has_a_write_limit_too(user, settings):
    settings.CAREERPATH_API_RATES = limits(person_write="1/min")
    browser = Client()  # the test client skips CSRF checks unless asked
    browser.force_login(user)

    assert browser.post(NOTES).status_code == HTTPStatus.OK
    assert_throttled(browser.post(NOTES))


def test_anonymous_calls_are_limited_per_address(settings):
    settings.CAREERPATH_API_RATES = limits(anonymous_read="2/min")
    here, there = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="203.0.113.6")

    assert [here.get(PUBLIC).status_code for _ in range(2)] == [HTTPStatus.OK] * 2
    assert_throttled(here.get(PUBLIC))
    assert there.get(PUBLIC).status_code == HTTPStatus.OK


def test_a_made_up_forwarded_for_header_does_not_escape_the_anonymous_limit(settings):
    settings.CAREERPATH_API_RATES = limits(anonymous_read="2/min")
    settings.NINJA_NUM_PROXIES = 0  # no proxy in front: the header is the client's own
    client = Client(REMOTE_ADDR="203.0.113.5")

    for n in range(2):
        assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == HTTPStatus.OK
    assert_throttled(client.get(PUBLIC, HTTP_X_FORWARDED_FOR="198.51.100.99"))


def test_behind_the_proxy_the_address_it_appends_is_counted(settings):
    settings.CAREERPATH_API_RATES = limits(anonymous_read="1/min")
    settings.NINJA_NUM_PROXIES = 1
    client = Client(REMOTE_ADDR="10.0.0.2")  # the proxy

    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.5").status_code == HTTPStatus.OK
    assert_throttled(client.get(PUBLIC, HTTP_X_FORWARDED_FOR="other, 203.0.113.5"))
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == HTTPStatus.OK


def test_the_limit_frees_up_after_the_window(client, user, settings, monkeypatch):
    settings.CAREERPATH_API_RATES = limits(token_read="2/min")
    _, secret = services.token_create(user=user, name="ro", scope="read")
    clock = [1_000_000.0]
    monkeypatch.setattr(throttling.time, "time", lambda: clock[0])

    client.get(WHOAMI, **bearer(secret))
    clock[0] += 20
    client.get(WHOAMI, **bearer(secret))
    clock[0] += 10
    refused = client.get(WHOAMI, **bearer(secret))
    assert_throttled(refused)
    assert refused["Retry-After"] == "30"  # the first call leaves the window 60 s after it

    clock[0] += 30
    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK


def test_the_counts_live_in_the_shared_cache(client, user, settings, shared_cache):
    settings.CAREERPATH_API_RATES = limits(token_read="1/min")
    _, secret = services.token_create(user=user, name="ro", scope="read")

    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK
    assert_throttled(client.get(WHOAMI, **bearer(secret)))
    shared_cache.clear()
    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK


def test_refused_calls_do_not_push_the_limit_back(client, user, settings, monkeypatch):
    settings.CAREERPATH_API_RATES = limits(token_read="1/min")
    _, secret = services.token_create(user=user, name="ro", scope="read")
    clock = [1_000_000.0]
    monkeypatch.setattr(throttling.time, "time", lambda: clock[0])

    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK
    for waited, retry_after in ((10, "50"), (20, "30"), (29, "1")):
        clock[0] += waited
        refused = client.get(WHOAMI, **bearer(secret))
        assert_throttled(refused)
        assert refused["Retry-After"] == retry_after
    clock[0] += 1
    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK


def test_a_malformed_rate_fails_loudly():
    with pytest.raises(ValueError, match="Invalid rate"):
        throttling.TokenRateThrottle("read").parse_rate("lots")
