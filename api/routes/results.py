"""Results (read from their frozen snapshot, as the results page) and progress over time."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from ninja import Path, Query, Router

from assessments import selectors as assessment_selectors
from catalogue import selectors as catalogue_selectors
from roadmap import selectors as roadmap_selectors

from .. import errors, presenters, schemas

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest

router = Router(tags=["results"])

MSG_NO_RESULT = "No such result."
MSG_COMPARE = "Choose two of your own results to compare (`from` and `to`)."


@router.get(
    "/results",
    response={200: list[schemas.ResultSummaryOut], **errors.PRIVATE},
    operation_id="results_list",
    summary="Your results, oldest first",
)
def results_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [presenters.result_summary(row) for row in assessment_selectors.result_history(request.user)]


@router.get(
    "/results/{id}",
    response={200: schemas.ResultOut, 404: schemas.ErrorOut, **errors.PRIVATE, **errors.PARAMETERS},
    operation_id="result_get",
    summary="One of your results",
    description=(
        "What the results page shows, from the result frozen at submission: per skill the claim, "
        "the most probable level, its 90% range and the probabilities of levels 0-4; readiness with "
        "its 90% interval for the focus target and every other, overall and per category; the "
        "scoring method and its version."
    ),
)
def result_get(
    request: AuthenticatedHttpRequest,
    id: int = Path(..., ge=1, le=errors.MAX_ID, description="The result's id."),
) -> dict[str, Any]:
    header = assessment_selectors.result_header(user=request.user, pk=id)
    if header is None:
        raise errors.not_found(MSG_NO_RESULT)
    return presenters.result(assessment_selectors.result_get(pk=header.pk))


@router.get(
    "/progress",
    response={200: schemas.ProgressOut, 404: schemas.ErrorOut, **errors.PRIVATE, **errors.PARAMETERS},
    operation_id="progress_get",
    summary="Your progress over time",
    description=(
        "What the progress page shows: readiness for the target of each result, what changed between "
        "two results (default: the first and the latest; `from` and `to` choose others, 404 when one "
        "is not yours), the steps done and the study time logged per week."
    ),
)
def progress_get(
    request: AuthenticatedHttpRequest,
    from_id: int | None = Query(None, alias="from", ge=1, le=errors.MAX_ID),
    to_id: int | None = Query(None, alias="to", ge=1, le=errors.MAX_ID),
) -> dict[str, Any]:
    user = request.user
    history = assessment_selectors.result_history(user)
    role_names = catalogue_selectors.role_names()
    names = {h["focus"]: catalogue_selectors.target_name(h["focus"], role_names) for h in history}
    first, second = assessment_selectors.result_pair(user, from_id, to_id)
    if (from_id is not None or to_id is not None) and (first is None or second is None):
        raise errors.not_found(MSG_COMPARE)
    weeks = roadmap_selectors.study_weeks(user=user, today=timezone.localdate())
    total = sum((week.hours for week in weeks), Decimal(0))
    return {
        "history": presenters.history(history, names),
        "targets": [{"key": key, "name": name} for key, name in names.items()],
        "comparison": presenters.comparison(first, second, names) if first and second else None,
        "completed": [
            {"key": p.key, "title": title, "completed_at": p.completed_at}
            for p, title in roadmap_selectors.completed_steps(user)
            if p.completed_at is not None
        ],
        "study_weeks": presenters.study_weeks(weeks),
        "study_total_hours": presenters.hours_text(total),
        "study_total_minutes": presenters.minutes(total),
    }
