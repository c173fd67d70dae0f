"""The account journey in a real browser: sign up, profile, log out, log in again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, log_in, log_out, snap

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_edit_profile_log_out_and_in_again(page: Page, role):
    email = "ada@e2e.careerpath.test"

    # Sign up with e-mail and password.
    page.goto("/accounts/signup/")
    snap(page, "journey-signup")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # Logged in, and first asked to choose a target; the dashboard says the same.
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("link", name="Choose your target")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    snap(page, "journey-dashboard")

    # Edit the profile.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(page).to_have_url(re.compile(r"/profile/$"))
    page.get_by_label("Display name").fill("Ada")
    page.get_by_label("Hours per week you can study").fill("8")
    page.get_by_label("Target role").select_option(label="Machine Learning Engineer")
    page.get_by_label("Where you are now").select_option(label="Fresh graduate")
    page.get_by_label("Country").select_option(value="IN")
    page.get_by_label("City").fill("Pune")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_value("Ada")
    expect(page.get_by_label("Hours per week you can study")).to_have_value("8")
    expect(page.get_by_label("City")).to_have_value("Pune")
    snap(page, "journey-profile-saved")

    # Log out with the navigation's POST button, then log in again with the same credentials.
    log_out(page)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile")).to_have_count(0)
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Ada")
    snap(page, "journey-dashboard-again")


def test_wrong_password_shows_an_error_and_does_not_log_in(page: Page, learner):
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(learner.email)
    page.get_by_label("Password", exact=True).fill("not-the-right-password")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("password you specified are not correct")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_have_count(0)
    snap(page, "login-wrong-password")

    # The dashboard still wants a login.
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))
