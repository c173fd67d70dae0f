"""The assessment as a person takes it: start, rate, check, resume, review, submit, read results."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from assessments.models import Answer, Assessment, Result, SelfRating
from catalogue import selectors as catalogue_selectors
from catalogue.models import Question, Skill
from roadmap.models import RoadmapStep
from tests.assessments.journey import answer_all, complete, rate, rate_all, start, step_url

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def test_the_start_page_estimates_time_from_the_items(user_client, small_catalogue):
    response = user_client.get(reverse("assessment_start"))
    text = response.content.decode()
    assert "4 skills in 2 areas" in text
    assert "minutes" in text


def test_a_whole_assessment_gives_a_result_and_a_roadmap(user_client, user, small_catalogue):
    assessment = start(user_client)
    # Ratings first, then rounds of checks (as many as the budget could take), then the review.
    assert assessment.steps == ["rate:programming", "rate:ml-frameworks", "round:1", "round:2", "review"]
    response = complete(user_client, assessment, {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    result = Result.objects.get(user=user)
    assert response.url == reverse("result_detail", args=[result.pk])
    page = user_client.get(response.url)
    assert page.status_code == HTTPStatus.OK
    # Every check right and certain: no skill ends below its rating, and each has a range and probabilities.
    for slug, claim in {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0}.items():
        skill = result.snapshot.skill(slug)
        assert skill.claim == claim
        assert skill.estimate.level >= claim
        assert skill.estimate.low <= skill.estimate.level <= skill.estimate.high
        assert sum(skill.estimate.probabilities) == pytest.approx(1, abs=1e-3)
    assert result.snapshot.method.name == "bayesian-adaptive"
    assert result.catalogue_version == catalogue_selectors.catalogue_version()
    assert "Readiness for" in page.content.decode()
    assert RoadmapStep.objects.filter(user=user).exists()


def test_results_read_only_the_snapshot_so_catalogue_edits_never_change_them(
    user_client, user, small_catalogue
):
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    result = Result.objects.get(user=user)
    before = main_of(user_client.get(result.get_absolute_url()))
    question = Answer.objects.filter(assessment=assessment).first().question
    old_prompt = question.prompt
    Question.objects.filter(pk=question.pk).update(prompt="A rewritten prompt")
    Skill.objects.filter(slug="python").update(name="Snake language")
    after = main_of(user_client.get(result.get_absolute_url()))
    assert before == after
    assert old_prompt in after and "Snake language" not in after


def test_closing_the_browser_and_coming_back_resumes_with_answers_filled_in(client, user, small_catalogue):
    client.force_login(user)
    assessment = start(client)
    rate(client, assessment, 0, {"python": 3, "sql": 2})
    client.logout()
    client.force_login(user)
    page = client.get(reverse("assessment_start"))
    assert "You have an assessment in progress" in page.content.decode()
    assert reverse("assessment_step", args=[assessment.pk, 1]) in page.content.decode()
    ratings = client.get(step_url(assessment, 0))
    python = Skill.objects.get(slug="python")
    assert ratings.context["form"][f"skill_{python.pk}"].value() == 3


def test_the_first_round_comes_after_every_rating_with_one_check_per_skill(user_client, small_catalogue):
    assessment = start(user_client)
    rate(user_client, assessment, 0, {"python": 3, "sql": 0})
    assert not Answer.objects.filter(assessment=assessment).exists()  # no checks before all ratings
    first_round = rate_all(user_client, assessment, {"python": 3, "sql": 0, "scikit-learn": 1, "pytorch": 1})
    answers = Answer.objects.filter(assessment=assessment).select_related("skill", "question")
    assert {a.round for a in answers} == {1}
    skills = [a.skill.slug for a in answers]
    assert len(skills) == len(set(skills)) == 4
    page = user_client.get(step_url(assessment, first_round))
    assert "round 1" in page.content.decode()
    assert "minutes left" in page.content.decode()


def test_a_claim_contradicted_by_the_answers_falls_any_distance(user_client, user, small_catalogue):
    assessment = start(user_client)
    complete(
        user_client,
        assessment,
        {"python": 4, "sql": 4, "scikit-learn": 4, "pytorch": 4},
        dont_know=True,
        certainty="",
    )
    snapshot = Result.objects.get(user=user).snapshot
    assert all(skill.estimate.level <= 2 for skill in snapshot.skills)
    assert all(skill.estimate.calibration == "over-confident" for skill in snapshot.skills)


def test_an_i_dont_know_needs_no_certainty(user_client, small_catalogue):
    assessment = start(user_client)
    index = rate_all(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    response = answer_all(user_client, assessment, index, dont_know=True, certainty="")
    assert response.status_code == HTTPStatus.FOUND
    first_round = Answer.objects.filter(assessment=assessment, round=1)
    assert first_round and all(a.dont_know and a.answered_at for a in first_round)


# --- bad input: a clear message or a 404, never a 500, nothing stored --------------------------


def test_a_missing_rating_is_refused_and_nothing_is_stored(user_client, small_catalogue):
    assessment = start(user_client)
    response = rate(user_client, assessment, 0, {"python": 2})
    assert response.status_code == HTTPStatus.OK
    assert "Choose the level that describes you best for SQL." in response.content.decode()
    assert not SelfRating.objects.filter(assessment=assessment).exists()
    # The level that was entered is shown again.
    assert response.context["form"][f"skill_{Skill.objects.get(slug='python').pk}"].value() == "2"


@pytest.mark.parametrize("level", ["5", "-1", "two", ""])
def test_a_level_outside_0_to_4_is_refused(user_client, small_catalogue, level):
    assessment = start(user_client)
    response = rate(user_client, assessment, 0, {"python": level, "sql": 1})
    assert response.status_code == HTTPStatus.OK
    assert "Choose the level that describes you best for Python." in response.content.decode()
    assert not SelfRating.objects.filter(assessment=assessment).exists()


def test_a_choice_from_another_question_is_refused(user_client, small_catalogue):
    assessment = start(user_client)
    index = rate_all(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    answers = list(Answer.objects.filter(assessment=assessment))
    foreign = Question.objects.exclude(pk__in=[a.question_id for a in answers]).first().choices.first()
    data = {"step": index}
    for answer in answers:
        data[f"answer_{answer.pk}"] = foreign.pk
        data[f"certainty_{answer.pk}"] = "certain"
    response = user_client.post(step_url(assessment, index), data)
    assert response.status_code == HTTPStatus.OK
    assert "Choose an answer" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, answered_at__isnull=False).exists()


def test_an_answer_to_a_question_not_in_this_round_is_refused_and_changes_nothing(
    user_client, small_catalogue
):
    assessment = start(user_client)
    index = rate_all(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    asked = set(Answer.objects.filter(assessment=assessment).values_list("question_id", flat=True))
    other = Question.objects.exclude(pk__in=asked).first()
    data = {"step": index, f"answer_{other.pk}": other.choices.first().pk, f"certainty_{other.pk}": "certain"}
    response = user_client.post(step_url(assessment, index), data)
    assert response.status_code == HTTPStatus.OK
    assert "Choose an answer" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, answered_at__isnull=False).exists()
    assert set(Answer.objects.filter(assessment=assessment).values_list("question_id", flat=True)) == asked


def test_a_right_answer_without_certainty_is_refused(user_client, small_catalogue):
    assessment = start(user_client)
    index = rate_all(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    response = answer_all(user_client, assessment, index, certainty="")
    assert response.status_code == HTTPStatus.OK
    assert "Say how sure you are of this answer." in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, answered_at__isnull=False).exists()


def test_a_tampered_step_field_is_refused(user_client, small_catalogue):
    assessment = start(user_client)
    response = rate(user_client, assessment, 0, {"python": 1, "sql": 1}, step=3)
    assert response.status_code == HTTPStatus.OK
    assert "This page was out of date" in response.content.decode()
    assert not SelfRating.objects.filter(assessment=assessment).exists()


def test_a_page_posted_out_of_order_is_refused(user_client, small_catalogue):
    assessment = start(user_client)
    response = rate(user_client, assessment, 2, {"scikit-learn": 1, "pytorch": 1})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == step_url(assessment, 0)
    assert not SelfRating.objects.filter(assessment=assessment).exists()


def test_a_post_to_someone_elses_assessment_is_a_404(client, user, other_user, small_catalogue):
    client.force_login(other_user)
    theirs = start(client)
    client.force_login(user)
    response = rate(client, theirs, 0, {"python": 1, "sql": 1})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not SelfRating.objects.filter(assessment=theirs).exists()
    assert client.post(reverse("assessment_submit", args=[theirs.pk])).status_code == HTTPStatus.NOT_FOUND
    assert client.post(reverse("assessment_discard", args=[theirs.pk])).status_code == HTTPStatus.NOT_FOUND


def test_a_post_after_submission_changes_nothing(user_client, user, small_catalogue):
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    response = rate(user_client, assessment, 0, {"python": 4, "sql": 4})
    assert response.status_code == HTTPStatus.FOUND
    assert SelfRating.objects.get(assessment=assessment, skill__slug="python").level == 1


def test_submitting_twice_gives_exactly_one_result(user_client, user, small_catalogue):
    assessment = start(user_client)
    first = complete(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    second = user_client.post(reverse("assessment_submit", args=[assessment.pk]))
    assert first.url == second.url
    assert Result.objects.filter(user=user).count() == 1


def test_submitting_before_the_last_page_is_refused(user_client, user, small_catalogue):
    assessment = start(user_client)
    rate(user_client, assessment, 0, {"python": 1, "sql": 1})
    response = user_client.post(reverse("assessment_submit", args=[assessment.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not Result.objects.exists()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_starting_twice_resumes_the_same_assessment(user_client, small_catalogue):
    first = start(user_client)
    user_client.post(reverse("assessment_start"))
    assert Assessment.objects.filter(status=Assessment.Status.IN_PROGRESS).get() == first


def test_discarding_deletes_the_unfinished_assessment(user_client, small_catalogue):
    assessment = start(user_client)
    rate(user_client, assessment, 0, {"python": 1, "sql": 1})
    user_client.post(reverse("assessment_discard", args=[assessment.pk]))
    assert not Assessment.objects.exists()
    assert not SelfRating.objects.exists()


def test_a_results_page_of_another_person_is_a_404(client, user, other_user, small_catalogue):
    client.force_login(other_user)
    complete(client, start(client), {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    result = Result.objects.get()
    client.force_login(user)
    assert client.get(result.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_no_answer_key_is_shown_before_submission(user_client, small_catalogue):
    assessment = start(user_client)
    rate(user_client, assessment, 0, {"python": 1, "sql": 1})
    page = user_client.get(step_url(assessment, 1)).content.decode()
    for answer in Answer.objects.filter(assessment=assessment):
        assert answer.question.explanation not in page
    assert "is_correct" not in page and "correct" not in page.lower().replace("correct answers appear", "")


def test_every_quiz_page_carries_its_own_step_number(user_client, small_catalogue):
    """A browser posts back the hidden step the page was rendered with."""
    assessment = start(user_client)
    rate(user_client, assessment, 0, {"python": 1, "sql": 1})
    for index in (0, 1):
        page = user_client.get(step_url(assessment, index)).content.decode()
        assert f'name="step" value="{index}"' in page


def test_none_of_these_yet_rates_a_whole_page_0_in_one_click(user_client, small_catalogue):
    assessment = start(user_client)
    response = user_client.post(step_url(assessment, 0), {"step": 0, "none_yet": "1"})
    assert response.status_code == HTTPStatus.FOUND
    ratings = dict(SelfRating.objects.filter(assessment=assessment).values_list("skill__slug", "level"))
    assert ratings == {"python": 0, "sql": 0}


def test_results_show_ranges_probabilities_and_how_ratings_compare(user_client, user, small_catalogue):
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 4, "sql": 4, "scikit-learn": 4, "pytorch": 4}, right=False)
    result = Result.objects.get(user=user)
    body = main_of(user_client.get(result.get_absolute_url()))
    assert "90% sure it is between" in body
    assert "Your ratings run" in body and "above what your answers show" in body
    assert body.count('aria-label="Level 0:') == 4  # five bars per skill, each with a text alternative
    # The next retake's ratings pages remind the person.
    retake = start(user_client)
    page = user_client.get(step_url(retake, 0)).content.decode()
    assert "Last time, your ratings ran" in page


def test_the_start_page_offers_a_standard_and_a_thorough_length_within_the_time_cap(
    user_client, small_catalogue
):
    page = user_client.get(reverse("assessment_start"))
    lengths = {length["key"]: length for length in page.context["lengths"]}
    assert lengths["default"]["minutes"] <= 35
    assert lengths["default"]["checks"] <= 30 < 60 >= lengths["thorough"]["checks"]
    user_client.post(reverse("assessment_start"), {"length": "thorough"})
    assessment = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    assert assessment.length == "thorough" and assessment.budget == lengths["thorough"]["checks"]


def test_an_unknown_length_is_refused_and_nothing_starts(user_client, small_catalogue):
    response = user_client.post(reverse("assessment_start"), {"length": "forever"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Assessment.objects.exists()
    assert "Choose the standard or the thorough assessment." in user_client.get(response.url).content.decode()


def _to_review(client, assessment, levels) -> int:
    """Answer every page up to the review; returns the review page's index."""
    index = rate_all(client, assessment, levels)
    while True:
        assessment.refresh_from_db()
        if assessment.steps[index] == "review":
            return index
        response = answer_all(client, assessment, index, certainty="fairly_sure")
        assert response.status_code == HTTPStatus.FOUND
        index += 1


def test_the_review_names_each_level_once_and_links_every_row_to_its_page(user_client, small_catalogue):
    assessment = start(user_client)
    review = _to_review(user_client, assessment, {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    body = main_of(user_client.get(step_url(assessment, review)))
    assert "2 &mdash; Working" in body and "2 (2)" not in body
    assert "0 &mdash; None" in body
    assessment.refresh_from_db()
    python_page = assessment.steps.index("rate:programming")
    assert (
        f'href="{step_url(assessment, python_page)}">Change<span class="visually-hidden"> your rating of Python'
        in body
    )
    answers = Answer.objects.filter(assessment=assessment)
    assert answers.exists()
    for answer in answers:
        page = step_url(assessment, assessment.steps.index(f"round:{answer.round}"))
        assert (
            f'href="{page}">Change<span class="visually-hidden"> your answer on {answer.skill.name}' in body
        )
    assert body.count(">Change<span") == 4 + answers.count()


def test_results_name_a_certainty_by_its_label(user_client, user, small_catalogue):
    assessment = start(user_client)
    review = _to_review(user_client, assessment, {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    assert review
    user_client.post(reverse("assessment_submit", args=[assessment.pk]))
    body = main_of(user_client.get(Result.objects.get(user=user).get_absolute_url()))
    assert "(Fairly sure)" in body or "(fairly sure)" in body
    assert "Fairlysure" not in body and "fairly_sure" not in body
