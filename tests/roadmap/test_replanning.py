"""A retake re-plans without losing history: done steps stay done and in place, lost levels get a
refresh step, and the page says what changed. And the README's worked example, on the real catalogue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import Profile
from catalogue.models import Role, Skill
from roadmap import selectors as roadmap_selectors
from roadmap import services as roadmap_services
from roadmap import wording
from roadmap.models import PlanRevision, RoadmapStep
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}


@pytest.fixture
def planned(user_client, user, small_catalogue):
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    complete(user_client, start(user_client), LOW, right=False)
    return list(RoadmapStep.objects.filter(user=user).order_by("position"))


def test_a_retake_keeps_done_steps_in_place_and_adds_a_refresh_step_for_a_lost_level(
    user_client, user, planned
):
    first = planned[0]
    roadmap_services.step_mark(user=user, key=first.key, update=roadmap_services.StepUpdate("done", "", []))
    complete(user_client, start(user_client), LOW, right=False)
    rows = [r.step for r in roadmap_selectors.plan_rows(user)]
    assert rows[0].key == first.key
    assert (rows[0].planned_start, rows[0].planned_end) == (first.planned_start, first.planned_end)
    assert roadmap_selectors.plan_row(user=user, key=first.key).status == "done"
    refresh = [r for r in rows if r.key.startswith("refresh:")]
    assert len(refresh) == 1 and refresh[0].details.slug == first.details.slug
    assert "below the level" in refresh[0].details.reason
    assert not any(r.key == first.key for r in rows[1:])
    revision = PlanRevision.objects.filter(user=user).first()
    assert (revision.kept, revision.refreshed) == (1, 1)
    page = user_client.get(reverse("roadmap")).content.decode()
    assert "What changed with your result" in page and "1 refresh step for levels to win back" in page
    assert "1 done step kept as they were" in page


def test_a_refresh_steps_reason_is_kept_in_english_and_shown_in_the_readers_language(
    user_client, user, planned
):
    first = planned[0]
    roadmap_services.step_mark(user=user, key=first.key, update=roadmap_services.StepUpdate("done", "", []))
    user_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"  # the retake is taken in Hindi
    complete(user_client, start(user_client), LOW, right=False)
    details = next(
        r.step for r in roadmap_selectors.plan_rows(user) if r.step.key.startswith("refresh:")
    ).details
    when = date.fromisoformat(details.measured_on)
    level = details.to_level
    assert details.reason == (
        f"Your result of {when:%-d %B %Y} puts {details.name} at level {details.measured_level}, below the level"
        f" {level} that \u201c{details.name} {level - 1} \u2192 {level}\u201d reached: a short review wins it back."
    )
    with translation.override("en"):
        assert wording.step_reason(details) == details.reason
    with translation.override("hi"):
        hindi = wording.step_reason(details)
    assert hindi != details.reason and "एक छोटा दोहराव" in hindi


def test_a_retake_that_closes_gaps_says_how_many_steps_it_closed(user_client, user, planned):
    before = {s.key for s in planned if s.details.kind == "skill"}
    complete(
        user_client, start(user_client), {"python": 3, "sql": 3, "scikit-learn": 3, "pytorch": 3}, right=True
    )
    after = {r.step.key for r in roadmap_selectors.plan_rows(user) if r.step.details.kind == "skill"}
    revision = PlanRevision.objects.filter(user=user).first()
    assert revision.closed == len(before - after) > 0
    page = user_client.get(reverse("roadmap")).content.decode()
    assert f"{revision.closed} closed by your new result" in page


def test_this_week_names_what_to_do_with_hours_and_a_resource(user_client, user, planned):
    page = user_client.get(reverse("roadmap")).content.decode()
    assert "This week: 10 hours" in page
    week = roadmap_selectors.plan_rows(user)
    first = next(r for r in week if r.step.details.kind == "skill")
    assert first.step.details.heading in page
    assert " h</strong> on " in page


def test_a_deadline_says_the_hours_a_week_it_takes(user_client, planned):
    later = timezone.localdate() + timedelta(days=70)
    page = user_client.get(reverse("roadmap"), {"ready_by": later.isoformat()}).content.decode()
    assert f"To be ready by <strong>{later:%-d %B %Y}</strong>" in page
    assert "hours a week</strong>; you plan 10." in page


@pytest.mark.parametrize("value", ["2001-01-01", "not a date", ""])
def test_a_bad_deadline_is_refused_and_re_shown(user_client, planned, value):
    response = user_client.get(reverse("roadmap"), {"ready_by": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "To be ready by" not in page
    if value:
        assert f'value="{value}"' in page


def test_worked_example_from_zero_to_the_entry_target_at_15_hours_a_week(
    client, django_user_model, full_catalogue
):
    """Level 0 everywhere, the default entry-level Machine Learning Engineer target, 15 hours a week."""
    user = django_user_model.objects.create_user(
        username="zero", email="zero@example.com", password="pw-zero-123456"
    )
    account_services.profile_create(user=user)
    account_services.target_choose(
        user=user,
        role=Role.objects.get(slug="machine-learning-engineer"),
        seniority="entry",
        hours_per_week=15,
    )
    client.force_login(user)
    complete(
        client, start(client), dict.fromkeys(Skill.objects.values_list("slug", flat=True), 0), right=False
    )
    rows = roadmap_selectors.plan_rows(user)
    steps = [r.step for r in rows if r.step.details.kind != "milestone"]
    total = sum(s.hours for s in steps)
    end = max(s.planned_end for s in steps)
    today = timezone.localdate()
    assert 1200 <= total <= 2000
    assert end <= today + timedelta(days=round(2.6 * 365))
    assert max(s.hours for s in steps) <= 120
    first_week = [s for s in steps if s.planned_start < today + timedelta(days=7)]
    assert any(s.details.slug == "python" for s in first_week)
    milestones = [r.step for r in rows if r.step.details.kind == "milestone"]
    assert any(m.details.slug.startswith("portfolio-") for m in milestones)
    print(
        f"worked example: {len(steps)} steps, {total} hours, ends {end} ({(end - today).days / 365:.2f} years)"
    )
