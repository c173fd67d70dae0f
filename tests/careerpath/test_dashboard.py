"""The dashboard names the target a result measured, and says when the person's target moved on."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LEVELS = {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1}


def test_the_dashboard_names_the_measured_target_and_a_newer_one(user_client, user, small_catalogue):
    complete(user_client, start(user_client), LEVELS)
    body = user_client.get(reverse("dashboard")).content.decode()
    assert "ready for Machine Learning Engineer, entry level" in body
    assert "Your target is now" not in body

    Profile.objects.filter(user=user).update(seniority="mid")
    body = user_client.get(reverse("dashboard")).content.decode()
    assert "ready for Machine Learning Engineer, entry level" in body
    assert "Your target is now Machine Learning Engineer, mid level;" in body
    assert "retake the assessment</a> to measure it." in body


def test_before_the_first_assessment_the_dashboard_names_the_chosen_target(
    user_client, user, small_catalogue
):
    Profile.objects.filter(user=user).update(seniority="senior", onboarded_at=timezone.now())
    body = user_client.get(reverse("dashboard")).content.decode()
    assert "Your next step: take the assessment" in body
    assert "every skill your target (Machine Learning Engineer, senior) needs" in body
