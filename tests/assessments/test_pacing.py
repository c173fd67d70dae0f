"""An assessment's length: the time limit trims the checks, never below one round."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import pacing, services
from assessments.models import Answer
from catalogue import services as catalogue_services
from tests.assessments.through_services import fill_pages
from tests.catalogue import factories as catalogue_factories


@given(skills=st.integers(min_value=1, max_value=2000), length=st.sampled_from(list(pacing.LENGTHS.values())))
def test_every_length_asks_at_least_one_round_and_keeps_its_limits(skills, length):
    checks = pacing.budget(length, skills)
    assert checks <= length.max_checks and checks <= skills * length.per_skill
    assert checks >= min(pacing.MIN_CHECKS, skills * length.per_skill)
    assert pacing.rounds(checks) >= 1


def test_the_standard_length_keeps_within_its_minutes_until_the_ratings_fill_them():
    length = pacing.DEFAULT
    for skills in (5, 20, 40, 60):
        checks = pacing.budget(length, skills)
        assert pacing.minutes(skills, checks) <= length.max_minutes
    # 400 skills take 167 minutes to rate: the checks are still one round, not none.
    assert pacing.budget(length, 400) == pacing.MIN_CHECKS == pacing.ROUND_SIZE
    assert pacing.budget(length, 0) == 0


@pytest.mark.django_db
def test_a_target_too_wide_to_rate_within_the_time_limit_is_still_checked_and_can_be_submitted(
    user, small_catalogue
):
    # 90 skills take 37.5 minutes to rate, more than the standard length's 35: before the floor,
    # such an assessment got checks that no page showed, and could never be submitted.
    category = small_catalogue["python"].category
    for index in range(86):
        catalogue_factories.complete_skill(
            slug=f"wide-{index}",
            category=category,
            questions_per_level=1,
            roles=(("machine-learning-engineer", 2, 1),),
        )
    catalogue_services.refresh_catalogue_version()
    assessment = services.assessment_start(user=user)
    assert assessment.budget == pacing.MIN_CHECKS
    assert any(step.startswith("round:") for step in assessment.steps)
    fill_pages(assessment, default=2)
    result = services.assessment_submit(assessment=assessment)
    assert (
        Answer.objects.filter(assessment=assessment, answered_at__isnull=False).count() == pacing.MIN_CHECKS
    )
    assert len(result.snapshot.skills) == 90
