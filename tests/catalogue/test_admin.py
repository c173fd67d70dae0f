"""The catalogue in the admin: every page renders, the rules show as form errors, saves re-version."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalogue import selectors as catalogue_selectors
from catalogue.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@careerpath.test", "a-long-admin-password"
    )
    client.force_login(admin)
    return client


def test_admin_pages_render_for_every_model(staff_client, small_catalogue):
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        changelist = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == HTTPStatus.OK, opts.label
        add = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN), opts.label
        row = model.objects.first()
        if row is not None:
            change = staff_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            )
            assert change.status_code == HTTPStatus.OK, opts.label


def test_admin_needs_attention_filter_lists_incomplete_skills(staff_client, small_catalogue):
    small_catalogue["sql"].resources.update(is_free=False)
    response = staff_client.get(reverse("admin:catalogue_skill_changelist") + "?health=attention")
    assert list(response.context["cl"].queryset) == [small_catalogue["sql"]]


def _skill_post_data(skill) -> dict:
    """The admin change form's data for a skill, as the browser would send it unchanged."""
    data = {
        "slug": skill.slug,
        "name": skill.name,
        "description": skill.description,
        "category": skill.category_id,
        "kind": skill.kind,
        "covers": skill.covers,
        "source": skill.source,
        "is_published": "on" if skill.is_published else "",
    }
    groups = {
        "anchors": (skill.anchors.all(), ["level", "description", "hours_to_reach", "hours_source"]),
        "resources": (skill.resources.all(), ["title", "url", "resource_type", "is_free", "hours", "level"]),
        "prerequisites": (skill.prerequisites.all(), ["requires", "min_level"]),
        "targets": (skill.targets.all(), ["role", "seniority", "level", "weight", "required", "group"]),
        "questions": (skill.questions.all(), ["key", "level", "prompt", "active"]),
    }
    for prefix, (rows, fields) in groups.items():
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-skill"] = skill.pk
            for field in fields:
                value = getattr(row, field if field not in ("requires", "role") else f"{field}_id")
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{index}-{field}"] = "on"
                else:
                    data[f"{prefix}-{index}-{field}"] = value
    return {k: v for k, v in data.items() if v != ""}


def test_admin_refuses_a_published_skill_without_a_free_resource(staff_client, small_catalogue):
    skill = small_catalogue["sql"]
    data = _skill_post_data(skill)
    data.pop("resources-0-is_free", None)  # untick the only free resource
    response = staff_client.post(reverse("admin:catalogue_skill_change", args=[skill.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert "published skill needs at least one free resource" in response.content.decode()
    assert skill.resources.filter(is_free=True).exists()


def test_admin_refuses_a_prerequisite_cycle(staff_client, small_catalogue):
    python = small_catalogue["python"]
    data = _skill_post_data(python)
    data.update(
        {
            "prerequisites-TOTAL_FORMS": 1,
            "prerequisites-0-requires": small_catalogue["scikit-learn"].pk,
            "prerequisites-0-min_level": 1,
            "prerequisites-0-skill": python.pk,
        }
    )
    response = staff_client.post(reverse("admin:catalogue_skill_change", args=[python.pk]), data)
    assert "prerequisite cycle" in response.content.decode()
    assert not python.prerequisites.exists()


def test_admin_save_recomputes_the_catalogue_version(staff_client, small_catalogue):
    skill = small_catalogue["sql"]
    version = catalogue_selectors.catalogue_version()
    data = _skill_post_data(skill)
    data["description"] = "Structured Query Language, for data in tables."
    response = staff_client.post(reverse("admin:catalogue_skill_change", args=[skill.pk]), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    assert catalogue_selectors.catalogue_version() != version


def test_admin_question_needs_exactly_one_correct_choice(staff_client, small_catalogue):
    question = Question.objects.get(key="python-l1-a")
    choices = list(question.choices.all())
    data = {
        "key": question.key,
        "skill": question.skill_id,
        "level": 1,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "active": "on",
        "choices-TOTAL_FORMS": 4,
        "choices-INITIAL_FORMS": 4,
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-label": choice.label,
                f"choices-{index}-text": choice.text,
                f"choices-{index}-is_correct": "on",
            }
        )
    response = staff_client.post(reverse("admin:catalogue_question_change", args=[question.pk]), data)
    assert "needs exactly one correct choice; has 4" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1
