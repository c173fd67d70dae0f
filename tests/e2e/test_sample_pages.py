"""A visitor who is not logged in follows the home page to the sample result and the sample plan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Result
from roadmap import demo
from roadmap.models import RoadmapStep
from tests.e2e.test_accessibility import AXE_JS, FAILING_IMPACTS, describe, run_axe

pytestmark = pytest.mark.e2e


def assert_accessible(page: Page) -> None:
    blocking = [
        v for v in run_axe(page, AXE_JS.read_text(encoding="utf-8")) if v["impact"] in FAILING_IMPACTS
    ]
    assert not blocking, f"axe found serious or critical problems on {page.url}:\n{describe(blocking)}"


def test_a_visitor_reads_the_sample_result_and_plan_from_the_home_page(page: Page, full_catalogue):
    summary = demo.load_demo()
    latest = Result.objects.filter(user=summary.user).order_by("-created_at").first()
    readiness = round(100 * latest.readiness[latest.focus])
    first_step = RoadmapStep.objects.filter(user=summary.user).order_by("position").first()

    page.goto("/")
    page.get_by_role("link", name="See a sample result").click()
    expect(page).to_have_url(re.compile(r"/sample/result/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("A sample result")
    expect(page.get_by_text("This is a sample result")).to_be_visible()
    expect(page.locator("p.display-4")).to_have_text(f"{readiness}%")
    expect(page.get_by_role("heading", name="Top gaps, by priority")).to_be_visible()
    assert page.locator("form[method=post]").count() == 0
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('skill-chart'))")
    assert_accessible(page)

    page.get_by_role("link", name="See the sample plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A sample roadmap")
    expect(page.get_by_text("This is a sample plan")).to_be_visible()
    expect(page.locator("#roadmap-progress-label")).to_contain_text("hours done")
    expect(page.get_by_role("heading", name=first_step.details.heading).first).to_be_visible()
    assert page.locator("form[method=post]").count() == 0
    assert page.get_by_role("button", name="Save step").count() == 0
    assert_accessible(page)

    page.goto("/")
    page.get_by_role("link", name="See a sample plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A sample roadmap")
    page.get_by_role("link", name="progress", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sample progress")
    expect(page.get_by_role("heading", name="Readiness over time")).to_be_visible()
    expect(page.get_by_text("Steps completed")).to_be_visible()
