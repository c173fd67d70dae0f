"""Site pages that span the apps: the landing page, the dashboard, health and error pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts import selectors as account_selectors
from accounts.http import AuthenticatedHttpRequest
from assessments import presenters as assessment_presenters
from assessments import selectors as assessment_selectors
from catalogue import selectors as catalogue_selectors
from roadmap import presenters as roadmap_presenters
from roadmap import selectors as roadmap_selectors

from . import readiness


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what careerpath does, and an invitation to sign up."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "pages/home.html", {"has_sample": account_selectors.demo_user() is not None})


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """A bare liveness check (no database): the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


# Crawlers may read the public pages (home, catalogue, how we score, privacy); every other prefix is
# personal, a log-in or account form, or the admin.
ROBOTS_DISALLOW = (
    "/admin/",
    "/accounts/",
    "/account/",
    "/dashboard/",
    "/welcome/",
    "/profile/",
    "/assessment/",
    "/results/",
    "/questions/",
    "/roadmap/",
    "/progress/",
    "/email/",
)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: the public pages open to crawlers, the private prefixes closed."""
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW), "Allow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database and the cache answer, else 503 naming what is down."""
    down = readiness.services_down()
    if down:
        return JsonResponse({"status": "unavailable", "down": down}, status=503)
    return JsonResponse({"status": "ok", "down": []})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What careerpath stores about a person, for how long, and how to take it out or delete it."""
    return render(request, "pages/privacy.html")


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What to do next: resume, read the latest result, this week's steps, or retake."""
    # The profile, the newest result and the assessment in progress, only what the page shows of the
    # last two (one query).
    state = assessment_selectors.dashboard_state(user=request.user)
    profile, latest, in_progress = state.profile, state.latest, state.in_progress
    context: dict[str, Any] = {
        "profile": profile,
        "latest": latest,
        "in_progress": in_progress,
        "onboarded": account_selectors.is_onboarded(profile=profile),
    }
    # The target the profile names now; the latest result keeps the one it was scored for.
    current = account_selectors.focus_target(profile=profile)
    role = profile.target_role
    # The profile's role names both targets when the latest result measured it too (no query).
    known = {role.slug: role.name} if role else {}
    current_name = catalogue_selectors.target_name(str(current), known or None) if current else None
    context["target_name"] = current_name
    if latest:
        context["readiness"] = assessment_presenters.percent(latest.readiness.get(latest.focus))
        latest_role = latest.focus.partition(":")[0]
        context["role_name"] = catalogue_selectors.target_name(
            latest.focus, known if latest_role in known else None
        )
        if current is not None and str(current) != latest.focus:
            context["new_target_name"] = current_name
        interval = timedelta(days=settings.CAREERPATH_RETAKE_INTERVAL_DAYS)
        context["retake_due"] = timezone.now() - latest.created_at >= interval
        context["retake_on"] = latest.created_at + interval
        # The plan's hours and this week's steps, without reading every step (one query).
        figures = roadmap_selectors.plan_figures(request.user, hours_per_week=profile.hours_per_week)
        context |= roadmap_presenters.dashboard_plan_card(figures, hours_per_week=profile.hours_per_week)
    return render(request, "pages/dashboard.html", context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
