"""The public sample pages: the demo learner's latest result, plan and progress, read-only.

They show the account ``manage.py load_demo`` made (the only profile marked ``is_demo``) and never
anyone else's: without it they answer 404. The pages use the real templates with ``sample`` set,
which leaves out every form that writes, every link that needs a log-in and the knowledge checks'
questions and answers (those stay private to whoever took them). They set no cookie for a
visitor, so a shared cache may keep them for a few minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from accounts import selectors as account_selectors
from assessments import presenters as assessment_presenters
from assessments import selectors as assessment_selectors
from catalogue.caching import cached_body
from roadmap import views as roadmap_views

if TYPE_CHECKING:
    from accounts.models import User

SAMPLE_MAX_AGE = 5 * 60


def _missing(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/sample_missing.html", status=404)


def _demo() -> User | None:
    return account_selectors.demo_user()


@cache_control(public=True, max_age=SAMPLE_MAX_AGE)
@require_safe
def sample_result(request: HttpRequest) -> HttpResponse:
    """The demo learner's latest result, as its results page shows it, without the questions."""
    demo = _demo()
    result = assessment_selectors.latest_result(user=demo) if demo else None
    if result is None:
        return _missing(request)
    body = cached_body(
        f"sample-{result.body_cache_key}",
        "assessments/result_body.html",
        lambda: (
            assessment_presenters.result_context(assessment_selectors.result_get(pk=result.pk))
            | {"sample": True}
        ),
    )
    return render(request, "assessments/result.html", {"result": result, "body": body, "sample": True})


@cache_control(public=True, max_age=SAMPLE_MAX_AGE)
@require_safe
def sample_plan(request: HttpRequest) -> HttpResponse:
    """The demo learner's roadmap, as the roadmap page shows it, with nothing to mark or log."""
    demo = _demo()
    if demo is None:
        return _missing(request)
    context = roadmap_views.plan_page_context(request, demo, sample=True)
    if not context["rows"]:
        return _missing(request)
    return render(request, "roadmap/roadmap.html", context)


@cache_control(public=True, max_age=SAMPLE_MAX_AGE)
@require_safe
def sample_progress(request: HttpRequest) -> HttpResponse:
    """The demo learner's progress over their three results, steps done and study time."""
    demo = _demo()
    if demo is None:
        return _missing(request)
    context = roadmap_views.progress_page_context(request, demo, report=False)
    if not context["history"]:
        return _missing(request)
    return render(request, "roadmap/progress.html", context | {"sample": True})
