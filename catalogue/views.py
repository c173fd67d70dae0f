"""The open catalogue: anyone can read the skills, their levels, prerequisites, resources and targets."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .caching import cached_body


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
    sections = [{"title": "Required", "note": "", "skills": target["required"]}]
    for group in target["groups"]:
        names = ", ".join(s["name"] for s in group["skills"])
        kind = "required" if group["required"] else "optional"
        sections.append(
            {
                "title": f"One of: {names}",
                "note": f"Alternatives ({kind}): you pick one.",
                "skills": group["skills"],
            }
        )
    sections.append({"title": "Optional", "note": "You may set these aside.", "skills": target["optional"]})
    return render(request, "catalogue/target.html", {"target": target, "sections": sections})


@require_safe
def catalogue_role(request: HttpRequest, slug: str) -> HttpResponse:
    role = selectors.catalogue_role(slug)
    if role is None:
        raise Http404("No such role.")
    return render(request, "catalogue/role.html", {"role": role})
