"""Shape frozen result snapshots for the pages (no queries: everything comes from the snapshot)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from catalogue import vocab
from catalogue.vocab import Level

from . import measurement, scoring
from .snapshot import ResultSnapshot, RoleResult, SkillResult

if TYPE_CHECKING:
    from .models import Result


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def calibration_note(skill: SkillResult) -> str | None:
    """A sentence about a self-rating the checks did not confirm, or None when they agree."""
    claimed, assessed = skill.claim, skill.estimate.level
    said = f"You rated yourself {Level(claimed).label.lower()} ({claimed}) in {skill.name}"
    if skill.estimate.calibration == scoring.OVER_CONFIDENT:
        return f"{said}, but the checks put you at {assessed}: {skill.estimate.reason}"
    if skill.estimate.calibration == scoring.UNDER_CONFIDENT:
        return f"{said}, and the checks suggest you are at {assessed}: {skill.estimate.reason}"
    return None


def _skill_row(skill: SkillResult, role: RoleResult | None, categories: dict[str, str]) -> dict[str, Any]:
    """One skill as the results page lists it, against the role's target."""
    gap = role.skills.get(skill.slug) if role else None
    estimate = skill.estimate
    return {
        "slug": skill.slug,
        "name": skill.name,
        "category": skill.category,
        "category_name": categories.get(skill.category, skill.category),
        "self_level": skill.claim,
        "assessed_level": estimate.level,
        "low": estimate.low,
        "high": estimate.high,
        "calibration": estimate.calibration,
        "reason": estimate.reason,
        "target": gap.target if gap else 0,
        "gap": gap.gap if gap else 0,
        "weight": gap.weight if gap else 0,
        "weighted_gap": gap.weighted_gap if gap else 0,
        "priority": gap.priority if gap else 0,
        "range": f"{estimate.low}-{estimate.high}" if estimate.low != estimate.high else "",
        "probabilities": [
            {"level": level, "percent": round(100 * p)} for level, p in enumerate(estimate.probabilities)
        ],
        "checks": [
            {
                "level": check.level,
                "outcome": "I don't know"
                if check.is_correct is None
                else ("right" if check.is_correct else "wrong"),
                "certainty": ""
                if check.is_correct is None
                else vocab.Certainty(check.certainty or vocab.Certainty.GUESSING).label.lower(),
            }
            for check in skill.evidence
        ],
    }


def _interval(low: float | None, high: float | None) -> dict[str, int] | None:
    if low is None or high is None:
        return None
    return {"low": round(100 * low), "high": round(100 * high)}


def _levels_text(bias: float) -> str:
    size = abs(bias)
    if size < 0.75:
        return "about half a level"
    if size < 1.25:
        return "about one level"
    return f"about {round(size * 2) / 2:g} levels"


def calibration_line(frozen: ResultSnapshot) -> str | None:
    """How the person's ratings compare with their answers, in one sentence (schema 4 results)."""
    calibration = frozen.calibration
    if calibration is None or calibration.checked_skills == 0:
        return None
    skills = f"across {calibration.checked_skills} skill{'s' if calibration.checked_skills != 1 else ''}"
    if abs(calibration.bias) < 0.25:
        return f"Your ratings match what your answers show, {skills}."
    direction = "above" if calibration.bias > 0 else "below"
    return f"Your ratings run {_levels_text(calibration.bias)} {direction} what your answers show, {skills}."


def result_context(result: Result) -> dict[str, Any]:
    """Everything result_body.html shows, read from the frozen snapshot alone."""
    frozen = result.snapshot
    role = frozen.role()
    categories = {c.slug: c.name for c in frozen.categories}
    by_slug = {s.slug: s for s in frozen.skills}
    rows = [_skill_row(skill, role, categories) for skill in frozen.skills]
    return {
        "result": result,
        "method": frozen.method,
        "headline": {
            "slug": role.slug if role else None,
            "name": role.name if role else "",
            "readiness": percent(role.readiness) if role else None,
            "interval": _interval(role.readiness_low, role.readiness_high) if role else None,
        },
        "calibration_line": calibration_line(frozen),
        "legacy_method": frozen.method.name != measurement.METHOD,
        "target": _target_note(frozen),
        "role_fit": [
            {
                "slug": slug,
                "name": r.name,
                "readiness": percent(r.readiness),
                "uncounted": [_skill_name(frozen, s) for s in r.uncounted],
            }
            for slug, r in frozen.roles.items()
        ],
        "category_bars": [
            {
                "slug": c.slug,
                "name": c.name,
                "readiness": percent(role.by_category.get(c.slug)) if role else None,
                "interval": _interval(*role.by_category_interval[c.slug])
                if role and c.slug in role.by_category_interval
                else None,
            }
            for c in frozen.categories
        ],
        "rows": rows,
        "chart": {
            "labels": [row["name"] for row in rows],
            "current": [row["assessed_level"] for row in rows],
            "target": [row["target"] for row in rows],
        },
        "top_gaps": [
            _skill_row(by_slug[slug], role, categories) for slug in (role.top_gaps[:8] if role else ())
        ],
        "strengths": [
            _skill_row(by_slug[slug], role, categories) for slug in (role.strengths if role else ())
        ],
        "calibration_notes": [note for note in map(calibration_note, frozen.skills) if note],
        "checks": [
            {
                "skill_name": skill.name,
                "certainty_label": vocab.Certainty(check.certainty or vocab.Certainty.GUESSING).label,
                **dataclasses.asdict(check),
            }
            for skill in frozen.skills
            for check in skill.evidence
        ],
        "level_names": Level.labels,
    }


def _skill_name(frozen: ResultSnapshot, slug: str) -> str:
    skill = frozen.skill(slug)
    return skill.name if skill else frozen.other_names.get(slug, slug)


def _target_note(frozen: ResultSnapshot) -> dict[str, Any]:
    """The target a result measured, with the person's choices, in words."""
    target = frozen.target
    return {
        "legacy": target.legacy,
        "picks": [_skill_name(frozen, s) for s in target.chosen],
        "set_aside": [_skill_name(frozen, s) for s in target.set_aside],
        "added": [_skill_name(frozen, s) for s in target.added],
    }


def skill_changes(before: Result, after: Result) -> list[dict[str, Any]]:
    """Per-skill assessed level in two results, with the change."""
    old = before.snapshot.assessed_levels()
    rows = []
    for skill in after.snapshot.skills:
        was = old.get(skill.slug)
        rows.append(
            {
                "name": skill.name,
                "before": was,
                "after": skill.estimate.level,
                "change": None if was is None else skill.estimate.level - was,
            }
        )
    return rows


def _closed_gaps(before: Result, after: Result, role: str) -> list[str]:
    """Slugs of the skills with a gap for ``role`` in ``before`` and none in ``after``."""
    old, new = before.snapshot.roles.get(role), after.snapshot.roles.get(role)
    if old is None:
        return []
    return [
        slug
        for slug, gap in old.skills.items()
        if gap.gap > 0 and new is not None and slug in new.skills and new.skills[slug].gap == 0
    ]


def gaps_closed(before: Result, after: Result, role: str) -> int:
    """How many of the role's gaps in ``before`` are closed in ``after``."""
    return len(_closed_gaps(before, after, role))


def readiness_series(history: list[dict[str, Any]], roles: dict[str, str]) -> dict[str, Any]:
    """Chart data: one line per target, with a point only where a result measured that target.

    A result taken for another target leaves a gap in the line, so a change of target shows as
    a new line, never as a jump in readiness.
    """
    return {
        "labels": [h["created_at"].strftime("%d %b %Y") for h in history],
        "series": [
            {
                "label": name,
                "values": [
                    percent(h["readiness"].get(slug)) if h["focus"] == slug else None for h in history
                ],
            }
            for slug, name in roles.items()
        ],
    }


def achieved_skills(previous: Result | None, latest: Result | None) -> list[str]:
    """Names of skills whose gap for the latest focus role closed since the previous result."""
    if previous is None or latest is None:
        return []
    names = {s.slug: s.name for s in latest.snapshot.skills}
    return [names[slug] for slug in _closed_gaps(previous, latest, latest.focus) if slug in names]


# --- the "How we score" page: figures from the scoring module's own parameters -------------------

MINUS = "\u2212"  # a true minus sign in marks shown to people
DONT_KNOW_PHRASE = "I don\u2019t know"


def _number(value: float) -> str:
    """A mark or factor as a reader writes it: 3, 1.5, 0.25, with a true minus sign."""
    return f"{value:g}".replace("-", MINUS)


def _signed(value: float) -> str:
    """A mark with its sign: +3, 0, \u22126."""
    return f"{value:+g}".replace("-", MINUS) if value else "0"


@dataclass(frozen=True)
class Chance:
    """A chance of being right, shown as odds when they are simple and always as a percentage."""

    value: Fraction

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    def __str__(self) -> str:
        if self.value.denominator <= 10:
            return f"{self.value.numerator} in {self.value.denominator} ({self.percent}%)"
        return f"{self.percent}%"


@dataclass(frozen=True)
class MarkRow:
    """One way of answering, its marks, and the chances of being right at which it earns most."""

    certainty: str  # the Certainty value, or "" for "I don't know"
    name: str  # as a table heading: "Fairly sure"
    phrase: str  # inside a sentence: "fairly sure"
    right: float
    wrong: float
    best_from: Chance | None  # None: at no chance of being right does it earn the most
    best_to: Chance | None

    @property
    def right_text(self) -> str:
        return _signed(self.right)

    @property
    def wrong_text(self) -> str:
        return _signed(self.wrong)

    @property
    def best_when(self) -> str:
        low, high = self.best_from, self.best_to
        if low is None or high is None:
            return "never (another choice earns as much or more at every chance)"
        if low.value == 0 and high.value == 1:
            return "anywhere from 0% to 100%"
        if low.value == 0:
            return f"below {high}"
        if high.value == 1:
            return f"above {low}"
        return f"between {low} and {high}"


@dataclass(frozen=True)
class LevelName:
    value: int
    label: str


@dataclass(frozen=True)
class LevelExample:
    """A self-rating and its answers, with what ``scoring.assess_skill`` makes of them."""

    claim: int
    answers: tuple[str, ...]
    nets: tuple[str, ...]  # net mark at each level that has checks, and whether it shows the level
    claim_net: str | None  # net mark at or below the claim, when a check there was not answered right
    assessed: int
    low: int
    high: int
    calibration: str


@dataclass(frozen=True)
class ReadinessRow:
    name: str
    target: int
    weight: int
    assessed: int
    gap: int
    weighted_gap: int


@dataclass(frozen=True)
class ReadinessExample:
    """Readiness for a two-skill role, as ``scoring.role_readiness`` computes it."""

    skills: tuple[ReadinessRow, ...]
    total: int  # sum of target x weight
    missing: int  # sum of weighted gaps
    percent: int | None
    strengths: tuple[str, ...]

    @property
    def met(self) -> int:
        return self.total - self.missing


@dataclass(frozen=True)
class PriorityRow:
    """One gap of a prerequisite chain: its weighted gap, the gaps it unlocks, and its priority."""

    name: str
    weighted_gap: int
    unlocked: tuple[int, ...]
    factor: float
    priority: float

    @property
    def working(self) -> str:
        """How the priority adds up: "3 + 0.5 \u00d7 4 = 5", or just "4" when it unlocks nothing."""
        if not self.unlocked:
            return _number(self.priority)
        bonus = " + ".join(str(gap) for gap in self.unlocked)
        if len(self.unlocked) > 1:
            bonus = f"({bonus})"
        return f"{self.weighted_gap} + {_number(self.factor)} \u00d7 {bonus} = {_number(self.priority)}"


@dataclass(frozen=True)
class PriorityExample:
    """A prerequisite chain (each skill needs the one before it), ranked by ``scoring.role_readiness``."""

    chain: tuple[PriorityRow, ...]  # in prerequisite order
    ranked: tuple[PriorityRow, ...]  # highest priority first, as top gaps are listed


@dataclass(frozen=True)
class ScoringMethod:
    """Everything the "How we score" page states, from ``assessments.scoring`` and the vocabulary."""

    marks: tuple[MarkRow, ...]  # one row per Certainty, in order
    dont_know: MarkRow
    advice: tuple[MarkRow, ...]  # the choices worth making at some chance, most confident first
    never_lowers: tuple[MarkRow, ...]  # the choices that never earn less than 0
    levels: tuple[LevelName, ...]
    min_level: int
    max_level: int
    min_check_level: int
    shown: float
    shown_by: str | None  # the least sure certainty whose one right answer shows a level
    seen_before_factor: float
    seen_before_certainty: str
    seen_before_full: float
    seen_before_mark: float
    unlock_bonus_factor: float
    over_confident: str
    under_confident: str
    consistent: str
    level_examples: tuple[LevelExample, ...]
    range_example: LevelExample | None
    readiness_example: ReadinessExample
    priority_example: PriorityExample

    @property
    def shown_text(self) -> str:
        return _signed(self.shown)

    @property
    def seen_before_factor_text(self) -> str:
        return _number(self.seen_before_factor)

    @property
    def seen_before_full_text(self) -> str:
        return _signed(self.seen_before_full)

    @property
    def seen_before_mark_text(self) -> str:
        return _signed(self.seen_before_mark)

    @property
    def unlock_bonus_factor_text(self) -> str:
        return _number(self.unlock_bonus_factor)


def best_chances(options: list[tuple[float, float]]) -> list[tuple[Fraction, Fraction] | None]:
    """For each (right, wrong) pair of marks, the chances p of being right at which it earns the most.

    The expected mark of a choice is p x right + (1 - p) x wrong, a straight line in p; a choice is
    worth making where its line is at least every other line, an interval of p in [0, 1]. None
    when that interval is empty or a single point (the choice never earns strictly more).
    """
    ranges: list[tuple[Fraction, Fraction] | None] = []
    for right, wrong in options:
        low, high = Fraction(0), Fraction(1)
        for other_right, other_wrong in options:
            # This choice's expected mark minus the other's: offset + slope x p.
            offset = Fraction(wrong) - Fraction(other_wrong)
            slope = (Fraction(right) - Fraction(wrong)) - (Fraction(other_right) - Fraction(other_wrong))
            if slope > 0:
                low = max(low, -offset / slope)
            elif slope < 0:
                high = min(high, -offset / slope)
            elif offset < 0:
                low, high = Fraction(1), Fraction(0)
        ranges.append((low, high) if low < high else None)
    return ranges


def _describe_check(check: scoring.Check) -> str:
    mark = _signed(scoring.check_mark(check))
    seen = ", seen before" if check.seen_before else ""
    if check.correct is None:
        return f"\u201c{DONT_KNOW_PHRASE}\u201d at level {check.level}{seen} ({mark})"
    outcome = "right" if check.correct else "wrong"
    certainty = vocab.Certainty(check.certainty).label.lower()
    return f"Level-{check.level} question {outcome}, {certainty}{seen} ({mark})"


def _level_example(claim: int, checks: tuple[scoring.Check, ...]) -> LevelExample:
    result = scoring.assess_skill(scoring.SkillEvidence(skill="example", self_level=claim, checks=checks))
    net_at: dict[int, float] = {}
    for check in checks:
        net_at[check.level] = net_at.get(check.level, 0.0) + scoring.check_mark(check)
    nets = tuple(
        f"Level {level}: {_signed(net)} ({'shown' if net >= scoring.SHOWN else 'not shown'})"
        for level, net in sorted(net_at.items())
    )
    doubted = any(check.level <= claim and check.correct is not True for check in checks)
    at_or_below = [net for level, net in net_at.items() if level <= claim]
    return LevelExample(
        claim=claim,
        answers=tuple(_describe_check(check) for check in checks) or ("No questions answered",),
        nets=nets,
        claim_net=_signed(sum(at_or_below)) if doubted else None,
        assessed=result.assessed_level,
        low=result.low,
        high=result.high,
        calibration=result.calibration,
    )


def _level_examples() -> tuple[LevelExample, ...]:
    """The examples of the scoring docstring, section 2, each assessed by the scoring code."""
    check, sure = scoring.Check, vocab.Certainty
    return tuple(
        _level_example(claim, checks)
        for claim, checks in (
            (3, (check(3, False, sure.CERTAIN),)),
            (1, (check(1, True, sure.CERTAIN), check(2, True, sure.CERTAIN))),
            (2, (check(2, True, sure.FAIRLY_SURE), check(3, True, sure.GUESSING))),
            (1, (check(1, True, sure.CERTAIN), check(2, True, sure.CERTAIN, seen_before=True))),
            (3, (check(3, False, sure.CERTAIN, seen_before=True), check(2, True, sure.CERTAIN))),
            (3, (check(3, False, sure.CERTAIN), check(2, True, sure.CERTAIN))),
            (2, (check(2, None, sure.GUESSING),)),
            (vocab.MIN_LEVEL, ()),
            (
                vocab.MAX_LEVEL,
                tuple(
                    check(level, True, sure.CERTAIN)
                    for level in range(vocab.MIN_CHECK_LEVEL, vocab.MAX_LEVEL + 1)
                ),
            ),
        )
    )


def _readiness_example() -> ReadinessExample:
    """Python target 3 weight 3 and statistics target 2 weight 2, both assessed at 2."""
    names = {"python": "Python", "statistics": "Statistics"}
    targets = {
        "python": scoring.Target("python", level=3, weight=3),
        "statistics": scoring.Target("statistics", level=2, weight=2),
    }
    result = scoring.role_readiness("example", {"python": 2, "statistics": 2}, targets, {}, [])
    rows = tuple(
        ReadinessRow(
            name=names[gap.skill],
            target=gap.target,
            weight=gap.weight,
            assessed=gap.assessed_level,
            gap=gap.gap,
            weighted_gap=gap.weighted_gap,
        )
        for gap in sorted(result.skills, key=lambda gap: list(names).index(gap.skill))
    )
    return ReadinessExample(
        skills=rows,
        total=sum(row.target * row.weight for row in rows),
        missing=sum(row.weighted_gap for row in rows),
        percent=percent(result.readiness),
        strengths=tuple(names[slug] for slug in result.strengths),
    )


def _priority_example() -> PriorityExample:
    """Python, then pandas, then scikit-learn, with weighted gaps 2, 3 and 4 (weight 1, from level 0)."""
    chain = (("python", "Python", 2), ("pandas", "pandas", 3), ("scikit-learn", "scikit-learn", 4))
    targets = {slug: scoring.Target(slug, level=gap, weight=1) for slug, _name, gap in chain}
    prerequisites = [("pandas", "python", 1), ("scikit-learn", "pandas", 1)]  # (skill, requires, min level)
    result = scoring.role_readiness("example", {}, targets, {}, prerequisites)
    gaps = {gap.skill: gap for gap in result.skills}
    rows = {
        slug: PriorityRow(
            name=name,
            weighted_gap=gaps[slug].weighted_gap,
            # Everything after a skill in the chain needs it, directly or through the skills between.
            unlocked=tuple(gaps[later].weighted_gap for later, _, _ in chain[index + 1 :] if gaps[later].gap),
            factor=scoring.UNLOCK_BONUS_FACTOR,
            priority=gaps[slug].priority,
        )
        for index, (slug, name, _gap) in enumerate(chain)
    }
    return PriorityExample(
        chain=tuple(rows.values()),
        ranked=tuple(rows[gap.skill] for gap in result.top_gaps),
    )


def scoring_method() -> ScoringMethod:
    """The marks, thresholds, scale, factors and worked examples of the "How we score" page.

    Everything is read from ``assessments.scoring`` when called (its constants, and its own
    functions for the examples) and from the vocabulary, so changing a parameter changes the page.
    """
    dont_know_mark = scoring.certainty_mark(None, vocab.Certainty.GUESSING)
    options = [(float(dont_know_mark), float(dont_know_mark))] + [
        (float(scoring.certainty_mark(True, c)), float(scoring.certainty_mark(False, c)))
        for c in vocab.Certainty
    ]
    ranges = best_chances(options)
    names = [("", DONT_KNOW_PHRASE, DONT_KNOW_PHRASE)] + [
        (c.value, c.label, c.label.lower()) for c in vocab.Certainty
    ]
    rows = [
        MarkRow(
            certainty=certainty,
            name=name,
            phrase=phrase,
            right=right,
            wrong=wrong,
            best_from=None if best is None else Chance(best[0]),
            best_to=None if best is None else Chance(best[1]),
        )
        for (certainty, name, phrase), (right, wrong), best in zip(names, options, ranges, strict=True)
    ]
    dont_know, marks = rows[0], tuple(rows[1:])
    examples = _level_examples()
    most_sure = list(vocab.Certainty)[-1]
    seen = scoring.Check(vocab.MIN_CHECK_LEVEL, True, most_sure, seen_before=True)
    return ScoringMethod(
        marks=marks,
        dont_know=dont_know,
        advice=tuple(row for row in reversed(rows) if row.best_from is not None),
        never_lowers=tuple(row for row in (*marks, dont_know) if min(row.right, row.wrong) >= 0),
        levels=tuple(LevelName(value=level.value, label=level.label) for level in Level),
        min_level=vocab.MIN_LEVEL,
        max_level=vocab.MAX_LEVEL,
        min_check_level=vocab.MIN_CHECK_LEVEL,
        shown=scoring.SHOWN,
        shown_by=next((row.phrase for row in marks if row.right >= scoring.SHOWN), None),
        seen_before_factor=scoring.SEEN_BEFORE_FACTOR,
        seen_before_certainty=most_sure.label.lower(),
        seen_before_full=scoring.certainty_mark(True, most_sure),
        seen_before_mark=scoring.check_mark(seen),
        unlock_bonus_factor=scoring.UNLOCK_BONUS_FACTOR,
        over_confident=scoring.OVER_CONFIDENT,
        under_confident=scoring.UNDER_CONFIDENT,
        consistent=scoring.CONSISTENT,
        level_examples=examples,
        range_example=next((example for example in examples if example.low != example.high), None),
        readiness_example=_readiness_example(),
        priority_example=_priority_example(),
    )
