"""Long pages kept short: the roadmap's step cards open on demand, and the results read on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from roadmap.models import RoadmapStep
from tests.e2e.data import result_of, take_assessment
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

PAGE_HEIGHT = "document.documentElement.scrollHeight"


def test_the_roadmap_shows_each_step_on_one_line_until_it_is_opened(page: Page, learner, small_catalogue):
    take_assessment(learner, level=0)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, learner.email)
    page.goto("/roadmap/")
    steps = [step for step in RoadmapStep.objects.filter(user=learner) if step.details.kind != "milestone"]
    cards = page.locator("article.roadmap-step")
    expect(cards).to_have_count(len(steps))
    page.evaluate(
        "document.querySelectorAll('article.roadmap-step details[open]').forEach((d) => { d.open = false; })"
    )
    closed = page.evaluate(PAGE_HEIGHT)
    card_heights = cards.evaluate_all("(cards) => cards.map((card) => card.getBoundingClientRect().height)")
    print(f"roadmap at 1280x800: {len(steps)} steps, page {closed} px, cards {card_heights}")
    assert max(card_heights) <= 100, card_heights

    card = cards.first
    card.locator("summary").click()
    expect(card.get_by_label("Status", exact=True)).to_be_visible()
    assert page.evaluate(PAGE_HEIGHT) > closed


PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 800}


def test_the_results_fit_a_phone_with_the_chart_first_and_the_areas_opening_on_demand(
    page: Page, learner, full_catalogue
):
    result = result_of(take_assessment(learner, level=1, seed=2))
    log_in(page, learner.email)
    page.goto(f"/results/{result.pk}/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('skill-chart'))")
    areas = page.locator("details.result-area")
    assert areas.count() >= 2
    heights = {}
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.evaluate("document.querySelectorAll('details[open]').forEach((d) => { d.open = false; })")
        heights[name] = page.evaluate(PAGE_HEIGHT)
        chart_top = page.evaluate("document.getElementById('skill-chart').getBoundingClientRect().top")
        assert chart_top < size["height"], (name, chart_top)
        for position in range(areas.count()):
            areas.nth(position).locator("> summary").click()
        page.locator("table details > summary").first.click()
        heights[f"{name} open"] = page.evaluate(PAGE_HEIGHT)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], (name, widths)
    print(f"results: {areas.count()} areas, heights {heights}")
    assert heights["phone"] <= 10_000, heights


def test_a_closed_step_card_fetches_its_forms_when_opened_and_they_work(page: Page, learner, small_catalogue):
    take_assessment(learner, level=0)
    log_in(page, learner.email)
    page.goto("/roadmap/")
    closed = page.locator("article.roadmap-step:not(:has(details[open]))").last
    expect(closed).to_be_attached()
    assert closed.locator("form").count() == 0  # closed cards carry no forms
    card_id = closed.get_attribute("id")
    page.evaluate("window.__roadmapMarker = 'the page was not reloaded'")

    closed.locator("summary").click()
    card = page.locator(f"#{card_id}")
    expect(card.get_by_label("Status", exact=True)).to_be_visible()
    card.get_by_label("Hours", exact=True).fill("1.5")
    card.get_by_role("button", name="Log time").click()
    expect(card.get_by_role("status")).to_have_text("Logged 1.5 h.")
    card.get_by_label("Status", exact=True).select_option(label="In progress")
    card.get_by_role("button", name="Save step").click()
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.locator(".badge")).to_have_text("In progress")
    assert page.evaluate("window.__roadmapMarker") == "the page was not reloaded"

    # Reloaded, the card is closed again and shows its new status.
    page.reload()
    card = page.locator(f"#{card_id}")
    expect(card.locator(".badge")).to_have_text("In progress")
    expect(card.locator("details")).not_to_have_attribute("open", "")


def test_without_javascript_a_closed_card_links_to_the_page_with_its_forms(
    open_page, learner, small_catalogue
):
    take_assessment(learner, level=0)
    page = open_page(java_script_enabled=False)
    log_in(page, learner.email)
    page.goto("/roadmap/")
    card_id = page.locator("article.roadmap-step:not(:has(details[open]))").last.get_attribute("id")
    card = page.locator(f"#{card_id}")
    card.locator("summary").click()
    card.get_by_role("link", name="Update this step or log study time").click()
    expect(page.get_by_label("Status", exact=True)).to_be_visible()
    page.get_by_label("Hours", exact=True).fill("2")
    page.get_by_role("button", name="Log time").click()
    expect(page.locator(".messages")).to_contain_text("Logged 2 h on")


def test_on_a_phone_the_menu_button_opens_and_closes_the_navigation(page: Page, learner):
    page.set_viewport_size(PHONE)
    log_in(page, learner.email)
    nav = page.get_by_role("navigation", name="Main")
    roadmap = nav.get_by_role("link", name="Roadmap")
    button = nav.get_by_role("button", name="Toggle navigation")
    expect(roadmap).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(roadmap).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    roadmap.click()
    expect(page).to_have_url(re.compile(r"/roadmap/$"))
    # The button works once the page's script has run: a click before that (a test is faster than
    # anyone's thumb) would be lost, and the next one would open the menu instead of closing it.
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Roadmap")).to_be_hidden()
