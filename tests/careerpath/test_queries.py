"""The main pages run a bounded number of queries that grows neither with the catalogue nor with history."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Result
from tests.assessments.journey import complete, grow, rate, start

pytestmark = pytest.mark.django_db

MAX_QUERIES = 16


def page_urls(user) -> dict[str, str]:
    in_progress = Assessment.objects.get(user=user, status=Assessment.Status.IN_PROGRESS)
    result = Result.objects.filter(user=user).order_by("-created_at").first()
    return {
        "ratings": reverse("assessment_step", args=[in_progress.pk, 0]),
        "checks": reverse("assessment_step", args=[in_progress.pk, 1]),
        "review": reverse("assessment_step", args=[in_progress.pk, len(in_progress.steps) - 1]),
        "results": reverse("result_detail", args=[result.pk]),
        "roadmap": reverse("roadmap"),
        "progress": reverse("progress"),
        "dashboard": reverse("dashboard"),
        "catalogue": reverse("catalogue_index"),
        "catalogue skill": reverse("catalogue_skill", args=["python"]),
    }


def count_queries(client, urls) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm the catalogue cache, as a running server would be
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK, name
        counts[name] = len(captured.captured_queries)
    return counts


def test_query_counts_are_small_and_flat(user_client, user, small_catalogue, django_assert_max_num_queries):
    for _ in range(2):  # two results, so the progress page compares them
        complete(
            user_client,
            start(user_client),
            {"python": 1, "sql": 1, "scikit-learn": 0, "pytorch": 0},
            right=False,
        )
    in_progress = start(user_client)
    rate(user_client, in_progress, 0, {"python": 1, "sql": 1})
    Assessment.objects.filter(pk=in_progress.pk).update(furthest_step=len(in_progress.steps) - 1)
    user_client.post(reverse("roadmap_step", args=["skill:python:2"]), {"status": "done"})
    urls = page_urls(user)
    before = count_queries(user_client, urls)
    assert max(before.values()) <= MAX_QUERIES, before

    grow(user, skills=30, results=40)
    after = count_queries(user_client, urls)
    assert after == before

    for url in urls.values():
        with django_assert_max_num_queries(MAX_QUERIES):
            user_client.get(url)
