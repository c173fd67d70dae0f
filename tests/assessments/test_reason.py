"""Why a skill got its level: one wording, kept in English in the result and shown in the reader's
language on the page."""

from __future__ import annotations

import pytest
from django.utils import translation

from assessments import presenters, services
from assessments.measurement import DONT_KNOW, RIGHT, WRONG, Response, SkillEstimate
from assessments.snapshot import SkillResult
from catalogue.vocab import Certainty

pytestmark = pytest.mark.django_db  # the Hindi catalogue is read through Django's translation machinery


def estimate(claim: int | None, checks: int) -> SkillEstimate:
    return SkillEstimate(
        skill="python",
        claim=claim,
        probabilities=(0.05, 0.15, 0.6, 0.15, 0.05),
        level=2,
        low=1,
        high=3,
        mean=2.0,
        checks=checks,
    )


RESPONSES = (
    Response(level=2, outcome=RIGHT, certainty=Certainty.CERTAIN),
    Response(level=3, outcome=WRONG, certainty=Certainty.CERTAIN),
    Response(level=3, outcome=DONT_KNOW),
)


@pytest.mark.parametrize(
    ("claim", "responses", "sentence"),
    [
        (
            3,
            RESPONSES,
            "You rated yourself 3; 3 checks: 1 right, 1 \u201cI don't know\u201d."
            " So level 2 is the most likely (60%), 90% sure it is 1-3.",
        ),
        (
            None,
            RESPONSES[:1],
            "1 check: 1 right. So level 2 is the most likely (60%), 90% sure it is 1-3.",
        ),
        (
            2,
            (),
            "No knowledge check was asked on this skill: the estimate comes from your rating, corrected by"
            " how your ratings compared with your answers on other skills; level 2 is the most likely (60%),"
            " 90% sure it is 1-3.",
        ),
        (
            None,
            (),
            "Not rated and not checked: the estimate comes from your answers on other skills; level 2 is the"
            " most likely (60%), 90% sure it is 1-3.",
        ),
    ],
)
def test_the_result_records_the_reason_in_english_whatever_the_language_of_the_moment(
    claim, responses, sentence
):
    with translation.override("hi"):
        recorded = services.recorded_estimate(estimate(claim, len(responses)), responses)
    assert recorded.reason == sentence
    skill = SkillResult("python", "Python", "programming", (), claim or 0, (), recorded)
    with translation.override("en"):
        assert presenters.reason_text(skill) == sentence  # the page words it the same way
    with translation.override("hi"):
        assert presenters.reason_text(skill) != sentence  # and in the reader's language


def test_a_result_recorded_before_the_numbers_were_kept_shows_its_stored_sentence():
    recorded = services.recorded_estimate(estimate(3, 3), RESPONSES)
    legacy = SkillResult(
        "python", "Python", "programming", (), 3, (), type(recorded)(2, 1, 3, "consistent", "As it was.")
    )
    with translation.override("hi"):
        assert presenters.reason_text(legacy) == "As it was."
