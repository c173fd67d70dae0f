"""Public pages describe themselves to search engines; large numbers print with thousands separators."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _descriptions(html: str) -> list[str]:
    return [unescape(found) for found in DESCRIPTION.findall(html)]


def test_every_page_has_one_meta_description(client):
    """The 404 page stands for any page without its own: it gets the site's default."""
    [default] = _descriptions(client.get("/no-such-page/").content.decode())
    assert "careerpath" in default and len(default) > 50


def test_the_public_pages_have_descriptions_of_their_own(client, small_catalogue):
    [default] = _descriptions(client.get("/no-such-page/").content.decode())
    pages = {
        "home": reverse("home"),
        "catalogue": reverse("catalogue_index"),
        "skill": reverse("catalogue_skill", args=["python"]),
        "target": reverse("catalogue_target", args=["machine-learning-engineer", "entry"]),
        "how we score": reverse("how_we_score"),
        "privacy": reverse("privacy"),
    }
    found = {}
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, what
        [found[what]] = _descriptions(response.content.decode())
        assert 50 <= len(found[what]) <= 200, (what, found[what])  # what a search result shows
        assert found[what] != default, what
    assert len(set(found.values())) == len(found)
    assert found["skill"].startswith("Python:")


def _render(template: str, context: dict) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return render_to_string(template, context, request=request)


def test_plan_progress_prints_hours_with_separators_and_keeps_the_bar_numeric():
    html = render_to_string(
        "roadmap/plan_progress.html", {"hours_done": 1250, "hours_planned": 4478, "percent_done": 28}
    )
    assert "1,250 of 4,478 hours done (28%)" in html
    assert 'value="1250" max="4478"' in html


def test_the_catalogue_target_page_prints_hours_with_separators():
    skill = {
        "slug": "python",
        "name": "Python",
        "category": "Programming",
        "level": 4,
        "weight": 5,
        "hours": 1320,
        "sources": [{"level": 4, "hours": 1100, "source": "a long syllabus"}],
    }
    html = _render(
        "catalogue/target.html",
        {
            "target": {"name": "Machine Learning Engineer, senior", "role": "mle", "hours_from_zero": 4478},
            "sections": [{"title": "Required", "skills": [skill]}],
        },
    )
    assert "<strong>4,478 study hours</strong>" in html
    assert "<td>1,320</td>" in html and "Level 4: 1,100 h" in html
    [description] = _descriptions(html)
    assert "about 4,478 study hours" in description
