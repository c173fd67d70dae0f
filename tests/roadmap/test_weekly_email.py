"""The weekly e-mail: who gets it, what it says, and that a week is never sent twice."""

from __future__ import annotations

import json
import re
import smtplib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Profile
from assessments.models import Result
from roadmap import presenters, weekly_email
from roadmap import selectors as roadmap_selectors
from roadmap.models import RoadmapStep, StepProgress, StepStatus, WeeklyEmail
from tests.accounts import factories as account_factories
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}
MONDAY = date(2027, 1, 4)


def plan_for(user, levels=LOW, *, consent=True):
    """Give ``user`` a plan by taking the assessment through its pages, and their consent (or not)."""
    browser = Client()
    browser.force_login(user)
    complete(browser, start(browser), levels, right=False)
    Profile.objects.filter(user=user).update(hours_per_week=10, weekly_email=consent)
    return list(RoadmapStep.objects.filter(user=user))


def send(week=MONDAY, *args):
    out = StringIO()
    call_command("send_weekly_email", "--week", week.isoformat(), *args, stdout=out)
    return out.getvalue()


def age_results(user, days):
    Result.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=days))


def this_week_headings(user):
    rows = roadmap_selectors.plan_rows(user)
    return [item.row.step.details.heading for item in presenters.this_week(rows, 10)]


@pytest.fixture
def planned(user, small_catalogue):
    return plan_for(user)


def test_nothing_is_sent_without_consent(user, small_catalogue):
    """A person with a plan who did not tick the weekly e-mail gets nothing."""
    plan_for(user, consent=False)

    send()

    assert mail.outbox == []
    assert not WeeklyEmail.objects.exists()


def test_with_consent_one_email_lists_this_weeks_steps_and_the_stop_link(user, planned):
    send()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("Your careerpath week of 4 January:")
    headings = this_week_headings(user)
    assert headings and all(heading in message.body for heading in headings)
    # The stop link is signed with the time it was made, so it is read back, not made again here.
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    prefix = "http://localhost:8000" + reverse("weekly_email_stop", args=["TOKEN"]).removesuffix("TOKEN/")
    assert stop.startswith(prefix)
    assert account_selectors.weekly_email_stop_user(token=stop.removeprefix(prefix).rstrip("/")) == user
    assert f"Stop it with one click: {stop}" in message.body
    assert "http://localhost:8000" + reverse("roadmap") in message.body
    assert "Your plan's planned end:" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{stop}"' in html
    assert all(heading in html for heading in headings)
    assert "Time for a retake" not in message.body
    assert WeeklyEmail.objects.get(user=user).week == MONDAY


def test_links_use_the_configured_site_address(user, planned):
    with override_settings(CAREERPATH_SITE_URL="https://careerpath.example.org"):
        send()

    assert "https://careerpath.example.org" + reverse("roadmap") in mail.outbox[0].body


def test_running_twice_in_one_week_still_sends_one(user, planned):
    send(MONDAY)
    send(MONDAY + timedelta(days=3))  # another day of the same ISO week

    assert len(mail.outbox) == 1
    assert WeeklyEmail.objects.filter(user=user).count() == 1


def test_the_next_week_sends_a_second(user, planned):
    send(MONDAY)
    send(MONDAY + timedelta(weeks=1))

    assert len(mail.outbox) == 2
    assert sorted(WeeklyEmail.objects.values_list("week", flat=True)) == [
        MONDAY,
        MONDAY + timedelta(weeks=1),
    ]


def test_a_day_given_with_week_is_taken_to_its_monday(user, planned):
    send(date(2027, 1, 6))

    assert WeeklyEmail.objects.get(user=user).week == MONDAY
    assert mail.outbox[0].subject.startswith("Your careerpath week of 4 January")


def test_a_week_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_weekly_email", "--week", "next monday")


def test_the_current_week_by_default(user, planned):
    call_command("send_weekly_email", stdout=StringIO())

    assert WeeklyEmail.objects.get(user=user).week == weekly_email.week_of(timezone.localdate())


@override_settings(CAREERPATH_RETAKE_INTERVAL_DAYS=28)
@pytest.mark.parametrize(("age", "reminded"), [(0, False), (27, False), (28, True), (60, True)])
def test_the_retake_reminder_appears_only_after_the_interval(user, planned, age, reminded):
    age_results(user, age)

    send()

    assert ("Time for a retake" in mail.outbox[0].body) is reminded
    assert ("a retake is due" in mail.outbox[0].subject) is reminded
    expected = WeeklyEmail.Kind.PLAN_AND_RETAKE if reminded else WeeklyEmail.Kind.PLAN
    assert WeeklyEmail.objects.get(user=user).kind == expected


def close_every_step(user):
    for step in RoadmapStep.objects.filter(user=user):
        StepProgress.objects.update_or_create(user=user, key=step.key, defaults={"status": StepStatus.DONE})


def test_no_email_without_open_steps_and_no_retake_due(user, planned):
    close_every_step(user)

    output = send()

    assert mail.outbox == []
    assert not WeeklyEmail.objects.exists()
    assert "0 sent, 1 with nothing to say" in output


def test_no_email_for_a_person_who_never_took_the_assessment(user):
    Profile.objects.filter(user=user).update(weekly_email=True)

    send()

    assert mail.outbox == []


def test_a_retake_alone_is_reason_enough_to_write(user, planned):
    close_every_step(user)
    age_results(user, 40)

    send()

    message = mail.outbox[0]
    assert "Time for a retake" in message.body
    assert "This week" not in message.body
    assert message.subject.endswith("time to retake the assessment")
    assert WeeklyEmail.objects.get(user=user).kind == WeeklyEmail.Kind.RETAKE


def test_inactive_people_and_people_without_an_address_get_nothing(user, small_catalogue):
    plan_for(user)
    nameless = account_factories.UserFactory()
    plan_for(nameless)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    type(user).objects.filter(pk=nameless.pk).update(email="")

    send()

    assert mail.outbox == []


def test_another_persons_plan_never_appears_in_someones_email(user, other_user, small_catalogue):
    """Both plans start alike, but the other person closed their Python steps: each e-mail holds its own."""
    plan_for(user)
    for step in plan_for(other_user):
        if step.details.slug == "python":
            StepProgress.objects.create(user=other_user, key=step.key, status=StepStatus.DONE)
    own = {person.email: this_week_headings(person) for person in (user, other_user)}
    assert set(own[user.email]) != set(own[other_user.email])

    send()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(own)
    for message in mail.outbox:
        (recipient,) = message.to
        others = {h for email, headings in own.items() if email != recipient for h in headings}
        for heading in others - set(own[recipient]):
            assert heading not in message.body
            assert heading not in message.alternatives[0][0]
        # The stop link names its person (a token signed with the time, so compare whom it names).
        tokens = re.findall(r"/email/weekly/stop/([^/\s\"]+)/", message.body)
        assert tokens
        assert {account_selectors.weekly_email_stop_user(token=token).email for token in tokens} == {
            recipient
        }


def test_a_failed_send_records_nothing_and_the_next_run_retries(user, planned, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        with pytest.raises(CommandError, match="1 e-mails failed"):
            send()
    assert not WeeklyEmail.objects.exists()

    send()

    assert len(mail.outbox) == 1
    assert WeeklyEmail.objects.filter(user=user, week=MONDAY).count() == 1


def test_a_week_another_run_recorded_meanwhile_is_not_sent_again(user, planned, monkeypatch):
    """Two servers at once: the list was read before the other run's row; the constraint stops the send."""
    recipients = roadmap_selectors.weekly_email_recipients(week=MONDAY)
    WeeklyEmail.objects.create(user=user, week=MONDAY, kind=WeeklyEmail.Kind.PLAN)
    monkeypatch.setattr(roadmap_selectors, "weekly_email_recipients", lambda week: recipients)

    outcome = weekly_email.weekly_emails_send(week=MONDAY)

    assert (outcome.sent, outcome.already_sent) == (0, 1)
    assert mail.outbox == []
    assert WeeklyEmail.objects.count() == 1


def test_a_dry_run_prints_what_would_be_sent_and_sends_nothing(user, planned):
    output = send(MONDAY, "--dry-run")

    assert f"Would send to {user.email}: Your careerpath week of 4 January" in output
    assert "1 would be sent" in output
    assert mail.outbox == []
    assert not WeeklyEmail.objects.exists()


def test_queries_per_person_stay_bounded(user, small_catalogue):
    """Each further person costs the same few queries, however many steps their plan has."""
    plan_for(user)
    with CaptureQueriesContext(connection) as one:
        send(MONDAY)
    for _ in range(3):
        plan_for(account_factories.UserFactory())
    with CaptureQueriesContext(connection) as four:
        send(MONDAY + timedelta(weeks=1))

    assert len(mail.outbox) == 5
    per_person = (len(four) - len(one)) / 3
    assert per_person <= 8, [q["sql"] for q in four.captured_queries]


def test_the_data_download_holds_the_consent_and_the_weeks_sent(user_client, user, planned):
    send()

    data = json.loads(user_client.get(reverse("account_data")).content)

    assert data["profile"]["weekly_email"] is True
    assert data["weekly_emails"] == [
        {
            "week": "2027-01-04",
            "sent_at": WeeklyEmail.objects.get(user=user).sent_at.isoformat(),
            "kind": "plan",
        }
    ]


def test_deleting_the_account_deletes_the_log(user, planned):
    from accounts import services as account_services

    send()
    account_services.account_delete(user=user)

    assert not WeeklyEmail.objects.exists()
