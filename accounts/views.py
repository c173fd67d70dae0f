"""The person's own account: profile, data download and deletion."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from catalogue import selectors as catalogue_selectors

from . import selectors, services
from .forms import DeleteAccountForm, ProfileForm, TargetChoicesForm, TargetForm
from .http import AuthenticatedHttpRequest
from .middleware import remember_language, supported_language


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = selectors.profile_get(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            services.profile_update(user=request.user, fields=form.cleaned_data)
            language = supported_language(form.cleaned_data.get("language"))
            remember_language(request, language)
            translation.activate(language or translation.get_language_from_request(request))
            messages.success(request, _("Your profile is saved."))
            response = redirect("profile")
            if not language:  # back to the browser's language: a switch's cookie would override it
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
            return response
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    key = selectors.focus_target(profile=profile)
    target = (
        catalogue_selectors.target_summary(key, selectors.target_choices(profile=profile)) if key else None
    )
    return render(request, "accounts/profile.html", {"form": form, "target": target})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1 of choosing a target: role, seniority and hours a week (also how to change them later)."""
    profile = selectors.profile_get(user=request.user)
    initial = {
        "role": profile.target_role,
        "seniority": profile.seniority,
        "hours_per_week": profile.hours_per_week,
    }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.target_choose(user=request.user, **form.cleaned_data)
            except services.ProfileError as error:
                form.add_error(None, str(error))
            else:
                return redirect("onboarding_choices")
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    context = {
        "form": form,
        "targets": catalogue_selectors.target_overview(),
        "first_time": not profile.onboarded_at,
    }
    return render(request, "accounts/onboarding.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2: one skill per group of alternatives, optional skills set aside, skills added."""
    profile = selectors.profile_get(user=request.user)
    key = selectors.focus_target(profile=profile)
    rows = catalogue_selectors.target_rows().get(key, []) if key else []
    if not rows:
        messages.error(request, _("Choose a role and a level first."))
        return redirect("onboarding")
    names = catalogue_selectors.skill_names()
    in_target = {row.skill for row in rows}
    others = [(slug, name) for slug, name in catalogue_selectors.assessable_skills() if slug not in in_target]
    form = TargetChoicesForm(
        request.POST or None,
        rows=rows,
        names=names,
        others=others,
        current=selectors.target_choices(profile=profile),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.target_choices_save(user=request.user, rows=rows, choices=form.choices())
            except services.ProfileError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your target is saved: %(target)s.")
                    % {"target": catalogue_selectors.target_name(str(key))},
                )
                return redirect("assessment_start")
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    required = [
        (names.get(r.skill, r.skill), r.level) for r in rows if r.required and not r.group and r.level
    ]
    context = {"form": form, "target_name": catalogue_selectors.target_name(str(key)), "required": required}
    return render(request, "accounts/onboarding_choices.html", context)


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
            messages.success(request, _("Your account and everything in it were deleted."))
            return redirect("home")
        messages.error(request, _("Your account was not deleted: please correct the errors below."))
    return render(request, "accounts/account_delete.html", {"form": form})


# The signed token in the address is what authorises the stop, so the page needs no log-in and
# no CSRF token: mail providers POST the one-click stop (RFC 8058) without cookies or a form, and
# a forged cross-site POST would need the token, which only the person's e-mail holds.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def weekly_email_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the weekly e-mail from its link: GET asks to confirm, POST (the one click) stops it."""
    user = selectors.weekly_email_stop_user(token=token)
    if user is None:
        return render(request, "accounts/weekly_email_stop.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.weekly_email_stop(user=user)
        return render(request, "accounts/weekly_email_stop.html", {"stopped": True})
    profile = selectors.profile_get(user=user)
    return render(request, "accounts/weekly_email_stop.html", {"stopped": not profile.weekly_email})


@csrf_exempt
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's ``set_language`` (cookie, then back to ``next``); for a
    logged-in person the choice is also saved in their profile, for their next visit and e-mails.

    No CSRF token: the switch is on every page, and a token there would give every visitor of the
    public pages a cookie. A forged cross-site post can do no more than pick a display language:
    the session cookie is SameSite=Lax, so such a post arrives logged out and changes no profile."""
    response = set_language(request)
    language = supported_language(request.POST.get("language"))
    if language and request.user.is_authenticated:
        services.profile_update(user=request.user, fields={"language": language})
        remember_language(request, language)
    return response
