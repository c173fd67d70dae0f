"""The results and the roadmap saved as PDF from Chromium's print, through static/css/print.css.

A learner with a result and a plan prints each page (``page.pdf``, A4, with the print media) and
the PDF's text is read back with pypdf: the figures, every area, every skill with its levels, every
step with its dates are there, with the collapsed ``<details>`` printed open; the navigation, the
forms, the buttons and the footer are not; and the page count stays sensible.

A print dialog fires ``beforeprint`` and ``afterprint``, which js/print.js uses to open every
``<details>`` and close them again; ``page.pdf`` fires neither, so the tests dispatch them as the
dialog does. Without JavaScript, print.css alone shows the contents of closed ``<details>``.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments import presenters, selectors
from roadmap.models import RoadmapStep
from tests.e2e.data import result_of, take_assessment
from tests.e2e.helpers import SCREENSHOT_DIR, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PDF_DIR = SCREENSHOT_DIR.parent / "pdf"
HINT = "To keep a copy, print this page or save it as a PDF"
BUTTON = "Print or save as PDF"

# Text of the site's navigation, footer, forms and buttons (on the results page, the roadmap or
# every page): none of it belongs on paper.
NOT_PRINTED = (
    "Skip to main content",
    "Dashboard",
    "Log out",
    "Change language",
    "Browse the open catalogue",
    "Privacy",
    "an open, calibrated path",
    BUTTON,
    HINT,
    "See your roadmap",
    "See your skill map",
    "Report a problem with this question",
    "Ready by a date?",
    "Work it out",
    "re-plan from today",
    "Refresh plan from the catalogue",
    "Download as Markdown",
    "Add to calendar",
    "Save step",
    "Evidence links",
    "Log time",
    "Study time",
    "Save milestones",
    "Career milestones you already have",
)

# Elements that must have no box on paper.
CHROME = "header, nav, footer, form, button, .btn, input, select, textarea"
RENDERED_CHROME = f"""() => [...document.querySelectorAll({CHROME!r})]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => el.outerHTML.slice(0, 120))"""
CLOSED_DETAILS = "() => document.querySelectorAll('details:not([open])').length"


def plain(text: str) -> str:
    """Text as compared here: ligatures (the PDF's "ﬁ") unfolded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def print_to_pdf(page: Page, name: str, *, dialog_events: bool = True) -> list[str]:
    """Print the page as Chromium's "Save as PDF" does (A4, print media); the text of each page.

    ``dialog_events``: fire beforeprint and afterprint around it, as the print dialog does (a
    page without JavaScript has nothing listening). The PDF is kept under test-artifacts/pdf/."""
    page.emulate_media(media="print")
    if dialog_events:
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(RENDERED_CHROME) == [], "navigation, forms or buttons are printed"
    data = page.pdf(format="A4", print_background=False)
    if dialog_events:
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / f"{name}.pdf").write_bytes(data)
    pages = [page_.extract_text() for page_ in PdfReader(io.BytesIO(data)).pages]
    (PDF_DIR / f"{name}.txt").write_text("\n\f".join(pages))
    return pages


def check_paper(pages: list[str], *, at_most: int) -> str:
    """No blank page, no runaway page count, none of the site's chrome; the text, as ``plain``."""
    assert 1 <= len(pages) <= at_most, f"{len(pages)} pages"
    blank = [number for number, text in enumerate(pages, start=1) if not text.strip()]
    assert not blank, f"blank pages: {blank}"
    text = plain(" ".join(pages))
    printed = [phrase for phrase in NOT_PRINTED if phrase in text]
    assert not printed, printed
    return text


def print_results(page: Page, result, *, dialog_events: bool = True) -> str:
    """The results page on paper; checks the figures, every area and every skill with its levels."""
    context = presenters.result_context(selectors.result_get(pk=result.pk))
    areas = context["areas"]
    assert areas and all(area["rows"] for area in areas)
    pages = print_to_pdf(page, f"results-{'js' if dialog_events else 'nojs'}", dialog_events=dialog_events)
    skills, checks = sum(len(area["rows"]) for area in areas), len(context["checks"])
    text = check_paper(pages, at_most=3 + (skills + checks) // 4)
    print(f"results: {len(pages)} pages for {skills} skills in {len(areas)} areas and {checks} checks")
    first = plain(pages[0])
    headline = context["headline"]
    assert f"Readiness for {plain(headline['name'])} {headline['readiness']}%" in first, first[:600]
    for bar in context["category_bars"]:
        assert f"{plain(bar['name'])} {bar['readiness']}%" in text, bar
    for area in areas:
        assert f"{plain(area['name'])}: {len(area['rows'])} skill" in text, area["name"]
        for row in area["rows"]:
            # The table row: skill, area, what they said, the level assessed (then its range, its "Why").
            shown = f"{plain(row['name'])} {plain(row['category_name'])} {row['self_level']} {row['assessed_level']}"
            assert re.search(rf"{re.escape(shown)}\b", text), shown
            assert plain(row["reason"]) in text, row["reason"]  # inside the "Why" <details>
    return text


def print_roadmap(page: Page, learner, *, dialog_events: bool = True) -> str:
    """The roadmap on paper; checks every step's title and dates, and each step's goal."""
    steps = list(RoadmapStep.objects.filter(user=learner).order_by("position"))
    assert len(steps) >= 3
    pages = print_to_pdf(page, f"roadmap-{'js' if dialog_events else 'nojs'}", dialog_events=dialog_events)
    text = check_paper(pages, at_most=3 + len(steps) // 3)
    print(f"roadmap: {len(pages)} pages for {len(steps)} steps")
    for step in steps:
        details = step.details
        if details.kind == "milestone":
            assert f"Milestone, {step.planned_start:%-d %b %Y}: {plain(details.heading)}" in text, details
            continue
        # The step's summary line: its title, its status, its hours and dates.
        dates = f"{step.hours} hours · {step.planned_start:%-d %b %Y} to {step.planned_end:%-d %b %Y}"
        summary = rf"{re.escape(plain(details.heading))} \S+(?: \S+)? {re.escape(dates)}"
        assert re.search(summary, text), (details.heading, dates)
        if details.goal:  # inside the step's <details>, closed on screen for all but this week's
            assert f"Done looks like: {plain(details.goal)}" in text, details.goal
    return text


def test_the_results_and_the_roadmap_print_open_without_the_site_around_them(
    page: Page, learner, full_catalogue
):
    result = result_of(take_assessment(learner, level=3, seed=2))
    log_in(page, learner.email)

    page.goto(f"/results/{result.pk}/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('skill-chart'))")
    expect(page.get_by_text(HINT)).to_be_visible()
    button = page.get_by_role("button", name=BUTTON)
    expect(button).to_be_visible()
    # The button opens the print dialog (stubbed: a headless browser has none to show).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button.click()
    assert page.evaluate("window.__printed") == 1
    closed = page.evaluate(CLOSED_DETAILS)
    assert closed > 0  # the areas, the checks and each skill's "Why" start closed
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(CLOSED_DETAILS) == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(CLOSED_DETAILS) == closed  # left as the learner had it
    print_results(page, result)
    assert page.evaluate(CLOSED_DETAILS) == closed

    page.goto("/roadmap/")
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()
    closed = page.evaluate(CLOSED_DETAILS)
    assert closed > 0  # every step but this week's starts closed
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/log/" in request.url else None)
    print_roadmap(page, learner)
    assert page.evaluate(CLOSED_DETAILS) == closed
    page.wait_for_timeout(300)
    assert fetched == []  # opening every card to print it fetches no card's forms


def test_without_javascript_the_pages_print_open_and_offer_no_dead_button(open_page, learner, full_catalogue):
    result = result_of(take_assessment(learner, level=1, seed=3))
    page = open_page(java_script_enabled=False)
    log_in(page, learner.email)

    page.goto(f"/results/{result.pk}/")
    expect(page.get_by_text(HINT)).to_be_visible()
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)  # hidden: it could do nothing
    print_results(page, result, dialog_events=False)

    page.goto("/roadmap/")
    expect(page.get_by_text(HINT)).to_be_visible()
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)
    print_roadmap(page, learner, dialog_events=False)
