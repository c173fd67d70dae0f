"""A short run of the measurement simulation: simulated people through the real services."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from simulation import people, runner

from assessments import pacing, selectors

pytestmark = pytest.mark.django_db


def target_skills() -> list[str]:
    scope = selectors.scope_for(user=runner._user("probe"))
    assert scope is not None
    return list(scope.skills)


def test_simulated_people_take_the_real_assessment_and_are_scored_against_their_truth(full_catalogue):
    skills = target_skills()
    outcomes = runner.run_people(
        seeds=[1],
        per_seed=2,
        world=people.MODERATE,
        model=people.NOMINAL,
        population="uniform",
        skills=skills,
    )
    summary = runner.summarise([o[0] for o in outcomes])
    assert summary["people"] == 2
    assert 0 < summary["checks"] <= pacing.DEFAULT.max_checks
    assert summary["minutes"] <= pacing.DEFAULT.max_minutes
    assert 0 <= summary["exact"] <= 100 and summary["coverage"] >= 50
    assert abs(summary["readiness_bias"]) < 40


def test_claiming_expert_everywhere_and_knowing_nothing_does_not_give_a_high_readiness(full_catalogue):
    outcomes = runner.run_people(
        seeds=[2],
        per_seed=1,
        world=people.MODERATE,
        model=people.NOMINAL,
        population="uniform",
        skills=target_skills(),
        responder=people.respond_dont_know,
        claim_all=4,
    )
    assert outcomes[0][0].readiness < 35


def test_a_retake_asks_questions_not_seen_before(full_catalogue):
    outcomes = runner.run_people(
        seeds=[3],
        per_seed=1,
        world=people.MODERATE,
        model=people.NOMINAL,
        population="uniform",
        skills=target_skills(),
        takes=2,
    )
    assert outcomes[0][1].checks > 0
    assert outcomes[0][1].repeated == 0
