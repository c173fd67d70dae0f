"""Concurrency: double clicks, two tabs and retries at the same moment leave one consistent row.

PostgreSQL only (SQLite serialises every writer, so these races cannot happen there): eight threads
call the services at the same moment, each on its own database connection, released by a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from assessments import selectors, services
from assessments.models import Assessment, Result, SelfRating
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StepProgress, StepStatus
from tests.assessments.through_services import fill_pages

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8


def at_once(work: Callable[[int], object], threads: int = THREADS) -> tuple[list, list[BaseException]]:
    """Run ``work(n)`` in ``threads`` threads released together; return their results and errors."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[number] = work(number)
        except BaseException as error:  # every error is a finding
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a thread hung"
    return results, errors


def complete_pages(assessment: Assessment) -> None:
    """Rate every skill 1 and answer every check "I don't know", through the services."""
    fill_pages(assessment)


def test_eight_simultaneous_starts_give_one_assessment_in_progress(user, small_catalogue):
    """Eight clicks on "Start" at the same moment: no error, and all of them get the same assessment."""
    results, errors = at_once(lambda _n: services.assessment_start(user=user).pk)
    assert errors == []
    assert Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS).count() == 1
    assert len(set(results)) == 1


def test_eight_simultaneous_retakes_give_one_assessment_with_one_set_of_ratings(user, small_catalogue):
    """A retake started eight times at once is one assessment, its ratings copied once."""
    first = services.assessment_start(user=user)
    complete_pages(first)
    services.assessment_submit(assessment=first)
    results, errors = at_once(lambda _n: services.assessment_start(user=user).pk)
    assert errors == []
    assert len(set(results)) == 1
    retake = Assessment.objects.get(user=user, status=Assessment.Status.IN_PROGRESS)
    assert (
        SelfRating.objects.filter(assessment=retake).count()
        == SelfRating.objects.filter(assessment=first).count()
    )


def test_eight_simultaneous_submissions_give_one_result(user, small_catalogue):
    """Eight submissions of the same finished assessment at once: no error, exactly one result and one plan."""
    assessment = services.assessment_start(user=user)
    complete_pages(assessment)
    results, errors = at_once(lambda _n: services.assessment_submit(assessment=assessment).pk)
    assert errors == []
    assert Result.objects.filter(assessment=assessment).count() == 1
    assert set(results) == {Result.objects.get(assessment=assessment).pk}
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    steps = RoadmapStep.objects.filter(user=user)
    assert steps.exists()
    assert steps.values("key").distinct().count() == steps.count()


def test_saving_a_page_while_it_is_submitted_never_changes_the_frozen_answers(user, small_catalogue):
    """A ratings page posted in one tab while another tab submits: either it lands before, or it is refused."""
    assessment = services.assessment_start(user=user)
    complete_pages(assessment)
    page = selectors.step_page(assessment, 0)
    levels = {skill.pk: 4 for skill, _a, _s in selectors.rating_rows(assessment, page.category)}

    def work(number: int):
        # Either side may be refused: a submit after the new ratings re-assigned checks (they are
        # unanswered), or a save after the submit. Neither may raise anything else.
        try:
            if number % 2:
                return services.assessment_submit(assessment=assessment).pk
            services.ratings_save(assessment=assessment, step=0, levels=levels)
        except services.AssessmentError:
            return "refused"
        return "saved"

    _results, errors = at_once(work)
    assert errors == []
    result = Result.objects.filter(assessment=assessment).first()
    assessment.refresh_from_db()
    if result is None:
        assert assessment.status == Assessment.Status.IN_PROGRESS
        return
    assert assessment.status == Assessment.Status.SUBMITTED
    frozen = {skill.slug: skill.claim for skill in result.snapshot.skills}
    stored = dict(SelfRating.objects.filter(assessment=assessment).values_list("skill__slug", "level"))
    assert {slug: frozen[slug] for slug in stored} == stored, "the result is not the answers it froze"
    assert not assessment.answers.filter(answered_at__isnull=True).exists()


def test_two_simultaneous_step_updates_leave_one_consistent_progress_row(user, small_catalogue):
    """Two tabs saving the same step at once: one progress row, entirely one update or the other."""
    assessment = services.assessment_start(user=user)
    complete_pages(assessment)
    services.assessment_submit(assessment=assessment)
    key = RoadmapStep.objects.filter(user=user).first().key
    updates = [
        roadmap_services.StepUpdate(
            status=StepStatus.DONE, notes="first tab", evidence=["https://example.org/one"]
        ),
        roadmap_services.StepUpdate(status=StepStatus.IN_PROGRESS, notes="second tab", evidence=[]),
    ]
    for _round in range(5):
        StepProgress.objects.filter(user=user).delete()
        _results, errors = at_once(
            lambda n: roadmap_services.step_mark(user=user, key=key, update=updates[n]), threads=2
        )
        assert errors == []
        row = StepProgress.objects.get(user=user, key=key)
        written = roadmap_services.StepUpdate(status=row.status, notes=row.notes, evidence=row.evidence)
        assert written in updates
        assert (row.completed_at is not None) == (row.status == StepStatus.DONE)


def test_many_simultaneous_step_updates_on_an_existing_row_stay_consistent(user, small_catalogue):
    """Eight saves of the same step at once, alternating done and to-do: one row, consistent with its status."""
    assessment = services.assessment_start(user=user)
    complete_pages(assessment)
    services.assessment_submit(assessment=assessment)
    key = RoadmapStep.objects.filter(user=user).first().key
    roadmap_services.step_mark(
        user=user, key=key, update=roadmap_services.StepUpdate(status="todo", notes="", evidence=[])
    )

    def work(number: int):
        status = StepStatus.DONE if number % 2 else StepStatus.TODO
        return roadmap_services.step_mark(
            user=user,
            key=key,
            update=roadmap_services.StepUpdate(status=status, notes=f"tab {number}", evidence=[]),
        ).pk

    _results, errors = at_once(work)
    assert errors == []
    row = StepProgress.objects.get(user=user, key=key)
    number = int(row.notes.removeprefix("tab "))
    assert row.status == (StepStatus.DONE if number % 2 else StepStatus.TODO)
    assert (row.completed_at is not None) == (row.status == StepStatus.DONE)
