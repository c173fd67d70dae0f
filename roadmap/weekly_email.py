"""The weekly e-mail: this week's plan and a retake reminder, for the people who asked for it.

Who gets one, for an ISO week: active people with an e-mail address who ticked the weekly e-mail on
their profile, whose plan has open steps or whose retake is due (their latest result is at least
``CAREERPATH_RETAKE_INTERVAL_DAYS`` old, as on the dashboard). Nobody else, and never twice a week.

Sending is idempotent. Each e-mail is recorded as a ``WeeklyEmail`` row for its week in the same
transaction as the send, and the row is unique per (person, week):

- a rerun skips the people who already have their row;
- two runs at once (cron on two servers) race for the insert: the second waits for the first's
  transaction and then fails on the constraint, so the e-mail goes out once;
- a send that fails rolls its row back, so the next run retries it.

The one gap left is a send that succeeds followed by a commit that fails: that e-mail is sent again
by the next run (a mail server cannot take an e-mail back, so "once" cannot be stronger than this).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import selectors as account_selectors
from accounts.models import User

from . import pace, presenters, selectors, wording
from .models import WeeklyEmail
from .presenters import WeekRow

logger = logging.getLogger(__name__)


def week_of(day: date) -> date:
    """The week an e-mail is for: the Monday of the ISO week holding ``day``."""
    return pace.week_start(day)


@dataclass(frozen=True)
class WeeklyContent:
    """What one person's e-mail says: this week's items, the plan's end, and whether a retake is due."""

    items: list[WeekRow]
    planned_end: date | None
    retake_due: bool
    last_result_on: date | None

    @property
    def kind(self) -> WeeklyEmail.Kind:
        if self.items and self.retake_due:
            return WeeklyEmail.Kind.PLAN_AND_RETAKE
        return WeeklyEmail.Kind.PLAN if self.items else WeeklyEmail.Kind.RETAKE

    @property
    def hours(self) -> float:
        return sum(item.hours for item in self.items)


def weekly_content(
    *, user: User, hours_per_week: int, last_result_at: datetime | None, now: datetime
) -> WeeklyContent | None:
    """The person's e-mail for this week (two queries), or None when there is nothing to say."""
    rows = selectors.plan_rows(user)
    items = presenters.this_week(rows, hours_per_week)
    interval = timedelta(days=settings.CAREERPATH_RETAKE_INTERVAL_DAYS)
    retake_due = last_result_at is not None and now - last_result_at >= interval
    if not items and not retake_due:
        return None
    planned_end = max(
        (row.step.planned_end for row in rows if not presenters.is_milestone(row)), default=None
    )
    return WeeklyContent(
        items=items,
        planned_end=planned_end if items else None,
        retake_due=retake_due,
        last_result_on=timezone.localdate(last_result_at) if last_result_at else None,
    )


def _hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def subject(week: date, content: WeeklyContent) -> str:
    """ "Your week of 6 January: 3 steps, 6 h" (with the retake when it is due), in the active language."""
    day = date_format(week, "j F")
    if not content.items:
        return _("Your careerpath week of %(day)s: time to retake the assessment") % {"day": day}
    count = len(content.items)
    values = {"day": day, "count": count, "hours": _hours(content.hours)}
    if content.retake_due:
        return (
            ngettext(
                "Your careerpath week of %(day)s: %(count)s step, %(hours)s h, and a retake is due",
                "Your careerpath week of %(day)s: %(count)s steps, %(hours)s h, and a retake is due",
                count,
            )
            % values
        )
    return (
        ngettext(
            "Your careerpath week of %(day)s: %(count)s step, %(hours)s h",
            "Your careerpath week of %(day)s: %(count)s steps, %(hours)s h",
            count,
        )
        % values
    )


def stop_url(user: User) -> str:
    """The person's one-click stop link (absolute)."""
    token = account_selectors.weekly_email_stop_token(user=user)
    return settings.CAREERPATH_SITE_URL + reverse("weekly_email_stop", args=[token])


def weekly_message(
    *, user: User, week: date, content: WeeklyContent, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The e-mail itself: plain text and HTML, with the List-Unsubscribe headers of RFC 8058."""
    site = settings.CAREERPATH_SITE_URL
    stop = stop_url(user)
    context = {
        "week": week,
        "items": [
            {
                "heading": wording.step_heading(item.row.step.details),
                "hours": _hours(item.hours),
                "next_part": item.next_part,
                "resource": item.resource,
                # Only web links become links in the e-mail.
                "resource_link": item.resource.url
                if item.resource and item.resource.url.startswith(("https://", "http://"))
                else "",
            }
            for item in content.items
        ],
        "hours": _hours(content.hours),
        "planned_end": content.planned_end,
        "retake_due": content.retake_due,
        "last_result_on": content.last_result_on,
        "interval_days": settings.CAREERPATH_RETAKE_INTERVAL_DAYS,
        "roadmap_url": site + reverse("roadmap"),
        "assessment_url": site + reverse("assessment_start"),
        "profile_url": site + reverse("profile"),
        "stop_url": stop,
    }
    message = EmailMultiAlternatives(
        subject=subject(week, content),
        body=render_to_string("roadmap/email/weekly.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        connection=connection,
    )
    message.attach_alternative(render_to_string("roadmap/email/weekly.html", context), "text/html")
    return message


@dataclass
class Outcome:
    """What a run did: e-mails sent (or, dry, that would be), people skipped, sends that failed."""

    sent: int = 0
    nothing_to_say: int = 0
    already_sent: int = 0
    failed: list[int] = field(default_factory=list)
    """Ids of the people whose e-mail failed (a rerun retries them)."""


def weekly_emails_send(
    *,
    week: date,
    dry_run: bool = False,
    now: datetime | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> Outcome:
    """Send the week's e-mails to everyone who has none for ``week`` yet (see the module docstring)."""
    week = week_of(week)
    now = now or timezone.now()
    outcome = Outcome()
    connection = None if dry_run else mail.get_connection()
    for recipient in selectors.weekly_email_recipients(week=week):
        user = recipient.user
        content = weekly_content(
            user=user,
            hours_per_week=recipient.hours_per_week,
            last_result_at=recipient.last_result_at,
            now=now,
        )
        if content is None:
            outcome.nothing_to_say += 1
            continue
        # In the person's language (their profile's; the site's default when they follow the browser).
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            message = weekly_message(user=user, week=week, content=content, connection=connection)
        if dry_run:
            report(f"Would send to {user.email}: {message.subject}")
            outcome.sent += 1
            continue
        try:
            with transaction.atomic():
                WeeklyEmail.objects.create(user=user, week=week, kind=content.kind)
                message.send()
        except IntegrityError:
            # Another run recorded this person's week after the list was read: it sends, not us.
            outcome.already_sent += 1
        except Exception:
            # Whatever the mail backend raised, the row is rolled back (a rerun retries) and the
            # others still get theirs. Reopen the connection: a failed one may be unusable.
            logger.exception("Weekly e-mail to user %s for the week of %s failed", user.pk, week)
            outcome.failed.append(user.pk)
            if connection is not None:
                connection.close()
        else:
            outcome.sent += 1
            report(f"Sent to {user.email}: {message.subject}")
    return outcome
