"""The API's operations for their owner: what each one reads and writes, and what it refuses."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from assessments import presenters as assessment_presenters
from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.forms import MSG_CHOOSE_CERTAINTY, MSG_CHOOSE_LEVEL, MSG_STALE_PAGE
from assessments.models import Answer, Assessment, Result, SelfRating
from roadmap import services as roadmap_services
from roadmap.forms import MSG_EVIDENCE_URL
from roadmap.models import RoadmapStep, StepProgress, StudySession
from tests.assessments.through_services import fill_pages

pytestmark = pytest.mark.django_db

API = "/api/v1"
LEVELS = {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0}


def right(answer, choices):
    """Answer a check right, and be certain."""
    pick = next(c for c in choices if c.is_correct)
    return assessment_services.CheckResponse(answer_id=answer.pk, choice_id=pick.pk, certainty="certain")


def take_assessment(user, levels=None) -> Result:
    """Take and submit an assessment through the services (it builds the plan too)."""
    assessment = assessment_services.assessment_start(user=user)
    fill_pages(assessment, levels=levels or LEVELS, respond=right)
    return assessment_services.assessment_submit(assessment=assessment)


def send(client, method: str, path: str, body=None):
    """A JSON request to the API."""
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(API + path, **kwargs)


def messages(response) -> list[str]:
    return [item["msg"] for item in response.json()["detail"]]


@pytest.fixture
def taken(user, small_catalogue) -> Result:
    return take_assessment(user)


# --- profile -------------------------------------------------------------------------------------


def test_the_profile_reads_the_persons_own_profile(user_client, user, small_catalogue):
    response = send(user_client, "get", "/profile")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["username"] == user.username
    assert body["hours_per_week"] == 6
    assert body["target_role"] == "machine-learning-engineer"
    assert body["onboarded"] is True


def test_anonymous_visitors_get_401_from_private_operations(client, small_catalogue):
    assert send(client, "get", "/profile").status_code == HTTPStatus.UNAUTHORIZED
    assert send(client, "get", "/plan").status_code == HTTPStatus.UNAUTHORIZED
    assert send(client, "post", "/assessments", {}).status_code == HTTPStatus.UNAUTHORIZED


def test_a_profile_change_is_saved_and_keeps_the_fields_not_sent(user_client, user, small_catalogue):
    response = send(user_client, "patch", "/profile", {"hours_per_week": 10, "city": "Leeds"})
    assert response.status_code == HTTPStatus.OK, response.json()
    assert response.json()["hours_per_week"] == 10
    profile = Profile.objects.get(user=user)
    assert (profile.hours_per_week, profile.city, profile.target_role.slug) == (
        10,
        "Leeds",
        "machine-learning-engineer",
    )
    response = send(user_client, "patch", "/profile", {"target_role": "data-scientist"})
    assert response.status_code == HTTPStatus.OK
    assert Profile.objects.get(user=user).target_role.slug == "data-scientist"


@pytest.mark.parametrize(
    "change",
    [
        {"hours_per_week": 0},
        {"hours_per_week": 61},
        {"target_role": "astronaut"},
        {"experience_level": "wizard"},
        {"country": "XX"},
        {"hours_per_week": None},
        {"display_name": "x" * 81},
        {"unknown": 1},
    ],
)
def test_a_refused_profile_change_is_a_422_and_saves_nothing(user_client, user, small_catalogue, change):
    response = send(user_client, "patch", "/profile", {"city": "Leeds", **change})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"]
    profile = Profile.objects.get(user=user)
    assert (profile.city, profile.hours_per_week) == ("", 6)


def test_new_hours_a_week_retime_the_plan_as_the_profile_page_does(user_client, user, taken):
    before = RoadmapStep.objects.filter(user=user).order_by("-planned_end").first().planned_end
    assert send(user_client, "patch", "/profile", {"hours_per_week": 30}).status_code == HTTPStatus.OK
    after = RoadmapStep.objects.filter(user=user).order_by("-planned_end").first().planned_end
    assert after < before


# --- assessments -------------------------------------------------------------------------------


def test_starting_an_assessment_gives_its_first_page_and_a_second_start_the_same_one(
    user_client, user, small_catalogue
):
    response = send(user_client, "post", "/assessments", {})
    assert response.status_code == HTTPStatus.CREATED, response.json()
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["current"]["kind"] == "rate"
    assert body["current"]["step"] == 0
    assert {r["skill"] for r in body["current"]["ratings"]} == {"python", "sql"}
    assert [lvl["level"] for lvl in body["current"]["ratings"][0]["levels"]] == [0, 1, 2, 3, 4]
    again = send(user_client, "post", "/assessments", {"length": "thorough"})
    assert again.status_code == HTTPStatus.OK
    assert again.json()["id"] == body["id"]
    assert Assessment.objects.filter(user=user).count() == 1


def test_an_unknown_length_is_refused(user_client, user, small_catalogue):
    response = send(user_client, "post", "/assessments", {"length": "forever"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert messages(response) == [assessment_services.MSG_UNKNOWN_LENGTH]
    assert not Assessment.objects.filter(user=user).exists()


def test_nothing_to_assess_is_a_409(user_client, user):
    response = send(user_client, "post", "/assessments", {})
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["detail"] == assessment_services.MSG_NOTHING_TO_ASSESS


def answer_current(client, assessment_id: int, levels=None, *, certainty="certain", right_answers=True):
    """Answer the current page through the API: ratings from ``levels``, checks right (or wrong)."""
    current = send(client, "get", f"/assessments/{assessment_id}").json()["current"]
    if current["kind"] == "rate":
        body = {
            "step": current["step"],
            "ratings": [
                {"skill": r["skill"], "level": (levels or LEVELS)[r["skill"]]} for r in current["ratings"]
            ],
        }
    else:
        answers = []
        for check in current["checks"]:
            answer = Answer.objects.get(pk=check["answer_id"])
            choice = (
                answer.question.choices.get(is_correct=right_answers)
                if right_answers
                else (answer.question.choices.filter(is_correct=False).order_by("label").first())
            )
            answers.append({"answer_id": check["answer_id"], "choice_id": choice.pk, "certainty": certainty})
        body = {"step": current["step"], "answers": answers}
    return send(client, "post", f"/assessments/{assessment_id}/round", body)


def test_an_assessment_taken_through_the_api_gives_a_result_and_a_plan(user_client, user, small_catalogue):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    while True:
        current = send(user_client, "get", f"/assessments/{assessment_id}").json()["current"]
        if current["kind"] == "review":
            break
        response = answer_current(user_client, assessment_id)
        assert response.status_code == HTTPStatus.OK, response.json()
    submitted = send(user_client, "post", f"/assessments/{assessment_id}/submit")
    assert submitted.status_code == HTTPStatus.OK, submitted.json()
    body = submitted.json()
    assert body["status"] == "submitted" and body["current"] is None
    result = Result.objects.get(user=user)
    assert body["result_id"] == result.pk
    assert send(user_client, "get", "/plan").json()["steps"]
    listed = send(user_client, "get", "/assessments").json()
    assert [(a["id"], a["status"], a["result_id"]) for a in listed] == [
        (assessment_id, "submitted", result.pk)
    ]
    # A finished assessment takes no more answers, no second submit and no discard.
    for method, path in (("post", "/round"), ("post", "/submit"), ("delete", "")):
        response = send(
            user_client, method, f"/assessments/{assessment_id}{path}", {} if path == "/round" else None
        )
        assert response.status_code == HTTPStatus.CONFLICT
        assert response.json()["detail"] == assessment_services.MSG_ALREADY_SUBMITTED
    assert Result.objects.filter(user=user).count() == 1


def test_a_ratings_page_missing_a_skill_is_refused_with_the_pages_message(user_client, user, small_catalogue):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    response = send(
        user_client,
        "post",
        f"/assessments/{assessment_id}/round",
        {"ratings": [{"skill": "python", "level": 2}]},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert messages(response) == [MSG_CHOOSE_LEVEL.format(skill="SQL")]
    assert not SelfRating.objects.filter(assessment_id=assessment_id).exists()
    assert Assessment.objects.get(pk=assessment_id).furthest_step == 0


@pytest.mark.parametrize(
    "body",
    [
        {"ratings": [{"skill": "python", "level": 2}, {"skill": "sql", "level": 5}]},
        {"ratings": [{"skill": "python", "level": 2}, {"skill": "sql", "level": -1}]},
        {
            "ratings": [
                {"skill": "python", "level": 2},
                {"skill": "pytorch", "level": 1},
                {"skill": "sql", "level": 1},
            ]
        },
        {
            "ratings": [
                {"skill": "python", "level": 2},
                {"skill": "python", "level": 1},
                {"skill": "sql", "level": 1},
            ]
        },
        {"ratings": [{"skill": "python", "level": 2}, {"skill": "sql", "level": 1}], "step": 1},
        {"ratings": [{"skill": "python", "level": 2}, {"skill": "sql", "level": 1}], "step": 99},
        {"answers": []},
        {},
        {"ratings": None},
    ],
)
def test_a_refused_ratings_page_is_a_422_and_saves_nothing(user_client, user, small_catalogue, body):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    response = send(user_client, "post", f"/assessments/{assessment_id}/round", body)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, response.json()
    assert response.json()["detail"]
    assert not SelfRating.objects.filter(assessment_id=assessment_id).exists()
    assert Assessment.objects.get(pk=assessment_id).furthest_step == 0


def test_a_stale_step_is_refused_with_the_pages_message(user_client, user, small_catalogue):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    response = send(user_client, "post", f"/assessments/{assessment_id}/round", {"step": -1, "ratings": []})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert messages(response) == [MSG_STALE_PAGE]


def rate_every_page(client, assessment_id):
    while send(client, "get", f"/assessments/{assessment_id}").json()["current"]["kind"] == "rate":
        assert answer_current(client, assessment_id).status_code == HTTPStatus.OK


def test_a_check_answered_without_certainty_is_refused_and_nothing_on_the_page_is_saved(
    user_client, user, small_catalogue
):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    rate_every_page(user_client, assessment_id)
    current = send(user_client, "get", f"/assessments/{assessment_id}").json()["current"]
    assert current["kind"] == "round" and current["checks"]
    answers = [
        {"answer_id": c["answer_id"], "choice_id": c["choices"][0]["id"], "certainty": "certain"}
        for c in current["checks"]
    ]
    answers[-1]["certainty"] = ""
    response = send(user_client, "post", f"/assessments/{assessment_id}/round", {"answers": answers})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert messages(response) == [MSG_CHOOSE_CERTAINTY]
    assert not Answer.objects.filter(assessment_id=assessment_id, answered_at__isnull=False).exists()


def test_checks_of_another_page_or_a_wrong_choice_are_refused(user_client, user, other_user, small_catalogue):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    rate_every_page(user_client, assessment_id)
    checks = send(user_client, "get", f"/assessments/{assessment_id}").json()["current"]["checks"]
    dont_know = [{"answer_id": c["answer_id"], "dont_know": True} for c in checks]
    other = assessment_services.assessment_start(user=other_user)
    fill_pages(other, levels=LEVELS)
    foreign = Answer.objects.filter(assessment=other).first()
    for answers in (
        [*dont_know, {"answer_id": foreign.pk, "dont_know": True}],
        [{**dont_know[0], "choice_id": checks[0]["choices"][0]["id"]}, *dont_know[1:]],
        [{"answer_id": checks[0]["answer_id"], "choice_id": 10**9, "certainty": "certain"}, *dont_know[1:]],
        dont_know[1:],
    ):
        response = send(user_client, "post", f"/assessments/{assessment_id}/round", {"answers": answers})
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, response.json()
    assert not Answer.objects.filter(assessment_id=assessment_id, answered_at__isnull=False).exists()
    response = send(user_client, "post", f"/assessments/{assessment_id}/round", {"answers": dont_know})
    assert response.status_code == HTTPStatus.OK


def test_an_unfinished_assessment_cannot_be_submitted_and_can_be_discarded(
    user_client, user, small_catalogue
):
    assessment_id = send(user_client, "post", "/assessments", {}).json()["id"]
    response = send(user_client, "post", f"/assessments/{assessment_id}/submit")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["detail"] == assessment_services.MSG_INCOMPLETE
    assert send(user_client, "delete", f"/assessments/{assessment_id}").status_code == HTTPStatus.NO_CONTENT
    assert not Assessment.objects.filter(user=user).exists()


def test_the_review_page_takes_no_answers(user_client, user, small_catalogue):
    assessment = assessment_services.assessment_start(user=user)
    fill_pages(assessment, levels=LEVELS, respond=right)
    current = send(user_client, "get", f"/assessments/{assessment.pk}").json()["current"]
    assert current["kind"] == "review"
    response = send(user_client, "post", f"/assessments/{assessment.pk}/round", {"ratings": []})
    assert response.status_code == HTTPStatus.CONFLICT


# --- results and progress ------------------------------------------------------------------------


def test_a_result_says_what_the_results_page_says(user_client, user, taken):
    response = send(user_client, "get", f"/results/{taken.pk}")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    page = assessment_presenters.result_context(assessment_selectors.result_get(pk=taken.pk))
    assert body["readiness"]["percent"] == page["headline"]["readiness"]
    assert body["readiness"]["key"] == page["headline"]["slug"] == taken.focus
    interval = body["readiness"]["interval"]
    assert {k: round(100 * v) for k, v in interval.items()} == page["headline"]["interval"]
    assert interval["low"] <= body["readiness"]["readiness"] <= interval["high"]
    assert [c["percent"] for c in body["readiness"]["by_category"]] == [
        bar["readiness"] for bar in page["category_bars"]
    ]
    rows = {row["slug"]: row for row in page["rows"]}
    for skill in body["skills"]:
        row = rows[skill["slug"]]
        assert (skill["claim"], skill["level"], skill["low"], skill["high"]) == (
            row["self_level"],
            row["assessed_level"],
            row["low"],
            row["high"],
        )
        assert len(skill["probabilities"]) == 5
        assert sum(skill["probabilities"]) == pytest.approx(1, abs=0.01)
    assert body["method"] == {
        "name": page["method"].name,
        "version": page["method"].version,
        "parameters": page["method"].parameters,
    }
    html = user_client.get(reverse("result_detail", args=[taken.pk])).content.decode()
    assert f"{page['headline']['readiness']}%" in html
    listed = send(user_client, "get", "/results").json()
    assert [(r["id"], r["percent"]) for r in listed] == [(taken.pk, page["headline"]["readiness"])]


def test_a_result_is_read_in_a_few_queries(user_client, user, taken, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert send(user_client, "get", f"/results/{taken.pk}").status_code == HTTPStatus.OK


def test_progress_compares_the_first_and_the_latest_result(user_client, user, small_catalogue):
    first = take_assessment(user, {"python": 1, "sql": 0, "scikit-learn": 0, "pytorch": 0})
    second = take_assessment(user, {"python": 3, "sql": 2, "scikit-learn": 2, "pytorch": 1})
    response = send(user_client, "get", "/progress")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert [row["result_id"] for row in body["history"]] == [first.pk, second.pk]
    assert body["comparison"]["from_id"] == first.pk and body["comparison"]["to_id"] == second.pk
    assert body["comparison"]["after"] == assessment_presenters.percent(second.readiness[second.focus])
    page = user_client.get(reverse("progress"))
    assert page.context["summary"]["after"] == body["comparison"]["after"]
    assert page.context["summary"]["closed"] == body["comparison"]["gaps_closed"]
    chosen = send(user_client, "get", f"/progress?from={second.pk}&to={first.pk}").json()
    assert (chosen["comparison"]["from_id"], chosen["comparison"]["to_id"]) == (second.pk, first.pk)


def test_progress_shows_steps_done_and_study_time(user_client, user, taken):
    step = RoadmapStep.objects.filter(user=user).first()
    roadmap_services.step_mark(
        user=user, key=step.key, update=roadmap_services.StepUpdate(status="done", notes="", evidence=[])
    )
    roadmap_services.study_session_log(
        user=user, key=step.key, day=timezone.localdate(), hours=Decimal("1.5")
    )
    body = send(user_client, "get", "/progress").json()
    assert [c["key"] for c in body["completed"]] == [step.key]
    assert body["study_total_hours"] == "1.5" and body["study_total_minutes"] == 90
    assert body["study_weeks"][-1]["minutes"] == 90
    assert body["comparison"] is None


# --- plan and study log --------------------------------------------------------------------------


def test_the_plan_lists_its_steps_with_dates_status_and_logged_time(user_client, user, taken):
    response = send(user_client, "get", "/plan")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    rows = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    assert [s["key"] for s in body["steps"]] == [r.key for r in rows]
    first = body["steps"][0]
    assert first["title"] == rows[0].details.heading
    assert first["status"] == "todo" and first["logged_minutes"] == 0
    assert first["planned_start"] == rows[0].planned_start.isoformat()
    assert body["hours_planned"] == sum(r.hours for r in rows if r.details.kind != "milestone")


def test_marking_a_step_shows_on_the_plan(user_client, user, taken):
    key = RoadmapStep.objects.filter(user=user).first().key
    response = send(
        user_client,
        "patch",
        f"/plan/steps/{key}",
        {"status": "done", "notes": "Finished the course.", "evidence": ["https://example.org/cert"]},
    )
    assert response.status_code == HTTPStatus.OK, response.json()
    assert response.json()["status"] == "done" and response.json()["completed_at"]
    step = next(s for s in send(user_client, "get", "/plan").json()["steps"] if s["key"] == key)
    assert (step["status"], step["notes"], step["evidence"]) == (
        "done",
        "Finished the course.",
        ["https://example.org/cert"],
    )
    # A change of notes alone keeps the status and the links.
    send(user_client, "patch", f"/plan/steps/{key}", {"notes": "Again."})
    progress = StepProgress.objects.get(user=user, key=key)
    assert (progress.status, progress.notes, progress.evidence) == (
        "done",
        "Again.",
        ["https://example.org/cert"],
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"evidence": ["not a link"]}, MSG_EVIDENCE_URL),
        ({"evidence": [f"https://example.org/{n}" for n in range(6)]}, MSG_EVIDENCE_URL),
        ({"status": "finished"}, None),
        ({"notes": "x" * 5001}, None),
        ({"notes": "a\x00b"}, None),
        ({"status": None}, None),
    ],
)
def test_a_refused_step_change_is_a_422_and_saves_nothing(user_client, user, taken, change, message):
    key = RoadmapStep.objects.filter(user=user).first().key
    response = send(user_client, "patch", f"/plan/steps/{key}", {"status": "in_progress", **change})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    if message:
        assert messages(response) == [message]
    assert not StepProgress.objects.filter(user=user).exists()


def test_a_step_not_in_the_plan_is_a_404(user_client, user, taken):
    for method, path, body in (
        ("get", "/plan/steps/skill:nothing:1", None),
        ("patch", "/plan/steps/skill:nothing:1", {"status": "done"}),
        ("get", "/plan/steps/skill:nothing:1/sessions", None),
        ("post", "/plan/steps/skill:nothing:1/sessions", {"hours": 1}),
    ):
        assert send(user_client, method, path, body).status_code == HTTPStatus.NOT_FOUND


def test_study_time_logged_shows_on_the_step_and_the_plan(user_client, user, taken):
    key = RoadmapStep.objects.filter(user=user).first().key
    response = send(user_client, "post", f"/plan/steps/{key}/sessions", {"hours": 1.5, "note": "Chapter 2"})
    assert response.status_code == HTTPStatus.CREATED, response.json()
    assert response.json()["hours"] == "1.5" and response.json()["day"] == timezone.localdate().isoformat()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    send(user_client, "post", f"/plan/steps/{key}/sessions", {"hours": "0.25", "day": yesterday})
    sessions = send(user_client, "get", f"/plan/steps/{key}/sessions").json()
    assert [(s["minutes"], s["note"]) for s in sessions] == [(90, "Chapter 2"), (15, "")]
    step = next(s for s in send(user_client, "get", "/plan").json()["steps"] if s["key"] == key)
    assert step["logged_minutes"] == 105


@pytest.mark.parametrize(
    "body",
    [
        {"hours": 0.1},
        {"hours": 25},
        {"hours": "NaN"},
        {"hours": 1, "day": "2999-01-01"},
        {"hours": 1, "day": "2000-01-01"},
        {"hours": 1, "note": "x" * 201},
        {"hours": 1, "day": None},
        {},
    ],
)
def test_refused_study_time_is_a_422_and_logs_nothing(user_client, user, taken, body):
    key = RoadmapStep.objects.filter(user=user).first().key
    response = send(user_client, "post", f"/plan/steps/{key}/sessions", body)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, response.json()
    assert not StudySession.objects.filter(user=user).exists()


def test_more_than_24_hours_a_day_is_refused_with_the_study_logs_message(user_client, user, taken):
    key = RoadmapStep.objects.filter(user=user).first().key
    assert (
        send(user_client, "post", f"/plan/steps/{key}/sessions", {"hours": 20}).status_code
        == HTTPStatus.CREATED
    )
    response = send(user_client, "post", f"/plan/steps/{key}/sessions", {"hours": 5})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert messages(response) == [roadmap_services.MSG_DAY_FULL]
    assert StudySession.objects.filter(user=user).count() == 1


def test_the_plan_is_read_in_a_few_queries_however_long(
    user_client, user, small_catalogue, django_assert_max_num_queries
):
    assessment = assessment_services.assessment_start(user=user)
    fill_pages(assessment, default=0)  # every check "I don't know": a long plan
    assessment_services.assessment_submit(assessment=assessment)
    step = RoadmapStep.objects.filter(user=user).first()
    roadmap_services.step_mark(
        user=user, key=step.key, update=roadmap_services.StepUpdate(status="done", notes="", evidence=[])
    )
    roadmap_services.study_session_log(user=user, key=step.key, day=timezone.localdate(), hours=Decimal(1))
    assert RoadmapStep.objects.filter(user=user).count() > 5
    with django_assert_max_num_queries(9):
        assert send(user_client, "get", "/plan").status_code == HTTPStatus.OK


def test_the_plan_is_empty_before_a_result(user_client, user, small_catalogue):
    body = send(user_client, "get", "/plan").json()
    assert body["steps"] == [] and body["finish"] is None


# --- the open catalogue --------------------------------------------------------------------------


def test_the_catalogue_is_open_to_anonymous_visitors(client, small_catalogue):
    skills = send(client, "get", "/catalogue/skills")
    assert skills.status_code == HTTPStatus.OK
    assert {s["slug"] for s in skills.json()} == {"python", "sql", "scikit-learn", "pytorch"}
    skill = send(client, "get", "/catalogue/skills/scikit-learn").json()
    assert skill["prerequisites"][0]["slug"] == "python"
    assert [a["level"] for a in skill["anchors"]] == [0, 1, 2, 3, 4]
    roles = send(client, "get", "/catalogue/roles").json()
    assert {r["slug"] for r in roles} == {"machine-learning-engineer", "data-scientist"}
    assert send(client, "get", "/catalogue/roles/data-scientist").json()["slug"] == "data-scientist"
    targets = send(client, "get", "/catalogue/targets").json()
    first = targets[0]
    target = send(client, "get", f"/catalogue/targets/{first['role']}/{first['seniority']}")
    assert target.status_code == HTTPStatus.OK
    assert target.json()["name"] == first["name"]


def test_unknown_catalogue_entries_are_a_404(client, small_catalogue):
    for path in (
        "/catalogue/skills/nothing",
        "/catalogue/skills/bad%00slug",
        "/catalogue/roles/nothing",
        "/catalogue/targets/machine-learning-engineer/emperor",
    ):
        assert send(client, "get", path).status_code == HTTPStatus.NOT_FOUND, path


def test_the_assessment_list_selector_gives_only_the_persons_own_with_their_result(
    user, other_user, small_catalogue
):
    result = take_assessment(user)
    in_progress = assessment_services.assessment_start(user=user)
    take_assessment(other_user)
    assert assessment_selectors.assessment_list(user=user) == [
        (in_progress, None),
        (result.assessment, result.pk),
    ]
