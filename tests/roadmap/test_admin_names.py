"""The admin names the roadmap's models in plain English."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_lists_step_progress_without_a_stray_s(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@careerpath.test", "a-long-admin-password"
    )
    client.force_login(admin)
    body = client.get(reverse("admin:index")).content.decode()
    assert ">Step progress<" in body
    assert "progresss" not in body.lower()
