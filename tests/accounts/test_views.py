"""The account foundation: sign-up, log-in and log-out, passwords, the profile, and response policies."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.forms import HOURS_MESSAGE
from accounts.models import Profile
from accounts.selectors import profile_get
from tests.accounts import factories as account_factories
from tests.catalogue import factories as catalogue_factories

pytestmark = pytest.mark.django_db

User = get_user_model()

NEW_PASSWORD = "lantern-orbit-gravel-quietly"
TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; no test sees another test's counts."""
    cache.clear()
    yield
    cache.clear()


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _page(response) -> str:
    return response.content.decode()


# --- sign-up, log-in, log-out ---------------------------------------------------------------


def test_sign_up_with_email_and_a_long_password_creates_the_account_and_logs_in(client):
    """A person signs up with an e-mail address and a 12+ character password and is logged in."""
    response = client.post(
        reverse("account_signup"),
        {"email": "new.learner@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("onboarding")  # a new person chooses their target first
    user = User.objects.get(email="new.learner@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert _is_logged_in(client)
    assert client.get(reverse("dashboard")).status_code == HTTPStatus.OK


def test_sign_up_refuses_a_password_shorter_than_twelve_characters(client):
    """An 11-character password is refused with the length message and no account is created."""
    short = "Xq7!mB2#kLp"
    assert len(short) == 11

    response = client.post(
        reverse("account_signup"),
        {"email": "short@example.org", "password1": short, "password2": short},
    )

    assert response.status_code == HTTPStatus.OK
    assert "This password is too short. It must contain at least 12 characters." in _page(response)
    assert not User.objects.filter(email="short@example.org").exists()
    assert not _is_logged_in(client)


def test_log_in_with_email_and_password_lands_on_the_dashboard(client, user):
    """Logging in with the right e-mail and password goes to the dashboard."""
    response = _login(client, user.email, account_factories.PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")
    assert _is_logged_in(client)
    assert client.get(response.url).status_code == HTTPStatus.OK


def test_log_in_with_a_wrong_password_is_refused(client, user):
    """A wrong password shows the log-in form again and does not log in."""
    response = _login(client, user.email, "not-the-right-password")

    assert response.status_code == HTTPStatus.OK
    assert "The email address and/or password you specified are not correct." in _page(response)
    assert not _is_logged_in(client)


def test_log_out_by_get_only_shows_the_confirmation_page(user_client):
    """Following a link to log-out asks for confirmation and keeps the person logged in."""
    response = user_client.get(reverse("account_logout"))

    assert response.status_code == HTTPStatus.OK
    assert "Are you sure you want to log out?" in _page(response)
    assert 'method="post"' in _page(response)
    assert _is_logged_in(user_client)
    assert user_client.get(reverse("dashboard")).status_code == HTTPStatus.OK


def test_log_out_by_post_logs_out_and_returns_home(user_client):
    """Confirming the log-out ends the session; the dashboard then asks to log in."""
    response = user_client.post(reverse("account_logout"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("home")
    assert not _is_logged_in(user_client)
    dashboard = user_client.get(reverse("dashboard"))
    assert dashboard.status_code == HTTPStatus.FOUND
    assert dashboard.url.startswith(reverse("account_login"))


# --- passwords --------------------------------------------------------------------------------


def test_password_change_needs_the_old_password(user_client, user):
    """A wrong current password is refused and the password stays as it was."""
    response = user_client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-my-password-at-all", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.OK
    assert "Please type your current password." in _page(response)
    user.refresh_from_db()
    assert user.check_password(account_factories.PASSWORD)


def test_password_change_with_the_old_password_makes_the_new_one_work(user_client, user):
    """After a change, the new password logs in and the old one no longer does."""
    response = user_client.post(
        reverse("account_change_password"),
        {"oldpassword": account_factories.PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _is_logged_in(user_client), "changing the password keeps this session"

    fresh = Client()
    assert _login(fresh, user.email, account_factories.PASSWORD).status_code == HTTPStatus.OK
    assert not _is_logged_in(fresh)
    assert _login(fresh, user.email, NEW_PASSWORD).url == reverse("dashboard")
    assert _is_logged_in(fresh)


def test_password_reset_by_email_sets_a_new_password(client, user):
    """The reset e-mail holds a link (and no password); following it sets a new password."""
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_reset_password_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    bodies = [message.body] + [content for content, _mimetype in getattr(message, "alternatives", [])]
    for body in bodies:
        assert account_factories.PASSWORD not in body
    links = re.findall(r"https?://testserver(/accounts/password/reset/key/[^\s\"'<>]+)", message.body)
    assert links, message.body

    form_page = client.get(links[0], follow=True)
    assert form_page.status_code == HTTPStatus.OK
    set_password_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else links[0]
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == HTTPStatus.FOUND
    assert done.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not _is_logged_in(client), "a reset does not log in by itself"
    assert _login(client, user.email, NEW_PASSWORD).url == reverse("dashboard")


def test_password_reset_link_works_only_once(client, user):
    """A reset link that was used cannot set the password again."""
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    set_password_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)

    assert "The password reset link was invalid" in _page(again)


# --- rate limiting ----------------------------------------------------------------------------


def test_repeated_failed_log_ins_lock_the_account_even_for_the_right_password(client, user):
    """After five failures within five minutes, even the right password is refused for a while."""
    for _attempt in range(5):
        response = _login(client, user.email, "wrong-password-guess")
        assert response.status_code == HTTPStatus.OK
        assert not _is_logged_in(client)

    response = _login(client, user.email, account_factories.PASSWORD)

    assert response.status_code == HTTPStatus.OK
    assert TOO_MANY_ATTEMPTS in _page(response)
    assert not _is_logged_in(client)


def test_the_lock_out_applies_to_the_account_not_only_the_browser(client, user):
    """A second browser gets the same refusal once the account is locked."""
    for _attempt in range(5):
        _login(client, user.email, "wrong-password-guess")

    other_browser = Client(REMOTE_ADDR="198.51.100.7")
    response = _login(other_browser, user.email, account_factories.PASSWORD)

    assert TOO_MANY_ATTEMPTS in _page(response)
    assert not _is_logged_in(other_browser)


def test_a_few_failures_do_not_lock_the_account(client, user):
    """Four failures are forgiven: the right password still logs in."""
    for _attempt in range(4):
        _login(client, user.email, "wrong-password-guess")

    response = _login(client, user.email, account_factories.PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")


# --- profile ------------------------------------------------------------------------------------


@pytest.fixture
def roles(db):
    return {
        "mle": catalogue_factories.RoleFactory(
            slug="machine-learning-engineer", name="Machine Learning Engineer"
        ),
        "ds": catalogue_factories.RoleFactory(slug="data-scientist", name="Data Scientist"),
    }


def _profile_data(roles, **overrides):
    data = {
        "display_name": "Ada",
        "hours_per_week": "12",
        "target_role": str(roles["ds"].pk),
        "experience_level": Profile.Experience.SWITCHER,
        "country": "NL",
        "city": "Utrecht",
    }
    return data | overrides


def test_profile_edit_saves_every_field(user_client, user, roles):
    """Saving the profile stores each field and says so."""
    response = user_client.post(reverse("profile"), _profile_data(roles), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert "Your profile is saved." in _page(response)
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Ada"
    assert profile.hours_per_week == 12
    assert profile.target_role == roles["ds"]
    assert profile.experience_level == Profile.Experience.SWITCHER
    assert profile.country.code == "NL"
    assert profile.city == "Utrecht"


@pytest.mark.parametrize("hours", ["1", "60"])
def test_profile_accepts_the_bounds_of_the_hours_range(user_client, user, roles, hours):
    """1 and 60 hours a week are both allowed."""
    response = user_client.post(reverse("profile"), _profile_data(roles, hours_per_week=hours), follow=True)

    assert "Your profile is saved." in _page(response)
    assert Profile.objects.get(user=user).hours_per_week == int(hours)


@pytest.mark.parametrize("hours", ["0", "61", "-5", "abc", str(10**9)])
def test_profile_rejects_hours_outside_one_to_sixty(user_client, user, roles, hours):
    """Out-of-range or non-numeric hours are refused, the form keeps what was typed, nothing is saved."""
    before = profile_get(user=user)
    before_values = Profile.objects.filter(pk=before.pk).values().get()

    response = user_client.post(
        reverse("profile"), _profile_data(roles, hours_per_week=hours, display_name="Changed")
    )

    assert response.status_code == HTTPStatus.OK
    page = _page(response)
    assert HOURS_MESSAGE in page
    assert "Your profile is saved." not in page
    assert f'value="{hours}"' in page
    assert 'value="Changed"' in page
    assert Profile.objects.filter(pk=before.pk).values().get() == before_values


def test_profile_rejects_an_unknown_country_code(user_client, user, roles):
    """The country must be an ISO code from the list."""
    before = profile_get(user=user)

    response = user_client.post(reverse("profile"), _profile_data(roles, country="XX"))

    assert response.status_code == HTTPStatus.OK
    assert "Your profile is saved." not in _page(response)
    before_country = before.country
    before.refresh_from_db()
    assert before.country == before_country


def test_profile_form_enforces_csrf(user, roles):
    """A profile POST without a CSRF token is refused and changes nothing."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    before = profile_get(user=user)
    before_values = Profile.objects.filter(pk=before.pk).values().get()

    response = browser.post(reverse("profile"), _profile_data(roles, display_name="Forged"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Profile.objects.filter(pk=before.pk).values().get() == before_values


def test_profile_form_with_its_csrf_token_is_accepted(user, roles):
    """The same POST with the token from the page goes through."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get(reverse("profile"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _page(page)).group(1)

    response = browser.post(
        reverse("profile"), _profile_data(roles, display_name="Genuine") | {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.get(user=user).display_name == "Genuine"


def test_profile_needs_a_log_in(client):
    """An anonymous visitor is sent to the log-in page."""
    response = client.get(reverse("profile"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


# --- landing, dashboard, 404 ---------------------------------------------------------------------


def test_landing_page_invites_anonymous_visitors_to_sign_up(client):
    """The home page links to sign-up and log-in."""
    response = client.get(reverse("home"))

    assert response.status_code == HTTPStatus.OK
    page = _page(response)
    assert f'href="{reverse("account_signup")}"' in page
    assert "Sign up" in page
    assert f'href="{reverse("account_login")}"' in page


def test_landing_page_sends_a_logged_in_visitor_to_the_dashboard(user_client):
    """A logged-in visitor skips the landing page."""
    response = user_client.get(reverse("home"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")


def test_dashboard_of_a_new_user_points_to_the_assessment(user_client):
    """With no assessment yet, the dashboard's next step is taking it."""
    response = user_client.get(reverse("dashboard"))

    assert response.status_code == HTTPStatus.OK
    page = _page(response)
    assert "Take the assessment" in page
    assert f'href="{reverse("assessment_start")}"' in page


def test_unknown_address_shows_our_not_found_page(client):
    """A missing page answers 404 with the site's own template."""
    response = client.get("/no-such-page-here/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in _page(response)
    assert "404.html" in [template.name for template in response.templates]


# --- response policies -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "account_login", "account_signup"])
def test_security_headers_on_public_pages(client, name):
    """Pages refuse framing, keep the referrer on-site, and allow only our own scripts."""
    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp


@pytest.mark.parametrize("name", ["dashboard", "profile"])
def test_security_headers_on_pages_for_logged_in_users(user_client, name):
    """The same headers apply once logged in."""
    response = user_client.get(reverse(name))

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["dashboard", "profile", "account_change_password"])
def test_pages_for_logged_in_users_are_not_stored(user_client, name):
    """Browsers and proxies are told not to store a logged-in person's pages."""
    response = user_client.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_public_pages_for_anonymous_visitors_may_be_stored(client):
    """The no-store policy is for logged-in pages; the landing page does not carry it."""
    response = client.get(reverse("home"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_the_no_store_headers_are_djangos_whether_or_not_the_view_set_its_own():
    """The middleware's short way writes exactly what Django's never-cache calls write, and a view's
    own Cache-Control (a public sample page, say) is merged with them as before."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.cache import add_never_cache_headers, patch_cache_control

    from accounts.middleware import PrivateCacheMiddleware

    def logged_in_request():
        request = RequestFactory().get("/")
        request.session = {"_auth_user_id": "1"}
        return request

    expected = HttpResponse("page")
    add_never_cache_headers(expected)
    patch_cache_control(expected, no_store=True, private=True)
    plain = PrivateCacheMiddleware(lambda request: HttpResponse("page"))(logged_in_request())
    assert plain["Cache-Control"] == expected["Cache-Control"]
    assert plain["Expires"] in {expected["Expires"], http_date_now()}

    def public_view(request):
        response = HttpResponse("sample")
        patch_cache_control(response, public=True, max_age=600)
        return response

    merged = PrivateCacheMiddleware(public_view)(logged_in_request())
    directives = {part.strip() for part in merged["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache", "must-revalidate", "max-age=0"} <= directives
    assert "public" not in directives


def http_date_now() -> str:
    import time

    from django.utils.http import http_date

    return http_date(time.time())
