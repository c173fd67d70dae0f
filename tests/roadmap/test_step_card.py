"""A step card of the roadmap is one line (title, status, hours, dates) until its details are opened."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts.models import Profile
from roadmap.models import RoadmapStep, StudySession
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

VOID = {"input", "br", "meta", "link", "img", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}


class Cards(HTMLParser):
    """For every element inside a step card: its tag, attributes and the tags it is nested in."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.card: str | None = None
        self.depth = 0
        self.elements: dict[str, list[tuple[str, dict, tuple[str, ...]]]] = {}
        self.details_open: dict[str, bool] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "article" and "roadmap-step" in (found.get("class") or ""):
            self.card, self.depth = found["id"], len(self.stack)
            self.elements[self.card] = []
        if self.card:
            self.elements[self.card].append((tag, found, tuple(self.stack[self.depth + 1 :])))
            if tag == "details":
                self.details_open[self.card] = "open" in found
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        if self.card and len(self.stack) == self.depth:
            self.card = None


def cards_of(html: str) -> Cards:
    parser = Cards()
    parser.feed(html)
    return parser


@pytest.fixture
def planned(user_client, user, small_catalogue):
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}, right=False)
    return [
        step
        for step in RoadmapStep.objects.filter(user=user).order_by("position")
        if step.details.kind != "milestone"
    ]


FIELDS = {"status", "notes", "evidence", "hours", "day", "note", None}


def form_fields(elements) -> list[tuple[str | None, tuple[str, ...]]]:
    return [
        (attrs.get("name"), nesting)
        for tag, attrs, nesting in elements
        if tag in {"select", "textarea", "input", "button"}
    ]


def test_each_step_card_shows_title_status_and_hours_and_keeps_the_rest_in_details(user_client, planned):
    page = user_client.get(reverse("roadmap"))
    cards = cards_of(page.content.decode())
    week = {f"step-{item.row.step.pk}" for item in page.context["this_week"]}
    assert set(cards.elements) == {f"step-{step.pk}" for step in planned}
    for step in planned:
        elements = cards.elements[f"step-{step.pk}"]
        title = [nesting for tag, attrs, nesting in elements if attrs.get("id") == f"step-{step.pk}-title"]
        badge = [nesting for tag, attrs, nesting in elements if "badge" in (attrs.get("class") or "")]
        assert title == [("details", "summary")] and badge == [("details", "summary")]
        fields = form_fields(elements)
        forms = [nesting for tag, attrs, nesting in elements if tag == "form"]
        if f"step-{step.pk}" in week:
            # Open: both forms, inside the details.
            assert {name for name, _ in fields} >= FIELDS
            for name, nesting in fields:
                assert nesting[0] == "details" and "summary" not in nesting, (name, nesting)
            assert len(forms) == 2 and all(nesting[0] == "details" for nesting in forms)
        else:
            # Closed: no form; a link to the step's page, which htmx loads into the card when it opens.
            assert fields == [] and forms == []
            log_url = reverse("roadmap_study_log", args=[step.key])
            links = [attrs for tag, attrs, nesting in elements if tag == "a" and attrs.get("href") == log_url]
            loaders = [attrs for tag, attrs, nesting in elements if attrs.get("hx-get") == log_url]
            assert links and loaders
            assert loaders[0]["hx-trigger"] == "click once from:closest details"  # not when printing opens it


def test_a_closed_card_gets_both_forms_when_it_opens_and_without_javascript_on_its_page(user_client, planned):
    page = user_client.get(reverse("roadmap"))
    week = {item.row.step.pk for item in page.context["this_week"]}
    closed = next(step for step in planned if step.pk not in week)
    url = reverse("roadmap_study_log", args=[closed.key])

    fragment = user_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="csrfmiddlewaretoken"' in fragment
    for field in (
        'name="status"',
        'name="evidence"',
        'name="notes"',
        'name="hours"',
        'name="day"',
        'name="note"',
    ):
        assert field in fragment
    assert "<article" not in fragment  # the forms alone: the card around them stays

    whole = cards_of(user_client.get(url).content.decode())
    assert whole.details_open == {f"step-{closed.pk}": True}
    assert {name for name, _ in form_fields(whole.elements[f"step-{closed.pk}"])} >= FIELDS


def test_a_closed_card_shows_what_changed_since_it_was_last_shown(user_client, planned):
    page = user_client.get(reverse("roadmap"))
    week = {item.row.step.pk for item in page.context["this_week"]}
    closed = next(step for step in planned if step.pk not in week)
    before = cards_of(page.content.decode())
    assert before.details_open[f"step-{closed.pk}"] is False
    assert 'name="csrfmiddlewaretoken"' not in card_html(page.content.decode(), closed.pk)

    user_client.post(
        reverse("roadmap_step", args=[closed.key]),
        {"status": "in_progress", "notes": "Chapter two", "evidence": "https://example.org/notebook"},
    )
    user_client.post(
        reverse("roadmap_study_log", args=[closed.key]),
        {"hours": "1.5", "day": page.context["today"].isoformat(), "note": ""},
    )
    html = card_html(user_client.get(reverse("roadmap")).content.decode(), closed.pk)
    assert "In progress" in html and "https://example.org/notebook" in html
    assert "step-done" not in html
    opened = user_client.get(reverse("roadmap_study_log", args=[closed.key]), HTTP_HX_REQUEST="true")
    assert f"1.5 h logged, {closed.hours} planned" in opened.content.decode()

    user_client.post(
        reverse("roadmap_step", args=[closed.key]), {"status": "done", "notes": "", "evidence": ""}
    )
    html = card_html(user_client.get(reverse("roadmap")).content.decode(), closed.pk)
    assert "step-done" in html and "Done" in html and "https://example.org/notebook" not in html


def card_html(page: str, pk: int) -> str:
    start = page.rindex("<article", 0, page.index(f'id="step-{pk}"'))
    return page[start : page.index("</article>", start)]


def test_only_this_weeks_steps_start_open_and_a_saved_card_comes_back_open(user_client, planned):
    page = user_client.get(reverse("roadmap"))
    cards = cards_of(page.content.decode())
    week = {f"step-{item.row.step.pk}" for item in page.context["this_week"]}
    assert week and {card for card, is_open in cards.details_open.items() if is_open} == week

    last = planned[-1]
    assert f"step-{last.pk}" not in week
    for data in ({"status": "done", "notes": "", "evidence": ""}, {"status": "finished"}):
        response = user_client.post(reverse("roadmap_step", args=[last.key]), data, HTTP_HX_REQUEST="true")
        assert cards_of(response.content.decode()).details_open == {f"step-{last.pk}": True}


def test_an_open_cards_forms_carry_each_sessions_own_token(user, planned):
    """Open cards are kept once rendered; their forms still post with the page's own token, in a
    second browser (another session, another token) too."""
    url = reverse("roadmap")
    for _browser in range(2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(url)
        step = page.context["this_week"][0].row.step
        card = card_html(page.content.decode(), step.pk)
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', card)
        assert len(tokens) == 2  # the step's form and the study-log form

        logged = browser.post(
            reverse("roadmap_study_log", args=[step.key]),
            {
                "csrfmiddlewaretoken": tokens[1],
                "hours": "1",
                "day": page.context["today"].isoformat(),
                "note": "",
            },
        )
        assert logged.status_code == 302
    assert StudySession.objects.filter(user=user, step_key=step.key).count() == 2
