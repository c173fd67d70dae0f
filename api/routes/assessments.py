"""Assessments: start one, read it with the page to answer next, answer that page, submit, discard.

Answers go through the quiz pages' own forms and services, so the API refuses what the pages
refuse, with the same messages; a refused page saves nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from ninja import Path, Router, Status

from assessments import pacing, selectors, services
from assessments.exceptions import AssessmentError
from assessments.forms import DONT_KNOW, MSG_STALE_PAGE, ChecksForm, RatingsForm

from .. import auth, errors, presenters, schemas

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest
    from assessments.models import Assessment

router = Router(tags=["assessments"])

MSG_NO_ASSESSMENT = "No such assessment."
MSG_REVIEW = "Every page is answered: submit the assessment (POST /assessments/{id}/submit)."
MSG_PAGE_GONE = "This page's skills left the catalogue; discard the assessment and start a new one."
MSG_SEND_RATINGS = "This is a ratings page: send `ratings`, one per skill on the page."
MSG_SEND_ANSWERS = "This is a page of knowledge checks: send `answers`, one per check on the page."
MSG_SKILL_NOT_ON_PAGE = "This skill is not on this page; nothing was saved."
MSG_TWICE = "Sent twice; nothing was saved."
MSG_BOTH = "Choose an answer or \u201cI don't know\u201d, not both."

AssessmentId = Path(..., ge=1, le=errors.MAX_ID, description="The assessment's id.")


def _own(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    if assessment is None:
        raise errors.not_found(MSG_NO_ASSESSMENT)
    return assessment


def _result_id(assessment: Assessment) -> int | None:
    return None if assessment.is_in_progress else selectors.result_of(assessment=assessment).pk


def _page(assessment: Assessment, index: int) -> dict[str, Any]:
    page = selectors.step_page(assessment, index)
    if page.kind == "rate" and page.category is not None:
        return presenters.page(page, ratings=selectors.rating_rows(assessment, page.category))
    if page.kind == "round":
        return presenters.page(page, checks=selectors.check_rows(assessment, None, page.round))
    if page.kind == "check" and page.category is not None:
        return presenters.page(page, checks=selectors.check_rows(assessment, page.category))
    return presenters.page(page)


def _detail(assessment: Assessment) -> dict[str, Any]:
    current = _page(assessment, presenters.current_step(assessment)) if assessment.is_in_progress else None
    return presenters.assessment(assessment, _result_id(assessment), current)


@router.get(
    "/assessments",
    response={200: list[schemas.AssessmentSummaryOut], **errors.PRIVATE},
    operation_id="assessments_list",
    summary="Your assessments, newest first",
)
def assessments_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [
        presenters.assessment_summary(assessment, result_id)
        for assessment, result_id in selectors.assessment_list(user=request.user)
    ]


@router.post(
    "/assessments",
    response={200: schemas.AssessmentOut, 201: schemas.AssessmentOut, 409: schemas.ErrorOut, **errors.WRITE},
    operation_id="assessment_start",
    summary="Start an assessment (or get the one in progress)",
    description=(
        "Starts an assessment of your target's skills: 201 with the new assessment, or 200 with the "
        "one already in progress (there is at most one). 409 when the catalogue has nothing to assess."
    ),
)
def assessment_start(
    request: AuthenticatedHttpRequest, payload: schemas.AssessmentStartIn
) -> Status[dict[str, Any]]:
    auth.require_write(request)
    existing = selectors.assessment_in_progress(user=request.user)
    if existing is not None:
        return Status(200, _detail(existing))
    if payload.length not in pacing.LENGTHS:
        raise errors.refused(services.MSG_UNKNOWN_LENGTH, "body", "length")
    try:
        assessment = services.assessment_start(user=request.user, length=payload.length)
    except AssessmentError as error:
        raise errors.conflict(str(error)) from error
    return Status(201, _detail(assessment))


@router.get(
    "/assessments/{id}",
    response={200: schemas.AssessmentOut, 404: schemas.ErrorOut, **errors.PRIVATE, **errors.PARAMETERS},
    operation_id="assessment_get",
    summary="One of your assessments, with the page to answer next",
)
def assessment_get(request: AuthenticatedHttpRequest, id: int = AssessmentId) -> dict[str, Any]:
    return _detail(_own(request, id))


def _ratings_data(
    payload: schemas.RoundIn, assessment: Assessment, index: int, category: Any
) -> tuple[RatingsForm, dict[str, tuple[str | int, ...]]]:
    if payload.answers is not None or payload.ratings is None:
        raise errors.refused(MSG_SEND_RATINGS, "body", "ratings")
    rows = selectors.rating_rows(assessment, category)
    by_slug = {skill.slug: skill for skill, _anchors, _saved in rows}
    data: dict[str, Any] = {"step": index}
    where: dict[str, tuple[str | int, ...]] = {"step": ("body", "step")}
    counts = Counter(rating.skill for rating in payload.ratings)
    for position, rating in enumerate(payload.ratings):
        skill = by_slug.get(rating.skill)
        if skill is None:
            raise errors.refused(MSG_SKILL_NOT_ON_PAGE, "body", "ratings", position, "skill")
        if counts[rating.skill] > 1:
            raise errors.refused(MSG_TWICE, "body", "ratings", position, "skill")
        data[f"skill_{skill.pk}"] = rating.level
        where[f"skill_{skill.pk}"] = ("body", "ratings", position, "level")
    for skill in by_slug.values():
        where.setdefault(f"skill_{skill.pk}", ("body", "ratings"))
    return RatingsForm(data, step=index, rows=rows), where


def _checks_data(
    payload: schemas.RoundIn, assessment: Assessment, index: int, page: Any
) -> tuple[ChecksForm, dict[str, tuple[str | int, ...]]]:
    if payload.ratings is not None or payload.answers is None:
        raise errors.refused(MSG_SEND_ANSWERS, "body", "answers")
    if page.kind == "round":
        rows = selectors.check_rows(assessment, None, page.round)
    else:
        rows = selectors.check_rows(assessment, page.category)
    on_page = {answer.pk for answer, _choices in rows}
    data: dict[str, Any] = {"step": index}
    where: dict[str, tuple[str | int, ...]] = {"step": ("body", "step")}
    counts = Counter(item.answer_id for item in payload.answers)
    for position, item in enumerate(payload.answers):
        if item.answer_id not in on_page:
            raise errors.refused(services.MSG_NOT_ON_PAGE, "body", "answers", position, "answer_id")
        if counts[item.answer_id] > 1:
            raise errors.refused(MSG_TWICE, "body", "answers", position, "answer_id")
        if item.dont_know and item.choice_id is not None:
            raise errors.refused(MSG_BOTH, "body", "answers", position, "choice_id")
        if item.dont_know:
            data[f"answer_{item.answer_id}"] = DONT_KNOW
        elif item.choice_id is not None:
            data[f"answer_{item.answer_id}"] = str(item.choice_id)
        data[f"certainty_{item.answer_id}"] = item.certainty
        where[f"answer_{item.answer_id}"] = ("body", "answers", position, "choice_id")
        where[f"certainty_{item.answer_id}"] = ("body", "answers", position, "certainty")
    for answer_id in on_page:
        where.setdefault(f"answer_{answer_id}", ("body", "answers"))
    return ChecksForm(data, step=index, rows=rows), where


@router.post(
    "/assessments/{id}/round",
    response={200: schemas.AssessmentOut, 404: schemas.ErrorOut, 409: schemas.ErrorOut, **errors.WRITE},
    operation_id="assessment_answer",
    summary="Answer the current page (ratings or knowledge checks)",
    description=(
        "Answers the page in `current` (or an earlier page, by its `step`): `ratings` on a ratings "
        "page (every skill on it), `answers` on a page of checks (every check on it: a choice with "
        "how sure you are, or `dont_know`). The quiz pages' rules apply; a refused page saves "
        "nothing (422). 409 once the assessment is submitted, or when only the review is left."
    ),
)
def assessment_answer(
    request: AuthenticatedHttpRequest, payload: schemas.RoundIn, id: int = AssessmentId
) -> dict[str, Any]:
    auth.require_write(request)
    assessment = _own(request, id)
    if not assessment.is_in_progress:
        raise errors.conflict(services.MSG_ALREADY_SUBMITTED)
    index = presenters.current_step(assessment) if payload.step is None else payload.step
    if index < 0 or index >= len(assessment.steps):
        raise errors.refused(MSG_STALE_PAGE, "body", "step")
    if index > assessment.furthest_step:
        raise errors.refused(services.MSG_OUT_OF_ORDER, "body", "step")
    page = selectors.step_page(assessment, index)
    if page.kind == "review":
        raise errors.conflict(MSG_REVIEW)
    if page.category is None and page.kind != "round":
        raise errors.conflict(MSG_PAGE_GONE)
    form: RatingsForm | ChecksForm
    if page.kind == "rate":
        form, where = _ratings_data(payload, assessment, index, page.category)
    else:
        form, where = _checks_data(payload, assessment, index, page)
    if not form.is_valid():
        raise errors.form_refused(form.errors, where)
    try:
        if isinstance(form, RatingsForm):
            services.ratings_save(assessment=assessment, step=index, levels=form.levels())
        else:
            services.checks_save(assessment=assessment, step=index, responses=form.responses())
    except AssessmentError as error:
        if str(error) == services.MSG_ALREADY_SUBMITTED:
            raise errors.conflict(str(error)) from error
        raise errors.refused(str(error), "body") from error
    return _detail(_own(request, id))


@router.post(
    "/assessments/{id}/submit",
    response={200: schemas.AssessmentOut, 404: schemas.ErrorOut, 409: schemas.ErrorOut, **errors.WRITE},
    operation_id="assessment_submit",
    summary="Submit a finished assessment and get its result",
    description=(
        "Scores the assessment and freezes its result (`result_id`, GET /results/{id}); the plan is "
        "rebuilt from it. 409 when a page is unfinished or the assessment was submitted already."
    ),
)
def assessment_submit(request: AuthenticatedHttpRequest, id: int = AssessmentId) -> dict[str, Any]:
    auth.require_write(request)
    assessment = _own(request, id)
    if not assessment.is_in_progress:
        raise errors.conflict(services.MSG_ALREADY_SUBMITTED)
    try:
        services.assessment_submit(assessment=assessment)
    except AssessmentError as error:
        raise errors.conflict(str(error)) from error
    return _detail(_own(request, id))


@router.delete(
    "/assessments/{id}",
    response={204: None, 404: schemas.ErrorOut, 409: schemas.ErrorOut, **errors.WRITE},
    operation_id="assessment_discard",
    summary="Discard an unfinished assessment",
    description="Deletes an assessment in progress with its answers. 409 once it is submitted.",
)
def assessment_discard(request: AuthenticatedHttpRequest, id: int = AssessmentId) -> HttpResponse:
    auth.require_write(request)
    assessment = _own(request, id)
    if not assessment.is_in_progress:
        raise errors.conflict(services.MSG_ALREADY_SUBMITTED)
    services.assessment_discard(assessment=assessment)
    return HttpResponse(status=204)
