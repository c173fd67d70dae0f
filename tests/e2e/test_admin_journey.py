"""The catalogue editor's journey in the Django admin, and what a learner sees afterwards."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Answer
from catalogue.models import Question, Skill
from tests.e2e.data import create_user
from tests.e2e.helpers import (
    PASSWORD,
    answer_by_clicking,
    answer_pk_of,
    as_seen,
    as_shown,
    check_sections,
    log_in,
    rate_by_clicking,
    readable,
    round_number,
    snap,
    walk_to_review,
)

pytestmark = pytest.mark.django_db(transaction=True)

SKILL = "python"
NEW_KEY = "python-l3-e2e-context-managers"
NEW_PROMPT = "What does a `with` statement guarantee about the context manager's `__exit__` method?"
NEW_EXPLANATION = "`__exit__` runs however the block is left: normally, by return, or by an exception."
NEW_CHOICES = [
    ("A", "It runs only when the block finishes without an exception", False),
    ("B", "It runs however the block is left, even when an exception is raised", True),
    ("C", "It runs before the block starts, to acquire the resource", False),
    ("D", "It runs only when the garbage collector frees the object", False),
]
EDITOR_PERMISSIONS = (
    "catalogue.view_skill",
    "catalogue.view_question",
    "catalogue.add_question",
    "catalogue.change_question",
    "catalogue.view_choice",
    "catalogue.add_choice",
    "catalogue.change_choice",
)


def admin_log_in(page: Page, email: str) -> None:
    """The admin sends staff to the site's log-in page (one lock-out for every way in), then back."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def add_question(page: Page, skill: Skill) -> None:
    """The Question add page: the skill by autocomplete, then four choices in the Choice inline."""
    page.get_by_role("link", name="Questions").first.click()
    page.get_by_role("link", name="Add question").click()
    expect(page.get_by_role("heading", name="Add question")).to_be_visible()
    page.get_by_label("Key").fill(NEW_KEY)
    # The skill is an autocomplete field (select2): open it, search, pick.
    page.locator(".field-skill .select2-selection").click()
    page.locator(".select2-search__field").fill(skill.name)
    page.locator(".select2-results__option", has_text=re.compile(rf"^{re.escape(skill.name)}$")).click()
    expect(page.locator(".field-skill .select2-selection__rendered")).to_have_text(re.compile(skill.name))
    page.get_by_label("Level").fill("3")
    page.get_by_label("Prompt").fill(NEW_PROMPT)
    page.get_by_label("Explanation").fill(NEW_EXPLANATION)
    expect(page.get_by_label("Active")).to_be_checked()

    inline = page.locator("#choices-group")
    for row, (label, text, correct) in enumerate(NEW_CHOICES):
        inline.get_by_role("button", name="Add another Choice").click()
        inline.locator(f"#id_choices-{row}-label").fill(label)
        inline.locator(f"#id_choices-{row}-text").fill(text)
        if correct:
            inline.locator(f"#id_choices-{row}-is_correct").check()
    snap(page, "admin-question-add")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"{NEW_KEY}\u201d was added successfully")

    question = Question.objects.get(key=NEW_KEY)
    assert (question.skill, question.level, question.active) == (skill, 3, True)
    assert [(c.label, c.text, c.is_correct) for c in question.choices.order_by("label")] == NEW_CHOICES


def retire_other_level_3_questions(page: Page, skill: Skill) -> list[Question]:
    """From the question list (searched and filtered to level 3), untick Active on each other one."""
    others = list(Question.objects.filter(skill=skill, level=3, active=True).exclude(key=NEW_KEY))
    assert others, "the catalogue should have level-3 questions to retire"
    for question in others:
        page.goto("/admin/catalogue/question/")
        page.locator("#searchbar").fill(skill.name)
        page.get_by_role("button", name="Search").click()
        expect(page).to_have_url(re.compile(rf"\?q={skill.name}$"))
        page.locator("#changelist-filter").get_by_role("link", name="3", exact=True).click()
        expect(page).to_have_url(re.compile(rf"level=3&q={skill.name}$"))
        expect(page.get_by_role("link", name=NEW_KEY, exact=True)).to_be_visible()
        page.get_by_role("link", name=question.key, exact=True).click()
        expect(page.get_by_role("heading", name="Change question")).to_be_visible()
        page.get_by_label("Active").uncheck()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text(f"{question.key}\u201d was changed successfully")
    snap(page, "admin-questions-retired")
    assert list(Question.objects.filter(skill=skill, level=3, active=True).values_list("key", flat=True)) == [
        NEW_KEY
    ]
    return others


def test_a_question_added_in_the_admin_is_offered_to_the_next_learner_claiming_its_level(
    page: Page, open_page, full_catalogue
):
    """A staff editor adds a level-3 question with its choices and retires the skill's other
    level-3 questions; a new learner who claims level 3 on every skill is then asked the new
    question in the rounds of checks, and never a retired one."""
    skill = Skill.objects.get(slug=SKILL)
    create_user("e2e-editor", "editor@e2e.careerpath.test", permissions=EDITOR_PERMISSIONS, is_staff=True)

    admin_log_in(page, "editor@e2e.careerpath.test")
    add_question(page, skill)
    retired = retire_other_level_3_questions(page, skill)
    # Which level the rounds check first is the measurement's choice; with the skill's other
    # levels retired too, whichever round checks the skill can only ask the new question.
    Question.objects.filter(skill=skill, active=True).exclude(key=NEW_KEY).update(active=False)

    learner = create_user("e2e-new-learner", "newcomer@e2e.careerpath.test")
    browser = open_page()
    log_in(browser, learner.email)
    browser.get_by_role("link", name="Take the assessment").click()
    # The thorough length has checks for every skill of the target.
    browser.get_by_role("radio", name=re.compile("^Thorough")).check()
    browser.get_by_role("button", name="Start the assessment").click()

    def claim_level_3(browser: Page) -> None:
        rate_by_clicking(browser, lambda _position, _slug: 3)

    offered_on = []

    def answer_the_skill_right(browser: Page) -> None:
        """The skill's checks right and certain, every other one "I don't know"."""
        sections = check_sections(browser)
        shown = [as_seen(text) for text in sections.all_inner_texts()]
        for question in retired:
            assert not any(readable(question.prompt) in text for text in shown), question.key
        offered = sections.filter(has_text=as_shown(NEW_PROMPT))
        if offered.count():
            expect(offered).to_have_count(1)
            expect(offered).to_contain_text(skill.name)
            for _label, text, _correct in NEW_CHOICES:
                expect(offered.get_by_label(as_shown(text), exact=True)).to_be_visible()
            expect(offered.get_by_label("I don't know", exact=True)).to_be_visible()
            snap(browser, "admin-new-question-offered")
            offered_on.append(round_number(browser))
        for position in range(sections.count()):
            section = sections.nth(position)
            answer = Answer.objects.select_related("question").get(pk=answer_pk_of(section))
            if answer.skill_id == skill.pk:
                correct = next(c.text for c in answer.question.choices.all() if c.is_correct)
                answer_by_clicking(browser, section, correct, "Certain")
            else:
                answer_by_clicking(browser, section, None, None)

    walk_to_review(browser, rate=claim_level_3, answer=answer_the_skill_right)
    assert len(offered_on) == 1, f"the new question was offered in rounds {offered_on}"
    asked = Answer.objects.filter(assessment__user=learner, skill=skill)
    assert [answer.question.key for answer in asked] == [NEW_KEY]
