"""Item analysis and the question calibration: the pure fit on simulated answers (no database), then
the stored versions, the command and the admin's item analysis page."""

from __future__ import annotations

import math
import random
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import calibration as c
from assessments import calibration_store
from assessments.calibration import ItemResponse
from assessments.measurement import OFFSET, SLIP, SLOPE, ItemParameters
from assessments.models import Answer, Assessment, ItemCalibration, Result
from assessments.snapshot import Estimate, Method, ResultSnapshot, SkillResult, TargetChoice
from catalogue.models import Choice, Question
from tests.assessments.journey import complete, start

SEED = 20261203
PER_QUESTION = 1000  # answers per question: enough that sampling noise stays well inside the tolerances

# question key: (level tag, true difficulty, true guessing): every one off its tag.
TRUTH = {
    "harder-than-tagged": (2, 2.8, 0.15),
    "easier-than-tagged": (3, 2.2, 0.35),
    "a-bit-harder": (1, 1.6, 0.20),
    "expert-but-easier": (4, 3.3, 0.30),
    "easy-working-level": (2, 1.4, 0.25),
    "hard-proficient": (3, 3.7, 0.10),
    "very-easy": (1, 0.5, 0.30),
    "beyond-expert": (4, 4.5, 0.20),
}


def chance(ability: float, difficulty: float, guessing: float) -> float:
    """The true chance of a right answer, written out apart from the code under test."""
    know = 1.0 / (1.0 + math.exp(-SLOPE * (ability - difficulty + OFFSET)))
    return guessing + (1.0 - guessing) * (1.0 - SLIP) * know


def simulate(truth=TRUTH, per_question=PER_QUESTION, seed=SEED) -> list[ItemResponse]:
    """People of known levels (uniform over 0-4) answer questions of known difficulty and guessing;
    one in ten who would have got it wrong says "I don't know" instead."""
    rng = random.Random(seed)
    responses = []
    for key, (tag, difficulty, guessing) in truth.items():
        for _ in range(per_question):
            ability = rng.uniform(0, 4)
            if rng.random() < chance(ability, difficulty, guessing):
                responses.append(ItemResponse(key, tag, ability, "right", "A"))
            elif rng.random() < 0.1:
                responses.append(ItemResponse(key, tag, ability, "dont_know"))
            else:
                responses.append(ItemResponse(key, tag, ability, "wrong", rng.choice("BCD")))
    return responses


def tags_of(truth) -> dict[str, int]:
    return {key: tag for key, (tag, _d, _g) in truth.items()}


# --- the fit -----------------------------------------------------------------------------------


def test_the_fit_recovers_known_difficulty_and_guessing_from_simulated_answers():
    fitted = c.fit(simulate(), tags_of(TRUTH), version="calibration-1")
    assert fitted.version == "calibration-1"
    for key, (tag, difficulty, guessing) in TRUTH.items():
        item = fitted.parameters[key]
        assert item.responses == PER_QUESTION
        assert abs(item.difficulty - difficulty) <= 0.3, (key, item, difficulty)
        assert abs(item.guessing - guessing) <= 0.1, (key, item, guessing)
        # Every one moved from its tag towards the truth.
        assert abs(item.difficulty - difficulty) < abs(tag - difficulty), key


def test_the_spread_around_the_tags_is_learned_from_the_questions():
    """The true difficulties are 0.5-0.8 off their tags: the learned spread says so, and with the
    spread fixed small (no learning) the fit holds every question closer to its tag."""
    responses = simulate()
    learned = c.fit(responses, tags_of(TRUTH))
    assert 0.45 <= learned.prior_sd <= 0.9
    tight = c.fit(responses, tags_of(TRUTH), prior_sd=0.25, iterations=0)
    assert tight.prior_sd == 0.25
    for key, (tag, _d, _g) in TRUTH.items():
        assert abs(tight.parameters[key].difficulty - tag) <= abs(learned.parameters[key].difficulty - tag)


def test_a_question_with_fewer_than_the_minimum_answers_keeps_its_tag_exactly():
    truth = {"rarely-asked": (1, 3.5, 0.1)}  # far harder than tagged, but too few answers to say so
    responses = simulate(truth, per_question=c.MIN_RESPONSES - 1)
    fitted = c.fit(responses, {"rarely-asked": 1, "never-asked": 3})
    assert fitted.parameters["rarely-asked"] == (1.0, 0.25, c.MIN_RESPONSES - 1)
    assert fitted.parameters["never-asked"] == (3.0, 0.25, 0)
    assert fitted.item_parameters()["never-asked"] == ItemParameters(3.0, 0.25)


def test_a_question_with_few_answers_moves_less_than_one_with_many_saying_the_same():
    truth = {"harder": (1, 3.0, 0.2)}
    few = c.fit(simulate(truth, per_question=40), tags_of(truth)).parameters["harder"]
    many = c.fit(simulate(truth, per_question=800), tags_of(truth)).parameters["harder"]
    assert 1.0 < few.difficulty < many.difficulty
    assert abs(many.difficulty - 3.0) <= 0.3


def test_the_fit_is_deterministic():
    responses = simulate()
    assert c.fit(responses, tags_of(TRUTH)) == c.fit(list(reversed(responses)), tags_of(TRUTH))


def test_the_questions_moved_are_listed_with_their_signed_move_largest_first():
    fitted = c.Calibration(
        version="calibration-2",
        min_responses=30,
        prior_sd=0.5,
        parameters={
            "a": c.FittedItem(2.8, 0.2, 100),
            "b": c.FittedItem(1.2, 0.2, 100),
            "d": c.FittedItem(3.4, 0.2, 100),
        },
    )
    assert fitted.moved({"a": 2, "b": 2, "d": 3}) == [("a", 0.8), ("b", -0.8)]


def test_tags_given_win_over_the_tag_an_answer_carries():
    responses = [ItemResponse("q", 2, 2.0, "right", "A")] * 5
    assert c.fit(responses, {"q": 3}, min_responses=10).parameters["q"].difficulty == 3.0


def test_ability_is_the_mean_of_the_probabilities_else_the_level():
    assert c.ability(2, (0.0, 0.5, 0.0, 0.5, 0.0)) == pytest.approx(2.0)
    assert c.ability(1, (0.0, 0.0, 0.0, 0.0, 1.0)) == pytest.approx(4.0)
    assert c.ability(3) == 3.0
    assert c.version_label(7) == "calibration-7"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": "q", "level": 0, "ability": 1.0, "outcome": "right"}, "level tag"),
        ({"question": "q", "level": 2, "ability": 4.5, "outcome": "right"}, "ability"),
        ({"question": "q", "level": 2, "ability": math.nan, "outcome": "right"}, "ability"),
        ({"question": "q", "level": 2, "ability": 1.0, "outcome": "skipped"}, "outcome"),
    ],
)
def test_an_impossible_response_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ItemResponse(**kwargs)


@pytest.mark.parametrize(
    "settings_",
    [{"prior_sd": 0.0}, {"prior_sd": math.inf}, {"min_responses": 0}, {"iterations": -1}],
)
def test_impossible_settings_are_refused(settings_):
    with pytest.raises(ValueError, match="must be"):
        c.fit([], {}, **settings_)


KEYS = ("q1", "q2", "q3")


@st.composite
def bank(draw):
    tags = {key: draw(st.integers(1, 4)) for key in KEYS}
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(KEYS),
                st.floats(0, 4, allow_nan=False),
                st.sampled_from(("right", "wrong", "dont_know")),
                st.sampled_from(("", "A", "B", "C", "D")),
            ),
            max_size=60,
        )
    )
    responses = [ItemResponse(k, tags[k], a, o, ch) for k, a, o, ch in rows]
    return tags, responses


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bank(),
    st.integers(1, 8),
    st.floats(0.1, 2.0),
    st.integers(0, 3),
)
def test_fitted_parameters_stay_in_bounds_for_any_answers(drawn, min_responses, prior_sd, iterations):
    tags, responses = drawn
    fitted = c.fit(responses, tags, prior_sd=prior_sd, min_responses=min_responses, iterations=iterations)
    assert set(fitted.parameters) == set(KEYS)
    low, high = c.SPREAD_BOUNDS
    assert fitted.prior_sd == pytest.approx(prior_sd, abs=1e-4) or low <= fitted.prior_sd <= high
    for key, item in fitted.parameters.items():
        n = sum(1 for r in responses if r.question == key)
        assert item.responses == n
        if n < min_responses:
            assert (item.difficulty, item.guessing) == (float(tags[key]), 0.25)
        assert tags[key] - 2 - 1e-9 <= item.difficulty <= tags[key] + 2 + 1e-9
        assert 0.05 - 1e-9 <= item.guessing <= 0.45 + 1e-9


@settings(max_examples=60, deadline=None)
@given(bank())
def test_item_statistics_are_shares_and_correlations_for_any_answers(drawn):
    _tags, responses = drawn
    stats = c.item_analysis(responses)
    assert sum(s.shown for s in stats) == len(responses)
    for s in stats:
        assert 0 <= s.share_right <= 1 and 0 <= s.share_dont_know <= 1
        assert s.share_right + s.share_dont_know <= 1 + 1e-9
        assert s.discrimination is None or -1 <= s.discrimination <= 1
        assert set(s.flags) <= set(c.FLAGS)
        assert s.shown >= c.FLAG_MIN_RESPONSES or set(s.flags) <= {c.DISTRACTOR}


# --- item analysis -----------------------------------------------------------------------------


def answers_by(key: str, tag: int, answer, n: int = PER_QUESTION, seed: int = SEED) -> list[ItemResponse]:
    """``n`` people of known levels answer question ``key``; ``answer(rng, ability)`` gives the label
    they choose ('A' is the key, '' is "I don't know")."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        ability = rng.uniform(0, 4)
        label = answer(rng, ability)
        outcome = "right" if label == "A" else ("dont_know" if not label else "wrong")
        out.append(ItemResponse(key, tag, ability, outcome, label))
    return out


def model_answer(difficulty: float, guessing: float = 0.25):
    def answer(rng, ability):
        return "A" if rng.random() < chance(ability, difficulty, guessing) else rng.choice("BCD")

    return answer


def flat(p_right: float):
    """Right with the same chance whatever the level: the question tells nothing of the person."""
    return lambda rng, ability: "A" if rng.random() < p_right else rng.choice("BCD")


def rising(base: float, per_level: float):
    """Right with a chance that rises with the level."""
    return lambda rng, ability: "A" if rng.random() < base + per_level * ability else rng.choice("BCD")


def strong_pick_c(rng, ability):
    """People at or above the level pick the tempting wrong option C more often than the key."""
    if ability >= 3:
        return "C" if rng.random() < 0.6 else ("A" if rng.random() < 0.75 else "B")
    return rng.choice("ABCD")


def test_item_analysis_flags_easy_hard_flat_and_tempting_questions_and_leaves_good_ones():
    responses = [
        *answers_by("good", 2, model_answer(2.0)),
        *answers_by("too-easy", 1, flat(0.99)),
        *answers_by("too-hard", 4, rising(0.05, 0.1)),
        *answers_by("flat", 2, flat(0.6)),
        *answers_by("tempting", 3, strong_pick_c),
    ]
    stats = {s.question: s for s in c.item_analysis(responses)}
    assert stats["good"].flags == ()
    assert stats["good"].discrimination > 0.4
    # Right whatever the level: too easy, and (like any question nearly everyone gets right) not
    # discriminating either.
    assert stats["too-easy"].flags == (c.TOO_EASY, c.NOT_DISCRIMINATING)
    assert stats["too-easy"].share_right > 0.95
    assert stats["too-hard"].flags == (c.TOO_HARD,)
    assert stats["too-hard"].share_right < 0.3
    assert stats["flat"].flags == (c.NOT_DISCRIMINATING,)
    assert abs(stats["flat"].discrimination) < 0.1
    assert c.DISTRACTOR in stats["tempting"].flags
    assert stats["tempting"].distractor == "C"
    assert stats["tempting"].distractor_count > stats["tempting"].strong_key
    # Flagged questions come first.
    assert [s.question for s in c.item_analysis(responses)][-1] == "good"


def test_item_analysis_counts_shares_and_i_dont_know():
    responses = [
        ItemResponse("q", 2, 1.0, "right", "A"),
        ItemResponse("q", 2, 3.0, "right", "A"),
        ItemResponse("q", 2, 0.0, "wrong", "B"),
        ItemResponse("q", 2, 0.5, "dont_know"),
    ]
    (stats,) = c.item_analysis(responses)
    assert (stats.shown, stats.share_right, stats.share_dont_know) == (4, 0.5, 0.25)
    assert stats.discrimination == pytest.approx(c.point_biserial([True, True, False, False], [1, 3, 0, 0.5]))
    assert stats.flags == ()  # too few answers to flag


def test_discrimination_is_none_when_everyone_is_right():
    assert c.point_biserial([True, True, True], [0.0, 2.0, 4.0]) is None
    assert c.point_biserial([True, False], [2.0, 2.0]) is None
    assert c.point_biserial([True, False], [3.0, 1.0]) == pytest.approx(1.0)


def test_a_few_answers_are_never_flagged_too_easy_or_too_hard():
    responses = answers_by("q", 2, flat(1.0), n=c.FLAG_MIN_RESPONSES - 1)
    assert c.item_analysis(responses)[0].flags == ()


# --- stored versions, the command and the admin (database) -------------------------------------


def snapshot_json(levels: dict[str, tuple[int, tuple[float, ...]]]) -> dict:
    """A current (schema 4) result snapshot holding these skills' estimates."""
    return ResultSnapshot(
        focus="machine-learning-engineer:senior",
        method=Method(name="bayesian-adaptive", version=1, parameters="tags"),
        categories=(),
        skills=tuple(
            SkillResult(
                slug=slug,
                name=slug,
                category="programming",
                anchors=(),
                claim=level,
                evidence=(),
                estimate=Estimate(
                    level=level,
                    low=level,
                    high=level,
                    calibration="consistent",
                    reason="",
                    probabilities=probabilities,
                ),
            )
            for slug, (level, probabilities) in levels.items()
        ),
        roles={},
        target=TargetChoice(role="machine-learning-engineer", seniority="senior"),
    ).to_json()


LEVEL_3 = (0.0, 0.0, 0.1, 0.8, 0.1)  # mean 3.0


def submitted(user, skill, count: int, answers: dict[str, str | None], probabilities=LEVEL_3, level=3):
    """``count`` submitted assessments of ``user``, each answering these questions (key: option label,
    None for "I don't know"), with a result estimating the skill at these probabilities."""
    questions = {q.key: q for q in Question.objects.filter(key__in=answers)}
    choices = {(ch.question.key, ch.label): ch for ch in Choice.objects.filter(question__key__in=answers)}
    now = timezone.now()
    for _ in range(count):
        assessment = Assessment.objects.create(
            user=user, status=Assessment.Status.SUBMITTED, catalogue_version="v", submitted_at=now
        )
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                question=questions[key],
                skill=skill,
                choice=None if label is None else choices[(key, label)],
                dont_know=label is None,
                certainty="" if label is None else "certain",
                answered_at=now,
            )
            for key, label in answers.items()
        )
        Result.objects.create(
            assessment=assessment,
            user=user,
            catalogue_version="v",
            focus="machine-learning-engineer:senior",
            readiness={},
            snapshot_json=snapshot_json({skill.slug: (level, probabilities)}),
        )


def key_label(key: str) -> str:
    return Choice.objects.get(question__key=key, is_correct=True).label


def wrong_label(key: str) -> str:
    return Choice.objects.filter(question__key=key, is_correct=False).order_by("label").first().label


@pytest.mark.django_db
def test_no_active_calibration_means_the_tags():
    assert calibration_store.active_parameters() == ("tags", {})


@pytest.mark.django_db
def test_at_most_one_calibration_is_active():
    ItemCalibration.objects.create(version=1, min_responses=30, prior_sd=0.5, active=True)
    ItemCalibration.objects.create(version=2, min_responses=30, prior_sd=0.5, active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemCalibration.objects.create(version=3, min_responses=30, prior_sd=0.5, active=True)


@pytest.mark.django_db
def test_the_responses_read_the_estimated_level_from_each_result(user, small_catalogue):
    python = small_catalogue["python"]
    submitted(user, python, 1, {"python-l1-a": key_label("python-l1-a"), "python-l2-a": None})
    submitted(user, python, 1, {"python-l1-a": wrong_label("python-l1-a")}, probabilities=(), level=1)
    in_progress = Assessment.objects.create(user=user, catalogue_version="v")
    Answer.objects.create(
        assessment=in_progress,
        question=Question.objects.get(key="python-l3-a"),
        skill=python,
        choice=None,
        dont_know=True,
        answered_at=timezone.now(),
    )
    responses = calibration_store.item_responses()
    assert [(r.question, r.level, r.outcome, r.ability) for r in responses] == [
        ("python-l1-a", 1, "right", pytest.approx(3.0)),
        ("python-l2-a", 2, "dont_know", pytest.approx(3.0)),
        ("python-l1-a", 1, "wrong", 1.0),  # a result without probabilities: its level
    ]
    assert responses[0].chosen == key_label("python-l1-a") and responses[1].chosen == ""


@pytest.mark.django_db
def test_reading_the_responses_takes_the_same_queries_for_one_question_or_many(user, small_catalogue):
    python, sql = small_catalogue["python"], small_catalogue["sql"]
    submitted(user, python, 2, {"python-l1-a": None})
    with CaptureQueriesContext(connection) as one:
        calibration_store.item_responses()
    many = {q.key: None for q in Question.objects.filter(skill__in=[python, sql])}
    submitted(user, python, 3, {k: v for k, v in many.items() if k.startswith("python")})
    submitted(user, sql, 3, {k: v for k, v in many.items() if k.startswith("sql")})
    with CaptureQueriesContext(connection) as lots:
        responses = calibration_store.item_responses()
    assert len(responses) == 2 + 3 * len(many)
    assert len(lots.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_a_real_assessment_gives_responses_at_its_result_levels(user_client, user, small_catalogue):
    assessment = start(user_client)
    complete(user_client, assessment, {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    result = Result.objects.get(user=user)
    responses = calibration_store.item_responses()
    answered = Answer.objects.filter(assessment=assessment, answered_at__isnull=False)
    assert len(responses) == answered.count() > 0
    for response, answer in zip(responses, answered.order_by("pk"), strict=True):
        estimate = result.snapshot.skill(answer.skill.slug).estimate
        assert response.question == answer.question.key
        assert response.ability == pytest.approx(c.ability(estimate.level, estimate.probabilities))


@pytest.mark.django_db
def test_the_command_stores_a_version_and_activate_switches_the_active_one(user, small_catalogue):
    python = small_catalogue["python"]
    # 40 people estimated at level 3 all miss a level-1 question and all get a level-2 one right.
    submitted(
        user, python, 40, {"python-l1-a": wrong_label("python-l1-a"), "python-l2-a": key_label("python-l2-a")}
    )
    out = StringIO()
    call_command("calibrate_questions", stdout=out)
    first = ItemCalibration.objects.get()
    assert (first.version, first.active, first.min_responses) == (1, False, c.MIN_RESPONSES)
    assert set(first.parameters) == set(Question.objects.values_list("key", flat=True))
    harder = first.parameters["python-l1-a"]
    assert harder["responses"] == 40 and harder["difficulty"] > 1.5
    assert first.parameters["python-l3-a"] == {"difficulty": 3.0, "guessing": 0.25, "responses": 0}
    text = out.getvalue()
    assert "calibration-1" in text and "python-l1-a: tag 1 -> difficulty" in text
    assert "python-l2-a:" not in text  # it stayed within half a level of its tag
    assert calibration_store.active_parameters() == ("tags", {})

    call_command("calibrate_questions", "--activate", stdout=StringIO())
    call_command("calibrate_questions", "--activate", stdout=StringIO())
    assert list(ItemCalibration.objects.values_list("version", "active")) == [
        (3, True),
        (2, False),
        (1, False),
    ]
    label, parameters = calibration_store.active_parameters()
    assert label == "calibration-3"
    assert parameters["python-l1-a"].difficulty == harder["difficulty"]
    assert parameters["python-l3-a"] == ItemParameters(3.0, 0.25)

    call_command("calibrate_questions", "--activate-version", "1", stdout=StringIO())
    assert calibration_store.active_parameters()[0] == "calibration-1"
    call_command("calibrate_questions", "--use-tags", stdout=StringIO())
    assert calibration_store.active_parameters() == ("tags", {})


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_version_and_bad_settings():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no calibration version 9"):
        call_command("calibrate_questions", "--activate-version", "9")
    with pytest.raises(CommandError, match="prior_sd"):
        call_command("calibrate_questions", "--prior-sd", "0")
    assert not ItemCalibration.objects.exists()


ITEM_ANALYSIS = "admin:assessments_itemcalibration_item_analysis"


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@careerpath.test", "a-long-admin-password"
    )
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_the_item_analysis_page_lists_each_question_with_its_flags_for_staff(
    staff_client, user, small_catalogue, django_assert_max_num_queries
):
    python = small_catalogue["python"]
    submitted(
        user, python, 25, {"python-l1-a": wrong_label("python-l1-a"), "python-l2-a": key_label("python-l2-a")}
    )
    call_command("calibrate_questions", "--activate", "--min-responses", "20", stdout=StringIO())
    response = staff_client.get(reverse(ITEM_ANALYSIS))
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "python-l1-a" in text and "python-l2-a" in text
    assert "too hard" in text and "too easy" in text
    assert "calibration-1 (active)" in text
    rows = {row["stats"].question: row for row in response.context["rows"]}
    assert rows["python-l1-a"]["stats"].flags == (c.TOO_HARD, c.DISTRACTOR)
    assert rows["python-l2-a"]["stats"].flags == (c.TOO_EASY,)
    assert rows["python-l1-a"]["fitted"]["difficulty"] > 1.5
    flagged = staff_client.get(reverse(ITEM_ANALYSIS), {"flag": c.TOO_EASY})
    assert [row["stats"].question for row in flagged.context["rows"]] == ["python-l2-a"]
    changelist = staff_client.get(reverse("admin:assessments_itemcalibration_changelist"))
    assert reverse(ITEM_ANALYSIS) in changelist.content.decode()
    # More questions answered, no more queries.
    with CaptureQueriesContext(connection) as before:
        staff_client.get(reverse(ITEM_ANALYSIS))
    submitted(user, python, 5, {q.key: None for q in Question.objects.filter(skill=python)})
    with django_assert_max_num_queries(len(before.captured_queries)):
        staff_client.get(reverse(ITEM_ANALYSIS))


@pytest.mark.django_db
def test_the_item_analysis_page_is_refused_to_everyone_else(client, user):
    url = reverse(ITEM_ANALYSIS)
    anonymous = client.get(url)
    assert anonymous.status_code == HTTPStatus.FOUND and "login" in anonymous.url
    client.force_login(user)
    learner = client.get(url)
    assert learner.status_code == HTTPStatus.FOUND and "login" in learner.url
    user.is_staff = True  # staff, but without the permission to view calibrations
    user.save()
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.django_db
def test_calibrations_cannot_be_added_changed_or_deleted_in_the_admin(staff_client):
    stored = ItemCalibration.objects.create(version=1, min_responses=30, prior_sd=0.5)
    assert (
        staff_client.get(reverse("admin:assessments_itemcalibration_add")).status_code == HTTPStatus.FORBIDDEN
    )
    change = staff_client.get(reverse("admin:assessments_itemcalibration_change", args=[stored.pk]))
    assert change.status_code == HTTPStatus.OK and 'name="_save"' not in change.content.decode()
    delete = staff_client.post(reverse("admin:assessments_itemcalibration_delete", args=[stored.pk]))
    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert ItemCalibration.objects.filter(pk=stored.pk).exists()
