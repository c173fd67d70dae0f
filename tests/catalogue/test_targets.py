"""A person's target after their choices: required, optional, alternatives, hours from zero."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import targets
from catalogue.targets import Choices, TargetKey, TargetRow

ROWS = [
    TargetRow("python", 3, 5),
    TargetRow("pytorch", 2, 5, group="framework"),
    TargetRow("tensorflow-keras", 2, 5, group="framework"),
    TargetRow("java", 1, 2, required=False, group="second-language"),
    TargetRow("cpp", 1, 2, required=False, group="second-language"),
    TargetRow("spark", 1, 3, required=False),
    TargetRow("r", 0, 1, required=False),
]


def test_without_choices_a_target_holds_required_optional_and_each_groups_default():
    resolved = targets.resolve(ROWS, Choices())
    # Defaults: the heaviest skill of a group, then the first by slug.
    assert set(resolved) == {"python", "pytorch", "cpp", "spark", "r"}


def test_a_pick_replaces_the_groups_default_and_a_set_aside_drops_an_optional_skill():
    choices = Choices(chosen=frozenset({"tensorflow-keras", "java"}), set_aside=frozenset({"spark"}))
    assert set(targets.resolve(ROWS, choices)) == {"python", "tensorflow-keras", "java", "r"}


def test_setting_aside_the_pick_of_an_optional_group_drops_the_group():
    choices = Choices(chosen=frozenset({"java"}), set_aside=frozenset({"java"}))
    resolved = targets.resolve(ROWS, choices)
    assert "java" not in resolved and "cpp" not in resolved


def test_a_required_skill_stays_even_when_set_aside_and_the_choice_is_refused():
    choices = Choices(set_aside=frozenset({"python"}))
    assert "python" in targets.resolve(ROWS, choices)
    assert targets.choice_problems(ROWS, choices) == [targets.MSG_REQUIRED_SET_ASIDE.format(skill="python")]


def test_two_picks_in_one_group_are_refused():
    choices = Choices(chosen=frozenset({"pytorch", "tensorflow-keras"}))
    assert targets.choice_problems(ROWS, choices) == [
        targets.MSG_TWO_PICKS.format(group="framework", count=2)
    ]


def test_a_pick_outside_every_group_is_refused():
    choices = Choices(chosen=frozenset({"spark"}))
    assert targets.choice_problems(ROWS, choices) == [targets.MSG_UNKNOWN_PICK.format(skill="spark")]


def test_the_assessment_covers_the_targets_skills_above_level_zero_and_the_additions():
    choices = Choices(chosen=frozenset({"pytorch"}), added=frozenset({"hadoop-ecosystem"}))
    assert targets.assessed_skills(ROWS, choices) == {"python", "pytorch", "cpp", "spark", "hadoop-ecosystem"}


def test_groups_must_be_real_choices():
    rows = [
        TargetRow("a", 1, 1, group="g"),
        TargetRow("b", 1, 1, group="h"),
        TargetRow("c", 1, 1, False, "h"),
    ]
    assert targets.group_problems(rows) == [
        targets.MSG_GROUP_ALONE.format(group="g"),
        targets.MSG_GROUP_REQUIRED_MIXED.format(group="h"),
    ]


def test_hours_from_zero_add_every_level_up_to_the_target():
    hours = {"python": {1: 20, 2: 60, 3: 150, 4: 400}, "pytorch": {1: 10, 2: 40}}
    target = targets.resolve([TargetRow("python", 3, 5), TargetRow("pytorch", 2, 4)], Choices())
    assert targets.hours_from_zero(target, hours) == 20 + 60 + 150 + 10 + 40


@pytest.mark.parametrize(
    ("key", "role", "seniority"),
    [
        ("machine-learning-engineer:entry", "machine-learning-engineer", "entry"),
        ("data-scientist", "data-scientist", ""),
    ],
)
def test_a_target_key_names_a_role_and_a_seniority_or_a_role_alone(key, role, seniority):
    parsed = TargetKey.parse(key)
    assert (parsed.role, parsed.seniority) == (role, seniority)
    assert str(parsed) == key if seniority else True


slugs = st.sampled_from([r.skill for r in ROWS] + ["hadoop-ecosystem"])


@given(st.frozensets(slugs), st.frozensets(slugs), st.frozensets(slugs))
def test_choices_never_drop_a_required_skill_and_keep_one_skill_per_required_group(chosen, set_aside, added):
    resolved = targets.resolve(ROWS, Choices(chosen, set_aside, added))
    assert "python" in resolved
    assert len({"pytorch", "tensorflow-keras"} & set(resolved)) == 1
    assert len({"java", "cpp"} & set(resolved)) <= 1
    assert set(resolved) <= {r.skill for r in ROWS}
