"""The quiz pages' reads: the catalogue's part (skills, anchors, categories, questions and their
choices) is kept per process and catalogue version, the person's part (ratings, answers) is read on
every page; a few queries that grow neither with the catalogue nor with the person's history, and a
catalogue change shows on the next page. A page refused as stale can be submitted again."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import presenters, selectors
from assessments.models import Answer, Assessment, SelfRating
from catalogue import services as catalogue_services
from catalogue.models import Choice, LevelAnchor, Question, Skill, SkillCategory
from tests.assessments.journey import complete, grow, rate, rate_all, start, step_url

pytestmark = pytest.mark.django_db

LEVELS = {"python": 1, "sql": 2, "scikit-learn": 1, "pytorch": 0}
# The person (in a test: a running server keeps a copy), the assessment (with what the time left
# counts, the newest result's id and date for a ratings page's reminder, and the catalogue's
# version), and the page's own ratings or answers.
MAX_QUERIES = {"ratings": 3, "checks": 3}


def queries(client, url) -> int:
    client.get(url)  # the catalogue is kept from the first page on, as in a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured.captured_queries)


def quiz_urls(client) -> dict[str, str]:
    """A retake (ratings prefilled, a newest result) with its ratings done and a round of checks open."""
    assessment = start(client)
    round_page = rate_all(client, assessment, LEVELS)
    return {"ratings": step_url(assessment, 0), "checks": step_url(assessment, round_page)}


def test_the_quiz_pages_read_a_few_queries_that_do_not_grow(user_client, user, small_catalogue):
    complete(user_client, start(user_client), LEVELS)
    urls = quiz_urls(user_client)
    before = {name: queries(user_client, url) for name, url in urls.items()}
    assert all(before[name] <= most for name, most in MAX_QUERIES.items()), before

    grow(user, skills=30, results=40)
    assert {name: queries(user_client, url) for name, url in urls.items()} == before


def test_a_catalogue_change_shows_on_the_next_page(user_client, small_catalogue):
    urls = quiz_urls(user_client)
    ratings = user_client.get(urls["ratings"]).content.decode()
    checks = user_client.get(urls["checks"]).content.decode()
    python = Skill.objects.get(slug="python")
    anchor = LevelAnchor.objects.get(skill=python, level=2)
    answer = Answer.objects.filter(round__isnull=False).order_by("pk").first()
    choice = Choice.objects.filter(question=answer.question).order_by("label").first()
    assert "Python programming" not in ratings and "Newly worded level" not in ratings
    assert "A reworded question" not in checks and "A reworded choice" not in checks

    Skill.objects.filter(pk=python.pk).update(name="Python programming")
    LevelAnchor.objects.filter(pk=anchor.pk).update(description="Newly worded level")
    SkillCategory.objects.filter(slug="programming").update(name="Coding")
    Question.objects.filter(pk=answer.question_id).update(prompt="A reworded question?")
    Choice.objects.filter(pk=choice.pk).update(text="A reworded choice")
    catalogue_services.refresh_catalogue_version()

    ratings = user_client.get(urls["ratings"]).content.decode()
    assert "Python programming" in ratings and "Newly worded level" in ratings and "Coding" in ratings
    checks = user_client.get(urls["checks"]).content.decode()
    assert "A reworded question?" in checks and "A reworded choice" in checks


def test_the_persons_own_rows_are_read_fresh_on_every_page(user_client, small_catalogue):
    urls = quiz_urls(user_client)
    assessment = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    user_client.get(urls["ratings"])
    python = Skill.objects.get(slug="python")
    SelfRating.objects.filter(assessment=assessment, skill=python).update(level=4)
    page = user_client.get(urls["ratings"]).content.decode()
    assert re.search(rf'name="skill_{python.pk}" value="4"\s+id="[^"]+" checked', page)
    answer = Answer.objects.filter(assessment=assessment, round__isnull=False).order_by("pk").first()
    user_client.get(urls["checks"])
    Answer.objects.filter(pk=answer.pk).update(dont_know=True)
    page = user_client.get(urls["checks"]).content.decode()
    assert re.search(rf'name="answer_{answer.pk}" value="dontknow"\s+id="[^"]+" checked', page)


def test_check_rows_keep_the_shown_order_of_choices_and_the_pages_order(user_client, small_catalogue):
    urls = quiz_urls(user_client)
    assessment = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    rows = selectors.check_rows(assessment, None, 1)
    assert rows
    expected = list(
        Answer.objects.filter(assessment=assessment, round=1).order_by("skill__name", "question__level", "pk")
    )
    assert [answer.pk for answer, _choices in rows] == [answer.pk for answer in expected]
    for (answer, choices), stored in zip(rows, expected, strict=True):
        assert [c.pk for c in choices] == stored.choice_order
        assert answer.question.pk == stored.question_id and answer.skill.pk == stored.skill_id
        assert {c.pk for c in choices} == set(stored.question.choices.values_list("pk", flat=True))
    assert user_client.get(urls["checks"]).status_code == HTTPStatus.OK


def test_rating_rows_are_the_assessed_skills_of_the_category_in_catalogue_order(user_client, small_catalogue):
    quiz_urls(user_client)
    assessment = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    for key in assessment.steps:
        kind, _, slug = key.partition(":")
        if kind != "rate":
            continue
        category = SkillCategory.objects.get(slug=slug)
        rows = selectors.rating_rows(assessment, category)
        skills = selectors.assessed_skills(assessment).filter(category=category)
        assert [skill.pk for skill, _anchors, _saved in rows] == [skill.pk for skill in skills]
        for skill, anchors, saved in rows:
            assert [a.pk for a in anchors] == list(
                LevelAnchor.objects.filter(skill=skill).order_by("level").values_list("pk", flat=True)
            )
            assert saved == LEVELS[skill.slug]


def test_the_time_left_is_the_same_counted_with_the_assessment_or_apart(user_client, user, small_catalogue):
    urls = quiz_urls(user_client)
    plain = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    counted = selectors.quiz_assessment_get(user=user, pk=plain.pk)
    assert counted is not None
    for index in range(len(plain.steps)):
        assert selectors.time_left(counted, index) == selectors.time_left(plain, index)
    assert user_client.get(urls["ratings"]).context["left"] == selectors.time_left(plain, 0)


# --- a page refused as stale, submitted again -------------------------------------------------------


def hidden_step(response) -> str:
    match = re.search(r'<input type="hidden" name="step" value="(\d+)"', response.content.decode())
    assert match, "the page carries no step"
    return match.group(1)


def test_a_ratings_page_refused_as_stale_is_accepted_when_submitted_again(user_client, small_catalogue):
    assessment = start(user_client)
    levels = {"python": 3, "sql": 1}
    refused = rate(user_client, assessment, 0, levels, step=3)  # rendered for another step
    assert refused.status_code == HTTPStatus.OK
    assert "This page was out of date" in refused.content.decode()
    assert not SelfRating.objects.filter(assessment=assessment).exists()
    assert hidden_step(refused) == "0"
    python = Skill.objects.get(slug="python")
    assert re.search(rf'name="skill_{python.pk}" value="3"\s+id="[^"]+" checked', refused.content.decode())

    again = rate(user_client, assessment, 0, levels, step=hidden_step(refused))
    assert again.status_code == HTTPStatus.FOUND
    assert again.url == step_url(assessment, 1)
    stored = dict(SelfRating.objects.filter(assessment=assessment).values_list("skill__slug", "level"))
    assert stored == levels


def test_a_checks_page_refused_as_stale_is_accepted_when_submitted_again(user_client, small_catalogue):
    assessment = start(user_client)
    index = rate_all(user_client, assessment, LEVELS)
    page = user_client.get(step_url(assessment, index))
    data: dict[str, object] = {}
    for answer, _field, _certainty in page.context["form"].groups():
        data[f"answer_{answer.pk}"] = "dontknow"
    refused = user_client.post(step_url(assessment, index), {**data, "step": index + 1})
    assert refused.status_code == HTTPStatus.OK
    assert "This page was out of date" in refused.content.decode()
    assert hidden_step(refused) == str(index)

    again = user_client.post(step_url(assessment, index), {**data, "step": hidden_step(refused)})
    assert again.status_code == HTTPStatus.FOUND
    assert not Answer.objects.filter(assessment=assessment, round=1, answered_at__isnull=True).exists()


def test_a_page_posted_without_its_step_is_shown_again_with_it(user_client, small_catalogue):
    assessment = start(user_client)
    refused = user_client.post(step_url(assessment, 0), {"next": "1"})
    assert refused.status_code == HTTPStatus.OK
    assert hidden_step(refused) == "0"


def test_the_newest_result_read_with_the_assessment_is_the_latest_one(user_client, user, small_catalogue):
    first = start(user_client)
    assert selectors.newest_result_of(selectors.quiz_assessment_get(user=user, pk=first.pk)) is None
    complete(user_client, first, LEVELS)
    complete(user_client, start(user_client), LEVELS)
    retake = start(user_client)
    latest = selectors.latest_result(user=user)
    for assessment in (selectors.quiz_assessment_get(user=user, pk=retake.pk), retake):
        newest = selectors.newest_result_of(assessment)
        assert newest is not None and latest is not None
        assert (newest.pk, newest.created_at) == (latest.pk, latest.created_at)
    page = user_client.get(step_url(retake, 0))
    assert page.context["reminder"] == presenters.rating_reminder(selectors.result_get(pk=latest.pk))
