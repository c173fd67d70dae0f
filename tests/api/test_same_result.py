"""An assessment taken through the API alone gives the same result as through the pages.

Same catalogue, same answers, same seed for the choice of questions: the same levels, ranges,
probabilities and readiness, whichever way the person answered.
"""

from __future__ import annotations

import random
import types
from http import HTTPStatus

import pytest

from assessments import services as assessment_services
from assessments.models import Answer, Result
from tests.accounts.factories import UserFactory
from tests.api.test_operations import send
from tests.assessments import journey

pytestmark = pytest.mark.django_db

SEED = 20260214
LEVELS = {"python": 3, "sql": 1, "scikit-learn": 2, "pytorch": 0}


@pytest.fixture
def seeded(monkeypatch):
    """Every question choice and shuffle of the services draws from a generator seeded alike."""
    monkeypatch.setattr(
        assessment_services, "random", types.SimpleNamespace(Random=lambda: random.Random(SEED))
    )


def pick(answer: Answer, right: bool):
    """The choice the page journey picks: the first right (or wrong) one."""
    return next(c for c in answer.question.choices.all() if c.is_correct == right)


def take_through_api(client, *, right: bool, certainty: str) -> int:
    started = send(client, "post", "/assessments", {})
    assert started.status_code == HTTPStatus.CREATED
    assessment_id = started.json()["id"]
    while (current := send(client, "get", f"/assessments/{assessment_id}").json()["current"])[
        "kind"
    ] != "review":
        if current["kind"] == "rate":
            body = {
                "ratings": [{"skill": r["skill"], "level": LEVELS[r["skill"]]} for r in current["ratings"]]
            }
        else:
            body = {
                "answers": [
                    {
                        "answer_id": check["answer_id"],
                        "choice_id": pick(Answer.objects.get(pk=check["answer_id"]), right).pk,
                        "certainty": certainty,
                    }
                    for check in current["checks"]
                ]
            }
        response = send(
            client, "post", f"/assessments/{assessment_id}/round", {"step": current["step"], **body}
        )
        assert response.status_code == HTTPStatus.OK, response.json()
    submitted = send(client, "post", f"/assessments/{assessment_id}/submit")
    assert submitted.status_code == HTTPStatus.OK, submitted.json()
    return submitted.json()["result_id"]


def comparable(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in {"id", "created_at"}}


@pytest.mark.parametrize(("right", "certainty"), [(True, "certain"), (False, "fairly_sure")])
def test_the_api_and_the_pages_give_the_same_result_for_the_same_answers(
    client, small_catalogue, seeded, right, certainty
):
    through_pages, through_api = UserFactory(), UserFactory()
    client.force_login(through_pages)
    assessment = journey.start(client)
    response = journey.complete(client, assessment, LEVELS, right=right, certainty=certainty)
    assert response.status_code == HTTPStatus.FOUND
    page_result = Result.objects.get(user=through_pages)
    page_body = send(client, "get", f"/results/{page_result.pk}").json()

    client.force_login(through_api)
    api_result = Result.objects.get(pk=take_through_api(client, right=right, certainty=certainty))
    api_body = send(client, "get", f"/results/{api_result.pk}").json()

    assert api_result.readiness == page_result.readiness
    assert api_result.snapshot.assessed_levels() == page_result.snapshot.assessed_levels()
    assert comparable(api_body) == comparable(page_body)
    asked = [
        sorted(Answer.objects.filter(assessment__user=u).values_list("question__key", "round"))
        for u in (through_pages, through_api)
    ]
    assert asked[0] == asked[1]
    assert any(s["checks"] for s in api_body["skills"])
