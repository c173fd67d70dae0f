"""Scoring: certainty-based marks, assessed levels, gaps, readiness and priority (no database)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import (
    CONSISTENT,
    DUPLICATE_EVIDENCE,
    INVALID_CERTAINTY,
    INVALID_CHECK_LEVEL,
    INVALID_LEVEL,
    INVALID_WEIGHT,
    OVER_CONFIDENT,
    TARGET_KEY_MISMATCH,
    UNCATEGORISED,
    UNDER_CONFIDENT,
    Check,
    SkillEvidence,
    SkillGap,
    Target,
    assess_skill,
    certainty_mark,
    check_mark,
    role_readiness,
    score,
)
from catalogue.vocab import Certainty

PROPERTY = settings(max_examples=300, deadline=None, database=None)


def right(level: int, certainty: str = Certainty.CERTAIN, seen_before: bool = False) -> Check:
    return Check(level=level, correct=True, certainty=certainty, seen_before=seen_before)


def wrong(level: int, certainty: str = Certainty.CERTAIN, seen_before: bool = False) -> Check:
    return Check(level=level, correct=False, certainty=certainty, seen_before=seen_before)


def dont_know(level: int) -> Check:
    return Check(level=level, correct=None, certainty="")


def targets_of(*rows: tuple[str, int, int]) -> dict[str, Target]:
    return {skill: Target(skill=skill, level=level, weight=weight) for skill, level, weight in rows}


# --- certainty-based marking -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "certainty", "mark"),
    [
        (True, Certainty.GUESSING, 1),
        (True, Certainty.FAIRLY_SURE, 2),
        (True, Certainty.CERTAIN, 3),
        (False, Certainty.GUESSING, 0),
        (False, Certainty.FAIRLY_SURE, -2),
        (False, Certainty.CERTAIN, -6),
        (None, Certainty.GUESSING, 0),
        (None, Certainty.FAIRLY_SURE, 0),
        (None, Certainty.CERTAIN, 0),
        (None, "", 0),
    ],
)
def test_certainty_mark_table(correct, certainty, mark):
    """Right +1/+2/+3, wrong 0/-2/-6, "I don't know" 0, as in Gardner-Medwin's scheme."""
    assert certainty_mark(correct, certainty) == mark


def test_certainty_mark_rejects_unknown_certainty():
    """An answer without a known certainty is a caller bug, reported with the exact message."""
    with pytest.raises(ValueError) as excinfo:
        certainty_mark(True, "sure")
    assert str(excinfo.value) == INVALID_CERTAINTY.format(certainty="sure")


@pytest.mark.parametrize(
    ("check", "mark"),
    [
        (right(2, Certainty.CERTAIN), 3.0),
        (right(2, Certainty.CERTAIN, seen_before=True), 1.5),
        (right(2, Certainty.GUESSING, seen_before=True), 0.5),
        (wrong(2, Certainty.CERTAIN, seen_before=True), -3.0),
        (wrong(2, Certainty.FAIRLY_SURE, seen_before=True), -1.0),
        (dont_know(2), 0.0),
    ],
)
def test_check_mark_halves_questions_seen_before(check, mark):
    """A question met in an earlier assessment counts half."""
    assert check_mark(check) == mark


def test_honest_certainty_pays_at_the_documented_thresholds():
    """Expected marks cross where the docstring says: 2/3 (guessing/fairly sure) and 0.8 (certain)."""

    def expected(p: float, certainty: str) -> float:
        return p * certainty_mark(True, certainty) + (1 - p) * certainty_mark(False, certainty)

    assert expected(2 / 3, Certainty.GUESSING) == pytest.approx(expected(2 / 3, Certainty.FAIRLY_SURE))
    assert expected(0.8, Certainty.FAIRLY_SURE) == pytest.approx(expected(0.8, Certainty.CERTAIN))
    assert (
        expected(0.5, Certainty.GUESSING)
        > expected(0.5, Certainty.FAIRLY_SURE)
        > expected(0.5, Certainty.CERTAIN)
    )
    assert (
        expected(0.9, Certainty.CERTAIN)
        > expected(0.9, Certainty.FAIRLY_SURE)
        > expected(0.9, Certainty.GUESSING)
    )


# --- assessed level ----------------------------------------------------------------------------

LEVEL_CASES = [
    # id, claim, checks, (assessed, low, high, calibration)
    ("claim 3, level-3 wrong certain", 3, [wrong(3)], (2, 2, 2, OVER_CONFIDENT)),
    ("claim 1, levels 1 and 2 right certain", 1, [right(1), right(2)], (2, 2, 2, UNDER_CONFIDENT)),
    (
        "claim 2, level 2 right fairly sure, level 3 right guessing",
        2,
        [right(2, Certainty.FAIRLY_SURE), right(3, Certainty.GUESSING)],
        (2, 2, 3, CONSISTENT),
    ),
    (
        "seen before: the level-2 right answer counts half and no longer raises",
        1,
        [right(1), right(2, seen_before=True)],
        (1, 1, 2, CONSISTENT),
    ),
    (
        "seen before: the certain wrong answer counts half and no longer lowers",
        3,
        [wrong(3, seen_before=True), right(2)],
        (3, 2, 3, CONSISTENT),
    ),
    ("the same, not seen before: lowered", 3, [wrong(3), right(2)], (2, 2, 2, OVER_CONFIDENT)),
    ("claim 0, nothing answered", 0, [], (0, 0, 0, CONSISTENT)),
    ("claim 3, nothing answered", 3, [], (3, 3, 3, CONSISTENT)),
    ("claim 4, everything right", 4, [right(1), right(2), right(3), right(4)], (4, 4, 4, CONSISTENT)),
    ("claim 4, level 4 right", 4, [right(4, Certainty.FAIRLY_SURE)], (4, 4, 4, CONSISTENT)),
    (
        "all wrong certain from claim 4",
        4,
        [wrong(1), wrong(2), wrong(3), wrong(4)],
        (0, 0, 0, OVER_CONFIDENT),
    ),
    ("all wrong certain, claim 2", 2, [wrong(2), wrong(3)], (1, 1, 1, OVER_CONFIDENT)),
    (
        "all wrong fairly sure, claim 2",
        2,
        [wrong(2, Certainty.FAIRLY_SURE), wrong(3, Certainty.FAIRLY_SURE)],
        (1, 1, 1, OVER_CONFIDENT),
    ),
    (
        "all wrong guessing, claim 2: no drop",
        2,
        [wrong(2, Certainty.GUESSING), wrong(3, Certainty.GUESSING)],
        (2, 1, 2, CONSISTENT),
    ),
    ("all I don't know, claim 2", 2, [dont_know(2), dont_know(3)], (2, 1, 2, CONSISTENT)),
    (
        "all I don't know, claim 3",
        3,
        [dont_know(1), dont_know(2), dont_know(3), dont_know(4)],
        (3, 2, 3, CONSISTENT),
    ),
    ("I don't know at the claimed level only widens", 2, [dont_know(2)], (2, 1, 2, CONSISTENT)),
    ("one certain wrong at claim 4 drops one level", 4, [wrong(4)], (3, 3, 3, OVER_CONFIDENT)),
    (
        "a seen-before fairly-sure wrong still lowers",
        2,
        [wrong(2, Certainty.FAIRLY_SURE, seen_before=True)],
        (1, 1, 1, OVER_CONFIDENT),
    ),
    ("two wrong levels drop two", 3, [wrong(3), wrong(2), right(1)], (1, 1, 1, OVER_CONFIDENT)),
    ("the drop stops at a shown level", 3, [wrong(3), right(2), wrong(1)], (2, 1, 2, OVER_CONFIDENT)),
    ("a shown claim holds over a wrong answer below", 3, [right(3), wrong(2)], (3, 2, 3, CONSISTENT)),
    ("a wrong answer above the claim changes nothing", 2, [right(2), wrong(3)], (2, 2, 2, CONSISTENT)),
    (
        "a rise is blocked by a wrong answer just above",
        1,
        [right(1), wrong(2), right(3)],
        (1, 1, 2, CONSISTENT),
    ),
    ("a rise needs the claim to hold", 2, [right(2), wrong(1), right(3)], (2, 1, 3, CONSISTENT)),
    (
        "a shown level two above still raises by one only",
        1,
        [right(1, Certainty.FAIRLY_SURE), right(3)],
        (2, 2, 3, UNDER_CONFIDENT),
    ),
    ("claim 0, level 1 right certain", 0, [right(1)], (1, 1, 1, UNDER_CONFIDENT)),
    ("claim 0, level 1 wrong certain", 0, [wrong(1)], (0, 0, 0, CONSISTENT)),
    (
        "claim 2, mixed answers at and below the claim",
        2,
        [
            right(2),
            wrong(2, Certainty.GUESSING),
            wrong(1, Certainty.FAIRLY_SURE),
            right(1, Certainty.GUESSING),
        ],
        (2, 1, 2, CONSISTENT),
    ),
]


@pytest.mark.parametrize(
    ("claim", "checks", "expected"), [case[1:] for case in LEVEL_CASES], ids=[case[0] for case in LEVEL_CASES]
)
def test_assessed_level_table(claim, checks, expected):
    """Hand-worked outcomes of the level rules in the module docstring."""
    level = assess_skill(SkillEvidence(skill="python", self_level=claim, checks=tuple(checks)))
    assert (level.assessed_level, level.low, level.high, level.calibration) == expected
    assert level.skill == "python"
    assert level.self_level == claim


def test_seen_before_changes_the_outcome():
    """The same right answers raise the level when fresh, and do not when the question was seen before."""
    fresh = assess_skill(SkillEvidence("sql", 1, (right(1), right(2))))
    seen = assess_skill(SkillEvidence("sql", 1, (right(1), right(2, seen_before=True))))
    assert (fresh.assessed_level, fresh.calibration) == (2, UNDER_CONFIDENT)
    assert (seen.assessed_level, seen.low, seen.high, seen.calibration) == (1, 1, 2, CONSISTENT)


@pytest.mark.parametrize(
    ("claim", "checks", "reason"),
    [
        (0, [], "No knowledge checks answered: the self-rating stands unverified."),
        (
            3,
            [wrong(3)],
            "Answers at or below the claimed level 3 were mostly wrong (net mark -6),"
            " so the level was lowered to 2.",
        ),
        (
            1,
            [right(1), right(2)],
            "Level 2 was answered right with confidence (net mark +3), so the level was raised to 2.",
        ),
        (
            2,
            [right(2, Certainty.FAIRLY_SURE), right(3, Certainty.GUESSING)],
            "Answers support the claimed level 2 (net mark +2)."
            " Shown as level 2-3 until a re-test narrows it.",
        ),
        (
            2,
            [dont_know(2)],
            "Answers neither support nor contradict the claimed level 2 (net mark 0)."
            " Shown as level 1-2 until a re-test narrows it.",
        ),
        (2, [wrong(3)], "No answer went against the claimed level 2."),
        (
            3,
            [right(3), wrong(2)],
            "Answers conflict: level 3 was shown, but checks below it went wrong."
            " Shown as level 2-3 until a re-test narrows it.",
        ),
        (
            1,
            [right(1), right(2, seen_before=True)],
            "Answers support the claimed level 1 (net mark +3)."
            " Shown as level 1-2 until a re-test narrows it.",
        ),
    ],
)
def test_reason_explains_the_outcome(claim, checks, reason):
    """Each level carries a short sentence saying why it is what it is."""
    assert assess_skill(SkillEvidence("python", claim, tuple(checks))).reason == reason


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SkillEvidence("python", 5), INVALID_LEVEL.format(level=5)),
        (lambda: SkillEvidence("python", -1), INVALID_LEVEL.format(level=-1)),
        (
            lambda: Check(level=0, correct=True, certainty=Certainty.CERTAIN),
            INVALID_CHECK_LEVEL.format(level=0),
        ),
        (
            lambda: Check(level=5, correct=True, certainty=Certainty.CERTAIN),
            INVALID_CHECK_LEVEL.format(level=5),
        ),
        (lambda: Check(level=2, correct=False, certainty=""), INVALID_CERTAINTY.format(certainty="")),
        (lambda: Target("python", level=5, weight=1), INVALID_LEVEL.format(level=5)),
        (lambda: Target("python", level=2, weight=0), INVALID_WEIGHT.format(weight=0)),
    ],
)
def test_bad_input_is_rejected_with_a_precise_message(build, message):
    """Out-of-range levels, weights and certainties never reach the arithmetic."""
    with pytest.raises(ValueError) as excinfo:
        build()
    assert str(excinfo.value) == message


# --- gaps and readiness ------------------------------------------------------------------------

CATEGORIES = {
    "python": "programming",
    "sql": "programming",
    "statistics": "maths",
    "pytorch": "deep-learning",
}


def test_readiness_worked_example():
    """The example in the docstring: 1 - 3/13."""
    result = role_readiness(
        "machine-learning-engineer",
        {"python": 2, "statistics": 2},
        targets_of(("python", 3, 3), ("statistics", 2, 2)),
        CATEGORIES,
        [],
    )
    assert result.role == "machine-learning-engineer"
    assert result.readiness == 10 / 13
    assert result.by_category == {"maths": 1.0, "programming": 6 / 9}
    assert result.strengths == ("statistics",)
    assert result.skills == (
        SkillGap("python", "programming", 2, 3, 3, gap=1, weighted_gap=3, priority=3.0),
        SkillGap("statistics", "maths", 2, 2, 2, gap=0, weighted_gap=0, priority=0.0),
    )
    assert [gap.skill for gap in result.top_gaps] == ["python"]


TARGETS = targets_of(("python", 3, 4), ("sql", 2, 2), ("statistics", 2, 3), ("pytorch", 3, 3))
TOTAL = 3 * 4 + 2 * 2 + 2 * 3 + 3 * 3  # 31


@pytest.mark.parametrize(
    ("levels", "readiness", "by_category", "strengths"),
    [
        ({}, 0.0, {"deep-learning": 0.0, "maths": 0.0, "programming": 0.0}, ()),
        (
            {"python": 4, "sql": 4, "statistics": 4, "pytorch": 4},
            1.0,
            {"deep-learning": 1.0, "maths": 1.0, "programming": 1.0},
            ("python", "pytorch", "statistics", "sql"),
        ),
        (
            {"python": 3, "sql": 2, "statistics": 2, "pytorch": 3},
            1.0,
            {"deep-learning": 1.0, "maths": 1.0, "programming": 1.0},
            ("python", "pytorch", "statistics", "sql"),
        ),
        (
            {"python": 0, "sql": 0, "statistics": 0, "pytorch": 0},
            0.0,
            {"deep-learning": 0.0, "maths": 0.0, "programming": 0.0},
            (),
        ),
        # python gap 1 x 4, sql 0, statistics gap 1 x 3, pytorch gap 3 x 3: 16 of 31 missing
        (
            {"python": 2, "sql": 3, "statistics": 1},
            (TOTAL - 16) / TOTAL,
            {"deep-learning": 0.0, "maths": 3 / 6, "programming": 12 / 16},
            ("sql",),
        ),
        (
            {"python": 3, "sql": 1, "statistics": 2, "pytorch": 2},
            (TOTAL - 5) / TOTAL,
            {"deep-learning": 6 / 9, "maths": 1.0, "programming": 14 / 16},
            ("python", "statistics"),
        ),
    ],
    ids=["nothing answered", "all above target", "every skill at target", "all zero", "mixed", "near"],
)
def test_readiness_table(levels, readiness, by_category, strengths):
    """Readiness = 1 - weighted gaps / (target x weight), overall and per category; strengths by weight."""
    result = role_readiness("machine-learning-engineer", levels, TARGETS, CATEGORIES, [])
    assert result.readiness == readiness
    assert result.by_category == by_category
    assert list(result.by_category) == sorted(result.by_category)
    assert result.strengths == strengths


def test_readiness_is_exactly_one_when_every_skill_is_at_target():
    """No gap gives 1.0 exactly, not 0.9999..."""
    targets = targets_of(("python", 3, 5), ("sql", 1, 3), ("statistics", 4, 1))
    result = role_readiness("r", {"python": 3, "sql": 1, "statistics": 4}, targets, CATEGORIES, [])
    assert result.readiness == 1.0
    assert result.top_gaps == ()


@pytest.mark.parametrize(
    "targets",
    [targets_of(("python", 0, 3), ("statistics", 0, 1)), {}],
    ids=["every target 0", "no targets"],
)
def test_readiness_is_none_when_there_is_nothing_to_be_ready_for(targets):
    """Target 0 everywhere (or no target at all) is "n/a", not 0% or 100%."""
    result = role_readiness("r", {"python": 2}, targets, CATEGORIES, [])
    assert result.readiness is None
    assert all(value is None for value in result.by_category.values())
    assert result.strengths == ()
    assert result.top_gaps == ()


def test_a_category_with_only_zero_targets_is_none_while_the_role_is_not():
    """Per-category readiness follows the same n/a rule."""
    targets = targets_of(("python", 2, 1), ("statistics", 0, 3))
    result = role_readiness("r", {"python": 1}, targets, CATEGORIES, [])
    assert result.readiness == 0.5
    assert result.by_category == {"maths": None, "programming": 0.5}


def test_missing_skill_counts_as_level_zero_and_missing_category_is_uncategorised():
    """A skill with no assessed level is at 0; a skill without a category is still counted."""
    result = role_readiness("r", {}, targets_of(("git", 2, 2)), {}, [])
    assert result.skills == (SkillGap("git", UNCATEGORISED, 0, 2, 2, gap=2, weighted_gap=4, priority=4.0),)
    assert result.by_category == {UNCATEGORISED: 0.0}


def test_role_readiness_rejects_bad_levels_and_mismatched_targets():
    """A level outside 0-4 or a target filed under another skill is a caller bug."""
    with pytest.raises(ValueError) as excinfo:
        role_readiness("r", {"python": 7}, TARGETS, CATEGORIES, [])
    assert str(excinfo.value) == INVALID_LEVEL.format(level=7)
    with pytest.raises(ValueError) as excinfo:
        role_readiness("r", {}, {"python": Target("sql", 2, 1)}, CATEGORIES, [])
    assert str(excinfo.value) == TARGET_KEY_MISMATCH.format(key="python", skill="sql")


# --- priority ----------------------------------------------------------------------------------

CHAIN = [("pandas", "python", 2), ("scikit-learn", "pandas", 2)]
CHAIN_TARGETS = targets_of(("python", 3, 2), ("pandas", 3, 3), ("scikit-learn", 2, 2))


@pytest.mark.parametrize(
    ("levels", "priorities", "order"),
    [
        # weighted gaps: python 1x2=2, pandas 1x3=3, scikit-learn 2x2=4
        (
            {"python": 2, "pandas": 2, "scikit-learn": 0},
            {"python": 5.5, "pandas": 5.0, "scikit-learn": 4.0},
            ["python", "pandas", "scikit-learn"],
        ),
        # pandas at target: python still unlocks scikit-learn through it (transitively)
        (
            {"python": 2, "pandas": 3, "scikit-learn": 0},
            {"python": 4.0, "pandas": 0.0, "scikit-learn": 4.0},
            ["python", "scikit-learn"],
        ),
        # only python has a gap: no bonus
        (
            {"python": 0, "pandas": 3, "scikit-learn": 2},
            {"python": 6.0, "pandas": 0.0, "scikit-learn": 0.0},
            ["python"],
        ),
        # python 3x2=6, pandas 3x3=9, scikit-learn 4: python 6 + 0.5 x 13 = 12.5, pandas 9 + 2 = 11
        ({}, {"python": 12.5, "pandas": 11.0, "scikit-learn": 4.0}, ["python", "pandas", "scikit-learn"]),
    ],
    ids=["all gaps", "middle at target", "root only", "nothing answered"],
)
def test_priority_bonus_on_a_chain(levels, priorities, order):
    """Priority = weighted gap + 0.5 x weighted gaps of the skills that need it, directly or not."""
    result = role_readiness("r", levels, CHAIN_TARGETS, {}, CHAIN)
    assert {gap.skill: gap.priority for gap in result.skills} == priorities
    assert [gap.skill for gap in result.top_gaps] == order


def test_priority_ties_are_broken_by_slug():
    """Equal priorities list alphabetically."""
    targets = targets_of(("sql", 2, 1), ("git", 2, 1), ("numpy", 1, 2))
    result = role_readiness("r", {}, targets, {}, [])
    assert [gap.skill for gap in result.top_gaps] == ["git", "numpy", "sql"]


def test_priority_survives_a_cycle_in_the_prerequisites():
    """A cycle (which the catalogue rejects) neither hangs nor counts a skill as its own dependent."""
    targets = targets_of(("a", 1, 1), ("b", 1, 1))
    result = role_readiness("r", {}, targets, {}, [("a", "b", 1), ("b", "a", 1)])
    assert {gap.skill: gap.priority for gap in result.skills} == {"a": 1.5, "b": 1.5}


# --- score: every role from the same answers ---------------------------------------------------


ROLE_TARGETS = {
    "machine-learning-engineer": targets_of(("python", 3, 4), ("pytorch", 3, 3), ("statistics", 2, 2)),
    "data-scientist": targets_of(("python", 2, 3), ("statistics", 3, 4), ("pytorch", 1, 1)),
}
EVIDENCE = [
    SkillEvidence("python", 3, (wrong(3), right(4, Certainty.GUESSING))),  # -> 2, range 2-3
    SkillEvidence("statistics", 2, (right(2), right(3, Certainty.FAIRLY_SURE))),  # -> 3
    SkillEvidence("pytorch", 1, (dont_know(1),)),  # -> 1, range 0-1
]


def test_score_gives_every_role_from_the_same_answers():
    """Levels once, readiness for each role; hand-computed."""
    result = score(EVIDENCE, ROLE_TARGETS, CATEGORIES, [("pytorch", "python", 2)])
    assert {skill: (lv.assessed_level, lv.low, lv.high) for skill, lv in result.levels.items()} == {
        "pytorch": (1, 0, 1),
        "python": (2, 2, 3),
        "statistics": (3, 3, 3),
    }
    assert list(result.roles) == ["data-scientist", "machine-learning-engineer"]
    mle = result.roles["machine-learning-engineer"]
    # python 1x4, pytorch 2x3, statistics 0 of 12 + 9 + 4 = 25
    assert mle.readiness == 15 / 25
    assert mle.strengths == ("statistics",)
    assert [(gap.skill, gap.priority) for gap in mle.top_gaps] == [("python", 7.0), ("pytorch", 6.0)]
    ds = result.roles["data-scientist"]
    assert ds.readiness == 1.0
    assert ds.strengths == ("statistics", "python", "pytorch")


def test_score_with_nothing_answered():
    """No evidence at all: every level 0, readiness 0 for roles with targets."""
    result = score([], ROLE_TARGETS, CATEGORIES, [])
    assert result.levels == {}
    assert {role: r.readiness for role, r in result.roles.items()} == {
        "data-scientist": 0.0,
        "machine-learning-engineer": 0.0,
    }


def test_score_rejects_the_same_skill_twice():
    """Two self-ratings for one skill cannot both count."""
    with pytest.raises(ValueError) as excinfo:
        score([SkillEvidence("python", 1), SkillEvidence("python", 2)], {}, {}, [])
    assert str(excinfo.value) == DUPLICATE_EVIDENCE.format(skill="python")


def test_score_does_not_depend_on_input_order():
    """Shuffled evidence, checks, roles and prerequisites give the identical result."""
    prerequisites = [("pytorch", "python", 2), ("statistics", "python", 1)]
    expected = score(EVIDENCE, ROLE_TARGETS, CATEGORIES, prerequisites)
    rng = random.Random(7)
    for _ in range(20):
        evidence = [
            replace(item, checks=tuple(rng.sample(item.checks, len(item.checks)))) for item in EVIDENCE
        ]
        rng.shuffle(evidence)
        roles = {role: dict(reversed(targets.items())) for role, targets in reversed(ROLE_TARGETS.items())}
        shuffled = rng.sample(prerequisites, len(prerequisites))
        assert score(evidence, roles, dict(reversed(CATEGORIES.items())), shuffled) == expected


# --- properties --------------------------------------------------------------------------------

checks_strategy = st.builds(
    Check,
    level=st.integers(1, 4),
    correct=st.sampled_from([True, False, None]),
    certainty=st.sampled_from(tuple(Certainty)),
    seen_before=st.booleans(),
)
evidence_strategy = st.builds(
    SkillEvidence,
    skill=st.just("python"),
    self_level=st.integers(0, 4),
    checks=st.lists(checks_strategy, max_size=6).map(tuple),
)


def net_at_or_below(checks: tuple[Check, ...], level: int) -> float:
    return sum(check_mark(check) for check in checks if check.level <= level)


@PROPERTY
@given(evidence_strategy)
def test_assessed_level_stays_in_range_and_moves_as_documented(evidence):
    """0 <= low <= assessed <= high <= 4, at most one level up, and every drop backed by negative evidence."""
    level = assess_skill(evidence)
    claim = evidence.self_level
    assert 0 <= level.low <= level.assessed_level <= level.high <= 4
    assert level.high - level.low <= 2
    assert level.assessed_level <= claim + 1
    for dropped_from in range(level.assessed_level + 1, claim + 1):
        assert net_at_or_below(evidence.checks, dropped_from) < 0
    expected_calibration = (
        OVER_CONFIDENT
        if level.assessed_level < claim
        else UNDER_CONFIDENT
        if level.assessed_level > claim
        else CONSISTENT
    )
    assert level.calibration == expected_calibration
    assert level.reason


@PROPERTY
@given(evidence_strategy, st.randoms(use_true_random=False))
def test_assessed_level_does_not_depend_on_check_order(evidence, rng):
    """The same answers in any order give the same level."""
    shuffled = replace(evidence, checks=tuple(rng.sample(evidence.checks, len(evidence.checks))))
    assert assess_skill(shuffled) == assess_skill(evidence)


@PROPERTY
@given(
    st.integers(0, 4),
    st.lists(
        st.one_of(
            st.builds(dont_know, st.integers(1, 4)),
            st.builds(wrong, st.integers(1, 4), st.just(Certainty.GUESSING), st.booleans()),
        ),
        max_size=6,
    ),
)
def test_weak_evidence_never_lowers_a_level(claim, checks):
    """Wrong guesses and "I don't know" widen the range but never drop the level."""
    level = assess_skill(SkillEvidence("python", claim, tuple(checks)))
    assert level.assessed_level == claim
    assert level.low == (claim - 1 if claim > 0 and any(c.level <= claim for c in checks) else claim)


SLUGS = ["git", "numpy", "pandas", "python", "pytorch", "sql"]


@st.composite
def role_inputs(draw):
    skills = draw(st.lists(st.sampled_from(SLUGS), min_size=1, unique=True))
    targets = {
        skill: Target(
            skill,
            draw(st.integers(0, 4)),
            draw(st.integers(1, 5)),
        )
        for skill in skills
    }
    levels = {skill: draw(st.integers(0, 4)) for skill in draw(st.lists(st.sampled_from(SLUGS), unique=True))}
    categories = {skill: draw(st.sampled_from(["maths", "programming", "cloud"])) for skill in SLUGS}
    edges = draw(st.lists(st.tuples(st.sampled_from(SLUGS), st.sampled_from(SLUGS)), max_size=8))
    prerequisites = [(skill, requires, 2) for skill, requires in edges if skill != requires]
    return levels, targets, categories, prerequisites


@PROPERTY
@given(role_inputs())
def test_readiness_is_a_share_or_none(inputs):
    """Readiness is within [0, 1], and None exactly when every target is 0."""
    levels, targets, categories, prerequisites = inputs
    result = role_readiness("r", levels, targets, categories, prerequisites)
    values = [result.readiness, *result.by_category.values()]
    assert all(value is None or 0.0 <= value <= 1.0 for value in values)
    assert (result.readiness is None) == all(target.level == 0 for target in targets.values())
    assert all(gap.priority >= gap.weighted_gap for gap in result.skills)
    assert [gap.skill for gap in result.top_gaps] == [
        gap.skill for gap in sorted(result.top_gaps, key=lambda gap: (-gap.priority, gap.skill))
    ]


@PROPERTY
@given(role_inputs(), st.sampled_from(SLUGS))
def test_readiness_never_drops_when_a_level_rises(inputs, skill):
    """Raising any assessed level never lowers readiness, overall or in any category."""
    levels, targets, categories, prerequisites = inputs
    before = role_readiness("r", levels, targets, categories, prerequisites)
    current = levels.get(skill, 0)
    raised = {**levels, skill: min(4, current + 1)}
    after = role_readiness("r", raised, targets, categories, prerequisites)
    if before.readiness is not None:
        assert after.readiness >= before.readiness
    for category, value in before.by_category.items():
        if value is not None:
            assert after.by_category[category] >= value


@PROPERTY
@given(role_inputs(), st.data())
def test_readiness_is_exactly_one_without_gaps(inputs, data):
    """Every skill at or above target, some target above 0: exactly 1.0."""
    _levels, targets, categories, prerequisites = inputs
    levels = {skill: data.draw(st.integers(target.level, 4)) for skill, target in targets.items()}
    result = role_readiness("r", levels, targets, categories, prerequisites)
    if any(target.level > 0 for target in targets.values()):
        assert result.readiness == 1.0
        assert result.top_gaps == ()
    else:
        assert result.readiness is None


@PROPERTY
@given(role_inputs())
def test_role_readiness_is_deterministic(inputs):
    """The same inputs in another order give the identical result."""
    levels, targets, categories, prerequisites = inputs
    first = role_readiness("r", levels, targets, categories, prerequisites)
    again = role_readiness(
        "r",
        dict(reversed(levels.items())),
        dict(reversed(targets.items())),
        dict(reversed(categories.items())),
        list(reversed(prerequisites)),
    )
    assert again == first


def test_module_docstring_documents_the_model():
    """The docstring shown to users covers marking, levels, readiness and priority."""
    doc = scoring.__doc__
    for phrase in ("certainty-based marking", "assessed level", "readiness = 1 -", "priority =", "seen"):
        assert phrase in doc
