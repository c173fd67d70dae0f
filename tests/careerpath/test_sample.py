"""The public sample pages: the demo learner's result, plan and progress, read-only, for visitors."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import escape
from http import HTTPStatus

import pytest
from django.db import transaction
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Profile, User
from assessments import services as assessment_services
from assessments.models import Result
from roadmap import demo
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StepProgress, StepStatus
from tests.accounts.factories import UserFactory
from tests.assessments.through_services import fill_pages
from tests.conftest import load_full_catalogue
from tests.module_data import AddedRows, module_rows, rows_added

pytestmark = pytest.mark.django_db

SAMPLES = ("sample_result", "sample_plan", "sample_progress")
PRIVATE_NAME = "Zelda Privatperson"
PRIVATE_EMAIL = "zelda@learners.careerpath.test"
PRIVATE_NOTE = "my private note 7f3a"
POSTING_FORM = re.compile(r"<form[^>]*method=[\"']?post", re.IGNORECASE)


def make_someone() -> User:
    """A real learner with a result, a plan and a note on a step: none of it may reach a sample."""
    person = UserFactory(email=PRIVATE_EMAIL)
    Profile.objects.filter(user=person).update(display_name=PRIVATE_NAME, city="Reykjavik")
    assessment = assessment_services.assessment_start(user=person)
    fill_pages(assessment, default=4)
    assessment_services.assessment_submit(assessment=assessment)
    key = RoadmapStep.objects.filter(user=person).first().key
    roadmap_services.step_mark(
        user=person,
        key=key,
        update=roadmap_services.StepUpdate(status=StepStatus.DONE, notes=PRIVATE_NOTE, evidence=[]),
    )
    return person


@dataclass(frozen=True)
class World:
    """The real catalogue and ``someone``, kept for the module; the rows ``load_demo`` adds to them."""

    someone: User
    demo: demo.DemoSummary
    demo_rows: AddedRows


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, real_catalogue_rows):
    """Made once for the module (tests/module_data.py): each test starts from these rows, and what it
    changes is rolled back before the next one."""

    def make() -> World:
        load_full_catalogue(real_catalogue_rows)
        person = make_someone()
        with transaction.atomic():
            with rows_added() as demo_rows:
                summary = demo.load_demo()
            transaction.set_rollback(True)  # kept as rows, for the tests that load the demo
        return World(someone=person, demo=summary, demo_rows=demo_rows)

    with module_rows(django_db_blocker, make) as made:
        yield made


@pytest.fixture
def someone(db, world):
    """A real learner with a result, a plan and a note on a step: none of it may reach a sample."""
    return User.objects.get(pk=world.someone.pk)


@pytest.fixture
def loaded(someone, world):
    """The demo learner, loaded after ``someone``: the rows ``load_demo`` made on the same rows for
    the module, put back with their ids."""
    world.demo_rows.write()
    return replace(world.demo, user=User.objects.get(pk=world.demo.user.pk))


def page_text(response) -> str:
    return response.content.decode()


def test_visitors_read_the_demo_learners_result_plan_and_progress_and_nothing_else(client, loaded, someone):
    demo_user = loaded.user
    latest = Result.objects.filter(user=demo_user).order_by("-created_at").first()
    mine = Result.objects.get(user=someone)
    assert round(100 * latest.readiness[latest.focus]) != round(100 * mine.readiness[mine.focus])

    result = client.get(reverse("sample_result"))
    assert result.status_code == HTTPStatus.OK
    body = page_text(result)
    assert f"{round(100 * latest.readiness[latest.focus])}%" in body
    assert "This is a sample result" in body and reverse("account_signup") in body
    skill_names = [skill.name for skill in latest.snapshot.skills]
    assert all(escape(name) in body for name in skill_names[:5])
    # The knowledge checks' questions and answers stay private to whoever took them.
    assert "Your knowledge checks, with the answers" not in body
    assert "Correct answer:" not in body and "Report a problem with this question" not in body

    plan = client.get(reverse("sample_plan"))
    assert plan.status_code == HTTPStatus.OK
    body = page_text(plan)
    steps = list(RoadmapStep.objects.filter(user=demo_user).order_by("position"))
    assert all(escape(step.details.heading) in body for step in steps if step.details.kind != "milestone")
    assert "This is a sample plan" in body
    done = StepProgress.objects.filter(user=demo_user, status=StepStatus.DONE).count()
    assert body.count('badge text-bg-success ms-1">Done<') >= done - 2  # milestones show no badge
    assert "h logged" in body

    progress = client.get(reverse("sample_progress"))
    assert progress.status_code == HTTPStatus.OK
    body = page_text(progress)
    for past in Result.objects.filter(user=demo_user):
        assert f"{round(100 * past.readiness[past.focus])}%" in body
    assert "Steps completed" in body and "Study time logged" in body

    for response in (result, plan, progress):
        body = page_text(response)
        assert not POSTING_FORM.search(body)  # nothing to save, mark, log, re-plan or export
        for private in (PRIVATE_NAME, PRIVATE_EMAIL, PRIVATE_NOTE, "Reykjavik", demo.DEMO_EMAIL):
            assert private not in body
        assert reverse("roadmap_markdown") not in body and reverse("roadmap_icalendar") not in body
        assert reverse("result_detail", args=[mine.pk]) not in body
        assert reverse("result_detail", args=[latest.pk]) not in body  # private address, even the demo's


def test_the_sample_pages_are_public_cacheable_set_no_cookie_and_linked_from_home(client, loaded, someone):
    home = page_text(client.get(reverse("home")))
    assert reverse("sample_result") in home and reverse("sample_plan") in home
    assert "See a sample result" in home
    for name in SAMPLES:
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.OK, name
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=300" in cache_control, name
        assert not response.cookies, (name, list(response.cookies))
        again = client.get(reverse(name))  # from what was kept: the result's body, the plan's content
        assert again.status_code == HTTPStatus.OK and again.content == response.content, name
        assert not again.cookies and "csrf" not in again.content.decode().lower(), name
    assert client.post(reverse("sample_plan")).status_code == HTTPStatus.METHOD_NOT_ALLOWED

    # Someone logged in sees the sample too, but their browser keeps no copy of it.
    client.force_login(someone)
    response = client.get(reverse("sample_plan"))
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert PRIVATE_NOTE not in page_text(response)


def test_without_the_demo_learner_the_samples_are_a_friendly_404_and_home_hides_them(client, someone):
    for name in SAMPLES:
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.NOT_FOUND, name
        body = page_text(response)
        assert "No sample to show yet" in body
        assert PRIVATE_NAME not in body and PRIVATE_NOTE not in body
    assert reverse("sample_result") not in page_text(client.get(reverse("home")))


def test_a_person_who_signs_up_with_the_demo_address_never_becomes_the_sample(client, someone):
    UserFactory(email=demo.DEMO_EMAIL)
    person = UserFactory(email="another@learners.careerpath.test")
    account_services.profile_update(user=person, fields={"display_name": "Not a sample"})
    for name in SAMPLES:
        assert client.get(reverse(name)).status_code == HTTPStatus.NOT_FOUND, name


def test_the_sample_pages_make_a_bounded_number_of_queries(client, loaded, django_assert_max_num_queries):
    client.get(reverse("sample_result"))  # the result body is rendered once, then cached
    with django_assert_max_num_queries(12):
        client.get(reverse("sample_result"))
    with django_assert_max_num_queries(20):
        client.get(reverse("sample_plan"))
    with django_assert_max_num_queries(14):
        client.get(reverse("sample_progress"))
    with django_assert_max_num_queries(3):
        client.get(reverse("home"))
