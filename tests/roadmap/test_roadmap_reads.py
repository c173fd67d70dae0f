"""The roadmap page's reads: written out or compiled once, they give exactly what the ORM gives,
and the page stays right (and cheap) when it is kept whole between visits."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts import selectors as account_selectors
from accounts.models import Profile
from assessments import selectors as assessment_selectors
from assessments.models import Result
from catalogue import compiled
from catalogue.models import CareerMilestone, Skill
from roadmap import cards, skillmap_status
from roadmap import selectors as roadmap_selectors
from roadmap import services as roadmap_services
from roadmap.models import PlanRevision, RoadmapStep, StepProgress, StudySession
from roadmap.step_details import StepDetails
from tests.accounts import factories as account_factories
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}


@pytest.fixture
def planned(user_client, user, small_catalogue):
    """A plan with a step done (notes and evidence), one skipped, one under way, and study time
    logged on several days, some before the pace window."""
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10, city="Pune")
    complete(user_client, start(user_client), LOW, right=False)
    steps = [
        s for s in RoadmapStep.objects.filter(user=user).order_by("position") if s.details.kind == "skill"
    ]
    updates = [
        roadmap_services.StepUpdate("done", "Finished the course ✓", ["https://example.org/proof"]),
        roadmap_services.StepUpdate("skipped", "", []),
        roadmap_services.StepUpdate("in_progress", "Half way", []),
    ]
    for step, update in zip(steps, updates, strict=False):
        roadmap_services.step_mark(user=user, key=step.key, update=update)
    today = timezone.localdate()
    for days_ago, hours in ((0, "1.5"), (3, "2"), (40, "0.25"), (200, "3")):
        StudySession.objects.create(
            user=user, step_key=steps[2].key, day=today - timedelta(days=days_ago), hours=Decimal(hours)
        )
    return steps


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_plans_rows_are_what_the_orm_reads(user, planned):
    rows = roadmap_selectors.plan_rows(user)
    orm_steps = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    orm_progress = {p.key: p for p in StepProgress.objects.filter(user=user)}
    assert [row.step.key for row in rows] == [step.key for step in orm_steps]
    for row, step in zip(rows, orm_steps, strict=True):
        assert row.step.details == StepDetails.from_json(step.details_json)
        assert field_values(row.step) == field_values(step)  # the JSON column too, read when asked for
        expected = orm_progress.get(step.key)
        if expected is None:
            assert row.progress is None and row.status == "todo"
        else:
            assert field_values(row.progress) == field_values(expected)
    assert {row.status for row in rows} >= {"done", "skipped", "in_progress", "todo"}
    done = next(row for row in rows if row.status == "done")
    assert done.progress.evidence == ["https://example.org/proof"]
    assert done.progress.completed_at is not None and done.progress.completed_at.tzinfo is not None


@pytest.mark.django_db(transaction=True)  # each write its own transaction, as on the site
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads a row's version")
def test_each_steps_details_are_read_once_per_version_of_its_row(user, planned, monkeypatch):
    """PostgreSQL: the first read of a plan fetches its details; the next reads only the rows. A
    re-plan writes new versions of the rows: their details are read again, and are the same."""
    monkeypatch.setattr(roadmap_selectors, "_DETAILS_BY_VERSION", {})
    with CaptureQueriesContext(connection) as first:
        before = roadmap_selectors.plan_rows(user)
    with CaptureQueriesContext(connection) as again:
        kept = roadmap_selectors.plan_rows(user)
    assert (len(first), len(again)) == (2, 1)
    assert [row.step.details for row in kept] == [row.step.details for row in before]

    roadmap_services.plan_replan(user=user, today=timezone.localdate() + timedelta(days=30))
    with CaptureQueriesContext(connection) as after_replan:
        moved = roadmap_selectors.plan_rows(user)
    assert len(after_replan) == 2
    orm = {
        step.key: StepDetails.from_json(step.details_json) for step in RoadmapStep.objects.filter(user=user)
    }
    assert {row.step.key: row.step.details for row in moved} == orm


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads a row's version")
def test_a_plan_rebuilt_between_the_two_reads_is_read_again_whole(user, planned, monkeypatch):
    """The details of a step that went between the plan's read and its details' read: the plan is
    read again with its details, so the page shows the new plan, not a mix."""
    monkeypatch.setattr(roadmap_selectors, "_DETAILS_BY_VERSION", {})
    gone = RoadmapStep.objects.filter(user=user).first()
    pk = gone.pk
    gone.delete()
    assert roadmap_selectors._details_by_version([(pk, "1")]) is None

    monkeypatch.setattr(roadmap_selectors, "_details_by_version", lambda versions: None)
    rows = roadmap_selectors.plan_rows(user)
    orm_steps = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    assert [(row.step.key, row.step.details) for row in rows] == [
        (step.key, StepDetails.from_json(step.details_json)) for step in orm_steps
    ]


def test_a_person_without_a_plan_has_no_rows(small_catalogue):
    assert roadmap_selectors.plan_rows(account_factories.UserFactory()) == []


def test_the_profile_and_its_milestones_come_in_one_query(user, planned):
    held = list(CareerMilestone.objects.order_by("slug")[:2])
    account_selectors.profile_get(user=user).milestones_held.set(held)
    with CaptureQueriesContext(connection) as captured:
        profile, slugs = account_selectors.profile_and_milestones(user=user)
    assert len(captured.captured_queries) == 1
    expected = Profile.objects.get(user=user)
    assert field_values(profile) == field_values(expected)
    assert (profile.hours_per_week, profile.city) == (10, "Pune")
    assert sorted(slugs) == sorted(account_selectors.held_milestones(user=user)) == [m.slug for m in held]
    assert profile.user is user


def test_a_person_without_a_profile_gets_the_defaults(small_catalogue):
    someone = account_factories.UserFactory()
    Profile.objects.filter(user=someone).delete()
    profile, held = account_selectors.profile_and_milestones(user=someone)
    assert profile.pk is None and held == []
    assert profile.hours_per_week == Profile._meta.get_field("hours_per_week").default


def test_the_latest_revision_and_results_are_what_the_orm_reads(user_client, user, planned):
    complete(
        user_client, start(user_client), {"python": 1, "sql": 0, "scikit-learn": 0, "pytorch": 0}, right=False
    )
    revision = roadmap_selectors.latest_revision(user)
    assert field_values(revision) == field_values(PlanRevision.objects.filter(user=user).first())
    previous, latest = assessment_selectors.latest_two_results(user)
    newest = list(Result.objects.filter(user=user).order_by("-created_at")[:2])
    assert (latest.pk, previous.pk) == (newest[0].pk, newest[1].pk)
    assert latest.created_at == newest[0].created_at and latest.focus == newest[0].focus
    assert latest.snapshot == newest[0].snapshot  # the deferred snapshot, read when compared
    someone = account_factories.UserFactory()
    assert roadmap_selectors.latest_revision(someone) is None
    assert assessment_selectors.latest_two_results(someone) == (None, None)


def test_the_pace_reads_every_session_once(user, planned):
    today = timezone.localdate()
    summary = roadmap_selectors.pace_summary(user, today)
    by_step = roadmap_selectors.study_hours_by_step(user=user)
    assert summary.step_hours[planned[2].key] == by_step[planned[2].key] == Decimal("6.75")
    assert all(summary.step_hours[step.key] == 0 for step in planned[:2])
    assert summary.this_week == sum(
        (
            s.hours
            for s in StudySession.objects.filter(user=user, day__gte=today - timedelta(days=today.weekday()))
        ),
        Decimal(0),
    )
    # Someone else's time never counts.
    other = account_factories.UserFactory()
    StudySession.objects.create(user=other, step_key=planned[2].key, day=today, hours=Decimal(5))
    assert roadmap_selectors.pace_summary(user, today) == summary


def roadmap_html(client) -> str:
    response = client.get(reverse("roadmap"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_kept_whole_still_shows_every_change_on_the_next_visit(user_client, user, planned):
    first = roadmap_html(user_client)
    assert roadmap_html(user_client).count("roadmap-step") == first.count("roadmap-step")
    todo = next(row for row in roadmap_selectors.plan_rows(user) if row.status == "todo")
    user_client.post(
        reverse("roadmap_step", args=[todo.step.key]),
        {"status": "done", "notes": "Noted today", "evidence": ""},
    )
    after = roadmap_html(user_client)
    card = re.search(
        rf'<article class="card mb-3 roadmap-step([^"]*)" id="step-{todo.step.pk}".*?</article>', after, re.S
    )
    assert card[1] == " step-done" and ">Done</span>" in card[0]
    StudySession.objects.create(
        user=user, step_key=todo.step.key, day=timezone.localdate(), hours=Decimal("2.5")
    )
    assert roadmap_html(user_client) != after  # the hours logged are part of what it shows


def test_a_steps_details_changed_in_place_show_on_the_next_visit(user_client, user, planned):
    """Steps are written once, but an edit of the stored details (a data migration, the database by
    hand) still shows: on PostgreSQL by the row's version, elsewhere by the digest of the text."""
    step = next(row.step for row in roadmap_selectors.plan_rows(user) if row.step.details.kind != "milestone")
    assert "A goal reworded in place" not in roadmap_html(user_client)
    RoadmapStep.objects.filter(pk=step.pk).update(
        details_json=step.details_json | {"goal": "A goal reworded in place."}
    )
    assert "A goal reworded in place." in roadmap_html(user_client)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads a row's version")
def test_the_cards_follow_the_versions_of_a_step_and_its_progress(user_client, user, planned):
    """PostgreSQL: a card is keyed by the ids and row versions of its step and its progress, so an
    edit of the notes alone (the status unchanged) or a move of the step shows on the next visit."""
    todo = next(row for row in roadmap_selectors.plan_rows(user) if row.status == "todo")
    url = reverse("roadmap_step", args=[todo.step.key])

    def current():
        return next(row for row in roadmap_selectors.plan_rows(user) if row.step.key == todo.step.key)

    user_client.post(url, {"status": "in_progress", "notes": "First note", "evidence": ""})
    first = current()
    assert len(first.stored) == 4 and first.stored[2] == first.progress.pk
    assert "First note" in roadmap_html(user_client)
    user_client.post(url, {"status": "in_progress", "notes": "Second note", "evidence": ""})
    second = current()
    assert second.stored[:3] == first.stored[:3] and second.stored[3] != first.stored[3]
    page = roadmap_html(user_client)
    assert "Second note" in page and "First note" not in page

    roadmap_services.plan_replan(user=user, today=timezone.localdate() + timedelta(days=30))
    moved = current()
    assert moved.stored[0] == second.stored[0] and moved.stored[1] != second.stored[1]
    assert moved.step.planned_start != second.step.planned_start
    card = re.search(rf'id="step-{moved.step.pk}".*?</article>', roadmap_html(user_client), re.S)[0]
    assert f"{moved.step.planned_start:%-d %b %Y} to {moved.step.planned_end:%-d %b %Y}" in card


def test_two_people_with_the_same_plan_each_see_their_own_cards(client, small_catalogue):
    pages = []
    for index in range(2):
        person = account_factories.UserFactory()
        client.force_login(person)
        complete(client, start(client), LOW, right=False)
        row = roadmap_selectors.plan_rows(person)[0]
        roadmap_services.step_mark(
            user=person,
            key=row.step.key,
            update=roadmap_services.StepUpdate("in_progress", f"note {index}", []),
        )
        pages.append((row.step.pk, roadmap_html(client)))
        client.logout()
    (first_pk, first), (second_pk, second) = pages
    assert first_pk != second_pk
    assert f'id="step-{first_pk}"' in first and f'id="step-{first_pk}"' not in second
    assert f'id="step-{second_pk}"' in second and f'id="step-{second_pk}"' not in first


def summary_of(page: str) -> str:
    """The plan's summary: from the plan's size to the pace card."""
    return page[page.index('id="roadmap-progress"') : page.index('id="deadline-title"')]


def test_the_plans_summary_kept_whole_follows_each_thing_it_shows(user_client, user, planned):
    first = summary_of(roadmap_html(user_client))
    assert summary_of(roadmap_html(user_client)) == first
    assert "This week: 10 hours" in first
    logged = Decimal(re.search(r"Logged this week: ([\d.]+) h", first)[1])

    Profile.objects.filter(user=user).update(hours_per_week=12)  # the weekly hours
    assert "This week: 12 hours" in summary_of(roadmap_html(user_client))

    StudySession.objects.create(
        user=user, step_key=planned[2].key, day=timezone.localdate(), hours=Decimal("1")
    )
    assert f"Logged this week: {logged + 1} h" in summary_of(roadmap_html(user_client))  # the pace

    todo = next(row for row in roadmap_selectors.plan_rows(user) if row.status == "todo" and row.step.hours)
    before = summary_of(roadmap_html(user_client))
    roadmap_services.step_mark(
        user=user, key=todo.step.key, update=roadmap_services.StepUpdate("done", "", [])
    )
    after = summary_of(roadmap_html(user_client))
    assert after != before  # hours done, and this week's steps
    assert f'href="#step-{todo.step.pk}"' in before and f'href="#step-{todo.step.pk}"' not in after


def test_the_skill_maps_reads_are_the_orms_in_three_queries(user, planned):
    rows = compiled.run(skillmap_status._plan_read(user))
    orm = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    status = dict(StepProgress.objects.filter(user=user).values_list("key", "status"))
    assert [(r.step.details.kind, r.step.details.slug, r.step.details.to_level, r.status) for r in rows] == [
        (s.details.kind, s.details.slug, s.details.to_level, status.get(s.key, "todo")) for s in orm
    ]
    profile = account_selectors.profile_get(user=user)
    profile.set_aside_skills.set(Skill.objects.filter(slug="pytorch"))
    assert compiled.run(skillmap_status._set_aside_read(user)) == ["pytorch"]
    latest = assessment_selectors.latest_result(user=user)
    assert latest.pk == Result.objects.filter(user=user).order_by("-created_at").first().pk
    with CaptureQueriesContext(connection) as captured:
        skillmap_status.map_statuses(user)
    assert (
        len(captured.captured_queries) <= 4
    )  # the plan, the latest result, what is set aside (+ its levels once)


def test_a_timeline_evicted_from_its_small_cache_is_put_together_again_from_its_cards(
    client, small_catalogue, settings
):
    settings.CACHES = settings.CACHES | {
        "pages": settings.CACHES["pages"] | {"OPTIONS": {"MAX_ENTRIES": 1, "CULL_FREQUENCY": 1}}
    }
    people, first_pages = [], []
    for _ in range(3):
        person = account_factories.UserFactory()
        client.force_login(person)
        complete(client, start(client), LOW, right=False)
        people.append(person)
        first_pages.append(roadmap_html(client))
    for person, first in zip(people, first_pages, strict=True):  # each evicted by the next one
        client.force_login(person)
        again = roadmap_html(client)
        assert (
            again.count('class="card mb-3 roadmap-step') == first.count('class="card mb-3 roadmap-step') > 0
        )
        assert all(f'id="step-{row.step.pk}"' in again for row in roadmap_selectors.plan_rows(person))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pipeline mode is PostgreSQL's")
@pytest.mark.parametrize(("page", "reads"), [("roadmap", 5), ("progress", 3), ("roadmap_map", 3)])
def test_a_pages_reads_reach_postgresql_in_one_round_trip(user_client, planned, page, reads, monkeypatch):
    """The roadmap's five reads, the progress page's three and the skill map's three are sent
    together (psycopg's pipeline mode), and the page is the same as when they were sent one by one."""
    from psycopg.pq import PipelineStatus

    url = reverse(page)
    user_client.get(url)  # first visit: the details of each step's version, the catalogue's names
    seen = []

    def watch(execute, sql, params, many, context):
        # (Not the signed-in person's row: a test's transaction never commits, so no copy is kept.)
        if '"accounts_user"' not in sql.split(" FROM ")[1]:
            seen.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        together = user_client.get(url)
    assert together.status_code == 200
    assert seen.count(PipelineStatus.ON) == reads
    assert len(seen) == reads  # and nothing else was read on a warm visit

    monkeypatch.setattr(compiled, "_pipelines", lambda: False)
    seen.clear()
    with connection.execute_wrapper(watch):
        one_by_one = user_client.get(url)
    assert seen == [PipelineStatus.OFF] * reads

    def shown(response) -> str:  # each response masks the CSRF token afresh
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())

    assert shown(together) == shown(one_by_one)


# --- the page's content kept whole (roadmap.cards.page_key) ------------------------------------


def page_visit(client, **params):
    response = client.get(reverse("roadmap"), params)
    assert response.status_code == 200
    return response


def form_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_an_unchanged_plan_is_served_from_the_kept_page_with_this_visits_token(user_client, user, planned):
    first = page_visit(user_client)
    second = page_visit(user_client)
    assert "roadmap/_plan_page.html" in [t.name for t in first.templates]
    assert "roadmap/_plan_page.html" not in [t.name for t in second.templates]  # kept whole
    first_html, second_html = first.content.decode(), second.content.decode()
    # The same page, each visit with its own masked token in every form (one per visit).
    tokens = form_tokens(second_html)
    assert len(tokens) == 1 and tokens != form_tokens(first_html)
    assert "careerpath-csrf-placeholder" not in second_html
    token = tokens.pop()
    assert re.sub(r'value="[^"]{64}"', "", first_html.replace(form_tokens(first_html).pop(), "")) == re.sub(
        r'value="[^"]{64}"', "", second_html.replace(token, "")
    )
    assert (
        second_html.count('name="csrfmiddlewaretoken"') == first_html.count('name="csrfmiddlewaretoken"') > 2
    )
    # The kept page's token is this session's: a form posted with it passes the CSRF check.
    user_client.handler.enforce_csrf_checks = True
    try:
        response = user_client.post(reverse("roadmap_milestones"), {"csrfmiddlewaretoken": token, "held": []})
    finally:
        user_client.handler.enforce_csrf_checks = False
    assert response.status_code == 302


def test_each_thing_the_kept_page_is_made_from_shows_on_the_next_visit(user_client, user, planned, settings):
    before = page_visit(user_client).content.decode()
    # The profile: the hours a week the plan is paced for.
    assert "10 hours a week" in before
    Profile.objects.filter(user=user).update(hours_per_week=7)
    after_city = page_visit(user_client).content.decode()
    assert "7 hours a week" in after_city and "10 hours a week" not in after_city

    # The milestones ticked.
    milestone = CareerMilestone.objects.order_by("order").first()
    assert re.search(rf'value="{milestone.slug}"[^>]*checked', after_city) is None
    user_client.post(reverse("roadmap_milestones"), {"held": [milestone.slug]})
    ticked = page_visit(user_client).content.decode()
    assert re.search(rf'value="{milestone.slug}"[^>]*checked', ticked)

    # The language.
    user_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    in_hindi = page_visit(user_client).content.decode()
    assert '<html lang="hi">' in in_hindi
    assert in_hindi[in_hindi.index('id="main"') :] != ticked[ticked.index('id="main"') :]
    del user_client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert page_visit(user_client).content.decode().count("roadmap-step") == ticked.count("roadmap-step")


def test_the_kept_page_follows_the_day(user_client, user, planned, monkeypatch):
    now = timezone.now()
    assert "Logged this week: 3.5 h" in page_visit(user_client).content.decode()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now + timedelta(days=56))
    assert "Logged this week: 0 h" in page_visit(user_client).content.decode()  # eight weeks on


def test_a_filled_in_ready_by_form_is_this_visits_own(user_client, user, planned):
    page_visit(user_client)
    ready_by = timezone.localdate() + timedelta(days=365)
    asked = page_visit(user_client, ready_by=f"{ready_by:%Y-%m-%d}")
    assert "roadmap/_plan_page.html" in [t.name for t in asked.templates]  # rendered, not kept
    figures = asked.content.decode()
    assert f'value="{ready_by:%Y-%m-%d}"' in figures
    plain = page_visit(user_client).content.decode()
    assert f'value="{ready_by:%Y-%m-%d}"' not in plain
    # A date before today is refused with the form re-shown, and not kept either.
    wrong = page_visit(user_client, ready_by="2001-01-01").content.decode()
    assert (
        'value="2001-01-01"' in wrong and 'value="2001-01-01"' not in page_visit(user_client).content.decode()
    )


def test_the_page_key_changes_with_each_thing_it_is_made_from(user, planned):
    rows = roadmap_selectors.plan_rows(user)
    profile = account_selectors.profile_get(user=user)
    previous, latest = assessment_selectors.latest_two_results(user)
    revision = PlanRevision.objects.filter(user=user).order_by("-created_at").first()
    today = timezone.localdate()
    reads = cards.PlanReads(
        rows, profile, [], revision, ([], {"skill:python:1": Decimal("1.5")}), previous, latest
    )
    base = {"today": today, "catalogue_version": "v1", "sample": False}
    key = cards.page_key(user.pk, reads, **base)
    assert key and cards.page_key(user.pk, reads, **base) == key
    changed_profile = Profile(
        **{f.attname: getattr(profile, f.attname) for f in Profile._meta.concrete_fields}
    )
    changed_profile.city = "Somewhere else"
    changed_reads = {
        "rows": rows[:-1],
        "profile": changed_profile,
        "held": ["internship"],
        "revision": None,
        "logged": ([], {"skill:python:1": Decimal("1.50")}),  # the same hours, written otherwise
        "previous": latest,
        "latest": None,
    }
    keys = {
        name: cards.page_key(user.pk, reads._replace(**{name: value}), **base)
        for name, value in changed_reads.items()
    }
    keys["user"] = cards.page_key(user.pk + 1, reads, **base)
    for name, value in {
        "today": today + timedelta(days=1),
        "catalogue_version": "v2",
        "sample": True,
    }.items():
        keys[name] = cards.page_key(user.pk, reads, **(base | {name: value}))
    assert [name for name, other in keys.items() if other == key] == []
    with translation.override("hi"):
        assert cards.page_key(user.pk, reads, **base) != key
    # A row read otherwise than by plan_rows has no columns as read: no key, the page is rendered.
    unread = roadmap_selectors.PlanRow(rows[0].step, rows[0].progress)
    assert cards.page_key(user.pk, reads._replace(rows=[unread, *rows[1:]]), **base) == ""
