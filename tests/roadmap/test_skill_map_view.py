"""The skill map: open to all uncoloured, and each person's own, coloured by where they stand."""

from __future__ import annotations

from http import HTTPStatus
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts.models import Profile
from catalogue import services as catalogue_services
from catalogue import skillmap
from catalogue.models import Prerequisite, Skill
from catalogue.skillmap import NodeStatus
from roadmap import skillmap_status
from roadmap.models import RoadmapStep, StepProgress
from tests.assessments.journey import complete, start
from tests.catalogue import factories as catalogue_factories

pytestmark = pytest.mark.django_db

MARKERS = ("✓ done", "▶ in progress", "→ next", "… later", "✕ set aside")


def row(slug: str, status: str = "todo", to_level: int = 3, kind: str = "skill") -> SimpleNamespace:
    details = SimpleNamespace(kind=kind, slug=slug, to_level=to_level, from_level=to_level - 1)
    return SimpleNamespace(step=SimpleNamespace(details=details), status=status)


# --- the statuses (pure) -----------------------------------------------------------------------


def test_done_in_progress_next_and_later_follow_the_plan_order():
    rows = [
        row("python", "done"),
        row("sql", "in_progress"),
        row("certification", kind="milestone"),
        row("numpy"),
        row("pandas"),
        row("pytorch"),
        row("spark"),
    ]
    result = skillmap_status.statuses(rows, set(), {"python": 1, "sql": 1, "numpy": 0})
    assert result["python"] == NodeStatus("done", 3)
    assert result["sql"] == NodeStatus("in_progress", 1)
    # The first three open skill steps: sql (in progress), numpy, pandas.
    assert result["numpy"] == NodeStatus("next", 0)
    assert result["pandas"] == NodeStatus("next", 0)
    assert result["pytorch"] == NodeStatus("later", 0)
    assert result["spark"] == NodeStatus("later", 0)
    assert "certification" not in result


def test_level_by_level_steps_make_a_skill_in_progress_until_every_level_is_done():
    rows = [row("python", "done", to_level=2), row("python", "todo", to_level=3), row("python", "todo", 4)]
    assert skillmap_status.statuses(rows, set(), {"python": 1})["python"] == NodeStatus("in_progress", 2)
    rows = [row("python", "done", to_level=2), row("python", "done", to_level=3)]
    assert skillmap_status.statuses(rows, set(), {"python": 1})["python"] == NodeStatus("done", 3)


def test_a_skill_whose_open_steps_all_fall_in_the_first_three_is_next():
    rows = [
        row("python", "todo", 2),
        row("python", "todo", 3),
        row("sql", "todo", 1),
        row("spark", "todo", 1),
    ]
    result = skillmap_status.statuses(rows, set(), {})
    assert (result["python"].status, result["sql"].status, result["spark"].status) == (
        "next",
        "next",
        "later",
    )


def test_skipped_steps_below_the_target_are_set_aside_and_met_targets_are_done():
    rows = [row("r", "skipped", to_level=2), row("java", "skipped", to_level=2)]
    result = skillmap_status.statuses(rows, set(), {"r": 0, "java": 2})
    assert result["r"] == NodeStatus("set_aside", 0)
    assert result["java"] == NodeStatus("done", 2)


def test_set_aside_skills_are_set_aside_and_skills_outside_the_plan_show_their_level_only():
    result = skillmap_status.statuses([row("python")], {"spark"}, {"spark": 1, "sql": 2})
    assert result["spark"] == NodeStatus("set_aside", 1)
    assert result["sql"] == NodeStatus(None, 2)
    assert result["python"] == NodeStatus("next", 0)


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def planned(user_client, user, small_catalogue):
    """A submitted assessment with low levels everywhere: every skill has a gap, so a plan."""
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}, right=False)
    return user_client


def test_the_open_map_needs_no_login_and_links_every_published_skill(client, small_catalogue):
    catalogue_factories.SkillFactory(slug="draft-skill", name="Draft skill", is_published=False)
    catalogue_factories.SkillFactory(slug="old-framework", name="Old framework", is_historical=True)
    response = client.get(reverse("catalogue_map"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for slug in small_catalogue:
        assert page.count(f'href="{reverse("catalogue_skill", args=[slug])}"') == 2  # picture and list
    assert "Draft skill" not in page and "Old framework" not in page
    assert "needs: Python level 2" in page
    for marker in MARKERS:
        assert marker not in page


def test_the_catalogue_index_links_to_the_map(client, small_catalogue):
    assert reverse("catalogue_map") in client.get(reverse("catalogue_index")).content.decode()


def test_the_personal_map_needs_a_login(client, small_catalogue):
    response = client.get(reverse("roadmap_map"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_before_an_assessment_the_personal_map_is_uncoloured_and_points_to_it(user_client, small_catalogue):
    page = user_client.get(reverse("roadmap_map")).content.decode()
    assert reverse("assessment_start") in page and "taken the assessment" in page
    assert 'href="/catalogue/skills/python/"' in page
    for marker in MARKERS:
        assert marker not in page


def test_the_personal_map_shows_the_persons_own_statuses_and_never_anothers(planned, user, other_user):
    # Whether the plan has one step per skill or one per level, all of Python's steps are done.
    for step in RoadmapStep.objects.filter(user=user, details_json__slug="python"):
        StepProgress.objects.create(user=user, key=step.key, status="done")
    page = planned.get(reverse("roadmap_map")).content.decode()
    assert 'aria-label="Python ✓ done, level 3 (Programming)"' in page
    assert "→ next" in page
    assert reverse("roadmap") in page

    other = Client()
    other.force_login(other_user)
    theirs = other.get(reverse("roadmap_map")).content.decode()
    for marker in MARKERS:
        assert marker not in theirs
    assert "taken the assessment" in theirs


def test_the_roadmap_links_to_the_map(planned):
    assert reverse("roadmap_map") in planned.get(reverse("roadmap")).content.decode()


def test_the_map_works_without_javascript(planned):
    """The picture is inline SVG of plain links, with the same graph as a list: no script draws it."""
    page = planned.get(reverse("roadmap_map")).content.decode()
    content = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<script" not in content and "hx-" not in content
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="skillmap"' in content
    assert '<ol class="skillmap-list">' in content
    assert '<a href="/catalogue/skills/python/" aria-label="Python ' in content


def grow_catalogue(times: int) -> None:
    """Copy every published skill and its prerequisites ``times - 1`` more times."""
    skills = list(Skill.objects.filter(is_published=True).select_related("category"))
    edges = list(Prerequisite.objects.values_list("skill__slug", "requires__slug", "min_level"))
    for copy in range(1, times):
        made = {
            s.slug: catalogue_factories.SkillFactory(
                slug=f"{s.slug}-{copy}", name=f"{s.name} {copy}", category=s.category
            )
            for s in skills
        }
        Prerequisite.objects.bulk_create(
            Prerequisite(skill=made[skill], requires=made[requires], min_level=level)
            for skill, requires, level in edges
        )
    catalogue_services.refresh_catalogue_version()


@pytest.mark.parametrize("name", ["catalogue_map", "roadmap_map"])
def test_the_query_count_stays_flat_as_the_catalogue_grows_tenfold(
    planned, name, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as small:
        assert planned.get(reverse(name)).status_code == HTTPStatus.OK
    grow_catalogue(10)
    assert Skill.objects.filter(is_published=True).count() == 40
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = planned.get(reverse(name)).content.decode()
    assert "Python 9" in page


def test_the_layout_is_computed_once_per_catalogue_version(planned):
    with mock.patch.object(skillmap, "layout", wraps=skillmap.layout) as layout:
        for name in ("catalogue_map", "roadmap_map", "roadmap_map"):
            planned.get(reverse(name))
        assert layout.call_count == 1
        Skill.objects.filter(slug="sql").update(name="Structured Query Language")
        catalogue_services.refresh_catalogue_version()
        page = planned.get(reverse("roadmap_map")).content.decode()
        assert layout.call_count == 2
    assert "Structured Query Language" in page
