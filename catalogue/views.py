"""The open catalogue: anyone can read the skills, their levels, prerequisites, resources and targets.

Also the one private catalogue page: a person reports a problem with a question they were asked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import selectors, services
from .caching import cached_body
from .forms import QuestionReportForm


@require_safe
def catalogue_index(request: HttpRequest) -> HttpResponse:
    body = cached_body(
        f"catalogue-body:{selectors.catalogue_version()}:index",
        "catalogue/index_body.html",
        selectors.catalogue_index,
    )
    return render(request, "catalogue/index.html", {"body": body})


@require_safe
def catalogue_skill(request: HttpRequest, slug: str) -> HttpResponse:
    skill = selectors.catalogue_skill(slug)
    if skill is None:
        raise Http404("No such skill.")
    return render(request, "catalogue/skill.html", {"skill": skill})


@require_safe
def catalogue_target(request: HttpRequest, slug: str, seniority: str) -> HttpResponse:
    target = selectors.catalogue_target(slug, seniority)
    if target is None:
        raise Http404("No such target.")
    sections = [{"title": _("Required"), "note": "", "skills": target["required"]}]
    for group in target["groups"]:
        names = ", ".join(s["name"] for s in group["skills"])
        sections.append(
            {
                "title": _("One of: %(skills)s") % {"skills": names},
                "note": (
                    _("Alternatives (required): you pick one.")
                    if group["required"]
                    else _("Alternatives (optional): you pick one.")
                ),
                "skills": group["skills"],
            }
        )
    sections.append(
        {"title": _("Optional"), "note": _("You may set these aside."), "skills": target["optional"]}
    )
    return render(request, "catalogue/target.html", {"target": target, "sections": sections})


@require_safe
def catalogue_role(request: HttpRequest, slug: str) -> HttpResponse:
    role = selectors.catalogue_role(slug)
    if role is None:
        raise Http404("No such role.")
    return render(request, "catalogue/role.html", {"role": role})


def _person(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in person of a view behind ``login_required`` (the catalogue never names the user model)."""
    if not isinstance(request.user, AbstractBaseUser):
        raise Http404("Log in first.")  # unreachable behind login_required
    return request.user


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` URL of the request if it is a page of this site, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def question_report(request: HttpRequest, key: str) -> HttpResponse:
    """Report a problem with a question the person was asked (anyone else gets a 404)."""
    person = _person(request)
    question = selectors.question_for_report(user=person, key=key)
    if question is None:
        raise Http404("No such question among yours.")
    next_url = _safe_next(request)
    form = QuestionReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.report_create(user=person, question=question, **form.cleaned_data)
            except services.ReportError as error:
                for field, problem in error.problems.items():
                    form.add_error(field or None, problem)
            else:
                if outcome.created:
                    messages.success(
                        request, _("Thank you: the question is flagged until an editor has looked at it.")
                    )
                else:
                    messages.info(request, _(services.MSG_ALREADY_REPORTED))
                return redirect(next_url)
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    context = {
        "question": question,
        "form": form,
        "next_url": next_url,
        "already_reported": selectors.open_report(user=person, question=question) is not None,
    }
    return render(request, "catalogue/report_problem.html", context)


@require_safe
def catalogue_map(request: HttpRequest) -> HttpResponse:
    """The open skill map: the prerequisite graph of every published skill, uncoloured."""
    body = cached_body(
        f"catalogue-body:{selectors.catalogue_version()}:map",
        "includes/skill_map.html",
        lambda: {"skill_map": selectors.skill_map()},
    )
    return render(request, "catalogue/skill_map.html", {"body": body})
