"""htmx is loaded only by the pages that swap parts of themselves: the roadmap and a step's page."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.urls import reverse

from assessments.models import Result
from roadmap.models import RoadmapStep
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

HTMX = static("django_htmx/htmx-2.min.js")


def test_only_the_roadmap_and_a_steps_page_load_htmx(user_client, user, small_catalogue):
    complete(user_client, start(user_client), {"python": 1, "sql": 1, "scikit-learn": 0, "pytorch": 0})
    result = Result.objects.get(user=user)
    step = RoadmapStep.objects.filter(user=user).order_by("position").first()
    with_htmx = [reverse("roadmap"), reverse("roadmap_study_log", args=[step.key])]
    without = [
        reverse("dashboard"),
        reverse("result_detail", args=[result.pk]),
        reverse("progress"),
        reverse("roadmap_map"),
        reverse("how_we_score"),
        reverse("catalogue_index"),
        reverse("profile"),
    ]
    for path in with_htmx:
        assert HTMX in user_client.get(path).content.decode(), path
    for path in without:
        page = user_client.get(path).content.decode()
        assert HTMX not in page and " hx-" not in page.replace("hx-headers", ""), path
