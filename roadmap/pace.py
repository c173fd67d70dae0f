"""The person's real study pace, from the time they logged, and the end date it leads to.

A plan is dated at the hours per week the person said they have. Once they log their study
time, the hours they actually put in tell more: the real pace is the hours logged over the
last ``PACE_WEEKS`` ISO weeks (Monday first, the current week included, counted up to today),
divided by the weeks that window spans. The window starts no earlier than the first session
ever logged, so someone who began ten days ago is not averaged over weeks before they began.

A pace from one busy evening says little, so the real pace is used only with enough data:
sessions in at least ``MIN_ACTIVE_WEEKS`` distinct weeks of the window, and at least
``MIN_DAYS_LOGGING`` days since the first session. Until then the projection uses the planned
hours per week. A pace of zero cannot project an end date: the result says so (``None``).

Hours are ``Decimal`` throughout, so totals are exact and more hours never round to a later date.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

PACE_WEEKS = 4
"""The real pace is measured over this many ISO weeks, the current one included."""

MIN_ACTIVE_WEEKS = 2
"""Enough data: sessions logged in at least this many distinct weeks of the pace window..."""

MIN_DAYS_LOGGING = 14
"""...and at least this many days since the first session ever logged."""

HISTORY_WEEKS = 12
"""Weeks of weekly totals shown by default (the progress page)."""

ZERO = Decimal(0)


@dataclass(frozen=True)
class Session:
    """Hours logged on one day (any step)."""

    day: date
    hours: Decimal


@dataclass(frozen=True)
class WeekTotal:
    """Hours logged in the ISO week starting on ``start`` (a Monday)."""

    start: date
    hours: Decimal

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass(frozen=True)
class Pace:
    """Logged time per week, the real pace, and the end dates it leads to."""

    weeks: tuple[WeekTotal, ...]
    """The last weeks, oldest first, the current week last (weeks without sessions hold zero)."""
    this_week: Decimal
    recent_hours: Decimal
    """Hours logged in the pace window (the last ``PACE_WEEKS`` weeks)."""
    real_pace: Decimal | None
    """Hours per week over the pace window; None before any session."""
    enough_data: bool
    pace: Decimal
    """The pace the projection uses: the real one with enough data, else the planned one."""
    remaining_hours: Decimal
    projected_end: date | None
    """When the remaining hours are done at ``pace``; None when the pace is zero."""
    planned_end: date | None

    @property
    def can_project(self) -> bool:
        return self.projected_end is not None


def tidy(hours: Decimal) -> Decimal:
    """The same number without trailing zeros ("4.50" reads "4.5"); equal to the one given."""
    return hours.normalize() if hours else ZERO


def week_start(day: date) -> date:
    """The Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def weekly_totals(sessions: Iterable[Session], *, today: date, weeks: int = HISTORY_WEEKS) -> list[WeekTotal]:
    """Hours per ISO week for the ``weeks`` weeks ending with today's, oldest first.

    Sessions outside those weeks (or after today) are left out.
    """
    current = week_start(today)
    starts = [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    totals = dict.fromkeys(starts, ZERO)
    for session in sessions:
        start = week_start(session.day)
        if start in totals and session.day <= today:
            totals[start] += session.hours
    return [WeekTotal(start, tidy(hours)) for start, hours in totals.items()]


def window_start(sessions: Iterable[Session], *, today: date) -> date | None:
    """The first day of the pace window: ``PACE_WEEKS`` weeks back, or the first session if later."""
    days = [s.day for s in sessions if s.day <= today]
    if not days:
        return None
    return max(week_start(today) - timedelta(weeks=PACE_WEEKS - 1), min(days))


def real_pace(sessions: Iterable[Session], *, today: date) -> Decimal | None:
    """Hours per week logged over the pace window, up to today (None before any session)."""
    sessions = list(sessions)
    start = window_start(sessions, today=today)
    if start is None:
        return None
    logged = sum((s.hours for s in sessions if start <= s.day <= today), ZERO)
    days = (today - start).days + 1
    return logged * 7 / days


def has_enough_data(sessions: Iterable[Session], *, today: date) -> bool:
    """Whether the logged time says enough to replace the planned pace (see the module's rule)."""
    past = [s for s in sessions if s.day <= today]
    if not past:
        return False
    first = min(s.day for s in past)
    window = week_start(today) - timedelta(weeks=PACE_WEEKS - 1)
    active_weeks = {week_start(s.day) for s in past if s.day >= window}
    return len(active_weeks) >= MIN_ACTIVE_WEEKS and (today - first).days >= MIN_DAYS_LOGGING


def projected_end(remaining_hours: Decimal, pace: Decimal, *, today: date) -> date | None:
    """The day the remaining hours are done at ``pace`` hours per week (None for a pace of zero)."""
    if remaining_hours <= 0:
        return today
    if pace <= 0:
        return None
    return today + timedelta(days=math.ceil(remaining_hours * 7 / pace))


def pace_of(
    sessions: Iterable[Session],
    *,
    today: date,
    hours_per_week: int | Decimal,
    remaining_hours: int | Decimal,
    planned_end: date | None,
    weeks: int = HISTORY_WEEKS,
) -> Pace:
    """Weekly totals, the real pace and the end date at that pace beside the planned one."""
    sessions = [s for s in sessions if s.day <= today]
    totals = weekly_totals(sessions, today=today, weeks=max(weeks, PACE_WEEKS))
    actual = real_pace(sessions, today=today)
    enough = actual is not None and has_enough_data(sessions, today=today)
    pace = actual if enough and actual is not None else Decimal(hours_per_week)
    remaining = Decimal(remaining_hours)
    return Pace(
        weeks=tuple(totals[-weeks:]) if weeks > 0 else (),
        this_week=totals[-1].hours,
        recent_hours=tidy(sum((w.hours for w in totals[-PACE_WEEKS:]), ZERO)),
        real_pace=actual,
        enough_data=enough,
        pace=pace,
        remaining_hours=remaining,
        projected_end=projected_end(remaining, pace, today=today),
        planned_end=planned_end,
    )
