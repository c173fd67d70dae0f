"""The roadmap: prerequisite order, value per hour, phases, timing and re-planning (no database)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.vocab import Phase
from roadmap.planner import (
    CYCLE_MESSAGE,
    HOURS_PER_WEEK_MESSAGE,
    NO_GAP_MESSAGE,
    UNKNOWN_SKILL_MESSAGE,
    MilestoneNeed,
    PlannedStep,
    Prerequisite,
    RoadmapError,
    SkillInfo,
    SkillNeed,
    build_roadmap,
    replan,
    schedule,
    week_number,
)

MONDAY = date(2025, 1, 6)


def info(slug: str, *, phase: str = "foundations", current: int = 0, hours: int = 10) -> SkillInfo:
    """A skill whose every level takes ``hours`` hours to reach."""
    return SkillInfo(slug, slug.title(), phase, current, dict.fromkeys(range(1, 5), hours))


def need(skill: SkillInfo, target: int, priority: float) -> SkillNeed:
    return SkillNeed(skill.skill, skill.name, skill.phase, skill.current_level, target, priority)


def catalogue(*skills: SkillInfo) -> dict[str, SkillInfo]:
    return {skill.skill: skill for skill in skills}


def keys(steps: list[PlannedStep]) -> list[str]:
    return [step.key for step in steps]


def plan(
    needs: list[SkillNeed],
    skills: dict[str, SkillInfo],
    prerequisites: list[Prerequisite] | None = None,
    milestones: list[MilestoneNeed] | None = None,
    hours_per_week: int = 10,
    start: date = MONDAY,
) -> list[PlannedStep]:
    return build_roadmap(needs, skills, prerequisites or [], milestones or [], hours_per_week, start)


# Order ----------------------------------------------------------------------------------------


def test_chain_puts_prerequisites_first_whatever_their_priority():
    """a -> b -> c: c is worth most, but waits for b, which waits for a."""
    a, b, c = info("a"), info("b"), info("c")
    steps = plan(
        [need(c, 2, 9), need(b, 2, 5), need(a, 2, 1)],
        catalogue(a, b, c),
        [Prerequisite("c", "b", 2), Prerequisite("b", "a", 2)],
    )
    assert keys(steps) == ["skill:a", "skill:b", "skill:c"]
    assert [step.requires for step in steps] == [(), ("skill:a",), ("skill:b",)]
    assert [step.unlocks for step in steps] == [("skill:b",), ("skill:c",), ()]


def test_diamond_orders_the_free_branches_by_value_per_hour():
    """d needs b and c, both need a; c is worth more per hour than b, so it goes first."""
    a, b, c, d = (info(slug) for slug in "abcd")
    steps = plan(
        [need(d, 1, 10), need(c, 1, 6), need(b, 1, 3), need(a, 1, 1)],
        catalogue(a, b, c, d),
        [
            Prerequisite("d", "b", 1),
            Prerequisite("d", "c", 1),
            Prerequisite("b", "a", 1),
            Prerequisite("c", "a", 1),
        ],
    )
    assert keys(steps) == ["skill:a", "skill:c", "skill:b", "skill:d"]
    assert steps[-1].requires == ("skill:b", "skill:c")
    assert steps[0].unlocks == ("skill:b", "skill:c")


def test_a_prerequisite_already_met_adds_no_step_and_no_order():
    """b needs a at level 1; the person is at 2 in a, so a gets no step."""
    a, b = info("a", current=2), info("b")
    steps = plan([need(b, 2, 5)], catalogue(a, b), [Prerequisite("b", "a", 1)])
    assert keys(steps) == ["skill:b"]
    assert steps[0].requires == ()


def test_a_met_prerequisite_that_is_also_a_need_does_not_hold_its_dependant_back():
    """a is a gap (2 -> 4) but b only needs a at 2: b, worth more per hour, goes first."""
    a, b = info("a", current=2), info("b")
    steps = plan([need(a, 4, 1), need(b, 1, 5)], catalogue(a, b), [Prerequisite("b", "a", 2)])
    assert keys(steps) == ["skill:b", "skill:a"]
    assert all(step.requires == () for step in steps)


def test_an_unmet_prerequisite_that_is_not_a_need_gets_a_step_up_to_min_level():
    """b needs a at 3, the person is at 1 in a and the role does not ask for a: a climbs 1 -> 3."""
    a = SkillInfo("a", "A", "foundations", 1, {1: 4, 2: 7, 3: 11, 4: 50})
    b = info("b", phase="core-ml")
    steps = plan([need(b, 2, 8)], catalogue(a, b), [Prerequisite("b", "a", 3)])
    assert keys(steps) == ["skill:a", "skill:b"]
    added = steps[0]
    assert (added.from_level, added.to_level, added.hours) == (1, 3, 7 + 11)
    assert added.added
    assert added.priority == 8
    assert added.name == "A" and added.phase == "foundations"
    assert not steps[1].added


def test_a_prerequisite_need_climbs_to_the_highest_level_asked_of_it():
    """The role asks a at 2; b needs it at 3 and c at 4 (not met): a's step climbs to 4."""
    a, b, c = info("a"), info("b"), info("c")
    steps = plan(
        [need(a, 2, 1), need(b, 1, 1), need(c, 1, 1)],
        catalogue(a, b, c),
        [Prerequisite("b", "a", 3), Prerequisite("c", "a", 4)],
    )
    step_a = steps[0]
    assert (step_a.key, step_a.to_level, step_a.hours, step_a.added) == ("skill:a", 4, 40, False)


def test_added_prerequisites_are_transitive_and_inherit_the_priority_they_unlock():
    """c needs b at 2, b needs a at 1, only c is a gap: a and b are added, with c's and b's priority."""
    a, b, c, d = info("a"), info("b"), info("c"), info("d")
    steps = plan(
        [need(c, 1, 7), need(d, 1, 3)],
        catalogue(a, b, c, d),
        [Prerequisite("c", "b", 2), Prerequisite("b", "a", 1), Prerequisite("d", "b", 1)],
    )
    by_key = {step.key: step for step in steps}
    assert set(by_key) == {"skill:a", "skill:b", "skill:c", "skill:d"}
    assert by_key["skill:b"].priority == 7  # the max of c (7) and d (3)
    assert by_key["skill:a"].priority == 7  # passed on from b
    assert (by_key["skill:b"].to_level, by_key["skill:a"].to_level) == (2, 1)
    assert keys(steps).index("skill:a") < keys(steps).index("skill:b") < keys(steps).index("skill:c")


def test_phase_order_beats_priority():
    """A low-value foundations step goes before a high-value core-ml one."""
    basics, models = info("basics"), info("models", phase="core-ml")
    steps = plan([need(models, 1, 100), need(basics, 1, 1)], catalogue(basics, models))
    assert keys(steps) == ["skill:basics", "skill:models"]


def test_every_phase_in_turn():
    skills = [info(f"s-{phase}", phase=phase) for phase in reversed(Phase.values)]
    steps = plan([need(skill, 1, 1) for skill in skills], catalogue(*skills))
    assert [step.phase for step in steps] == list(Phase.values)


def test_a_prerequisite_beats_phase_order():
    """A foundations skill that needs a production skill waits for it."""
    deploy, basics = info("deploy", phase="production"), info("basics")
    steps = plan(
        [need(basics, 1, 1), need(deploy, 1, 1)],
        catalogue(basics, deploy),
        [Prerequisite("basics", "deploy", 1)],
    )
    assert keys(steps) == ["skill:deploy", "skill:basics"]


def test_value_per_hour_not_priority_decides_within_a_phase():
    """Priority 10 over 100 hours (0.1/h) loses to priority 2 over 10 hours (0.2/h)."""
    big, small = info("big", hours=100), info("small", hours=10)
    steps = plan([need(big, 1, 10), need(small, 1, 2)], catalogue(big, small))
    assert keys(steps) == ["skill:small", "skill:big"]


def test_ties_are_broken_by_slug():
    skills = [info(slug) for slug in ("zeta", "alpha", "mu")]
    steps = plan([need(skill, 1, 3) for skill in skills], catalogue(*skills))
    assert keys(steps) == ["skill:alpha", "skill:mu", "skill:zeta"]


def test_milestones_follow_their_order_then_slug_after_valued_career_steps():
    talk = info("talk", phase="career")
    milestones = [
        MilestoneNeed("portfolio", "Portfolio", "career", 40, 2),
        MilestoneNeed("internship", "Internship", "career", 200, 1),
        MilestoneNeed("certificate", "Certificate", "career", 30, 2),
    ]
    steps = plan([need(talk, 1, 1)], catalogue(talk), milestones=milestones)
    assert keys(steps) == [
        "skill:talk",
        "milestone:internship",
        "milestone:certificate",
        "milestone:portfolio",
    ]
    milestone = steps[1]
    assert (milestone.kind, milestone.from_level, milestone.to_level, milestone.priority) == (
        "milestone",
        None,
        None,
        0.0,
    )
    assert milestone.hours == 200


def test_a_milestone_given_a_priority_competes_on_value_per_hour():
    talk = info("talk", phase="career", hours=100)
    milestone = MilestoneNeed("degree", "Degree", "career", 10, 5, priority=5)
    steps = plan([need(talk, 1, 1)], catalogue(talk), milestones=[milestone])
    assert keys(steps) == ["milestone:degree", "skill:talk"]


def test_a_free_step_with_value_goes_first_in_its_phase():
    free, paid = info("free", hours=0), info("paid", hours=1)
    steps = plan([need(paid, 1, 100), need(free, 1, 0.1)], catalogue(free, paid))
    assert keys(steps) == ["skill:free", "skill:paid"]
    assert steps[0].hours == 0


# Errors ---------------------------------------------------------------------------------------


def test_a_cycle_is_named():
    a, b = info("a"), info("b")
    with pytest.raises(RoadmapError) as raised:
        plan(
            [need(a, 1, 1), need(b, 1, 1)],
            catalogue(a, b),
            [Prerequisite("a", "b", 1), Prerequisite("b", "a", 1)],
        )
    assert str(raised.value) == CYCLE_MESSAGE.format(cycle="a requires b, which requires a")


def test_a_longer_cycle_through_added_prerequisites_is_named_in_requirement_order():
    skills = catalogue(info("a"), info("b"), info("c"), info("d"))
    prerequisites = [
        Prerequisite("d", "b", 1),
        Prerequisite("b", "a", 1),
        Prerequisite("a", "c", 1),
        Prerequisite("c", "b", 1),
    ]
    with pytest.raises(RoadmapError) as raised:
        plan([need(skills["d"], 1, 1)], skills, prerequisites)
    assert str(raised.value) == CYCLE_MESSAGE.format(cycle="a requires c, which requires b, which requires a")
    assert isinstance(raised.value, ValueError)


def test_a_cycle_whose_link_is_already_met_does_not_block_the_plan():
    """b needs a at 1 (met) and a needs b at 1 (not met): only b -> a is in the plan."""
    a, b = info("a", current=1), info("b")
    steps = plan([need(a, 2, 1)], catalogue(a, b), [Prerequisite("a", "b", 1), Prerequisite("b", "a", 1)])
    assert keys(steps) == ["skill:b", "skill:a"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours_per_week": 0}, HOURS_PER_WEEK_MESSAGE.format(hours_per_week=0)),
        ({"prerequisites": [Prerequisite("a", "ghost", 1)]}, UNKNOWN_SKILL_MESSAGE.format(skill="ghost")),
        (
            {"needs": [SkillNeed("a", "A", "foundations", 2, 2, 1)]},
            NO_GAP_MESSAGE.format(skill="a", target=2, current=2),
        ),
        ({"skills": {}}, UNKNOWN_SKILL_MESSAGE.format(skill="a")),
    ],
)
def test_bad_input_is_a_roadmap_error(kwargs, message):
    a = info("a")
    arguments = {"needs": [need(a, 1, 1)], "skills": catalogue(a), **kwargs}
    with pytest.raises(RoadmapError) as raised:
        plan(**arguments)
    assert str(raised.value) == message


def test_duplicates_and_unknown_phases_are_refused():
    a = info("a")
    with pytest.raises(RoadmapError, match="appears more than once"):
        plan([need(a, 1, 1), need(a, 2, 1)], catalogue(a))
    with pytest.raises(RoadmapError, match="unknown phase 'later'"):
        plan([], {}, milestones=[MilestoneNeed("m", "M", "later", 1, 0)])


# Timing ---------------------------------------------------------------------------------------


def test_twenty_five_hours_at_ten_a_week_ends_in_week_three():
    first, second = info("first", hours=25), info("second", hours=5)
    steps = plan([need(first, 1, 10), need(second, 1, 1)], catalogue(first, second), hours_per_week=10)
    assert (steps[0].start_hour, steps[0].end_hour) == (0, 25)
    assert steps[0].planned_start == MONDAY
    assert steps[0].planned_end == MONDAY + timedelta(days=17)  # 17.5 days in: its last hour is on day 17
    assert week_number(steps[0].planned_end, MONDAY) == 3
    # The next step picks up the same day, and its last hour (the 30th) closes week 3.
    assert (steps[1].start_hour, steps[1].end_hour) == (25, 30)
    assert steps[1].planned_start == MONDAY + timedelta(days=17)
    assert steps[1].planned_end == MONDAY + timedelta(days=20)


def test_a_step_that_fills_a_week_exactly_hands_over_the_next_day():
    first, second = info("first", hours=10), info("second", hours=10)
    steps = plan([need(first, 1, 10), need(second, 1, 1)], catalogue(first, second), hours_per_week=10)
    assert [(step.planned_start, step.planned_end) for step in steps] == [
        (MONDAY, MONDAY + timedelta(days=6)),
        (MONDAY + timedelta(days=7), MONDAY + timedelta(days=13)),
    ]


def test_a_zero_hour_step_takes_the_day_it_falls_on():
    steps = [
        PlannedStep("skill:a", "skill", "a", "A", "foundations", 0, 1, 10, 1, 0, 0, MONDAY, MONDAY),
        PlannedStep("skill:b", "skill", "b", "B", "foundations", 0, 1, 0, 1, 0, 0, MONDAY, MONDAY),
        PlannedStep("skill:c", "skill", "c", "C", "foundations", 0, 1, 3, 1, 0, 0, MONDAY, MONDAY),
    ]
    timed = schedule(steps, 10, MONDAY)
    assert [(step.planned_start - MONDAY).days for step in timed] == [0, 7, 7]
    assert [(step.planned_end - MONDAY).days for step in timed] == [6, 7, 9]


def test_few_hours_a_week_stretch_a_step_over_weeks():
    """At 2 h/week each hour is 3.5 days: 3 hours run days 0 to 10."""
    (step,) = plan([need(info("slow", hours=3), 1, 1)], catalogue(info("slow", hours=3)), hours_per_week=2)
    assert (step.planned_start, step.planned_end) == (MONDAY, MONDAY + timedelta(days=10))


def test_schedule_counts_hours_from_those_done_before():
    steps = plan([need(info("a", hours=5), 1, 1)], catalogue(info("a", hours=5)))
    (step,) = schedule(steps, 5, date(2025, 3, 1), hours_done_before=40)
    assert (step.start_hour, step.end_hour) == (40, 45)
    assert (step.planned_start, step.planned_end) == (date(2025, 3, 1), date(2025, 3, 7))


# Re-planning ----------------------------------------------------------------------------------


def test_replan_keeps_done_steps_and_re_times_open_ones_from_today():
    skills = [info(slug, hours=hours) for slug, hours in (("a", 10), ("b", 20), ("c", 10), ("d", 5))]
    steps = plan([need(skill, 1, 60 - index) for index, skill in enumerate(skills)], catalogue(*skills))
    assert keys(steps) == ["skill:d", "skill:a", "skill:c", "skill:b"]  # 57/5, 60/10, 58/10, 59/20 per hour
    today = date(2025, 3, 3)

    replanned = replan(steps, {"skill:a", "skill:c"}, 5, today)

    assert keys(replanned) == ["skill:a", "skill:c", "skill:d", "skill:b"]
    original = {step.key: step for step in steps}
    for done in replanned[:2]:
        assert (done.planned_start, done.planned_end) == (
            original[done.key].planned_start,
            original[done.key].planned_end,
        )
    d, b = replanned[2:]
    assert (d.start_hour, d.end_hour, d.planned_start, d.planned_end) == (
        20,
        25,
        today,
        today + timedelta(days=6),
    )
    assert (b.start_hour, b.end_hour) == (25, 45)
    assert (b.planned_start, b.planned_end) == (today + timedelta(days=7), today + timedelta(days=34))


def test_replan_with_nothing_done_is_a_fresh_schedule_from_today():
    skills = [info("a"), info("b")]
    steps = plan([need(skill, 2, 1) for skill in skills], catalogue(*skills))
    today = date(2025, 6, 2)
    assert replan(steps, set(), 20, today) == schedule(steps, 20, today)
    assert replan(steps, {"skill:unknown"}, 20, today) == schedule(steps, 20, today)


# Properties over random prerequisite graphs ---------------------------------------------------


@st.composite
def roadmap_inputs(draw):
    """Skills s0..sN with prerequisite edges only from a lower to a higher index (a DAG)."""
    count = draw(st.integers(1, 8))
    slugs = [f"s{index}" for index in range(count)]
    skills = {
        slug: SkillInfo(
            slug,
            slug.upper(),
            draw(st.sampled_from(Phase.values)),
            draw(st.integers(0, 3)),
            {level: draw(st.integers(0, 30)) for level in range(1, 5)},
        )
        for slug in slugs
    }
    edges = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1), st.integers(1, 4))))
    by_pair = {(slugs[high], slugs[low]): level for low, high, level in edges if low < high}
    prerequisites = [Prerequisite(skill, requires, level) for (skill, requires), level in by_pair.items()]
    needs = []
    for slug, skill in skills.items():
        if skill.current_level < 4 and draw(st.booleans()):
            target = draw(st.integers(skill.current_level + 1, 4))
            priority = draw(st.floats(0, 20, allow_nan=False))
            needs.append(SkillNeed(slug, skill.name, skill.phase, skill.current_level, target, priority))
    milestones = [
        MilestoneNeed(f"m{index}", f"M{index}", "career", draw(st.integers(0, 60)), draw(st.integers(0, 3)))
        for index in range(draw(st.integers(0, 3)))
    ]
    hours_per_week = draw(st.integers(1, 60))
    start = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    return needs, skills, prerequisites, milestones, hours_per_week, start


def expected_levels(needs, skills, prerequisites) -> dict[str, int]:
    """The skills that need a step and how far each climbs, as a fixed point (a reference model)."""
    levels = {need.skill: need.target_level for need in needs}
    changed = True
    while changed:
        changed = False
        for prerequisite in prerequisites:
            held = skills[prerequisite.requires].current_level
            unmet = prerequisite.skill in levels and held < prerequisite.min_level
            if unmet and levels.get(prerequisite.requires, held) < prerequisite.min_level:
                levels[prerequisite.requires] = prerequisite.min_level
                changed = True
    return levels


def value_key(step: PlannedStep):
    """Phase, then value per hour (free steps with any value first), then milestone order and slug."""
    free_value = math.inf if step.priority > 0 else 0.0
    per_hour = step.priority / step.hours if step.hours else free_value
    return (list(Phase.values).index(step.phase), -per_hour, step.order, step.slug, step.key)


def assert_timeline(steps: list[PlannedStep], start: date, hours_per_week: int, first_hour: int = 0):
    """Steps end to end in hours; dates start on ``start``, contiguous and non-decreasing."""
    if not steps:
        return
    assert steps[0].planned_start == start
    assert steps[0].start_hour == first_hour
    for step in steps:
        assert step.end_hour - step.start_hour == step.hours
        assert step.planned_start <= step.planned_end
        # The week a step starts in is the week its first hour falls in.
        assert week_number(step.planned_start, start) == (step.start_hour - first_hour) // hours_per_week + 1
    for previous, step in pairwise(steps):
        assert step.start_hour == previous.end_hour
        assert (step.planned_start - previous.planned_end).days in (0, 1)
    # The last hour of study falls on the day the last step that takes any time ends.
    worked = [step for step in steps if step.hours]
    if worked:
        total = worked[-1].end_hour - first_hour
        assert (worked[-1].planned_end - start).days == math.ceil(7 * total / hours_per_week) - 1


@settings(max_examples=300, deadline=None)
@given(roadmap_inputs())
def test_random_graphs_give_a_valid_plan(inputs):
    needs, skills, prerequisites, milestones, hours_per_week, start = inputs
    steps = build_roadmap(needs, skills, prerequisites, milestones, hours_per_week, start)
    position = {step.key: index for index, step in enumerate(steps)}
    by_key = {step.key: step for step in steps}

    # Every need and milestone exactly once, plus exactly the prerequisites the plan needs.
    assert len(position) == len(steps)
    levels = expected_levels(needs, skills, prerequisites)
    assert {step.slug: step.to_level for step in steps if step.kind == "skill"} == levels
    assert {step.slug for step in steps if step.kind == "milestone"} == {m.slug for m in milestones}
    assert {step.slug for step in steps if step.kind == "skill" and not step.added} == {
        n.skill for n in needs
    }

    # Hours: each skill step sums the levels it climbs; nothing is lost or double counted.
    expected_hours = sum(
        sum(skills[slug].hours_to_reach[level] for level in range(skills[slug].current_level + 1, target + 1))
        for slug, target in levels.items()
    ) + sum(milestone.hours for milestone in milestones)
    assert sum(step.hours for step in steps) == expected_hours

    # Every unmet prerequisite of a step comes first and is climbed far enough; met ones impose nothing.
    for prerequisite in prerequisites:
        dependant = by_key.get(f"skill:{prerequisite.skill}")
        if dependant is None:
            continue
        required_key = f"skill:{prerequisite.requires}"
        if skills[prerequisite.requires].current_level >= prerequisite.min_level:
            assert required_key not in dependant.requires
        else:
            assert required_key in dependant.requires
            assert position[required_key] < position[dependant.key]
            assert by_key[required_key].to_level >= prerequisite.min_level
    for step in steps:
        assert all(position[required] < position[step.key] for required in step.requires)
        assert step.unlocks == tuple(sorted(key for key in by_key if step.key in by_key[key].requires))
        if step.added:
            assert step.priority == max(by_key[key].priority for key in step.unlocks)

    # Greedy: each step is the best of those free to go at its turn.
    placed: set[str] = set()
    for step in steps:
        free = [other for other in steps if other.key not in placed and set(other.requires) <= placed]
        assert step == min(free, key=value_key)
        placed.add(step.key)

    assert_timeline(steps, start, hours_per_week)


@settings(max_examples=100, deadline=None)
@given(roadmap_inputs(), st.randoms(use_true_random=False))
def test_random_graphs_plan_the_same_whatever_the_input_order(inputs, random):
    needs, skills, prerequisites, milestones, hours_per_week, start = inputs
    steps = build_roadmap(needs, skills, prerequisites, milestones, hours_per_week, start)
    shuffled = [list(items) for items in (needs, prerequisites, milestones)]
    for items in shuffled:
        random.shuffle(items)
    skills_shuffled = dict(random.sample(sorted(skills.items()), len(skills)))
    again = build_roadmap(shuffled[0], skills_shuffled, shuffled[1], shuffled[2], hours_per_week, start)
    assert again == steps


@settings(max_examples=200, deadline=None)
@given(
    roadmap_inputs(),
    st.data(),
    st.integers(1, 60),
    st.dates(date(2020, 1, 1), date(2040, 12, 31)),
)
def test_random_replans_keep_done_steps_and_re_time_open_ones(inputs, data, hours_per_week, today):
    needs, skills, prerequisites, milestones, first_hours_per_week, start = inputs
    steps = build_roadmap(needs, skills, prerequisites, milestones, first_hours_per_week, start)
    done_keys = data.draw(st.sets(st.sampled_from(keys(steps))) if steps else st.just(set()))

    replanned = replan(steps, done_keys, hours_per_week, today)

    done = [step for step in steps if step.key in done_keys]
    open_steps = [step for step in steps if step.key not in done_keys]
    assert keys(replanned) == keys(done) + keys(open_steps)
    for before, after in zip(done, replanned, strict=False):
        assert replace(after, start_hour=before.start_hour, end_hour=before.end_hour) == before
    for previous, step in pairwise(replanned):
        assert step.start_hour == previous.end_hour
    assert sum(step.hours for step in replanned) == sum(step.hours for step in steps)
    done_hours = sum(step.hours for step in done)
    assert_timeline(replanned[len(done) :], today, hours_per_week, first_hour=done_hours)
