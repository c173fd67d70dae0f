"""Choosing a target in a real browser, with and without JavaScript, before the first assessment."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from tests.e2e.helpers import (
    PASSWORD,
    click_label_of,
    dont_know_everything,
    open_areas,
    rate_by_clicking,
    snap,
    walk_to_review,
)

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(page: Page, email: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


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


@pytest.mark.parametrize(
    ("javascript", "length"), [(True, "Standard"), (False, "Thorough")], ids=["with-js", "without-js"]
)
def test_a_new_person_chooses_a_target_and_is_assessed_on_its_skills_only(
    open_page, full_catalogue, javascript, length
):
    """Onboarding, then the whole assessment (a length chosen, every ratings page and every round
    of checks, followed until the review), and the results: all in plain forms when JavaScript is off."""
    page = open_page(java_script_enabled=javascript)
    email = f"onboarding-{'js' if javascript else 'nojs'}@e2e.careerpath.test"
    sign_up(page, email)
    choose_pytorch_and_set_the_second_language_aside(page)

    expect(page).to_have_url(re.compile(r"/assessment/$"))
    expect(page.get_by_text("Your target: Machine Learning Engineer, entry level")).to_be_visible()
    choice = page.get_by_role("group", name="How long").get_by_role("radio", name=re.compile(rf"^{length}\b"))
    click_label_of(page, choice)
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assessment = Assessment.objects.get(user__email=email)
    scope = set(assessment.scope)
    assert "pytorch" in scope and not {"tensorflow-keras", "java", "cpp"} & scope
    assert assessment.length == {"Standard": "default", "Thorough": "thorough"}[length]
    # The first ratings page (programming) asks about Python, never about Java or C++.
    main = page.get_by_role("main")
    expect(main.get_by_text("Python", exact=True).first).to_be_visible()
    expect(main.get_by_text("Java", exact=True)).to_have_count(0)
    expect(main.get_by_text("C++", exact=True)).to_have_count(0)

    rated: set[str] = set()

    def rate_level_1(page: Page) -> None:
        rated.update(rate_by_clicking(page, lambda _position, _slug: 1))

    walked = walk_to_review(page, rate=rate_level_1, answer=dont_know_everything)
    assert "round" in walked and rated == scope
    page.get_by_role("button", name="Submit and see my results").click()
    expect(page).to_have_url(re.compile(r"/results/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    open_areas(page)  # the skills sit in one folded section per area
    table = page.get_by_role("table", name=re.compile(r"^Current and target level per skill"))
    expect(table.locator("tbody tr")).to_have_count(len(scope))
    expect(table.locator("tbody th").filter(has_text=re.compile(r"^PyTorch$"))).to_have_count(1)
    expect(table.locator("tbody th").filter(has_text=re.compile(r"^TensorFlow"))).to_have_count(0)
    # The "Why" disclosure is a plain <details>: it opens without JavaScript too.
    why = table.locator("details").first
    why.locator("summary").click()
    expect(why.get_by_role("meter")).to_have_count(5)
    expect(why.get_by_role("meter").first).to_be_visible()
    snap(page, f"onboarding-results-{'js' if javascript else 'nojs'}")
