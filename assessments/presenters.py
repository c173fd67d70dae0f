"""Shape frozen result snapshots, and the quiz pages' rows, for the pages (no queries of their own:
everything comes from the snapshot or the form)."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict, cast

from django.forms import ChoiceField, Form
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext, pgettext_lazy

from catalogue import caching, vocab
from catalogue import markdown as catalogue_markdown
from catalogue.selectors import stored_target_name
from catalogue.templatetags.humanize_careerpath import inline_code
from catalogue.vocab import Level

from . import measurement, pacing, scoring
from .snapshot import Estimate, ResultSnapshot, RoleResult, SkillResult, Why

if TYPE_CHECKING:
    from catalogue.models import Choice, LevelAnchor, Skill

    from .forms import ChecksForm, RatingsForm
    from .models import Answer, Result


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def reason_text(skill: SkillResult) -> str:
    """Why the skill got its level, in the active language: from the numbers the estimate rests
    on, or the stored English sentence for results recorded before those numbers were."""
    estimate, facts = skill.estimate, skill.estimate.why
    if facts is None or not estimate.probabilities:
        return estimate.reason
    return estimate_reason(estimate, facts)


def estimate_reason(estimate: Estimate, facts: Why) -> str:
    """Why an estimate is what it is, in a sentence or two, in the active language. The result's
    record keeps it in English (``services.build_snapshot`` words it under ``override("en")``)."""
    likely = _("level %(level)s is the most likely (%(share)s)") % {
        "level": estimate.level,
        "share": _share(estimate.probabilities[estimate.level]),
    }
    span = _("90%% sure it is %(range)s") % {
        "range": f"{estimate.low}-{estimate.high}" if estimate.low != estimate.high else estimate.low
    }
    if not facts.checks:
        if facts.claim is None:
            return _(
                "Not rated and not checked: the estimate comes from your answers on other skills; "
                "%(likely)s, %(span)s."
            ) % {"likely": likely, "span": span}
        return _(
            "No knowledge check was asked on this skill: the estimate comes from your rating, corrected by "
            "how your ratings compared with your answers on other skills; %(likely)s, %(span)s."
        ) % {"likely": likely, "span": span}
    checks = ngettext(
        "%(count)s check: %(right)s right", "%(count)s checks: %(right)s right", facts.checks
    ) % {
        "count": facts.checks,
        "right": facts.right,
    }
    if facts.unknown:
        checks = _("%(checks)s, %(count)s “I don't know”") % {
            "checks": checks,
            "count": facts.unknown,
        }
    values = {"claim": facts.claim, "checks": checks, "likely": likely, "span": span}
    if facts.claim is None:
        return _("%(checks)s. So %(likely)s, %(span)s.") % values
    return _("You rated yourself %(claim)s; %(checks)s. So %(likely)s, %(span)s.") % values


def calibration_note(skill: SkillResult) -> str | None:
    """A sentence about a self-rating the checks did not confirm, or None when they agree."""
    claimed, assessed = skill.claim, skill.estimate.level
    values = {
        "level": str(Level(claimed).label).lower(),
        "claim": claimed,
        "skill": skill.name,
        "assessed": assessed,
        "reason": reason_text(skill),
    }
    if skill.estimate.calibration == scoring.OVER_CONFIDENT:
        return (
            _(
                "You rated yourself %(level)s (%(claim)s) in %(skill)s, but the checks put you at %(assessed)s: %(reason)s"
            )
            % values
        )
    if skill.estimate.calibration == scoring.UNDER_CONFIDENT:
        return (
            _(
                "You rated yourself %(level)s (%(claim)s) in %(skill)s, and the checks suggest you are at "
                "%(assessed)s: %(reason)s"
            )
            % values
        )
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
        "reason": reason_text(skill),
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
                "outcome": _("I don't know")
                if check.is_correct is None
                else (
                    pgettext("check outcome", "right")
                    if check.is_correct
                    else pgettext("check outcome", "wrong")
                ),
                "certainty": ""
                if check.is_correct is None
                else str(vocab.Certainty(check.certainty or vocab.Certainty.GUESSING).label).lower(),
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
        return _("about half a level")
    if size < 1.25:
        return _("about one level")
    return _("about %(count)s levels") % {"count": f"{round(size * 2) / 2:g}"}


def rating_reminder(previous: Result | None) -> str | None:
    """On a retake's ratings pages: how the person's ratings compared with their answers last time."""
    if previous is None:
        return None
    line = calibration_line(previous.snapshot, past=True)
    return None if line is None else _("Last time, %(line)s") % {"line": f"{line[0].lower()}{line[1:]}"}


def calibration_line(frozen: ResultSnapshot, *, past: bool = False) -> str | None:
    """How the person's ratings compare with their answers, in one sentence (schema 4 results)."""
    calibration = frozen.calibration
    if calibration is None or calibration.checked_skills == 0:
        return None
    count = calibration.checked_skills
    values = {"count": count, "amount": _levels_text(calibration.bias)}
    if abs(calibration.bias) < 0.25:
        if past:
            return (
                ngettext(
                    "Your ratings matched what your answers showed, across %(count)s skill.",
                    "Your ratings matched what your answers showed, across %(count)s skills.",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "Your ratings match what your answers show, across %(count)s skill.",
                "Your ratings match what your answers show, across %(count)s skills.",
                count,
            )
            % values
        )
    if calibration.bias > 0:
        if past:
            return (
                ngettext(
                    "Your ratings ran %(amount)s above what your answers showed, across %(count)s skill.",
                    "Your ratings ran %(amount)s above what your answers showed, across %(count)s skills.",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "Your ratings run %(amount)s above what your answers show, across %(count)s skill.",
                "Your ratings run %(amount)s above what your answers show, across %(count)s skills.",
                count,
            )
            % values
        )
    if past:
        return (
            ngettext(
                "Your ratings ran %(amount)s below what your answers showed, across %(count)s skill.",
                "Your ratings ran %(amount)s below what your answers showed, across %(count)s skills.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "Your ratings run %(amount)s below what your answers show, across %(count)s skill.",
            "Your ratings run %(amount)s below what your answers show, across %(count)s skills.",
            count,
        )
        % values
    )


def result_context(result: Result) -> dict[str, Any]:
    """Everything result_body.html shows, read from the frozen snapshot alone."""
    frozen = result.snapshot
    role = frozen.role()
    categories = {c.slug: c.name for c in frozen.categories}
    by_slug = {s.slug: s for s in frozen.skills}
    rows = [_skill_row(skill, role, categories) for skill in frozen.skills]
    checks = [
        {
            "skill_name": skill.name,
            "area": skill.category,
            "certainty_label": vocab.Certainty(check.certainty or vocab.Certainty.GUESSING).label,
            **dataclasses.asdict(check),
        }
        for skill in frozen.skills
        for check in skill.evidence
    ]
    return {
        "result": result,
        "method": frozen.method,
        "headline": {
            "slug": role.slug if role else None,
            "name": stored_target_name(role.name, role.slug) if role else "",
            "readiness": percent(role.readiness) if role else None,
            "interval": _interval(role.readiness_low, role.readiness_high) if role else None,
        },
        "calibration_line": calibration_line(frozen),
        "legacy_method": frozen.method.name != measurement.METHOD,
        "target": _target_note(frozen),
        "role_fit": [
            {
                "slug": slug,
                "name": stored_target_name(r.name, slug),
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
        "checks": checks,
        "areas": _areas([c.slug for c in frozen.categories], rows, checks),
        "level_names": Level.labels,
    }


def _areas(
    order: list[str], rows: list[dict[str, Any]], checks: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The skill rows and the checks by area (in the catalogue's order), for the sections that open on demand."""
    areas: dict[str, dict[str, Any]] = {}
    for row in rows:
        area = areas.setdefault(
            row["category"], {"slug": row["category"], "name": row["category_name"], "rows": []}
        )
        area["rows"].append(row)
    for area in areas.values():
        area["checks"] = [check for check in checks if check["area"] == area["slug"]]
        area["right"] = sum(1 for check in area["checks"] if check["is_correct"])
    rank = {slug: position for position, slug in enumerate(order)}
    return sorted(areas.values(), key=lambda area: rank.get(area["slug"], len(rank)))


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


def gaps_opened(before: Result, after: Result, role: str) -> list[str]:
    """Names of the skills with a gap for ``role`` in ``after`` and none (or none measured) in ``before``."""
    old, new = before.snapshot.roles.get(role), after.snapshot.roles.get(role)
    if old is None or new is None:
        return []
    names = {s.slug: s.name for s in after.snapshot.skills}
    return sorted(
        names.get(slug, slug)
        for slug, gap in new.skills.items()
        if gap.gap > 0 and (slug not in old.skills or old.skills[slug].gap == 0)
    )


def readiness_series(history: list[dict[str, Any]], roles: dict[str, str]) -> dict[str, Any]:
    """Chart data: one line per target, with a point only where a result measured that target.

    A result taken for another target leaves a gap in the line, so a change of target shows as
    a new line, never as a jump in readiness. Results scored by an earlier method get a line of
    their own for the same reason: a change of method is not progress.
    """
    methods = list(dict.fromkeys(h.get("method", measurement.METHOD) for h in history))
    series = []
    for slug, name in roles.items():
        for method in methods:
            values = [
                percent(h["readiness"].get(slug))
                if h["focus"] == slug and h.get("method", measurement.METHOD) == method
                else None
                for h in history
            ]
            if any(v is not None for v in values) or len(methods) == 1:
                earlier = method != measurement.METHOD and len(methods) > 1
                label = _("%(role)s (earlier scoring)") % {"role": name} if earlier else name
                series.append({"label": label, "values": values})
    # Dates in the active language's words ("05 Jan 2026"), with the time when a day has two results.
    days = [date_format(h["created_at"], "d M Y") for h in history]
    labels = [
        f"{day} {time_format(h['created_at'], 'H:i')}" if days.count(day) > 1 else day
        for day, h in zip(days, history, strict=True)
    ]
    return {"labels": labels, "series": series}


# Results never change once written, so the skills achieved between two of them are worked out once
# per process (the snapshots read only then); past this many pairs the oldest is dropped.
ACHIEVED_KEPT = 1024
_achieved: dict[tuple[Any, ...], tuple[str, ...]] = {}


def achieved_skills(previous: Result | None, latest: Result | None) -> list[str]:
    """Names of skills whose gap for the latest focus role closed since the previous result.

    Kept per pair (ids and creation times name a result's snapshot for good), so results read
    without their snapshots (``defer``) load them only the first time.
    """
    if previous is None or latest is None:
        return []

    def build() -> tuple[str, ...]:
        names = {s.slug: s.name for s in latest.snapshot.skills}
        return tuple(names[slug] for slug in _closed_gaps(previous, latest, latest.focus) if slug in names)

    key = (previous.pk, previous.created_at, latest.pk, latest.created_at)
    achieved: tuple[str, ...] = caching.kept(_achieved, key, build, ACHIEVED_KEPT)
    return list(achieved)


# --- the "How we score" page: figures from the measurement module's own constants and functions ---

MINUS = "\u2212"  # a true minus sign in numbers shown to people

# The lengths' names in the active language, by their English names (assessments/pacing.py is pure:
# it names them in English); a length renamed there shows its new name until it is translated.
LENGTH_LABELS = {
    "Standard": pgettext_lazy("assessment length", "Standard"),
    "Thorough": gettext_lazy("Thorough"),
}


def _dont_know() -> str:
    """The "I don't know" answer, in the active language and in quotes."""
    return _("“%(answer)s”") % {"answer": _("I don't know")}


def _number(value: float) -> str:
    """A weight or factor as a reader writes it: 3, 1.5, 0.0625, with a true minus sign."""
    return f"{round(value, 4):g}".replace("-", MINUS)


def _signed(value: float) -> str:
    """A number with its sign: +3, 0, \u22126."""
    return f"{round(value, 4):+g}".replace("-", MINUS) if value else "0"


def _share(p: float) -> str:
    """A probability as a whole percentage, never rounding a possibility to 0% or a doubt to 100%."""
    share = round(100 * p)
    if share == 0 and p > 0:
        return "<1%"
    if share == 100 and p < 1:
        return ">99%"
    return f"{share}%"


def _odds(p: float) -> str:
    """A chance as simple odds when there are any: 0.25 -> "1 in 4"; otherwise a percentage."""
    fraction = Fraction(p).limit_denominator(10)
    if abs(float(fraction) - p) < 1e-9 and 0 < fraction < 1:
        return _("%(numerator)s in %(denominator)s") % {
            "numerator": fraction.numerator,
            "denominator": fraction.denominator,
        }
    return _share(p)


def _range(low: int, high: int) -> str:
    return f"{low}\u2013{high}" if low != high else str(low)


@dataclass(frozen=True)
class LevelName:
    value: int
    label: str


@dataclass(frozen=True)
class LevelEstimate:
    """What ``measurement.measure`` says of one skill, as the page shows it."""

    level: int
    low: int
    high: int
    probabilities: tuple[float, ...]

    @classmethod
    def of(cls, estimate: measurement.SkillEstimate) -> LevelEstimate:
        return cls(estimate.level, estimate.low, estimate.high, estimate.probabilities)

    @property
    def shares(self) -> tuple[str, ...]:
        return tuple(_share(p) for p in self.probabilities)

    @property
    def range_text(self) -> str:
        return _range(self.low, self.high)

    @property
    def level_share(self) -> str:
        return _share(self.probabilities[self.level])


def _answered(response: measurement.Response) -> str:
    """How a question was answered, in words: "wrong while certain", or "I don't know" in quotes."""
    if response.outcome == measurement.DONT_KNOW:
        answer = _dont_know()
    else:
        certainty = str(vocab.Certainty(response.certainty).label).lower()
        answered = (
            _("right while %(certainty)s")
            if response.outcome == measurement.RIGHT
            else _("wrong while %(certainty)s")
        )
        answer = answered % {"certainty": certainty}
    return _("%(answer)s (seen before)") % {"answer": answer} if response.seen_before else answer


def _from_to(low: str, high: str) -> str:
    """A span of two numbers in words: "0 to 4"."""
    return _("%(low)s to %(high)s") % {"low": low, "high": high}


@dataclass(frozen=True)
class PoolingExample:
    """Unchecked skills measured alone and together with checked skills of the same person."""

    claim: int
    checked: int  # how many skills were checked
    unchecked: int  # how many were only rated
    answers: tuple[str, ...]  # the checks of each checked skill
    checked_result: LevelEstimate
    alone: LevelEstimate  # an unchecked skill, measured with the other unchecked ones only
    pooled: LevelEstimate  # the same skill, measured with the checked ones too
    bias: float
    bias_low: float
    bias_high: float

    @property
    def bias_text(self) -> str:
        """How far the ratings run from the answers: "about 2.8 levels above"."""
        size = round(abs(self.bias), 1)
        count = 1 if size == 1 else 2  # a fraction of a level reads as plural
        values = {"amount": _number(size)}
        if self.bias >= 0:
            return ngettext("about %(amount)s level above", "about %(amount)s levels above", count) % values
        return ngettext("about %(amount)s level below", "about %(amount)s levels below", count) % values

    @property
    def bias_range(self) -> str:
        return _from_to(_signed(self.bias_low), _signed(self.bias_high))


POOLING_CLAIM = vocab.MAX_LEVEL
POOLING_CHECKED, POOLING_UNCHECKED = 8, 4


def _pooling_answers() -> tuple[measurement.Response, ...]:
    """Right at level 2 and wrong at level 3, both said with the most certainty: a level of 2."""
    certain = list(vocab.Certainty)[-1]
    return (
        measurement.Response(2, measurement.RIGHT, certain),
        measurement.Response(3, measurement.WRONG, certain),
    )


def _pooling_inputs(with_checked: bool = True) -> list[measurement.SkillInput]:
    """The pooling example's ratings and answers (the unchecked skills first, then the checked)."""
    unchecked = [measurement.SkillInput(f"unchecked-{n}", POOLING_CLAIM) for n in range(POOLING_UNCHECKED)]
    checked = [
        measurement.SkillInput(f"checked-{n}", POOLING_CLAIM, _pooling_answers())
        for n in range(POOLING_CHECKED)
    ]
    return unchecked + (checked if with_checked else [])


def _pooling_example() -> PoolingExample:
    pooled = measurement.measure(_pooling_inputs())
    alone = measurement.measure(_pooling_inputs(with_checked=False))
    return PoolingExample(
        claim=POOLING_CLAIM,
        checked=POOLING_CHECKED,
        unchecked=POOLING_UNCHECKED,
        answers=tuple(
            _("a level-%(level)s question %(answer)s") % {"level": r.level, "answer": _answered(r)}
            for r in _pooling_answers()
        ),
        checked_result=LevelEstimate.of(pooled.skills["checked-0"]),
        alone=LevelEstimate.of(alone.skills["unchecked-0"]),
        pooled=LevelEstimate.of(pooled.skills["unchecked-0"]),
        bias=pooled.calibration.bias,
        bias_low=pooled.calibration.low,
        bias_high=pooled.calibration.high,
    )


@dataclass(frozen=True)
class RatingModel:
    """The rating model's parameters, as the page states them."""

    bias_mean: float
    bias_sd: float
    bias_low: float
    bias_high: float
    noise: tuple[float, ...]
    uninformative: float
    typical_low: float
    typical_high: float
    spreads: tuple[float, ...]

    @property
    def bias_mean_text(self) -> str:
        return _signed(self.bias_mean)

    @property
    def bias_sd_text(self) -> str:
        return _number(self.bias_sd)

    @property
    def bias_range(self) -> str:
        return _from_to(_signed(self.bias_low), _signed(self.bias_high))

    @property
    def noise_text(self) -> str:
        return _or(tuple(_number(n) for n in self.noise))

    @property
    def uninformative_text(self) -> str:
        return _share(self.uninformative)

    @property
    def typical_range(self) -> str:
        return _from_to(_number(self.typical_low), _number(self.typical_high))

    @property
    def spreads_text(self) -> str:
        return _or(tuple(_number(s) for s in self.spreads))


def _or(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


@dataclass(frozen=True)
class CurveRow:
    """At one level: the chance of knowing a question's answer, and of answering it right."""

    level: int
    know: float
    right: float

    @property
    def know_text(self) -> str:
        return _share(self.know)

    @property
    def right_text(self) -> str:
        return _share(self.right)


@dataclass(frozen=True)
class AnswerModel:
    """The answer model's parameters and its curve for one question level."""

    question_level: int
    rows: tuple[CurveRow, ...]
    guess: float
    slip: float
    slope: float
    offset: float

    @property
    def guess_text(self) -> str:
        return _odds(self.guess)

    @property
    def slip_text(self) -> str:
        return _share(self.slip)

    @property
    def slope_text(self) -> str:
        return _number(self.slope)

    @property
    def offset_text(self) -> str:
        return _number(self.offset)

    @property
    def at_level(self) -> CurveRow:
        return next(row for row in self.rows if row.level == self.question_level)


def _knows(level: int, difficulty: float) -> float:
    """The chance of knowing the answer: logistic(SLOPE x (level - difficulty + OFFSET))."""
    return 1.0 / (1.0 + math.exp(-measurement.SLOPE * (level - difficulty + measurement.OFFSET)))


ANSWER_MODEL_LEVEL = 2


def _answer_model() -> AnswerModel:
    item = measurement.tag_parameters(ANSWER_MODEL_LEVEL)
    return AnswerModel(
        question_level=ANSWER_MODEL_LEVEL,
        rows=tuple(
            CurveRow(level=level, know=_knows(level, item.difficulty), right=item.p_right(level))
            for level in measurement.LEVELS
        ),
        guess=measurement.GUESS,
        slip=measurement.SLIP,
        slope=measurement.SLOPE,
        offset=measurement.OFFSET,
    )


@dataclass(frozen=True)
class WeightRow:
    """How much a right and a wrong answer count for one certainty (or for "I don't know")."""

    certainty: str  # the Certainty value, or "" for "I don't know"
    name: str
    right: float
    wrong: float

    @property
    def right_text(self) -> str:
        return _number(self.right)

    @property
    def wrong_text(self) -> str:
        return _number(self.wrong)


@dataclass(frozen=True)
class Weights:
    """The answer weights per certainty, "I don't know" as an average blind guess, and seen-before."""

    rows: tuple[WeightRow, ...]  # one per Certainty, in order
    dont_know: WeightRow
    guess: float  # the chance of a lucky blind guess
    guessing_right: float
    guessing_wrong: float
    seen_before: float
    seen_certainty: str
    seen_full: float
    seen_reduced: float

    @property
    def guess_text(self) -> str:
        return _odds(self.guess)

    @property
    def miss_text(self) -> str:
        return _odds(1 - self.guess)

    @property
    def guessing_right_text(self) -> str:
        return _number(self.guessing_right)

    @property
    def guessing_wrong_text(self) -> str:
        return _number(self.guessing_wrong)

    @property
    def seen_before_text(self) -> str:
        return _number(self.seen_before)

    @property
    def seen_full_text(self) -> str:
        return _number(self.seen_full)

    @property
    def seen_reduced_text(self) -> str:
        return _number(self.seen_reduced)


def _weights() -> Weights:
    level = vocab.MIN_CHECK_LEVEL
    rows = tuple(
        WeightRow(
            certainty=c.value,
            name=str(c.label),
            right=measurement.Response(level, measurement.RIGHT, c).exponents()[0],
            wrong=measurement.Response(level, measurement.WRONG, c).exponents()[1],
        )
        for c in vocab.Certainty
    )
    dont_know = measurement.Response(level, measurement.DONT_KNOW)
    right, wrong = dont_know.exponents()
    most_sure = list(vocab.Certainty)[-1]
    seen = measurement.Response(level, measurement.RIGHT, most_sure, seen_before=True)
    return Weights(
        rows=rows,
        dont_know=WeightRow(certainty="", name=_("I don't know"), right=right, wrong=wrong),
        guess=dont_know.item.guessing,
        guessing_right=measurement.RIGHT_WEIGHT[vocab.Certainty.GUESSING],
        guessing_wrong=measurement.WRONG_WEIGHT[vocab.Certainty.GUESSING],
        seen_before=measurement.SEEN_BEFORE_WEIGHT,
        seen_certainty=most_sure.label.lower(),
        seen_full=measurement.Response(level, measurement.RIGHT, most_sure).exponents()[0],
        seen_reduced=seen.exponents()[0],
    )


@dataclass(frozen=True)
class Reliability:
    """How far right answers are trusted from the person's own record (``measurement.reliability``),
    with an example: someone whose answers at the most certain level are right ``right`` times in
    ``answered``."""

    expected: tuple[tuple[str, float], ...]  # (certainty phrase, share right of an honest person)
    prior_answers: int
    guess: float
    certainty: str
    right: int
    answered: int
    full: float
    trusted: float

    @property
    def expected_text(self) -> str:
        parts = tuple(
            _("%(share)s of “%(certainty)s” answers") % {"share": _share(share), "certainty": name}
            for name, share in self.expected
        )
        return _and(parts)

    @property
    def guess_text(self) -> str:
        return _odds(self.guess)

    @property
    def full_text(self) -> str:
        return _number(self.full)

    @property
    def trusted_text(self) -> str:
        return _number(round(self.trusted, 2))


def _and(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


RELIABILITY_EXAMPLE = (2, 8)  # right, answered: all given with the most certainty


def _reliability_example_responses() -> tuple[measurement.Response, ...]:
    right, answered = RELIABILITY_EXAMPLE
    certain = list(vocab.Certainty)[-1]
    return tuple(
        measurement.Response(
            vocab.MIN_CHECK_LEVEL, measurement.RIGHT if n < right else measurement.WRONG, certain
        )
        for n in range(answered)
    )


def _reliability() -> Reliability:
    certain = list(vocab.Certainty)[-1]
    trust = measurement.reliability(_reliability_example_responses())
    right_answer = measurement.Response(vocab.MIN_CHECK_LEVEL, measurement.RIGHT, certain)
    return Reliability(
        expected=tuple((c.label.lower(), measurement.EXPECTED_RIGHT[c]) for c in reversed(vocab.Certainty)),
        prior_answers=measurement.RELIABILITY_PRIOR_ANSWERS,
        guess=measurement.GUESS,
        certainty=certain.label.lower(),
        right=RELIABILITY_EXAMPLE[0],
        answered=RELIABILITY_EXAMPLE[1],
        full=right_answer.exponents()[0],
        trusted=right_answer.exponents(trust)[0],
    )


@dataclass(frozen=True)
class AnswerRow:
    answer: str
    estimate: LevelEstimate


@dataclass(frozen=True)
class AnswerExample:
    """One skill rated ``claim``, with one question of ``question_level`` answered in different ways."""

    claim: int
    question_level: int
    rows: tuple[AnswerRow, ...]  # the first: no question asked

    @property
    def before(self) -> str:
        """The probability of the rated level before any question."""
        return _share(self.rows[0].estimate.probabilities[self.claim])

    @property
    def after(self) -> tuple[tuple[str, str], ...]:
        """Per answer: the answer and the probability of the rated level after it."""
        return tuple((row.answer, _share(row.estimate.probabilities[self.claim])) for row in self.rows[1:])


ANSWER_EXAMPLE_CLAIM = 3


def _answer_example_responses() -> tuple[measurement.Response | None, ...]:
    """No question; wrong while certain; wrong while guessing; "I don't know" (all at the claim)."""
    level = ANSWER_EXAMPLE_CLAIM
    return (
        None,
        measurement.Response(level, measurement.WRONG, vocab.Certainty.CERTAIN),
        measurement.Response(level, measurement.WRONG, vocab.Certainty.GUESSING),
        measurement.Response(level, measurement.DONT_KNOW),
    )


def _answer_example() -> AnswerExample:
    rows = []
    for response in _answer_example_responses():
        inputs = [measurement.SkillInput("example", ANSWER_EXAMPLE_CLAIM, (response,) if response else ())]
        estimate = measurement.measure(inputs).skills["example"]
        answer = _("no question yet") if response is None else _answered(response)
        rows.append(AnswerRow(answer=answer, estimate=LevelEstimate.of(estimate)))
    return AnswerExample(claim=ANSWER_EXAMPLE_CLAIM, question_level=ANSWER_EXAMPLE_CLAIM, rows=tuple(rows))


@dataclass(frozen=True)
class ReadinessRow:
    """One targeted skill of the readiness example: its probabilities and its expected gap."""

    name: str
    target: int
    weight: int
    probabilities: tuple[float, ...]

    @property
    def shares(self) -> tuple[str, ...]:
        return tuple(_share(p) for p in self.probabilities)

    @property
    def terms(self) -> tuple[tuple[float, int], ...]:
        """(probability, gap) for every level below the target that has any probability."""
        return tuple(
            (p, self.target - level)
            for level, p in zip(measurement.LEVELS, self.probabilities, strict=True)
            if level < self.target and p > 0
        )

    @property
    def expected_gap(self) -> float:
        return sum(p * gap for p, gap in self.terms)

    @property
    def weighted_gap(self) -> float:
        return self.expected_gap * self.weight

    @property
    def working(self) -> str:
        """How the expected gap adds up: "10% \u00d7 1 + 20% \u00d7 2 = 0.5"."""
        if not self.terms:
            return "0"
        sums = " + ".join(f"{_share(p)} \u00d7 {gap}" for p, gap in self.terms)
        return f"{sums} = {_number(self.expected_gap)}"

    @property
    def weighted_text(self) -> str:
        return _number(self.weighted_gap)


@dataclass(frozen=True)
class ReadinessExample:
    """Readiness for a two-skill target, as ``measurement.readiness`` computes it."""

    skills: tuple[ReadinessRow, ...]
    value: float
    low: float
    high: float

    @property
    def total(self) -> int:
        return sum(row.target * row.weight for row in self.skills)

    @property
    def missing(self) -> float:
        return sum(row.weighted_gap for row in self.skills)

    @property
    def missing_text(self) -> str:
        return _number(self.missing)

    @property
    def percent(self) -> int:
        return round(100 * self.value)

    @property
    def interval(self) -> str:
        return _from_to(f"{round(100 * self.low)}%", f"{round(100 * self.high)}%")


READINESS_EXAMPLE: tuple[tuple[str, str, int, int, tuple[float, ...]], ...] = (
    # slug, name, target level, weight, probabilities of levels 0-4
    ("python", "Python", 3, 3, (0.0, 0.0, 0.6, 0.4, 0.0)),
    ("statistics", gettext_noop("Statistics"), 2, 2, (0.0, 0.1, 0.7, 0.2, 0.0)),
)


def _readiness_example_measurement() -> tuple[measurement.Measurement, dict[str, measurement.Target]]:
    """A tiny measurement (two skills with given probabilities) and its targets."""
    skills = {
        slug: measurement.estimate(probs, slug, None, checks=1)
        for slug, _n, _t, _w, probs in READINESS_EXAMPLE
    }
    targets = {
        slug: measurement.Target(slug, level=target, weight=weight)
        for slug, _n, target, weight, _p in READINESS_EXAMPLE
    }
    nothing = measurement.Calibration(bias=0.0, low=0.0, high=0.0, checked_skills=0)
    return measurement.Measurement(skills=skills, calibration=nothing), targets


def _readiness_example() -> ReadinessExample:
    measured, targets = _readiness_example_measurement()
    interval = measurement.readiness(measured, targets)
    assert interval is not None  # the example targets levels above 0
    return ReadinessExample(
        skills=tuple(
            ReadinessRow(
                name=_(name),
                target=targets[slug].level,
                weight=targets[slug].weight,
                probabilities=measured.skills[slug].probabilities,
            )
            for slug, name, _t, _w, _p in READINESS_EXAMPLE
        ),
        value=interval.value,
        low=interval.low,
        high=interval.high,
    )


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


@dataclass(frozen=True)
class LengthRow:
    """One length of assessment: its limits, and its checks and minutes for some numbers of skills."""

    label: str
    max_checks: int
    per_skill: int
    max_minutes: int | None
    budgets: tuple[tuple[int, int], ...]  # (checks, minutes) for each of Stopping.skill_counts


@dataclass(frozen=True)
class Stopping:
    """How questions are chosen and when the checks stop, from ``measurement`` and ``pacing``."""

    confident: float
    min_checks: int
    round_size: int
    entropy_share: float
    first_check_doubt: float
    seconds_per_rating: int
    seconds_per_check: int
    skill_counts: tuple[int, ...]
    lengths: tuple[LengthRow, ...]

    @property
    def confident_text(self) -> str:
        return _share(self.confident)

    @property
    def entropy_share_text(self) -> str:
        return _share(self.entropy_share)

    @property
    def first_check_doubt_text(self) -> str:
        return _share(self.first_check_doubt)


PACING_SKILL_COUNTS = (5, 20, 40)


def _stopping() -> Stopping:
    return Stopping(
        confident=measurement.CONFIDENT,
        min_checks=measurement.MIN_CHECKS,
        round_size=pacing.ROUND_SIZE,
        entropy_share=measurement.ENTROPY_SHARE,
        first_check_doubt=measurement.FIRST_CHECK_DOUBT,
        seconds_per_rating=pacing.SECONDS_PER_RATING,
        seconds_per_check=pacing.SECONDS_PER_CHECK,
        skill_counts=PACING_SKILL_COUNTS,
        lengths=tuple(
            LengthRow(
                label=str(LENGTH_LABELS.get(length.label, length.label)),
                max_checks=length.max_checks,
                per_skill=length.per_skill,
                max_minutes=length.max_minutes,
                budgets=tuple(
                    (pacing.budget(length, n), pacing.minutes(n, pacing.budget(length, n)))
                    for n in PACING_SKILL_COUNTS
                ),
            )
            for length in (pacing.DEFAULT, pacing.THOROUGH)
        ),
    )


@dataclass(frozen=True)
class LegacyMark:
    name: str
    right: int
    wrong: int

    @property
    def right_text(self) -> str:
        return _signed(self.right)

    @property
    def wrong_text(self) -> str:
        return _signed(self.wrong)


@dataclass(frozen=True)
class Legacy:
    """The certainty-based marking that scored results submitted before this method."""

    method: str
    version: int
    marks: tuple[LegacyMark, ...]  # one per Certainty, then "I don't know"


def _legacy() -> Legacy:
    marks = [
        LegacyMark(
            name=str(c.label), right=scoring.certainty_mark(True, c), wrong=scoring.certainty_mark(False, c)
        )
        for c in vocab.Certainty
    ]
    none = scoring.certainty_mark(None, vocab.Certainty.GUESSING)
    marks.append(LegacyMark(name=_dont_know(), right=none, wrong=none))
    return Legacy(method=scoring.METHOD, version=scoring.METHOD_VERSION, marks=tuple(marks))


# ``measurement.readiness`` bounds its interval by the 5% and 95% points of the readiness (it has no
# constant for them), so its interval holds 90% of the probability.
READINESS_INTERVAL_MASS = 0.9


@dataclass(frozen=True)
class ScoringMethod:
    """Everything the "How we score" page states, from ``assessments.measurement``, ``pacing``,
    ``scoring`` (gaps, priorities and the earlier method) and the vocabulary."""

    method: str
    version: int
    levels: tuple[LevelName, ...]
    min_level: int
    max_level: int
    min_check_level: int
    range_mass: float
    interval_mass: float  # of readiness intervals
    prior_example: AnswerRow  # a rated, unchecked skill: what "probabilities over levels" look like
    ratings: RatingModel
    pooling: PoolingExample
    answers: AnswerModel
    weights: Weights
    reliability: Reliability
    answer_example: AnswerExample
    readiness_example: ReadinessExample
    unlock_bonus_factor: float
    priority_example: PriorityExample
    stopping: Stopping
    legacy: Legacy

    @functools.cached_property
    def digest(self) -> int:
        """The method's hash, worked out once (the page keeps its rendering by it)."""
        return hash(self)

    @property
    def range_text(self) -> str:
        return _share(self.range_mass)

    @property
    def interval_text(self) -> str:
        return _share(self.interval_mass)

    @property
    def unlock_bonus_factor_text(self) -> str:
        return _number(self.unlock_bonus_factor)


def scoring_method() -> ScoringMethod:
    """The parameters and worked examples of the "How we score" page.

    Everything is read when called: the constants of ``assessments.measurement`` and
    ``assessments.pacing``, their own functions for the examples (``measurement.measure``,
    ``measurement.readiness``, ``pacing.budget``), ``assessments.scoring`` for priorities and the
    earlier method, and the vocabulary; so changing a parameter changes the page.
    """
    answer_example = _answer_example()
    return ScoringMethod(
        method=measurement.METHOD,
        version=measurement.METHOD_VERSION,
        levels=tuple(LevelName(value=level.value, label=str(level.label)) for level in Level),
        min_level=vocab.MIN_LEVEL,
        max_level=vocab.MAX_LEVEL,
        min_check_level=vocab.MIN_CHECK_LEVEL,
        range_mass=measurement.RANGE_MASS,
        interval_mass=READINESS_INTERVAL_MASS,
        prior_example=answer_example.rows[0],
        ratings=RatingModel(
            bias_mean=measurement.BIAS_PRIOR_MEAN,
            bias_sd=measurement.BIAS_PRIOR_SD,
            bias_low=min(measurement.BIAS_GRID),
            bias_high=max(measurement.BIAS_GRID),
            noise=tuple(measurement.NOISE_GRID),
            uninformative=measurement.UNINFORMATIVE_RATING,
            typical_low=min(measurement.TYPICAL_GRID),
            typical_high=max(measurement.TYPICAL_GRID),
            spreads=tuple(measurement.SKILL_SPREAD_GRID),
        ),
        pooling=_pooling_example(),
        answers=_answer_model(),
        weights=_weights(),
        reliability=_reliability(),
        answer_example=answer_example,
        readiness_example=_readiness_example(),
        unlock_bonus_factor=scoring.UNLOCK_BONUS_FACTOR,
        priority_example=_priority_example(),
        stopping=_stopping(),
        legacy=_legacy(),
    )


@functools.lru_cache(maxsize=16)
def scoring_method_in(language: str) -> ScoringMethod:
    """:func:`scoring_method` worked out once per process and language: the parameters it reads are
    constants for a process's life, and its worked examples run the measurement a dozen times (tens
    of milliseconds). A change of the constants (a test's) calls ``scoring_method_in.cache_clear()``."""
    return scoring_method()


# --- the quiz pages: every radio group shaped once, for the tags that write them ------------------
# Django's own radio rendering (a BoundField's subwidgets, each option's attribute dict, a filter or
# a translation tag per option) made these pages' cost grow with their dozens of rows. The rows
# below hold the finished names, ids, labels and checked flags, with the words translated once a page;
# assessments/templatetags/quiz_widgets.py writes their HTML. A page shown fresh takes them from its
# rows (fresh_rating_groups, fresh_check_groups) without building the form, one shown again with
# what was posted from the form (rating_groups, check_groups): the same rows either way.


class QuizRadio(TypedDict):
    """One radio of a quiz page: its value, id, label (escaped by the template unless safe) and state."""

    value: str
    id: str
    label: str
    checked: bool


class RatingRadio(QuizRadio):
    level: str  # "Level 2", in the active language


class RatingGroup(TypedDict):
    """One skill of a ratings page: its levels as radios, and the errors of a re-shown page."""

    slug: str
    name: str
    description: str
    field: str  # the radios' name
    id: str  # the group's id; its radios' ids start with it
    errors: list[str]
    radios: list[RatingRadio]


class CheckGroup(TypedDict):
    """One knowledge check: its prompt (sanitised HTML), its choices, and how sure the person is."""

    pk: int
    skill: str
    seen_before: bool
    prompt: str
    field: str
    errors: list[str]
    radios: list[QuizRadio]
    certainty_field: str
    certainty_errors: list[str]
    certainty: list[QuizRadio]


class _RadioGroup(NamedTuple):
    """What a radio group of a form shows, read once: Django's names for it, its options, the values
    it shows as picked, and its errors."""

    name: str  # the radios' name
    id: str  # the group's id; its radios' ids start with it
    choices: Sequence[tuple[Any, Any]]
    picked: list[str]
    errors: list[str]


def _radio_group(form: Form, name: str) -> _RadioGroup:
    bound = form[name]
    field = bound.field
    if not isinstance(field, ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    picked = field.widget.format_value(bound.value())
    errors = [str(error) for error in form.errors.get(name) or ()]
    return _RadioGroup(
        bound.html_name, bound.auto_id, cast(Sequence[tuple[Any, Any]], field.choices), picked, errors
    )


def _radios(group: _RadioGroup, labels: list[str]) -> list[QuizRadio]:
    """The options of ``group`` (``labels``: theirs, ready to show) as radios, with the ids and the
    checked one of Django's RadioSelect: ``<group id>_<index>``; only the first picked value is checked."""
    radios: list[QuizRadio] = []
    checked_one = False
    for index, ((value, _label), label) in enumerate(zip(group.choices, labels, strict=True)):
        text = str(value)
        checked = not checked_one and text in group.picked
        checked_one = checked_one or checked
        radios.append({"value": text, "id": f"{group.id}_{index}", "label": label, "checked": checked})
    return radios


def rating_groups(form: RatingsForm) -> list[RatingGroup]:
    """The skills of a ratings page with their levels: each anchor with its `code` marked, after
    "Level n" in the active language."""
    return [
        _rating_group(skill, _radio_group(form, f"skill_{skill.pk}")) for skill, _anchors, _saved in form.rows
    ]


def fresh_rating_groups(rows: Sequence[tuple[Skill, Sequence[LevelAnchor], int | None]]) -> list[RatingGroup]:
    """:func:`rating_groups` of a page shown fresh (an unbound RatingsForm of these ``rows``), from
    the rows alone: the form's dozens of fields cost more than the rest of the page. Its choices
    (the anchors' levels and descriptions) and initial values (the levels saved) are RatingsForm's."""
    return [
        _rating_group(
            skill, _fresh_group(f"skill_{skill.pk}", [(a.level, a.description) for a in anchors], saved)
        )
        for skill, anchors, saved in rows
    ]


def _rating_group(skill: Skill, group: _RadioGroup) -> RatingGroup:
    level = _("Level %(value)s")
    labels = [inline_code(label) for _value, label in group.choices]
    radios: list[RatingRadio] = [
        {**radio, "level": level % {"value": radio["value"]}} for radio in _radios(group, labels)
    ]
    return {
        "slug": skill.slug,
        "name": skill.name,
        "description": skill.description,
        "field": group.name,
        "id": group.id,
        "errors": group.errors,
        "radios": radios,
    }


def check_groups(form: ChecksForm) -> list[CheckGroup]:
    """The questions of a knowledge-checks page: prompts and choices as sanitised HTML (from their
    Markdown), and the certainty radios, their names translated once for the page."""
    certainty_labels: dict[tuple[str, ...], list[str]] = {}
    groups: list[CheckGroup] = []
    for answer, _choices in form.rows:
        sure = _radio_group(form, f"certainty_{answer.pk}")
        values = tuple(str(value) for value, _label in sure.choices)
        if values not in certainty_labels:
            certainty_labels[values] = [str(label) for _value, label in sure.choices]
        groups.append(
            _check_group(answer, _radio_group(form, f"answer_{answer.pk}"), sure, certainty_labels[values])
        )
    return groups


def fresh_check_groups(rows: Sequence[tuple[Answer, Sequence[Choice]]], dont_know: str) -> list[CheckGroup]:
    """:func:`check_groups` of a page shown fresh (an unbound ChecksForm of these ``rows``), from the
    rows alone: the form's two fields a question cost more than the rest of the page. Its choices
    (the question's in the shown order, then "I don't know", whose value is ``dont_know``; the
    certainties) and initial values (what was saved) are ChecksForm's."""
    unknown = (dont_know, _("I don't know"))
    certainties = vocab.Certainty.choices
    certainty_labels = [str(label) for _value, label in certainties]
    groups: list[CheckGroup] = []
    for answer, choices in rows:
        picked = dont_know if answer.dont_know else answer.choice_id
        group = _fresh_group(
            f"answer_{answer.pk}", [(str(c.pk), c.text) for c in choices] + [unknown], picked
        )
        sure = _fresh_group(f"certainty_{answer.pk}", certainties, answer.certainty or None)
        groups.append(_check_group(answer, group, sure, certainty_labels))
    return groups


def _fresh_group(name: str, choices: Sequence[tuple[Any, Any]], initial: Any) -> _RadioGroup:
    """A radio group of an unbound form as :func:`_radio_group` reads it: Django's name and id
    (``id_<name>``), and the initial value as RadioSelect shows it picked."""
    return _RadioGroup(name, f"id_{name}", choices, ["" if initial is None else str(initial)], [])


def _check_group(
    answer: Answer, group: _RadioGroup, sure: _RadioGroup, certainty_labels: list[str]
) -> CheckGroup:
    prompt = mark_safe(catalogue_markdown.render_block(str(answer.question.prompt)))  # sanitised by nh3
    return {
        "pk": answer.pk,
        "skill": answer.skill.name,
        "seen_before": answer.seen_before,
        "prompt": prompt,
        "field": group.name,
        "errors": group.errors,
        "radios": _radios(group, [_markdown_inline(label) for _value, label in group.choices]),
        "certainty_field": sure.name,
        "certainty_errors": sure.errors,
        "certainty": _radios(sure, certainty_labels),
    }


def _markdown_inline(label: Any) -> str:
    return mark_safe(catalogue_markdown.render_inline(str(label)))  # sanitised by nh3 in render_inline


def step_value(form: Form) -> str | None:
    """The value of a quiz page's hidden ``step`` input, as Django's HiddenInput writes it."""
    bound = form["step"]
    return bound.field.widget.format_value(bound.value())


# A result never changes once written, so the reminder drawn from it is worked out once per process
# and language; past this many the oldest line kept is dropped, to be worked out again if asked.
REMINDER_CACHE_LIMIT = 4096
_reminders: dict[tuple[int, str, str], str | None] = {}


def rating_reminder_of(latest: Result | None, load: Callable[[int], Result]) -> str | None:
    """:func:`rating_reminder` for the person's newest result, read without its snapshot
    (``latest``): the full result (``load(pk)``) is read only the first time in a process."""
    if latest is None:
        return None
    key = (latest.pk, latest.created_at.isoformat(), translation.get_language() or "")
    return caching.kept(_reminders, key, lambda: rating_reminder(load(latest.pk)), REMINDER_CACHE_LIMIT)
