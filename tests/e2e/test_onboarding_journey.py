"""Choosing a target in a real browser, with and without JavaScript, before the first assessment."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from tests.e2e.helpers import PASSWORD, snap

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(page: Page, email: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def choose_pytorch_and_set_the_second_language_aside(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    page.get_by_label("Machine Learning Engineer").check()
    page.get_by_label("Entry level").check()
    page.get_by_label("Hours per week you can study").fill("12")
    page.get_by_role("button", name="Next: your choices").click()
    expect(page).to_have_url(re.compile(r"/welcome/choices/$"))
    page.get_by_label("PyTorch", exact=True).check()
    page.get_by_label("None of these for now (set the group aside)").check()
    snap(page, "onboarding-choices")
    page.get_by_role("button", name="Save my target").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_new_person_chooses_a_target_and_is_assessed_on_its_skills_only(
    open_page, full_catalogue, javascript
):
    page = open_page(java_script_enabled=javascript)
    email = f"onboarding-{'js' if javascript else 'nojs'}@e2e.careerpath.test"
    sign_up(page, email)
    choose_pytorch_and_set_the_second_language_aside(page)

    expect(page).to_have_url(re.compile(r"/assessment/$"))
    expect(page.get_by_text("Your target: Machine Learning Engineer, entry level")).to_be_visible()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    scope = set(Assessment.objects.get(user__email=email).scope)
    assert "pytorch" in scope and not {"tensorflow-keras", "java", "cpp"} & scope
    # The first ratings page (programming) asks about Python, never about Java or C++.
    main = page.get_by_role("main")
    expect(main.get_by_text("Python", exact=True).first).to_be_visible()
    expect(main.get_by_text("Java", exact=True)).to_have_count(0)
    expect(main.get_by_text("C++", exact=True)).to_have_count(0)
