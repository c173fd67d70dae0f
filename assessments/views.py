"""Views: parse the request, call a selector or service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors
from .forms import ProfileForm


@require_GET
def home(request):
    """The landing page: what careerpath does, and an invitation to sign up."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "pages/home.html")


@require_GET
def healthz(request):
    """A bare liveness check (no database): the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def dashboard(request):
    profile = selectors.profile_for(request.user)
    return render(request, "assessments/dashboard.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = selectors.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
        messages.error(request, "Please correct the errors below; nothing was saved.")
    return render(request, "assessments/profile.html", {"form": form})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
