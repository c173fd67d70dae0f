"""Writes of assessments: starting, saving, discarding and submitting them.

Views call these; each one that writes several rows is atomic, so a failure leaves nothing
half-written.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from catalogue import caching
from catalogue import selectors as catalogue_selectors
from catalogue.targets import TargetKey

from . import measurement, pacing, presenters, registry, selectors, snapshot
from .exceptions import AssessmentError
from .measurement import SkillEstimate
from .models import Answer, Assessment, Result, SelfRating
from .outcome import Outcome, assess, why
from .snapshot import ResultSnapshot

MSG_ALREADY_SUBMITTED = gettext_noop("This assessment has already been submitted; its result is below.")
MSG_OUT_OF_ORDER = gettext_noop(
    "Please finish the earlier pages first: you were taken to the first unfinished page."
)
MSG_NOTHING_TO_ASSESS = gettext_noop(
    "The catalogue has no published skills yet, so there is nothing to assess."
)
MSG_INCOMPLETE = gettext_noop("Some pages are not finished yet: please complete them before submitting.")


MSG_UNKNOWN_LENGTH = gettext_noop("Choose the standard or the thorough assessment.")


@transaction.atomic
def assessment_start(*, user: User, length: str = pacing.DEFAULT.key) -> Assessment:
    """Start an assessment, or return the one already in progress (one per person).

    Its pages: one ratings page per category, then up to as many rounds of checks as the budget
    takes (rounds are dropped once every skill is settled), then the review.
    """
    existing = Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS).first()
    if existing:
        return existing
    if length not in pacing.LENGTHS:
        raise AssessmentError(gettext(MSG_UNKNOWN_LENGTH))
    scope = selectors.scope_for(user=user)
    categories = selectors.assessed_categories(scope.skills) if scope else []
    if scope is None or not categories:
        raise AssessmentError(gettext(MSG_NOTHING_TO_ASSESS))
    budget = pacing.budget(pacing.LENGTHS[length], len(scope.skills))
    steps = [f"rate:{slug}" for slug, _name in categories]
    steps += [f"round:{n}" for n in range(1, pacing.rounds(budget) + 1)] + ["review"]
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                user=user,
                catalogue_version=catalogue_selectors.catalogue_version(),
                steps=steps,
                target=scope.to_json(),
                scope=list(scope.skills),
                length=length,
                budget=budget,
            )
    except IntegrityError:
        # Two starts at once: the partial unique constraint let exactly one through.
        assessment = Assessment.objects.get(user=user, status=Assessment.Status.IN_PROGRESS)
    _prefill_ratings(assessment)
    return assessment


def _prefill_ratings(assessment: Assessment) -> None:
    """A retake starts from the self-ratings of the person's last submitted assessment."""
    previous = (
        Assessment.objects.filter(user=assessment.user, status=Assessment.Status.SUBMITTED)
        .order_by("-submitted_at")
        .first()
    )
    if previous is None:
        return
    published = set(selectors.assessed_skills(assessment).values_list("pk", flat=True))
    SelfRating.objects.bulk_create(
        [
            SelfRating(assessment=assessment, skill_id=r.skill_id, level=r.level)
            for r in previous.ratings.all()
            if r.skill_id in published
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def assessment_discard(*, assessment: Assessment) -> None:
    """Throw away an unfinished assessment and its answers."""
    Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.IN_PROGRESS).delete()


def _lock(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.IN_PROGRESS:
        raise AssessmentError(gettext(MSG_ALREADY_SUBMITTED))
    return locked


@transaction.atomic
def ratings_save(
    *, assessment: Assessment, step: int, levels: dict[int, int], rng: random.Random | None = None
) -> None:
    """Store the self-ratings of one category page and (re)assign its knowledge checks."""
    assessment = _lock(assessment)
    existing = {r.skill_id: r for r in assessment.ratings.all()}
    changed = []
    checked = set(assessment.answers.values_list("skill_id", flat=True))
    for skill_id, level in levels.items():
        rating = existing.get(skill_id)
        if rating is None:
            SelfRating.objects.create(assessment=assessment, skill_id=skill_id, level=level)
            changed.append(skill_id)
        elif rating.level != level or skill_id not in checked:
            rating.level = level
            rating.save(update_fields=["level"])
            changed.append(skill_id)
    if assessment.budget:
        # Adaptive: the checks come in rounds after the ratings and stay valid evidence when a
        # rating changes; the first round is chosen once every rating is in.
        _advance(assessment, step)
        _prepare_round(assessment, step + 1, rng or random.Random())
        return
    if changed:
        Answer.objects.filter(assessment=assessment, skill_id__in=changed).delete()
        _assign_checks(
            assessment, {skill_id: levels[skill_id] for skill_id in changed}, rng or random.Random()
        )
        # The new checks wait on the next page: the person may not skip past it to the review.
        Assessment.objects.filter(pk=assessment.pk, furthest_step__gt=step + 1).update(furthest_step=step + 1)
    _advance(assessment, step)


def _assign_checks(assessment: Assessment, claims: dict[int, int], rng: random.Random) -> None:
    """For a claim c: one check at max(c, 1), and one at c + 1 while c is below the skill's top target."""
    top_targets = selectors.target_levels(assessment, claims)
    seen = selectors.seen_question_ids(assessment.user, exclude=assessment.pk)
    pool = selectors.active_questions_by_skill(claims)
    answers = []
    for skill_id, claim in sorted(claims.items()):
        wanted = [max(claim, 1)]
        if claim < top_targets.get(skill_id, 0) and claim + 1 <= 4:
            wanted.append(claim + 1)
        chosen: set[int] = set()
        for level in wanted:
            candidates = [q for q in pool.get(skill_id, []) if q.level == level and q.pk not in chosen]
            if not candidates:
                continue
            fresh = [q for q in candidates if q.pk not in seen]
            question = rng.choice(sorted(fresh or candidates, key=lambda q: q.key))
            chosen.add(question.pk)
            choice_ids = [c.pk for c in question.choices.all()]
            rng.shuffle(choice_ids)
            answers.append(
                Answer(
                    assessment=assessment,
                    question=question,
                    skill_id=skill_id,
                    seen_before=question.pk in seen,
                    choice_order=choice_ids,
                )
            )
    Answer.objects.bulk_create(answers)


def _round_number(assessment: Assessment, index: int) -> int | None:
    if index >= len(assessment.steps):
        return None
    kind, _, value = assessment.steps[index].partition(":")
    return int(value) if kind == "round" else None


def _prepare_round(assessment: Assessment, index: int, rng: random.Random) -> None:
    """Choose the checks of the round at step ``index`` (once); with nothing left to ask, drop
    the remaining rounds so the review comes next."""
    number = _round_number(assessment, index)
    if number is None or assessment.answers.filter(round=number).exists():
        return
    state = selectors.round_state(assessment)
    length = pacing.LENGTHS.get(assessment.length, pacing.DEFAULT)
    left = assessment.budget - state.asked_total
    picks: list[measurement.Candidate] = []
    if left > 0 and state.unanswered == 0:
        current = measurement.measure(state.inputs())
        picks = measurement.next_round(
            current,
            state.candidates(rng),
            state.targets,
            state.asked,
            per_skill=length.per_skill,
            size=min(pacing.ROUND_SIZE, left),
        )
    if not picks:
        steps = [s for i, s in enumerate(assessment.steps) if i < index or not s.startswith("round:")]
        Assessment.objects.filter(pk=assessment.pk).update(steps=steps)
        assessment.steps = steps
        return
    answers = []
    for pick in picks:
        question, seen_before = state.pick_question(pick.skill, pick.level)
        choice_ids = list(state.choice_ids[question])
        rng.shuffle(choice_ids)
        answers.append(
            Answer(
                assessment=assessment,
                question_id=question,
                skill_id=state.skill_ids[pick.skill],
                seen_before=seen_before,
                choice_order=choice_ids,
                round=number,
            )
        )
    Answer.objects.bulk_create(answers)


@dataclass(frozen=True)
class CheckResponse:
    answer_id: int
    choice_id: int | None  # None means "I don't know"
    certainty: str


MSG_NOT_ON_PAGE = gettext_noop(
    "An answer was sent for a question that is not on this page; nothing was saved."
)


@transaction.atomic
def checks_save(
    *,
    assessment: Assessment,
    step: int,
    responses: list[CheckResponse],
    rng: random.Random | None = None,
) -> None:
    """Store the answers of one checks page; after a round, choose the next one."""
    assessment = _lock(assessment)
    now = timezone.now()
    number = _round_number(assessment, step)
    allowed = assessment.answers.all()
    if number is not None:
        allowed = allowed.filter(round=number)
    allowed_ids = set(allowed.values_list("pk", flat=True))
    if any(r.answer_id not in allowed_ids for r in responses):
        raise AssessmentError(gettext(MSG_NOT_ON_PAGE))
    for response in responses:
        Answer.objects.filter(pk=response.answer_id, assessment=assessment).update(
            choice_id=response.choice_id,
            dont_know=response.choice_id is None,
            certainty="" if response.choice_id is None else response.certainty,
            answered_at=now,
        )
    _advance(assessment, step)
    if number is not None:
        _prepare_round(assessment, step + 1, rng or random.Random())


def _advance(assessment: Assessment, step: int) -> None:
    if step + 1 > assessment.furthest_step:
        Assessment.objects.filter(pk=assessment.pk, furthest_step__lt=step + 1).update(furthest_step=step + 1)


def assessment_submit(*, assessment: Assessment) -> Result:
    """Score the assessment and freeze the outcome; a second submit returns the first result.

    Apps that follow results (the roadmap rebuilds the plan) hear of it in the same transaction.
    """
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == Assessment.Status.SUBMITTED:
            return Result.objects.get(assessment=locked)
        unanswered = locked.answers.filter(answered_at__isnull=True).exists()
        if locked.furthest_step < len(locked.steps) - 1 or unanswered:
            raise AssessmentError(gettext(MSG_INCOMPLETE))
        updated = Assessment.objects.filter(pk=locked.pk, status=Assessment.Status.IN_PROGRESS).update(
            status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
        )
        if updated != 1:
            return Result.objects.get(assessment=locked)
        data = selectors.scoring_inputs(locked)
        outcome = assess(data.inputs, data.role_targets, data.categories, data.prerequisites)
        focus = str(TargetKey(data.target.role, data.target.seniority))
        if focus not in data.roles:
            focus = next(iter(data.roles), "")
        frozen = build_snapshot(data, outcome, focus, catalogue_selectors.catalogue_version())
        result = Result.objects.create(
            assessment=locked,
            user=locked.user,
            catalogue_version=catalogue_selectors.catalogue_version(),
            focus=focus,
            readiness={
                slug: None if role.readiness is None else role.readiness.value
                for slug, role in outcome.roles.items()
            },
            snapshot_json=frozen.to_json(),
        )
        registry.result_created(result)
    return result


def recorded_estimate(
    estimate: SkillEstimate, responses: Sequence[measurement.Response]
) -> snapshot.Estimate:
    """A skill's estimate as the result records it, with its reason in English (the API's and the
    record's wording; the pages word it again in the reader's language from ``why``)."""
    facts = why(estimate, responses)
    recorded = snapshot.Estimate(
        level=estimate.level,
        low=estimate.low,
        high=estimate.high,
        calibration=estimate.calibration,
        reason="",
        probabilities=tuple(round(p, 4) for p in estimate.probabilities),
        why=facts,
    )
    with translation.override("en"):
        return replace(recorded, reason=presenters.estimate_reason(recorded, facts))


def build_snapshot(
    data: selectors.ScoringInputs, outcome: Outcome, focus: str, catalogue_version: str
) -> ResultSnapshot:
    """Everything the results page shows, frozen: later catalogue edits never change it."""
    measured = outcome.measurement
    inputs = {item.skill: item for item in data.inputs}
    skills = tuple(
        snapshot.SkillResult(
            slug=slug,
            name=info.name,
            category=info.category,
            anchors=info.anchors,
            claim=inputs[slug].claim or 0,
            evidence=tuple(data.checks.get(slug, ())),
            estimate=recorded_estimate(measured.skills[slug], inputs[slug].responses),
        )
        for slug, info in data.skills.items()
    )
    roles = {}
    for slug, role in outcome.roles.items():
        gaps = role.gaps
        roles[slug] = snapshot.RoleResult(
            slug=slug,
            name=data.roles[slug],
            readiness=None if role.readiness is None else role.readiness.value,
            by_category={c: None if i is None else i.value for c, i in role.by_category.items()},
            skills={
                gap.skill: snapshot.TargetGap(
                    target=gap.target,
                    weight=gap.weight,
                    gap=gap.gap,
                    weighted_gap=gap.weighted_gap,
                    priority=round(gap.priority, 3),
                )
                for gap in gaps.skills
            },
            strengths=tuple(gaps.strengths),
            top_gaps=tuple(gap.skill for gap in gaps.top_gaps),
            uncounted=data.uncounted.get(slug, ()),
            readiness_low=None if role.readiness is None else role.readiness.low,
            readiness_high=None if role.readiness is None else role.readiness.high,
            by_category_interval={c: (i.low, i.high) for c, i in role.by_category.items() if i is not None},
        )
    calibration = measured.calibration
    return ResultSnapshot(
        focus=focus,
        target=data.target,
        catalogue_version=catalogue_version,
        other_names=data.other_names,
        method=snapshot.Method(
            name=measurement.METHOD,
            version=measurement.METHOD_VERSION,
            parameters=data.parameters_label,
        ),
        categories=data.category_list,
        skills=skills,
        roles=roles,
        calibration=snapshot.RatingCalibration(
            bias=round(calibration.bias, 3),
            low=calibration.low,
            high=calibration.high,
            checked_skills=calibration.checked_skills,
        ),
    )


@transaction.atomic
def personal_data_delete(user: User) -> None:
    """Delete the person's results and assessments (with their ratings and answers), and the result
    pages kept in the cache for a week."""
    results = Result.objects.filter(user=user)
    caching.cached_bodies_delete(result.body_cache_key for result in results.only("pk", "created_at"))
    results.delete()
    Assessment.objects.filter(user=user).delete()
