"""The person's own account: profile, data download and deletion."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from . import selectors, services
from .forms import DeleteAccountForm, ProfileForm
from .http import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = selectors.profile_get(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            services.profile_update(user=request.user, fields=form.cleaned_data)
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
        messages.error(request, "Please correct the errors below; nothing was saved.")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_safe
def account_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Download everything about the person as JSON."""
    body = json.dumps(
        selectors.personal_data(user=request.user), indent=2, ensure_ascii=False, cls=DjangoJSONEncoder
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerpath-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.account_delete(user=request.user)
            logout(request)
            messages.success(request, "Your account and everything in it were deleted.")
            return redirect("home")
        messages.error(request, "Your account was not deleted: please correct the errors below.")
    return render(request, "accounts/account_delete.html", {"form": form})
