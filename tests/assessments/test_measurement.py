"""The Bayesian measurement: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import measurement as m
from assessments.measurement import Response, SkillInput, Target

SKILLS = [f"skill-{i}" for i in range(12)]


def right(level: int, certainty: str = "certain", **kw) -> Response:
    return Response(level=level, outcome=m.RIGHT, certainty=certainty, **kw)


def wrong(level: int, certainty: str = "certain", **kw) -> Response:
    return Response(level=level, outcome=m.WRONG, certainty=certainty, **kw)


def dont_know(level: int, **kw) -> Response:
    return Response(level=level, outcome=m.DONT_KNOW, **kw)


def test_probabilities_are_a_distribution_and_the_level_is_the_most_probable():
    result = m.measure([SkillInput("python", 2, (right(2), wrong(3)))])
    python = result.skills["python"]
    assert sum(python.probabilities) == pytest.approx(1, abs=1e-4)
    assert python.probabilities[python.level] == max(python.probabilities)
    assert python.low <= python.level <= python.high
    covered = sum(python.probabilities[python.low : python.high + 1])
    assert covered >= m.RANGE_MASS - 1e-6


def test_right_answers_raise_and_wrong_answers_lower_a_level():
    claim_only = m.measure([SkillInput("s", 2)]).skills["s"].mean
    higher = m.measure([SkillInput("s", 2, (right(3), right(4)))]).skills["s"].mean
    lower = m.measure([SkillInput("s", 2, (wrong(1), wrong(2)))]).skills["s"].mean
    assert lower < claim_only < higher


def test_a_claim_can_move_any_distance():
    """Claim 4, but every check at level 1 and 2 wrong: the level ends at 0 or 1, not 3."""
    result = m.measure([SkillInput("s", 4, (wrong(1), wrong(1), wrong(2), dont_know(2)))])
    assert result.skills["s"].level <= 1
    assert result.skills["s"].calibration == m.OVER_CONFIDENT


def test_checks_on_some_skills_correct_the_claims_on_all_of_them():
    """Answers two levels below the ratings on eight skills discount the four unchecked ratings too."""
    checked = [SkillInput(s, 4, (wrong(2), wrong(2), right(1, "fairly_sure"))) for s in SKILLS[:8]]
    unchecked = [SkillInput(s, 4) for s in SKILLS[8:]]
    pooled = m.measure(checked + unchecked)
    alone = m.measure(unchecked)
    for skill in SKILLS[8:]:
        assert pooled.skills[skill].mean < alone.skills[skill].mean - 1
    assert pooled.calibration.bias > 1.5
    assert pooled.calibration.checked_skills == 8


def test_a_rating_alone_never_settles_a_skill():
    estimate = m.measure([SkillInput(s, 4) for s in SKILLS]).skills[SKILLS[0]]
    assert not estimate.confident


def test_a_confident_wrong_answer_costs_more_than_an_unsure_one():
    base = [SkillInput(s, 2, (right(2),)) for s in SKILLS[1:]]
    sure = m.measure([SkillInput("s", 3, (wrong(3, "certain"),)), *base]).skills["s"].mean
    fair = m.measure([SkillInput("s", 3, (wrong(3, "fairly_sure"),)), *base]).skills["s"].mean
    guess = m.measure([SkillInput("s", 3, (wrong(3, "guessing"),)), *base]).skills["s"].mean
    assert sure < fair < guess


def test_a_right_guess_counts_less_than_a_sure_right_answer():
    sure = m.measure([SkillInput("s", 1, (right(3, "certain"),))]).skills["s"].mean
    guess = m.measure([SkillInput("s", 1, (right(3, "guessing"),))]).skills["s"].mean
    assert guess < sure


def test_a_question_seen_before_counts_less():
    fresh = m.measure([SkillInput("s", 3, (wrong(3),))]).skills["s"].mean
    seen = m.measure([SkillInput("s", 3, (wrong(3, seen_before=True),))]).skills["s"].mean
    claim_only = m.measure([SkillInput("s", 3)]).skills["s"].mean
    assert fresh < seen < claim_only


def test_i_dont_know_counts_exactly_as_a_blind_guess_on_average():
    """At every level, the evidence of "I don't know" is the average (in log terms) of a blind guess
    said with "guessing": right with the question's guessing chance, wrong otherwise."""
    import math

    for level in m.CHECK_LEVELS:
        g = m.tag_parameters(level).guessing
        unknown = dont_know(level).likelihood()
        lucky = right(level, "guessing").likelihood()
        unlucky = wrong(level, "guessing").likelihood()
        for at in m.LEVELS:
            expected = g * math.log(lucky[at]) + (1 - g) * math.log(unlucky[at])
            assert math.log(unknown[at]) == pytest.approx(expected)


def test_readiness_is_an_expectation_with_a_90_percent_interval():
    targets = {"a": Target("a", 3, 3), "b": Target("b", 2, 1)}
    sure = m.measure(
        [SkillInput("a", 3, (right(3), right(3), right(2))), SkillInput("b", 2, (right(2), right(2)))]
    )
    unsure = m.measure([SkillInput("a", 3), SkillInput("b", 2)])
    tight, wide = m.readiness(sure, targets), m.readiness(unsure, targets)
    assert tight is not None and wide is not None
    assert tight.low <= tight.value <= tight.high
    assert (tight.high - tight.low) < (wide.high - wide.low)
    assert tight.value > 0.8


def test_readiness_is_none_without_targets_and_counts_a_missing_skill_as_zero():
    measured = m.measure([SkillInput("a", 4, (right(4),))])
    assert m.readiness(measured, {}) is None
    with_missing = m.readiness(measured, {"a": Target("a", 2, 1), "gone": Target("gone", 2, 1)})
    assert with_missing is not None and with_missing.value < 0.55


def test_the_next_round_asks_uncertain_skills_once_each_and_skips_settled_ones():
    settled = SkillInput(
        "done",
        2,
        (right(1), right(1), right(2), right(2), right(2), wrong(4), wrong(4), wrong(3, "fairly_sure")),
    )
    inputs = [settled, SkillInput("open", 3), SkillInput("other", 1)]
    measured = m.measure(inputs)
    assert measured.skills["done"].confident
    candidates = [m.Candidate(s.skill, lv, m.tag_parameters(lv)) for s in inputs for lv in m.CHECK_LEVELS]
    targets = {s.skill: Target(s.skill, 3, 2) for s in inputs}
    picks = m.next_round(measured, candidates, targets, {"done": 6}, per_skill=4, size=10)
    assert sorted(p.skill for p in picks) == ["open", "other"]
    assert (
        m.next_round(measured, candidates, targets, {"open": 4, "other": 4, "done": 6}, per_skill=4, size=10)
        == []
    )
    assert len(m.next_round(measured, candidates, targets, {}, per_skill=4, size=1)) == 1


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="level from 1 to 4"):
        Response(level=0, outcome=m.RIGHT, certainty="certain")
    with pytest.raises(ValueError, match="Certainty must be"):
        Response(level=2, outcome=m.WRONG, certainty="sure")
    with pytest.raises(ValueError, match="An outcome is"):
        Response(level=2, outcome="maybe")
    with pytest.raises(ValueError, match="whole number from 0 to 4"):
        SkillInput("s", 5)
    with pytest.raises(ValueError, match="given twice"):
        m.measure([SkillInput("s", 1), SkillInput("s", 2)])
    with pytest.raises(ValueError, match="target weight"):
        Target("s", 2, 0)


responses = st.builds(
    Response,
    level=st.integers(1, 4),
    outcome=st.sampled_from(m.OUTCOMES),
    certainty=st.sampled_from(["guessing", "fairly_sure", "certain"]),
    seen_before=st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(
    claims=st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=1, max_size=6),
    answers=st.lists(st.lists(responses, max_size=4), min_size=6, max_size=6),
)
def test_any_ratings_and_answers_give_distributions_ranges_and_bounded_readiness(claims, answers):
    inputs = [
        SkillInput(
            f"s{i}", claim, tuple(r if r.outcome != m.DONT_KNOW else dont_know(r.level) for r in answers[i])
        )
        for i, claim in enumerate(claims)
    ]
    measured = m.measure(inputs)
    for estimate in measured.skills.values():
        assert sum(estimate.probabilities) == pytest.approx(1, abs=1e-4)
        assert estimate.low <= estimate.level <= estimate.high
    interval = m.readiness(measured, {s.skill: Target(s.skill, 3, 1) for s in inputs})
    assert interval is not None and 0 <= interval.low <= interval.value <= interval.high <= 1


@settings(max_examples=30, deadline=None)
@given(level=st.integers(1, 4), claim=st.integers(0, 4))
def test_a_right_answer_never_lowers_and_a_wrong_one_never_raises_the_expected_level(level, claim):
    before = m.measure([SkillInput("s", claim)]).skills["s"].mean
    assert m.measure([SkillInput("s", claim, (right(level),))]).skills["s"].mean >= before - 1e-9
    assert m.measure([SkillInput("s", claim, (wrong(level),))]).skills["s"].mean <= before + 1e-9


def test_right_answers_count_only_as_far_as_the_persons_certainty_proves_reliable():
    honest = [right(2), right(3), right(2), wrong(3, "guessing")]
    careless = [right(3), wrong(2), wrong(2), wrong(1), wrong(3), wrong(2), wrong(1), wrong(2)]
    assert m.reliability(honest)["certain"] == 1.0
    assert m.reliability(careless)["certain"] < 0.4
    # The same lucky, "certain" right answer at level 4 lifts a skill less for the careless person.
    lucky = (right(4),)
    alone = m.measure([SkillInput("lucky", 1, lucky)]).skills["lucky"].mean
    among_misses = (
        m.measure(
            [SkillInput("lucky", 1, lucky)] + [SkillInput(f"o{i}", 1, (wrong(2), wrong(1))) for i in range(4)]
        )
        .skills["lucky"]
        .mean
    )
    assert among_misses < alone


def test_right_answers_at_chance_rate_count_for_nothing():
    """A person right one time in four at a certainty is guessing: those right answers move nothing."""
    guessing = [right(2, "guessing")] + [wrong(2, "guessing")] * 11
    trust = m.reliability(guessing)
    assert trust["guessing"] == 0.0
    assert right(3, "guessing").exponents(trust) == (0.0, 0.0)
    assert set(right(3, "guessing").likelihood(trust)) == {1.0}
    # An honest record at the same certainty keeps the answer's full weight.
    assert right(3, "guessing").exponents(m.reliability([right(2, "guessing")] * 3))[0] > 0


def test_a_rating_of_4_does_not_pick_the_level_of_its_first_check():
    """With doubt, a skill claimed 4 whose target is 2 is first checked at the target, not near the claim."""
    inputs = [SkillInput(f"s{i}", 4) for i in range(6)]
    measured = m.measure(inputs)
    candidates = [m.Candidate(s.skill, lv, m.tag_parameters(lv)) for s in inputs for lv in m.CHECK_LEVELS]
    targets = {s.skill: Target(s.skill, 2, 3) for s in inputs}
    picks = m.next_round(measured, candidates, targets, {}, per_skill=4, size=10)
    assert picks and all(p.level <= 2 for p in picks)
