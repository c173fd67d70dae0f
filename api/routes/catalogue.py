"""The open catalogue: skills, roles and role targets, readable by anyone (no log-in)."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from catalogue import selectors

from .. import errors, schemas

router = Router(tags=["catalogue"], auth=None)

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def _slug(value: str) -> bool:
    return bool(SLUG.fullmatch(value))


@router.get(
    "/catalogue/skills",
    response={200: list[schemas.CatalogueSkillOut], **errors.LIMITED},
    operation_id="catalogue_skills",
    summary="Every published skill, by category",
)
def catalogue_skills(request: HttpRequest) -> list[dict[str, Any]]:
    index = selectors.catalogue_index()
    return [
        {**skill, "category": category["name"], "phase": category["phase"]}
        for category in index["categories"]
        for skill in category["skills"]
    ]


@router.get(
    "/catalogue/skills/{slug}",
    response={200: schemas.SkillDetailOut, 404: schemas.ErrorOut, **errors.LIMITED},
    operation_id="catalogue_skill",
    summary="One published skill: levels, prerequisites, resources, targets",
)
def catalogue_skill(
    request: HttpRequest, slug: str = Path(..., description="The skill's slug.")
) -> dict[str, Any]:
    skill = selectors.catalogue_skill(slug) if _slug(slug) else None
    if skill is None:
        raise errors.not_found("No such skill.")
    return skill


@router.get(
    "/catalogue/roles",
    response={200: list[schemas.CatalogueRoleOut], **errors.LIMITED},
    operation_id="catalogue_roles",
    summary="Every role",
)
def catalogue_roles(request: HttpRequest) -> list[dict[str, Any]]:
    roles: list[dict[str, Any]] = selectors.catalogue_index()["roles"]
    return roles


@router.get(
    "/catalogue/roles/{slug}",
    response={200: schemas.RoleDetailOut, 404: schemas.ErrorOut, **errors.LIMITED},
    operation_id="catalogue_role",
    summary="One role with its targets at every seniority",
)
def catalogue_role(
    request: HttpRequest, slug: str = Path(..., description="The role's slug.")
) -> dict[str, Any]:
    role = selectors.catalogue_role(slug) if _slug(slug) else None
    if role is None:
        raise errors.not_found("No such role.")
    return role


@router.get(
    "/catalogue/targets",
    response={200: list[schemas.TargetSummaryOut], **errors.LIMITED},
    operation_id="catalogue_targets",
    summary="Every role target: skills required and optional, hours from zero",
)
def catalogue_targets(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "role": o.key.role,
            "seniority": o.key.seniority,
            "name": o.name,
            "required": o.required,
            "optional": o.optional,
            "groups": o.groups,
            "hours_from_zero": o.hours_from_zero,
        }
        for o in selectors.target_overview()
    ]


@router.get(
    "/catalogue/targets/{role}/{seniority}",
    response={200: schemas.TargetDetailOut, 404: schemas.ErrorOut, **errors.LIMITED},
    operation_id="catalogue_target",
    summary="One role target: its skills, alternatives and hours to each level",
)
def catalogue_target(
    request: HttpRequest,
    role: str = Path(..., description="The role's slug."),
    seniority: str = Path(..., description="'entry', 'mid' or 'senior'."),
) -> dict[str, Any]:
    target = selectors.catalogue_target(role, seniority) if _slug(role) and _slug(seniority) else None
    if target is None:
        raise errors.not_found("No such target.")
    return target
