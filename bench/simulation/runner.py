"""Drive simulated people through the real assessment services on the real catalogue.

Each person is an ordinary account with the default target (Machine Learning Engineer, entry);
they rate every skill with their simulated claim and answer every check the services choose,
with the answer model of :mod:`bench.simulation.people` (written apart from the estimator). The
result is the frozen snapshot the app shows, compared with the person's true levels.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from accounts import services as account_services
from accounts.models import User
from assessments import selectors, services
from assessments.models import Answer, Result
from catalogue.models import Role, SkillCategory

from . import people

TARGET_ROLE = "machine-learning-engineer"
TARGET_SENIORITY = "entry"


@dataclass
class Outcome:
    """One simulated person's result against the truth."""

    readiness: float  # shown (0-100)
    true_readiness: float  # from the true levels (0-100)
    low: float
    high: float
    checks: int
    minutes: int
    repeated: int  # checks whose question the person had seen before
    skills: list[dict[str, Any]] = field(default_factory=list)


def _user(name: str, hours: int = 10) -> User:
    user = User.objects.create_user(username=name, email=f"{name}@sim.invalid", password=None)
    account_services.profile_create(user=user)
    role = Role.objects.get(slug=TARGET_ROLE)
    account_services.target_choose(user=user, role=role, seniority=TARGET_SENIORITY, hours_per_week=hours)
    return user


Responder = Callable[[random.Random, people.AnswerModel, int, int], people.Response]


def take(
    user: User,
    person: people.Person,
    model: people.AnswerModel,
    rng: random.Random,
    *,
    length: str = "default",
    responder: Responder = people.respond,
    claims: dict[str, int] | None = None,
) -> Result:
    """One assessment through the services, page by page, as the views call them."""
    assessment = services.assessment_start(user=user, length=length)
    stated = claims if claims is not None else person.claims
    index = 0
    while True:
        assessment.refresh_from_db()
        kind, _, value = assessment.steps[index].partition(":")
        if kind == "review":
            break
        if kind == "rate":
            category = SkillCategory.objects.get(slug=value)
            rows = selectors.rating_rows(assessment, category)
            services.ratings_save(
                assessment=assessment,
                step=index,
                levels={skill.pk: stated.get(skill.slug, 0) for skill, _a, _s in rows},
                rng=rng,
            )
        else:
            round_number = int(value) if kind == "round" else None
            category = None if round_number else SkillCategory.objects.get(slug=value)
            responses = []
            for answer, choices in selectors.check_rows(assessment, category, round_number):
                truth = person.true_levels.get(answer.skill.slug, 0)
                reply = responder(rng, model, truth, answer.question.level)
                if reply.outcome == "dont_know":
                    responses.append(services.CheckResponse(answer.pk, None, ""))
                    continue
                right = [c for c in choices if c.is_correct]
                wrong = [c for c in choices if not c.is_correct]
                pick = right[0] if reply.outcome == "right" else rng.choice(wrong)
                responses.append(services.CheckResponse(answer.pk, pick.pk, reply.certainty))
            services.checks_save(assessment=assessment, step=index, responses=responses, rng=rng)
        index += 1
    return services.assessment_submit(assessment=assessment)


def score(result: Result, person: people.Person) -> Outcome:
    """Compare a result with the person's true levels, over the target's skills."""
    frozen = result.snapshot
    role = frozen.role()
    assert role is not None
    total = sum(gap.target * gap.weight for gap in role.skills.values())
    missing = sum(
        gap.weight * max(0, gap.target - person.true_levels.get(slug, 0)) for slug, gap in role.skills.items()
    )
    answers = Answer.objects.filter(assessment=result.assessment)
    checks = answers.count()
    skills = []
    for skill in frozen.skills:
        gap = role.skills.get(skill.slug)
        if gap is None or gap.target == 0:
            continue
        truth = person.true_levels.get(skill.slug, 0)
        below_shown = sum(skill.estimate.probabilities[: gap.target]) >= 0.5
        skills.append(
            {
                "exact": skill.estimate.level == truth,
                "within": abs(skill.estimate.level - truth) <= 1,
                "covered": skill.estimate.low <= truth <= skill.estimate.high,
                "width": skill.estimate.high - skill.estimate.low,
                "below_right": below_shown == (truth < gap.target),
                "checked": bool(skill.evidence),
            }
        )
    return Outcome(
        readiness=100 * (role.readiness or 0),
        true_readiness=100 * (1 - missing / total) if total else 100.0,
        low=100 * (role.readiness_low or 0),
        high=100 * (role.readiness_high or 0),
        checks=checks,
        minutes=round((len(frozen.skills) * 25 + checks * 45) / 60),
        repeated=answers.filter(seen_before=True).count(),
        skills=skills,
    )


def run_people(
    *,
    seeds: Iterable[int],
    per_seed: int,
    world: people.World,
    model: people.AnswerModel,
    population: str,
    skills: list[str],
    length: str = "default",
    responder: Responder = people.respond,
    claim_all: int | None = None,
    takes: int = 1,
    prefix: str = "sim",
) -> list[list[Outcome]]:
    """Every person's outcomes (one per take), for these seeds."""
    out = []
    for seed in seeds:
        for n in range(per_seed):
            rng = random.Random(seed * 10_007 + n)
            person = people.make_person(rng, skills, world, population)
            claims = dict.fromkeys(skills, claim_all) if claim_all is not None else None
            user = _user(f"{prefix}-{seed}-{n}-{rng.randrange(10**9)}")
            outcomes = []
            for _take in range(takes):
                result = take(user, person, model, rng, length=length, responder=responder, claims=claims)
                outcomes.append(score(result, person))
            out.append(outcomes)
    return out


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    """The figures the measurement issue asks for, over these people."""
    skills = [s for o in outcomes for s in o.skills]
    checked = [s for s in skills if s["checked"]]
    unchecked = [s for s in skills if not s["checked"]]
    errors = [o.readiness - o.true_readiness for o in outcomes]
    absolute = sorted(abs(e) for e in errors)

    def share(rows: list[dict[str, Any]], key: str) -> float:
        return 100 * statistics.mean(1.0 if r[key] else 0.0 for r in rows) if rows else float("nan")

    return {
        "people": len(outcomes),
        "below_target_right": share(skills, "below_right"),
        "exact": share(skills, "exact"),
        "exact_checked": share(checked, "exact"),
        "exact_unchecked": share(unchecked, "exact"),
        "within_one": share(skills, "within"),
        "readiness_bias": statistics.mean(errors),
        "readiness_mae": statistics.mean(absolute),
        "readiness_p95": absolute[min(len(absolute) - 1, int(0.95 * len(absolute)))],
        "coverage": share(skills, "covered"),
        "width": statistics.mean(s["width"] for s in skills),
        "readiness_covered": 100
        * statistics.mean(1.0 if o.low - 0.5 <= o.true_readiness <= o.high + 0.5 else 0.0 for o in outcomes),
        "checks": statistics.mean(o.checks for o in outcomes),
        "minutes": statistics.mean(o.minutes for o in outcomes),
        "readiness": statistics.mean(o.readiness for o in outcomes),
    }
