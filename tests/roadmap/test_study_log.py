"""Logging study time on a step: totals per step and per week, the real pace, own data."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import Profile
from roadmap import forms as roadmap_forms
from roadmap import pace
from roadmap import selectors as roadmap_selectors
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StudySession
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}


def make_plan(client, user):
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    complete(client, start(client), LOW, right=False)
    return list(RoadmapStep.objects.filter(user=user).order_by("position"))


@pytest.fixture
def planned(user_client, user, small_catalogue):
    """Alice's plan: a submitted assessment with a gap in every skill, ten hours a week."""
    return make_plan(user_client, user)


@pytest.fixture
def step(planned):
    return planned[0]


def log_url(step):
    return reverse("roadmap_study_log", args=[step.key])


def log_days(user, step, days, hours="1"):
    """Sessions of ``hours`` on each of the given days before today."""
    today = timezone.localdate()
    StudySession.objects.bulk_create(
        StudySession(user=user, step_key=step.key, day=today - timedelta(days=d), hours=Decimal(hours))
        for d in days
    )


def test_logging_time_adds_to_the_steps_total_and_the_weeks(user_client, user, step):
    response = user_client.post(log_url(step), {"hours": "1.5", "day": timezone.localdate().isoformat()})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith(f"#step-{step.pk}")
    user_client.post(log_url(step), {"hours": "3", "day": timezone.localdate().isoformat(), "note": "Ch. 2"})
    page = user_client.get(log_url(step)).content.decode()
    assert f"4.5 h logged, {step.hours} planned" in page
    assert "Ch. 2" in page
    assert "Logged this week: 4.5 h" in page
    progress = user_client.get(reverse("progress")).content.decode()
    section = progress.split("Study time logged")[1]
    assert "<td>4.5</td>" in section and "Total" in section


def test_a_decimal_comma_is_read_as_a_point(user_client, user, step):
    user_client.post(log_url(step), {"hours": "1,5", "day": timezone.localdate().isoformat()})
    assert StudySession.objects.get(user=user).hours == Decimal("1.5")


def test_logging_with_htmx_returns_the_steps_card_with_the_new_total(user_client, user, step):
    response = user_client.post(
        log_url(step), {"hours": "2", "day": timezone.localdate().isoformat()}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert f'id="step-{step.pk}"' in body and "<html" not in body
    assert "Logged 2 h." in body and f"2 h logged, {step.hours} planned" in body


def test_the_day_defaults_to_today_and_cannot_be_in_the_future(user_client, step):
    page = user_client.get(log_url(step)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert f'max="{timezone.localdate().isoformat()}"' in page


def today_iso():
    return timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hours": "0"}, roadmap_services.MSG_HOURS),
        ({"hours": "-1"}, roadmap_services.MSG_HOURS),
        ({"hours": "24.5"}, roadmap_services.MSG_HOURS),
        ({"hours": "125"}, roadmap_services.MSG_HOURS),
        ({"hours": "an hour"}, roadmap_services.MSG_HOURS),
        ({"hours": "NaN"}, roadmap_services.MSG_HOURS),
        ({"hours": "1.125"}, roadmap_services.MSG_HOURS),
        ({"hours": ""}, roadmap_services.MSG_HOURS),
        ({"hours": "1", "day": "tomorrow"}, "Enter a valid date."),
        ({"hours": "1", "day": "future"}, roadmap_services.MSG_FUTURE_DAY),
        ({"hours": "1", "day": "long ago"}, roadmap_forms.MSG_DAY_TOO_OLD),
        ({"hours": "1", "note": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_input_is_shown_again_with_the_message_and_nothing_is_written(
    user_client, user, step, data, message
):
    today = timezone.localdate()
    days = {"future": today + timedelta(days=1), "long ago": today - timedelta(days=400)}
    data = {"day": today.isoformat()} | data
    if data["day"] in days:
        data["day"] = days[data["day"]].isoformat()
    response = user_client.post(log_url(step), data)
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert message in body
    assert f'value="{data["hours"]}"' in body  # what was entered is still there
    htmx = user_client.post(log_url(step), data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == HTTPStatus.OK and message in htmx.content.decode()
    assert not StudySession.objects.filter(user=user).exists()


def test_no_day_holds_more_than_24_hours(user_client, user, step):
    log_days(user, step, [0], hours="23")
    response = user_client.post(log_url(step), {"hours": "1.5", "day": today_iso(), "note": "late night"})
    body = response.content.decode()
    assert roadmap_services.MSG_DAY_FULL in body and 'value="late night"' in body
    assert list(StudySession.objects.filter(user=user).values_list("hours", flat=True)) == [Decimal(23)]
    user_client.post(log_url(step), {"hours": "1", "day": today_iso()})
    assert StudySession.objects.filter(user=user).count() == 2


def test_the_service_refuses_a_step_not_in_the_plan(user, step):
    with pytest.raises(roadmap_services.RoadmapError, match=roadmap_services.MSG_UNKNOWN_STEP):
        roadmap_services.study_session_log(
            user=user, key="skill:haskell", day=timezone.localdate(), hours=Decimal(1)
        )
    assert not StudySession.objects.exists()


def test_a_step_not_in_your_plan_is_a_404(user_client, user, planned):
    assert user_client.get(reverse("roadmap_study_log", args=["skill:haskell"])).status_code == 404
    response = user_client.post(reverse("roadmap_study_log", args=["skill:haskell"]), {"hours": "1"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not StudySession.objects.exists()


def test_bob_cannot_log_on_alices_step_or_see_her_totals(client, other_user, user, step):
    log_days(user, step, [0], hours="4")
    StudySession.objects.filter(user=user).update(note="alice's secret")
    client.force_login(other_user)
    assert client.get(log_url(step)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(log_url(step), {"hours": "1", "day": today_iso()}).status_code == HTTPStatus.NOT_FOUND
    assert not StudySession.objects.filter(user=other_user).exists()
    assert StudySession.objects.filter(user=user).count() == 1
    # Bob's own plan has a step with the same key: his page shows his time only.
    bobs = make_plan(client, other_user)
    same = next(s for s in bobs if s.key == step.key)
    page = client.get(log_url(same)).content.decode()
    assert f"0 h logged, {same.hours} planned" in page
    assert "alice&#x27;s secret" not in page and "alice's secret" not in page
    progress = client.get(reverse("progress")).content.decode()
    assert "No study time logged" in progress


def test_the_pace_moves_the_projected_date(user, step):
    today = timezone.localdate()
    before = roadmap_selectors.pace_summary(user, today)
    assert before is not None and not before.enough_data
    assert "Log your study time for two weeks" in render_to_string("roadmap/_pace.html", {"pace": before})
    # Three hours a day for the last fifteen days: 21 hours a week against the planned 10.
    log_days(user, step, range(15), hours="3")
    after = roadmap_selectors.pace_summary(user, today)
    assert after.enough_data and after.real_pace == 21
    assert after.projected_end < before.projected_end
    assert after.planned_end == before.planned_end
    card = render_to_string("roadmap/_pace.html", {"pace": after})
    assert f"At your pace: {after.projected_end:%B %Y}; planned: {after.planned_end:%B %Y}" in card
    assert after.step_hours[step.key] == 45


def test_done_steps_no_longer_count_as_remaining(user, planned):
    today = timezone.localdate()
    before = roadmap_selectors.pace_summary(user, today)
    roadmap_services.step_mark(
        user=user, key=planned[0].key, update=roadmap_services.StepUpdate("done", "", [])
    )
    after = roadmap_selectors.pace_summary(user, today)
    assert after.remaining_hours == before.remaining_hours - planned[0].hours


def test_the_pace_card_renders_nothing_without_a_pace(user):
    assert render_to_string("roadmap/_pace.html", {}).strip() == ""
    assert roadmap_selectors.pace_summary(user, timezone.localdate()) is None


def test_logged_time_is_in_the_own_data_download_and_deleted_with_the_account(user_client, user, step):
    user_client.post(log_url(step), {"hours": "1.25", "day": today_iso(), "note": "notes"})
    data = json.loads(user_client.get(reverse("account_data")).content)
    assert data["study_sessions"] == [
        {"step_key": step.key, "day": today_iso(), "hours": "1.25", "note": "notes"}
    ]
    account_services.account_delete(user=user)
    assert not StudySession.objects.exists()


# The study log page reads the step, the plan, the profile, the step's sessions and the pace (daily
# totals, first day, per-step totals); the progress page adds one query for the weekly totals.
MAX_QUERIES = {"roadmap_study_log": 16, "progress": 12}


@pytest.mark.parametrize("url_name", sorted(MAX_QUERIES))
def test_query_counts_are_bounded_and_flat_as_the_log_grows(
    user_client, user, step, url_name, django_assert_max_num_queries
):
    url = log_url(step) if url_name == "roadmap_study_log" else reverse(url_name)
    log_days(user, step, range(3))
    user_client.get(url)
    with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(MAX_QUERIES[url_name]):
        user_client.get(url)
    log_days(user, step, range(3, 30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        user_client.get(url)


def test_the_pace_reads_each_steps_hours_the_recent_days_and_the_first_day_in_one_query(
    user, other_user, planned
):
    """The pace card's figures come from one query: every step's hours of all time, the recent days'
    totals and the first day ever, the person's own only."""
    today = timezone.localdate()
    first, second = planned[0], planned[1]
    log_days(user, first, [0, 0, 3, 40, 400], hours="1.5")
    log_days(user, second, [3, 90], hours="2")
    log_days(other_user, first, [500, 1, 2], hours="7")

    with CaptureQueriesContext(connection) as queries:
        sessions, by_step = roadmap_selectors._pace_figures(user=user, today=today, weeks=pace.PACE_WEEKS)

    assert len(queries.captured_queries) == 1
    assert (
        by_step
        == roadmap_selectors.study_hours_by_step(user=user)
        == {first.key: Decimal("7.5"), second.key: 4}
    )
    since = pace.week_start(today) - timedelta(weeks=pace.PACE_WEEKS - 1)
    recent = roadmap_selectors.study_sessions(user=user, since=since)
    assert sessions == [pace.Session(day=today - timedelta(days=400), hours=Decimal(0)), *recent]
    assert [s.hours for s in recent] == [Decimal("3.5"), Decimal("3.0")]
    assert sessions[0].day == roadmap_selectors.first_study_day(user=user)
