"""Choosing a target before the first assessment: role, seniority, alternatives, set-asides, additions."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Profile
from assessments.models import Answer, Assessment
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

MLE = "machine-learning-engineer"


@pytest.fixture
def newcomer(client, full_catalogue):
    """A person who just signed up and has not chosen a target yet."""
    user = UserFactory()
    Profile.objects.filter(user=user).update(onboarded_at=None)
    client.force_login(user)
    return user


def choose_target(client, *, role=MLE, seniority="entry", hours=10):
    from catalogue.models import Role

    return client.post(
        reverse("onboarding"),
        {"role": Role.objects.get(slug=role).pk, "seniority": seniority, "hours_per_week": hours},
    )


def test_the_assessment_waits_until_the_person_chose_a_target(client, newcomer):
    response = client.get(reverse("assessment_start"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("onboarding")
    assert "Choose your target" in client.get(reverse("dashboard")).content.decode()


def test_the_first_step_lists_every_target_with_its_hours_from_zero(client, newcomer):
    page = client.get(reverse("onboarding")).content.decode()
    for name in ("Machine Learning Engineer, entry level", "Data Scientist, senior"):
        assert name in page
    assert "Hours from zero" in page


@pytest.mark.parametrize(
    "bad",
    [{"seniority": "ceo"}, {"hours_per_week": "0"}, {"hours_per_week": "abc"}, {"role": "999999"}],
)
def test_a_bad_first_step_is_shown_again_and_saves_nothing(client, newcomer, bad):
    from catalogue.models import Role

    before = Profile.objects.filter(user=newcomer).values().get()
    data = {"role": Role.objects.get(slug=MLE).pk, "seniority": "mid", "hours_per_week": "12"} | bad
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == HTTPStatus.OK
    assert "nothing was saved" in response.content.decode()
    assert Profile.objects.filter(user=newcomer).values().get() == before


def test_choosing_pytorch_and_setting_java_aside_keeps_tensorflow_and_java_out_of_the_assessment(
    client, newcomer
):
    """The person is never rated or checked on a skill they did not choose."""
    assert choose_target(client, seniority="entry", hours=12).url == reverse("onboarding_choices")
    page = client.get(reverse("onboarding_choices")).content.decode()
    assert "One of: PyTorch, TensorFlow and Keras" in page
    response = client.post(
        reverse("onboarding_choices"),
        {"group_deep-learning-framework": "pytorch", "group_second-language": "set-aside"},
    )
    assert response.status_code == HTTPStatus.FOUND and response.url == reverse("assessment_start")
    profile = Profile.objects.get(user=newcomer)
    assert profile.onboarded_at is not None and (profile.seniority, profile.hours_per_week) == ("entry", 12)

    start = client.get(reverse("assessment_start")).content.decode()
    assert "Machine Learning Engineer, entry level" in start and "PyTorch" in start
    client.post(reverse("assessment_start"))
    assessment = Assessment.objects.get(user=newcomer)
    assert "pytorch" in assessment.scope
    assert not {"tensorflow-keras", "java", "cpp", "legacy-frameworks"} & set(assessment.scope)
    assert assessment.target["role"] == MLE and assessment.target["seniority"] == "entry"
    programming = client.get(reverse("assessment_step", args=[assessment.pk, 0])).content.decode()
    assert assessment.steps[0] == "rate:programming"
    assert "Python" in programming and "Java" not in programming and "C++" not in programming
    assert not Answer.objects.filter(
        assessment=assessment, skill__slug__in=["tensorflow-keras", "java"]
    ).exists()


def test_a_tampered_choice_is_refused_and_changes_nothing(client, newcomer):
    choose_target(client)
    response = client.post(
        reverse("onboarding_choices"),
        {"group_deep-learning-framework": "java", "group_second-language": "cpp"},
    )
    assert response.status_code == HTTPStatus.OK
    profile = Profile.objects.get(user=newcomer)
    assert profile.onboarded_at is None and not profile.chosen_skills.exists()


def test_optional_skills_set_aside_and_skills_added_change_what_is_assessed(client, newcomer):
    choose_target(client)
    client.post(
        reverse("onboarding_choices"),
        {
            "group_deep-learning-framework": "tensorflow-keras",
            "group_second-language": "java",
            "set_aside": ["spark", "r"],
            "added": ["legacy-frameworks"],
        },
    )
    # A historical skill cannot be added (it is not offered), so the form refuses the whole step.
    assert Profile.objects.get(user=newcomer).onboarded_at is None
    client.post(
        reverse("onboarding_choices"),
        {
            "group_deep-learning-framework": "tensorflow-keras",
            "group_second-language": "java",
            "set_aside": ["spark"],
        },
    )
    client.post(reverse("assessment_start"))
    scope = set(Assessment.objects.get(user=newcomer).scope)
    assert {"tensorflow-keras", "java"} <= scope
    assert not {"pytorch", "cpp", "spark"} & scope


def test_the_profile_names_the_target_and_links_to_change_it(client, newcomer):
    choose_target(client, seniority="senior")
    client.post(
        reverse("onboarding_choices"),
        {"group_deep-learning-framework": "pytorch", "group_second-language": "cpp"},
    )
    page = client.get(reverse("profile")).content.decode()
    assert "Machine Learning Engineer, senior" in page and reverse("onboarding") in page


def test_the_result_records_the_target_and_role_fit_names_what_it_could_not_count(client, newcomer):
    """Results say which target and choices they used; other targets count only what was assessed."""
    from assessments.models import Result
    from tests.assessments.journey import complete

    choose_target(client)
    client.post(
        reverse("onboarding_choices"),
        {"group_deep-learning-framework": "pytorch", "group_second-language": "set-aside"},
    )
    client.post(reverse("assessment_start"))
    assessment = Assessment.objects.get(user=newcomer)
    complete(client, assessment, dict.fromkeys(assessment.scope, 1), right=False)
    result = Result.objects.get(user=newcomer)
    frozen = result.snapshot
    assert result.focus == f"{MLE}:entry" and frozen.focus == result.focus
    assert (frozen.target.role, frozen.target.seniority) == (MLE, "entry")
    assert "pytorch" in frozen.target.chosen and "cpp" in frozen.target.set_aside
    assert frozen.roles[f"{MLE}:entry"].uncounted == ()
    # From mid level on, one of Java and C++ is required: this result did not measure it.
    assert frozen.roles[f"{MLE}:mid"].uncounted == ("cpp",)
    page = client.get(result.get_absolute_url()).content.decode()
    assert "Machine Learning Engineer, entry level" in page
    assert "Not counted (not assessed): C++" in page


def test_the_open_catalogue_shows_a_target_with_alternatives_hours_and_their_sources(client, full_catalogue):
    page = client.get(reverse("catalogue_target", args=[MLE, "entry"])).content.decode()
    assert "One of: PyTorch, TensorFlow and Keras" in page
    assert "study hours" in page and "Where the hours come from" in page
    assert (
        client.get(reverse("catalogue_target", args=[MLE, "principal"])).status_code == HTTPStatus.NOT_FOUND
    )
    role = client.get(reverse("catalogue_role", args=[MLE])).content.decode()
    assert "Machine Learning Engineer, senior" in role
