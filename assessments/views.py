"""Views: parse the request, call a selector or service, render or redirect."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import catalogue, exports, presenters, selectors, services
from .exceptions import AssessmentError
from .forms import ChecksForm, DeleteAccountForm, MilestonesForm, ProfileForm, RatingsForm, StepProgressForm
from .models import Assessment, CareerMilestone, Phase, Result, Role, StepStatus

PHASE_NAMES = dict(Phase.choices)


@transaction.non_atomic_requests
@require_safe
def home(request):
    """The landing page: what careerpath does, and an invitation to sign up."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "pages/home.html")


@transaction.non_atomic_requests
@require_safe
def healthz(request):
    """A bare liveness check (no database): the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@transaction.non_atomic_requests
@login_required
@require_safe
def dashboard(request):
    """What to do next: resume, read the latest result, this week's steps, or retake."""
    profile = selectors.profile_for(request.user)
    latest = (
        Result.objects.filter(user=request.user)
        .order_by("-created_at")
        .only("pk", "created_at", "readiness", "headline_role")
        .first()
    )
    in_progress = (
        Assessment.objects.filter(user=request.user, status=Assessment.Status.IN_PROGRESS)
        .only("pk", "furthest_step", "steps", "started_at")
        .first()
    )
    context = {"profile": profile, "latest": latest, "in_progress": in_progress}
    if latest:
        role = profile.target_role.slug if profile.target_role else latest.headline_role
        context["readiness"] = presenters.percent(latest.readiness.get(role))
        context["role_name"] = profile.target_role.name if profile.target_role else role
        interval = timedelta(days=settings.CAREERPATH_RETAKE_INTERVAL_DAYS)
        context["retake_due"] = timezone.now() - latest.created_at >= interval
        context["retake_on"] = latest.created_at + interval
        context |= _roadmap_context(request, selectors.plan_rows(request.user), profile=profile)
    return render(request, "assessments/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = selectors.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            hours_changed = "hours_per_week" in form.changed_data
            form.save()
            if hours_changed:
                services.plan_replan(user=request.user)
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
        messages.error(request, "Please correct the errors below; nothing was saved.")
    return render(request, "assessments/profile.html", {"form": form})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def _cached_body(key: str, template: str, context) -> str:
    """The HTML of a page body that depends only on ``key`` (frozen or versioned data), rendered once."""
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, context())
        cache.set(key, body, 60 * 60 * 24 * 7)
    return mark_safe(body)  # rendered by our own template, escaped there


# --- assessment ---------------------------------------------------------------------------

SECONDS_PER_RATING = 25
SECONDS_PER_CHECK = 45


def _own_assessment(request, pk: int) -> Assessment:
    return get_object_or_404(Assessment, pk=pk, user=request.user)


@transaction.non_atomic_requests  # reads outside a transaction; writes go through atomic services
@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request):
    """The start page: what the assessment covers, how long it takes, and resume or discard."""
    in_progress = Assessment.objects.filter(user=request.user, status=Assessment.Status.IN_PROGRESS).first()
    if request.method == "POST":
        try:
            assessment = services.assessment_start(user=request.user)
        except AssessmentError as error:
            messages.error(request, str(error))
            return redirect("assessment_start")
        return redirect(
            "assessment_step",
            pk=assessment.pk,
            index=min(assessment.furthest_step, len(assessment.steps) - 1),
        )
    skills = selectors.assessed_skills().count()
    categories = len(selectors.assessed_categories())
    checks = round(skills * 1.6)
    minutes = max(1, round((skills * SECONDS_PER_RATING + checks * SECONDS_PER_CHECK) / 60))
    return render(
        request,
        "assessments/start.html",
        {
            "in_progress": in_progress,
            "skills": skills,
            "categories": categories,
            "checks": checks,
            "minutes": minutes,
            "is_retake": Assessment.objects.filter(
                user=request.user, status=Assessment.Status.SUBMITTED
            ).exists(),
        },
    )


@login_required
@require_POST
def assessment_discard(request, pk: int):
    assessment = _own_assessment(request, pk)
    if assessment.status != Assessment.Status.IN_PROGRESS:
        messages.error(request, services.MSG_ALREADY_SUBMITTED)
        return redirect("result_detail", pk=assessment.result.pk)
    services.assessment_discard(assessment=assessment)
    messages.success(request, "Your unfinished assessment was discarded. You can start a new one below.")
    return redirect("assessment_start")


@transaction.non_atomic_requests  # reads outside a transaction; writes go through atomic services
@login_required
@require_http_methods(["GET", "POST"])
def assessment_step(request, pk: int, index: int):
    """One page of the quiz: ratings or checks of a category, or the review page."""
    assessment = _own_assessment(request, pk)
    if assessment.status != Assessment.Status.IN_PROGRESS:
        messages.info(request, services.MSG_ALREADY_SUBMITTED)
        return redirect("result_detail", pk=assessment.result.pk)
    if index >= len(assessment.steps):
        raise Http404("No such step.")
    if index > assessment.furthest_step:
        messages.warning(request, services.MSG_OUT_OF_ORDER)
        return redirect("assessment_step", pk=pk, index=assessment.furthest_step)
    page = selectors.step_page(assessment, index)
    if page.kind == "review":
        ratings, answers = selectors.review_rows(assessment)
        return render(
            request,
            "assessments/review.html",
            {"assessment": assessment, "page": page, "ratings": ratings, "answers": answers},
        )
    if page.kind == "rate":
        form = RatingsForm(
            request.POST or None, step=index, rows=selectors.rating_rows(assessment, page.category)
        )
    else:
        form = ChecksForm(
            request.POST or None, step=index, rows=selectors.check_rows(assessment, page.category)
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                if page.kind == "rate":
                    services.ratings_save(assessment=assessment, step=index, levels=form.levels())
                else:
                    services.checks_save(assessment=assessment, step=index, responses=form.responses())
            except AssessmentError as error:
                messages.error(request, str(error))
                return redirect("assessment_start")
            if "save_exit" in request.POST:
                messages.success(
                    request, "Saved. Pick up where you left off from your dashboard at any time."
                )
                return redirect("dashboard")
            return redirect("assessment_step", pk=pk, index=index + 1)
        messages.error(
            request, "Some answers on this page are missing or invalid; nothing on it was saved yet."
        )
    template = "assessments/rate.html" if page.kind == "rate" else "assessments/checks.html"
    return render(request, template, {"assessment": assessment, "page": page, "form": form})


@login_required
@require_POST
def assessment_submit(request, pk: int):
    assessment = _own_assessment(request, pk)
    try:
        result = services.assessment_submit(assessment=assessment)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessment_step", pk=pk, index=assessment.furthest_step)
    return redirect("result_detail", pk=result.pk)


@transaction.non_atomic_requests
@login_required
@require_safe
def result_detail(request, pk: int):
    """A frozen result: its body is rendered once and kept in the cache (the snapshot never changes)."""
    result = get_object_or_404(Result.objects.only("pk", "user_id", "created_at"), pk=pk, user=request.user)
    body = _cached_body(
        f"result-body:{result.pk}:{result.created_at.timestamp()}",
        "assessments/result_body.html",
        lambda: presenters.result_context(Result.objects.get(pk=result.pk)),
    )
    return render(request, "assessments/result.html", {"result": result, "body": body})


# --- roadmap ------------------------------------------------------------------------------


def _roadmap_context(request, rows, profile=None):
    profile = profile or selectors.profile_for(request.user)
    today = timezone.localdate()
    planned = sum(row.step.hours for row in rows)
    done = sum(row.step.hours for row in rows if row.status == StepStatus.DONE)
    phases: dict[str, list] = {}
    for row in rows:
        phases.setdefault(row.step.details["phase"], []).append(row)
    this_week = [
        row
        for row in rows
        if row.status not in (StepStatus.DONE, StepStatus.SKIPPED)
        and row.step.planned_start <= today + timedelta(days=6)
        and row.step.planned_end >= today
    ]
    return {
        "rows": rows,
        "phases": [(PHASE_NAMES.get(phase, phase), items) for phase, items in phases.items()],
        "hours_planned": planned,
        "hours_done": done,
        "percent_done": round(100 * done / planned) if planned else 0,
        "this_week": this_week,
        "profile": profile,
        "status_choices": StepStatus.choices,
        "finish": rows[-1].step.planned_end if rows else None,
        "today": today,
    }


@transaction.non_atomic_requests
@login_required
@require_safe
def roadmap_view(request):
    rows = selectors.plan_rows(request.user)
    context = _roadmap_context(request, rows)
    milestones = list(CareerMilestone.objects.all())
    context["milestones_form"] = MilestonesForm(
        milestones=milestones, initial={"held": selectors.held_milestones(request.user)}
    )
    context["has_result"] = bool(rows) or Result.objects.filter(user=request.user).exists()
    context["salary"] = selectors.salary_context(context["profile"])
    context["achieved"] = presenters.achieved_skills(*selectors.latest_two_results(request.user))
    return render(request, "assessments/roadmap.html", context)


@login_required
@require_POST
def roadmap_step(request, key: str):
    """Mark a step (status, notes, evidence): a plain POST, or an htmx one that swaps the step's card."""
    row = next((r for r in selectors.plan_rows(request.user) if r.step.key == key), None)
    if row is None:
        raise Http404("No such step in your plan.")
    form = StepProgressForm(request.POST)
    if form.is_valid():
        services.step_mark(
            user=request.user,
            key=key,
            update=services.StepUpdate(
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
                evidence=form.cleaned_data["evidence"],
            ),
        )
        if not request.htmx:
            messages.success(request, f"Saved: {row.step.details['name']}.")
            return redirect(f"{reverse('roadmap')}#step-{row.step.pk}")
        rows = selectors.plan_rows(request.user)
        row = next(r for r in rows if r.step.key == key)
        context = _roadmap_context(request, rows) | {"row": row, "saved": True, "oob": True}
        return render(request, "partials/roadmap_step.html", context)
    if not request.htmx:
        messages.error(
            request, "That step was not saved: " + " ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect(f"{reverse('roadmap')}#step-{row.step.pk}")
    context = _roadmap_context(request, selectors.plan_rows(request.user)) | {
        "row": row,
        "form_errors": form.errors,
    }
    return render(request, "partials/roadmap_step.html", context)


@login_required
@require_POST
def roadmap_replan(request):
    services.plan_replan(user=request.user)
    messages.success(
        request, "Re-planned from today: your open steps now start today, done steps keep their dates."
    )
    return redirect("roadmap")


@login_required
@require_POST
def roadmap_refresh(request):
    try:
        services.plan_refresh(user=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessment_start")
    messages.success(request, "Your plan was rebuilt from your latest result with the current catalogue.")
    return redirect("roadmap")


@login_required
@require_POST
def roadmap_milestones(request):
    form = MilestonesForm(request.POST, milestones=list(CareerMilestone.objects.all()))
    if not form.is_valid():
        messages.error(request, "Please choose milestones from the list.")
        return redirect("roadmap")
    services.milestones_set(user=request.user, slugs=set(form.cleaned_data["held"]))
    messages.success(request, "Milestones saved; the plan no longer schedules the ones you have.")
    return redirect("roadmap")


@transaction.non_atomic_requests
@login_required
@require_safe
def roadmap_markdown(request):
    rows = selectors.plan_rows(request.user)
    profile = selectors.profile_for(request.user)
    text = exports.plan_markdown(
        rows, title=f"careerpath roadmap: {profile}", hours_per_week=profile.hours_per_week
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerpath-roadmap.md"'
    return response


@transaction.non_atomic_requests
@login_required
@require_safe
def roadmap_icalendar(request):
    rows = selectors.plan_rows(request.user)
    body = exports.plan_icalendar(rows, user_id=request.user.pk, stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerpath-roadmap.ics"'
    return response


# --- public pages ---------------------------------------------------------------------------


@transaction.non_atomic_requests
@require_safe
def how_we_score(request):
    return render(request, "pages/how_we_score.html")


@transaction.non_atomic_requests
@require_safe
def catalogue_index(request):
    body = _cached_body(
        f"catalogue-body:{catalogue.catalogue_version()}:index",
        "catalogue/index_body.html",
        selectors.catalogue_index,
    )
    return render(request, "catalogue/index.html", {"body": body})


@transaction.non_atomic_requests
@require_safe
def catalogue_skill(request, slug: str):
    skill = selectors.catalogue_skill(slug)
    if skill is None:
        raise Http404("No such skill.")
    return render(request, "catalogue/skill.html", {"skill": skill})


@transaction.non_atomic_requests
@require_safe
def catalogue_role(request, slug: str):
    role = selectors.catalogue_role(slug)
    if role is None:
        raise Http404("No such role.")
    return render(request, "catalogue/role.html", {"role": role})


# --- progress -------------------------------------------------------------------------------


def _int_or_none(value) -> int | None:
    """A database id from a query parameter, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@transaction.non_atomic_requests
@login_required
@require_safe
def progress_view(request):
    history = selectors.result_history(request.user)
    roles = dict(Role.objects.values_list("slug", "name"))
    profile = selectors.profile_for(request.user)
    headline = profile.target_role.slug if profile.target_role else next(iter(roles), "")
    first, second = selectors.result_pair(
        request.user, _int_or_none(request.GET.get("from")), _int_or_none(request.GET.get("to"))
    )
    if (request.GET.get("from") or request.GET.get("to")) and (first is None or second is None):
        messages.error(request, "Choose two of your own assessments to compare.")
    summary = None
    if first and second:
        summary = {
            "since": first.created_at,
            "closed": presenters.gaps_closed(first, second, headline),
            "before": presenters.percent(first.readiness.get(headline)),
            "after": presenters.percent(second.readiness.get(headline)),
            "role": roles.get(headline, headline),
        }
    completed = selectors.completed_steps(request.user)
    return render(
        request,
        "assessments/progress.html",
        {
            "history": [
                {**h, "cells": [presenters.percent(h["readiness"].get(slug)) for slug in roles]}
                for h in history
            ],
            "roles": roles,
            "chart": presenters.readiness_series(history, roles),
            "first": first,
            "second": second,
            "changes": presenters.skill_changes(first, second) if first and second else [],
            "summary": summary,
            "completed": completed,
        },
    )


# --- the person's own data ------------------------------------------------------------------------


@transaction.non_atomic_requests
@login_required
@require_safe
def account_data(request):
    """Download everything about the person as JSON."""
    body = json.dumps(
        selectors.personal_data(request.user), indent=2, ensure_ascii=False, cls=DjangoJSONEncoder
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerpath-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.account_delete(user=request.user)
            logout(request)
            messages.success(request, "Your account and everything in it were deleted.")
            return redirect("home")
        messages.error(request, "Your account was not deleted: please correct the errors below.")
    return render(request, "assessments/account_delete.html", {"form": form})
