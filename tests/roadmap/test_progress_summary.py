"""The progress summary: gaps that opened as well as closed, and results of one day told apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Result
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}
HIGH = {"python": 3, "sql": 3, "scikit-learn": 3, "pytorch": 3}


def _two_results(client, user, first_levels, second_levels, **second_answers):
    complete(client, start(client), first_levels)
    first = Result.objects.get(user=user)
    Result.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    complete(client, start(client), second_levels, **second_answers)
    return Result.objects.filter(user=user).order_by("created_at")


def test_the_summary_names_the_gaps_that_opened(user_client, user, small_catalogue):
    _first, second = _two_results(user_client, user, HIGH, LOW, right=False)
    opened = sorted(
        s.name for s in second.snapshot.skills if second.snapshot.roles[second.focus].skills[s.slug].gap > 0
    )
    assert opened
    body = user_client.get(reverse("progress")).content.decode()
    shown = ", ".join(opened[:3]) + (f" and {len(opened) - 3} more" if len(opened) > 3 else "")
    assert f"{len(opened)} new gap{'s' if len(opened) > 1 else ''} opened ({shown});" in body


def test_the_summary_says_when_no_gap_opened(user_client, user, small_catalogue):
    _two_results(user_client, user, LOW, HIGH)
    body = user_client.get(reverse("progress")).content.decode()
    assert "and no new gaps opened;" in body


def test_two_results_of_one_day_show_their_times(user_client, user, small_catalogue):
    first, second = _two_results(user_client, user, LOW, HIGH)
    if timezone.localdate(first.created_at) != timezone.localdate(second.created_at):
        Result.objects.filter(pk=first.pk).update(created_at=second.created_at - timedelta(minutes=5))
        first.refresh_from_db()
    page = user_client.get(reverse("progress"))
    body = page.content.decode()
    for result in (first, second):
        local = timezone.localtime(result.created_at)
        assert f'<th scope="row">{local:%-d %b %Y %H:%M}' in body
    labels = page.context["chart"]["labels"]
    assert len(set(labels)) == len(labels) == 2
