"""Reads for assessments: the quiz pages, scoring inputs, results and progress over time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, partial
from types import MappingProxyType
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, F, IntegerField, Max, Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from accounts import selectors as account_selectors
from accounts.models import Profile, User
from catalogue import caching, compiled, targets
from catalogue import selectors as catalogue_selectors
from catalogue.models import (
    Choice,
    LevelAnchor,
    Prerequisite,
    Question,
    RoleTarget,
    Skill,
    SkillCategory,
)
from catalogue.targets import Choices, TargetKey
from catalogue.vocab import Certainty, Level

from . import calibration_store, measurement, pacing, scoring, snapshot
from .models import Answer, Assessment, Result, SelfRating


@dataclass(frozen=True)
class Scope:
    """What one assessment covers: the person's target (role, seniority, choices) and its skills."""

    target: TargetKey
    choices: Choices
    skills: tuple[str, ...]  # slugs, in catalogue order

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.target.role,
            "seniority": self.target.seniority,
            "chosen": sorted(self.choices.chosen),
            "set_aside": sorted(self.choices.set_aside),
            "added": sorted(self.choices.added),
        }


def scope_for(*, user: User) -> Scope | None:
    """The skills an assessment of the person covers now: their target's, after their choices, and additions."""
    profile = account_selectors.profile_get(user=user)
    key = account_selectors.focus_target(profile=profile)
    if key is None:
        return None
    choices = account_selectors.target_choices(profile=profile)
    wanted = targets.assessed_skills(catalogue_selectors.target_rows().get(key, []), choices)
    slugs = tuple(s.slug for s in _published().filter(slug__in=wanted))
    return Scope(target=key, choices=choices, skills=slugs)


def _published() -> QuerySet[Skill]:
    return (
        Skill.objects.filter(is_published=True, is_historical=False)
        .select_related("category")
        .order_by("category__order", "category__slug", "name")
    )


def assessed_skills(
    assessment: Assessment | None = None, *, slugs: Iterable[str] | None = None
) -> QuerySet[Skill]:
    """The skills an assessment covers (those it recorded at its start), in catalogue order.

    An assessment started before targets had seniorities recorded no scope: it covers every
    published skill that some target needs, as it did then.
    """
    if slugs is None and assessment is not None and assessment.scope:
        slugs = assessment.scope
    if slugs is not None:
        return _published().filter(slug__in=list(slugs))
    return _published().filter(targets__level__gt=0).distinct()


def assessed_categories(slugs: Iterable[str]) -> list[tuple[str, str]]:
    """(slug, name) of the categories holding these skills, in catalogue order."""
    seen: dict[str, str] = {}
    for skill in assessed_skills(slugs=slugs):
        seen.setdefault(skill.category.slug, skill.category.name)
    return list(seen.items())


def target_levels(assessment: Assessment, skill_ids: Iterable[int]) -> dict[int, int]:
    """The level the assessment's target needs of each skill (for an added skill: the highest any target needs)."""
    ids = list(skill_ids)
    levels: dict[int, int] = {
        row["skill_id"]: row["top"]
        for row in RoleTarget.objects.filter(skill_id__in=ids).values("skill_id").annotate(top=Max("level"))
    }
    role, seniority = assessment.target.get("role"), assessment.target.get("seniority")
    if role and seniority:
        own = RoleTarget.objects.filter(skill_id__in=ids, role__slug=role, seniority=seniority)
        levels |= dict(own.values_list("skill_id", "level"))
    return levels


def seen_question_ids(user, exclude: int | None = None) -> set[int]:
    """Questions the person answered in earlier assessments (their keys were shown on the results)."""
    answers = Answer.objects.filter(assessment__user=user, assessment__status=Assessment.Status.SUBMITTED)
    if exclude is not None:
        answers = answers.exclude(assessment_id=exclude)
    return set(answers.values_list("question_id", flat=True))


def active_questions_by_skill(skill_ids) -> dict[int, list[Question]]:
    pool: dict[int, list[Question]] = {}
    questions = Question.objects.filter(skill_id__in=list(skill_ids), active=True).prefetch_related("choices")
    for question in questions:
        pool.setdefault(question.skill_id, []).append(question)
    return pool


def _outcome(answer: Answer) -> str:
    if answer.dont_know or answer.choice is None:
        return measurement.DONT_KNOW
    return measurement.RIGHT if answer.choice.is_correct else measurement.WRONG


def _response(
    answer: Answer, parameters: dict[str, measurement.ItemParameters] | None = None
) -> measurement.Response:
    outcome = _outcome(answer)
    return measurement.Response(
        level=answer.question.level,
        outcome=outcome,
        certainty="" if outcome == measurement.DONT_KNOW else (answer.certainty or Certainty.GUESSING),
        seen_before=answer.seen_before,
        parameters=(parameters or {}).get(answer.question.key),
    )


@dataclass
class RoundState:
    """What choosing the next round of checks needs, read once."""

    skills: tuple[str, ...]
    skill_ids: dict[str, int]
    claims: dict[str, int | None]
    responses: dict[str, list[measurement.Response]]
    asked: dict[str, int]
    asked_total: int
    unanswered: int
    targets: dict[str, measurement.Target]
    # Per skill and level: question ids not yet in this assessment, unseen ones first.
    fresh: dict[str, dict[int, list[int]]]
    seen: dict[str, dict[int, list[int]]]
    choice_ids: dict[int, tuple[int, ...]]
    keys: dict[int, str]
    parameters: dict[str, measurement.ItemParameters]
    parameters_label: str
    picked: dict[tuple[str, int], tuple[int, bool]] = field(default_factory=dict)

    def inputs(self) -> list[measurement.SkillInput]:
        return [
            measurement.SkillInput(skill, self.claims.get(skill), tuple(self.responses.get(skill, ())))
            for skill in self.skills
        ]

    def candidates(self, rng: Any) -> list[measurement.Candidate]:
        """Per skill and open level, one question drawn at random, with its parameters: while a
        skill has questions the person never saw, only those."""
        out = []
        self.picked = {}
        for skill in self.skills:
            has_fresh = any(self.fresh.get(skill, {}).values())
            pool = self.fresh.get(skill, {}) if has_fresh else self.seen.get(skill, {})
            for level in measurement.CHECK_LEVELS:
                if not pool.get(level):
                    continue
                question = rng.choice(sorted(pool[level]))
                self.picked[(skill, level)] = (question, not has_fresh)
                parameters = self.parameters.get(self.keys[question]) or measurement.tag_parameters(level)
                out.append(measurement.Candidate(skill, level, parameters))
        return out

    def pick_question(self, skill: str, level: int) -> tuple[int, bool]:
        """The question drawn for this skill and level, and whether the person saw it before."""
        return self.picked[(skill, level)]


def round_state(assessment: Assessment) -> RoundState:
    """The ratings, answers, targets and open questions of an adaptive assessment (fixed queries)."""
    skills = list(assessed_skills(assessment))
    slugs = tuple(skill.slug for skill in skills)
    by_id = {skill.pk: skill.slug for skill in skills}
    ratings = {by_id[k]: v for k, v in assessment.ratings.values_list("skill_id", "level") if k in by_id}
    answers = list(assessment.answers.select_related("question", "choice"))
    label, parameters = calibration_store.active_parameters()
    responses: dict[str, list[measurement.Response]] = {}
    asked: dict[str, int] = {}
    in_assessment: set[int] = set()
    unanswered = 0
    for answer in answers:
        slug = by_id.get(answer.skill_id)
        in_assessment.add(answer.question_id)
        if slug is None:
            continue
        asked[slug] = asked.get(slug, 0) + 1
        if answer.answered_at is None:
            unanswered += 1
        else:
            responses.setdefault(slug, []).append(_response(answer, parameters))
    seen_before = seen_question_ids(assessment.user, exclude=assessment.pk)
    fresh: dict[str, dict[int, list[int]]] = {}
    seen: dict[str, dict[int, list[int]]] = {}
    choice_ids: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(
        question__skill_id__in=list(by_id), question__active=True
    ).values_list("question_id", "pk"):
        choice_ids.setdefault(question_id, []).append(choice_id)
    keys: dict[int, str] = {}
    for question_id, skill_id, level, key in Question.objects.filter(
        skill_id__in=list(by_id), active=True
    ).values_list("pk", "skill_id", "level", "key"):
        keys[question_id] = key
        if question_id in in_assessment:
            continue
        bucket = seen if question_id in seen_before else fresh
        bucket.setdefault(by_id[skill_id], {}).setdefault(level, []).append(question_id)
    return RoundState(
        skills=slugs,
        skill_ids={slug: pk for pk, slug in by_id.items()},
        claims=dict(ratings),
        responses=responses,
        asked=asked,
        asked_total=len(answers),
        unanswered=unanswered,
        targets=assessment_targets(assessment, slugs),
        fresh=fresh,
        seen=seen,
        choice_ids={k: tuple(sorted(v)) for k, v in choice_ids.items()},
        keys=keys,
        parameters=parameters,
        parameters_label=label,
    )


def assessment_targets(assessment: Assessment, slugs: Iterable[str]) -> dict[str, measurement.Target]:
    """The levels and weights the assessment's own target sets on these skills (level above 0)."""
    target = _target_choice(assessment)
    if not target.role or not target.seniority:
        return {}
    rows = catalogue_selectors.target_rows().get(TargetKey(target.role, target.seniority), [])
    choices = Choices(frozenset(target.chosen), frozenset(target.set_aside), frozenset(target.added))
    wanted = set(slugs)
    return {
        slug: measurement.Target(skill=slug, level=row.level, weight=row.weight)
        for slug, row in targets.resolve(rows, choices).items()
        if slug in wanted and row.level > 0
    }


@dataclass
class StepPage:
    """One page of the quiz: its kind, category and the skills on it."""

    index: int
    key: str
    kind: str  # rate | check | round | review
    category: SkillCategory | None
    total: int
    round: int | None = None


# --- what the quiz pages show of the catalogue, kept per process and catalogue version ------------
# The skills, their level anchors, the categories and the questions with their choices depend only
# on the catalogue: they are read once per process for a catalogue version (catalogue.caching.local;
# a new version drops them) and joined here with the person's own rows, which are read on every
# page. The model instances kept are shared by every request of the process: nothing writes to them
# (their relations are filled in before they are kept, so reading one never loads and caches more).


@dataclass(frozen=True)
class QuizCatalogue:
    """The catalogue as the quiz pages need it (read only)."""

    categories: Mapping[str, SkillCategory]  # every category, by slug
    skills: Mapping[int, Skill]  # every skill (an answer may outlive its skill's publication), by id
    by_category: Mapping[int, tuple[int, ...]]  # ids of every skill of a category
    # Per category id: its published, current skills in catalogue order, each with its anchors by level.
    rated: Mapping[int, tuple[tuple[Skill, tuple[LevelAnchor, ...]], ...]]
    targeted: frozenset[int]  # published, current skills some target needs (see assessed_skills)
    name_order: Mapping[int, int]  # each skill's place when skills are sorted by name in the database


def quiz_catalogue() -> QuizCatalogue:
    """The categories, skills and level anchors of the quiz pages (kept per process and catalogue version)."""
    catalogue: QuizCatalogue = caching.local(
        catalogue_selectors.catalogue_version(), "quiz-catalogue", _build_quiz_catalogue
    )
    return catalogue


def _build_quiz_catalogue() -> QuizCatalogue:
    categories = {category.pk: category for category in SkillCategory.objects.all()}
    skills: dict[int, Skill] = {}
    by_category: dict[int, list[int]] = {}
    for skill in Skill.objects.order_by("name", "pk"):
        skill.category = categories[skill.category_id]
        skills[skill.pk] = skill
        by_category.setdefault(skill.category_id, []).append(skill.pk)
    anchors: dict[int, list[LevelAnchor]] = {}
    for anchor in LevelAnchor.objects.order_by("skill_id", "level"):
        anchor.skill = skills[anchor.skill_id]
        anchors.setdefault(anchor.skill_id, []).append(anchor)
    rated: dict[int, list[tuple[Skill, tuple[LevelAnchor, ...]]]] = {}
    in_catalogue_order = _published().order_by("category__order", "category__slug", "name", "pk")
    for pk in in_catalogue_order.values_list("pk", flat=True):
        skill = skills[pk]
        rated.setdefault(skill.category_id, []).append((skill, tuple(anchors.get(pk, ()))))
    targeted = _published().filter(targets__level__gt=0).values_list("pk", flat=True).distinct()
    return QuizCatalogue(
        categories=MappingProxyType({category.slug: category for category in categories.values()}),
        skills=MappingProxyType(skills),
        by_category=MappingProxyType({pk: tuple(ids) for pk, ids in by_category.items()}),
        rated=MappingProxyType({pk: tuple(rows) for pk, rows in rated.items()}),
        targeted=frozenset(targeted),
        name_order=MappingProxyType({pk: place for place, pk in enumerate(skills)}),
    )


@dataclass(frozen=True)
class QuizQuestion:
    """A question with its choices in catalogue order (kept per process and catalogue version; read only)."""

    question: Question
    choices: tuple[Choice, ...]


def quiz_questions(question_ids: Iterable[int]) -> dict[int, QuizQuestion]:
    """These questions with their choices: each read once per process and catalogue version, those
    not kept yet together (two queries)."""
    version = catalogue_selectors.catalogue_version()
    wanted = list(dict.fromkeys(question_ids))
    loaded: dict[int, QuizQuestion] = {}

    def build(pk: int) -> QuizQuestion:
        if not loaded:
            loaded.update(_load_quiz_questions(wanted))
        return loaded[pk]

    return {pk: caching.local(version, f"quiz-question:{pk}", partial(build, pk)) for pk in wanted}


def _load_quiz_questions(ids: list[int]) -> dict[int, QuizQuestion]:
    skills = quiz_catalogue().skills
    choices: dict[int, list[Choice]] = {}
    questions = {question.pk: question for question in Question.objects.filter(pk__in=ids)}
    for choice in Choice.objects.filter(question_id__in=ids).order_by("question_id", "label"):
        choice.question = questions[choice.question_id]
        choices.setdefault(choice.question_id, []).append(choice)
    for question in questions.values():
        question.skill = skills[question.skill_id]
    return {pk: QuizQuestion(question, tuple(choices.get(pk, ()))) for pk, question in questions.items()}


def step_page(assessment: Assessment, index: int) -> StepPage:
    key = assessment.steps[index]
    kind, _, slug = key.partition(":")
    if kind == "round":
        return StepPage(
            index=index, key=key, kind=kind, category=None, total=len(assessment.steps), round=int(slug)
        )
    category = quiz_catalogue().categories.get(slug) if slug else None
    return StepPage(index=index, key=key, kind=kind, category=category, total=len(assessment.steps))


def rating_rows(
    assessment: Assessment, category: SkillCategory
) -> list[tuple[Skill, list[LevelAnchor], int | None]]:
    """The skills of a ratings page with their anchors and the level saved so far (one query: the
    person's ratings; the skills and anchors are the kept catalogue's)."""
    catalogue = quiz_catalogue()
    in_category = catalogue.rated.get(category.pk, ())
    if assessment.scope:
        scope = set(assessment.scope)
        rows = [(skill, anchors) for skill, anchors in in_category if skill.slug in scope]
    else:  # recorded no scope: see assessed_skills
        rows = [(skill, anchors) for skill, anchors in in_category if skill.pk in catalogue.targeted]
    if not rows:
        return []
    saved = _saved_levels(assessment.pk)
    return [(skill, list(anchors), saved.get(skill.pk)) for skill, anchors in rows]


@cache
def _saved_levels_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(SelfRating._meta.db_table)
    column = {field.name: quote(field.column) for field in SelfRating._meta.concrete_fields}
    return f"SELECT {column['skill']}, {column['level']} FROM {table} WHERE {column['assessment']} = %s"


def _saved_levels(assessment_id: int) -> dict[int, int]:
    """The levels saved so far in an assessment, by skill id (one query, written out: Django takes
    longer to compile it than the database takes to run it; an assessment holds one per skill)."""
    with connection.cursor() as cursor:
        cursor.execute(_saved_levels_sql(), [assessment_id])
        return dict(cursor.fetchall())


def check_rows(
    assessment: Assessment, category: SkillCategory | None, round_number: int | None = None
) -> list[tuple[Answer, list[Choice]]]:
    """The checks of a page (a category's, or a round's), each with its choices in the shown order
    (one query: the person's answers; their questions and skills are the kept catalogue's)."""
    catalogue = quiz_catalogue()
    if round_number is not None:
        answers = [answer for answer in _answers_of(assessment.pk) if answer.round == round_number]
    elif category is not None:
        in_category = set(catalogue.by_category.get(category.pk, ()))
        answers = [answer for answer in _answers_of(assessment.pk) if answer.skill_id in in_category]
    else:
        return []
    questions = quiz_questions(answer.question_id for answer in answers)
    rows = []
    for answer in answers:
        kept = questions[answer.question_id]
        answer.question = kept.question
        answer.skill = catalogue.skills[answer.skill_id]
        by_id = {c.pk: c for c in kept.choices}
        ordered = [by_id[pk] for pk in answer.choice_order if pk in by_id]
        ordered += [c for c in kept.choices if c not in ordered]
        rows.append((answer, ordered))
    rows.sort(key=lambda row: (catalogue.name_order[row[0].skill_id], row[0].question.level, row[0].pk))
    return rows


def _answers_of(assessment_id: int) -> list[Answer]:
    """Every check of an assessment (one query, compiled once per process; an assessment asks at
    most its budget of checks, so its pages pick theirs from all of them)."""
    return compiled.read(_answers_query(), {compiled.SOME_PK: assessment_id})


@cache
def _answers_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of(Answer.objects.filter(assessment_id=compiled.SOME_PK).order_by())


@dataclass(frozen=True)
class ReviewRating:
    """A self-rating on the review page: its level in words and the page that holds it."""

    rating: SelfRating
    level_label: str
    step: int | None


@dataclass(frozen=True)
class ReviewAnswer:
    """A knowledge check on the review page, with the page that holds it."""

    answer: Answer
    step: int | None


def review_rows(assessment: Assessment) -> tuple[list[ReviewRating], list[ReviewAnswer]]:
    """Every rating and answer so far, each with the index of the page where it can be changed."""
    pages = {key: index for index, key in enumerate(assessment.steps)}
    ratings = [
        ReviewRating(
            rating=rating,
            level_label=str(Level(rating.level).label),
            step=pages.get(f"rate:{rating.skill.category.slug}"),
        )
        for rating in assessment.ratings.select_related("skill__category").order_by(
            "skill__category__order", "skill__name"
        )
    ]
    answers = [
        ReviewAnswer(
            answer=answer,
            step=pages.get(
                f"round:{answer.round}" if answer.round is not None else f"check:{answer.skill.category.slug}"
            ),
        )
        for answer in assessment.answers.select_related("question", "skill__category", "choice").order_by(
            "skill__category__order", "skill__name"
        )
    ]
    return ratings, answers


@dataclass(frozen=True)
class SkillFacts:
    """What the snapshot keeps of a skill as the catalogue had it at submission."""

    name: str
    category: str
    anchors: tuple[str, ...]


@dataclass
class ScoringInputs:
    inputs: list[measurement.SkillInput]
    parameters_label: str
    evidence: list[scoring.SkillEvidence]
    role_targets: dict[str, dict[str, scoring.Target]]
    categories: dict[str, str]
    prerequisites: list[tuple[str, str, int]]
    skills: dict[str, SkillFacts]
    roles: dict[str, str]
    category_list: tuple[snapshot.Category, ...]
    checks: dict[str, list[snapshot.CheckEvidence]]
    uncounted: dict[str, tuple[str, ...]]
    target: snapshot.TargetChoice
    other_names: dict[str, str]


def scoring_inputs(assessment: Assessment) -> ScoringInputs:
    """Everything scoring and the snapshot need, in a fixed number of queries."""
    skills = list(
        assessed_skills(assessment).prefetch_related(
            Prefetch("anchors", queryset=LevelAnchor.objects.order_by("level"))
        )
    )
    ratings = dict(assessment.ratings.values_list("skill_id", "level"))
    answers = list(
        assessment.answers.select_related("question", "choice", "skill").prefetch_related("question__choices")
    )
    checks_by_skill: dict[int, list[scoring.Check]] = {}
    label, parameters = calibration_store.active_parameters()
    responses: dict[int, list[measurement.Response]] = {}
    checks: dict[str, list[snapshot.CheckEvidence]] = {}
    for answer in answers:
        if answer.answered_at is None:
            continue
        responses.setdefault(answer.skill_id, []).append(_response(answer, parameters))
        correct_choice = next((c for c in answer.question.choices.all() if c.is_correct), None)
        chosen = None if answer.dont_know else answer.choice
        is_correct = None if chosen is None else chosen.is_correct
        certainty = answer.certainty or Certainty.GUESSING
        checks_by_skill.setdefault(answer.skill_id, []).append(
            scoring.Check(
                level=answer.question.level,
                correct=is_correct,
                certainty=certainty,
                seen_before=answer.seen_before,
            )
        )
        checks.setdefault(answer.skill.slug, []).append(
            snapshot.CheckEvidence(
                question=answer.question.key,
                level=answer.question.level,
                prompt=answer.question.prompt,
                chosen=None if chosen is None else chosen.text,
                correct=correct_choice.text if correct_choice else "",
                is_correct=is_correct,
                certainty=answer.certainty,
                seen_before=answer.seen_before,
                mark=scoring.certainty_mark(is_correct, certainty),
                explanation=answer.question.explanation,
            )
        )
    inputs = [
        measurement.SkillInput(
            skill=skill.slug,
            claim=ratings.get(skill.pk),
            responses=tuple(responses.get(skill.pk, ())),
        )
        for skill in skills
    ]
    evidence = [
        scoring.SkillEvidence(
            skill=skill.slug,
            self_level=ratings.get(skill.pk, 0),
            checks=tuple(checks_by_skill.get(skill.pk, ())),
        )
        for skill in skills
    ]
    # Every role target, with the person's choices where they apply; what was not assessed is not
    # counted (it is named instead), so role fit for other targets uses what was measured.
    target = _target_choice(assessment)
    choices = Choices(frozenset(target.chosen), frozenset(target.set_aside), frozenset(target.added))
    assessed = {skill.slug for skill in skills}
    role_targets: dict[str, dict[str, scoring.Target]] = {}
    uncounted: dict[str, tuple[str, ...]] = {}
    all_rows = catalogue_selectors.target_rows()
    for key, rows in all_rows.items():
        resolved = targets.resolve(rows, choices)
        role_targets[str(key)] = {
            slug: scoring.Target(skill=slug, level=row.level, weight=row.weight)
            for slug, row in resolved.items()
            if slug in assessed
        }
        uncounted[str(key)] = tuple(
            slug for slug, row in resolved.items() if slug not in assessed and row.level
        )
    roles = catalogue_selectors.recorded_target_names([str(key) for key in all_rows])
    slugs = {skill.slug for skill in skills}
    prerequisites = [
        edge
        for edge in Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level")
        if edge[0] in slugs and edge[1] in slugs
    ]
    category_list: list[snapshot.Category] = []
    for skill in skills:
        if not category_list or category_list[-1].slug != skill.category.slug:
            category_list.append(
                snapshot.Category(
                    slug=skill.category.slug, name=skill.category.name, phase=skill.category.phase
                )
            )
    return ScoringInputs(
        inputs=inputs,
        parameters_label=label,
        evidence=evidence,
        role_targets=role_targets,
        categories={skill.slug: skill.category.slug for skill in skills},
        prerequisites=prerequisites,
        skills={
            skill.slug: SkillFacts(
                name=skill.name,
                category=skill.category.slug,
                anchors=tuple(a.description for a in skill.anchors.all()),
            )
            for skill in skills
        },
        roles=roles,
        category_list=tuple(category_list),
        checks=checks,
        uncounted=uncounted,
        target=target,
        other_names=_other_names(assessed, uncounted, target),
    )


def _other_names(
    assessed: set[str], uncounted: dict[str, tuple[str, ...]], target: snapshot.TargetChoice
) -> dict[str, str]:
    """Names of the skills a result mentions without assessing them."""
    mentioned = (
        {s for skills in uncounted.values() for s in skills} | set(target.chosen) | set(target.set_aside)
    )
    wanted = mentioned - assessed
    return dict(Skill.objects.filter(slug__in=wanted).values_list("slug", "name")) if wanted else {}


def _target_choice(assessment: Assessment) -> snapshot.TargetChoice:
    """The target an assessment measured: the one it recorded at its start, else the person's focus now."""
    recorded = assessment.target
    if not recorded.get("role"):
        profile = account_selectors.profile_get(user=assessment.user)
        key = account_selectors.focus_target(profile=profile)
        choices = account_selectors.target_choices(profile=profile)
        recorded = {
            "role": key.role if key else "",
            "seniority": key.seniority if key else "",
            "chosen": sorted(choices.chosen),
            "set_aside": sorted(choices.set_aside),
            "added": sorted(choices.added),
        }
    return snapshot.TargetChoice(
        role=recorded["role"],
        seniority=recorded["seniority"],
        chosen=tuple(recorded.get("chosen", ())),
        set_aside=tuple(recorded.get("set_aside", ())),
        added=tuple(recorded.get("added", ())),
    )


def result_history(user: User) -> list[dict[str, Any]]:
    """Readiness per role for every submitted result, oldest first (one query, no snapshots)."""
    rows = Result.objects.filter(user=user).order_by("created_at")
    return [
        {
            **{k: v for k, v in row.items() if k != "method"},
            "method": row["method"] or snapshot.LEGACY_METHOD.name,
        }
        for row in rows.values(
            "pk", "created_at", "readiness", "focus", method=F("snapshot_json__method__name")
        )
    ]


def result_pair(user, first: int | None, second: int | None) -> tuple[Result | None, Result | None]:
    """Two of the person's results to compare (default: the first and the latest)."""
    if first is None or second is None:
        ids = list(Result.objects.filter(user=user).order_by("created_at").values_list("pk", flat=True))
        if len(ids) < 2:
            return None, None
        first, second = ids[0] if first is None else first, ids[-1] if second is None else second
    pair = {r.pk: r for r in Result.objects.filter(user=user, pk__in=[first, second])}
    return pair.get(first), pair.get(second)


def latest_two_results(user) -> tuple[Result | None, Result | None]:
    """The person's previous and latest results (either may be None), their snapshots left to be
    read on access (the roadmap needs them only the first time it compares the two)."""
    return compiled.run(latest_two_results_read(user))


def latest_two_results_read(user) -> compiled.Read[tuple[Result | None, Result | None]]:
    """:func:`latest_two_results` as a read, to send with a page's other reads."""
    return compiled.then(compiled.instances(_latest_two_query(), {compiled.SOME_USER: user.pk}), _two)


def _two(latest: list[Result]) -> tuple[Result | None, Result | None]:
    return (latest[1] if len(latest) > 1 else None), (latest[0] if latest else None)


@cache
def _latest_two_query() -> compiled.CompiledQuery:
    """:func:`latest_two_results`'s query, compiled once per process."""
    return compiled.CompiledQuery.of(
        Result.objects.filter(user_id=compiled.SOME_USER).defer("snapshot_json").order_by("-created_at")[:2]
    )


def assessment_get(*, user: User, pk: int) -> Assessment | None:
    """One of the person's own assessments (None for anyone else's)."""
    return Assessment.objects.filter(pk=pk, user=user).first()


def assessment_list(*, user: User) -> list[tuple[Assessment, int | None]]:
    """The person's assessments, newest first, each with its result's id (None until submitted; one query)."""
    rows = (
        Assessment.objects.filter(user=user)
        .annotate(result_pk=F("result__pk"))
        .order_by("-started_at", "-pk")
    )
    return [(row, row.result_pk) for row in rows]


def assessment_in_progress(*, user: User) -> Assessment | None:
    """The person's unfinished assessment, if any (there is at most one)."""
    return Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS).first()


def has_submitted(*, user: User) -> bool:
    """Whether the person has submitted an assessment before (a new one is a retake)."""
    return Assessment.objects.filter(user=user, status=Assessment.Status.SUBMITTED).exists()


def result_of(*, assessment: Assessment) -> Result:
    """The result of a submitted assessment."""
    return Result.objects.get(assessment=assessment)


def result_header(*, user: User, pk: int) -> Result | None:
    """Just enough of one of the person's results to find its cached page body."""
    return Result.objects.only("pk", "user_id", "created_at").filter(pk=pk, user=user).first()


def result_get(*, pk: int) -> Result:
    return Result.objects.get(pk=pk)


def latest_result(*, user: User) -> Result | None:
    """The person's newest result, without its snapshot (one query, compiled once per process)."""
    return compiled.run(latest_result_read(user=user))


def latest_result_read(*, user: User) -> compiled.Read[Result | None]:
    """:func:`latest_result` as a read, to send with a page's other reads."""
    return compiled.then(
        compiled.instances(_latest_result_query(), {compiled.SOME_USER: user.pk}),
        lambda found: found[0] if found else None,
    )


@cache
def _latest_result_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of(
        Result.objects.filter(user_id=compiled.SOME_USER)
        .order_by("-created_at")
        .only("pk", "created_at", "readiness", "focus")[:1]
    )


def latest_full_result(*, user: User) -> Result | None:
    """The person's newest result, with its snapshot."""
    return Result.objects.filter(user=user).order_by("-created_at").first()


def has_result(*, user: User) -> bool:
    return Result.objects.filter(user=user).exists()


def personal_data(user: User) -> dict[str, Any]:
    """The person's assessments, answers and results, for their data download."""
    assessments = []
    for assessment in Assessment.objects.filter(user=user).prefetch_related(
        "ratings__skill", "answers__question", "answers__choice"
    ):
        result = Result.objects.filter(assessment=assessment).first()
        assessments.append(
            {
                "id": assessment.pk,
                "status": assessment.status,
                "started_at": assessment.started_at.isoformat(),
                "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
                "catalogue_version": assessment.catalogue_version,
                "self_ratings": {r.skill.slug: r.level for r in assessment.ratings.all()},
                "answers": [
                    {
                        "question": a.question.key,
                        "choice": a.choice.label if a.choice else None,
                        "dont_know": a.dont_know,
                        "certainty": a.certainty,
                        "answered_at": a.answered_at.isoformat() if a.answered_at else None,
                    }
                    for a in assessment.answers.all()
                ],
                "result": None
                if result is None
                else {
                    "id": result.pk,
                    "created_at": result.created_at.isoformat(),
                    "readiness": result.readiness,
                    "measurement": _measurement_export(result.snapshot),
                    "snapshot": result.snapshot_json,
                },
            }
        )
    return {"assessments": assessments}


@cache
def _progress_counts() -> dict[str, RawSQL]:
    """What :func:`time_left` counts of an assessment, as annotations: subqueries of the query that
    reads it. Written out: Django takes far longer to compile the same SQL from querysets than the
    database takes to run it."""
    quote = connection.ops.quote_name
    outer = f"{quote(Assessment._meta.db_table)}.{quote(Assessment._meta.pk.column)}"

    def count(model: type[SelfRating] | type[Answer], condition: str = "") -> RawSQL:
        table = quote(model._meta.db_table)
        column = quote(model._meta.get_field("assessment").column)
        where = f"{table}.{column} = {outer}{condition}"
        return RawSQL(f"SELECT COUNT(*) FROM {table} WHERE {where}", (), output_field=IntegerField())

    answered_at = f"{quote(Answer._meta.db_table)}.{quote(Answer._meta.get_field('answered_at').column)}"
    return {
        "progress_rated": count(SelfRating),
        "progress_answers": count(Answer),
        "progress_unanswered": count(Answer, f" AND {answered_at} IS NULL"),
    }


@cache
def _newest_result() -> dict[str, RawSQL]:
    """The id and date of the person's newest result, as annotations of the query that reads an
    assessment (both from the same row: ties on the date go to the highest id)."""
    quote = connection.ops.quote_name
    table = quote(Result._meta.db_table)
    owner = f"{quote(Assessment._meta.db_table)}.{quote(Assessment._meta.get_field('user').column)}"
    created = f"{table}.{quote(Result._meta.get_field('created_at').column)}"
    pk = f"{table}.{quote(Result._meta.pk.column)}"
    where = f"{table}.{quote(Result._meta.get_field('user').column)} = {owner}"

    def newest(column: str, output: IntegerField | DateTimeField) -> RawSQL:
        sql = f"SELECT {column} FROM {table} WHERE {where} ORDER BY {created} DESC, {pk} DESC LIMIT 1"
        return RawSQL(sql, (), output_field=output)

    return {
        "newest_result_pk": newest(pk, IntegerField()),
        "newest_result_at": newest(created, DateTimeField()),
    }


def quiz_assessment_get(*, user: User, pk: int) -> Assessment | None:
    """One of the person's own assessments (None for anyone else's), read for a quiz page: with what
    :func:`time_left` counts and the person's newest result (:func:`newest_result_of`) in the same
    query, as they stand when it is read (for a page that saves nothing first). The query reads the
    catalogue's version too, kept for the request (the quiz's skills and questions)."""
    found = compiled.read(_quiz_assessment_query(), {compiled.SOME_PK: pk, compiled.SOME_USER: user.pk})
    if not found:
        return None
    catalogue_selectors.catalogue_version_read(found[0].catalogue_now)
    return found[0]


@cache
def _quiz_assessment_query() -> compiled.CompiledQuery:
    annotations = {
        **_progress_counts(),
        **_newest_result(),
        "catalogue_now": catalogue_selectors.catalogue_version_subquery(),
    }
    return compiled.CompiledQuery.of(
        Assessment.objects.filter(pk=compiled.SOME_PK, user_id=compiled.SOME_USER)
        .annotate(**annotations)
        .order_by()
    )


def newest_result_of(assessment: Assessment) -> Result | None:
    """The id and date of the person's newest result (as :func:`latest_result`, without the rest):
    read with the assessment by :func:`quiz_assessment_get`, else in one query."""
    names = _newest_result()
    if not all(hasattr(assessment, name) for name in names):
        newest = Result.objects.filter(user_id=assessment.user_id).order_by("-created_at", "-pk")
        return newest.only("pk", "user_id", "created_at").first()
    pk, created_at = (getattr(assessment, name) for name in names)
    return None if pk is None else Result(pk=pk, user_id=assessment.user_id, created_at=created_at)


def time_left(assessment: Assessment, index: int) -> int:
    """At most how many minutes the rest of the assessment takes from page ``index`` on (this page included).

    Counted when the assessment was read by :func:`quiz_assessment_get`, else in one query."""
    counts = _progress_counts()
    counted = assessment
    if not all(hasattr(counted, name) for name in counts):
        counted = Assessment.objects.filter(pk=assessment.pk).annotate(**counts).get()
    rated, asked, unanswered = (int(getattr(counted, name)) for name in counts)
    unrated = len(assessment.scope) - rated if assessment.scope else 0
    to_assign = max(assessment.budget - asked, 0) if assessment.budget else 0
    return pacing.minutes(max(unrated, 0), unanswered + to_assign)


def assessment_minutes(*, user: User, length: str = pacing.DEFAULT.key) -> int:
    """At most how many minutes a new assessment of the person takes (every page states the same)."""
    scope = scope_for(user=user)
    skills = len(scope.skills) if scope else 0
    choice = pacing.LENGTHS.get(length, pacing.DEFAULT)
    return pacing.minutes(skills, pacing.budget(choice, skills))


def _measurement_export(frozen: snapshot.ResultSnapshot) -> dict[str, Any]:
    """What a result measured, plainly: per skill the level, its 90% range and probabilities, and
    every check asked; per target the readiness and its interval."""
    return {
        "method": {
            "name": frozen.method.name,
            "version": frozen.method.version,
            "parameters": frozen.method.parameters,
        },
        "skills": {
            skill.slug: {
                "rated": skill.claim,
                "level": skill.estimate.level,
                "low": skill.estimate.low,
                "high": skill.estimate.high,
                "probabilities": list(skill.estimate.probabilities),
                "checks": [
                    {
                        "question": check.question,
                        "level": check.level,
                        "outcome": "dont_know"
                        if check.is_correct is None
                        else ("right" if check.is_correct else "wrong"),
                        "certainty": check.certainty,
                        "seen_before": check.seen_before,
                    }
                    for check in skill.evidence
                ],
            }
            for skill in frozen.skills
        },
        "readiness": {
            slug: {"value": role.readiness, "low": role.readiness_low, "high": role.readiness_high}
            for slug, role in frozen.roles.items()
        },
        "rating_bias": None
        if frozen.calibration is None
        else {
            "levels": frozen.calibration.bias,
            "low": frozen.calibration.low,
            "high": frozen.calibration.high,
            "checked_skills": frozen.calibration.checked_skills,
        },
    }


# --- the dashboard and the progress page: light reads in written-out SQL --------------------------
# These pages are read far more often than anything here changes. Django takes longer to compile a
# query than the database takes to run these small ones, so they are written out once (like
# :func:`_progress_counts`) and their values converted as the ORM converts the same columns.


@cache
def column_converters(model_field: Any) -> tuple[Any, list[Any]]:
    """The column of ``model_field`` and the converters the ORM runs on its values."""
    column = model_field.get_col(model_field.model._meta.db_table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)


def column_value(model_field: Any, value: Any) -> Any:
    """``value`` of ``model_field``'s column as read by a written-out query, converted as the ORM
    converts it (dates made aware and JSON parsed on SQLite, nothing to do on PostgreSQL)."""
    column, converters = column_converters(model_field)
    for converter in converters:
        value = converter(value, column, connection)
    return value


@dataclass(frozen=True)
class LatestResult:
    """What the dashboard shows of the person's newest result (no snapshot)."""

    pk: int
    created_at: datetime
    focus: str
    readiness: dict[str, float]


@dataclass(frozen=True)
class InProgress:
    """The person's unfinished assessment: where the dashboard's "Resume" link leads."""

    pk: int
    furthest_step: int


@dataclass(frozen=True)
class DashboardState:
    """What the dashboard starts from: the person's profile (as ``accounts.selectors.profile_get``
    gives it), their newest result and their assessment in progress."""

    profile: Profile
    latest: LatestResult | None
    in_progress: InProgress | None


def _profile_fields() -> tuple[list[Any], list[Any]]:
    role: Any = Profile._meta.get_field("target_role").related_model
    return list(Profile._meta.concrete_fields), list(role._meta.concrete_fields)


@cache
def _dashboard_state_sql() -> str:
    quote = connection.ops.quote_name
    profile_fields, role_fields = _profile_fields()
    user, profile, result, assessment = (quote(m._meta.db_table) for m in (User, Profile, Result, Assessment))
    role = quote(role_fields[0].model._meta.db_table)
    columns = [f"p.{quote(f.column)}" for f in profile_fields] + [f"t.{quote(f.column)}" for f in role_fields]
    columns += [f"r.{quote(c)}" for c in ("id", "created_at", "focus", "readiness")]
    columns += [f"a.{quote(c)}" for c in ("id", "furthest_step")]
    columns += [catalogue_selectors.catalogue_version_sql()]
    return (
        f"SELECT {', '.join(columns)} FROM {user} u"
        f" LEFT JOIN {profile} p ON p.{quote('user_id')} = u.{quote('id')}"
        f" LEFT JOIN {role} t ON t.{quote('id')} = p.{quote('target_role_id')}"
        f" LEFT JOIN {result} r ON r.{quote('id')} = (SELECT n.{quote('id')} FROM {result} n"
        f" WHERE n.{quote('user_id')} = u.{quote('id')}"
        f" ORDER BY n.{quote('created_at')} DESC, n.{quote('id')} DESC LIMIT 1)"
        f" LEFT JOIN {assessment} a ON a.{quote('user_id')} = u.{quote('id')} AND a.{quote('status')} = %s"
        f" WHERE u.{quote('id')} = %s"
    )


def _from_row(fields: list[Any], values: Iterable[Any]) -> Any:
    """A model instance from a written-out query's columns, as the ORM builds it."""
    converted = [column_value(f, v) for f, v in zip(fields, values, strict=True)]
    return compiled.loaded(fields[0].model, tuple(f.attname for f in fields), converted)


def dashboard_state(*, user: User) -> DashboardState:
    """The person's profile (as ``profile_get``), their newest result (as :func:`latest_result`) and
    their assessment in progress (as :func:`assessment_in_progress`; at most one), in one query
    (and the catalogue's version, kept for the request: the default role of a person who chose none
    and the targets' names need no query of their own)."""
    with connection.cursor() as cursor:
        cursor.execute(_dashboard_state_sql(), [Assessment.Status.IN_PROGRESS.value, user.pk])
        row = cursor.fetchone() or ()
    profile_fields, role_fields = _profile_fields()
    if row:
        catalogue_selectors.catalogue_version_read(row[-1])
        row = row[:-1]
    if not row or row[0] is None:
        profile = Profile(user=user)
    else:
        profile = _from_row(profile_fields, row[: len(profile_fields)])
        if row[len(profile_fields)] is not None:
            profile.target_role = _from_row(role_fields, row[len(profile_fields) : -6])
    profile.user = user  # the request's user: showing the profile's name needs no query
    if profile.target_role is None:
        profile.target_role = account_selectors.focus_role(profile=profile)
    last: tuple[Any, ...] = tuple(row[-6:]) if row else (None,) * 6
    pk, created_at, focus, readiness, in_progress, furthest_step = last
    latest = None
    if pk is not None:
        latest = LatestResult(
            pk=pk,
            created_at=column_value(Result._meta.get_field("created_at"), created_at),
            focus=focus,
            readiness=column_value(Result._meta.get_field("readiness"), readiness),
        )
    return DashboardState(
        profile, latest, None if in_progress is None else InProgress(in_progress, furthest_step)
    )


# A result never changes once written: what the progress page shows of one is kept per process by
# its id and date (a history is then read as ids and dates alone).
_HISTORY_ROWS: dict[tuple[int, int, datetime], dict[str, Any]] = {}
HISTORY_ROWS_KEPT = 4096


@cache
def _result_dates_sql() -> str:
    quote = connection.ops.quote_name
    user, result = quote(User._meta.db_table), quote(Result._meta.db_table)
    # From the person's row: one row even without a result, for the catalogue's version.
    return (
        f"SELECT {catalogue_selectors.catalogue_version_sql()}, r.{quote('id')}, r.{quote('created_at')} FROM {user} u"
        f" LEFT JOIN {result} r ON r.{quote('user_id')} = u.{quote('id')}"
        f" WHERE u.{quote('id')} = %s ORDER BY r.{quote('created_at')}"
    )


def progress_history(user: User) -> list[dict[str, Any]]:
    """The rows of :func:`result_history` (oldest first, the same values), from one query of ids and
    dates once every result in it has been read (those not yet read: one more query). The query
    reads the catalogue's version too, kept for the request (the targets' and steps' names)."""
    return compiled.run(progress_history_read(user))


def progress_history_read(user: User) -> compiled.Read[list[dict[str, Any]]]:
    """:func:`progress_history` as a read, to send with a page's other reads."""
    return compiled.Read(_result_dates_sql(), [user.pk], partial(_progress_history_of, user))


def _progress_history_of(user: User, _db: Any, dates: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    if dates:
        catalogue_selectors.catalogue_version_read(dates[0][0])
    created = Result._meta.get_field("created_at")
    keys = [(user.pk, pk, column_value(created, at)) for _version, pk, at in dates if pk is not None]
    found = {key: _HISTORY_ROWS.get(key) for key in keys}
    missing = [key[1] for key, row in found.items() if row is None]
    if missing:
        read = Result.objects.filter(user=user, pk__in=missing).values(
            "pk", "created_at", "readiness", "focus", method=F("snapshot_json__method__name")
        )
        for values in read:
            key = (user.pk, values["pk"], values["created_at"])
            shown: dict[str, Any] = {
                **{k: v for k, v in values.items() if k != "method"},
                "method": values["method"] or snapshot.LEGACY_METHOD.name,
            }
            found[key] = caching.kept(_HISTORY_ROWS, key, partial(dict, shown), HISTORY_ROWS_KEPT)
    # A copy of each row: the page's code may add to it, never to the kept one.
    return [dict(row) for key in keys if (row := found[key]) is not None]
