"""Personal access tokens: the pages that create, show once, list and revoke them, and calling the
API with them (through the throwaway API of tests/api/token_api.py)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from api import auth, selectors, services
from api.models import AccessToken
from tests.accounts import factories as account_factories
from tests.api.token_api import NOTES, PUBLIC, WHOAMI

pytestmark = pytest.mark.django_db

API = "tests.api.token_api"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def create_through_page(client: Client, name: str = "laptop script", scope: str = "read"):
    return client.post(reverse("api_tokens"), {"name": name, "scope": scope})


# --- the pages ----------------------------------------------------------------------------------


def test_a_created_token_is_shown_once_and_then_only_its_prefix(user_client, user, caplog):
    response = create_through_page(user_client, "laptop script", "read-write")

    assert response.status_code == HTTPStatus.OK
    token = AccessToken.objects.get(user=user)
    assert (token.name, token.scope, token.revoked_at) == ("laptop script", "read-write", None)
    body = response.content.decode()
    shown = body.split('id="new-token" type="text" value="')[1].split('"')[0]
    assert shown.startswith(f"{token.prefix}") and len(shown) > len(token.prefix) + 20
    assert selectors.token_authenticate(secret=shown) == token
    assert "no-store" in response["Cache-Control"]

    again = user_client.get(reverse("api_tokens"))
    text = again.content.decode()
    assert shown not in text
    assert token.prefix in text and "laptop script" in text and "Read and write" in text
    assert all(shown not in str(value) for value in user_client.session.values())
    assert all(shown not in record.getMessage() for record in caplog.records)


def test_the_stored_value_is_a_hash_not_the_token(user):
    token, secret = services.token_create(user=user, name="ci", scope="read")
    stored = AccessToken.objects.filter(pk=token.pk).values().get()
    assert secret not in [str(value) for value in stored.values()]
    assert all(secret not in str(value) for value in stored.values() if value is not None)
    assert stored["token_hash"] == selectors.token_hash(secret) and len(stored["token_hash"]) == 64
    assert secret.startswith("cp_") and len(secret) >= 43
    assert stored["prefix"] == secret[:11]


def test_each_token_is_different(user):
    secrets_made = {services.token_create(user=user, name=f"t{n}", scope="read")[1] for n in range(5)}
    assert len(secrets_made) == 5


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "", "scope": "read"}, "name", "Give the token a name"),
        ({"name": "   ", "scope": "read"}, "name", "Give the token a name"),
        ({"name": "x" * 61, "scope": "read"}, "name", "60 characters or fewer"),
        ({"name": "ok", "scope": "admin"}, "scope", "Choose what the token may do"),
        ({"name": "ok"}, "scope", "Choose what the token may do"),
    ],
)
def test_bad_input_is_shown_again_with_a_message_and_nothing_is_written(user_client, data, field, message):
    response = user_client.post(reverse("api_tokens"), data)

    assert response.status_code == HTTPStatus.OK
    assert AccessToken.objects.count() == 0
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert 'id="new-token"' not in response.content.decode()
    if data.get("name", "").strip():
        assert f'value="{data["name"]}"' in response.content.decode()


def test_a_name_already_in_use_is_refused_and_shown_again(user_client, user):
    services.token_create(user=user, name="Laptop", scope="read")

    response = create_through_page(user_client, "laptop", "read-write")

    assert AccessToken.objects.filter(user=user).count() == 1
    assert "already have a token named" in response.content.decode()
    body = response.content.decode()
    assert 'value="laptop"' in body
    assert re.search(r'<input[^>]*value="read-write"[^>]*checked', body)


def test_a_revoked_tokens_name_may_be_used_again_and_another_persons_names_are_theirs(user, other_user):
    token, _ = services.token_create(user=user, name="laptop", scope="read")
    services.token_create(user=other_user, name="laptop", scope="read")
    services.token_revoke(token=token)
    again, _ = services.token_create(user=user, name="laptop", scope="read")
    assert again.pk != token.pk


def test_the_number_of_active_tokens_is_limited_with_a_clear_message(user_client, user):
    for n in range(services.MAX_ACTIVE_TOKENS):
        services.token_create(user=user, name=f"token {n}", scope="read")

    response = create_through_page(user_client, "one too many")

    assert AccessToken.objects.filter(user=user).count() == services.MAX_ACTIVE_TOKENS
    assert f"You already have {services.MAX_ACTIVE_TOKENS} active tokens" in response.content.decode()
    services.token_revoke(token=AccessToken.objects.filter(user=user).first())
    create_through_page(user_client, "one too many")
    assert (
        AccessToken.objects.filter(user=user, revoked_at__isnull=True).count() == services.MAX_ACTIVE_TOKENS
    )


def test_the_page_lists_only_the_persons_active_tokens(user_client, user, other_user):
    services.token_create(user=user, name="mine", scope="read")
    gone, _ = services.token_create(user=user, name="gone", scope="read")
    services.token_revoke(token=gone)
    services.token_create(user=other_user, name="theirs", scope="read")

    text = user_client.get(reverse("api_tokens")).content.decode()

    assert "mine" in text and "gone" not in text and "theirs" not in text


def test_revoking_asks_to_confirm_then_revokes(user_client, user):
    token, secret = services.token_create(user=user, name="old", scope="read")
    url = reverse("api_token_revoke", args=[token.pk])

    confirm = user_client.get(url)
    assert confirm.status_code == HTTPStatus.OK
    assert "Revoke this token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    response = user_client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert selectors.token_authenticate(secret=secret) is None
    assert user_client.post(url).status_code == HTTPStatus.NOT_FOUND  # already revoked


def test_another_persons_token_is_a_404_and_stays_active(client, user, other_user):
    token, _ = services.token_create(user=user, name="mine", scope="read")
    client.force_login(other_user)
    url = reverse("api_token_revoke", args=[token.pk])

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_pages_need_a_log_in(client, user):
    token, _ = services.token_create(user=user, name="mine", scope="read")
    for url in (reverse("api_tokens"), reverse("api_token_revoke", args=[token.pk])):
        for method in (client.get, client.post):
            response = method(url, {"name": "x", "scope": "read"})
            assert response.status_code == HTTPStatus.FOUND
            assert response.url.startswith(reverse("account_login"))
    assert AccessToken.objects.count() == 1


def test_the_profile_page_links_to_the_tokens_page(user_client):
    assert f'href="{reverse("api_tokens")}"' in user_client.get(reverse("profile")).content.decode()


def test_deleting_the_account_deletes_its_tokens(user, other_user):
    services.token_create(user=user, name="a", scope="read")
    services.token_create(user=user, name="b", scope="read-write")
    services.token_create(user=other_user, name="a", scope="read")

    account_services.account_delete(user=user)

    assert list(AccessToken.objects.values_list("user", flat=True)) == [other_user.pk]


def test_the_data_download_lists_the_tokens_without_secrets(user_client, user):
    _, secret = services.token_create(user=user, name="ci", scope="read")
    body = user_client.get(reverse("account_data")).content.decode()
    assert '"ci"' in body and secret[:11] in body
    assert secret not in body and selectors.token_hash(secret) not in body


def test_the_admin_shows_no_secret_and_revokes(client, user):
    staff = account_factories.UserFactory(is_staff=True, is_superuser=True)
    token, secret = services.token_create(user=user, name="ci", scope="read")
    client.force_login(staff)

    listing = client.get(reverse("admin:api_accesstoken_changelist")).content.decode()
    detail = client.get(reverse("admin:api_accesstoken_change", args=[token.pk])).content.decode()
    assert "ci" in listing
    for text in (listing, detail):
        assert secret not in text and token.token_hash not in text
    assert not admin.site._registry[AccessToken].has_add_permission(None)  # type: ignore[arg-type]

    client.post(
        reverse("admin:api_accesstoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- calling the API with a token -----------------------------------------------------------------


@pytest.mark.urls(API)
def test_a_token_authenticates_its_person_without_csrf(user):
    token, secret = services.token_create(user=user, name="rw", scope="read-write")
    client = Client(enforce_csrf_checks=True)

    read = client.get(WHOAMI, **bearer(secret))
    write = client.post(NOTES, **bearer(secret))

    assert read.status_code == HTTPStatus.OK
    assert read.json() == {"user": user.pk, "token": token.pk}
    assert write.status_code == HTTPStatus.OK
    assert write.json() == {"written": True, "user": user.pk}


@pytest.mark.urls(API)
@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer cp_not-a-real-token-at-all-but-long-enough-to-look",
        "Token {secret}",
        "Basic {secret}",
        "Bearer {secret}x",
    ],
)
def test_no_token_or_a_wrong_one_is_a_401(client, user, header):
    _, secret = services.token_create(user=user, name="rw", scope="read-write")
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header.format(secret=secret)}
    assert client.get(WHOAMI, **extra).status_code == HTTPStatus.UNAUTHORIZED
    assert client.post(NOTES, **extra).status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.urls(API)
def test_a_revoked_token_is_a_401(client, user):
    token, secret = services.token_create(user=user, name="rw", scope="read-write")
    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK

    services.token_revoke(token=token)

    response = client.get(WHOAMI, **bearer(secret))
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.urls(API)
def test_the_token_of_an_inactive_person_is_a_401(client, user):
    _, secret = services.token_create(user=user, name="rw", scope="read-write")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.urls(API)
def test_a_read_only_token_reads_but_gets_a_403_on_a_write(client, user):
    _, secret = services.token_create(user=user, name="ro", scope="read")

    assert client.get(WHOAMI, **bearer(secret)).status_code == HTTPStatus.OK
    response = client.post(NOTES, **bearer(secret))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"detail": auth.READ_ONLY_MESSAGE}


def test_require_write_refuses_only_a_read_only_token(rf, user):
    read_only, ro_secret = services.token_create(user=user, name="ro", scope="read")
    read_write, rw_secret = services.token_create(user=user, name="rw", scope="read-write")
    session_request = rf.get("/")
    session_request.user = user
    auth.require_write(session_request)  # the session may always write

    rw_request = rf.get("/", HTTP_AUTHORIZATION=f"Bearer {rw_secret}")
    assert auth.TokenAuth()(rw_request) == user
    auth.require_write(rw_request)

    ro_request = rf.get("/", HTTP_AUTHORIZATION=f"Bearer {ro_secret}")
    assert auth.TokenAuth()(ro_request) == user
    assert auth.request_token(ro_request) == read_only
    with pytest.raises(auth.HttpError) as refused:
        auth.require_write(ro_request)
    assert refused.value.status_code == HTTPStatus.FORBIDDEN
    assert str(refused.value) == auth.READ_ONLY_MESSAGE
    assert read_write.can_write and not read_only.can_write


@pytest.mark.urls(API)
def test_the_session_reads_and_writes_with_the_csrf_token_only(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    assert browser.get(WHOAMI).json() == {"user": user.pk, "token": None}
    assert browser.post(NOTES).status_code == HTTPStatus.FORBIDDEN  # no CSRF token
    browser.get(WHOAMI)  # any page sets the CSRF cookie in real use; set it here
    browser.cookies["csrftoken"] = "a" * 32
    assert browser.post(NOTES, HTTP_X_CSRFTOKEN="a" * 32).status_code == HTTPStatus.OK


@pytest.mark.urls(API)
def test_a_token_wins_over_a_session_cookie_in_the_same_call(user, other_user):
    _, secret = services.token_create(user=other_user, name="rw", scope="read-write")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(NOTES, **bearer(secret))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["user"] == other_user.pk


@pytest.mark.urls(API)
def test_last_used_is_written_at_most_once_a_minute(client, user, django_assert_max_num_queries):
    token, secret = services.token_create(user=user, name="ro", scope="read")
    assert token.last_used_at is None

    client.get(WHOAMI, **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get(WHOAMI, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first

    AccessToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(WHOAMI, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


def test_token_used_skips_the_write_within_the_minute(user, django_assert_num_queries):
    token, _ = services.token_create(user=user, name="ro", scope="read")
    now = timezone.now()
    services.token_used(token=token, now=now)
    with django_assert_num_queries(0):
        services.token_used(token=token, now=now + timedelta(seconds=59))
    assert token.last_used_at == now


@pytest.mark.urls(API)
def test_a_token_never_reaches_the_log(client, user, caplog, settings):
    settings.DEBUG = True  # ninja's own bearer parsing logs the header under DEBUG
    _, secret = services.token_create(user=user, name="ro", scope="read")
    caplog.set_level(logging.DEBUG)
    for header in (f"Bearer {secret}", f"Token {secret}", f"Bearer {secret}x"):
        client.get(WHOAMI, HTTP_AUTHORIZATION=header)
        client.post(NOTES, HTTP_AUTHORIZATION=header)
    assert all(secret not in record.getMessage() for record in caplog.records)


@pytest.mark.urls(API)
def test_public_operations_need_no_token(client):
    assert client.get(PUBLIC).json() == {"ok": True}
