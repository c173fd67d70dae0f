"""Views of the roadmap: the plan, marking steps, re-planning, exports, and progress over time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.http import AuthenticatedHttpRequest
from assessments import presenters as assessment_presenters
from assessments import selectors as assessment_selectors
from catalogue import caching, compiled, csrf
from catalogue import selectors as catalogue_selectors

from . import cards, exports, presenters, selectors, services, skillmap_status, wording
from .forms import DeadlineForm, MilestonesForm, StepProgressForm, StudySessionForm

if TYPE_CHECKING:
    from accounts.models import Profile, User


def _plan_context(
    request: AuthenticatedHttpRequest, rows: list[selectors.PlanRow], profile: Profile | None = None
) -> dict:
    profile = profile or account_selectors.profile_get(user=request.user)
    return presenters.plan_context(rows, profile=profile, today=timezone.localdate())


def _deadline_context(request: HttpRequest, rows: list[selectors.PlanRow], hours: int) -> dict:
    """The "ready by" form (a GET, so it works without JavaScript) and, when valid, what it takes."""
    today = timezone.localdate()
    if "ready_by" not in request.GET:
        return {"deadline_form": DeadlineForm(today=today)}
    form = DeadlineForm(request.GET, today=today)
    if not form.is_valid():
        return {"deadline_form": form}
    return {
        "deadline_form": form,
        "deadline": presenters.deadline(rows, hours, today, form.cleaned_data["ready_by"]),
    }


def plan_page_context(request: HttpRequest, user: User, *, sample: bool = False) -> dict:
    """What the roadmap page shows of ``user``'s plan (the public sample page shows the demo's):
    its content as HTML (``plan_html``), with the rows and whether it is the sample.

    The content is kept whole (``pages`` cache) under a digest of everything it is made from, which
    are the page's five reads, the day and the catalogue's version (``cards.page_key``): a visit to an
    unchanged plan costs those reads and one cache read. It is kept with the CSRF token's stand-in,
    and this request's token is put in on the way out. A filled-in "ready by" form is this visit's
    own, and an empty plan costs little: both are rendered afresh.
    """
    today = timezone.localdate()
    # One masked token for the page's every form (the cards', the template's): the context's own
    # would be masked afresh. The public sample carries no form, and its page sets no cookie.
    token = "" if sample else csrf.get_token(request)
    # The page's five reads, in one round trip on PostgreSQL.
    rows, (profile, held), revision, logged, (previous, latest) = compiled.run_together(
        selectors.plan_rows_read(user),
        account_selectors.profile_and_milestones_read(user=user),
        selectors.latest_revision_read(user),
        selectors.pace_figures_read(user=user, today=today),
        assessment_selectors.latest_two_results_read(user),
    )
    reads = cards.PlanReads(rows, profile, held, revision, logged, previous, latest)
    # Keys the page's cached parts (milestone boxes, salary figures) with the catalogue they show.
    version = catalogue_selectors.catalogue_version()
    key = ""
    if rows and (sample or "ready_by" not in request.GET):
        key = cards.page_key(user.pk, reads, today=today, catalogue_version=version, sample=sample)
    pages = caches["pages"]
    html = pages.get(key) if key else None
    if html is None:
        content = _plan_content(
            request,
            user,
            reads,
            today=today,
            catalogue_version=version,
            token=caching.TOKEN_PLACEHOLDER if key and not sample else token,
            sample=sample,
        )
        html = render_to_string("roadmap/_plan_page.html", content)
        if key:
            pages.set(key, html)
    if key and not sample:
        html = caching.put_token(html, token)
    context = {"plan_html": mark_safe(html), "rows": rows, "sample": sample}  # our own templates' output
    if not sample:
        context["csrf_token"] = token
    return context


def _plan_content(
    request: HttpRequest,
    user: User,
    reads: cards.PlanReads,
    *,
    today: date,
    catalogue_version: str,
    token: str,
    sample: bool,
) -> dict:
    """The context of the roadmap page's content (templates/roadmap/_plan_page.html)."""
    rows, profile, held, latest = reads.rows, reads.profile, reads.held, reads.latest
    context = presenters.plan_context(rows, profile=profile, today=today, revision=reads.revision)
    context |= _deadline_context(request, rows, profile.hours_per_week)
    context["pace"] = selectors.pace_summary(
        user, today, rows=rows, profile=profile, logged_time=reads.logged
    )
    context["timeline_html"] = cards.timeline_html(
        context["timeline"], context, today=today, csrf_token=token, sample=sample
    )
    context["sample"] = sample
    # The milestone boxes are kept per catalogue and ticked set: the form is built when they are drawn.
    context["milestones_held"] = tuple(held)
    context["milestones_form"] = SimpleLazyObject(
        lambda: MilestonesForm(milestones=catalogue_selectors.milestone_list(), initial={"held": held})
    )
    context["has_result"] = bool(rows) or latest is not None
    if not context["has_result"]:
        context["assessment_minutes"] = assessment_selectors.assessment_minutes(user=user)
    context["plan_result"] = latest
    context["plan_target"] = catalogue_selectors.target_name(latest.focus) if latest else ""
    context["salary"] = catalogue_selectors.salary_context(
        city=profile.city,
        country_code=country.code if (country := profile.country) else "",
        country_name=country.name if country else "",
    )
    context["achieved"] = assessment_presenters.achieved_skills(reads.previous, latest)
    context["catalogue_version"] = catalogue_version
    if not sample:
        context["csrf_token"] = token
    return context


@login_required
@require_safe
def roadmap_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "roadmap/roadmap.html", plan_page_context(request, request.user))


@login_required
@require_POST
def roadmap_step(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Mark a step (status, notes, evidence): a plain POST, or an htmx one that swaps the step's card."""
    row = selectors.plan_row(user=request.user, key=key)
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
            messages.success(
                request, _("Saved: %(step)s.") % {"step": wording.step_heading(row.step.details)}
            )
            return redirect(f"{reverse('roadmap')}#step-{row.step.pk}")
        rows = selectors.plan_rows(request.user)
        row = next(r for r in rows if r.step.key == key)
        context = _plan_context(request, rows) | {"row": row, "saved": True, "oob": True}
        return render(request, "roadmap/step.html", context)
    if not request.htmx:
        messages.error(
            request,
            _("That step was not saved: %(problems)s")
            % {"problems": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
        return redirect(f"{reverse('roadmap')}#step-{row.step.pk}")
    context = _plan_context(request, selectors.plan_rows(request.user)) | {
        "row": row,
        "form_errors": form.errors,
    }
    return render(request, "roadmap/step.html", context)


@login_required
@require_POST
def roadmap_replan(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.plan_replan(user=request.user)
    messages.success(
        request, _("Re-planned from today: your open steps now start today, done steps keep their dates.")
    )
    return redirect("roadmap")


@login_required
@require_POST
def roadmap_refresh(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.plan_refresh(user=request.user)
    except services.RoadmapError as error:
        messages.error(request, str(error))
        return redirect("assessment_start")
    messages.success(request, _("Your plan was rebuilt from your latest result with the current catalogue."))
    return redirect("roadmap")


@login_required
@require_POST
def roadmap_milestones(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MilestonesForm(request.POST, milestones=catalogue_selectors.milestone_list())
    if not form.is_valid():
        messages.error(request, _("Please choose milestones from the list."))
        return redirect("roadmap")
    account_services.milestones_set(user=request.user, slugs=form.cleaned_data["held"])
    messages.success(request, _("Milestones saved; the plan no longer schedules the ones you have."))
    return redirect("roadmap")


@login_required
@require_safe
def roadmap_markdown(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.plan_rows(request.user)
    profile = account_selectors.profile_get(user=request.user)
    text = exports.plan_markdown(
        rows, title=f"careerpath roadmap: {profile}", hours_per_week=profile.hours_per_week
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerpath-roadmap.md"'
    return response


@login_required
@require_safe
def roadmap_icalendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.plan_rows(request.user)
    body = exports.plan_icalendar(rows, user_id=request.user.pk, stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerpath-roadmap.ics"'
    return response


def _int_or_none(value: str | None) -> int | None:
    """A database id from a query parameter, or None when it cannot be one."""
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def progress_page_context(request: HttpRequest, user: User, *, report: bool = True) -> dict:
    """Everything the progress page shows of ``user`` (the public sample page shows the demo's).

    ``report`` says whether a comparison of results that are not the person's is reported.
    """
    # The page's three reads, in one round trip on PostgreSQL.
    history, study_weeks, completed = compiled.run_together(
        assessment_selectors.progress_history_read(user),
        selectors.study_weeks_light_read(user=user, today=timezone.localdate()),
        selectors.completed_step_titles_read(user),
    )
    # One column (and chart line) per target the person worked towards, in the order they chose them;
    # a row whose target differs from the row before is marked, never drawn as a jump in readiness.
    roles = selectors.target_names(presenters.foci(history))
    first, second = presenters.compared_pair(
        history, user.pk, _int_or_none(request.GET.get("from")), _int_or_none(request.GET.get("to"))
    )
    if report and (request.GET.get("from") or request.GET.get("to")) and (first is None or second is None):
        messages.error(request, _("Choose two of your own assessments to compare."))
    compared = None
    if first and second:
        pair = (first.pk, second.pk)
        # Read from the two snapshots the first time this pair is shown, kept for later views.
        compared = presenters.comparison(first, second, lambda: assessment_selectors.result_pair(user, *pair))
    changes = list(compared.changes) if compared else []
    return {
        "history": history,
        "history_rows": presenters.history_rows(history, roles, presenters.result_link()),
        "roles": roles,
        "chart": assessment_presenters.readiness_series(history, roles),
        "first": first,
        "second": second,
        "changes": changes,
        "change_table": presenters.comparison_table(first, second, compared),
        "summary": presenters.progress_summary(
            history, first, second, compared, catalogue_selectors.role_names(), roles
        ),
        "completed": completed,
        "completed_rows": presenters.completed_step_rows(completed),
        "study_weeks": study_weeks,
        "study_rows": presenters.study_week_rows(study_weeks),
        "study_total": sum((week.hours for week in study_weeks), Decimal(0)).normalize(),
    }


@login_required
@require_safe
def progress_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "roadmap/progress.html", progress_page_context(request, request.user))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def roadmap_study_log(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Log study time on a step of one's own plan; refused input is shown again with the message.

    A plain POST redirects to the roadmap when it logs; htmx gets the step's card back either way.
    """
    row = selectors.plan_row(user=request.user, key=key)
    if row is None:
        raise Http404("No such step in your plan.")
    today = timezone.localdate()
    form = StudySessionForm(request.POST if request.method == "POST" else None, today=today)
    logged = None
    if form.is_bound and form.is_valid():
        try:
            services.study_session_log(
                user=request.user,
                key=key,
                day=form.cleaned_data["day"],
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
                today=today,
            )
        except services.RoadmapError as error:
            form.add_error(None, str(error))
        else:
            logged = form.cleaned_data["hours"].normalize()
            if not request.htmx:
                messages.success(
                    request,
                    _("Logged %(hours)s h on %(step)s.")
                    % {"hours": number_format(logged), "step": row.step.details.name},
                )
                return redirect(f"{reverse('roadmap')}#step-{row.step.pk}")
            form = StudySessionForm(today=today)
    context = _plan_context(request, [row]) | {
        "row": row,
        "study_form": form,
        "study_logged": logged,
        "pace": selectors.pace_summary(request.user, today),
        "with_forms": True,
    }
    if request.htmx and request.method != "POST":
        # A closed card on the roadmap opened: it fetches its forms.
        return render(request, "roadmap/_step_forms.html", context)
    if request.htmx:
        return render(request, "roadmap/step.html", context)
    context["sessions"] = selectors.study_step_sessions(user=request.user, key=key)
    return render(request, "roadmap/study_log.html", context)


@login_required
@require_safe
def roadmap_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's skill map: the catalogue's prerequisite graph coloured by where they stand."""
    statuses = skillmap_status.map_statuses(request.user)
    context = {"skill_map": catalogue_selectors.skill_map(statuses), "has_result": statuses is not None}
    return render(request, "roadmap/skill_map.html", context)
