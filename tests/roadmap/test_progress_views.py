"""Retakes and progress, salary context, the person's own data, and the open catalogue."""

from __future__ import annotations

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Profile
from assessments.models import Answer, Assessment, Result, SelfRating
from catalogue import selectors as catalogue_selectors
from catalogue.models import SalaryBenchmark
from roadmap.models import RoadmapStep, StepProgress
from tests.accounts import factories as account_factories
from tests.assessments.journey import complete, rate_all, start, step_url

pytestmark = pytest.mark.django_db

LOW = {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}
HIGH = {"python": 3, "sql": 3, "scikit-learn": 3, "pytorch": 3}


@pytest.fixture
def two_results(user_client, user, small_catalogue):
    complete(user_client, start(user_client), LOW, right=False)
    first = Result.objects.get(user=user)
    Result.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=35))
    step = RoadmapStep.objects.filter(user=user).order_by("position").first()
    user_client.post(
        reverse("roadmap_step", args=[step.key]), {"status": "done", "notes": "kept across retakes"}
    )
    complete(user_client, start(user_client), HIGH)
    return Result.objects.filter(user=user).order_by("created_at")


def test_a_retake_prefills_the_self_ratings_only(user_client, user, small_catalogue):
    complete(user_client, start(user_client), {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    retake = start(user_client)
    ratings = dict(SelfRating.objects.filter(assessment=retake).values_list("skill__slug", "level"))
    assert ratings == {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0}
    assert not Answer.objects.filter(assessment=retake, answered_at__isnull=False).exists()
    page = user_client.get(step_url(retake, 0))
    python = small_catalogue["python"]
    assert page.context["form"][f"skill_{python.pk}"].value() == 2


def test_a_retake_prefers_unseen_questions_and_counts_repeats_as_seen(user_client, user, small_catalogue):
    first = start(user_client)
    complete(user_client, first, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    seen = set(Answer.objects.filter(assessment=first).values_list("question_id", flat=True))
    retake = start(user_client)
    rate_all(user_client, retake, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    fresh = Answer.objects.filter(assessment=retake)
    # The factory gives two questions per level, so every check can be a question not seen before.
    assert fresh.exists()
    assert not set(fresh.values_list("question_id", flat=True)) & seen
    assert not fresh.filter(seen_before=True).exists()


def test_the_dashboard_suggests_a_retake_after_the_interval(user_client, user, small_catalogue, settings):
    complete(user_client, start(user_client), LOW)
    page = user_client.get(reverse("dashboard")).content.decode()
    assert "A retake is suggested from" in page
    Result.objects.filter(user=user).update(
        created_at=timezone.now() - timedelta(days=settings.CAREERPATH_RETAKE_INTERVAL_DAYS)
    )
    page = user_client.get(reverse("dashboard")).content.decode()
    assert "Retake the assessment" in page


def test_the_progress_page_shows_readiness_over_time_and_what_changed(user_client, user, two_results):
    first, second = two_results
    page = user_client.get(reverse("progress"))
    body = page.content.decode()
    assert page.context["chart"]["series"][0]["values"] == [
        round(first.readiness["machine-learning-engineer:entry"] * 100),
        round(second.readiness["machine-learning-engineer:entry"] * 100),
    ]
    assert f"Since {first.created_at:%-d %B %Y} you closed" in body
    before, after = (round(r.readiness["machine-learning-engineer:entry"] * 100) for r in (first, second))
    assert before < after
    assert f"{before}% &rarr; {after}%" in body
    assert {row["name"] for row in page.context["changes"]} == {"Python", "SQL", "scikit-learn", "PyTorch"}
    assert "kept across retakes" not in body  # notes stay on the roadmap
    done = StepProgress.objects.get(user=user, status="done")
    assert [step.title for step in page.context["completed"]] == [
        RoadmapStep.objects.get(user=user, key=done.key).details.heading
    ]


def test_a_retake_keeps_step_status_and_notes_by_key(user, two_results):
    progress = StepProgress.objects.get(user=user)
    assert progress.notes == "kept across retakes" and progress.status == "done"


def test_comparing_someone_elses_results_is_refused(user_client, user, other_user, two_results):
    theirs = account_factories.UserFactory()
    foreign = Result.objects.create(
        assessment=Assessment.objects.create(user=theirs, status="submitted", catalogue_version="v"),
        user=theirs,
        catalogue_version="v",
        focus="machine-learning-engineer",
        readiness={},
        snapshot_json={"skills": [], "roles": {}, "categories": [], "checks": [], "headline_role": ""},
    )
    first, _second = two_results
    response = user_client.get(reverse("progress"), {"from": first.pk, "to": foreign.pk})
    assert response.status_code == HTTPStatus.OK
    assert "Choose two of your own assessments to compare." in response.content.decode()
    assert response.context["changes"] == []


@pytest.mark.parametrize(
    "params", [{"from": "x", "to": "1e9"}, {"from": "-1"}, {"to": "99999999999999999999"}]
)
def test_bad_compare_parameters_never_break_the_page(user_client, two_results, params):
    assert user_client.get(reverse("progress"), params).status_code == HTTPStatus.OK


# --- salary context -------------------------------------------------------------------------


@pytest.fixture
def salaries(db):
    rows = [
        ("city", "Bangalore", "IN", "Bengaluru", 1000000),
        ("city", "Gurgaon", "IN", "Gurugram", 900000),
        ("company", "TCS", "IN", "", 740000),
        ("country", "United States", "US", "USA", 8480000),
        ("country", "India", "IN", "", 795677),
    ]
    for dimension, label, code, aliases, amount in rows:
        SalaryBenchmark.objects.create(
            dimension=dimension,
            label=label,
            country_code=code,
            aliases=aliases,
            amount_min=amount,
            amount_max=amount,
            currency="INR",
            source="Glassdoor",
            year=2025,
            seed_section="x#salary",
        )


@pytest.mark.parametrize(
    ("city", "expected"), [("Bengaluru", "Bangalore"), ("bangalore", "Bangalore"), ("Gurugram", "Gurgaon")]
)
def test_salary_context_matches_the_city_by_label_or_alias(user, salaries, city, expected):
    context = catalogue_selectors.salary_context(city=city, country_code="IN", country_name="India")
    assert [r.label for r in context.city] == [expected]
    assert {r.label for r in context.country} == {"TCS", "India"}
    assert [r.label for r in context.countries] == ["United States"]


def test_salary_context_without_a_location_shows_the_country_table(user, salaries):
    context = catalogue_selectors.salary_context(city="", country_code="", country_name="")
    assert context.city == [] and context.country == []
    assert {r.label for r in context.countries} == {"United States", "India"}


def test_the_roadmap_shows_salary_figures_with_source_and_year(user_client, user, salaries, small_catalogue):
    profile = account_selectors.profile_get(user=user)
    profile.city, profile.country = "Bengaluru", "IN"
    profile.save()
    body = user_client.get(reverse("roadmap")).content.decode()
    assert "INR 10L" in body and "Glassdoor, 2025" in body and "never a promise" in body


# --- own data -------------------------------------------------------------------------------


def test_the_data_download_holds_everything_about_the_person(user_client, user, two_results):
    response = user_client.get(reverse("account_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert len(data["assessments"]) == 2
    assert all(a["result"]["snapshot"]["skills"] for a in data["assessments"])
    # Each result's measurement, plainly: level, 90% range, probabilities, every check; readiness with its interval.
    measured = data["assessments"][0]["result"]["measurement"]
    python = measured["skills"]["python"]
    assert python["low"] <= python["level"] <= python["high"]
    assert len(python["probabilities"]) == 5 and abs(sum(python["probabilities"]) - 1) < 1e-3
    asked = [check for skill in measured["skills"].values() for check in skill["checks"]]
    assert asked and all({"question", "level", "outcome", "certainty"} <= set(check) for check in asked)
    readiness = measured["readiness"]["machine-learning-engineer:entry"]
    assert readiness["low"] <= readiness["value"] <= readiness["high"]
    assert data["plan"] and data["step_progress"][0]["notes"] == "kept across retakes"


def test_deleting_the_account_needs_the_password_and_removes_everything(user_client, user, two_results):
    response = user_client.post(reverse("account_delete"), {"password": "wrong password!", "confirm": "on"})
    assert "That is not your current password; nothing was deleted." in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()
    response = user_client.post(
        reverse("account_delete"), {"password": account_factories.PASSWORD, "confirm": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND
    for model in (Assessment, Result, RoadmapStep, StepProgress, SelfRating, Answer, Profile):
        assert not model.objects.exists(), model.__name__
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert user_client.get(reverse("dashboard")).status_code == HTTPStatus.FOUND


# --- the open catalogue ------------------------------------------------------------------------


def test_the_open_catalogue_lists_skills_anchors_and_targets_but_never_questions(client, small_catalogue):
    index = client.get(reverse("catalogue_index")).content.decode()
    assert "Python" in index and "Machine Learning Engineer" in index
    skill = client.get(reverse("catalogue_skill", args=["scikit-learn"])).content.decode()
    assert "Works independently with scikit-learn" in skill
    assert "Python</a> at level 2" in skill
    assert "docs.python.org" in skill
    assert "question" not in skill.lower()
    role = client.get(reverse("catalogue_role", args=["data-scientist"])).content.decode()
    assert "SQL" in role
    assert client.get(reverse("catalogue_skill", args=["nope"])).status_code == HTTPStatus.NOT_FOUND


def test_the_open_catalogue_is_cached_by_catalogue_version(
    client, small_catalogue, django_assert_max_num_queries
):
    client.get(reverse("catalogue_skill", args=["python"]))
    with django_assert_max_num_queries(3):  # the catalogue version, inside the request's savepoint
        client.get(reverse("catalogue_skill", args=["python"]))


def test_the_roadmap_shows_gaps_closed_by_a_retake_as_achieved(user_client, two_results):
    body = user_client.get(reverse("roadmap")).content.decode()
    assert "Achieved since your previous assessment" in body
    assert "PyTorch" in body.split("Achieved since your previous assessment")[1].split("</div>")[0]


def test_changing_hours_per_week_retimes_the_open_steps(user_client, user, small_catalogue):
    complete(user_client, start(user_client), LOW, right=False)
    before = RoadmapStep.objects.filter(user=user).order_by("-position").first().planned_end
    profile = account_selectors.profile_get(user=user)
    response = user_client.post(
        reverse("profile"),
        {
            "display_name": "Ada",
            "hours_per_week": profile.hours_per_week * 4,
            "target_role": profile.target_role.pk,
            "experience_level": "student",
            "country": "",
            "city": "",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    after = RoadmapStep.objects.filter(user=user).order_by("-position").first().planned_end
    assert after < before


def test_a_change_of_scoring_method_is_marked_not_drawn_as_progress(user_client, user, small_catalogue):
    """A result scored before the Bayesian measurement keeps its own chart line and is marked."""
    from pathlib import Path

    from assessments.models import Assessment

    stored = Path(__file__).resolve().parents[1] / "assessments" / "snapshots" / "result-v3.json"
    legacy = json.loads(stored.read_text(encoding="utf-8"))
    old = Assessment.objects.create(user=user, status=Assessment.Status.SUBMITTED, catalogue_version="old")
    Result.objects.create(
        assessment=old,
        user=user,
        catalogue_version="old",
        focus=legacy["focus"],
        readiness={legacy["focus"]: 0.9},
        snapshot_json=legacy,
    )
    Result.objects.filter(assessment=old).update(created_at=timezone.now() - timedelta(days=40))
    complete(user_client, start(user_client), HIGH)
    page = user_client.get(reverse("progress"))
    body = page.content.decode()
    assert "new scoring method" in body
    assert "scored by different methods" in body
    labels = [s["label"] for s in page.context["chart"]["series"]]
    assert any(label.endswith("(earlier scoring)") for label in labels)
    earlier = next(s for s in page.context["chart"]["series"] if s["label"].endswith("(earlier scoring)"))
    assert earlier["values"] == [90, None]
