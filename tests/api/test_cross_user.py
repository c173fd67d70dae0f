"""Every object of the API is its owner's: another person gets a 404 for it, and changes nothing.

Driven by the schema: each operation that names an object (a path parameter) must have an entry
here, or be listed as open to all; a new operation without one fails
``test_every_operation_naming_an_object_is_in_the_matrix``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import pytest
from django.forms.models import model_to_dict
from ninja.errors import HttpError

from accounts.models import Profile, User
from api import auth
from api.v1 import api
from assessments import services as assessment_services
from assessments.models import Answer, Assessment, Result, SelfRating
from roadmap.models import RoadmapStep, StepProgress, StudySession
from tests.accounts.factories import UserFactory
from tests.api.test_operations import take_assessment
from tests.conftest import make_small_catalogue
from tests.module_data import module_rows

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"


@dataclass
class Owned:
    """A's objects: a submitted assessment with its result and plan, and one in progress."""

    submitted: Assessment
    result: Result
    in_progress: Assessment
    step: RoadmapStep


@dataclass(frozen=True)
class Entry:
    """How to call an operation on A's object: its path parameters and body."""

    params: Callable[[Owned], dict[str, Any]]
    body: Callable[[Owned], Any] | None = None
    query: Callable[[Owned], str] | None = None


def _answer_body(owned: Owned) -> dict[str, Any]:
    """The first ratings page of A's assessment in progress (its category: Python and SQL)."""
    return {"step": 0, "ratings": [{"skill": "python", "level": 2}, {"skill": "sql", "level": 1}]}


MATRIX: dict[str, Entry] = {
    "assessment_get": Entry(lambda o: {"id": o.in_progress.pk}),
    "assessment_answer": Entry(lambda o: {"id": o.in_progress.pk}, _answer_body),
    "assessment_submit": Entry(lambda o: {"id": o.in_progress.pk}),
    "assessment_discard": Entry(lambda o: {"id": o.in_progress.pk}),
    "result_get": Entry(lambda o: {"id": o.result.pk}),
    "plan_step_get": Entry(lambda o: {"key": o.step.key}),
    "plan_step_mark": Entry(
        lambda o: {"key": o.step.key}, lambda o: {"status": "done", "notes": "B was here"}
    ),
    "plan_step_sessions": Entry(lambda o: {"key": o.step.key}),
    "plan_step_session_log": Entry(lambda o: {"key": o.step.key}, lambda o: {"hours": 2}),
}
# Operations whose objects are named by a query parameter (the path names none).
QUERY_MATRIX: dict[str, Entry] = {
    "progress_get": Entry(lambda o: {}, query=lambda o: f"from={o.result.pk}&to={o.result.pk}"),
}
# The open catalogue: anyone may read it, so it has no owner.
OPEN = {"catalogue_skill", "catalogue_role", "catalogue_target"}


def operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operation id, method, path, operation) for every operation of the schema."""
    return list(schema_operations())


@functools.cache
def schema_operations() -> tuple[tuple[str, str, str, dict[str, Any]], ...]:
    """The schema is made once: the API's operations are fixed when the module is imported."""
    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            found.append((operation["operationId"], method, path, operation))
    return tuple(found)


def path_parameters(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]


def test_every_operation_naming_an_object_is_in_the_matrix():
    naming = {op_id for op_id, _m, _p, op in operations() if path_parameters(op)}
    assert naming - OPEN == set(MATRIX), "classify every operation that names an object in MATRIX or OPEN"
    assert set(QUERY_MATRIX) <= {op_id for op_id, *_ in operations()}


def test_every_operation_is_named_summarised_and_documents_its_refusals():
    for op_id, method, path, operation in operations():
        assert op_id and operation.get("summary"), path
        codes = {str(code) for code in operation["responses"]}
        assert "429" in codes, op_id
        if op_id not in {"catalogue_skills", "catalogue_roles", "catalogue_targets"} | OPEN:
            assert "401" in codes, op_id
        if path_parameters(operation):
            assert "404" in codes, op_id
        if method in {"post", "patch", "put", "delete"}:
            assert {"403", "422"} <= codes, op_id


def state_of(user) -> dict[str, Any]:
    """Everything the API could change of one person."""
    return {
        "profile": model_to_dict(Profile.objects.get(user=user), exclude=["id"]),
        "assessments": list(Assessment.objects.filter(user=user).order_by("pk").values()),
        "ratings": list(SelfRating.objects.filter(assessment__user=user).order_by("pk").values()),
        "answers": list(Answer.objects.filter(assessment__user=user).order_by("pk").values()),
        "results": list(Result.objects.filter(user=user).order_by("pk").values("pk", "readiness")),
        "steps": list(RoadmapStep.objects.filter(user=user).order_by("pk").values()),
        "progress": list(StepProgress.objects.filter(user=user).order_by("pk").values()),
        "sessions": list(StudySession.objects.filter(user=user).order_by("pk").values()),
    }


@dataclass(frozen=True)
class People:
    a: User
    b: User
    owned: Owned
    states: tuple[dict[str, Any], dict[str, Any]]  # state_of(a), state_of(b), as made


def make_people() -> People:
    """A with their objects; B (``other_user``) with a result and a plan of their own, without A's step."""
    user, other_user = UserFactory(), UserFactory()
    make_small_catalogue()
    result = take_assessment(user, {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0})
    take_assessment(other_user, dict.fromkeys(("python", "sql", "scikit-learn", "pytorch"), 4))
    in_progress = assessment_services.assessment_start(user=user)
    theirs = set(RoadmapStep.objects.filter(user=other_user).values_list("key", flat=True))
    step = RoadmapStep.objects.filter(user=user).exclude(key__in=theirs).first()
    assert step is not None, "A needs a step B's plan does not have (step keys name skills and levels)"
    owned = Owned(submitted=result.assessment, result=result, in_progress=in_progress, step=step)
    return People(a=user, b=other_user, owned=owned, states=(state_of(user), state_of(other_user)))


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker, fast_passwords):
    """A and B, made once for the module: every test reads them, and what a test changes is rolled
    back before the next one (tests/module_data.py)."""
    with module_rows(django_db_blocker, make_people) as made:
        yield made


@pytest.fixture
def user(db, people) -> User:
    return User.objects.get(pk=people.a.pk)


@pytest.fixture
def other_user(db, people) -> User:
    return User.objects.get(pk=people.b.pk)


@pytest.fixture
def owned(db, people) -> Owned:
    """A's objects (see ``make_people``), as they were made: no earlier test's change is left."""
    assert (state_of(people.a), state_of(people.b)) == people.states
    return people.owned


@pytest.fixture
def other_client(client, other_user, owned):
    """B, logged in."""
    client.force_login(other_user)
    return client


def call(client, method: str, path: str, body: Any = None):
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("op_id", sorted(MATRIX) + sorted(QUERY_MATRIX))
def test_another_persons_object_is_a_404_and_changes_nothing(owned, user, other_user, other_client, op_id):
    entry = MATRIX.get(op_id) or QUERY_MATRIX[op_id]
    (method, path) = next((m, p) for o, m, p, _op in operations() if o == op_id)
    url = path.format(**entry.params(owned))
    if entry.query:
        url += "?" + entry.query(owned)
    before, others_before = state_of(user), state_of(other_user)
    body = entry.body(owned) if entry.body else ({} if method in {"post", "patch"} else None)
    response = call(other_client, method, url, body)
    assert response.status_code == HTTPStatus.NOT_FOUND, (op_id, response.content)
    assert set(response.json()) == {"detail"}
    assert state_of(user) == before
    assert state_of(other_user) == others_before


@pytest.mark.parametrize("op_id", sorted(MATRIX))
def test_the_owner_reaches_every_object_of_the_matrix(owned, user, user_client, op_id):
    """The matrix calls real objects: their owner gets an answer other than 404."""
    entry = MATRIX[op_id]
    (method, path) = next((m, p) for o, m, p, _op in operations() if o == op_id)
    body = entry.body(owned) if entry.body else ({} if method in {"post", "patch"} else None)
    response = call(user_client, method, path.format(**entry.params(owned)), body)
    assert response.status_code < 400 or response.status_code == HTTPStatus.CONFLICT, (
        op_id,
        response.content,
    )


WRITE_METHODS = {"post", "patch", "put", "delete"}


@pytest.mark.parametrize(
    "op_id", sorted(op_id for op_id, method, _p, _o in operations() if method in WRITE_METHODS)
)
def test_every_write_asks_require_write_first_and_a_refusal_changes_nothing(
    owned, user, user_client, monkeypatch, op_id
):
    """A credential that may only read (api.auth.require_write refuses it) changes nothing anywhere."""

    def refuse(request):
        raise HttpError(403, "read only")

    monkeypatch.setattr(auth, "require_write", refuse)
    (method, path) = next((m, p) for o, m, p, _op in operations() if o == op_id)
    entry = MATRIX.get(op_id)
    url = path.format(**entry.params(owned)) if entry else path
    body = entry.body(owned) if entry and entry.body else ({} if method in {"post", "patch"} else None)
    before = state_of(user)
    response = call(user_client, method, url, body)
    assert response.status_code == HTTPStatus.FORBIDDEN, (op_id, response.content)
    assert response.json() == {"detail": "read only"}
    assert state_of(user) == before
