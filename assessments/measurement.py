"""How careerpath measures a level: a Bayesian model of your ratings and your answers.

Pure: ratings, answers and question parameters come in as plain data; probabilities over levels,
ranges and readiness come out. The "How we score" page is rendered from the constants below.

1. What is measured
-------------------
For every skill, a probability for each level 0-4 (0 none, 1 awareness, 2 working, 3 proficient,
4 expert). The most probable level is shown with a 90% range: the narrowest run of neighbouring
levels that holds at least 90% of the probability.

2. Your ratings tell us something, and so does how you rate
-----------------------------------------------------------
People rate themselves with a personal *bias* (most of us a little above what our answers show,
some a lot, some below) and some *noise* from skill to skill. The model says a rating is the true
level plus your bias plus noise, rounded to a level (and, now and then, a rating that says nothing
at all). Your bias is not assumed: it is worked out from all of your answers on all skills
together, so checks on a few skills correct the ratings of every skill. Someone whose answers on
eight skills run two levels below their ratings sees every unchecked rating discounted too.

3. What one answer tells
------------------------
A knowledge check has a level: the lowest level at which people answer it right about nine times
in ten. The chance to answer right rises with your level (a logistic curve), from the chance of a
blind guess (one in four) to nearly certain. Each answer multiplies the probability of every level
by how likely that answer is at that level, raised to a *weight* that depends on the answer and on
how sure you said you were:

* a right answer counts fully when you were certain or fairly sure, and little when you said you
  were guessing (a guess is often lucky); and only as far as your own record at that certainty
  earns it: if your answers at one certainty turn out right no more often than blind guesses,
  your right answers at that certainty count for nothing (they are what chance gives);
* a wrong answer counts more the surer you were: a confident wrong answer shows a misconception;
* "I don't know" counts as a little evidence that you do not know, less than a wrong guess, so
  saying it never costs you more, on average, than guessing;
* a question you met in an earlier assessment counts at a reduced weight (you may remember its
  explanation).

4. Readiness
------------
A target sets a level and a weight per skill. Readiness is 1 - (weighted gaps) / (weighted
targets), where a gap is how far below the target a level is. It is computed as an expectation
over the probabilities of every level of every skill, and shown with a 90% interval.

5. Which question next
----------------------
After the ratings the checks come in rounds. Each round picks, per skill still uncertain, the
question level that is expected to narrow the readiness the most; a skill is done when one level
has 70% of the probability or after a few checks, and the assessment stops at its budget.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from catalogue.vocab import MAX_LEVEL, MIN_CHECK_LEVEL, MIN_LEVEL, Certainty

# A target's level and weight: one definition, validated once, for scoring and measurement.
from .scoring import Target as Target

METHOD = "bayesian-adaptive"
# 2: a right answer earns its weight only as far as the record at its certainty beats chance.
METHOD_VERSION = 2
# Question parameters from level tags alone, until a calibration is fitted (assessments.calibration).
TAG_PARAMETERS = "tags"

LEVELS: tuple[int, ...] = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))
CHECK_LEVELS: tuple[int, ...] = tuple(range(MIN_CHECK_LEVEL, MAX_LEVEL + 1))

# --- the level prior and the rating model ------------------------------------------------------
# A person's typical level (their skills are not independent: someone who knows little of ten
# skills probably knows little of the eleventh); each typical level equally likely a priori, and
# each skill's level spread around it with this standard deviation (levels).
TYPICAL_GRID: tuple[float, ...] = tuple(0.5 * i for i in range(9))  # 0 .. 4
SKILL_SPREAD_GRID: tuple[float, ...] = (0.4, 1.0, 2.5)  # also unknown; each equally likely
# A person's bias: rating minus true level, on a grid; prior mean and spread (levels).
BIAS_GRID: tuple[float, ...] = tuple(-2.0 + 0.5 * i for i in range(13))  # -2 .. +4
BIAS_PRIOR_MEAN = 0.25
BIAS_PRIOR_SD = 1.0
# Skill-to-skill noise of a person's ratings (levels): each equally likely a priori.
NOISE_GRID: tuple[float, ...] = (0.4, 0.7)
# The share of ratings that say nothing about the level (a slip, a click to get through).
UNINFORMATIVE_RATING = 0.05

# --- the answer model --------------------------------------------------------------------------
SLOPE = 3.0  # how sharply the chance of knowing rises around a question's level
OFFSET = 0.5  # the chance of knowing is logistic(SLOPE * (level - question level + OFFSET))
GUESS = 0.25  # a blind guess among four options
SLIP = 0.05  # a person who knows still slips now and then

# How much one answer counts (the exponent of its likelihood), by outcome and certainty.
RIGHT_WEIGHT: dict[str, float] = {
    Certainty.CERTAIN: 1.2,
    Certainty.FAIRLY_SURE: 1.0,
    Certainty.GUESSING: 0.25,
}
WRONG_WEIGHT: dict[str, float] = {
    Certainty.CERTAIN: 2.2,
    Certainty.FAIRLY_SURE: 1.8,
    Certainty.GUESSING: 1.6,
}
SEEN_BEFORE_WEIGHT = 0.5
# A right answer counts fully only as far as the person's answers at that certainty prove right
# as often as an honest person's (see reliability()).
EXPECTED_RIGHT: dict[str, float] = {
    Certainty.CERTAIN: 0.9,
    Certainty.FAIRLY_SURE: 0.7,
    Certainty.GUESSING: 0.4,
}
RELIABILITY_PRIOR_ANSWERS = 4

# --- credibility and stopping ------------------------------------------------------------------
RANGE_MASS = 0.9
CONFIDENT = 0.7  # a skill is settled when one level holds this much probability...
MIN_CHECKS = 1  # ...and it was checked at least this often (a rating alone never settles a skill)
# Choosing a question: the expected narrowing of the weighted gap's variance, plus this share of
# the expected narrowing of the level's entropy (so skills already past their target still settle).
ENTROPY_SHARE = 0.1
# Choosing the first check of a skill, its probabilities are mixed with an even spread by this
# share: a rating is what the check verifies, so it must not decide which level gets checked.
FIRST_CHECK_DOUBT = 0.2

INVALID_LEVEL = "A level must be a whole number from 0 to 4, got {level!r}."
INVALID_CHECK_LEVEL = "A knowledge check has a level from 1 to 4, got {level!r}."
INVALID_CERTAINTY = "Certainty must be 'guessing', 'fairly_sure' or 'certain', got {certainty!r}."
INVALID_OUTCOME = "An outcome is 'right', 'wrong' or 'dont_know', got {outcome!r}."
DUPLICATE_SKILL = "The skill {skill!r} is given twice."

RIGHT, WRONG, DONT_KNOW = "right", "wrong", "dont_know"
OUTCOMES = (RIGHT, WRONG, DONT_KNOW)

OVER_CONFIDENT, UNDER_CONFIDENT, CONSISTENT = "over-confident", "under-confident", "consistent"


def _is_level(value: object, low: int = MIN_LEVEL) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_LEVEL


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class ItemParameters:
    """What the model knows of a question: its difficulty (on the level scale) and guessing chance."""

    difficulty: float
    guessing: float = GUESS

    def p_right(self, level: int) -> float:
        """The chance a person of ``level`` answers right."""
        know = _logistic(SLOPE * (level - self.difficulty + OFFSET))
        return self.guessing + (1.0 - self.guessing) * (1.0 - SLIP) * know


def tag_parameters(level: int) -> ItemParameters:
    """Parameters of a question known only by its level tag."""
    if not _is_level(level, low=MIN_CHECK_LEVEL):
        raise ValueError(INVALID_CHECK_LEVEL.format(level=level))
    return ItemParameters(difficulty=float(level))


@dataclass(frozen=True)
class Response:
    """One answered check: the question's level and parameters, the outcome and certainty."""

    level: int
    outcome: str  # right | wrong | dont_know
    certainty: str = ""  # '' for "I don't know"
    seen_before: bool = False
    parameters: ItemParameters | None = None  # None: from the level tag

    def __post_init__(self) -> None:
        if not _is_level(self.level, low=MIN_CHECK_LEVEL):
            raise ValueError(INVALID_CHECK_LEVEL.format(level=self.level))
        if self.outcome not in OUTCOMES:
            raise ValueError(INVALID_OUTCOME.format(outcome=self.outcome))
        if self.outcome != DONT_KNOW and self.certainty not in RIGHT_WEIGHT:
            raise ValueError(INVALID_CERTAINTY.format(certainty=self.certainty))

    @property
    def item(self) -> ItemParameters:
        return self.parameters or tag_parameters(self.level)

    def exponents(self, trust: Mapping[str, float] | None = None) -> tuple[float, float]:
        """How much this answer counts: the exponents of P(right) and of P(not right).

        "I don't know" counts exactly as a blind guess said with "guessing" counts on average
        (right with the question's guessing chance, wrong otherwise), so it never costs more than
        guessing would.
        """
        seen = SEEN_BEFORE_WEIGHT if self.seen_before else 1.0
        if self.outcome == RIGHT:
            full = RIGHT_WEIGHT[self.certainty]
            trusted = full * (1.0 if trust is None else trust.get(self.certainty, 1.0))
            return min(full, trusted) * seen, 0.0
        if self.outcome == WRONG:
            return 0.0, WRONG_WEIGHT[self.certainty] * seen
        g = self.item.guessing
        return (
            g * RIGHT_WEIGHT[Certainty.GUESSING] * seen,
            (1.0 - g) * WRONG_WEIGHT[Certainty.GUESSING] * seen,
        )

    def likelihood(self, trust: Mapping[str, float] | None = None) -> tuple[float, ...]:
        """How likely this answer is at each level, raised to its weight."""
        right, wrong = self.exponents(trust)
        out = []
        for level in LEVELS:
            p = self.item.p_right(level)
            out.append(p**right * (1.0 - p) ** wrong)
        return tuple(out)


@dataclass(frozen=True)
class SkillInput:
    """A skill's rating (None: not rated) and the checks answered on it."""

    skill: str
    claim: int | None
    responses: tuple[Response, ...] = ()

    def __post_init__(self) -> None:
        if self.claim is not None and not _is_level(self.claim):
            raise ValueError(INVALID_LEVEL.format(level=self.claim))


@dataclass(frozen=True)
class SkillEstimate:
    """What the model says of one skill."""

    skill: str
    claim: int | None
    probabilities: tuple[float, ...]
    level: int  # the most probable level
    low: int
    high: int
    mean: float
    checks: int

    @property
    def confident(self) -> bool:
        return self.checks >= MIN_CHECKS and max(self.probabilities) >= CONFIDENT

    @property
    def calibration(self) -> str:
        if self.claim is None or self.checks == 0:
            return CONSISTENT
        if self.claim > self.high:
            return OVER_CONFIDENT
        if self.claim < self.low:
            return UNDER_CONFIDENT
        return CONSISTENT

    def p_below(self, level: int) -> float:
        return sum(p for lv, p in zip(LEVELS, self.probabilities, strict=True) if lv < level)


@dataclass(frozen=True)
class Interval:
    """An expectation with its 90% interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Calibration:
    """How a person's ratings compare with their answers: the bias, in levels, and its evidence."""

    bias: float
    low: float
    high: float
    checked_skills: int


@dataclass(frozen=True)
class Measurement:
    """Every skill's estimate and the person's rating bias, from one set of ratings and answers."""

    skills: dict[str, SkillEstimate]
    calibration: Calibration
    # Per (bias, noise) grid point: its posterior weight and the per-skill conditional posteriors.
    components: tuple[tuple[float, dict[str, tuple[float, ...]]], ...] = field(repr=False, default=())


def _normalise(values: Sequence[float]) -> tuple[float, ...]:
    total = sum(values)
    if total <= 0 or not math.isfinite(total):
        return tuple(1.0 / len(values) for _ in values)
    return tuple(v / total for v in values)


@functools.lru_cache(maxsize=1024)
def claim_likelihood(claim: int, bias: float, noise: float) -> tuple[float, ...]:
    """P(rating = claim | level) for each level, under a bias and a noise."""
    out = []
    for level in LEVELS:
        centre = level + bias
        upper = 1.0 if claim == MAX_LEVEL else _phi((claim + 0.5 - centre) / noise)
        lower = 0.0 if claim == MIN_LEVEL else _phi((claim - 0.5 - centre) / noise)
        informative = max(upper - lower, 0.0)
        out.append((1.0 - UNINFORMATIVE_RATING) * informative + UNINFORMATIVE_RATING / len(LEVELS))
    return tuple(out)


def _bias_prior() -> tuple[float, ...]:
    return _normalise([math.exp(-0.5 * ((b - BIAS_PRIOR_MEAN) / BIAS_PRIOR_SD) ** 2) for b in BIAS_GRID])


def reliability(responses: Iterable[Response]) -> dict[str, float]:
    """How far a person's right answers at each certainty can be trusted, from their own record.

    Per certainty: the share of their answers given with it that were right, pulled towards what
    an honest person gets (EXPECTED_RIGHT) by RELIABILITY_PRIOR_ANSWERS pseudo-answers, then scaled
    so that chance (GUESS) is 0 and the honest share is 1. Someone whose "certain" answers are right
    one time in four is guessing, whatever they say; their right answers then count for nothing.
    """
    counts: dict[str, list[int]] = {c: [0, 0] for c in RIGHT_WEIGHT}
    for response in responses:
        if response.outcome != DONT_KNOW:
            counts[response.certainty][0] += response.outcome == RIGHT
            counts[response.certainty][1] += 1
    out = {}
    for certainty, (right, total) in counts.items():
        expected = EXPECTED_RIGHT[certainty]
        share = (right + RELIABILITY_PRIOR_ANSWERS * expected) / (total + RELIABILITY_PRIOR_ANSWERS)
        out[certainty] = min(1.0, max(0.0, (share - GUESS) / (expected - GUESS)))
    return out


def _answers_likelihood(responses: Iterable[Response], trust: Mapping[str, float]) -> tuple[float, ...]:
    out = [1.0] * len(LEVELS)
    for response in responses:
        for i, value in enumerate(response.likelihood(trust)):
            out[i] *= value
    return tuple(out)


def highest_density_range(probabilities: Sequence[float], mass: float = RANGE_MASS) -> tuple[int, int]:
    """The narrowest run of neighbouring levels holding at least ``mass`` (ties: the most mass)."""
    best: tuple[int, float, int, int] | None = None
    for low in range(len(probabilities)):
        total = 0.0
        for high in range(low, len(probabilities)):
            total += probabilities[high]
            if total >= mass - 1e-9:
                candidate = (high - low, -total, low, high)
                if best is None or candidate < best:
                    best = candidate
                break
    assert best is not None
    return LEVELS[best[2]], LEVELS[best[3]]


def estimate(probabilities: Sequence[float], skill: str, claim: int | None, checks: int) -> SkillEstimate:
    probs = _normalise(probabilities)
    low, high = highest_density_range(probs)
    level = max(LEVELS, key=lambda lv: (probs[lv], -abs(lv - (claim if claim is not None else lv))))
    return SkillEstimate(
        skill=skill,
        claim=claim,
        probabilities=tuple(round(p, 6) for p in probs),
        level=level,
        low=low,
        high=high,
        mean=sum(lv * p for lv, p in zip(LEVELS, probs, strict=True)),
        checks=checks,
    )


def level_prior(typical: float, spread: float) -> tuple[float, ...]:
    """The prior over one skill's level for a person whose typical level is ``typical``."""
    return _normalise([math.exp(-0.5 * ((lv - typical) / spread) ** 2) for lv in LEVELS])


def measure(inputs: Sequence[SkillInput]) -> Measurement:
    """Probabilities over levels for every skill, pooling what all ratings and answers say of the person.

    The person's typical level, rating bias and rating noise are unknown; every combination on
    their grids is weighed by how well it explains all ratings and answers together, and each
    skill's probabilities are the weighted mixture.
    """
    seen: set[str] = set()
    for item in inputs:
        if item.skill in seen:
            raise ValueError(DUPLICATE_SKILL.format(skill=item.skill))
        seen.add(item.skill)
    trust = reliability(r for item in inputs for r in item.responses)
    answers = {item.skill: _answers_likelihood(item.responses, trust) for item in inputs}
    priors = [level_prior(typical, spread) for typical in TYPICAL_GRID for spread in SKILL_SPREAD_GRID]
    bias_prior = _bias_prior()
    flat = (1.0,) * len(LEVELS)
    # First the weight of every (bias, noise, typical level, spread) combination: how well it
    # explains every rating and answer; then each skill's probabilities under the ones that matter.
    grid: list[tuple[float, dict[str, tuple[float, ...]], tuple[float, ...]]] = []
    log_weights: list[float] = []
    for b_index, bias in enumerate(BIAS_GRID):
        for noise in NOISE_GRID:
            evidence = {
                item.skill: tuple(
                    c * a
                    for c, a in zip(
                        claim_likelihood(item.claim, bias, noise) if item.claim is not None else flat,
                        answers[item.skill],
                        strict=True,
                    )
                )
                for item in inputs
            }
            base = math.log(bias_prior[b_index])
            for prior in priors:
                p0, p1, p2, p3, p4 = prior
                log_weight = base
                for e0, e1, e2, e3, e4 in evidence.values():
                    marginal = p0 * e0 + p1 * e1 + p2 * e2 + p3 * e3 + p4 * e4
                    log_weight += math.log(marginal) if marginal > 0 else -745.0
                grid.append((bias, evidence, prior))
                log_weights.append(log_weight)
    top = max(log_weights)
    raw = [math.exp(w - top) for w in log_weights]
    total_raw = sum(raw)
    components: list[tuple[float, dict[str, tuple[float, ...]]]] = []
    kept_bias: list[tuple[float, float]] = []
    for weight, (bias, evidence, prior) in zip(raw, grid, strict=True):
        weight /= total_raw
        kept_bias.append((bias, weight))
        if weight <= 1e-6:
            continue
        posteriors = {
            skill: _normalise([p * e for p, e in zip(prior, vector, strict=True)])
            for skill, vector in evidence.items()
        }
        components.append((weight, posteriors))
    kept = sum(w for w, _p in components)
    components = [(w / kept, p) for w, p in components]
    skills: dict[str, SkillEstimate] = {}
    for item in inputs:
        mixed = [0.0] * len(LEVELS)
        for weight, posteriors in components:
            for i, p in enumerate(posteriors[item.skill]):
                mixed[i] += weight * p
        skills[item.skill] = estimate(mixed, item.skill, item.claim, len(item.responses))
    bias_mean = sum(b * w for b, w in kept_bias)
    bias_low, bias_high = _weighted_quantiles([b for b, _w in kept_bias], [w for _b, w in kept_bias])
    return Measurement(
        skills=skills,
        calibration=Calibration(
            bias=bias_mean,
            low=bias_low,
            high=bias_high,
            checked_skills=sum(1 for item in inputs if item.responses and item.claim is not None),
        ),
        components=tuple(components),
    )


def _weighted_quantiles(values: Sequence[float], weights: Sequence[float]) -> tuple[float, float]:
    pairs = sorted(zip(values, weights, strict=True))
    low = high = pairs[-1][0]
    total = 0.0
    found_low = False
    for value, weight in pairs:
        total += weight
        if not found_low and total >= 0.05:
            low, found_low = value, True
        if total >= 0.95:
            high = value
            break
    return low, high


# --- readiness ---------------------------------------------------------------------------------


def _gap_moments(probs: Sequence[float], target: Target) -> tuple[float, float]:
    """Mean and variance of the weighted gap of one skill under its probabilities."""
    mean = sum(p * max(0, target.level - lv) for lv, p in zip(LEVELS, probs, strict=True))
    square = sum(p * max(0, target.level - lv) ** 2 for lv, p in zip(LEVELS, probs, strict=True))
    w = target.weight
    return w * mean, w * w * max(square - mean * mean, 0.0)


def readiness(measurement: Measurement, targets: Mapping[str, Target]) -> Interval | None:
    """Expected readiness for these targets with its 90% interval; None when nothing is targeted.

    A targeted skill the measurement does not hold counts as level 0 (as it would be studied from
    scratch).
    """
    total = sum(t.level * t.weight for t in targets.values())
    if total == 0:
        return None
    components = measurement.components or (
        (1.0, {s: e.probabilities for s, e in measurement.skills.items()}),
    )
    zero = tuple(1.0 if lv == MIN_LEVEL else 0.0 for lv in LEVELS)
    mixture: list[tuple[float, float, float]] = []
    for weight, posteriors in components:
        if weight < 1e-4:
            continue
        mean = var = 0.0
        for skill, target in targets.items():
            m, v = _gap_moments(posteriors.get(skill, zero), target)
            mean += m
            var += v
        mixture.append((weight, 1.0 - mean / total, var / (total * total)))
    kept = sum(w for w, _m, _v in mixture)
    mixture = [(w / kept, m, v) for w, m, v in mixture]
    value = sum(w * m for w, m, _v in mixture)
    low = _mixture_quantile(mixture, 0.05)
    high = _mixture_quantile(mixture, 0.95)
    return Interval(value=_clip(value), low=_clip(min(low, value)), high=_clip(max(high, value)))


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def readiness_by_group(
    measurement: Measurement, targets: Mapping[str, Target], groups: Mapping[str, str]
) -> tuple[Interval | None, dict[str, Interval | None]]:
    """Readiness for the targets overall and for each group of skills (a category), in one pass."""
    names = sorted({groups.get(skill, "") for skill in targets})
    members = {name: {s: t for s, t in targets.items() if groups.get(s, "") == name} for name in names}
    return readiness(measurement, targets), {
        name: readiness(measurement, subset) for name, subset in members.items()
    }


def _mixture_quantile(mixture: Sequence[tuple[float, float, float]], q: float) -> float:
    def cdf(x: float) -> float:
        out = 0.0
        for w, m, v in mixture:
            sd = math.sqrt(v)
            out += w * ((1.0 if x >= m else 0.0) if sd < 1e-9 else _phi((x - m) / sd))
        return out

    lo, hi = -1.0, 2.0
    for _ in range(32):
        mid = (lo + hi) / 2
        if cdf(mid) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# --- choosing the next questions ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A question level open for a skill, with the parameters of its best unseen question."""

    skill: str
    level: int
    parameters: ItemParameters


def _entropy(probs: Sequence[float]) -> float:
    return -sum(p * math.log(p) for p in probs if p > 0)


def expected_gain(probs: Sequence[float], item: ItemParameters, target: Target | None) -> float:
    """How much one answer to this question is expected to narrow the skill (weighted gap variance,
    plus its entropy so skills off the target still settle)."""
    p_right = [item.p_right(lv) for lv in LEVELS]
    prob_right = sum(p * r for p, r in zip(probs, p_right, strict=True))
    after_right = _normalise([p * r for p, r in zip(probs, p_right, strict=True)])
    after_wrong = _normalise([p * (1 - r) for p, r in zip(probs, p_right, strict=True)])
    entropy_gain = _entropy(probs) - (
        prob_right * _entropy(after_right) + (1 - prob_right) * _entropy(after_wrong)
    )
    if target is None or target.level == 0:
        return ENTROPY_SHARE * entropy_gain
    _m, var = _gap_moments(probs, target)
    _m1, var_right = _gap_moments(after_right, target)
    _m2, var_wrong = _gap_moments(after_wrong, target)
    variance_gain = var - (prob_right * var_right + (1 - prob_right) * var_wrong)
    return variance_gain + ENTROPY_SHARE * entropy_gain


def next_round(
    measurement: Measurement,
    candidates: Iterable[Candidate],
    targets: Mapping[str, Target],
    asked: Mapping[str, int],
    *,
    per_skill: int,
    size: int,
) -> list[Candidate]:
    """The next round: per skill still uncertain (and under ``per_skill`` checks), the most telling
    open question level; the ``size`` skills expected to tell most, in skill order."""
    best: dict[str, tuple[float, Candidate]] = {}
    for candidate in candidates:
        estimate_ = measurement.skills.get(candidate.skill)
        if estimate_ is None or estimate_.confident or asked.get(candidate.skill, 0) >= per_skill:
            continue
        probs: Sequence[float] = estimate_.probabilities
        if asked.get(candidate.skill, 0) == 0:
            even = 1.0 / len(LEVELS)
            probs = [(1 - FIRST_CHECK_DOUBT) * p + FIRST_CHECK_DOUBT * even for p in probs]
        gain = expected_gain(probs, candidate.parameters, targets.get(candidate.skill))
        current = best.get(candidate.skill)
        if current is None or (gain, -candidate.level) > (current[0], -current[1].level):
            best[candidate.skill] = (gain, candidate)
    chosen = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].skill))[: max(size, 0)]
    return sorted((c for gain, c in chosen if gain > 1e-6), key=lambda c: c.skill)
