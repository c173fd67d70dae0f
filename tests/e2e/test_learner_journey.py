"""A new learner's whole journey in Chromium, with the real catalogue.

Land, sign up, set the hours a week, take the assessment (choose its length, rate two areas with
the mouse, then close the browser, come back, and finish with the keyboard: the other ratings and
the adaptive rounds of checks, the first three checks clicked), read the results, follow the
roadmap (htmx, and plain forms without JavaScript), export it, retake, read the progress, download
the data and delete the account. The quiz is walked by following the pages the app shows: the
rounds of checks end early once every skill is settled, so the number of pages is never assumed. The ``page`` fixture fails the test on any console error or
Content-Security-Policy violation, in every browser context the test opens.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from icalendar import Calendar
from playwright.sync_api import Page, expect

from assessments import selectors
from assessments.models import Answer, Assessment, Result
from catalogue import selectors as catalogue_selectors
from roadmap.models import RoadmapStep, StepProgress, StepStatus
from tests.e2e.data import result_of, take_assessment
from tests.e2e.helpers import (
    PASSWORD,
    answer_by_clicking,
    answer_pk_of,
    as_seen,
    check_sections,
    click_label_of,
    dont_know_everything,
    expect_step,
    finish_quiz_page_with_keyboard,
    log_in,
    open_areas,
    progress,
    quiz_page,
    rate_by_clicking,
    readable,
    round_number,
    save_and_continue,
    sign_up,
    skill_fieldsets,
    skip_to_main,
    snap,
    tab_to,
    walk_to_review,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "grace@e2e.careerpath.test"


def scope():
    """What the learner's assessments cover: their target's skills (entry-level ML engineer, defaults)."""
    return selectors.scope_for(user=get_user_model().objects.get(email=EMAIL))


def scope_skills():
    return selectors.assessed_skills(slugs=scope().skills)


HOURS_PER_WEEK = 10
EVIDENCE = "https://github.com/example/repo"
NOTE = "Worked through the official tutorial and rewrote my scripts as a package."
ROLE = "Machine Learning Engineer, entry level"  # the default target: the role at entry level
MOUSE_CATEGORIES = 2  # the areas rated with the mouse before the browser is closed
MOUSE_LEVELS = (2, 1, 3, 0)  # cycled over the skills of those areas
# Cycled over the checks clicked with the mouse (the first ones of round 1): right, wrong, "I don't know".
CERTAINTIES = ("Certain", "Guessing", None)


def mouse_level(position: int, slug: str) -> int:
    return MOUSE_LEVELS[position % len(MOUSE_LEVELS)]


# --- the journey, one part at a time -------------------------------------------------------------


def land_sign_up_and_set_hours(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How far are you from Machine Learning Engineer?"
    )
    snap(page, "learner-home")
    page.get_by_role("link", name="Sign up and take the assessment").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    sign_up(page, EMAIL)
    # A new person first chooses a target; the defaults are the entry-level Machine Learning Engineer
    # with each group's first skill.
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    snap(page, "learner-onboarding")
    page.get_by_role("button", name="Next: your choices").click()
    page.get_by_role("button", name="Save my target").click()
    expect(page).to_have_url(re.compile(r"/assessment/$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Your next step: take the assessment")).to_be_visible()
    snap(page, "learner-dashboard-new")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    page.get_by_label("Hours per week you can study").fill(str(HOURS_PER_WEEK))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Hours per week you can study")).to_have_value(str(HOURS_PER_WEEK))
    expect(page.get_by_label("Target role")).to_have_value(
        str(catalogue_selectors.default_role().pk)  # the profile aims at Machine Learning Engineer by default
    )


def start_assessment(page: Page) -> Assessment:
    """The start page states the scope and offers two lengths; the learner keeps the standard one."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text(f"(now {HOURS_PER_WEEK})")).to_be_visible()
    page.get_by_role("link", name="Take the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The skills assessment")
    skills, areas = scope_skills().count(), len(selectors.assessed_categories(scope().skills))
    assert areas == 11
    expect(page.get_by_text(f"{skills} skills in {areas} areas")).to_be_visible()
    how_long = page.get_by_role("group", name="How long")
    standard = how_long.get_by_role("radio", name=re.compile(r"^Standard\b"))
    thorough = how_long.get_by_role("radio", name=re.compile(r"^Thorough\b"))
    expect(standard).to_be_checked()
    expect(thorough).not_to_be_checked()
    minutes = selectors.assessment_minutes(user=get_user_model().objects.get(email=EMAIL))
    expect(how_long.locator(f"label[for='{standard.get_attribute('id')}']")).to_contain_text(
        f"at most {minutes} minutes"
    )
    snap(page, "learner-assessment-start")
    click_label_of(page, thorough)
    click_label_of(page, standard)  # changed their mind: the standard length after all
    page.get_by_role("button", name="Start the assessment").click()
    expect_step(page, 0)
    assert progress(page) == (1, len(Assessment.objects.get(user__email=EMAIL).steps), minutes)
    assessment = Assessment.objects.get(user__email=EMAIL, status=Assessment.Status.IN_PROGRESS)
    assert assessment.length == "default"
    # The ratings of every area first, then the rounds of checks, then the review: no checks per area.
    kinds = [key.partition(":")[0] for key in assessment.steps]
    assert kinds == ["rate"] * areas + ["round"] * (len(kinds) - areas - 1) + ["review"], assessment.steps
    assert "round" in kinds
    return assessment


def answer_checks_by_clicking(
    page: Page, first: int | None = None
) -> dict[int, tuple[str | None, str | None]]:
    """Right and certain, wrong and guessing, "I don't know", in turn, on the page's first ``first``
    checks (all of them by default); returns what was chosen."""
    chosen = {}
    sections = check_sections(page)
    expect(sections.first).to_be_visible()
    count = sections.count() if first is None else min(first, sections.count())
    for position in range(count):
        section = sections.nth(position)
        answer = Answer.objects.select_related("question").get(pk=answer_pk_of(section))
        certainty = CERTAINTIES[position % len(CERTAINTIES)]
        choices = list(answer.question.choices.all())
        if certainty is None:
            text = None
        elif certainty == "Certain":
            text = next(c.text for c in choices if c.is_correct)
        else:
            text = next(c.text for c in choices if not c.is_correct)
        answer_by_clicking(page, section, text, certainty)
        chosen[answer.pk] = (text, certainty)
    return chosen


def rate_first_areas_with_the_mouse(page: Page) -> dict[str, int]:
    """The ratings of the first two areas; returns the levels by skill slug."""
    levels: dict[str, int] = {}
    for area in range(MOUSE_CATEGORIES):
        assert quiz_page(page) == "rate"
        levels |= rate_by_clicking(page, mouse_level)
        if area == 0:
            snap(page, "learner-ratings")
        save_and_continue(page)
    return levels


def expect_ratings(page: Page, levels: dict[str, int]) -> int:
    """Every skill on the ratings page shows the level in ``levels`` (0 when missing) chosen."""
    fieldsets = skill_fieldsets(page)
    expect(fieldsets.first).to_be_visible()
    for position in range(fieldsets.count()):
        fieldset = fieldsets.nth(position)
        slug = fieldset.get_attribute("id").removeprefix("skill-")
        expect(fieldset.locator(f"input[type=radio][value='{levels.get(slug, 0)}']")).to_be_checked()
    return fieldsets.count()


def resume_in_a_new_browser(open_page, levels, resume_at: int) -> Page:
    """Log in again in a fresh browser context and find every earlier rating still chosen."""
    page = open_page()
    log_in(page, EMAIL)
    expect(page.get_by_role("heading", name="Your assessment is in progress")).to_be_visible()
    snap(page, "learner-dashboard-resume")
    page.get_by_role("link", name="Resume the assessment").click()
    expect_step(page, resume_at)
    for index in range(resume_at - 1, -1, -1):
        page.get_by_role("link", name="Back", exact=True).click()
        expect_step(page, index)
        assert quiz_page(page) == "rate"
        expect_ratings(page, levels)

    # The assessment page offers to resume too, at the first unfinished page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessment").click()
    expect(page.get_by_role("heading", name="You have an assessment in progress")).to_be_visible()
    page.get_by_role("link", name="Resume", exact=True).click()
    expect_step(page, resume_at)
    return page


def mouse_areas(assessment: Assessment) -> set[str]:
    """The category slugs of the ratings pages answered with the mouse."""
    return {key.partition(":")[2] for key in assessment.steps[:MOUSE_CATEGORIES]}


def finish_with_the_keyboard(page: Page, assessment: Assessment) -> dict[int, tuple[str | None, str | None]]:
    """The remaining ratings pages and every round of checks with Tab, Space, the arrow keys and
    Enter only (on the first round, the first three checks are clicked before); then submit the
    review with the keyboard. Returns the checks answered with the mouse."""
    mouse_checks: dict[int, tuple[str | None, str | None]] = {}
    by_keyboard = {"skills": 0, "checks": 0}

    def click_first_checks(page: Page) -> None:
        if round_number(page) == 1:
            mouse_checks.update(answer_checks_by_clicking(page, first=len(CERTAINTIES)))
            snap(page, "learner-checks")

    def with_the_keyboard(page: Page) -> None:
        rated, answered = finish_quiz_page_with_keyboard(page)
        by_keyboard["skills"] += rated
        by_keyboard["checks"] += answered

    walked = walk_to_review(page, rate=lambda page: None, answer=click_first_checks, submit=with_the_keyboard)
    assessment.refresh_from_db()
    rounds = walked.count("round")
    assert walked == ["rate"] * (walked.count("rate")) + ["round"] * rounds, walked
    assert rounds >= 1 and len(assessment.steps) == MOUSE_CATEGORIES + len(walked) + 1
    assert len(mouse_checks) == len(CERTAINTIES)

    keyboard_answers = Answer.objects.filter(assessment=assessment).exclude(pk__in=mouse_checks)
    assert by_keyboard["checks"] == keyboard_answers.count() > 0
    assert not keyboard_answers.exclude(dont_know=True).exists()
    assert not assessment.answers.filter(answered_at__isnull=True).exists()
    assert by_keyboard["skills"] == scope_skills().exclude(category__slug__in=mouse_areas(assessment)).count()
    assert set(
        assessment.ratings.exclude(skill__category__slug__in=mouse_areas(assessment)).values_list(
            "level", flat=True
        )
    ) == {0}

    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    ratings_table = page.get_by_role("table", name="Your self-rating for each skill")
    expect(ratings_table.locator("tbody tr")).to_have_count(scope_skills().count())
    answers_table = page.get_by_role("table", name="Your answer to each knowledge check")
    expect(answers_table.locator("tbody tr")).to_have_count(assessment.answers.count())
    expect(answers_table.get_by_text("Not answered yet")).to_have_count(0)
    snap(page, "learner-review")

    skip_to_main(page)
    tab_to(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "Submit and see my results")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/results/\d+/$"))
    return mouse_checks


INTERVAL = re.compile(r"90% sure it is between (\d+)% and (\d+)%\.")


def read_results(page: Page, assessment: Assessment, mouse_checks) -> Result:
    """The readiness figure with its interval, the bars per area, the chart and its table, how the
    ratings compare with the answers, and every check's answer."""
    result = Result.objects.get(assessment=assessment)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    readiness = result.readiness["machine-learning-engineer:entry"]
    assert readiness is not None
    figure = f"{round(readiness * 100)}%"
    headline = page.locator("section[aria-labelledby='readiness-title'] .card").first
    expect(headline).to_contain_text(f"Readiness for {ROLE}")
    expect(headline).to_contain_text(figure)
    expect(headline.get_by_role("meter", name=f"Readiness for {ROLE}")).to_have_attribute(
        "value", str(round(readiness * 100))
    )
    role = result.snapshot.roles["machine-learning-engineer:entry"]
    expect(headline).to_contain_text(
        f"90% sure it is between {round(role.readiness_low * 100)}% and {round(role.readiness_high * 100)}%."
    )

    areas = page.get_by_role("region", name="By area")
    for _slug, name in selectors.assessed_categories(scope().skills):
        expect(areas).to_contain_text(name)
    by_category = role.by_category
    expect(areas.get_by_role("meter")).to_have_count(sum(1 for v in by_category.values() if v is not None))

    skills = sorted(s.name for s in scope_skills())
    expect(page.locator("canvas#skill-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('skill-chart'))")
    drawn = page.evaluate("Chart.getChart(document.getElementById('skill-chart')).data.labels")
    assert sorted(drawn) == skills
    open_areas(page)
    table = page.get_by_role(
        "table", name=re.compile(rf"^Current and target level per skill \({re.escape(ROLE)}\): ")
    )
    expect(table.locator("tbody tr")).to_have_count(len(skills))
    assert sorted(table.locator("tbody th").all_inner_texts()) == skills

    compare = page.get_by_role("region", name="How your ratings compare with your answers")
    expect(compare).to_contain_text("Your ratings")

    region = page.get_by_role("region", name="Your knowledge checks, with the answers")
    cards = region.locator(".card")
    answers = list(assessment.answers.select_related("question").prefetch_related("question__choices"))
    expect(cards).to_have_count(len(answers))
    texts = [as_seen(text) for text in cards.all_inner_texts()]
    for answer in answers:
        shown = [text for text in texts if readable(answer.question.prompt) in text]
        assert len(shown) == 1, answer.question.key
        correct = next(c.text for c in answer.question.choices.all() if c.is_correct)
        assert f"Correct answer: {readable(correct)}" in shown[0]
        chosen, certainty = mouse_checks.get(answer.pk, (None, None))
        if chosen is None:
            assert "Your answer: I don't know" in shown[0]
        else:
            verdict = "right" if certainty == "Certain" else "wrong"
            assert f"Your answer: {readable(chosen)} {verdict} ({certainty}" in shown[0]
    snap(page, "learner-results")
    return result


def progress_text(done: int, total: int) -> str:
    return f"{done:,} of {total:,} hours done ({round(100 * done / total)}%)"  # as intcomma prints them


def open_step(card) -> None:
    """Open the step card's details (the status, notes and evidence fields) unless already open."""
    details = card.locator("details.step-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def save_step(card) -> None:
    card.get_by_role("button", name=re.compile(r"^Save step")).click()


def mark_two_steps_with_htmx(page: Page, steps: list[RoadmapStep]) -> int:
    """Mark the first two steps done: htmx swaps the cards and the progress, the page stays."""
    total = sum(step.hours for step in steps)
    progress = page.locator("#roadmap-progress-label")
    expect(progress).to_have_text(progress_text(0, total))
    page.evaluate("window.__journeyMarker = 'the page was not reloaded'")
    done = 0
    for step in steps[:2]:
        card = page.locator(f"#step-{step.pk}")
        open_step(card)
        card.get_by_label("Status", exact=True).select_option(label="Done")
        with page.expect_response(lambda r: "/roadmap/step/" in r.url and r.request.method == "POST") as info:
            save_step(card)
        assert info.value.request.headers.get("hx-request") == "true"
        expect(card.get_by_role("status")).to_have_text("Saved.")
        expect(card.locator(".badge")).to_have_text("Done")
        done += step.hours
        expect(progress).to_have_text(progress_text(done, total))
    assert page.evaluate("window.__journeyMarker") == "the page was not reloaded"
    snap(page, "learner-roadmap-htmx")
    return done


def mark_a_step_without_javascript(open_page, step: RoadmapStep, done: int, total: int) -> None:
    """With JavaScript off, the step's form is a plain POST that redirects back with "Saved"."""
    page = open_page(java_script_enabled=False)
    log_in(page, EMAIL)
    page.goto("/roadmap/")
    card = page.locator(f"#step-{step.pk}")
    open_step(card)
    card.get_by_label("Status", exact=True).select_option(label="Done")
    save_step(card)
    expect(page).to_have_url(re.compile(rf"/roadmap/#step-{step.pk}$"))
    expect(page.get_by_role("status").filter(has_text="Saved")).to_have_text(
        f"Saved: {step.details.heading}."
    )
    expect(card.locator(".badge")).to_have_text("Done")
    expect(page.locator("#roadmap-progress-label")).to_have_text(progress_text(done, total))
    snap(page, "learner-roadmap-no-javascript")
    page.context.close()


def add_note_and_evidence(page: Page, step: RoadmapStep) -> None:
    card = page.locator(f"#step-{step.pk}")
    open_step(card)
    card.get_by_label("Notes", exact=True).fill(NOTE)
    card.get_by_label("Evidence links (one per line)").fill(EVIDENCE)
    save_step(card)
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.get_by_role("link", name=EVIDENCE)).to_have_attribute("href", EVIDENCE)

    page.reload()
    open_step(card)
    expect(card.get_by_label("Notes", exact=True)).to_have_value(NOTE)
    expect(card.get_by_label("Evidence links (one per line)")).to_have_value(
        re.compile(rf"^{re.escape(EVIDENCE)}\s*$")
    )
    expect(card.get_by_label("Status", exact=True)).to_have_value(StepStatus.DONE)
    progress = StepProgress.objects.get(user__email=EMAIL, key=step.key)
    assert (progress.notes, progress.evidence, progress.status) == (NOTE, [EVIDENCE], StepStatus.DONE)


def download_calendar(page: Page, steps: list[RoadmapStep]) -> None:
    """The iCalendar export: one event per step, unique UIDs, each ending no earlier than it starts."""
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = info.value
    assert download.suggested_filename == "careerpath-roadmap.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(steps)
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        assert event.decoded("DTSTART") <= event.decoded("DTEND")
    assert {str(event["SUMMARY"]) for event in events} == {
        f"{'Milestone' if s.details.kind == 'milestone' else 'Study'}: {s.details.heading}" for s in steps
    }


def follow_the_roadmap(page: Page, open_page) -> None:
    page.get_by_role("link", name="See your roadmap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your roadmap")
    rows = list(RoadmapStep.objects.filter(user__email=EMAIL).order_by("position"))
    steps = [row for row in rows if row.details.kind != "milestone"]  # milestones are markers, no hours
    assert len(steps) >= 3
    total = sum(step.hours for step in steps)
    expect(
        page.get_by_text(f"{len(steps)} steps, {total:,} hours at {HOURS_PER_WEEK} hours a week")
    ).to_be_visible()
    snap(page, "learner-roadmap")

    done = mark_two_steps_with_htmx(page, steps)
    done += steps[2].hours
    mark_a_step_without_javascript(open_page, steps[2], done, total)
    add_note_and_evidence(page, steps[0])
    expect(page.locator("#roadmap-progress-label")).to_have_text(progress_text(done, total))
    download_calendar(page, rows)


def retake(page: Page, levels: dict[str, int]) -> Assessment:
    """Retake: every ratings page starts from the previous levels; every check is "I don't know"."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retake the assessment")
    page.get_by_role("button", name="Start the assessment").click()
    expect_step(page, 0)
    assessment = Assessment.objects.get(user__email=EMAIL, status=Assessment.Status.IN_PROGRESS)
    snap(page, "learner-retake-ratings")
    rated = 0

    def expect_previous_levels(page: Page) -> None:
        nonlocal rated
        rated += expect_ratings(page, levels)

    walked = walk_to_review(page, rate=expect_previous_levels, answer=dont_know_everything)
    assert "round" in walked
    assert rated == scope_skills().count()
    page.get_by_role("button", name="Submit and see my results").click()
    expect(page).to_have_url(re.compile(r"/results/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    return assessment


def read_progress(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    table = page.get_by_role("table", name="Readiness per role at each assessment")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.locator("canvas#readiness-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('readiness-chart'))")
    assert page.evaluate("Chart.getChart(document.getElementById('readiness-chart')).data.labels.length") == 2
    expect(page.get_by_role("heading", name="Compare two assessments")).to_be_visible()
    expect(page.get_by_role("region", name="Steps completed").get_by_role("listitem")).to_have_count(3)
    snap(page, "learner-progress")


def download_my_data(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download everything we hold about you (JSON)").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert data["profile"]["hours_per_week"] == HOURS_PER_WEEK
    assert [a["status"] for a in data["assessments"]] == ["submitted", "submitted"]
    assert all(a["result"] for a in data["assessments"])
    assert EVIDENCE in {link for p in data["step_progress"] for link in p["evidence"]}


def delete_account(page: Page) -> None:
    page.get_by_role("link", name="Delete your account and all its data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    snap(page, "learner-account-delete")
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label(
        "I understand that my profile, assessments, results, plan and notes are deleted"
    ).check()
    page.get_by_role("button", name="Delete my account and data").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.get_by_role("status")).to_have_text("Your account and everything in it were deleted.")
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert not Result.objects.exists() and not StepProgress.objects.exists()

    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    snap(page, "learner-login-after-delete")


# --- the whole journey -------------------------------------------------------------------------------


def test_a_new_learner_goes_from_sign_up_to_results_roadmap_retake_and_account_deletion(
    page: Page, open_page, full_catalogue
):
    """Everything a learner does, in order, with no console error or CSP violation on the way."""
    land_sign_up_and_set_hours(page)
    assessment = start_assessment(page)
    levels = rate_first_areas_with_the_mouse(page)
    expect_step(page, MOUSE_CATEGORIES)

    page.context.close()  # the browser is closed: the next context has no cookies
    page = resume_in_a_new_browser(open_page, levels, MOUSE_CATEGORIES)
    checks = finish_with_the_keyboard(page, assessment)
    read_results(page, assessment, checks)

    follow_the_roadmap(page, open_page)

    retake(page, levels)
    read_progress(page)
    download_my_data(page)
    delete_account(page)


def test_a_step_saved_with_htmx_stays_within_the_csp_when_its_fields_carry_a_style_attribute(
    page: Page, learner, small_catalogue
):
    """Browser extensions (and screenshots) leave style attributes on form fields; htmx's swap of the
    step must not copy them with setAttribute, which the CSP blocks (the page fixture would fail)."""
    take_assessment(learner)
    log_in(page, learner.email)
    page.goto("/roadmap/")
    page.evaluate(
        "document.querySelectorAll('input, textarea').forEach((field) => {"
        " field.style.caretColor = 'red'; field.style.caretColor = ''; })"
    )
    assert page.evaluate("document.querySelectorAll('textarea[style]').length") > 0
    step = RoadmapStep.objects.filter(user=learner).order_by("position").first()
    card = page.locator(f"#step-{step.pk}")
    open_step(card)
    card.get_by_label("Status", exact=True).select_option(label="Done")
    save_step(card)
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.locator(".badge")).to_have_text("Done")


def test_the_results_say_how_sure_the_readiness_is_and_why_each_skill_got_its_level(
    page: Page, learner, small_catalogue
):
    """The headline readiness comes with its 90% interval; every skill has a "Why" disclosure that
    opens (with the mouse or the keyboard) onto five level bars, each with its level and share."""
    result = result_of(take_assessment(learner, level=2, seed=5))
    role = result.snapshot.role()
    assert role is not None and role.readiness is not None
    log_in(page, learner.email)
    page.goto(f"/results/{result.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")

    headline = page.locator("section[aria-labelledby='readiness-title'] .card").first
    low, high = round(role.readiness_low * 100), round(role.readiness_high * 100)
    expect(headline).to_contain_text(f"90% sure it is between {low}% and {high}%.")
    assert low <= round(role.readiness * 100) <= high
    expect(page.get_by_role("region", name="How your ratings compare with your answers")).to_be_visible()

    open_areas(page)
    table = page.get_by_role("table", name=re.compile(r"^Current and target level per skill"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(result.snapshot.skills))
    whys = table.locator("details")
    expect(whys).to_have_count(len(result.snapshot.skills))
    expect(whys.get_by_role("meter").first).to_be_hidden()  # closed until asked

    by_name = {skill.name: skill for skill in result.snapshot.skills}
    for position, how in ((0, "mouse"), (1, "keyboard")):
        row = rows.nth(position)
        skill = by_name[row.locator("th").inner_text().strip()]
        why = row.locator("details")
        summary = why.locator("summary")
        expect(summary).to_have_text("Why")
        if how == "mouse":
            summary.click()
        else:
            summary.focus()
            page.keyboard.press("Enter")
        expect(why).to_have_attribute("open", "")
        bars = why.get_by_role("meter")
        expect(bars).to_have_count(5)
        shares = [round(100 * p) for p in skill.estimate.probabilities]
        assert abs(sum(shares) - 100) <= 3, shares
        for level, share in enumerate(shares):
            bar = bars.nth(level)
            expect(bar).to_be_visible()
            expect(bar).to_have_accessible_name(f"Level {level}: {share}%")
            expect(bar).to_have_attribute("value", str(share))
            expect(why.get_by_role("listitem").nth(level)).to_have_text(
                re.compile(rf"^\s*Level {level}\s+(?:{share}%\s+)?{share}%\s*$")
            )
        expect(why).to_contain_text(f"You said {skill.claim}.")
    snap(page, "learner-results-why")
