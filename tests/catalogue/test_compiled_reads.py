"""catalogue.compiled.Read, run and run_together: a page's reads sent together give what each gives alone.

The roadmap sends its five reads together; on PostgreSQL they travel in one pipeline (one round
trip), each still a query Django counts and logs.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from catalogue import compiled
from catalogue.models import Skill
from tests.catalogue.factories import SkillFactory

pytestmark = pytest.mark.django_db


def _skills_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of(Skill.objects.filter(pk__gte=compiled.SOME_PK).order_by("slug"))


def _names_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of_values(
        Skill.objects.filter(pk=compiled.SOME_PK).values_list("name", "is_published")
    )


def test_reads_sent_together_give_what_each_gives_alone():
    first, second = SkillFactory(slug="a-skill", name="First"), SkillFactory(slug="b-skill", name="Second")
    everything = compiled.instances(_skills_query(), {compiled.SOME_PK: 0})
    one = compiled.tuples(_names_query(), {compiled.SOME_PK: second.pk})
    count = compiled.then(compiled.tuples(_names_query(), {compiled.SOME_PK: first.pk}), len)
    nothing = compiled.instances(_names_query(), {compiled.SOME_PK: 0})

    together = compiled.run_together(everything, one, count, nothing)

    assert together == (
        compiled.run(everything),
        compiled.run(one),
        compiled.run(count),
        compiled.run(nothing),
    )
    assert [skill.slug for skill in together[0]] == ["a-skill", "b-skill"]
    assert together[0] == [first, second]
    assert together[1] == [("Second", second.is_published)]
    assert together[2] == 1
    assert together[3] == []


def test_each_read_is_a_query_of_its_own_as_django_counts_them():
    skill = SkillFactory()
    with CaptureQueriesContext(connection) as queries:
        compiled.run_together(
            compiled.instances(_skills_query(), {compiled.SOME_PK: 0}),
            compiled.tuples(_names_query(), {compiled.SOME_PK: skill.pk}),
        )

    assert len(queries.captured_queries) == 2
    assert str(skill.pk) in queries.captured_queries[1]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pipeline mode is PostgreSQL's")
def test_on_postgresql_the_reads_go_in_one_pipeline():
    from psycopg.pq import PipelineStatus

    skill = SkillFactory()
    seen = []

    def watch(execute, sql, params, many, context):
        seen.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        found = compiled.run_together(
            compiled.tuples(_names_query(), {compiled.SOME_PK: skill.pk}),
            compiled.tuples(_names_query(), {compiled.SOME_PK: 0}),
            compiled.instances(_skills_query(), {compiled.SOME_PK: 0}),
        )

    assert found == ([(skill.name, skill.is_published)], [], [skill])
    assert seen == [PipelineStatus.ON] * 3
    assert connection.connection.pgconn.pipeline_status == PipelineStatus.OFF  # and it is closed after


def test_what_a_read_makes_of_its_rows_may_query_again():
    skill = SkillFactory()

    def recount(rows):
        return len(rows), Skill.objects.count()  # after the batch, not inside it

    found = compiled.run_together(
        compiled.then(compiled.tuples(_names_query(), {compiled.SOME_PK: skill.pk}), recount),
        compiled.tuples(_names_query(), {compiled.SOME_PK: skill.pk}),
    )

    assert found == ((1, 1), [(skill.name, skill.is_published)])


def test_a_failing_read_raises_djangos_error_and_the_connection_goes_on():
    skill = SkillFactory()
    broken = compiled.Read("SELECT no_such_column FROM catalogue_skill", [], lambda db, rows: rows)
    good = compiled.tuples(_names_query(), {compiled.SOME_PK: skill.pk})

    with pytest.raises(DatabaseError), transaction.atomic():
        compiled.run_together(good, broken, good)

    assert compiled.run_together(good, good) == ([(skill.name, skill.is_published)],) * 2
    assert Skill.objects.get(pk=skill.pk) == skill
