"""The real study pace and the end date it leads to (roadmap.pace: pure, no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap import pace
from roadmap.pace import Session

TODAY = date(2027, 3, 10)  # a Wednesday
MONDAY = date(2027, 3, 8)


def sessions(*pairs: tuple[int, str]) -> list[Session]:
    """Sessions as (days before TODAY, hours)."""
    return [Session(TODAY - timedelta(days=back), Decimal(hours)) for back, hours in pairs]


def test_weeks_start_on_monday():
    assert pace.week_start(TODAY) == MONDAY
    assert pace.week_start(MONDAY) == MONDAY
    assert pace.week_start(date(2027, 3, 14)) == MONDAY  # Sunday


def test_weekly_totals_add_up_each_week_oldest_first_with_empty_weeks_as_zero():
    weeks = pace.weekly_totals(sessions((0, "1.5"), (1, "2"), (7, "3"), (200, "9")), today=TODAY, weeks=3)
    assert [(w.start, w.hours) for w in weeks] == [
        (MONDAY - timedelta(weeks=2), Decimal(0)),
        (MONDAY - timedelta(weeks=1), Decimal(3)),
        (MONDAY, Decimal("3.5")),
    ]
    assert weeks[-1].end == date(2027, 3, 14)


def test_weekly_totals_leave_out_days_after_today():
    assert pace.weekly_totals(sessions((-1, "2")), today=TODAY, weeks=1)[0].hours == 0


def test_the_real_pace_counts_from_the_first_session_when_that_is_recent():
    # 15 days of logging (from 14 days back to today), 30 hours: 14 hours a week.
    assert pace.real_pace(sessions((14, "10"), (7, "10"), (0, "10")), today=TODAY) == 14


def test_the_real_pace_is_measured_over_four_weeks_with_the_current_week_up_to_today():
    # The window runs from the Monday three weeks back to today: 21 + 3 days.
    real = pace.real_pace(sessions((60, "5"), (20, "12"), (0, "12")), today=TODAY)
    assert real == Decimal(24) * 7 / 24


def test_there_is_no_real_pace_before_any_session():
    assert pace.real_pace([], today=TODAY) is None


@pytest.mark.parametrize(
    ("logged", "enough"),
    [
        ([], False),
        ([(0, "3"), (1, "3")], False),  # one week only
        ([(10, "3"), (0, "3")], False),  # two weeks, but only ten days of logging
        ([(14, "3"), (0, "3")], True),  # two weeks, fourteen days
        ([(40, "3"), (0, "3")], False),  # the older week is outside the last four
        ([(40, "3"), (20, "1"), (0, "3")], True),
    ],
)
def test_enough_data_needs_two_active_weeks_of_the_last_four_and_two_weeks_of_logging(logged, enough):
    assert pace.has_enough_data(sessions(*logged), today=TODAY) is enough
    assert pace.MIN_ACTIVE_WEEKS == 2 and pace.MIN_DAYS_LOGGING == 14 and pace.PACE_WEEKS == 4


def test_without_enough_data_the_projection_uses_the_planned_pace():
    result = pace.pace_of(
        sessions((0, "1")), today=TODAY, hours_per_week=10, remaining_hours=70, planned_end=date(2027, 6, 1)
    )
    assert not result.enough_data
    assert result.pace == 10
    assert result.projected_end == TODAY + timedelta(days=49)
    assert result.planned_end == date(2027, 6, 1)
    assert result.this_week == 1 and result.recent_hours == 1


def test_with_enough_data_the_real_pace_moves_the_end_date():
    # 15 days logged at 14 hours a week, 140 hours left: ten weeks at the real pace.
    result = pace.pace_of(
        sessions((14, "10"), (7, "10"), (0, "10")),
        today=TODAY,
        hours_per_week=7,
        remaining_hours=140,
        planned_end=TODAY + timedelta(weeks=20),
        weeks=4,
    )
    assert result.enough_data and result.real_pace == 14
    assert result.projected_end == TODAY + timedelta(weeks=10)
    assert result.recent_hours == 30
    assert [w.hours for w in result.weeks] == [0, 10, 10, 10]


def test_a_pace_of_zero_cannot_project():
    result = pace.pace_of([], today=TODAY, hours_per_week=0, remaining_hours=40, planned_end=None)
    assert result.projected_end is None and not result.can_project


def test_nothing_left_ends_today():
    assert pace.projected_end(Decimal(0), Decimal(0), today=TODAY) == TODAY


HOURS = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(24), places=2)
SESSIONS = st.lists(st.tuples(st.integers(min_value=0, max_value=120), HOURS), max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    logged=SESSIONS,
    extra=st.lists(st.decimals(min_value=Decimal(0), max_value=Decimal(10), places=2), max_size=40),
    hours_per_week=st.integers(min_value=0, max_value=60),
    remaining=st.integers(min_value=0, max_value=3000),
)
def test_more_logged_hours_never_make_the_projected_end_later(logged, extra, hours_per_week, remaining):
    before = [Session(TODAY - timedelta(days=back), hours) for back, hours in logged]
    after = [Session(s.day, s.hours + (extra[i] if i < len(extra) else 0)) for i, s in enumerate(before)]
    kwargs = {"today": TODAY, "hours_per_week": hours_per_week, "remaining_hours": remaining}
    slow = pace.pace_of(before, planned_end=None, **kwargs)
    fast = pace.pace_of(after, planned_end=None, **kwargs)
    assert fast.enough_data == slow.enough_data
    if slow.projected_end is not None:
        assert fast.projected_end is not None and fast.projected_end <= slow.projected_end


@settings(max_examples=200, deadline=None)
@given(logged=SESSIONS, hours_per_week=st.integers(min_value=0, max_value=60), remaining=st.integers(0, 3000))
def test_the_projection_never_divides_by_zero_and_never_ends_before_today(logged, hours_per_week, remaining):
    result = pace.pace_of(
        [Session(TODAY - timedelta(days=back), hours) for back, hours in logged],
        today=TODAY,
        hours_per_week=hours_per_week,
        remaining_hours=remaining,
        planned_end=None,
    )
    if result.pace > 0 or remaining == 0:
        assert result.projected_end is not None and result.projected_end >= TODAY
    else:
        assert result.projected_end is None


@settings(max_examples=200, deadline=None)
@given(logged=SESSIONS, weeks=st.integers(min_value=1, max_value=20))
def test_weekly_totals_hold_every_hour_logged_in_those_weeks(logged, weeks):
    items = [Session(TODAY - timedelta(days=back), hours) for back, hours in logged]
    totals = pace.weekly_totals(items, today=TODAY, weeks=weeks)
    first = totals[0].start
    assert len(totals) == weeks
    assert all(w.start.weekday() == 0 for w in totals)
    assert sum(w.hours for w in totals) == sum(s.hours for s in items if s.day >= first)
