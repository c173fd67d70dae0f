"""The progress page reads ids, dates and sums only: the same history, weeks and steps as before."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.models import Result
from roadmap import selectors
from roadmap.models import StepProgress, StudySession
from tests.assessments.journey import complete, copy_result, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}
HIGH = {"python": 3, "sql": 3, "scikit-learn": 3, "pytorch": 3}


@pytest.fixture
def history(user_client, user, small_catalogue):
    complete(user_client, start(user_client), LOW, right=False)
    Result.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=35))
    complete(user_client, start(user_client), HIGH)
    return list(Result.objects.filter(user=user).order_by("created_at"))


def test_the_history_is_the_same_whether_read_first_or_kept(user, history):
    legacy = copy_result(history[0], timezone.now() - timedelta(days=50))
    Result.objects.filter(pk=legacy.pk).update(snapshot_json={**legacy.snapshot_json, "method": None})
    expected = assessment_selectors.result_history(user)
    assert expected[0]["pk"] == legacy.pk
    assert assessment_selectors.progress_history(user) == expected  # read
    assert assessment_selectors.progress_history(user) == expected  # kept
    with CaptureQueriesContext(connection) as kept:
        assessment_selectors.progress_history(user)
    assert len(kept.captured_queries) == 1


def test_the_study_weeks_and_completed_steps_are_those_the_other_pages_show(user, history):
    today = timezone.localdate()
    for days, hours in [(0, "0.25"), (0, "1.5"), (3, "2.75"), (9, "24"), (40, "1"), (200, "3.5")]:
        StudySession.objects.create(
            user=user, step_key="x", day=today - timedelta(days=days), hours=Decimal(hours)
        )
    assert selectors.study_weeks_light(user=user, today=today) == selectors.study_weeks(
        user=user, today=today
    )
    StepProgress.objects.all().delete()
    for index, key in enumerate(["skill:python:2", "refresh:sql:1:t", "skill:pytorch:3:1", "skill:sql:1"]):
        StepProgress.objects.create(
            user=user,
            key=key,
            status="done" if index < 3 else "skipped",
            completed_at=timezone.now() - timedelta(days=index),
        )
    shown = [(step.completed_at, step.title) for step in selectors.completed_step_titles(user)]
    assert shown == [(progress.completed_at, title) for progress, title in selectors.completed_steps(user)]
    assert len(shown) == 3


def test_the_progress_page_runs_four_queries(user_client, user, history):
    user_client.get(reverse("progress"))
    with CaptureQueriesContext(connection) as captured:
        page = user_client.get(reverse("progress"))
    assert page.status_code == 200
    # The person; their results' ids and dates (with the catalogue's version); study time; steps done.
    assert len(captured.captured_queries) <= 4, [q["sql"] for q in captured.captured_queries]
