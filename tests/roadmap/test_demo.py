"""The demo learner of ``manage.py load_demo``: three months of real use, made through the services."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Profile, User
from assessments.models import Assessment, Result
from roadmap import demo
from roadmap.models import PlanRevision, RoadmapStep, StepProgress, StepStatus, StudySession
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def rows_of(user: User) -> tuple[int, ...]:
    return (
        Assessment.objects.filter(user=user).count(),
        Result.objects.filter(user=user).count(),
        RoadmapStep.objects.filter(user=user).count(),
        StepProgress.objects.filter(user=user).count(),
        StudySession.objects.filter(user=user).count(),
        PlanRevision.objects.filter(user=user).count(),
    )


def test_the_command_makes_three_months_of_use_and_prints_the_log_in(full_catalogue, client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert f"Log in as {demo.DEMO_EMAIL} with the password {demo.DEMO_PASSWORD}" in printed

    user = User.objects.get(email=demo.DEMO_EMAIL)
    assert account_selectors.demo_user() == user
    assert Profile.objects.get(user=user).is_demo
    assert EmailAddress.objects.filter(user=user, email=demo.DEMO_EMAIL, verified=True, primary=True).exists()
    profile = Profile.objects.get(user=user)
    assert profile.target_role is not None and profile.target_role.slug == "machine-learning-engineer"
    assert profile.onboarded_at is not None

    # Three submitted assessments, about 90, 45 and 3 days ago, readiness rising from one to the next.
    results = list(Result.objects.filter(user=user).order_by("created_at"))
    assert len(results) == 3
    today = timezone.localdate()
    ages = [(today - timezone.localdate(r.created_at)).days for r in results]
    assert ages == list(demo.RESULT_DAYS_AGO)
    assert Assessment.objects.filter(user=user, status=Assessment.Status.SUBMITTED).count() == 3
    assert not Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS).exists()
    readiness = [r.readiness[r.focus] for r in results]
    assert readiness == sorted(readiness) and readiness[-1] - readiness[0] >= 0.1, readiness
    for day, percent in zip([timezone.localdate(r.created_at) for r in results], readiness, strict=True):
        assert f"result of {day:%-d %B %Y}: {round(100 * percent)}% ready" in printed

    # A plan about half done, some steps in progress, study time logged over the weeks.
    steps = list(RoadmapStep.objects.filter(user=user))
    progress = {p.key: p for p in StepProgress.objects.filter(user=user)}
    done = [s for s in steps if s.key in progress and progress[s.key].status == StepStatus.DONE]
    in_progress = [s for s in steps if s.key in progress and progress[s.key].status == StepStatus.IN_PROGRESS]
    assert 0.35 <= len(done) / len(steps) <= 0.65, (len(done), len(steps))
    assert 1 <= len(in_progress) <= 5
    assert f"plan: {len(done)} of {len(steps)} steps done" in printed
    completed = sorted(p.completed_at for p in progress.values() if p.status == StepStatus.DONE)
    assert completed[0] < timezone.now() - timedelta(days=60)  # done over the months, not today
    sessions = list(StudySession.objects.filter(user=user))
    weeks = {session.day.isocalendar()[:2] for session in sessions}
    assert len(weeks) >= 10
    assert min(s.day for s in sessions) >= today - timedelta(days=90)
    assert max(s.day for s in sessions) <= today
    assert sum(s.hours for s in sessions) >= 80

    # The demo learner logs in with the printed password and sees every page filled in.
    assert client.login(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f"{round(100 * readiness[-1])}%" in dashboard
    roadmap = client.get(reverse("roadmap")).content.decode()
    assert escape(steps[0].details.name) in roadmap
    progress_page = client.get(reverse("progress")).content.decode()
    assert f"{round(100 * readiness[0])}%" in progress_page and "Steps completed" in progress_page
    assert client.get(reverse("roadmap_map")).status_code == 200


def test_loading_again_replaces_the_demo_learner_and_leaves_everyone_else_alone(full_catalogue):
    other = UserFactory(email="someone@learners.careerpath.test")
    demo.load_demo()
    first = User.objects.get(email=demo.DEMO_EMAIL)
    counts = rows_of(first)
    other_before = (User.objects.filter(pk=other.pk).values().get(), rows_of(other))

    demo.load_demo()

    assert not User.objects.filter(pk=first.pk).exists()
    again = User.objects.get(email=demo.DEMO_EMAIL)
    assert User.objects.filter(profile__is_demo=True).count() == 1
    assert EmailAddress.objects.filter(email__iexact=demo.DEMO_EMAIL).count() == 1
    assert rows_of(again) == counts  # the same seed makes the same learner
    assert (User.objects.filter(pk=other.pk).values().get(), rows_of(other)) == other_before
    assert not Profile.objects.get(user=other).is_demo


def test_a_real_account_with_the_demo_address_is_never_taken_over(full_catalogue):
    """Someone who signed up with the demo address is a real person: the command refuses, and they
    never become the sample."""
    person = UserFactory(email=demo.DEMO_EMAIL)

    with pytest.raises(CommandError, match="belongs to a real account"):
        call_command("load_demo", stdout=StringIO())

    assert User.objects.filter(pk=person.pk).exists()
    assert not Profile.objects.get(user=person).is_demo
    assert account_selectors.demo_user() is None
    assert rows_of(person) == (0, 0, 0, 0, 0, 0)


def test_the_command_asks_for_the_catalogue_first(db):
    with pytest.raises(CommandError, match="load_catalogue"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()
