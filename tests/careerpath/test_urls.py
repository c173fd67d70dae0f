"""A sweep driven by the URLconf: every pattern is classified, and each class gets its checks.

Add a new URL to ``ACCESS`` (and a way to build it in ``SAMPLE_ARGS`` if it takes arguments);
the test fails for any pattern that is not classified.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api import services as api_services
from assessments.models import Answer, Assessment, Result, SelfRating
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StepProgress

pytestmark = pytest.mark.django_db

PUBLIC, LOGIN, STAFF, OBJECT = "public", "login required", "staff", "object-scoped"

ACCESS = {
    # ours
    "home": PUBLIC,
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "robots_txt": PUBLIC,
    "privacy": PUBLIC,
    "how_we_score": PUBLIC,
    "catalogue_index": PUBLIC,
    "catalogue_skill": PUBLIC,
    "catalogue_role": PUBLIC,
    "catalogue_target": PUBLIC,
    "catalogue_map": PUBLIC,
    "weekly_email_stop": PUBLIC,  # the signed token in the address authorises it
    "set_language": PUBLIC,  # the language switch (POST); a logged-in person's choice is also saved
    "sample_result": PUBLIC,  # the demo learner's, or a 404 while none is loaded
    "sample_plan": PUBLIC,
    "sample_progress": PUBLIC,
    "dashboard": LOGIN,
    "profile": LOGIN,
    "onboarding": LOGIN,
    "onboarding_choices": LOGIN,
    "assessment_start": LOGIN,
    "progress": LOGIN,
    "roadmap": LOGIN,
    "roadmap_replan": LOGIN,
    "roadmap_refresh": LOGIN,
    "roadmap_milestones": LOGIN,
    "roadmap_markdown": LOGIN,
    "roadmap_icalendar": LOGIN,
    "roadmap_map": LOGIN,
    "account_data": LOGIN,
    "account_delete": LOGIN,
    "api_tokens": LOGIN,
    "assessment_step": OBJECT,
    "assessment_discard": OBJECT,
    "assessment_submit": OBJECT,
    "result_detail": OBJECT,
    "question_report": OBJECT,
    "roadmap_step": OBJECT,
    "roadmap_study_log": OBJECT,
    "api_token_revoke": OBJECT,
    # allauth
    "account_login": PUBLIC,
    "account_signup": PUBLIC,
    "account_logout": PUBLIC,
    "account_inactive": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "account_reauthenticate": LOGIN,
    "account_email": LOGIN,
    "account_change_password": LOGIN,
    "account_set_password": LOGIN,
}

# Pages that POST only; a GET gets 405 once logged in.
POST_ONLY = {
    "set_language",
    "assessment_discard",
    "assessment_submit",
    "roadmap_step",
    "roadmap_replan",
    "roadmap_refresh",
    "roadmap_milestones",
}


def url_names() -> list[str]:
    names = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the admin has its own, staff-only, checks below
                if pattern.namespace == "api-v1":
                    continue  # every API operation is in tests/api/test_cross_user.py's matrix
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_pattern_is_classified():
    assert [name for name in url_names() if name not in ACCESS] == []


@pytest.fixture
def owned(user, small_catalogue, client):
    """One of everything object-scoped, owned by ``user``: an assessment, a result, a plan step."""
    from assessments import services

    client.force_login(user)
    assessment = services.assessment_start(user=user)
    finished = Assessment.objects.create(
        user=user, status=Assessment.Status.SUBMITTED, catalogue_version="v", steps=["review"]
    )
    SelfRating.objects.create(assessment=finished, skill=small_catalogue["python"], level=1)
    asked = small_catalogue["python"].questions.first()
    Answer.objects.create(assessment=finished, question=asked, skill=small_catalogue["python"])
    result = Result.objects.create(
        assessment=finished,
        user=user,
        catalogue_version="v",
        focus="machine-learning-engineer",
        readiness={"machine-learning-engineer": 0.5},
        snapshot_json={  # a version-1 snapshot: stored results of every version still read
            "headline_role": "machine-learning-engineer",
            "categories": [],
            "skills": [],
            "roles": {},
            "checks": [],
        },
    )
    roadmap_services.plan_rebuild(user=user, result=result)
    step = (
        RoadmapStep.objects.create(
            user=user,
            result=result,
            key="skill:python",
            position=0,
            details_json={
                "kind": "skill",
                "slug": "python",
                "name": "Python",
                "phase": "foundations",
                "from_level": 1,
                "to_level": 3,
                "priority": 1,
                "requires": [],
                "added": False,
            },
            hours=10,
            start_hour=0,
            planned_start="2026-01-01",
            planned_end="2026-01-08",
        )
        if not RoadmapStep.objects.filter(user=user, key="skill:python").exists()
        else RoadmapStep.objects.get(user=user, key="skill:python")
    )
    client.logout()
    token, _ = api_services.token_create(user=user, name="sweep", scope="read")
    return {"assessment": assessment, "result": result, "step": step, "question": asked, "token": token}


def sample_args(name, owned) -> list:
    return {
        "assessment_step": [owned["assessment"].pk, 0],
        "assessment_discard": [owned["assessment"].pk],
        "assessment_submit": [owned["assessment"].pk],
        "result_detail": [owned["result"].pk],
        "question_report": [owned["question"].key],
        "roadmap_step": [owned["step"].key],
        "roadmap_study_log": [owned["step"].key],
        "api_token_revoke": [owned["token"].pk],
        "catalogue_skill": ["python"],
        "catalogue_role": ["machine-learning-engineer"],
        "catalogue_target": ["machine-learning-engineer", "entry"],
        "account_confirm_email": ["not-a-real-key"],
        "weekly_email_stop": ["not-a-real-token"],
        "account_reset_password_from_key": ["1", "set-password"],
    }.get(name, [])


@pytest.mark.parametrize("name", [n for n, a in ACCESS.items() if a in (LOGIN, OBJECT)])
def test_private_pages_redirect_anonymous_visitors_to_log_in(client, owned, name):
    url = reverse(name, args=sample_args(name, owned))
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == HTTPStatus.FOUND, (name, method)
        assert response.url.startswith(reverse("account_login")), name


@pytest.mark.parametrize("name", [n for n, a in ACCESS.items() if a == OBJECT])
def test_object_pages_give_404_to_another_person_and_change_nothing(client, owned, other_user, name):
    client.force_login(other_user)
    url = reverse(name, args=sample_args(name, owned))
    before = (
        Assessment.objects.count(),
        SelfRating.objects.count(),
        Result.objects.count(),
        RoadmapStep.objects.count(),
        StepProgress.objects.count(),
    )
    assert client.get(url).status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED)
    posted = client.post(url, {"status": "done", "notes": "mine now", "step": 0})
    assert posted.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED)
    after = (
        Assessment.objects.count(),
        SelfRating.objects.count(),
        Result.objects.count(),
        RoadmapStep.objects.count(),
        StepProgress.objects.count(),
    )
    assert before == after
    assert not StepProgress.objects.filter(notes="mine now").exists()


@pytest.mark.parametrize(
    "name", [n for n, a in ACCESS.items() if a in (LOGIN, OBJECT) and n not in POST_ONLY]
)
def test_private_pages_work_for_their_owner(client, owned, user, name):
    client.force_login(user)
    response = client.get(reverse(name, args=sample_args(name, owned)))
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND), name
    assert "no-store" in response.get("Cache-Control", ""), name


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_pages_refuse_get(client, owned, user, name):
    client.force_login(user)
    assert (
        client.get(reverse(name, args=sample_args(name, owned))).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    )


@pytest.mark.parametrize("name", [n for n, a in ACCESS.items() if a == PUBLIC])
def test_public_pages_answer_anonymous_visitors_without_private_data(client, owned, name):
    response = client.get(reverse(name, args=sample_args(name, owned)))
    assert response.status_code < 500, name
    body = response.content.decode(errors="replace")
    assert "Python level 1 question" not in body  # questions never leak


def _robots_rules(client) -> list[tuple[str, str]]:
    response = client.get(reverse("robots_txt"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    return [
        (rule.strip().lower(), path.strip()) for rule, _, path in (line.partition(":") for line in lines[1:])
    ]


def _crawlable(rules: list[tuple[str, str]], url: str) -> bool:
    """The longest matching rule decides (RFC 9309); no rule means allowed."""
    matches = [(len(path), rule == "allow") for rule, path in rules if url.startswith(path)]
    return max(matches)[1] if matches else True


def test_robots_txt_opens_the_public_pages_and_closes_every_private_prefix(client, owned):
    rules = _robots_rules(client)
    assert {rule for rule, _ in rules} <= {"allow", "disallow"}
    for name, access in ACCESS.items():
        url = reverse(name, args=sample_args(name, owned))
        if access != PUBLIC:
            assert not _crawlable(rules, url), name
    for name in (
        *("home", "privacy", "how_we_score", "catalogue_index", "catalogue_skill", "catalogue_target"),
        *("sample_result", "sample_plan", "sample_progress"),
    ):
        assert _crawlable(rules, reverse(name, args=sample_args(name, owned))), name
    for name in ("account_login", "account_signup", "weekly_email_stop"):
        assert not _crawlable(rules, reverse(name, args=sample_args(name, owned))), name
    assert not _crawlable(rules, reverse("admin:index"))


def test_every_robots_txt_rule_names_a_real_prefix(client, owned):
    """No rule is dead: each disallowed prefix starts at least one URL of the URLconf."""
    urls = [reverse(name, args=sample_args(name, owned)) for name in ACCESS] + [reverse("admin:index")]
    for rule, path in _robots_rules(client):
        assert any(url.startswith(path) for url in urls), (rule, path)


def test_the_admin_is_staff_only(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response.url
