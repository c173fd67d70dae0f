"""Writes of assessments: starting, saving, discarding and submitting them.

Views call these; each one that writes several rows is atomic, so a failure leaves nothing
half-written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from catalogue import selectors as catalogue_selectors
from catalogue.targets import TargetKey

from . import registry, scoring, selectors, snapshot
from .exceptions import AssessmentError
from .models import Answer, Assessment, Result, SelfRating
from .snapshot import ResultSnapshot

MSG_ALREADY_SUBMITTED = "This assessment has already been submitted; its result is below."
MSG_OUT_OF_ORDER = "Please finish the earlier pages first: you were taken to the first unfinished page."
MSG_NOTHING_TO_ASSESS = "The catalogue has no published skills yet, so there is nothing to assess."
MSG_INCOMPLETE = "Some pages are not finished yet: please complete them before submitting."


@transaction.atomic
def assessment_start(*, user: User) -> Assessment:
    """Start an assessment, or return the one already in progress (one per person)."""
    existing = Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS).first()
    if existing:
        return existing
    scope = selectors.scope_for(user=user)
    categories = selectors.assessed_categories(scope.skills) if scope else []
    if scope is None or not categories:
        raise AssessmentError(MSG_NOTHING_TO_ASSESS)
    steps = [f"{kind}:{slug}" for slug, _name in categories for kind in ("rate", "check")] + ["review"]
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                user=user,
                catalogue_version=catalogue_selectors.catalogue_version(),
                steps=steps,
                target=scope.to_json(),
                scope=list(scope.skills),
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
        raise AssessmentError(MSG_ALREADY_SUBMITTED)
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


@dataclass(frozen=True)
class CheckResponse:
    answer_id: int
    choice_id: int | None  # None means "I don't know"
    certainty: str


@transaction.atomic
def checks_save(*, assessment: Assessment, step: int, responses: list[CheckResponse]) -> None:
    """Store the answers of one checks page."""
    assessment = _lock(assessment)
    now = timezone.now()
    for response in responses:
        Answer.objects.filter(pk=response.answer_id, assessment=assessment).update(
            choice_id=response.choice_id,
            dont_know=response.choice_id is None,
            certainty="" if response.choice_id is None else response.certainty,
            answered_at=now,
        )
    _advance(assessment, step)


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
            raise AssessmentError(MSG_INCOMPLETE)
        updated = Assessment.objects.filter(pk=locked.pk, status=Assessment.Status.IN_PROGRESS).update(
            status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
        )
        if updated != 1:
            return Result.objects.get(assessment=locked)
        data = selectors.scoring_inputs(locked)
        outcome = scoring.score(data.evidence, data.role_targets, data.categories, data.prerequisites)
        focus = str(TargetKey(data.target.role, data.target.seniority))
        if focus not in data.roles:
            focus = next(iter(data.roles), "")
        frozen = build_snapshot(data, outcome, focus, catalogue_selectors.catalogue_version())
        result = Result.objects.create(
            assessment=locked,
            user=locked.user,
            catalogue_version=catalogue_selectors.catalogue_version(),
            focus=focus,
            readiness={slug: role.readiness for slug, role in outcome.roles.items()},
            snapshot_json=frozen.to_json(),
        )
        registry.result_created(result)
    return result


def build_snapshot(
    data: selectors.ScoringInputs, outcome: scoring.Score, focus: str, catalogue_version: str
) -> ResultSnapshot:
    """Everything the results page shows, frozen: later catalogue edits never change it."""
    skills = tuple(
        snapshot.SkillResult(
            slug=slug,
            name=info.name,
            category=info.category,
            anchors=info.anchors,
            claim=outcome.levels[slug].self_level,
            evidence=tuple(data.checks.get(slug, ())),
            estimate=snapshot.Estimate(
                level=outcome.levels[slug].assessed_level,
                low=outcome.levels[slug].low,
                high=outcome.levels[slug].high,
                calibration=outcome.levels[slug].calibration,
                reason=outcome.levels[slug].reason,
            ),
        )
        for slug, info in data.skills.items()
    )
    roles = {
        slug: snapshot.RoleResult(
            slug=slug,
            name=data.roles[slug],
            readiness=role.readiness,
            by_category=dict(role.by_category),
            skills={
                gap.skill: snapshot.TargetGap(
                    target=gap.target,
                    weight=gap.weight,
                    gap=gap.gap,
                    weighted_gap=gap.weighted_gap,
                    priority=round(gap.priority, 3),
                )
                for gap in role.skills
            },
            strengths=tuple(role.strengths),
            top_gaps=tuple(gap.skill for gap in role.top_gaps),
            uncounted=data.uncounted.get(slug, ()),
        )
        for slug, role in outcome.roles.items()
    }
    return ResultSnapshot(
        focus=focus,
        target=data.target,
        catalogue_version=catalogue_version,
        other_names=data.other_names,
        method=snapshot.Method(name=scoring.METHOD, version=scoring.METHOD_VERSION),
        categories=data.category_list,
        skills=skills,
        roles=roles,
    )


@transaction.atomic
def personal_data_delete(user: User) -> None:
    """Delete the person's results and assessments (with their ratings and answers)."""
    Result.objects.filter(user=user).delete()
    Assessment.objects.filter(user=user).delete()
