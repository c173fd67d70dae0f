"""The plan (roadmap): its steps with their dates and status, marking a step, and study time logged."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from ninja import Path, Query, Router, Status

from accounts import selectors as account_selectors
from roadmap import presenters as roadmap_presenters
from roadmap import selectors, services
from roadmap.forms import StepProgressForm, StudySessionForm

from .. import auth, errors, presenters, schemas

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest
    from roadmap.selectors import PlanRow

router = Router(tags=["plan"])

MSG_NO_STEP = "No such step in your plan."
# Step keys are made of slugs, level numbers and result tags, joined by colons.
STEP_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,100}")

StepKey = Path(..., description="The step's key, e.g. `skill:python:2` (GET /plan).")


def _own_row(request: AuthenticatedHttpRequest, key: str) -> PlanRow:
    row = selectors.plan_row(user=request.user, key=key) if STEP_KEY.fullmatch(key) else None
    if row is None:
        raise errors.not_found(MSG_NO_STEP)
    return row


@router.get(
    "/plan",
    response={200: schemas.PlanOut, **errors.PRIVATE},
    operation_id="plan_get",
    summary="Your plan",
    description=(
        "The steps of your plan in order (empty before your first result): each with its title, "
        "skill, levels, hours, planned dates, status, notes and the study time logged on it."
    ),
)
def plan_get(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    rows = selectors.plan_rows(request.user)
    profile = account_selectors.profile_get(user=request.user)
    logged = selectors.study_hours_by_step(user=request.user) if rows else {}
    context = roadmap_presenters.plan_context(rows, profile=profile, today=timezone.localdate())
    return {
        "steps": [presenters.plan_step(row, logged.get(row.step.key, Decimal(0))) for row in rows],
        "hours_planned": context["hours_planned"],
        "hours_done": context["hours_done"],
        "hours_left": context["hours_left"],
        "percent_done": context["percent_done"],
        "finish": context["finish"],
        "hours_per_week": profile.hours_per_week,
    }


@router.get(
    "/plan/steps/{key}",
    response={200: schemas.PlanStepOut, 404: schemas.ErrorOut, **errors.PRIVATE},
    operation_id="plan_step_get",
    summary="One step of your plan",
)
def plan_step_get(request: AuthenticatedHttpRequest, key: str = StepKey) -> dict[str, Any]:
    row = _own_row(request, key)
    return presenters.plan_step(row, selectors.study_hours_for_step(user=request.user, key=key))


@router.patch(
    "/plan/steps/{key}",
    response={200: schemas.PlanStepOut, 404: schemas.ErrorOut, **errors.WRITE},
    operation_id="plan_step_mark",
    summary="Mark a step: status, notes, evidence links",
    description=(
        "Changes the fields sent and keeps the others, with the roadmap page's rules (notes up to "
        "5000 characters, at most 5 http(s) evidence links). A refused change saves nothing (422)."
    ),
)
def plan_step_mark(
    request: AuthenticatedHttpRequest, payload: schemas.StepPatch, key: str = StepKey
) -> dict[str, Any]:
    auth.require_write(request)
    row = _own_row(request, key)
    sent = payload.model_dump(exclude_unset=True)
    data = {
        "status": sent.get("status", row.status),
        "notes": sent.get("notes", row.progress.notes if row.progress else ""),
        "evidence": "\n".join(sent.get("evidence", row.progress.evidence if row.progress else [])),
    }
    if any("\n" in line or "\r" in line for line in sent.get("evidence", [])):
        raise errors.refused("One address per item, without line breaks.", "body", "evidence")
    form = StepProgressForm(data)
    if not form.is_valid():
        raise errors.form_refused(form.errors)
    try:
        services.step_mark(
            user=request.user,
            key=key,
            update=services.StepUpdate(
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
                evidence=form.cleaned_data["evidence"],
            ),
        )
    except services.RoadmapError as error:
        raise errors.not_found(str(error)) from error
    return plan_step_get(request, key)


@router.get(
    "/plan/steps/{key}/sessions",
    response={
        200: list[schemas.StudySessionOut],
        404: schemas.ErrorOut,
        **errors.PRIVATE,
        **errors.PARAMETERS,
    },
    operation_id="plan_step_sessions",
    summary="Study time logged on a step, newest first",
)
def plan_step_sessions(
    request: AuthenticatedHttpRequest,
    key: str = StepKey,
    limit: int = Query(20, ge=1, le=100, description="At most this many sessions."),
) -> list[dict[str, Any]]:
    _own_row(request, key)
    sessions = selectors.study_step_sessions(user=request.user, key=key, limit=limit)
    return [presenters.study_session(session) for session in sessions]


@router.post(
    "/plan/steps/{key}/sessions",
    response={201: schemas.StudySessionOut, 404: schemas.ErrorOut, **errors.WRITE},
    operation_id="plan_step_session_log",
    summary="Log study time on a step",
    description=(
        "Logs hours (0.25 to 24) on a day (today unless given; not in the future, within the last "
        "365 days), at most 24 hours a day in all, with the study log page's rules (422 otherwise)."
    ),
)
def plan_step_session_log(
    request: AuthenticatedHttpRequest, payload: schemas.StudySessionIn, key: str = StepKey
) -> Status[dict[str, Any]]:
    auth.require_write(request)
    _own_row(request, key)
    today = timezone.localdate()
    day = payload.day if payload.day is not None else today
    form = StudySessionForm(
        {"hours": str(payload.hours), "day": day.isoformat(), "note": payload.note}, today=today
    )
    if not form.is_valid():
        raise errors.form_refused(form.errors)
    try:
        session = services.study_session_log(
            user=request.user,
            key=key,
            day=form.cleaned_data["day"],
            hours=form.cleaned_data["hours"],
            note=form.cleaned_data["note"],
            today=today,
        )
    except services.RoadmapError as error:
        if str(error) == services.MSG_UNKNOWN_STEP:
            raise errors.not_found(MSG_NO_STEP) from error
        raise errors.refused(str(error), "body") from error
    return Status(201, presenters.study_session(session))
