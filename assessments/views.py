"""Views of assessments: taking one, its result, progress over time, and how scoring works."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import selectors as account_selectors
from accounts.http import AuthenticatedHttpRequest
from catalogue import selectors as catalogue_selectors
from catalogue.caching import cached_body

from . import pacing, presenters, selectors, services
from .exceptions import AssessmentError
from .forms import DONT_KNOW, ChecksForm, RatingsForm

if TYPE_CHECKING:
    from .models import Assessment
    from .selectors import StepPage


def _own_assessment(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page: what the assessment covers, how long it takes, and resume or discard."""
    in_progress = selectors.assessment_in_progress(user=request.user)
    if request.method == "POST":
        try:
            assessment = services.assessment_start(
                user=request.user, length=request.POST.get("length", pacing.DEFAULT.key)
            )
        except AssessmentError as error:
            messages.error(request, str(error))
            return redirect("assessment_start")
        return redirect(
            "assessment_step",
            pk=assessment.pk,
            index=min(assessment.furthest_step, len(assessment.steps) - 1),
        )
    profile = account_selectors.profile_get(user=request.user)
    if in_progress is None and not account_selectors.is_onboarded(profile=profile):
        return redirect("onboarding")
    scope = selectors.scope_for(user=request.user)
    skills = len(scope.skills) if scope else 0
    categories = len(selectors.assessed_categories(scope.skills)) if scope else 0
    lengths = [
        {
            "key": length.key,
            "label": presenters.LENGTH_LABELS.get(length.label, length.label),
            "checks": pacing.budget(length, skills),
            "minutes": pacing.minutes(skills, pacing.budget(length, skills)),
        }
        for length in pacing.LENGTHS.values()
    ]
    return render(
        request,
        "assessments/start.html",
        {
            "in_progress": in_progress,
            "target": catalogue_selectors.target_summary(scope.target, scope.choices) if scope else None,
            "skills": skills,
            "categories": categories,
            "lengths": lengths,
            "checks": lengths[0]["checks"],
            "minutes": lengths[0]["minutes"],
            "is_retake": selectors.has_submitted(user=request.user),
        },
    )


@login_required
@require_POST
def assessment_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _own_assessment(request, pk)
    if not assessment.is_in_progress:
        messages.error(request, _(services.MSG_ALREADY_SUBMITTED))
        return redirect("result_detail", pk=selectors.result_of(assessment=assessment).pk)
    services.assessment_discard(assessment=assessment)
    messages.success(request, _("Your unfinished assessment was discarded. You can start a new one below."))
    return redirect("assessment_start")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_step(request: AuthenticatedHttpRequest, pk: int, index: int) -> HttpResponse:
    """One page of the quiz: ratings or checks of a category, or the review page."""
    # Read with what the time left counts: a page is shown only when nothing on it was saved.
    assessment = selectors.quiz_assessment_get(user=request.user, pk=pk)
    if assessment is None:
        raise Http404("No such assessment.")
    if not assessment.is_in_progress:
        messages.info(request, _(services.MSG_ALREADY_SUBMITTED))
        return redirect("result_detail", pk=selectors.result_of(assessment=assessment).pk)
    if index >= len(assessment.steps):
        raise Http404("No such step.")
    if index > assessment.furthest_step:
        messages.warning(request, _(services.MSG_OUT_OF_ORDER))
        return redirect("assessment_step", pk=pk, index=assessment.furthest_step)
    page = selectors.step_page(assessment, index)
    if page.kind == "review":
        ratings, answers = selectors.review_rows(assessment)
        return render(
            request,
            "assessments/review.html",
            {"assessment": assessment, "page": page, "ratings": ratings, "answers": answers},
        )
    if page.category is None and page.kind != "round":
        raise Http404("No such step.")  # its category left the catalogue
    if request.method == "GET":
        # Shown fresh: the saved values, from the rows alone. The form, with its dozens of fields,
        # is built only if something asks for it (no template of a fresh page does).
        groups: list[presenters.RatingGroup] | list[presenters.CheckGroup]
        if page.kind == "rate" and page.category is not None:
            rated = selectors.rating_rows(assessment, page.category)
            groups = presenters.fresh_rating_groups(rated)
            fresh = SimpleLazyObject(lambda: RatingsForm(None, step=index, rows=rated))
        else:
            checks = selectors.check_rows(assessment, page.category, page.round)
            groups = presenters.fresh_check_groups(checks, DONT_KNOW)
            fresh = SimpleLazyObject(lambda: ChecksForm(None, step=index, rows=checks))
        return _quiz_page(request, assessment, page, fresh, groups, step_value=str(index), is_fresh=True)
    form: RatingsForm | ChecksForm
    if page.kind == "round":
        form = ChecksForm(
            request.POST or None, step=index, rows=selectors.check_rows(assessment, None, page.round)
        )
    elif page.kind == "rate" and page.category is not None:
        rows = selectors.rating_rows(assessment, page.category)
        data: QueryDict | None = request.POST or None
        if "none_yet" in request.POST:
            # "None of these yet": every skill on the page at level 0, in one click.
            data = request.POST.copy()
            for skill, _anchors, _saved in rows:
                data[f"skill_{skill.pk}"] = "0"
        form = RatingsForm(data, step=index, rows=rows)
    else:
        form = ChecksForm(
            request.POST or None, step=index, rows=selectors.check_rows(assessment, page.category)
        )
    if form.is_valid():
        try:
            if isinstance(form, RatingsForm):
                services.ratings_save(assessment=assessment, step=index, levels=form.levels())
            else:
                services.checks_save(assessment=assessment, step=index, responses=form.responses())
        except AssessmentError as error:
            messages.error(request, str(error))
            return redirect("assessment_start")
        if "save_exit" in request.POST:
            messages.success(request, _("Saved. Pick up where you left off from your dashboard at any time."))
            return redirect("dashboard")
        return redirect("assessment_step", pk=pk, index=index + 1)
    messages.error(
        request, _("Some answers on this page are missing or invalid; nothing on it was saved yet.")
    )
    if isinstance(form, RatingsForm):
        groups = presenters.rating_groups(form)
    else:
        groups = presenters.check_groups(form)
    return _quiz_page(request, assessment, page, form, groups, step_value=presenters.step_value(form))


def _quiz_page(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    page: StepPage,
    form: RatingsForm | ChecksForm | SimpleLazyObject,
    groups: list[presenters.RatingGroup] | list[presenters.CheckGroup],
    *,
    step_value: str | None,
    is_fresh: bool = False,
) -> HttpResponse:
    """A ratings or checks page with its radio ``groups``: shown fresh (``form`` unbound and not
    built yet: its step is the page's), or again with what was posted and its errors."""
    context = {
        "assessment": assessment,
        "page": page,
        "form": form,
        "fresh": is_fresh,
        "step_value": step_value,
        "left": selectors.time_left(assessment, page.index),
        "catalogue_version": catalogue_selectors.catalogue_version(),  # read once a request: no query
        "groups": groups,
    }
    if page.kind != "rate":
        return render(request, "assessments/checks.html", context)
    context["reminder"] = presenters.rating_reminder_of(
        selectors.newest_result_of(assessment), lambda pk: selectors.result_get(pk=pk)
    )
    return render(request, "assessments/rate.html", context)


@login_required
@require_POST
def assessment_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _own_assessment(request, pk)
    try:
        result = services.assessment_submit(assessment=assessment)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessment_step", pk=pk, index=assessment.furthest_step)
    return redirect("result_detail", pk=result.pk)


@login_required
@require_safe
def result_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A frozen result: its body is rendered once and kept in the cache (the snapshot never changes)."""
    result = selectors.result_header(user=request.user, pk=pk)
    if result is None:
        raise Http404("No such result.")
    body = cached_body(
        result.body_cache_key,
        "assessments/result_body.html",
        lambda: presenters.result_context(selectors.result_get(pk=result.pk)),
    )
    return render(request, "assessments/result.html", {"result": result, "body": body})


@require_safe
def how_we_score(request: HttpRequest) -> HttpResponse:
    method = presenters.scoring_method_in(translation.get_language())
    # The page's body shows ``method`` and nothing else: its rendering is kept by this digest.
    return render(request, "pages/how_we_score.html", {"method": method, "method_key": method.digest})
