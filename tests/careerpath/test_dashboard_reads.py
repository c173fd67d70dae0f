"""The dashboard reads only what it shows: the same figures as the full plan, in three queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Profile
from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from catalogue.models import Role
from roadmap import presenters as roadmap_presenters
from roadmap import selectors as roadmap_selectors
from roadmap.models import StepProgress
from tests.accounts import factories as account_factories
from tests.assessments.journey import complete, grow, rate, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}


@pytest.fixture
def under_way(user_client, user, small_catalogue):
    """A result, a plan with steps done, skipped and under way, and a retake in progress."""
    complete(user_client, start(user_client), LOW, right=False)
    rows = roadmap_selectors.plan_rows(user)
    steps = [row for row in rows if row.step.details.kind != "milestone"]
    for row, status in zip(steps, ["done", "skipped", "in_progress", "done"], strict=False):
        StepProgress.objects.create(user=user, key=row.step.key, status=status, completed_at=timezone.now())
    in_progress = start(user_client)
    rate(user_client, in_progress, 0, {"python": 1, "sql": 1})
    return in_progress


def dashboard_queries(client) -> list[str]:
    client.get(reverse("dashboard"))  # warm the catalogue's names, as a running server would be
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_dashboard_shows_the_plans_hours_and_week_as_the_full_plan_gives_them(user, under_way):
    for hours_per_week in (1, 10, 40):
        full = roadmap_presenters.dashboard_plan(
            roadmap_selectors.plan_rows(user), hours_per_week=hours_per_week
        )
        figures = roadmap_selectors.plan_figures(user, hours_per_week=hours_per_week)
        card = roadmap_presenters.dashboard_plan_card(figures, hours_per_week=hours_per_week)
        assert card["plan_steps"] == len(full["rows"])
        for name in ("hours_planned", "hours_done", "percent_done"):
            assert card[name] == full[name], name
        assert [(item.hours, item.details) for item in card["this_week"]] == [
            (item.hours, item.row.step.details) for item in full["this_week"]
        ]
    assert 0 < full["hours_done"] < full["hours_planned"]


def test_the_dashboard_reads_the_profile_result_and_assessment_as_the_other_pages_do(user, under_way):
    Profile.objects.filter(user=user).update(target_role=Role.objects.first(), onboarded_at=timezone.now())
    state = assessment_selectors.dashboard_state(user=user)
    profile = account_selectors.profile_get(user=user)
    assert [(f.name, getattr(state.profile, f.attname)) for f in Profile._meta.concrete_fields] == [
        (f.name, getattr(profile, f.attname)) for f in Profile._meta.concrete_fields
    ]
    assert state.profile.target_role == profile.target_role and str(state.profile) == str(profile)
    latest = assessment_selectors.latest_result(user=user)
    assert (state.latest.pk, state.latest.created_at, state.latest.focus, state.latest.readiness) == (
        latest.pk,
        latest.created_at,
        latest.focus,
        latest.readiness,
    )
    in_progress = assessment_selectors.assessment_in_progress(user=user)
    assert in_progress.pk == under_way.pk
    assert (state.in_progress.pk, state.in_progress.furthest_step) == (
        in_progress.pk,
        in_progress.furthest_step,
    )


def test_someone_with_no_profile_result_or_assessment_gets_the_default_target(db, small_catalogue):
    newcomer = account_factories.UserFactory()
    Profile.objects.filter(user=newcomer).delete()
    state = assessment_selectors.dashboard_state(user=newcomer)
    assert state.profile.pk is None and state.latest is None and state.in_progress is None
    assert state.profile.target_role == account_selectors.profile_get(user=newcomer).target_role


def test_the_dashboard_runs_three_queries_however_long_the_plan_and_history(user_client, user, under_way):
    before = dashboard_queries(user_client)
    # The person, then their profile with their newest result and assessment, then their plan's figures.
    assert len(before) <= 3, before
    Assessment.objects.filter(pk=under_way.pk).update(started_at=timezone.now() - timedelta(days=1))
    grow(user, skills=30, results=40)
    assert len(dashboard_queries(user_client)) == len(before)


def test_the_dashboard_after_a_plan_is_all_done_says_so(user_client, user, under_way):
    for row in roadmap_selectors.plan_rows(user):
        StepProgress.objects.update_or_create(user=user, key=row.step.key, defaults={"status": "done"})
    body = user_client.get(reverse("dashboard")).content.decode()
    assert "Every step is done or skipped" in body
    assert "100%" in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads a row's version")
def test_the_dashboard_reads_the_weeks_details_by_row_version_as_it_would_from_the_rows(
    user, under_way, monkeypatch
):
    """PostgreSQL: the figures from row versions (details from this process's copy, or one more
    query for the week's steps only) are the ones the details give; a plan rebuilt between the
    two reads is read again with its details."""
    monkeypatch.setattr(roadmap_selectors, "_DETAILS_BY_VERSION", {})
    from_details = roadmap_selectors._plan_figures(user, hours_per_week=10, by_version=False)
    with CaptureQueriesContext(connection) as first:
        assert roadmap_selectors.plan_figures(user, hours_per_week=10) == from_details
    with CaptureQueriesContext(connection) as again:
        assert roadmap_selectors.plan_figures(user, hours_per_week=10) == from_details
    assert (len(first), len(again)) == (2, 1)
    assert "details_json" in first.captured_queries[1]["sql"]
    assert "details_json" not in again.captured_queries[0]["sql"]

    monkeypatch.setattr(roadmap_selectors, "_details_by_version", lambda versions: None)
    assert roadmap_selectors.plan_figures(user, hours_per_week=10) == from_details
