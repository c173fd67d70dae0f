"""Consent to the weekly e-mail: asked on the profile, stopped with one click from any e-mail."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts.models import Profile
from tests.catalogue import factories as catalogue_factories

pytestmark = pytest.mark.django_db

CONSENT_LABEL = "Yes, e-mail me this week&#x27;s plan every Monday"


def stop_url(user) -> str:
    return reverse("weekly_email_stop", args=[account_selectors.weekly_email_stop_token(user=user)])


def consent(user) -> bool:
    return Profile.objects.get(user=user).weekly_email


@pytest.fixture
def subscribed(user):
    Profile.objects.filter(user=user).update(weekly_email=True)
    return user


# --- the stop link ------------------------------------------------------------------------------


def test_the_stop_link_asks_to_confirm_without_log_in_and_changes_nothing_yet(client, subscribed):
    response = client.get(stop_url(subscribed))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Stop the weekly e-mail?" in page
    assert '<button type="submit"' in page
    assert subscribed.email not in page  # whoever holds the link learns nothing about the person
    assert consent(subscribed) is True


def test_one_click_on_the_stop_page_turns_consent_off_without_log_in(client, subscribed):
    response = client.post(stop_url(subscribed))

    assert response.status_code == HTTPStatus.OK
    assert "Weekly e-mail stopped" in response.content.decode()
    profile = Profile.objects.get(user=subscribed)
    assert (profile.weekly_email, profile.weekly_email_since) == (False, None)


def test_a_mail_providers_one_click_post_stops_it_without_cookies_or_csrf_token(subscribed):
    """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click`` to the List-Unsubscribe address."""
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(
        stop_url(subscribed),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == HTTPStatus.OK
    assert consent(subscribed) is False


def test_stopping_twice_is_harmless_and_the_page_says_it_is_off(client, subscribed):
    client.post(stop_url(subscribed))
    again = client.post(stop_url(subscribed))

    assert again.status_code == HTTPStatus.OK
    assert "Weekly e-mail stopped" in client.get(stop_url(subscribed)).content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, other: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature changed
        lambda token, other: (  # another person's id under this signature
            signing.b64_encode(str(other.pk).encode()).decode() + token[token.index(":") :]
        ),
        lambda token, other: signing.dumps(other.pk),  # signed, but not as a stop link (no salt)
        lambda token, other: "not-a-token",
    ],
)
def test_a_tampered_token_shows_a_clear_message_and_changes_nothing(client, subscribed, other_user, tamper):
    Profile.objects.filter(user=other_user).update(weekly_email=True)
    token = tamper(account_selectors.weekly_email_stop_token(user=subscribed), other_user)
    url = reverse("weekly_email_stop", args=[token])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "This stop link is not valid" in response.content.decode()
    assert consent(subscribed) is True
    assert consent(other_user) is True


def test_a_link_for_a_deleted_account_is_not_valid(client, subscribed):
    url = stop_url(subscribed)
    subscribed.delete()

    assert client.post(url).status_code == HTTPStatus.BAD_REQUEST


def test_one_persons_link_never_stops_anothers_email(client, subscribed, other_user):
    Profile.objects.filter(user=other_user).update(weekly_email=True)

    client.post(stop_url(subscribed))

    assert consent(subscribed) is False
    assert consent(other_user) is True


# --- consent on the profile ---------------------------------------------------------------------


@pytest.fixture
def role(db):
    return catalogue_factories.RoleFactory(slug="data-scientist", name="Data Scientist")


def profile_data(role, **overrides):
    data = {
        "display_name": "Ada",
        "hours_per_week": "12",
        "target_role": str(role.pk),
        "experience_level": Profile.Experience.SWITCHER,
        "country": "NL",
        "city": "Utrecht",
    }
    return data | overrides


def test_the_profile_asks_for_consent_with_the_box_unticked(user_client):
    page = user_client.get(reverse("profile")).content.decode()

    assert CONSENT_LABEL in page
    box = next(line for line in page.splitlines() if 'name="weekly_email"' in line)
    assert "checked" not in box


def test_ticking_the_box_saves_consent_and_the_profile_shows_it_ticked(user_client, user, role):
    response = user_client.post(reverse("profile"), profile_data(role, weekly_email="on"), follow=True)

    assert "Your profile is saved." in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert profile.weekly_email is True
    assert profile.weekly_email_since is not None
    page = user_client.get(reverse("profile")).content.decode()
    box = next(line for line in page.splitlines() if 'name="weekly_email"' in line)
    assert "checked" in box


def test_unticking_the_box_turns_consent_off(user_client, user, role):
    Profile.objects.filter(user=user).update(weekly_email=True)

    user_client.post(reverse("profile"), profile_data(role), follow=True)

    profile = Profile.objects.get(user=user)
    assert (profile.weekly_email, profile.weekly_email_since) == (False, None)


def test_bad_profile_input_re_shows_the_form_with_the_box_as_sent_and_saves_nothing(user_client, user, role):
    response = user_client.post(reverse("profile"), profile_data(role, hours_per_week="0", weekly_email="on"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Please correct the errors below; nothing was saved." in page
    box = next(line for line in page.splitlines() if 'name="weekly_email"' in line)
    assert "checked" in box
    assert consent(user) is False


def test_the_data_download_holds_the_consent(user_client, user, role):
    user_client.post(reverse("profile"), profile_data(role, weekly_email="on"))

    data = user_client.get(reverse("account_data")).json()

    assert data["profile"]["weekly_email"] is True
    assert data["profile"]["weekly_email_since"]
