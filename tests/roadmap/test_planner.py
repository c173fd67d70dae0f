"""The plan: level-by-level steps, prerequisites at level granularity, value per hour, side-by-side
tracks, dates, milestones, this week's plan and the deadline (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.planner import (
    CYCLE_MESSAGE,
    DEADLINE_PAST_MESSAGE,
    HOURS_PER_WEEK_MESSAGE,
    MAX_STEP_HOURS,
    NO_GAP_MESSAGE,
    UNKNOWN_SKILL_MESSAGE,
    Milestone,
    Prerequisite,
    RoadmapError,
    SkillInfo,
    SkillNeed,
    Step,
    build_plan,
    build_steps,
    deadline,
    key_title,
    part_names,
    refresh_step,
    schedule,
    split_hours,
    this_week,
    tracks,
)

MONDAY = date(2025, 1, 6)


def info(
    slug: str, *, category: str = "Programming", current: int = 0, hours: int = 10, anchors=None
) -> SkillInfo:
    """A skill whose every level takes ``hours`` hours to reach."""
    return SkillInfo(slug, slug.title(), category, current, dict.fromkeys(range(1, 5), hours), anchors or {})


def catalogue(*skills: SkillInfo) -> dict[str, SkillInfo]:
    return {skill.skill: skill for skill in skills}


def keys(steps) -> list[str]:
    return [step.key for step in steps]


def test_one_step_per_level_each_with_the_hours_of_its_level():
    skills = catalogue(SkillInfo("python", "Python", "Programming", 1, {1: 20, 2: 90, 3: 100}))
    steps = build_steps([SkillNeed("python", 3, 5)], skills, [])
    assert [(s.key, s.from_level, s.to_level, s.hours) for s in steps] == [
        ("skill:python:2", 1, 2, 90),
        ("skill:python:3", 2, 3, 100),
    ]
    assert steps[1].requires == ("skill:python:2",)
    assert steps[1].title == "Python 2 \u2192 3"


def test_a_level_over_the_limit_is_split_into_named_parts_of_nearly_equal_hours():
    anchor = "Structures projects with classes and type hints; profiles slow code; explains trade-offs."
    skills = catalogue(SkillInfo("python", "Python", "Programming", 2, {3: 250}, {3: anchor}))
    steps = build_steps([SkillNeed("python", 3, 5)], skills, [])
    assert [s.hours for s in steps] == [84, 83, 83]
    assert all(s.hours <= MAX_STEP_HOURS for s in steps)
    assert [s.part_name for s in steps] == [
        "Structures projects with classes and type hints",
        "Profiles slow code",
        "Explains trade-offs",
    ]
    assert steps[0].title == "Python 2 \u2192 3 (part 1 of 3)"
    assert steps[1].requires == (steps[0].key,) and steps[2].requires == (steps[1].key,)


@given(st.integers(0, 5000), st.integers(1, 50))
def test_split_hours_adds_up_and_differs_by_at_most_one(hours, parts):
    split = split_hours(hours, parts)
    assert sum(split) == hours and max(split) - min(split) <= 1


@given(st.text(max_size=200), st.integers(1, 8))
def test_part_names_always_names_every_part(anchor, parts):
    names = part_names(anchor, parts)
    assert len(names) == parts and all(names)


def test_a_first_level_needs_only_the_first_level_of_its_prerequisite():
    skills = catalogue(info("python"), info("wrangling", category="Data"))
    steps = build_steps([SkillNeed("wrangling", 2, 4)], skills, [Prerequisite("wrangling", "python", 2)])
    by_key = {s.key: s for s in steps}
    assert by_key["skill:wrangling:1"].requires == ("skill:python:1",)
    assert set(by_key["skill:wrangling:2"].requires) == {"skill:python:2", "skill:wrangling:1"}
    # Python is not in the target: its steps are added, as far as wrangling needs it.
    assert by_key["skill:python:2"].added and "skill:python:3" not in by_key


def test_a_prerequisite_already_met_adds_no_step_and_no_order():
    skills = catalogue(info("python", current=2), info("wrangling"))
    steps = build_steps([SkillNeed("wrangling", 1, 4)], skills, [Prerequisite("wrangling", "python", 2)])
    assert keys(steps) == ["skill:wrangling:1"] and steps[0].requires == ()


def test_foundations_take_the_value_of_what_they_unlock():
    skills = catalogue(info("python", hours=100), info("tuning", hours=5, category="ML"))
    steps = {
        s.key: s
        for s in build_steps(
            [SkillNeed("tuning", 1, 4), SkillNeed("python", 1, 1)],
            skills,
            [Prerequisite("tuning", "python", 1)],
        )
    }
    assert steps["skill:python:1"].value == steps["skill:tuning:1"].value == 4 / 5


def test_bad_inputs_are_refused_with_clear_messages():
    skills = catalogue(info("a", current=2), info("b"))
    with pytest.raises(
        RoadmapError, match=NO_GAP_MESSAGE.format(skill="a", target=2, current=2).replace("(", r"\(")
    ):
        build_steps([SkillNeed("a", 2, 1)], skills, [])
    with pytest.raises(RoadmapError, match="missing from the skills given"):
        build_steps([SkillNeed("zz", 2, 1)], skills, [])
    assert "{skill!r}" in UNKNOWN_SKILL_MESSAGE
    cyclic = [Prerequisite("b", "c", 1), Prerequisite("c", "b", 1)]
    with pytest.raises(RoadmapError, match="prerequisites form a cycle: b requires c, which requires b"):
        build_steps([SkillNeed("b", 1, 1)], catalogue(info("b"), info("c")), cyclic)
    assert CYCLE_MESSAGE.startswith("The prerequisites")
    with pytest.raises(RoadmapError, match=HOURS_PER_WEEK_MESSAGE.format(hours_per_week=0)):
        schedule([], 0, MONDAY)


def test_steps_run_side_by_side_from_different_categories():
    skills = catalogue(
        info("python"), info("java"), info("stats", category="Maths"), info("sql", category="Data")
    )
    needs = [SkillNeed(s, 1, 3) for s in skills]
    plan = build_plan(needs, skills, [], [], 15, MONDAY)
    first_three = plan.steps[:3]
    assert {p.planned_start for p in first_three} == {MONDAY}
    assert len({p.step.category for p in first_three}) == 3
    # 40 hours at 15 a week: the plan ends in under three weeks, not four steps end to end.
    assert plan.end == MONDAY + timedelta(days=18)


def test_tracks_follow_the_hours_a_week():
    assert [tracks(h) for h in (1, 3, 4, 7, 8, 40)] == [1, 1, 2, 2, 3, 3]


def test_a_single_track_lays_steps_end_to_end_on_exact_days():
    skills = catalogue(info("a", hours=25), info("b", hours=10, category="Other"))
    plan = build_plan([SkillNeed("a", 1, 5), SkillNeed("b", 1, 1)], skills, [], [], 3, MONDAY)
    first, second = plan.steps
    # 25 hours at 3 a week: t = 58.3 days, so the step ends on day 58.
    assert (first.planned_start, first.planned_end) == (MONDAY, MONDAY + timedelta(days=58))
    assert second.planned_start == MONDAY + timedelta(days=58)


skill_names = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@st.composite
def plans(draw):
    slugs = sorted(draw(st.sets(skill_names, min_size=1)))
    skills = catalogue(
        *(
            info(
                s,
                current=draw(st.integers(0, 2)),
                hours=draw(st.integers(0, 300)),
                category=draw(st.sampled_from("XYZ")),
            )
            for s in slugs
        )
    )
    needs = [
        SkillNeed(
            s, draw(st.integers(skills[s].current_level + 1, 4)), draw(st.integers(1, 5)), draw(st.booleans())
        )
        for s in slugs
        if skills[s].current_level < 4 and draw(st.booleans())
    ]
    ordered = {s: n for n, s in enumerate(slugs)}
    prerequisites = [
        Prerequisite(a, b, draw(st.integers(1, 4)))
        for a in slugs
        for b in slugs
        if ordered[b] < ordered[a] and draw(st.booleans())
    ]
    return needs, skills, prerequisites, draw(st.integers(1, 40))


@settings(max_examples=60, deadline=None)
@given(plans())
def test_every_plan_respects_prerequisites_limits_and_hours(case):
    needs, skills, prerequisites, hours_per_week = case
    plan = build_plan(needs, skills, prerequisites, [], hours_per_week, MONDAY)
    by_key = {p.key: p for p in plan.steps}
    for placed in plan.steps:
        assert placed.step.hours <= MAX_STEP_HOURS
        assert placed.planned_start <= placed.planned_end
        for required in placed.step.requires:
            assert by_key[required].end_hour <= placed.start_hour + 1e-6
    needed = sum(
        skills[n.skill].hours_to_reach[lv]
        for n in needs
        for lv in range(skills[n.skill].current_level + 1, n.target_level + 1)
    )
    assert plan.hours >= needed
    # The week's hours are never idle while steps remain, unless a chain of prerequisites leaves only one.
    if plan.steps:
        assert plan.end is not None
        assert plan.end >= MONDAY + timedelta(days=int(7 * plan.hours / hours_per_week) - 1)


def test_done_steps_leave_the_plan_and_free_what_needs_them():
    skills = catalogue(info("python"), info("wrangling", category="Data"))
    steps = build_steps(
        [SkillNeed("wrangling", 1, 4)],
        skills,
        [Prerequisite("wrangling", "python", 1)],
        done={"skill:python:1"},
    )
    assert keys(steps) == ["skill:wrangling:1"] and steps[0].requires == ()


def test_milestones_sit_where_their_levels_are_reached_and_add_no_hours():
    skills = catalogue(info("python", hours=15), info("deploy", hours=15, category="Ops"))
    milestones = [
        Milestone("service", "Service", {"deploy": 1}),
        Milestone("habit", "Habit"),
    ]
    plan = build_plan(
        [SkillNeed("python", 2, 5), SkillNeed("deploy", 1, 5)], skills, [], milestones, 3, MONDAY
    )
    deploy = next(p for p in plan.steps if p.key == "skill:deploy:1")
    placed = {m.milestone.slug: m.on for m in plan.milestones}
    assert placed["service"] == deploy.planned_end
    assert placed["habit"] == plan.end
    assert plan.hours == 45


def test_this_week_splits_the_hours_over_the_first_open_steps_and_is_never_empty():
    steps = [
        Step(f"skill:s{n}:1", "skill", f"s{n}", f"S{n}", "X", 0, 1, hours)
        for n, hours in enumerate((2, 30, 30, 30))
    ]
    week = this_week(steps, 15)
    assert [(w.step.key, w.hours) for w in week] == [
        ("skill:s0:1", 2.0),
        ("skill:s1:1", 6.5),
        ("skill:s2:1", 6.5),
    ]
    assert [w.step.key for w in this_week(steps[3:], 15)] == ["skill:s3:1"]
    assert this_week([], 15) == []


@given(st.lists(st.integers(0, 200), min_size=1, max_size=8), st.integers(1, 60))
def test_this_week_names_a_step_while_steps_remain_and_never_plans_more_than_the_week(hours, per_week):
    steps = [Step(f"skill:s{n}:1", "skill", f"s{n}", f"S{n}", "X", 0, 1, h) for n, h in enumerate(hours)]
    week = this_week(steps, per_week)
    assert week and sum(w.hours for w in week) <= per_week + 0.2
    assert all(w.hours <= w.step.hours + 0.1 for w in week)


def test_a_deadline_gives_the_hours_needed_and_sets_aside_optional_skills_first():
    steps = [
        Step("skill:core:1", "skill", "core", "Core", "X", 0, 1, 100, value=1.0),
        Step("skill:spark:1", "skill", "spark", "Spark", "Y", 0, 1, 60, value=0.1, optional=True),
        Step("skill:r:1", "skill", "r", "R", "Y", 0, 1, 40, value=0.5, optional=True),
    ]
    plenty = deadline(steps, 20, MONDAY, MONDAY + timedelta(weeks=10))
    assert (plenty.hours_needed, plenty.fits, plenty.set_aside) == (20, True, ())
    tight = deadline(steps, 15, MONDAY, MONDAY + timedelta(weeks=10))
    assert (tight.hours_needed, tight.fits) == (20, False)
    assert tight.set_aside == ("Spark",) and (tight.hours_after, tight.fits_after) == (14, True)
    hopeless = deadline(steps, 5, MONDAY, MONDAY + timedelta(weeks=10))
    assert hopeless.set_aside == ("Spark", "R") and not hopeless.fits_after and hopeless.hours_after == 10
    with pytest.raises(RoadmapError, match=DEADLINE_PAST_MESSAGE):
        deadline(steps, 5, MONDAY, MONDAY)


def test_a_refresh_step_is_short_and_comes_first():
    skill = info("python", hours=200)
    step = refresh_step(skill, 3, 200, "7", "Your new result puts Python at level 2.")
    assert (step.key, step.hours, step.title) == ("refresh:python:3:7", 50, "Python: refresh level 3")
    other = Step("skill:sql:1", "skill", "sql", "SQL", "Data", 0, 1, 10, value=5.0)
    plan = schedule([other, step], 1, MONDAY)
    assert plan[0].key == step.key


def test_a_step_key_alone_gives_its_title_in_every_format_ever_written():
    names = {"python": "Python", "service": "Service"}
    assert key_title("skill:python", names) == "Python"
    assert key_title("skill:python:2", names) == "Python 1 \u2192 2"
    assert key_title("skill:python:3:1", names) == "Python 2 \u2192 3 (part 1)"
    assert key_title("refresh:python:2:17", names) == "Python: refresh level 2"
    assert key_title("milestone:service", names) == "Service"
