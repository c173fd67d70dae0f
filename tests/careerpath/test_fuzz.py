"""Every form fuzzed: whatever a person (or a script) posts, the answer is never a 5xx and the data stays whole.

Each test sends generated requests through the Django test client: arbitrary Unicode (NUL included,
surrogates excluded since they cannot be encoded), huge values, numbers far outside any column's range,
the wrong types, lists where one value is expected, other people's ids, and fields no form has
(``user``, ``score``, ``status``...). After every example the database invariants are checked. When
every test of the module has run, in whatever order, the requests they sent must add up to 1,000 or more.
"""

from __future__ import annotations

from collections import Counter
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import selectors as account_selectors
from accounts.models import Profile
from assessments import selectors, services
from assessments.models import Answer, Assessment, Result, SelfRating
from catalogue.models import CareerMilestone, Choice, Role, Skill
from catalogue.vocab import Certainty
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep, StepProgress, StepStatus
from tests.accounts import factories as account_factories
from tests.assessments.through_services import fill_pages

pytestmark = pytest.mark.django_db

User = get_user_model()

# --- counting -----------------------------------------------------------------------------------

REQUESTS: Counter[str] = Counter()
ANSWERS: Counter[tuple[str, int]] = Counter()  # (fuzzer, status code), printed with the count
MINIMUM_REQUESTS = 1000
FUZZ_GROUPS = {
    "profile",
    "ratings",
    "checks",
    "quiz",
    "roadmap_step",
    "milestones",
    "progress",
    "account_delete",
    "signup",
    "login",
    "reset",
    "raw",
    "oversized",
}


@pytest.fixture(scope="module", autouse=True)
def request_count():
    """Counts the requests of this module's tests and, after the last of them (whichever it is: the
    order is random), checks that every fuzzer ran and that they sent 1,000 requests or more. A run of
    part of the module (``-k``, one test) skips the check. Not a test of its own, which would have to run
    last to see the others' requests."""
    REQUESTS.clear()
    ANSWERS.clear()
    yield
    if set(REQUESTS) != FUZZ_GROUPS:
        return
    print(f"fuzz requests: {sum(REQUESTS.values())}: {sorted(ANSWERS.items())}")
    if sum(REQUESTS.values()) < MINIMUM_REQUESTS:
        pytest.fail(
            f"the fuzzers sent {sum(REQUESTS.values())} requests, fewer than {MINIMUM_REQUESTS}: {dict(REQUESTS)}"
        )


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def send(test: str, client: Client, method: str, url: str, data=None, **extra):
    """One generated request: counted, and never answered with a server error."""
    if method == "get":
        response = client.get(url, data or {}, **extra)
    elif isinstance(data, bytes):  # sent as is, whatever charset the content type names
        response = client.generic("POST", url, data, content_type=extra.pop("content_type"), **extra)
    else:
        response = client.post(url, data or {}, **extra)
    REQUESTS[test] += 1
    ANSWERS[test, response.status_code] += 1
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (method, url, data, response.status_code)
    return response


# --- strategies -----------------------------------------------------------------------------------

TEXT = st.text(max_size=40)  # any code point but surrogates: NUL, controls, RTL marks, emoji...
HUGE = st.sampled_from(
    [
        "x" * 5001,
        "\u00e9" * 20_000,
        "\x00" * 64,
        "9" * 400,
        "\U0001f600" * 3000,
        "a\r\n" * 2000,
    ]
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
    st.integers(min_value=-(2**64), max_value=-(2**63) + 2),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "4",
        "5",
        "1e9",
        "NaN",
        "Infinity",
        "None",
        "null",
        "true",
        "on",
        "[]",
        "{}",
        "0x10",
        "\u0663",  # ARABIC-INDIC DIGIT THREE: int() accepts it
        "\x00",
        "1\x00",
        "\u202e",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "dontknow",
        "done",
        "certain",
    ]
)
SCALAR = st.one_of(TEXT, NUMBERS, SPECIAL, HUGE)
JUNK = st.one_of(SCALAR, st.lists(st.one_of(TEXT, NUMBERS, SPECIAL), max_size=3))
EXTRA_NAMES = st.sampled_from(
    [
        "user",
        "user_id",
        "score",
        "status",
        "assessment",
        "furthest_step",
        "is_correct",
        "readiness",
        "result",
        "pk",
        "id",
        "is_staff",
        "is_superuser",
        "submitted_at",
        "completed_at",
        "key",
        "hours",
        "snapshot",
        "csrfmiddlewaretoken",
    ]
)


def extras(draw, others: list[int]):
    """Fields no form has, with junk or another person's ids."""
    value = st.one_of(JUNK, st.sampled_from(others or [0]).map(str))
    return draw(st.dictionaries(EXTRA_NAMES, value, max_size=4))


def one_of_or_junk(draw, good: list, near: list = (), *, clean: bool = False):
    """A clean draw is one of the good values; otherwise good, nearly good, junk, or absent (None)."""
    if clean:
        return draw(st.sampled_from(good))
    return draw(st.one_of(st.sampled_from([*good, *near]), JUNK, st.none()))


def put(data: dict, name: str, value) -> None:
    if value is not None:
        data[name] = value


def last(value) -> str:
    """What a form field reads from a posted value: the last one of a list, as text."""
    if isinstance(value, list):
        return str(value[-1]) if value else ""
    return "" if value is None else str(value)


# --- fixtures and helpers -------------------------------------------------------------------------


def take_assessment(user, levels: dict[str, int] | None = None, *, know: bool = False) -> Result:
    """Start, rate every skill, answer every check (right or "I don't know"), submit: through services."""
    assessment = services.assessment_start(user=user)

    def respond(answer, choices):
        right = next(c for c in choices if c.is_correct)
        return services.CheckResponse(
            answer_id=answer.pk,
            choice_id=right.pk if know else None,
            certainty=Certainty.CERTAIN if know else "",
        )

    fill_pages(assessment, levels=levels, default=1, respond=respond)
    return services.assessment_submit(assessment=assessment)


@pytest.fixture
def web():
    """One test client per test: building a Client loads the middleware (WhiteNoise indexes static files)."""
    return Client()


def logged_in(client: Client, user) -> Client:
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)
    return client


def anonymous(client: Client) -> Client:
    client.cookies.clear()
    return client


def people_rows(user) -> tuple:
    """Everything stored for one person, to prove that requests of someone else never touched it."""
    assessments = Assessment.objects.filter(user=user)
    return (
        list(assessments.values_list("pk", "status", "furthest_step", "submitted_at").order_by("pk")),
        list(
            SelfRating.objects.filter(assessment__user=user)
            .values_list("pk", "skill_id", "level")
            .order_by("pk")
        ),
        list(
            Answer.objects.filter(assessment__user=user)
            .values_list("pk", "question_id", "choice_id", "dont_know", "certainty", "answered_at")
            .order_by("pk")
        ),
        list(Result.objects.filter(user=user).values_list("pk", "readiness").order_by("pk")),
        list(RoadmapStep.objects.filter(user=user).values_list("pk", "key", "planned_start").order_by("pk")),
        list(
            StepProgress.objects.filter(user=user).values_list("pk", "key", "status", "notes").order_by("pk")
        ),
        list(Profile.objects.filter(user=user).values_list("hours_per_week", "display_name", "target_role")),
    )


def assert_invariants(*, plans_only_grow: bool = True) -> None:
    """What must hold whatever was posted."""
    submitted = Assessment.Status.SUBMITTED
    # An answer belongs to a question of its skill, and its choice (if any) to that question.
    assert not Answer.objects.exclude(skill=F("question__skill")).exists()
    assert not Answer.objects.filter(choice__isnull=False).exclude(choice__question=F("question")).exists()
    # A result exists exactly for the submitted assessments, and belongs to the assessment's owner.
    assert not Result.objects.exclude(assessment__status=submitted).exists()
    assert not Result.objects.exclude(user=F("assessment__user")).exists()
    assert not Assessment.objects.filter(status=submitted, result__isnull=True).exists()
    assert not Assessment.objects.filter(status=submitted, submitted_at__isnull=True).exists()
    # A submitted assessment has every check it assigned answered.
    assert not Answer.objects.filter(assessment__status=submitted, answered_at__isnull=True).exists()
    # Plan steps come from a result of their own person.
    assert not RoadmapStep.objects.exclude(user=F("result__user")).exists()
    if plans_only_grow:
        # Progress is only ever recorded for a step of the person's own plan.
        own_step = RoadmapStep.objects.filter(user=OuterRef("user"), key=OuterRef("key"))
        assert not StepProgress.objects.exclude(Exists(own_step)).exists()
    assert not StepProgress.objects.filter(status=StepStatus.DONE, completed_at__isnull=True).exists()
    assert not StepProgress.objects.exclude(status__in=StepStatus.values).exists()
    assert not Profile.objects.exclude(hours_per_week__gte=1, hours_per_week__lte=60).exists()
    assert not SelfRating.objects.exclude(level__gte=0, level__lte=4).exists()
    assert not User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).exists()


@pytest.fixture
def people(small_catalogue, user, other_user):
    """The person fuzzing, and someone else with a result, a plan, progress and an unfinished retake."""
    take_assessment(other_user, {"python": 1, "sql": 0, "scikit-learn": 1, "pytorch": 0})
    step = RoadmapStep.objects.filter(user=other_user).first()
    roadmap_services.step_mark(
        user=other_user,
        key=step.key,
        update=roadmap_services.StepUpdate(status="done", notes="theirs", evidence=[]),
    )
    retake = services.assessment_start(user=other_user)
    services.ratings_save(
        assessment=retake,
        step=0,
        levels={
            s.pk: 2 for s, _a, _v in selectors.rating_rows(retake, selectors.step_page(retake, 0).category)
        },
    )
    theirs = {
        "assessments": list(Assessment.objects.filter(user=other_user).values_list("pk", flat=True)),
        "answers": list(Answer.objects.filter(assessment__user=other_user).values_list("pk", flat=True)),
        "choices": list(
            Choice.objects.filter(question__answers__assessment__user=other_user).values_list("pk", flat=True)
        ),
        "results": list(Result.objects.filter(user=other_user).values_list("pk", flat=True)),
        "steps": list(RoadmapStep.objects.filter(user=other_user).values_list("key", flat=True)),
        "user": other_user.pk,
    }
    theirs["ids"] = [*theirs["assessments"], *theirs["answers"], *theirs["results"], other_user.pk]
    before = people_rows(other_user)
    yield {"me": user, "other": other_user, "theirs": theirs, "catalogue": small_catalogue}
    assert people_rows(other_user) == before, "a request of one person changed another person's data"
    assert_invariants()


# --- profile --------------------------------------------------------------------------------------


@fuzz_settings(110)
@given(data=st.data())
def test_profile_form_refuses_junk_and_keeps_hours_within_1_to_60(web, people, data):
    """Whatever the profile form gets, it saves a valid profile of its own person or saves nothing."""
    me = people["me"]
    client = logged_in(web, me)
    roles = list(Role.objects.values_list("pk", flat=True))
    clean = data.draw(st.booleans())
    form = {}
    put(
        form,
        "display_name",
        data.draw(TEXT.filter(lambda t: "\x00" not in t) if clean else st.one_of(TEXT, HUGE)),
    )
    put(
        form,
        "hours_per_week",
        one_of_or_junk(data.draw, ["1", "6", "60", " 7 "], ["0", "61", "-1"], clean=clean),
    )
    put(
        form,
        "target_role",
        one_of_or_junk(data.draw, [str(pk) for pk in roles], ["0", str(2**63)], clean=clean),
    )
    put(form, "experience_level", one_of_or_junk(data.draw, Profile.Experience.values, ["ceo"], clean=clean))
    put(form, "country", one_of_or_junk(data.draw, ["GB", "IN", "US", ""], ["XX", "gb", "ZZZ"], clean=clean))
    put(form, "city", data.draw(st.text(max_size=80).filter(lambda t: "\x00" not in t) if clean else JUNK))
    form |= extras(data.draw, people["theirs"]["ids"])
    account_selectors.profile_get(user=me)
    before = list(Profile.objects.filter(user=me).values())
    response = send("profile", client, "post", reverse("profile"), form)
    after = list(Profile.objects.filter(user=me).values())
    assert Profile.objects.filter(user=me).count() == 1
    if response.status_code != HTTPStatus.FOUND:
        assert after == before, "an invalid profile form saved something"
    else:
        assert 1 <= after[0]["hours_per_week"] <= 60
        assert "\x00" not in after[0]["display_name"] + after[0]["city"]
    assert_invariants()


# --- the quiz: ratings, checks, review and submit -------------------------------------------------


def rating_form(data, assessment, index: int, others: list[int], *, clean: bool = False) -> dict:
    page = selectors.step_page(assessment, index)
    skills = [s.pk for s, _a, _v in selectors.rating_rows(assessment, page.category)]
    foreign = list(Skill.objects.exclude(pk__in=skills).values_list("pk", flat=True))
    form = {}
    put(form, "step", one_of_or_junk(data.draw, [str(index)], [str(index + 1), "-1"], clean=clean))
    for pk in skills:
        put(
            form,
            f"skill_{pk}",
            one_of_or_junk(data.draw, [str(level) for level in range(5)], ["5"], clean=clean),
        )
    for pk in data.draw(st.lists(st.sampled_from([*foreign, 0, 2**63]), max_size=2)):
        form[f"skill_{pk}"] = data.draw(st.sampled_from(["0", "4"]))
    if data.draw(st.booleans()):
        form[data.draw(st.sampled_from(["next", "save_exit"]))] = ""
    return form | extras(data.draw, others)


@fuzz_settings(110)
@given(data=st.data())
def test_ratings_page_saves_a_whole_valid_page_or_nothing(web, people, data):
    """A ratings page stores exactly the posted levels of its own skills, or nothing at all."""
    me = people["me"]
    client = logged_in(web, me)
    assessment = services.assessment_start(user=me)
    index = data.draw(st.sampled_from([0, 0, 0, 2]))
    if index > assessment.furthest_step:
        index = 0
    form = rating_form(data, assessment, index, people["theirs"]["ids"], clean=data.draw(st.booleans()))
    before = people_rows(me)
    response = send("ratings", client, "post", reverse("assessment_step", args=[assessment.pk, index]), form)
    if response.status_code != HTTPStatus.FOUND:
        assert people_rows(me) == before, "an invalid ratings page saved something"
    else:
        page = selectors.step_page(assessment, index)
        saved = dict(SelfRating.objects.filter(assessment=assessment).values_list("skill_id", "level"))
        for skill, _anchors, _saved in selectors.rating_rows(assessment, page.category):
            assert str(saved[skill.pk]) == last(form[f"skill_{skill.pk}"])
        assert set(saved) <= set(selectors.assessed_skills(assessment).values_list("pk", flat=True))
    assert_invariants()


def checks_form(data, assessment, index: int, theirs: dict, *, clean: bool = False) -> dict:
    page = selectors.step_page(assessment, index)
    rows = selectors.check_rows(assessment, page.category, page.round)
    foreign_choices = list(Choice.objects.values_list("pk", flat=True)[:20])
    form = {}
    put(form, "step", one_of_or_junk(data.draw, [str(index)], ["0"], clean=clean))
    for answer, choices in rows:
        own = [str(c.pk) for c in choices]
        foreign = [str(pk) for pk in foreign_choices if str(pk) not in own][:3]
        put(form, f"answer_{answer.pk}", one_of_or_junk(data.draw, [*own, "dontknow"], foreign, clean=clean))
        put(
            form,
            f"certainty_{answer.pk}",
            one_of_or_junk(data.draw, Certainty.values, ["", "sure"], clean=clean),
        )
    for pk in data.draw(st.lists(st.sampled_from(theirs["answers"] or [0]), max_size=2)):
        form[f"answer_{pk}"] = str(data.draw(st.sampled_from(theirs["choices"] or [0])))
        form[f"certainty_{pk}"] = "certain"
    if data.draw(st.booleans()):
        form[data.draw(st.sampled_from(["next", "save_exit"]))] = ""
    return form | extras(data.draw, theirs["ids"])


@fuzz_settings(110)
@given(data=st.data())
def test_checks_page_saves_a_whole_valid_page_or_nothing(web, people, data):
    """A checks page stores answers of its own checks with their own choices, or nothing at all."""
    me = people["me"]
    client = logged_in(web, me)
    assessment = services.assessment_start(user=me)
    first_round = assessment.steps.index("round:1")
    for index in range(first_round):
        if assessment.furthest_step <= index:
            page = selectors.step_page(assessment, index)
            levels = {s.pk: 1 for s, _a, _v in selectors.rating_rows(assessment, page.category)}
            services.ratings_save(assessment=assessment, step=index, levels=levels)
            assessment.refresh_from_db()
    form = checks_form(data, assessment, first_round, people["theirs"], clean=data.draw(st.booleans()))
    before = people_rows(me)
    url = reverse("assessment_step", args=[assessment.pk, first_round])
    response = send("checks", client, "post", url, form)
    if response.status_code != HTTPStatus.FOUND:
        assert people_rows(me) == before, "an invalid checks page saved something"
    else:
        for answer in Answer.objects.filter(assessment=assessment, round=1):
            posted = last(form[f"answer_{answer.pk}"])
            assert answer.answered_at is not None
            assert answer.dont_know == (posted == "dontknow")
            assert answer.choice_id == (None if answer.dont_know else int(posted))
            assert answer.dont_know or answer.certainty in Certainty.values
    assert_invariants()


QUIZ_ACTIONS = st.lists(
    st.sampled_from(
        [
            "start",
            "rate",
            "check",
            "review",
            "review_post",
            "submit",
            "submit_theirs",
            "discard",
            "discard_theirs",
            "step_theirs",
            "step_anywhere",
        ]
    ),
    min_size=1,
    max_size=12,
)


@fuzz_settings(80)
@given(data=st.data(), actions=QUIZ_ACTIONS)
def test_any_sequence_of_quiz_pages_keeps_assessments_and_results_whole(web, people, data, actions):
    """Start, rate, check, review, submit, discard in any order (junk included): one result per submission."""
    me, theirs = people["me"], people["theirs"]
    client = logged_in(web, me)
    # Every example starts from the same state, so that Hypothesis can replay and shrink it.
    Assessment.objects.filter(user=me).delete()
    if data.draw(st.booleans()):
        services.assessment_start(user=me)
    for action in actions:
        current = Assessment.objects.filter(user=me, status=Assessment.Status.IN_PROGRESS).first()
        results = Result.objects.filter(user=me).count()
        if action == "start":
            send("quiz", client, "post", reverse("assessment_start"), extras(data.draw, theirs["ids"]))
            assert Assessment.objects.filter(user=me, status=Assessment.Status.IN_PROGRESS).count() == 1
        elif current is None and action not in ("submit_theirs", "discard_theirs", "step_theirs"):
            continue
        elif action in ("rate", "check"):
            kind = "rate" if action == "rate" else "check"
            prefixes = ("rate",) if kind == "rate" else ("check", "round")
            candidates = [i for i, key in enumerate(current.steps) if key.startswith(prefixes)]
            if not candidates:
                continue
            index = data.draw(st.sampled_from(candidates))
            if index > current.furthest_step:
                index = current.furthest_step
            if not current.steps[index].startswith(prefixes):
                continue
            build = rating_form if kind == "rate" else checks_form
            form = build(data, current, index, theirs["ids"] if kind == "rate" else theirs)
            if data.draw(st.booleans()):  # mostly a page a person would post
                form = {k: v for k, v in form.items() if k == "step" or k.startswith(("skill_", "answer_"))}
                form["step"] = str(index)
                for name in [k for k in form if k.startswith("answer_")]:
                    form[f"certainty_{name[7:]}"] = "fairly_sure"
                    if not str(form[name]).isdigit() and form[name] != "dontknow":
                        form[name] = "dontknow"
                for name in [k for k in form if k.startswith("skill_")]:
                    if str(form[name]) not in {"0", "1", "2", "3", "4"}:
                        form[name] = "2"
            send("quiz", client, "post", reverse("assessment_step", args=[current.pk, index]), form)
        elif action == "review":
            send("quiz", client, "get", reverse("assessment_step", args=[current.pk, len(current.steps) - 1]))
        elif action == "review_post":
            url = reverse("assessment_step", args=[current.pk, len(current.steps) - 1])
            send("quiz", client, "post", url, extras(data.draw, theirs["ids"]))
        elif action == "submit":
            response = send(
                "quiz",
                client,
                "post",
                reverse("assessment_submit", args=[current.pk]),
                extras(data.draw, theirs["ids"]),
            )
            assert response.status_code == HTTPStatus.FOUND
            current.refresh_from_db()
            complete = current.furthest_step >= len(current.steps) - 1
            assert Result.objects.filter(user=me).count() == results + complete
            assert current.status == (
                Assessment.Status.SUBMITTED if complete else Assessment.Status.IN_PROGRESS
            )
        elif action == "discard":
            send("quiz", client, "post", reverse("assessment_discard", args=[current.pk]))
            assert not Assessment.objects.filter(pk=current.pk).exists()
        elif action in ("submit_theirs", "discard_theirs", "step_theirs"):
            pk = data.draw(st.sampled_from(theirs["assessments"]))
            url = {
                "submit_theirs": reverse("assessment_submit", args=[pk]),
                "discard_theirs": reverse("assessment_discard", args=[pk]),
                "step_theirs": reverse("assessment_step", args=[pk, data.draw(st.integers(0, 4))]),
            }[action]
            response = send("quiz", client, "post", url, {"step": "0"})
            assert response.status_code == HTTPStatus.NOT_FOUND
        elif action == "step_anywhere":
            pk = data.draw(st.sampled_from([current.pk, 0, 2**31, 2**63 - 1, 2**63, 10**30]))
            index = data.draw(st.one_of(st.integers(0, 6), st.sampled_from([2**31, 2**63, 10**30])))
            method = data.draw(st.sampled_from(["get", "post"]))
            url = f"/assessment/{pk}/step/{index}/"  # past 18 digits the URLconf itself refuses (404)
            send("quiz", client, method, url, {"step": str(index)})
        assert_invariants()


def test_a_rating_changed_from_the_review_page_keeps_the_answers_and_counts_the_new_rating(web, people):
    """Checks already answered stay evidence when a rating changes later; the result uses the new rating."""
    me = people["me"]
    client = logged_in(web, me)
    client.post(reverse("assessment_start"))
    assessment = Assessment.objects.get(user=me, status=Assessment.Status.IN_PROGRESS)
    index = 0
    while True:
        assessment.refresh_from_db()
        if assessment.steps[index] == "review":
            break
        page = client.get(reverse("assessment_step", args=[assessment.pk, index]))
        form = {"step": index, "next": ""}
        for name, field in page.context["form"].fields.items():
            if name.startswith("skill_"):
                form[name] = 1
            elif name.startswith("answer_"):
                form[name] = field.choices[0][0]
                form[f"certainty_{name[7:]}"] = "certain"
        response = client.post(reverse("assessment_step", args=[assessment.pk, index]), form)
        assert response.status_code == 302, assessment.steps[index]
        index += 1
    answered = set(Answer.objects.filter(assessment=assessment).values_list("pk", "answered_at"))
    python = people["catalogue"]["python"]
    sql = people["catalogue"]["sql"]
    changed = {"step": 0, f"skill_{python.pk}": 3, f"skill_{sql.pk}": 1, "save_exit": ""}
    response = client.post(reverse("assessment_step", args=[assessment.pk, 0]), changed)
    assert response.status_code == HTTPStatus.FOUND
    assert set(Answer.objects.filter(assessment=assessment).values_list("pk", "answered_at")) == answered
    client.post(reverse("assessment_submit", args=[assessment.pk]))
    result = Result.objects.get(assessment=assessment)
    assert result.snapshot.skill("python").claim == 3


# --- the roadmap --------------------------------------------------------------------------------


@pytest.fixture
def planned(people):
    """The person has a result and a plan."""
    take_assessment(people["me"], {"python": 1, "sql": 0, "scikit-learn": 0, "pytorch": 1})
    people["my_steps"] = list(RoadmapStep.objects.filter(user=people["me"]).values_list("key", flat=True))
    return people


EVIDENCE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "https://github.com/someone/project",
                "http://example.org/a?b=c#d",
                "javascript:alert(1)",
                "ftp://example.org/file",
                "https://example.org/x>[y](javascript:alert(1))",
                "https://\u00e9xample.org/",
                "https://example.org/" + "a" * 2100,
                "data:text/html,<script>alert(1)</script>",
            ]
        ),
        TEXT,
    ),
    max_size=7,
).map("\n".join)


@fuzz_settings(150)
@given(data=st.data())
def test_step_update_saves_status_notes_and_evidence_or_nothing(web, planned, data):
    """A step update (plain or htmx) stores valid status, notes and links on the person's own step only."""
    me, theirs = planned["me"], planned["theirs"]
    client = logged_in(web, me)
    key = data.draw(
        st.one_of(
            st.sampled_from(planned["my_steps"]),
            st.sampled_from(theirs["steps"]),
            TEXT.filter(bool),
            st.sampled_from(["skill:nope", "milestone:certification", "%00", "..", "skill:python/../x"]),
        )
    )
    form = {}
    clean = data.draw(st.booleans())
    put(form, "status", one_of_or_junk(data.draw, StepStatus.values, ["DONE", "finished"], clean=clean))
    put(form, "notes", data.draw(st.one_of(TEXT, HUGE, st.sampled_from(["a" * 5000, "a" * 5001]), st.none())))
    put(form, "evidence", data.draw(st.one_of(EVIDENCE, JUNK, st.none())))
    form |= extras(data.draw, theirs["ids"])
    headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans()) else {}
    before = {p["key"]: p for p in StepProgress.objects.filter(user=me).values()}
    response = send("roadmap_step", client, "post", f"/roadmap/step/{quote(key, safe='')}/", form, **headers)
    after = {p["key"]: p for p in StepProgress.objects.filter(user=me).values()}
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if key not in planned["my_steps"]:
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert set(changed) <= {key}, "a step update touched another step"
    if changed:
        saved = changed[key]
        assert saved["status"] == last(form.get("status"))
        assert saved["notes"] == last(form.get("notes")).strip()
        assert len(saved["evidence"]) <= 5
        assert all(link.startswith(("http://", "https://")) for link in saved["evidence"])
        assert "\x00" not in saved["notes"]
    assert_invariants()


@fuzz_settings(50)
@given(data=st.data())
def test_milestones_form_keeps_only_catalogue_milestones(web, planned, data):
    """The milestones form records milestones of the catalogue for the person, and the plan follows."""
    me = planned["me"]
    client = logged_in(web, me)
    slugs = list(CareerMilestone.objects.values_list("slug", flat=True))
    held = data.draw(st.lists(st.one_of(st.sampled_from(slugs), TEXT, SPECIAL), max_size=4))
    form = {"held": held} | extras(data.draw, planned["theirs"]["ids"])
    response = send("milestones", client, "post", reverse("roadmap_milestones"), form)
    assert response.status_code == HTTPStatus.FOUND
    mine = set(account_selectors.held_milestones(user=me))
    assert mine <= set(slugs)
    if all(slug in slugs for slug in held):
        assert mine == set(held)
        planned_milestones = set(
            RoadmapStep.objects.filter(user=me, key__startswith="milestone:").values_list("key", flat=True)
        )
        assert not planned_milestones & {f"milestone:{slug}" for slug in mine}
    assert_invariants(plans_only_grow=False)


@fuzz_settings(100)
@given(data=st.data())
def test_progress_page_compares_only_the_persons_own_results(web, planned, data):
    """Any ``from``/``to`` gives the progress page, comparing two of the person's own results or none."""
    me, theirs = planned["me"], planned["theirs"]
    if Result.objects.filter(user=me).count() < 2:
        take_assessment(me, {"python": 3, "sql": 2, "scikit-learn": 2, "pytorch": 3}, know=True)
    mine = list(Result.objects.filter(user=me).values_list("pk", flat=True))
    client = logged_in(web, me)
    params = {}
    for name in ("from", "to"):
        put(
            params,
            name,
            data.draw(
                st.one_of(
                    st.sampled_from(mine).map(str),
                    st.sampled_from(theirs["results"]).map(str),
                    JUNK,
                    st.none(),
                )
            ),
        )
    for name, value in extras(data.draw, theirs["ids"]).items():
        params[name] = value
    response = send("progress", client, "get", reverse("progress"), params)
    assert response.status_code == HTTPStatus.OK
    for shown in (response.context["first"], response.context["second"]):
        assert shown is None or shown.user_id == me.pk


# --- the person's account ------------------------------------------------------------------------


@fuzz_settings(60)
@given(data=st.data())
def test_account_delete_needs_the_password_and_the_box_and_then_leaves_nothing(web, planned, data):
    """Deleting needs the right password and the ticked box; then nothing of the person is left."""
    me = User.objects.filter(pk=planned["me"].pk).first()
    if me is None:  # deleted by an earlier example: a new person with a plan takes over
        me = account_factories.UserFactory()
        take_assessment(me, {"python": 2})
        planned["me"] = me
    client = logged_in(web, me)
    form = {}
    clean = data.draw(st.booleans())
    password = [account_factories.PASSWORD, account_factories.PASSWORD + " ", "wrong password"]
    put(form, "password", one_of_or_junk(data.draw, password, ["", " "], clean=clean))
    put(form, "confirm", one_of_or_junk(data.draw, ["on", "true", "false", ""], clean=clean))
    form |= extras(data.draw, planned["theirs"]["ids"])
    response = send("account_delete", client, "post", reverse("account_delete"), form)
    if response.status_code == HTTPStatus.FOUND:
        assert last(form.get("password")) == account_factories.PASSWORD
        assert not User.objects.filter(pk=me.pk).exists()
        for model in (Assessment, Result, RoadmapStep, StepProgress, Profile):
            assert not model.objects.filter(user_id=me.pk).exists(), model
        assert not Answer.objects.filter(assessment__user_id=me.pk).exists()
        assert client.get(reverse("dashboard")).status_code == HTTPStatus.FOUND  # logged out
    else:
        assert response.status_code == HTTPStatus.OK
        assert User.objects.filter(pk=me.pk).exists()
        assert Result.objects.filter(user=me).exists()
    assert_invariants()


EMAILS = st.one_of(
    st.emails().map(str.lower),
    st.sampled_from(["learner@learners.careerpath.test", "no-at-sign", "a@b", "x@\u00e9xample.org", "@", ""]),
    TEXT,
)
PASSWORDS = st.one_of(
    st.sampled_from(
        ["short", "password1234", "12345678901234", account_factories.PASSWORD, "a sturdy old tuba 42"]
    ),
    TEXT,
    HUGE,
)


@fuzz_settings(80)
@given(data=st.data())
def test_signup_form_makes_ordinary_accounts_or_nothing(web, people, data):
    """Sign-up creates one ordinary account for a new address with a valid password, or refuses."""
    client = anonymous(web)
    form = {}
    cache.clear()  # sign-ups are rate limited per address: each example is a fresh visitor
    clean = data.draw(st.booleans())
    fresh = f"newcomer{User.objects.count()}@example.org"  # new in every example: a sign-up adds one
    put(form, "email", one_of_or_junk(data.draw, [fresh, people["other"].email.upper()], clean=clean))
    strong = st.sampled_from(["a sturdy old tuba 42", "Lanterns over 9 quiet harbours"])
    put(form, "password1", data.draw(strong if clean else st.one_of(PASSWORDS, st.none())))
    form["password2"] = (
        form.get("password1", "")
        if clean
        else data.draw(st.one_of(st.just(form.get("password1", "")), PASSWORDS))
    )
    form |= extras(data.draw, [people["me"].pk])
    users = User.objects.count()
    response = send("signup", client, "post", reverse("account_signup"), form)
    if response.status_code == HTTPStatus.FOUND:
        assert User.objects.count() == users + 1
    else:
        assert User.objects.count() == users
    emails = [email.lower() for email in User.objects.values_list("email", flat=True)]
    assert len(emails) == len(set(emails))
    assert_invariants()


@fuzz_settings(80)
@given(data=st.data())
def test_login_form_logs_in_only_with_the_right_password(web, people, data):
    """Log-in succeeds only for an address with its own password; junk is refused, never a 5xx."""
    cache.clear()  # the failed-login lock-out is tested in test_abuse; here every attempt is fresh
    me = people["me"]
    client = anonymous(web)
    mine = st.sampled_from([me.email, me.email.upper(), f" {me.email} "])
    if data.draw(st.booleans()):  # the right person, mostly with the right password
        login, password = (
            data.draw(mine),
            data.draw(st.sampled_from([account_factories.PASSWORD] * 3 + ["wrong"])),
        )
    else:
        login = data.draw(st.one_of(mine, st.just(people["other"].email), EMAILS, JUNK))
        password = data.draw(st.one_of(st.just(account_factories.PASSWORD), PASSWORDS, JUNK))
    form = {"login": login, "password": password} | extras(data.draw, [me.pk])
    if data.draw(st.booleans()):
        form["remember"] = data.draw(JUNK)
    response = send("login", client, "post", reverse("account_login"), form)
    session_user = client.session.get("_auth_user_id")
    if session_user is not None:
        person = User.objects.get(pk=session_user)
        assert person.email.lower() == str(login).strip().lower()
        assert password == account_factories.PASSWORD
    else:
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS)


@fuzz_settings(40)
@given(email=st.one_of(EMAILS, JUNK), extra=st.dictionaries(EXTRA_NAMES, SCALAR, max_size=2))
def test_password_reset_form_answers_every_address_alike(web, people, email, extra):
    """The reset form takes any address without a server error and without telling who has an account."""
    cache.clear()
    response = send(
        "reset", anonymous(web), "post", reverse("account_reset_password"), {"email": email, **extra}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS)


OVERSIZED_TARGETS = ["profile", "roadmap_milestones", "account_delete", "account_login", "account_signup"]


@pytest.mark.parametrize("target", OVERSIZED_TARGETS)
def test_a_body_over_the_upload_limit_is_a_413_and_saves_nothing(web, planned, target):
    """A form post past the body limit (CAREERPATH_MAX_REQUEST_BODY) is refused with a 413, not a server error."""
    client = (
        logged_in(web, planned["me"]) if target.startswith(("profile", "roadmap", "account_delete")) else web
    )
    before = people_rows(planned["me"])
    huge = "A" * 3_000_000
    response = send("oversized", client, "post", reverse(target), {"display_name": huge, "password": huge})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert people_rows(planned["me"]) == before


RAW_TARGETS = ["profile", "roadmap_milestones", "account_delete", "assessment_start", "roadmap_step"]


@fuzz_settings(60)
@given(
    target=st.sampled_from(RAW_TARGETS),
    body=st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8"))),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=BoUnDaRy",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=utf-16",
            "application/x-www-form-urlencoded; charset=nonsense",
        ]
    ),
)
def test_raw_bodies_of_any_encoding_never_break_a_form(web, planned, target, body, content_type):
    """Bytes that are not UTF-8, broken multipart and unknown charsets are refused calmly."""
    client = logged_in(web, planned["me"])
    url = reverse(target, args=[planned["my_steps"][0]] if target == "roadmap_step" else [])
    send("raw", client, "post", url, body, content_type=content_type)
    assert_invariants()


@pytest.mark.parametrize("key", ["\x00", "skill:py\x00thon:2", "k" * 101])
def test_a_step_key_the_database_cannot_hold_is_a_404(web, planned, key):
    """A NUL byte (PostgreSQL's text cannot hold one) or a key longer than any stored is no step: 404."""
    client = logged_in(web, planned["me"])
    for url in (f"/roadmap/step/{quote(key, safe='')}/", f"/roadmap/step/{quote(key, safe='')}/log/"):
        assert client.post(url, {"status": "done"}).status_code == HTTPStatus.NOT_FOUND
        assert client.get(url).status_code in {HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED}
