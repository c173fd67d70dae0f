"""The roadmap as a person follows it: the dated plan, marking steps, re-planning, exports."""

from __future__ import annotations

import re
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts import selectors as account_selectors
from accounts.models import Profile
from catalogue import caching
from catalogue.models import CareerMilestone
from roadmap import exports
from roadmap import selectors as roadmap_selectors
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StepProgress
from roadmap.step_details import StepDetails
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(user_client, user, small_catalogue):
    """A submitted assessment with low levels everywhere: every skill has a gap."""
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}, right=False)
    return list(RoadmapStep.objects.filter(user=user).order_by("position"))


def test_the_plan_respects_every_prerequisite_and_is_dated_from_today(planned, user):
    """Every step starts after the steps it needs end; level steps of one skill climb in order."""
    by_key = {step.key: step for step in planned}
    for step in planned:
        for required in step.details.requires:
            if required in by_key and step.details.kind == "skill":
                assert by_key[required].planned_end <= step.planned_start + timedelta(days=1)
    assert min(step.planned_start for step in planned) == timezone.localdate()
    python = [s for s in planned if s.details.slug == "python" and s.details.kind == "skill"]
    assert [s.details.to_level for s in python] == sorted(s.details.to_level for s in python)
    assert [s.position for s in planned] == list(range(len(planned)))


def test_a_step_climbs_one_level_with_its_hours_goal_and_resources(planned):
    """One step per level: Python 0 -> 3 is three steps of 10, 40 and 120 hours (the factory's anchors)."""
    python = [s for s in planned if s.details.slug == "python" and s.details.kind == "skill"]
    assert [(s.details.from_level, s.details.to_level, s.hours) for s in python] == [
        (0, 1, 10),
        (1, 2, 40),
        (2, 3, 120),
    ]
    assert python[-1].details.goal.startswith("Works independently with Python")
    assert python[-1].details.heading == "Python 2 \u2192 3"
    assert all(s.hours <= 120 for s in planned)


def test_the_roadmap_page_shows_the_timeline_this_week_and_progress(user_client, planned):
    page = user_client.get(reverse("roadmap")).content.decode()
    assert "This week" in page
    assert "0 of" in page and "hours done" in page
    assert "Python" in page and "Done looks like" in page
    assert "Reported averages" in page


def test_the_roadmap_and_the_dashboard_print_large_hours_with_separators(user_client, user, planned):
    steps = RoadmapStep.objects.filter(user=user).exclude(key__startswith="milestone:")
    steps.update(hours=1500)
    total = 1500 * steps.count()
    for name in ("roadmap", "dashboard"):
        page = user_client.get(reverse(name)).content.decode()
        assert f"0 of {total:,} hours done" in page, name
        assert f'max="{total}"' in page, name  # the progress bar keeps a plain number
    assert (
        f"{steps.count()} steps, {total:,} hours at 10 hours a week"
        in user_client.get(reverse("roadmap")).content.decode()
    )


def test_marking_a_step_done_with_a_plain_post(user_client, user, planned):
    step = planned[0]
    response = user_client.post(
        reverse("roadmap_step", args=[step.key]),
        {"status": "done", "notes": "Finished the tutorial", "evidence": "https://github.com/ada/practice"},
    )
    assert response.status_code == HTTPStatus.FOUND
    progress = StepProgress.objects.get(user=user, key=step.key)
    assert (progress.status, progress.notes, progress.evidence) == (
        "done",
        "Finished the tutorial",
        ["https://github.com/ada/practice"],
    )
    assert progress.completed_at is not None
    page = user_client.get(reverse("roadmap")).content.decode()
    assert f"{step.hours} of" in page


def test_marking_a_step_with_htmx_returns_the_step_card_and_the_progress(user_client, user, planned):
    step = planned[0]
    response = user_client.post(
        reverse("roadmap_step", args=[step.key]),
        {"status": "in_progress", "notes": "", "evidence": ""},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert f'id="step-{step.pk}"' in body and "Saved." in body
    assert 'hx-swap-oob="true"' in body
    assert "<html" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "finished"}, "Select a valid choice"),
        (
            {"status": "done", "evidence": "javascript:alert(1)"},
            "Evidence links must be full http(s) addresses",
        ),
        ({"status": "done", "evidence": "\n".join(f"https://e.org/{i}" for i in range(6))}, "at most 5"),
        ({"status": "done", "notes": "x" * 5001}, "at most 5000 characters"),
    ],
)
def test_bad_step_updates_are_refused_and_nothing_changes(user_client, user, planned, data, message):
    step = planned[0]
    response = user_client.post(reverse("roadmap_step", args=[step.key]), data, follow=True)
    assert message in response.content.decode()
    assert not StepProgress.objects.filter(user=user).exists()
    htmx = user_client.post(reverse("roadmap_step", args=[step.key]), data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == HTTPStatus.OK and message in htmx.content.decode()
    assert not StepProgress.objects.filter(user=user).exists()


def test_an_unknown_step_is_a_404(user_client, planned):
    assert (
        user_client.post(reverse("roadmap_step", args=["skill:haskell"]), {"status": "done"}).status_code
        == 404
    )


def test_progress_survives_a_rebuilt_plan(user_client, user, planned):
    step = planned[0]
    user_client.post(reverse("roadmap_step", args=[step.key]), {"status": "done", "notes": "kept"})
    user_client.post(reverse("roadmap_refresh"))
    rows = roadmap_selectors.plan_rows(user)
    row = next(r for r in rows if r.step.key == step.key)
    assert row.status == "done" and row.progress.notes == "kept"


def test_replanning_from_today_keeps_done_steps_and_retimes_open_ones(user_client, user, planned):
    first = planned[0]
    roadmap_services.step_mark(user=user, key=first.key, update=roadmap_services.StepUpdate("done", "", []))
    Profile.objects.filter(user=user).update(hours_per_week=20)
    later = timezone.localdate() + timedelta(days=30)
    roadmap_services.plan_replan(user=user, today=later)
    rows = [r.step for r in roadmap_selectors.plan_rows(user)]
    assert rows[0].key == first.key and rows[0].planned_start == first.planned_start
    open_steps = [r for r in rows[1:] if r.details.kind != "milestone"]
    assert min(r.planned_start for r in open_steps) == later
    # 20 hours a week over the open steps: the plan ends after their hours at that pace, not before.
    weeks = sum(r.hours for r in open_steps) / 20
    assert max(r.planned_end for r in open_steps) >= later + timedelta(days=int(7 * weeks) - 1)


def test_ticking_a_milestone_already_held_removes_it_from_the_plan(user_client, user, planned):
    assert RoadmapStep.objects.filter(user=user, key="milestone:certification").exists()
    user_client.post(reverse("roadmap_milestones"), {"held": ["certification"]})
    assert not RoadmapStep.objects.filter(user=user, key="milestone:certification").exists()
    assert list(Profile.objects.get(user=user).milestones_held.values_list("slug", flat=True)) == [
        "certification"
    ]
    response = user_client.post(reverse("roadmap_milestones"), {"held": ["not-a-milestone"]}, follow=True)
    assert "Please choose milestones from the list." in response.content.decode()


def test_the_markdown_export_escapes_catalogue_text(user_client, user, planned):
    CareerMilestone.objects.filter(slug="certification").update(name="Cert *[evil](http://x)* #1")
    roadmap_services.plan_refresh(user=user)
    response = user_client.get(reverse("roadmap_markdown"))
    text = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment")
    assert "Cert \\*\\[evil\\](http://x)\\* #1" in text  # no emphasis, no link; `(`, `#` stay plain
    first = min(step.planned_start for step in planned)
    assert f"## {first:%B %Y}" in text  # grouped by the month steps start in
    assert "- [ ] **Python 0 \u2192 1**: 10 h" in text


def test_the_icalendar_export_has_one_event_per_step_with_stable_uids(user_client, user, planned):
    first = Calendar.from_ical(user_client.get(reverse("roadmap_icalendar")).content)
    events = list(first.walk("VEVENT"))
    assert len(events) == len(planned)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(e.decoded("DTSTART") < e.decoded("DTEND") for e in events)
    assert all("DTSTAMP" in e for e in events)
    user_client.post(reverse("roadmap_refresh"))
    again = Calendar.from_ical(user_client.get(reverse("roadmap_icalendar")).content)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(uids)


def test_the_icalendar_export_escapes_text():
    class Row:
        status = "todo"
        progress = None

        class step:
            key = "skill:x"
            hours = 3
            planned_start = date(2026, 1, 1)
            planned_end = date(2026, 1, 2)
            details = StepDetails(
                kind="skill",
                slug="x",
                name="X;Y,Z\r\nBEGIN:VEVENT",
                phase="foundations",
                from_level=0,
                to_level=1,
                priority=1.0,
                requires=(),
                added=False,
                goal="a\\b",
                resources=(),
            )

    calendar = Calendar.from_ical(exports.plan_icalendar([Row()], user_id=1, stamp=timezone.now()))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]).replace("\r", "") == "Study: X;Y,Z\nBEGIN:VEVENT"


def test_the_roadmap_without_an_assessment_points_to_it(user_client, small_catalogue):
    page = user_client.get(reverse("roadmap")).content.decode()
    assert "Take the assessment" in page


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CERTIFICATION = re.compile(r'<input[^>]*value="certification"[^>]*>')


def test_the_kept_parts_of_the_roadmap_show_each_person_their_own_milestones_and_token(
    user, planned, django_user_model
):
    """The actions, the unfilled "Ready by" form and the milestones are kept once rendered; each
    person still sees their own ticks, and each form's token works for their own session."""
    other = django_user_model.objects.create_user(
        username="other", email="o@example.com", password="pw-o-12345678"
    )
    account_selectors.profile_get(user=other)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(other)

    for _round in range(2):  # the second round is served from what the first kept
        page = first.get(reverse("roadmap")).content.decode()
        assert len(set(TOKEN.findall(page))) == 1 and caching.TOKEN_PLACEHOLDER not in page  # one per page
        assert "checked" not in CERTIFICATION.search(page).group(0)
    token = TOKEN.search(page).group(1)
    response = first.post(
        reverse("roadmap_milestones"), {"held": ["certification"], "csrfmiddlewaretoken": token}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "checked" in CERTIFICATION.search(first.get(reverse("roadmap")).content.decode()).group(0)
    other_page = second.get(reverse("roadmap")).content.decode()
    assert "checked" not in CERTIFICATION.search(other_page).group(0)
    assert not set(TOKEN.findall(other_page)) & set(TOKEN.findall(page))

    # The kept re-plan form's token is this session's own: the post goes through.
    page = first.get(reverse("roadmap")).content.decode()
    response = first.post(reverse("roadmap_replan"), {"csrfmiddlewaretoken": TOKEN.search(page).group(1)})
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == reverse("roadmap")
