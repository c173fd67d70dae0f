"""Rough edges a new learner met, checked on the text a person sees in the browser.

Certainty names and level names as the vocabulary words them, a review page whose Change links lead
to the page that holds each answer, a dashboard that names the target a result measured, a progress
summary that counts the gaps that opened and tells two results of one day apart, a Markdown export
without stray escapes or slug-made names, article titles instead of file names in the open
catalogue, the admin's model names, and one wording for the way in. All with the real catalogue.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import pacing, selectors, services
from assessments.models import Answer, Assessment, Result
from catalogue import sources
from catalogue.models import Skill, SkillCategory
from catalogue.vocab import Level, Phase
from roadmap.models import RoadmapStep
from tests.e2e.data import create_user, responses_for, take_assessment
from tests.e2e.helpers import (
    PASSWORD,
    answer_by_clicking,
    as_seen,
    as_shown,
    click_label_of,
    expect_step,
    log_in,
    open_areas,
    quiz_page,
    readable,
    save_and_continue,
    step_index,
)

pytestmark = pytest.mark.django_db(transaction=True)

CERTAINTY_AS_SLUG = re.compile(r"fairly_sure|fairlysure|fairly-sure", re.IGNORECASE)
# A level shown as its number twice, "2 (2)", instead of its number and its name.
LEVEL_TWICE = re.compile(r"\b(\d) \(\1\)")
# The way in is "Log in" and "Sign up" everywhere: never allauth's "Sign In", nor "Login".
OTHER_ENTRANCE_WORDING = re.compile(r"\bsign[ -]?in\b|\blogin\b|\bsign[ -]?out\b", re.IGNORECASE)
# The file names the catalogue's citations use for its two source articles.
SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
# What Markdown reads as markup anywhere in a line; a backslash may stand only before one of these.
MARKUP = "\\`*_[]<>~#&"
NEEDLESS_ESCAPE = re.compile(r"\\(?![\\`*_\[\]<>~#&])")


def main_text(page: Page) -> str:
    return as_seen(page.get_by_role("main").inner_text())


# --- 1 and 2: the review page's levels and Change links, and certainty on the results -------------


def test_the_review_names_levels_and_changes_an_answer_on_its_own_page_and_results_name_certainty(
    page: Page, full_catalogue
):
    """The review shows each level as "2 — Working"; a rating's and an answer's Change links open the
    page that holds them, and what is changed there shows on the review. The results then name the
    new answer's certainty "Fairly sure" in its card and "fairly sure" in the skill's "Why"."""
    user = create_user("polish-review", "review@e2e.careerpath.test")
    assessment = take_assessment(user, submit=False, level=2)
    assessment.refresh_from_db()

    log_in(page, user.email)
    page.get_by_role("link", name="Resume the assessment").click()
    review = assessment.steps.index("review")
    expect_step(page, review)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")

    ratings = page.get_by_role("table", name="Your self-rating for each skill")
    levels = ratings.locator("tbody tr td:nth-child(3)")
    expect(levels).to_have_count(assessment.ratings.count())
    expect(levels).to_have_text([f"2 — {Level.WORKING.label}"] * assessment.ratings.count())
    assert not LEVEL_TWICE.search(main_text(page))
    answers = page.get_by_role("table", name="Your answer to each knowledge check")
    changes = {
        "rating of": (ratings, assessment.ratings.count()),
        "answer on": (answers, assessment.answers.count()),
    }
    for what, (table, count) in changes.items():
        links = table.get_by_role("link", name=re.compile(rf"^Change your {what} "))
        expect(links).to_have_count(count)
        assert {as_seen(text) for text in links.all_text_contents()} <= {
            f"Change your {what} {s.name}" for s in Skill.objects.all()
        }

    # A rating: its Change link opens its area's ratings page (the last one, so the walk back is short).
    last_area = [key for key in assessment.steps if key.startswith("rate:")][-1]
    area_page = assessment.steps.index(last_area)
    category = SkillCategory.objects.get(slug=last_area.partition(":")[2])
    skill = Skill.objects.filter(category=category, slug__in=assessment.scope).order_by("name").first()
    page.get_by_role("link", name=f"Change your rating of {skill.name}", exact=True).click()
    expect_step(page, area_page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{category.name}: rate yourself")
    fieldset = page.locator(f"fieldset#skill-{skill.slug}")
    expect(fieldset.locator("input[type=radio][value='2']")).to_be_checked()
    click_label_of(page, fieldset.locator("input[type=radio][value='3']"))
    save_and_continue(page)
    # Back to the review: the rounds of checks that follow keep their answers.
    while quiz_page(page) != "review":
        assert step_index(page) < review, page.url
        save_and_continue(page)
    row = ratings.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=skill.name, exact=True))
    expect(row.locator("td").nth(1)).to_have_text(f"3 — {Level.PROFICIENT.label}")
    expect(levels.filter(has_text=f"2 — {Level.WORKING.label}")).to_have_count(assessment.ratings.count() - 1)

    # An answer: "I don't know" on the last round becomes a right answer, "Fairly sure".
    answer = last_round_dont_know(assessment)
    round_page = assessment.steps.index(f"round:{answer.round}")
    correct = answer.question.choices.get(is_correct=True)
    change = page.get_by_role("link", name=f"Change your answer on {answer.skill.name}", exact=True)
    answer_row = answers.locator("tbody tr").filter(has=change)
    expect(answer_row).to_have_count(1)
    expect(answer_row.locator("td").nth(2)).to_have_text("I don't know")
    expect(answer_row.locator("td").nth(3)).to_have_text("-")
    answer_row.get_by_role("link", name=re.compile(r"^Change")).click()
    expect_step(page, round_page)
    section = page.locator(f"section[aria-labelledby='q-{answer.pk}-title']")
    expect(section.get_by_label("I don't know", exact=True)).to_be_checked()
    answer_by_clicking(page, section, correct.text, "Fairly sure")
    save_and_continue(page)  # the last round: the review comes next
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    expect(answer_row.locator("td").nth(2)).to_have_text(as_shown(correct.text))
    expect(answer_row.locator("td").nth(3)).to_have_text("Fairly sure")
    sure = answers.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert set(sure) <= {"Certain", "Fairly sure", "Guessing", "-"}, sure
    assert not CERTAINTY_AS_SLUG.search(main_text(page))

    page.get_by_role("button", name="Submit and see my results").click()
    expect(page).to_have_url(re.compile(r"/results/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    open_areas(page)
    region = page.get_by_role("region", name="Your knowledge checks, with the answers")
    cards = [as_seen(text) for text in region.locator(".card").all_inner_texts()]
    card = [text for text in cards if readable(answer.question.prompt) in text]
    assert len(card) == 1, answer.question.key
    assert f"Your answer: {readable(correct.text)} right (Fairly sure)" in card[0], card[0]

    skill_row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=answer.skill.name, exact=True)
    )
    why = skill_row.locator("details")
    why.locator("summary").click()
    expect(why).to_contain_text(f"Level-{answer.question.level} check: right (fairly sure).")
    text = main_text(page)
    assert "(Fairly sure)" in text and not CERTAINTY_AS_SLUG.search(text)


def last_round_dont_know(assessment: Assessment) -> Answer:
    """An "I don't know" of the last round, on a skill checked once (its Change link is its own)."""
    last = max(Answer.objects.filter(assessment=assessment).values_list("round", flat=True))
    once = [
        answer
        for answer in Answer.objects.filter(assessment=assessment, round=last, dont_know=True)
        .select_related("question", "skill")
        .order_by("pk")
        if Answer.objects.filter(assessment=assessment, skill=answer.skill).count() == 1
    ]
    assert once, 'no skill checked once with "I don\'t know" in the last round'
    return once[0]


# --- 3, 4 and 5: progress, the Markdown export, the dashboard after a change of target ----------


def take_assessment_at(user, level_for, *, seed: int) -> Result:
    """An assessment through the services, with ``level_for(skill)`` as each self-rating and the
    checks answered as tests.e2e.data.take_assessment answers them; returns its result."""
    rng = random.Random(seed)
    assessment = services.assessment_start(user=user, length=pacing.DEFAULT.key)
    index = 0
    while True:
        assessment.refresh_from_db()
        step = selectors.step_page(assessment, index)
        if step.kind == "review":
            break
        if step.kind == "rate":
            rows = selectors.rating_rows(assessment, step.category)
            levels = {skill.pk: level_for(skill) for skill, _anchors, _saved in rows}
            services.ratings_save(assessment=assessment, step=index, levels=levels, rng=rng)
        else:
            rows = selectors.check_rows(assessment, step.category, step.round)
            services.checks_save(assessment=assessment, step=index, responses=responses_for(rows), rng=rng)
        index += 1
    return services.assessment_submit(assessment=assessment)


def slug_made_names() -> set[str]:
    """Category and phase names as a slug would make them ("Core Ml"), where the catalogue differs."""
    named = [(c.slug, c.name) for c in SkillCategory.objects.all()] + [(p.value, p.label) for p in Phase]
    return {made for slug, name in named if (made := slug.replace("-", " ").title()) != name}


def test_progress_export_and_dashboard_name_things_as_the_catalogue_does(page: Page, full_catalogue):
    """Two results of one day: the first high on skills a-l, the second high on m-z, so gaps both
    close and open. Progress tells them apart by time and counts both; the Markdown export has the
    page's headings and plain text; a new target role shows on the dashboard next to the measured one."""
    user = create_user("polish-progress", "progress@e2e.careerpath.test")
    take_assessment_at(user, lambda skill: 4 if skill.slug < "m" else 0, seed=1)
    take_assessment_at(user, lambda skill: 0 if skill.slug < "m" else 4, seed=2)
    first, second = Result.objects.filter(user=user).order_by("created_at")
    day = timezone.localdate() - timedelta(days=1)
    at = {first.pk: time(9, 15), second.pk: time(10, 40)}
    for result in (first, second):
        result.created_at = timezone.make_aware(datetime.combine(day, at[result.pk]))
        Result.objects.filter(pk=result.pk).update(created_at=result.created_at)
    role = second.snapshot.roles[second.focus]
    old = first.snapshot.roles[second.focus]
    closed = [slug for slug, gap in old.skills.items() if gap.gap > 0 and role.skills[slug].gap == 0]
    names = {skill.slug: skill.name for skill in second.snapshot.skills}
    opened = sorted(
        names[slug] for slug, gap in role.skills.items() if gap.gap > 0 and old.skills[slug].gap == 0
    )
    assert len(closed) > 1 and len(opened) > 3, (closed, opened)

    log_in(page, user.email)
    nav = page.get_by_role("navigation", name="Main")

    # 4. The summary counts the gaps closed and opened; two results of one day show their times.
    nav.get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    lead = page.locator("p.lead")
    expect(lead).to_contain_text(
        f"Since {day.day} {day:%B %Y} you closed {len(closed)} gaps and {len(opened)} new gaps opened "
        f"({', '.join(opened[:3])} and {len(opened) - 3} more);"
    )
    table = page.get_by_role("table", name="Readiness per role at each assessment")
    expect(table.locator("tbody th")).to_have_text(
        [f"{day.day} {day:%b %Y} 09:15", f"{day.day} {day:%b %Y} 10:40"]
    )

    # 5. The Markdown export, from the roadmap page's link.
    nav.get_by_role("link", name="Roadmap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your roadmap")
    months = page.locator("section[aria-labelledby^='month-'] > h3").all_inner_texts()
    assert months
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as Markdown").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [f"# careerpath roadmap: {user.username}", *(f"## {month}" for month in months)]
    made = slug_made_names()
    assert "Core Ml" in made
    for heading in headings:
        assert not any(name in heading for name in made), heading
    assert "Core Ml" not in text
    assert not NEEDLESS_ESCAPE.search(text), NEEDLESS_ESCAPE.search(text)
    assert "Planned at" in text
    steps = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    plain = [step for step in steps if not set(step.details.heading + step.details.goal) & set(MARKUP)]
    assert len(plain) > len(steps) // 2
    for step in plain:
        details = step.details
        if details.kind == "milestone":
            assert f": **{details.heading}**" in text, details.heading
        else:
            assert f"- [ ] **{details.heading}**" in text, details.heading
        if details.goal:
            assert f"  - Done looks like: {' '.join(details.goal.split())}" in lines, details.goal

    # 3. The dashboard names the target the result measured, and says when the profile's differs.
    nav.get_by_role("link", name="Dashboard").click()
    latest = page.get_by_role("region", name="Your latest result")
    measured = f"ready for Machine Learning Engineer, entry level, assessed {day.day} {day:%B %Y}."
    expect(latest).to_contain_text(measured)
    expect(latest.get_by_text("Your target is now")).to_have_count(0)
    nav.get_by_role("link", name="Profile").click()
    page.get_by_label("Target role").select_option(label="Data Scientist")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    nav.get_by_role("link", name="Dashboard").click()
    expect(latest).to_contain_text(measured)
    notice = latest.locator("p.alert")
    expect(notice).to_have_text(
        "Your target is now Data Scientist, entry level; retake the assessment to measure it."
    )
    notice.get_by_role("link", name="retake the assessment").click()
    expect(page).to_have_url(re.compile(r"/assessment/$"))


# --- 6: the open catalogue's sources, the admin's names, and the wording of the way in -----------


def test_catalogue_cites_articles_by_title_admin_names_step_progress_and_the_way_in_says_log_in(
    page: Page, full_catalogue
):
    for name, article in sources.ARTICLES.items():
        skill = Skill.objects.filter(source__startswith=f"{name}#").order_by("name").first()
        section = skill.source.partition("#")[2]
        page.goto("/catalogue/")
        page.get_by_role("main").get_by_role("link", name=skill.name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(skill.name)
        link = page.get_by_role("main").get_by_role("link", name=article.title, exact=True)
        expect(link).to_have_attribute("href", article.url)
        text = main_text(page)
        assert f"source: {article.title}, section {section}" in text, text
        assert not SEED_FILE.search(text), SEED_FILE.search(text)
    page.goto("/catalogue/")
    assert not SEED_FILE.search(main_text(page))

    for path, heading in (("/", None), ("/accounts/login/", "Log in"), ("/accounts/signup/", "Sign up")):
        page.goto(path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            expect(page.get_by_role("button", name=heading, exact=True)).to_be_visible()
        text = as_seen(page.locator("body").inner_text())
        assert "Log in" in text and "Sign up" in text, (path, text)
        wrong = OTHER_ENTRANCE_WORDING.search(f"{page.title()} {text}")
        assert wrong is None, (path, wrong)
    expect(page.get_by_text("Already have an account? Log in.")).to_be_visible()

    create_user("polish-staff", "staff@e2e.careerpath.test", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    page.get_by_label("Email", exact=True).fill("staff@e2e.careerpath.test")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    expect(page.get_by_role("link", name="Step progress", exact=True)).to_be_visible()
    assert "progresss" not in page.locator("body").inner_text().lower()
