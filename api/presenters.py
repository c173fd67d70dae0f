"""Shape what the selectors read into the API's response bodies (no queries, no writes).

Results are read from their frozen snapshot alone, as the results page reads them: nothing is
recomputed, so the API and the page always say the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assessments import presenters as assessment_presenters
from assessments.snapshot import ResultSnapshot, RoleResult
from roadmap import planner

if TYPE_CHECKING:
    from accounts.models import Profile, User
    from assessments.models import Answer, Assessment, Result
    from assessments.selectors import StepPage
    from catalogue.models import Choice, LevelAnchor, Skill
    from roadmap.models import StudySession
    from roadmap.selectors import PlanRow


def hours_text(hours: Decimal) -> str:
    """Hours as a plain decimal string ("1.5", "2")."""
    return f"{hours.normalize():f}"


def minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


# --- profile -------------------------------------------------------------------------------------


def profile(user: User, profile: Profile) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "email": user.email,
        "display_name": profile.display_name,
        "hours_per_week": profile.hours_per_week,
        "target_role": profile.target_role.slug if profile.target_role else None,
        "seniority": profile.seniority,
        "experience_level": profile.experience_level,
        "country": profile.country.code if profile.country else "",
        "city": profile.city,
        "weekly_email": profile.weekly_email,
        "onboarded": profile.onboarded_at is not None,
    }


def profile_form_data(profile: Profile) -> dict[str, Any]:
    """The profile as the profile page's form posts it (the role by slug)."""
    return {
        "display_name": profile.display_name,
        "hours_per_week": profile.hours_per_week,
        "target_role": profile.target_role.slug if profile.target_role else "",
        "experience_level": profile.experience_level,
        "country": profile.country.code if profile.country else "",
        "city": profile.city,
        "weekly_email": profile.weekly_email,
    }


# --- assessments -------------------------------------------------------------------------------


def current_step(assessment: Assessment) -> int:
    """The page to answer next: the furthest one reached (the review once every page is done)."""
    return min(assessment.furthest_step, len(assessment.steps) - 1)


def assessment_summary(assessment: Assessment, result_id: int | None) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "status": assessment.status,
        "started_at": assessment.started_at,
        "submitted_at": assessment.submitted_at,
        "length": assessment.length,
        "result_id": result_id,
    }


def rating_items(rows: Sequence[tuple[Skill, list[LevelAnchor], int | None]]) -> list[dict[str, Any]]:
    return [
        {
            "skill": skill.slug,
            "name": skill.name,
            "levels": [{"level": a.level, "description": a.description} for a in anchors],
            "saved_level": saved,
        }
        for skill, anchors, saved in rows
    ]


def check_items(rows: Sequence[tuple[Answer, list[Choice]]]) -> list[dict[str, Any]]:
    return [
        {
            "answer_id": answer.pk,
            "skill": answer.skill.slug,
            "question": answer.question.key,
            "prompt": answer.question.prompt,
            "choices": [{"id": c.pk, "text": c.text} for c in choices],
            "chosen_id": answer.choice_id,
            "dont_know": answer.dont_know,
            "certainty": answer.certainty,
            "answered": answer.answered_at is not None,
        }
        for answer, choices in rows
    ]


def page(
    step_page: StepPage,
    ratings: Sequence[tuple[Skill, list[LevelAnchor], int | None]] = (),
    checks: Sequence[tuple[Answer, list[Choice]]] = (),
) -> dict[str, Any]:
    return {
        "step": step_page.index,
        "key": step_page.key,
        "kind": step_page.kind,
        "category": step_page.category.slug if step_page.category else None,
        "category_name": step_page.category.name if step_page.category else None,
        "round": step_page.round,
        "total_steps": step_page.total,
        "ratings": rating_items(ratings),
        "checks": check_items(checks),
    }


def assessment(
    assessment: Assessment, result_id: int | None, current: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        **assessment_summary(assessment, result_id),
        "budget": assessment.budget,
        "steps": list(assessment.steps),
        "furthest_step": assessment.furthest_step,
        "current": current,
    }


# --- results ---------------------------------------------------------------------------------------


def _interval(low: float | None, high: float | None) -> dict[str, float] | None:
    return None if low is None or high is None else {"low": low, "high": high}


def role_readiness(frozen: ResultSnapshot, key: str, role: RoleResult) -> dict[str, Any]:
    """Readiness for one role target, overall and per category, with the 90% intervals."""
    return {
        "key": key,
        "name": role.name,
        "readiness": role.readiness,
        "percent": assessment_presenters.percent(role.readiness),
        "interval": _interval(role.readiness_low, role.readiness_high),
        "by_category": [
            {
                "category": c.slug,
                "name": c.name,
                "readiness": role.by_category.get(c.slug),
                "percent": assessment_presenters.percent(role.by_category.get(c.slug)),
                "interval": _interval(*role.by_category_interval[c.slug])
                if c.slug in role.by_category_interval
                else None,
            }
            for c in frozen.categories
            if c.slug in role.by_category
        ],
        "strengths": list(role.strengths),
        "top_gaps": list(role.top_gaps),
        "uncounted": list(role.uncounted),
    }


def result(result: Result) -> dict[str, Any]:
    """A result as its snapshot froze it: per skill the claim, the level, its range and probabilities;
    readiness with its interval for every target, the focus first."""
    frozen = result.snapshot
    focus = frozen.role()
    focus_key = next((k for k, r in frozen.roles.items() if r is focus), frozen.focus)
    skills = []
    for skill in frozen.skills:
        gap = focus.skills.get(skill.slug) if focus else None
        estimate = skill.estimate
        skills.append(
            {
                "slug": skill.slug,
                "name": skill.name,
                "category": skill.category,
                "claim": skill.claim,
                "level": estimate.level,
                "low": estimate.low,
                "high": estimate.high,
                "probabilities": list(estimate.probabilities),
                "calibration": estimate.calibration,
                "reason": estimate.reason,
                "target": gap.target if gap else None,
                "gap": gap.gap if gap else None,
                "checks": len(skill.evidence),
            }
        )
    calibration = frozen.calibration
    return {
        "id": result.pk,
        "created_at": result.created_at,
        "catalogue_version": frozen.catalogue_version or result.catalogue_version,
        "schema_version": frozen.schema_version,
        "method": {
            "name": frozen.method.name,
            "version": frozen.method.version,
            "parameters": frozen.method.parameters,
        },
        "focus": frozen.focus,
        "target": {
            "role": frozen.target.role,
            "seniority": frozen.target.seniority,
            "chosen": list(frozen.target.chosen),
            "set_aside": list(frozen.target.set_aside),
            "added": list(frozen.target.added),
        },
        "readiness": role_readiness(frozen, focus_key, focus) if focus else None,
        "roles": [role_readiness(frozen, key, role) for key, role in frozen.roles.items()],
        "skills": skills,
        "calibration": None
        if calibration is None
        else {
            "bias": calibration.bias,
            "low": calibration.low,
            "high": calibration.high,
            "checked_skills": calibration.checked_skills,
        },
    }


def result_summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """One row of ``assessments.selectors.result_history``."""
    value = row["readiness"].get(row["focus"])
    return {
        "id": row["pk"],
        "created_at": row["created_at"],
        "focus": row["focus"],
        "readiness": value,
        "percent": assessment_presenters.percent(value),
        "method": row["method"],
    }


# --- progress --------------------------------------------------------------------------------------


def history(history: list[dict[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The progress page's table: a row per result, marking a change of target or of method."""
    rows = []
    for index, row in enumerate(history):
        value = row["readiness"].get(row["focus"])
        rows.append(
            {
                "result_id": row["pk"],
                "created_at": row["created_at"],
                "focus": row["focus"],
                "target_name": names[row["focus"]],
                "method": row["method"],
                "readiness": value,
                "percent": assessment_presenters.percent(value),
                "target_changed": index > 0 and row["focus"] != history[index - 1]["focus"],
                "method_changed": index > 0 and row["method"] != history[index - 1]["method"],
            }
        )
    return rows


def comparison(first: Result, second: Result, names: Mapping[str, str]) -> dict[str, Any]:
    """What changed between two results, as the progress page's summary says it."""
    headline = second.focus
    return {
        "from_id": first.pk,
        "to_id": second.pk,
        "since": first.created_at,
        "target": headline,
        "target_name": names.get(headline, headline),
        "before": assessment_presenters.percent(first.readiness.get(headline)),
        "after": assessment_presenters.percent(second.readiness.get(headline)),
        "gaps_closed": assessment_presenters.gaps_closed(first, second, headline),
        "gaps_opened": assessment_presenters.gaps_opened(first, second, headline),
        "target_changed": first.focus != second.focus,
        "method_changed": first.snapshot.method.name != second.snapshot.method.name,
        "skills": assessment_presenters.skill_changes(first, second),
    }


def study_weeks(weeks: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {"start": w.start, "end": w.end, "hours": hours_text(w.hours), "minutes": minutes(w.hours)}
        for w in weeks
    ]


# --- plan ------------------------------------------------------------------------------------------


def plan_step(row: PlanRow, logged: Decimal) -> dict[str, Any]:
    details = row.step.details
    progress = row.progress
    return {
        "key": row.step.key,
        "kind": details.kind,
        "title": details.heading,
        "skill": None if details.kind == planner.MILESTONE else details.slug,
        "name": details.name,
        "from_level": details.from_level,
        "to_level": details.to_level,
        "hours": row.step.hours,
        "planned_start": row.step.planned_start,
        "planned_end": row.step.planned_end,
        "status": row.status,
        "notes": progress.notes if progress else "",
        "evidence": list(progress.evidence) if progress else [],
        "completed_at": progress.completed_at if progress else None,
        "logged_minutes": minutes(logged),
    }


def study_session(session: StudySession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "step_key": session.step_key,
        "day": session.day,
        "hours": hours_text(Decimal(session.hours)),
        "minutes": minutes(Decimal(session.hours)),
        "note": session.note,
        "created_at": session.created_at,
    }
