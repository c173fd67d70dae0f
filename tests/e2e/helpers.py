"""Helpers shared by the browser tests (imported by the tests and by conftest.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from django.utils.html import strip_tags
from playwright.sync_api import Page, expect

from catalogue.markdown import render_block, render_inline

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"

# A password that passes every validator in settings.AUTH_PASSWORD_VALIDATORS (12+ characters).
PASSWORD = "orbit-lantern-meadow-42"


def snap(page: Page, name: str) -> Path:
    """A full-page screenshot of what the browser shows, as test-artifacts/screenshots/<name>.png.

    ``caret="initial"``: hiding the caret (the default) leaves an empty ``style`` attribute on every
    input and textarea, which htmx's settle step copies with setAttribute: a CSP violation that only
    the screenshot caused."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, by the fields' visible labels."""
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page: Page) -> None:
    """Log out with the navigation's POST button."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()


def sign_up(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign up through the real form; allauth logs the new person in and asks them to choose a target."""
    if not page.url.endswith("/accounts/signup/"):
        page.goto("/accounts/signup/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)", exact=True).fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/welcome/$"))


# --- catalogue text as pages show it ----------------------------------------------------------


def as_shown(text: str) -> str:
    """Catalogue text as a page shows it: Markdown rendered (catalogue.markdown), tags and markers gone."""
    return html.unescape(strip_tags(render_inline(text)))


def readable(text: str) -> str:
    """Text to compare with what a page shows: the rendered Markdown's words, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(render_block(text))).split())


def as_seen(text: str) -> str:
    """A page's own text, whitespace collapsed (it is already rendered: never render it again)."""
    return " ".join(text.split())


# --- the quiz with the mouse ---------------------------------------------------------------

# A quiz page's address. Quiz forms have no action, so they post to the address with its fragment
# (#main once the skip link was used) and the redirect to the next page keeps it.
STEP_URL = re.compile(r"/assessment/(\d+)/step/(\d+)/(#\w*)?$")


def step_index(page: Page) -> int:
    """The quiz step the page shows, from its URL."""
    match = STEP_URL.search(page.url)
    assert match, f"not a quiz page: {page.url}"
    return int(match.group(2))


def expect_step(page: Page, index: int) -> None:
    expect(page).to_have_url(re.compile(rf"/assessment/\d+/step/{index}/(#\w*)?$"))
    page.wait_for_load_state("load")


def click_label_of(page: Page, radio) -> None:
    """Click the <label> of a form control (as a person does), not the control itself."""
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def skill_fieldsets(page: Page):
    """The ratings page's skills, one fieldset each (id ``skill-<slug>``)."""
    return page.locator("fieldset[id^='skill-']")


def rate_by_clicking(page: Page, level_for) -> dict[str, int]:
    """Choose a level for every skill on a ratings page by clicking its label.

    ``level_for(position, slug)`` gives the level; returns {skill slug: level}."""
    chosen = {}
    fieldsets = skill_fieldsets(page)
    expect(fieldsets.first).to_be_visible()
    for position in range(fieldsets.count()):
        fieldset = fieldsets.nth(position)
        slug = fieldset.get_attribute("id").removeprefix("skill-")
        level = level_for(position, slug)
        click_label_of(page, fieldset.locator(f"input[type=radio][value='{level}']"))
        chosen[slug] = level
    return chosen


def check_sections(page: Page):
    """The checks page's questions, one card each (labelled by ``q-<answer pk>-title``)."""
    return page.locator("section[aria-labelledby^='q-']")


def answer_pk_of(section) -> int:
    return int(section.get_attribute("aria-labelledby").split("-")[1])


def answer_by_clicking(page: Page, section, choice_text: str | None, certainty: str | None) -> None:
    """Click a choice (None: "I don't know") and, unless None, a certainty in one question card."""
    if choice_text is None:
        click_label_of(page, section.get_by_label("I don't know", exact=True))
    else:
        click_label_of(page, section.get_by_label(as_shown(choice_text), exact=True))
    if certainty is not None:
        click_label_of(page, section.get_by_label(certainty, exact=True))


def save_and_continue(page: Page) -> None:
    """Submit a quiz page with the mouse and wait for the next one (always the next step: when the
    rounds of checks end early, the review moves up to it)."""
    index = step_index(page)
    page.get_by_role("button", name="Save and continue").click()
    expect_step(page, index + 1)


# --- which quiz page is shown, and following them to the review ---------------------------------

ROUND_HEADING = re.compile(r"^Knowledge checks: round (\d+)$")
PROGRESS_LINE = re.compile(r"^Step (\d+) of (\d+)(?:: .+?)?(?: · at most (\d+) minutes? left)?$")


def quiz_page(page: Page) -> str:
    """The kind of quiz page shown, read from its heading: "rate" (a category's ratings), "round"
    (a round of knowledge checks), "check" (a category's checks, in assessments started before
    the rounds) or "review"."""
    expect(page).to_have_url(STEP_URL)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    text = " ".join(heading.inner_text().split())
    if text == "Review your answers":
        return "review"
    if text.endswith(": rate yourself"):
        return "rate"
    if ROUND_HEADING.match(text):
        return "round"
    if text.endswith(": knowledge checks"):
        return "check"
    raise AssertionError(f"not a quiz page heading: {text!r} ({page.url})")


def round_number(page: Page) -> int:
    match = ROUND_HEADING.match(" ".join(page.get_by_role("heading", level=1).inner_text().split()))
    assert match, f"not a round page: {page.url}"
    return int(match.group(1))


def progress(page: Page) -> tuple[int, int, int | None]:
    """The quiz page's progress line: (step shown, steps in all now, at most how many minutes are
    left, or None where the line states none)."""
    text = " ".join(page.locator("#quiz-progress-label").inner_text().split())
    match = PROGRESS_LINE.match(text)
    assert match, f"unexpected progress line: {text!r}"
    minutes = match.group(3)
    return int(match.group(1)), int(match.group(2)), None if minutes is None else int(minutes)


def walk_to_review(page: Page, *, rate, answer, submit=None, limit: int = 60) -> list[str]:
    """Follow the quiz from the page shown to the review page, as a person does.

    The steps are never counted in advance: rounds of checks end early once every skill is settled,
    and the list of steps shrinks on the way. On a ratings page ``rate(page)``, on a page of checks
    ``answer(page)``, then ``submit(page)`` (default: Save and continue with the mouse), which must
    land on the next page. Checks each page's progress line on the way: the step shown is the one
    in the address, and the minutes left never grow. Returns the kinds of the pages walked."""
    walked: list[str] = []
    minutes_before = None
    for _ in range(limit):
        kind = quiz_page(page)
        shown, total, minutes = progress(page)
        assert shown == step_index(page) + 1 and shown <= total, (shown, total, page.url)
        if kind == "review":
            assert shown == total, "the review is the last page"
            return walked
        assert minutes is not None, f"the {kind} page states no time left"
        assert minutes_before is None or minutes <= minutes_before, (minutes_before, minutes, page.url)
        minutes_before = minutes
        (rate if kind == "rate" else answer)(page)
        (submit or save_and_continue)(page)
        walked.append(kind)
    raise AssertionError(f"still no review page after {limit} pages ({page.url})")


def dont_know_everything(page: Page) -> int:
    """Answer every check on a checks page with "I don't know" (mouse); returns how many."""
    sections = check_sections(page)
    for position in range(sections.count()):
        answer_by_clicking(page, sections.nth(position), None, None)
    return sections.count()


# --- the keyboard ----------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  return {
    tag: el ? el.tagName : '', type: (el && el.type) || '', name: (el && el.getAttribute('name')) || '',
    value: (el && el.value) || '', checked: !!(el && el.checked), text: el ? el.textContent.trim() : '',
    id: (el && el.id) || '',
  };
}"""


def focused(page: Page) -> dict:
    """What has the keyboard focus: tag, type, name, value, checked, text, id."""
    return page.evaluate(FOCUSED)


def skip_to_main(page: Page) -> None:
    """The first Tab reaches the skip link; Enter on it moves the focus to the main content.

    A page opened at ``#main`` (a form without an action, posted from a page where the skip link
    was used, redirects with the fragment kept) already starts the Tab order at the main content."""
    if page.url.endswith("#main"):
        return
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content", focused(page)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def tab_to(page: Page, matches, limit: int = 300) -> dict:
    """Press Tab until ``matches(focused element)`` holds; returns that element's description."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"Tab never reached the element wanted (last focus: {focused(page)})")


def finish_quiz_page_with_keyboard(page: Page) -> tuple[int, int]:
    """Complete a ratings or checks page with the keyboard only, then submit it with Enter.

    Ratings: Tab into each skill's group (the focus lands on level 0, nothing chosen yet) and Space
    chooses it. Checks: Tab into each question, ArrowDown to "I don't know" (the last option), Tab
    past the certainty. A group already answered (Tab lands on its chosen option) is left as it is.
    Returns (skills rated, checks answered) with the keyboard."""
    index = step_index(page)
    skip_to_main(page)
    rated = answered = 0
    for _ in range(500):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["name"].startswith(("skill_", "answer_")) and element["checked"]:
            continue  # chosen earlier (with the mouse): the Tab order passes it
        if element["name"].startswith("skill_"):
            assert (element["value"], element["checked"]) == ("0", False), element
            page.keyboard.press("Space")
            assert focused(page)["checked"], focused(page)
            rated += 1
        elif element["name"].startswith("answer_"):
            for _ in range(10):
                if focused(page)["value"] == "dontknow":
                    break
                page.keyboard.press("ArrowDown")
            assert focused(page)["value"] == "dontknow" and focused(page)["checked"], focused(page)
            answered += 1
        elif element["tag"] == "BUTTON" and element["name"] == "next":
            page.keyboard.press("Enter")
            expect_step(page, index + 1)
            return rated, answered
    raise AssertionError(f"Tab never reached Save and continue on step {index}")


def open_areas(page: Page) -> None:
    """Open every area of the results page: its skills, and its knowledge checks."""
    areas = page.locator("details.result-area")
    for position in range(areas.count()):
        area = areas.nth(position)
        area.locator("> summary").click()
        expect(area).to_have_attribute("open", "")
