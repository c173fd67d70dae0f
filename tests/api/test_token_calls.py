"""The README's example, for real: a personal access token reads the plan and logs study time."""

from __future__ import annotations

import json
from http import HTTPStatus

from api import services as token_services
from api.models import AccessToken
from roadmap.models import RoadmapStep, StudySession

from .test_operations import API, taken  # noqa: F401  (the fixture)


def call(client, method: str, path: str, secret: str, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(API + path, **kwargs)


def test_a_read_write_token_reads_the_plan_and_logs_study_time_without_a_session(client, user, taken):  # noqa: F811
    _token, secret = token_services.token_create(
        user=user, name="notebook", scope=AccessToken.Scope.READ_WRITE
    )
    plan = call(client, "get", "/plan", secret)
    assert plan.status_code == HTTPStatus.OK
    key = RoadmapStep.objects.filter(user=user).order_by("position").first().key
    assert key in [step["key"] for step in plan.json()["steps"]]

    logged = call(client, "post", f"/plan/steps/{key}/sessions", secret, {"hours": 0.75, "note": "chapter 3"})

    assert logged.status_code in (HTTPStatus.OK, HTTPStatus.CREATED), logged.content
    session = StudySession.objects.get(user=user)
    assert (session.step_key, str(session.hours), session.note) == (key, "0.75", "chapter 3")
    assert "sessionid" not in client.cookies


def test_a_read_only_token_reads_but_its_writes_are_refused_and_change_nothing(client, user, taken):  # noqa: F811
    _token, secret = token_services.token_create(user=user, name="dashboard", scope=AccessToken.Scope.READ)
    key = RoadmapStep.objects.filter(user=user).order_by("position").first().key
    assert call(client, "get", "/plan", secret).status_code == HTTPStatus.OK

    refused = call(client, "post", f"/plan/steps/{key}/sessions", secret, {"hours": 1})

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "only read" in refused.json()["detail"]
    assert not StudySession.objects.filter(user=user).exists()
