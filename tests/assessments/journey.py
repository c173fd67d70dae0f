"""Taking an assessment through its pages, as a person's browser would (for view tests)."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus

from django.urls import reverse

from assessments.models import Assessment, Result
from catalogue import services as catalogue_services
from catalogue.models import Skill, SkillCategory
from tests.catalogue import factories as catalogue_factories


def start(client) -> Assessment:
    response = client.post(reverse("assessment_start"))
    assert response.status_code == HTTPStatus.FOUND
    return Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)


def step_url(assessment, index):
    return reverse("assessment_step", args=[assessment.pk, index])


def rate(client, assessment, index, levels: dict[str, int], **extra):
    data = {"step": index, **extra}
    for slug, level in levels.items():
        data[f"skill_{Skill.objects.get(slug=slug).pk}"] = level
    return client.post(step_url(assessment, index), data)


def answer_all(client, assessment, index, *, right=True, certainty="certain", dont_know=False, **extra):
    response = client.get(step_url(assessment, index))
    data = {"step": index, **extra}
    for answer, _field, _certainty in response.context["form"].groups():
        choices = answer.question.choices.all()
        pick = next(c for c in choices if c.is_correct == right)
        data[f"answer_{answer.pk}"] = "dontknow" if dont_know else pick.pk
        data[f"certainty_{answer.pk}"] = certainty
    return client.post(step_url(assessment, index), data)


def complete(client, assessment, levels, **answer_options):
    """Go through every page with the given levels, answering every check.

    The pages are read again after each one: rounds of checks end early once every skill is settled.
    """
    index = 0
    while True:
        assessment.refresh_from_db()
        key = assessment.steps[index]
        if key == "review":
            break
        kind, _, category = key.partition(":")
        if kind == "rate":
            in_category = {
                s: lvl for s, lvl in levels.items() if Skill.objects.get(slug=s).category.slug == category
            }
            response = rate(client, assessment, index, in_category)
        else:
            response = answer_all(client, assessment, index, **answer_options)
        assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
        index += 1
    return client.post(reverse("assessment_submit", args=[assessment.pk]))


def rate_all(client, assessment, levels: dict[str, int]) -> int:
    """Rate every ratings page; returns the index of the first page after them (round 1)."""
    index = 0
    for index, key in enumerate(assessment.steps):
        kind, _, category = key.partition(":")
        if kind != "rate":
            return index
        in_category = {
            s: lvl for s, lvl in levels.items() if Skill.objects.get(slug=s).category.slug == category
        }
        response = rate(client, assessment, index, in_category)
        assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    return index + 1


def copy_result(result: Result, created_at: datetime | None = None) -> Result:
    """Another submitted result of the same person, the same as ``result`` (written at ``created_at``)."""
    finished = Assessment.objects.create(
        user=result.user, status=Assessment.Status.SUBMITTED, catalogue_version="v"
    )
    copy = Result.objects.create(
        assessment=finished,
        user=result.user,
        catalogue_version=result.catalogue_version,
        focus=result.focus,
        readiness=result.readiness,
        snapshot_json=result.snapshot_json,
    )
    if created_at is not None:
        Result.objects.filter(pk=copy.pk).update(created_at=created_at)
    return copy


def grow(user, *, skills: int, results: int) -> None:
    """Many more skills (in the programming category and in new ones), and a longer history of
    ``user``'s first result copied ``results`` times: for query counts that must not grow."""
    programming = SkillCategory.objects.get(slug="programming")
    for index in range(skills):
        category = programming if index % 2 else catalogue_factories.CategoryFactory(slug=f"more-{index}")
        catalogue_factories.complete_skill(
            slug=f"more-skill-{index}", category=category, name=f"More {index}"
        )
    catalogue_services.refresh_catalogue_version()
    template = Result.objects.filter(user=user).first()
    for _ in range(results):
        copy_result(template)
