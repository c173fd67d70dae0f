"""A Hindi speaker's first journey in Chromium, in Hindi from the header's language switch on.

On the home page the person picks हिन्दी in the header's switch (a real select, which submits on
change), then signs up, chooses a target, takes the assessment (every ratings page, then the rounds
of knowledge checks, each answered with a certainty or "I don't know"), reads the results, opens the
roadmap, logs study time and marks a step done, reads the progress, logs out and in again. Every
page is checked as a Hindi reader sees it: ``<html lang="hi">``, the switch showing हिन्दी, the
navigation, heading and main buttons in Hindi, and no English interface phrase of the Hindi
catalogue left on the page.

The Hindi is read from the compiled catalogue at test time (``hi``), so a reworded translation
does not break the test; the catalogue's own content (skill names, questions, resources) is English
on purpose and is left out of the check for English phrases.
"""

from __future__ import annotations

import re

import pytest
from django.db import models
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import trans_real
from playwright.sync_api import Locator, Page, expect

from assessments.models import Answer, Assessment
from catalogue.models import CATALOGUE_MODELS
from roadmap.models import RoadmapStep, StepProgress, StepStatus
from tests.e2e.helpers import (
    PASSWORD,
    answer_by_clicking,
    answer_pk_of,
    as_seen,
    check_sections,
    click_label_of,
    expect_step,
    rate_by_clicking,
    step_index,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "priya@e2e.careerpath.test"
HINDI = "हिन्दी"  # the switch names each language in itself
STUDY_HOURS = "2"


# --- the Hindi the app shows, from the compiled catalogue ------------------------------------------


def hi(msgid: str, context: str | None = None, **values: object) -> str:
    """The Hindi for an English msgid, as the compiled catalogue gives it (``values`` fill its
    placeholders). Fails when the catalogue leaves the msgid untranslated."""
    with translation.override("hi"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert text != msgid, f"no Hindi for {msgid!r}"
    return text % values if values else text


def hi_plural(singular: str, plural: str, number: int) -> str:
    """The Hindi for ``number`` of a plural msgid, placeholders unfilled."""
    with translation.override("hi"):
        text = translation.ngettext(singular, plural, number)
    assert text not in (singular, plural), f"no Hindi for {singular!r}"
    return text


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
DEVANAGARI = re.compile(r"[\u0900-\u097f]")


def text_pattern(text: str, **values: object) -> re.Pattern[str]:
    """A translated text with placeholders as a whole-text pattern: the ``values`` given are
    matched literally, any other placeholder by some text; markup is dropped and spaces are
    optional (an accessible name puts one where a hidden span starts)."""
    text = as_seen(strip_tags(text))
    parts = []
    position = 0

    def literal(part: str) -> str:
        return "".join(re.escape(char) + r"\s*" for char in part.replace("%%", "%") if not char.isspace())

    for match in PLACEHOLDER.finditer(text):
        parts.append(literal(text[position : match.start()]))
        name = match.group(1)
        parts.append((re.escape(str(values[name])) if name in values else ".+?") + r"\s*")
        position = match.end()
    parts.append(literal(text[position:]))
    return re.compile(r"^\s*" + "".join(parts) + r"\s*$")


def hi_pattern(msgid: str, context: str | None = None, **values: object) -> re.Pattern[str]:
    """The Hindi of a msgid with placeholders, as a pattern (see ``text_pattern``)."""
    return text_pattern(hi(msgid, context), **values)


def catalogue_content() -> str:
    """Every piece of text the catalogue holds (names, descriptions, questions, choices...), which
    pages show as written, in English."""
    texts = []
    for model in CATALOGUE_MODELS:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model._base_manager.values_list(*fields):
            texts += [str(value) for value in row if value]
    return "\n".join(as_seen(text) for text in texts)


def english_interface_phrases() -> list[str]:
    """The English of the interface phrases the Hindi catalogue translates, as a page would show
    them word for word if the translation were missing: two words or more, without placeholders or
    markup, and neither catalogue content nor quoted inside a Hindi translation."""
    with translation.override("hi"):
        compiled = dict(trans_real.translation("hi")._catalog.items())
    hindi = "\n".join(value for value in compiled.values() if isinstance(value, str))
    content = catalogue_content()
    phrases = set()
    for key, value in compiled.items():
        if not isinstance(key, str) or not isinstance(value, str):
            continue  # plural forms
        msgid = as_seen(key.split("\x04")[-1])  # without its context
        if (
            msgid != as_seen(value)
            and len(msgid.split()) >= 2
            and not re.search(r"[%<>&{]", msgid)
            and msgid not in content
            and msgid not in hindi
        ):
            phrases.add(msgid)
    assert len(phrases) > 300, len(phrases)
    return sorted(phrases)


# --- what every page in Hindi must show ------------------------------------------------------------


class Hindi:
    """Checks a page as a Hindi reader sees it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.phrases = english_interface_phrases()

    def nav(self) -> Locator:
        return self.page.get_by_role("navigation", name=hi("Main", "the main navigation"))

    def expect_page(
        self,
        heading: str | re.Pattern[str],
        *,
        buttons: tuple[str | re.Pattern[str], ...] = (),
        english: tuple[str, ...] = (),
        logged_in: bool = True,
    ) -> None:
        """``<html lang="hi">``, the switch on हिन्दी, the navigation, the heading and the ``buttons``
        in Hindi; none of the ``english`` texts (the page's own English heading and buttons), nor of
        the catalogue's English interface phrases, shown."""
        page = self.page
        expect(page.locator("html")).to_have_attribute("lang", "hi")
        heading_element = page.get_by_role("heading", level=1)
        expect(heading_element).to_have_text(heading)
        switch = page.get_by_label(hi("Language"), exact=True)
        expect(switch).to_have_value("hi")
        expect(switch.locator("option:checked")).to_have_text(HINDI)

        nav = self.nav()
        expect(nav.get_by_role("link", name=hi("Catalogue"), exact=True)).to_be_visible()
        if logged_in:
            for name in (
                hi("Dashboard"),
                hi("Assessment", "navigation: the assessment pages"),
                hi("Roadmap"),
                hi("Progress", "navigation: the progress page"),
                hi("Profile"),
            ):
                expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
            expect(nav.get_by_role("button", name=hi("Log out"), exact=True)).to_be_visible()
        else:
            expect(nav.get_by_role("link", name=hi("Log in"), exact=True)).to_be_visible()
        for english_name in (
            "Dashboard",
            "Assessment",
            "Roadmap",
            "Progress",
            "Profile",
            "Catalogue",
            "Log in",
        ):
            expect(nav.get_by_role("link", name=english_name, exact=True)).to_have_count(0)
        expect(nav.get_by_role("button", name="Log out", exact=True)).to_have_count(0)

        main = page.get_by_role("main")
        for name in buttons:
            expect(main.get_by_role("button", name=name).first).to_be_visible()
        text = as_seen(page.locator("body").inner_text())
        shown = [
            text[max(0, at - 60) : at + len(phrase) + 60]
            for phrase in (*english, *self.phrases)
            if (at := text.find(phrase)) >= 0
        ]
        assert not shown, f"English interface text on {page.url}: {shown}"
        for message in page.locator("main .messages [role]").all_inner_texts():
            message = as_seen(message)
            assert DEVANAGARI.search(message), f"a message in English on {page.url}: {message!r}"
        heading_text = heading_element.inner_text()
        assert DEVANAGARI.search(heading_text), f"the heading is not in Devanagari: {heading_text!r}"


# --- the journey, one page at a time -----------------------------------------------------------------


def switch_to_hindi_on_the_home_page(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How far are you from Machine Learning Engineer?"
    )
    switch = page.get_by_label("Language", exact=True)
    expect(switch.get_by_role("option", name=HINDI)).to_have_attribute("lang", "hi")
    switch.select_option(label=HINDI)  # language.js submits the form on change
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))


def home(page: Page, check: Hindi) -> None:
    check.expect_page(
        hi("How far are you from Machine Learning Engineer?"),
        english=("How far are you from Machine Learning Engineer?", "Sign up and take the assessment"),
        logged_in=False,
    )
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=hi("Log in"), exact=True)).to_be_visible()
    main.get_by_role("link", name=hi("Sign up and take the assessment")).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))


def sign_up(page: Page, check: Hindi) -> None:
    check.expect_page(hi("Sign up"), buttons=(hi("Sign up"),), english=("Sign up", "Log in"), logged_in=False)
    page.get_by_label(hi("Email"), exact=True).fill(EMAIL)
    page.get_by_label(hi("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(hi("Password (again)"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=hi("Sign up"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/welcome/$"))


def choose_target(page: Page, check: Hindi) -> None:
    """Onboarding: the default target (entry-level Machine Learning Engineer) and choices."""
    check.expect_page(
        hi("Welcome: choose your target"),
        buttons=(hi("Next: your choices"),),
        english=("Welcome: choose your target", "Next: your choices"),
    )
    expect(page.get_by_label(hi("Entry level"), exact=True)).to_be_checked()
    page.get_by_role("button", name=hi("Next: your choices")).click()
    expect(page).to_have_url(re.compile(r"/welcome/choices/$"))

    check.expect_page(
        hi_pattern("Your choices for %(target_name)s"),
        buttons=(hi("Save my target"),),
        english=("Save my target", "Back: role and level"),
    )
    expect(page.get_by_role("main").get_by_role("link", name=hi("Back: role and level"))).to_be_visible()
    page.get_by_role("button", name=hi("Save my target")).click()
    expect(page).to_have_url(re.compile(r"/assessment/$"))


def start_assessment(page: Page, check: Hindi) -> None:
    check.expect_page(
        hi("The skills assessment"),
        buttons=(hi("Start the assessment"),),
        english=("The skills assessment", "Start the assessment", "How it works"),
    )
    how_long = page.get_by_role("group", name=hi("How long", "the length of the assessment"))
    expect(how_long.get_by_role("radio").first).to_be_checked()
    expect(page.get_by_role("heading", name=hi("How it works"))).to_be_visible()
    page.get_by_role("button", name=hi("Start the assessment")).click()
    expect_step(page, 0)


def quiz_kind(page: Page) -> str:
    """The kind of quiz page shown, read from its Hindi heading: "rate", "round" or "review"."""
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    text = as_seen(heading.inner_text())
    if text == hi("Review your answers"):
        return "review"
    if hi_pattern("%(category)s: rate yourself").match(text):
        return "rate"
    if hi_pattern("Knowledge checks: round %(round)s").match(text):
        return "round"
    raise AssertionError(f"not a quiz page heading in Hindi: {text!r} ({page.url})")


def rate(page: Page, check: Hindi, step: int) -> None:
    check.expect_page(
        hi_pattern("%(category)s: rate yourself"),
        buttons=(
            hi("Save and continue"),
            hi("Save and exit"),
            hi("None of these yet: rate them all 0 and continue"),
        ),
        english=("Save and continue", "Save and exit", ": rate yourself"),
    )
    expect(page.locator("#quiz-progress-label")).to_have_text(
        hi_pattern("Step %(step)s of %(total)s: %(category)s", step=step + 1)
    )
    levels = (2, 1, 0)
    rate_by_clicking(page, lambda position, _slug: levels[position % len(levels)])
    first = page.locator("fieldset[id^='skill-']").first
    expect(first.locator("label").first).to_contain_text(hi("Level %(value)s", value=0))


def answer_round(page: Page, check: Hindi, step: int) -> dict[str, int]:
    """Right and certain, wrong and guessing, "I don't know", in turn; returns how many of each."""
    check.expect_page(
        hi_pattern("Knowledge checks: round %(round)s"),
        buttons=(hi("Save and continue"),),
        english=("Knowledge checks: round", "How sure are you?", "Save and continue"),
    )
    expect(page.locator("#quiz-progress-label")).to_have_text(
        hi_pattern("Step %(step)s of %(total)s: knowledge checks, round %(round)s", step=step + 1)
    )
    counts = {"right": 0, "wrong": 0, "dont_know": 0}
    sections = check_sections(page)
    expect(sections.first).to_be_visible()
    for position in range(sections.count()):
        section = sections.nth(position)
        expect(
            section.get_by_role("group", name=re.compile(re.escape(hi("How sure are you?"))))
        ).to_be_visible()
        answer = Answer.objects.select_related("question").get(pk=answer_pk_of(section))
        choices = list(answer.question.choices.all())
        turn = position % 3
        if turn == 0:
            right = next(c.text for c in choices if c.is_correct)
            answer_by_clicking(page, section, right, hi("Certain"))
            counts["right"] += 1
        elif turn == 1:
            wrong = next(c.text for c in choices if not c.is_correct)
            answer_by_clicking(page, section, wrong, hi("Guessing"))
            counts["wrong"] += 1
        else:
            click_label_of(page, section.get_by_label(hi("I don't know"), exact=True))
            counts["dont_know"] += 1
    return counts


def save_and_continue(page: Page) -> None:
    index = step_index(page)
    page.get_by_role("button", name=hi("Save and continue"), exact=True).click()
    expect_step(page, index + 1)


def take_the_assessment(page: Page, check: Hindi) -> Assessment:
    """Every page the app shows, followed to the review (the rounds end once every skill is settled),
    then submitted."""
    walked = []
    counts = {"right": 0, "wrong": 0, "dont_know": 0}
    for _ in range(60):
        step = step_index(page)
        kind = quiz_kind(page)
        if kind == "review":
            break
        if kind == "rate":
            rate(page, check, step)
        else:
            for name, number in answer_round(page, check, step).items():
                counts[name] += number
        walked.append(kind)
        save_and_continue(page)
    else:
        raise AssertionError("no review page after 60 quiz pages")
    assert walked[0] == "rate" and "round" in walked, walked
    assert counts["right"] and counts["wrong"] and counts["dont_know"], counts

    check.expect_page(
        hi("Review your answers"),
        buttons=(hi("Submit and see my results"),),
        english=("Review your answers", "Submit and see my results", "I don't know"),
    )
    answers = page.get_by_role("table", name=hi("Your answer to each knowledge check"))
    expect(answers.get_by_role("cell", name=hi("I don't know"), exact=True)).to_have_count(
        counts["dont_know"]
    )
    expect(answers.get_by_role("cell", name=hi("Certain"), exact=True)).to_have_count(counts["right"])
    expect(answers.get_by_role("cell", name=hi("Guessing"), exact=True)).to_have_count(counts["wrong"])
    page.get_by_role("button", name=hi("Submit and see my results")).click()
    expect(page).to_have_url(re.compile(r"/results/\d+/$"))
    return Assessment.objects.get(user__email=EMAIL)


def read_results(page: Page, check: Hindi) -> None:
    check.expect_page(
        hi("Your results"),
        english=("Your results", "By area", "See your roadmap", "Top gaps, by priority"),
    )
    calibration = page.get_by_role("region", name=hi("How your ratings compare with your answers"))
    expect(calibration).to_be_visible()
    # Each note is worded in Hindi around the skill's name and levels.
    over = hi_pattern(
        "You rated yourself %(level)s (%(claim)s) in %(skill)s, but the checks put you at %(assessed)s: %(reason)s"
    )
    under = hi_pattern(
        "You rated yourself %(level)s (%(claim)s) in %(skill)s, and the checks suggest you are at "
        "%(assessed)s: %(reason)s"
    )
    notes = calibration.get_by_role("listitem")
    expect(notes.first).to_be_visible()
    for note in notes.all_inner_texts():
        assert over.match(as_seen(note)) or under.match(as_seen(note)), note
    expect(page.get_by_role("region", name=hi("By area"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=hi("Top gaps, by priority"))).to_be_visible()
    expect(page.get_by_role("meter", name=hi_pattern("Readiness for %(role)s")).first).to_be_visible()
    page.get_by_role("link", name=hi("See your roadmap")).click()
    expect(page).to_have_url(re.compile(r"/roadmap/$"))


PROGRESS_MSGIDS = (
    "%(done)s of %(planned)s hour done (%(percent)s%%)",
    "%(done)s of %(planned)s hours done (%(percent)s%%)",
)


def follow_the_roadmap(page: Page, check: Hindi) -> RoadmapStep:
    """Log study time on the first step, then mark it done (htmx swaps the card, in Hindi)."""
    check.expect_page(hi("Your roadmap"), english=("Your roadmap", "Save step", "Log time", "Study time"))
    progress = page.locator("#roadmap-progress-label")
    planned = sum(
        s.hours for s in RoadmapStep.objects.filter(user__email=EMAIL) if s.details.kind != "milestone"
    )
    expect(progress).to_have_text(text_pattern(hi_plural(*PROGRESS_MSGIDS, planned), done=0, percent=0))
    step = next(
        s
        for s in RoadmapStep.objects.filter(user__email=EMAIL).order_by("position")
        if s.details.kind != "milestone"
    )
    card = page.locator(f"#step-{step.pk}")
    details = card.locator("details.step-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")

    study = card.get_by_role(
        "region", name=hi_pattern('Study time<span class="visually-hidden">: %(name)s</span>')
    )
    expect(study).to_be_visible()
    card.get_by_label(hi("Hours"), exact=True).fill(STUDY_HOURS)
    card.get_by_role(
        "button", name=hi_pattern('Log time<span class="visually-hidden">: %(name)s</span>')
    ).click()
    expect(card.get_by_role("status")).to_have_text(hi_pattern("Logged %(hours)s h.", hours=STUDY_HOURS))

    card.get_by_label(hi("Status", "of a roadmap step"), exact=True).select_option(
        label=hi(StepStatus.DONE.label)
    )
    card.get_by_role(
        "button", name=hi_pattern('Save step<span class="visually-hidden">: %(name)s</span>')
    ).click()
    expect(card.get_by_role("status")).to_have_text(hi("Saved."))
    expect(card.locator(".badge")).to_have_text(hi("Done"))
    check.expect_page(hi("Your roadmap"), english=("Save step", "Log time"))
    percent = round(100 * step.hours / planned)
    expect(progress).to_have_text(text_pattern(hi_plural(*PROGRESS_MSGIDS, planned), percent=percent))
    assert StepProgress.objects.get(user__email=EMAIL, key=step.key).status == StepStatus.DONE
    return step


def read_progress(page: Page, check: Hindi, step: RoadmapStep) -> None:
    check.nav().get_by_role("link", name=hi("Progress", "navigation: the progress page"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/progress/$"))
    check.expect_page(
        hi("Your progress"),
        english=("Your progress", "Steps completed", "Study time logged", "Readiness over time"),
    )
    expect(page.get_by_role("heading", name=hi("Readiness over time"))).to_be_visible()
    expect(page.get_by_role("table", name=hi("Readiness per role at each assessment"))).to_be_visible()
    steps = page.get_by_role("region", name=hi("Steps completed"))
    expect(steps.get_by_role("listitem")).to_have_count(1)
    expect(steps.get_by_role("listitem")).to_contain_text(step.details.name)
    expect(page.get_by_role("heading", name=hi("Study time logged"))).to_be_visible()
    total = page.get_by_role("row", name=re.compile(re.escape(hi("Total", "sum of the hours"))))
    expect(total).to_contain_text(STUDY_HOURS)


def log_out_and_in_again(page: Page, check: Hindi) -> None:
    """Hindi stays after logging out, on the log-in page, and once logged in again."""
    check.nav().get_by_role("button", name=hi("Log out"), exact=True).click()
    login = check.nav().get_by_role("link", name=hi("Log in"), exact=True)
    expect(login).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    login.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    check.expect_page(hi("Log in"), buttons=(hi("Log in"),), english=("Log in", "Sign up"), logged_in=False)
    page.get_by_label(hi("Email"), exact=True).fill(EMAIL)
    page.get_by_label(hi("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=hi("Log in"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    check.expect_page(
        hi_pattern("Hello, %(name)s"),
        english=("Hello,", "Your latest result", "Open your roadmap"),
    )
    expect(page.get_by_role("heading", name=hi("Your latest result"))).to_be_visible()
    expect(page.get_by_role("link", name=hi("Open your roadmap"))).to_be_visible()


# --- the whole journey -------------------------------------------------------------------------------


def test_a_hindi_speaker_signs_up_is_assessed_follows_the_plan_and_stays_in_hindi(page: Page, full_catalogue):
    """The main journey of a new person who reads Hindi, with no console error or CSP violation."""
    switch_to_hindi_on_the_home_page(page)
    check = Hindi(page)
    home(page, check)
    sign_up(page, check)
    choose_target(page, check)
    start_assessment(page, check)
    take_the_assessment(page, check)
    read_results(page, check)
    step = follow_the_roadmap(page, check)
    read_progress(page, check, step)
    log_out_and_in_again(page, check)


def test_the_language_picked_before_signing_up_is_remembered_on_the_profile(page: Page, open_page, role):
    """Hindi picked on the home page, then sign up: logging in from another browser (no language
    cookie) still shows the pages in Hindi, as the profile remembers it."""
    switch_to_hindi_on_the_home_page(page)
    page.get_by_role("main").get_by_role("link", name=hi("Sign up and take the assessment")).click()
    page.get_by_label(hi("Email"), exact=True).fill(EMAIL)
    page.get_by_label(hi("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(hi("Password (again)"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=hi("Sign up"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/welcome/$"))
    expect(page.locator("html")).to_have_attribute("lang", "hi")

    other = open_page()  # another browser: no cookies, an English Accept-Language
    other.goto("/accounts/login/")
    expect(other.locator("html")).to_have_attribute("lang", "en-gb")
    other.get_by_label("Email", exact=True).fill(EMAIL)
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()
    expect(other).to_have_url(re.compile(r"/(welcome|dashboard)/$"))
    expect(other.locator("html")).to_have_attribute("lang", "hi")
