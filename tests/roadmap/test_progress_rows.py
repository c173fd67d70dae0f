"""The progress page's rows prepared once in Python, the skill map drawn from a prepared map, and the
statuses and comparisons worked out once: the same words and markup as before, fewer queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts import selectors as account_selectors
from accounts.models import Profile
from assessments.models import Result
from catalogue import skillmap
from catalogue.skillmap import MapEdge, MapNode, NodeStatus
from roadmap import pace, presenters, skillmap_status
from roadmap import selectors as roadmap_selectors
from roadmap.models import StepProgress
from tests.assessments.journey import complete, copy_result, start

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}
HIGH = {"python": 3, "sql": 3, "scikit-learn": 3, "pytorch": 3}


def filtered(source: str, **context: object) -> str:
    """What the template filters the page used before make of ``context``."""
    return Template("{% load humanize %}" + source).render(Context(context))


# --- the rows (no database) ------------------------------------------------------------------------


def history(*moments: datetime, focus: str = "ml:entry") -> list[dict]:
    return [
        {
            "pk": pk,
            "created_at": moment,
            "readiness": {focus: 0.5, "other:entry": None},
            "focus": focus,
            "method": "m",
        }
        for pk, moment in enumerate(moments, start=1)
    ]


def test_history_rows_word_the_day_and_give_the_time_only_when_a_day_has_two_results():
    morning = datetime(2026, 1, 5, 9, 7, tzinfo=UTC)
    rows = presenters.history_rows(
        history(morning, morning + timedelta(hours=3), morning + timedelta(days=40)),
        {"ml:entry": "ML", "other:entry": "Other"},
        lambda pk: f"/results/{pk}/",
    )
    local = [timezone.localtime(moment) for moment in (morning, morning + timedelta(hours=3))]
    day = filtered('{{ when|date:"j M Y" }}', when=local[0])
    times = [filtered('{{ when|time:"H:i" }}', when=when) for when in local]
    assert [row.heading for row in rows[:2]] == [f"{day} {times[0]}", f"{day} {times[1]}"]
    assert (
        rows[2].heading
        == rows[2].day
        == filtered('{{ when|date:"j M Y" }}', when=morning + timedelta(days=40))
    )
    assert rows[0].option == filtered('{{ when|date:"j M Y H:i" }}', when=morning)
    assert rows[0].cells == ("50%", "n/a")
    assert rows[0].link == (
        f'<a href="/results/1/">Result<span class="visually-hidden"> of {day} {times[0]}</span></a>'
    )
    assert (
        rows[2].link
        == f'<a href="/results/3/">Result<span class="visually-hidden"> of {rows[2].day}</span></a>'
    )
    assert not rows[0].target_changed and not rows[1].method_changed


def test_history_rows_mark_a_change_of_target_and_of_method():
    moments = [datetime(2026, 1, day, 12, tzinfo=UTC) for day in (1, 2, 3)]
    rows = history(*moments)
    rows[1]["focus"] = "other:entry"
    rows[2]["method"] = "newer"
    marked = presenters.history_rows(rows, {"ml:entry": "ML", "other:entry": "Other"}, str)
    assert [(row.target_changed, row.method_changed) for row in marked] == [
        (False, False),
        (True, False),
        (True, True),
    ]


def test_the_rows_are_worded_in_the_active_language():
    with translation.override("hi"):
        rows = presenters.history_rows(history(datetime(2026, 1, 5, 9, tzinfo=UTC)), {"ml:entry": "ML"}, str)
        day = filtered('{{ when|date:"j M Y" }}', when=datetime(2026, 1, 5, 9, tzinfo=UTC))
        weeks = presenters.study_week_rows([pace.WeekTotal(date(2026, 1, 5), Decimal("1234.5"))])
        expected_week = filtered(
            '{% load i18n %}{% blocktranslate trimmed with start=s|date:"j M Y" end=e|date:"j M Y" %}'
            "{{ start }} to {{ end }}{% endblocktranslate %}",
            s=date(2026, 1, 5),
            e=date(2026, 1, 11),
        )
        hours = filtered("{{ hours|intcomma }}", hours=Decimal("1234.5"))
    assert rows[0].day == day
    assert weeks == [(expected_week, hours)]


def test_the_compared_pair_defaults_to_the_first_and_the_latest_and_only_ever_the_persons_own():
    rows = history(*(datetime(2026, 1, day, 12, tzinfo=UTC) for day in (1, 2, 3)))
    pks = lambda pair: tuple(None if result is None else result.pk for result in pair)  # noqa: E731
    assert pks(presenters.compared_pair(rows, 7, None, None)) == (1, 3)
    assert pks(presenters.compared_pair(rows, 7, 2, None)) == (2, 3)
    assert pks(presenters.compared_pair(rows, 7, 3, 1)) == (3, 1)
    assert pks(presenters.compared_pair(rows, 7, 1, 99)) == (1, None)
    assert pks(presenters.compared_pair(rows[:1], 7, None, None)) == (None, None)
    assert pks(presenters.compared_pair(rows[:1], 7, 1, 1)) == (1, 1)
    assert pks(presenters.compared_pair([], 7, 1, 2)) == (None, None)
    assert presenters.compared_pair(rows, 7, None, None)[0].user_id == 7


def test_the_summary_reads_readiness_from_the_history_and_the_gaps_from_the_comparison():
    rows = history(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    rows[1]["readiness"] = {"ml:entry": 0.75}
    first, second = presenters.compared_pair(rows, 7, None, None)
    compared = presenters.Comparison(closed=2, opened=("SQL",), changes=(), method_changed=True)
    summary = presenters.progress_summary(rows, first, second, compared, {"ml": "ML engineer"})
    assert summary is not None
    assert (summary["before"], summary["after"], summary["closed"], summary["opened"]) == (50, 75, 2, ["SQL"])
    assert summary["method_changed"] and not summary["target_changed"]
    assert summary["role"].startswith("ML engineer") and summary["since"] == rows[0]["created_at"]
    assert presenters.progress_summary(rows, first, None, compared, {}) is None


def test_a_result_link_is_the_reversed_address_of_that_result():
    link = presenters.result_link()
    assert [link(pk) for pk in (1, 2147483647, 31)] == [
        reverse("result_detail", args=[pk]) for pk in (1, 2147483647, 31)
    ]


def test_change_rows_word_new_skills_and_signed_changes_and_the_table_escapes_names():
    changes = [
        {"name": "C++ <fast>", "before": None, "after": 2, "change": None},
        {"name": "SQL", "before": 1, "after": 3, "change": 2},
        {"name": "R", "before": 2, "after": 1, "change": -1},
        {"name": "Git", "before": 2, "after": 2, "change": 0},
    ]
    rows = presenters.change_rows(changes)
    assert rows == [
        ("C++ <fast>", "-", "2", "new"),
        ("SQL", "1", "3", "+2"),
        ("R", "2", "1", "-1"),
        ("Git", "2", "2", "0"),
    ]
    table = presenters.change_table(rows)
    assert table.startswith('<tr><th scope="row">C++ &lt;fast&gt;</th><td>-</td><td>2</td><td>new</td></tr>')
    assert "<fast>" not in table


def test_completed_rows_give_the_local_day_and_the_step():
    done = SimpleNamespace(completed_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    day = filtered('{{ when|date:"j M Y" }}', when=done.completed_at)
    assert presenters.completed_rows([(done, "Python 1 → 2")]) == [f"{day}: Python 1 → 2"]


def test_a_prepared_map_draws_what_render_draws_for_any_statuses():
    nodes = [
        MapNode("python", "Python", "programming", "Programming", 1),
        MapNode("sql", "SQL & <databases>", "programming", "Programming", 1),
        MapNode("pytorch", "PyTorch", "ml", "ML frameworks", 2),
    ]
    layout = skillmap.layout(nodes, [MapEdge("pytorch", "python", 2)])

    def href(slug: str) -> str:
        return f"/catalogue/skills/{slug}/"

    prepared = skillmap.PreparedMap(layout, href)
    for statuses in (
        None,
        {},
        {"python": NodeStatus("done", 3), "sql": NodeStatus(None, 1)},
        {"python": NodeStatus("in_progress", 2), "pytorch": NodeStatus("set_aside", None)},
        {"python": NodeStatus("done", 3), "sql": NodeStatus(None, 1)},  # drawn again, from what is kept
    ):
        assert prepared.render(statuses) == skillmap.render(layout, href, statuses)


# --- the pages -------------------------------------------------------------------------------------


@pytest.fixture
def two_results(user_client, user, small_catalogue):
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    complete(user_client, start(user_client), LOW, right=False)
    Result.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=35))
    complete(user_client, start(user_client), HIGH)
    return list(Result.objects.filter(user=user).order_by("created_at"))


def without_tokens(content: bytes) -> str:
    return re.sub(r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]*"', "", content.decode())


@pytest.mark.django_db
def test_the_comparison_is_read_from_the_snapshots_once_per_pair(user_client, two_results):
    first, second = two_results
    with CaptureQueriesContext(connection) as cold:
        page = user_client.get(reverse("progress"))
    with CaptureQueriesContext(connection) as warm:
        again = user_client.get(reverse("progress"))
    assert without_tokens(page.content) == without_tokens(again.content)

    def pair_reads(queries):  # the two results read whole, snapshots included
        return [
            q
            for q in queries.captured_queries
            if '"assessments_result"."id" IN (' in q["sql"]
            and ', "assessments_result"."snapshot_json"' in q["sql"]
        ]

    assert len(pair_reads(cold)) == 1 and pair_reads(warm) == []
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert (page.context["first"].pk, page.context["second"].pk) == (first.pk, second.pk)
    assert page.context["summary"]["closed"] == again.context["summary"]["closed"]
    swapped = user_client.get(reverse("progress"), {"from": second.pk, "to": first.pk})
    assert (swapped.context["first"].pk, swapped.context["second"].pk) == (second.pk, first.pk)


@pytest.mark.django_db
def test_the_progress_page_runs_as_many_queries_with_a_long_history(user_client, user, two_results):
    user_client.get(reverse("progress"))
    with CaptureQueriesContext(connection) as short:
        user_client.get(reverse("progress"))
    first, second = two_results
    for days in range(30, 0, -3):
        copy_result(first, timezone.now() - timedelta(days=days))
    latest = copy_result(second, timezone.now())
    user_client.get(reverse("progress"))  # the new pair is compared once
    with CaptureQueriesContext(connection) as long:
        page = user_client.get(reverse("progress"))
    assert len(long.captured_queries) == len(short.captured_queries)
    assert page.context["second"].pk == latest.pk
    assert page.content.decode().count('<a href="/results/') == Result.objects.filter(user=user).count()


@pytest.mark.django_db
def test_two_results_of_one_day_show_their_times_in_the_table_and_the_link(user_client, user, two_results):
    first, second = two_results
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    Result.objects.filter(pk=first.pk).update(created_at=noon - timedelta(minutes=5))
    Result.objects.filter(pk=second.pk).update(created_at=noon)
    body = user_client.get(reverse("progress")).content.decode()
    local = timezone.localtime(noon)
    day, time = filtered('{{ when|date:"j M Y" }}', when=local), filtered('{{ when|time:"H:i" }}', when=local)
    assert f'<th scope="row">{day} {time}' in body
    assert (
        f'<a href="/results/{second.pk}/">Result<span class="visually-hidden"> of {day} {time}</span></a>'
        in body
    )


@pytest.mark.django_db
def test_the_map_statuses_match_the_rules_over_the_full_plan(user_client, user, two_results):
    rows = roadmap_selectors.plan_rows(user)
    for row in rows[:2]:
        StepProgress.objects.create(user=user, key=row.step.key, status="done")
    profile = account_selectors.profile_get(user=user)
    levels = two_results[-1].snapshot.assessed_levels()
    set_aside = account_selectors.target_choices(profile=profile).set_aside
    expected = skillmap_status.statuses(roadmap_selectors.plan_rows(user), set_aside, levels)
    assert skillmap_status.map_statuses(user) == expected
    assert skillmap_status.map_statuses(user) == expected  # the levels kept from the first read


@pytest.mark.django_db
def test_the_map_has_no_statuses_before_a_result_or_a_plan(user):
    assert skillmap_status.map_statuses(user) is None


@pytest.mark.django_db
def test_the_dashboard_names_the_latest_results_target_without_reading_every_role(user_client, two_results):
    page = user_client.get(reverse("dashboard"))
    assert page.status_code == HTTPStatus.OK
    assert page.context["role_name"].startswith("Machine Learning Engineer")
    plan = roadmap_selectors.plan_rows(two_results[0].user)
    steps = [row for row in plan if row.step.details.kind != "milestone"]
    assert page.context["hours_planned"] == sum(row.step.hours for row in steps)
    assert page.context["plan_steps"] == len(plan)
