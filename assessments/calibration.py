"""What real answers say of each question: item analysis for admins, and a calibrated difficulty and
guessing chance per question.

Pure: responses come in as plain data (the question, its level tag, the person's estimated level on
that skill, the outcome and the option chosen); statistics and fitted parameters come out. The
management command ``calibrate_questions`` reads the responses and stores each fit as a versioned
``ItemCalibration``; ``assessments.calibration_store`` hands the active one to the measurement.

1. Item analysis
----------------
Per question: how often it was answered, the share answered right, the share of "I don't know",
and its **discrimination**: the point-biserial correlation between being right (1; wrong and
"I don't know" 0) and the person's estimated level on the skill (Pearson's r of the two, from -1 to
1; none when either does not vary). Flags, once a question has at least
:data:`FLAG_MIN_RESPONSES` answers:

* **too easy**: more than 95% right (it tells nothing of anyone);
* **too hard**: fewer than 30% right: barely above a blind guess among four options (25%), so it
  tells little at the levels of the people who meet it, or its key is wrong;
* **not discriminating**: discrimination below 0.1 (the strong do no better than the weak: the
  question is ambiguous, mis-keyed or tests something else);
* **a distractor beats the key**: among the *strong* (people whose estimated level is at least the
  question's level tag, who should mostly answer it right), one wrong option was chosen more often
  than the key; needs :data:`MIN_STRONG_CHOICES` strong people who chose an option.

2. Calibration
--------------
The same answer model as the measurement (assessments.measurement): a person of level ``a``
answers right with chance ``g + (1 - g)(1 - SLIP) logistic(SLOPE (a - d + OFFSET))``, for a
question of difficulty ``d`` and guessing chance ``g``; "I don't know" counts as not right. The
persons' levels are taken as known: the mean level of their result on the skill (its most probable
level for results stored before probabilities were). This is a hierarchical model: a question's
difficulty is drawn around its level tag, ``Normal(tag, spread)``, and its guessing chance from
``Beta(5, 15)`` (mean 0.25, a blind guess among four). Each question gets its most probable
(maximum a posteriori) difficulty and guessing chance, so a question with few answers stays near
its tag and one with many moves as far as its answers say. The spread of difficulties around their
tags starts at ``prior_sd`` and, over ``iterations`` rounds of expectation-maximisation, is
learned from all the well-answered questions together (bounded to :data:`SPREAD_BOUNDS`, and only
once :data:`MIN_QUESTIONS_FOR_SPREAD` questions are calibrated): a bank whose tags turn out accurate
keeps every question closer to its tag.

The optimiser is a grid, deterministic and free of convergence failures: difficulty in steps of
0.05 within two levels of the tag, guessing in steps of 0.05 from 0.05 to 0.45, then the guessing
chance refined in steps of 0.01 around the best point. Persons' levels are grouped in steps of
0.05 (far finer than their own uncertainty) so the work grows with the questions, not the answers.

A question with fewer than :data:`MIN_RESPONSES` answers keeps its tag parameters exactly.

Known limit: a person's level was measured with this question's answer among the evidence (with its
tag parameters), which pulls the fit a little towards the tag and flatters discrimination; with
several checks per skill the pull of one answer is small.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from assessments.measurement import (
    DONT_KNOW,
    GUESS,
    OFFSET,
    OUTCOMES,
    RIGHT,
    SLIP,
    SLOPE,
    ItemParameters,
)
from catalogue.vocab import MAX_LEVEL, MIN_CHECK_LEVEL, MIN_LEVEL

# --- item analysis -----------------------------------------------------------------------------
FLAG_MIN_RESPONSES = 20  # fewer answers than this: shares and correlations are too noisy to flag
TOO_EASY_ABOVE = 0.95
TOO_HARD_BELOW = 0.30
NOT_DISCRIMINATING_BELOW = 0.1
MIN_STRONG_CHOICES = 10  # strong people who chose an option, before their choices can flag a distractor

TOO_EASY = "too easy"
TOO_HARD = "too hard"
NOT_DISCRIMINATING = "not discriminating"
DISTRACTOR = "a distractor beats the key"
FLAGS = (TOO_EASY, TOO_HARD, NOT_DISCRIMINATING, DISTRACTOR)

# --- calibration -------------------------------------------------------------------------------
# At least this many answers before a question moves from its tag at all. Below it a share right
# is known only to about +/-0.18 (95%), and difficulty and guessing cannot be told apart (a wrong
# answer from a weak person fits a harder question and an unlucky guess alike); every result
# records the parameter set it used, so a set should not churn on a handful of answers.
MIN_RESPONSES = 30
PRIOR_SD = 0.5  # a level tag is right to about half a level, until the answers say otherwise
ITERATIONS = 20  # rounds of learning the spread of difficulties around their tags
SPREAD_BOUNDS = (0.25, 1.0)
MIN_QUESTIONS_FOR_SPREAD = 8  # fewer calibrated questions: the spread stays at prior_sd
GUESS_PRIOR = (5.0, 15.0)  # Beta(a, b): mean a / (a + b) = 0.25
DIFFICULTY_RANGE = 2.0  # the grid spans tag +/- this
DIFFICULTY_STEP = 0.05
GUESS_GRID: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(1, 10))  # 0.05 .. 0.45
GUESS_FINE_STEP = 0.01
ABILITY_STEP = 0.05
VERSION_PREFIX = "calibration-"

INVALID_ABILITY = "An ability is a level from 0 to 4, got {ability!r}."
INVALID_TAG = "A question's level tag is a whole number from 1 to 4, got {level!r}."
INVALID_OUTCOME = "An outcome is 'right', 'wrong' or 'dont_know', got {outcome!r}."
INVALID_SETTING = "{name} must be {rule}, got {value!r}."


def version_label(version: int) -> str:
    """How results name a stored calibration (the measurement's parameters label)."""
    return f"{VERSION_PREFIX}{version}"


def ability(level: int, probabilities: Sequence[float] = ()) -> float:
    """A person's level on a skill as one number: the mean of its probabilities when the result
    holds them, else its level."""
    total = sum(probabilities)
    if not probabilities or total <= 0:
        return float(level)
    return sum(lv * p for lv, p in enumerate(probabilities)) / total


@dataclass(frozen=True)
class ItemResponse:
    """One answer to a question: its key and level tag, the person's estimated level on the skill
    (0-4), the outcome and the label of the option chosen ('' for "I don't know")."""

    question: str
    level: int
    ability: float
    outcome: str  # right | wrong | dont_know
    chosen: str = ""

    def __post_init__(self) -> None:
        if not _is_tag(self.level):
            raise ValueError(INVALID_TAG.format(level=self.level))
        if not (math.isfinite(self.ability) and MIN_LEVEL <= self.ability <= MAX_LEVEL):
            raise ValueError(INVALID_ABILITY.format(ability=self.ability))
        if self.outcome not in OUTCOMES:
            raise ValueError(INVALID_OUTCOME.format(outcome=self.outcome))

    @property
    def right(self) -> bool:
        return self.outcome == RIGHT


def _is_tag(level: object) -> bool:
    return isinstance(level, int) and not isinstance(level, bool) and MIN_CHECK_LEVEL <= level <= MAX_LEVEL


# --- item analysis -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStats:
    """What the answers say of one question."""

    question: str
    level: int
    shown: int
    share_right: float
    share_dont_know: float
    discrimination: float | None  # point-biserial correlation; None when it cannot be computed
    strong: int  # strong people (level >= the tag) who chose an option
    strong_key: int  # ... of whom chose the key
    distractor: str  # the wrong option the strong chose most ('' if none)
    distractor_count: int
    flags: tuple[str, ...]


def point_biserial(rights: Sequence[bool], abilities: Sequence[float]) -> float | None:
    """Pearson's correlation of being right (1/0) with the estimated level; None when either is constant."""
    n = len(rights)
    if n < 2 or n != len(abilities):
        return None
    ys = [1.0 if r else 0.0 for r in rights]
    mean_y = sum(ys) / n
    mean_x = sum(abilities) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(abilities, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in abilities)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _stats(question: str, answers: Sequence[ItemResponse]) -> ItemStats:
    level = answers[0].level
    shown = len(answers)
    rights = [a.right for a in answers]
    share_right = sum(rights) / shown
    share_dont_know = sum(1 for a in answers if a.outcome == DONT_KNOW) / shown
    discrimination = point_biserial(rights, [a.ability for a in answers])
    strong = [a for a in answers if a.ability >= a.level and a.outcome != DONT_KNOW]
    strong_key = sum(1 for a in strong if a.right)
    wrong_choices = Counter(a.chosen for a in strong if not a.right and a.chosen)
    distractor, distractor_count = min(wrong_choices.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
    flags: list[str] = []
    if shown >= FLAG_MIN_RESPONSES:
        if share_right > TOO_EASY_ABOVE:
            flags.append(TOO_EASY)
        if share_right < TOO_HARD_BELOW:
            flags.append(TOO_HARD)
        if discrimination is not None and discrimination < NOT_DISCRIMINATING_BELOW:
            flags.append(NOT_DISCRIMINATING)
    if len(strong) >= MIN_STRONG_CHOICES and distractor_count > strong_key:
        flags.append(DISTRACTOR)
    return ItemStats(
        question=question,
        level=level,
        shown=shown,
        share_right=share_right,
        share_dont_know=share_dont_know,
        discrimination=discrimination,
        strong=len(strong),
        strong_key=strong_key,
        distractor=distractor,
        distractor_count=distractor_count,
        flags=tuple(flags),
    )


def item_analysis(responses: Iterable[ItemResponse]) -> list[ItemStats]:
    """The statistics and flags of every question answered, flagged questions first, then by key."""
    by_question: dict[str, list[ItemResponse]] = defaultdict(list)
    for response in responses:
        by_question[response.question].append(response)
    stats = [_stats(key, answers) for key, answers in by_question.items()]
    return sorted(stats, key=lambda s: (not s.flags, s.question))


# --- calibration -------------------------------------------------------------------------------


class FittedItem(NamedTuple):
    """A question's parameters in a calibration, and how many answers they rest on."""

    difficulty: float
    guessing: float
    responses: int


@dataclass(frozen=True)
class Calibration:
    """One fit of the question bank: a version label, its settings and every question's parameters."""

    version: str
    min_responses: int
    prior_sd: float  # the spread of difficulties around their tags the fit ended with
    parameters: Mapping[str, FittedItem]

    def item_parameters(self) -> dict[str, ItemParameters]:
        return {
            key: ItemParameters(difficulty=item.difficulty, guessing=item.guessing)
            for key, item in self.parameters.items()
        }

    def moved(self, tags: Mapping[str, int], threshold: float = 0.5) -> list[tuple[str, float]]:
        """Questions whose difficulty moved more than ``threshold`` levels from their tag, with the
        signed move (positive: harder than tagged), largest first."""
        moves = [
            (key, round(item.difficulty - tags[key], 2))
            for key, item in self.parameters.items()
            if key in tags and abs(item.difficulty - tags[key]) > threshold
        ]
        return sorted(moves, key=lambda kv: (-abs(kv[1]), kv[0]))


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(frozen=True)
class _Item:
    """One question's answers, grouped by the person's level: (level, right, not right)."""

    tag: int
    groups: tuple[tuple[float, int, int], ...]
    n: int

    def difficulties(self) -> list[float]:
        steps = round(DIFFICULTY_RANGE / DIFFICULTY_STEP)
        return [round(self.tag + DIFFICULTY_STEP * i, 2) for i in range(-steps, steps + 1)]

    def knows(self, difficulty: float) -> list[float]:
        """Per group, the chance of knowing times (1 - SLIP)."""
        return [(1.0 - SLIP) * _logistic(SLOPE * (a - difficulty + OFFSET)) for a, _r, _w in self.groups]

    @property
    def wrong(self) -> int:
        return self.n - sum(r for _a, r, _w in self.groups)

    def log_likelihood_wrong(self, knows: Sequence[float]) -> float:
        """The part of the log-likelihood that does not depend on the guessing chance:
        P(not right) = (1 - g)(1 - q), and the (1 - g) goes with the guessing part."""
        return sum(w * math.log(1.0 - q) for q, (_a, _r, w) in zip(knows, self.groups, strict=True) if w)

    def log_likelihood_guess(self, knows: Sequence[float], guessing: float) -> float:
        right = sum(
            r * math.log(q + guessing * (1.0 - q))
            for q, (_a, r, _w) in zip(knows, self.groups, strict=True)
            if r
        )
        return right + self.wrong * math.log(1.0 - guessing)


def _guess_log_prior(guessing: float) -> float:
    a, b = GUESS_PRIOR
    return (a - 1.0) * math.log(guessing) + (b - 1.0) * math.log(1.0 - guessing)


def _group(answers: Sequence[ItemResponse], tag: int) -> _Item:
    counts: dict[float, list[int]] = {}
    for answer in answers:
        key = round(round(answer.ability / ABILITY_STEP) * ABILITY_STEP, 2)
        right_wrong = counts.setdefault(key, [0, 0])
        right_wrong[0 if answer.right else 1] += 1
    groups = tuple((a, rw[0], rw[1]) for a, rw in sorted(counts.items()))
    return _Item(tag=tag, groups=groups, n=len(answers))


def _likelihood_grid(item: _Item) -> list[tuple[float, float, float]]:
    """(difficulty, guessing, log-likelihood) over the coarse grid."""
    grid: list[tuple[float, float, float]] = []
    for d in item.difficulties():
        knows = item.knows(d)
        wrong = item.log_likelihood_wrong(knows)
        grid.extend((d, g, wrong + item.log_likelihood_guess(knows, g)) for g in GUESS_GRID)
    return grid


def _log_posterior(d: float, g: float, log_lik: float, tag: int, spread: float) -> float:
    return log_lik - 0.5 * ((d - tag) / spread) ** 2 + _guess_log_prior(g)


def _spread(
    items: Mapping[str, _Item], grids: Mapping[str, list[tuple[float, float, float]]], spread: float
) -> float:
    """One expectation-maximisation step: the mean, over questions, of E[(difficulty - tag)^2]
    under each question's posterior on the grid."""
    total = 0.0
    for key, grid in grids.items():
        tag = items[key].tag
        log_posts = [_log_posterior(d, g, ll, tag, spread) for d, g, ll in grid]
        top = max(log_posts)
        weights = [math.exp(lp - top) for lp in log_posts]
        mass = sum(weights)
        total += sum(w * (d - tag) ** 2 for w, (d, _g, _ll) in zip(weights, grid, strict=True)) / mass
    low, high = SPREAD_BOUNDS
    return min(high, max(low, math.sqrt(total / len(grids))))


def _map(item: _Item, grid: Sequence[tuple[float, float, float]], spread: float) -> tuple[float, float]:
    """The most probable difficulty and guessing chance: best on the coarse grid, then the guessing
    chance refined in steps of 0.01 around it (difficulty within one grid step either side)."""
    best_d, best_g, best = item.tag * 1.0, GUESS, -math.inf
    for d, g, ll in grid:
        lp = _log_posterior(d, g, ll, item.tag, spread)
        if lp > best:
            best_d, best_g, best = d, g, lp
    low_g, high_g = GUESS_GRID[0], GUESS_GRID[-1]
    coarse_d, coarse_g = best_d, best_g
    for dd in (-DIFFICULTY_STEP, 0.0, DIFFICULTY_STEP):
        d = round(coarse_d + dd, 2)
        if abs(d - item.tag) > DIFFICULTY_RANGE + 1e-9:
            continue
        knows = item.knows(d)
        wrong = item.log_likelihood_wrong(knows)
        for step in range(-4, 5):
            g = round(coarse_g + step * GUESS_FINE_STEP, 2)
            if not low_g <= g <= high_g:
                continue
            lp = _log_posterior(d, g, wrong + item.log_likelihood_guess(knows, g), item.tag, spread)
            if lp > best:
                best_d, best_g, best = d, g, lp
    return best_d, best_g


def _check_settings(prior_sd: float, min_responses: int, iterations: int) -> None:
    if not (math.isfinite(prior_sd) and prior_sd > 0):
        raise ValueError(INVALID_SETTING.format(name="prior_sd", rule="a positive number", value=prior_sd))
    if min_responses < 1:
        raise ValueError(INVALID_SETTING.format(name="min_responses", rule="at least 1", value=min_responses))
    if iterations < 0:
        raise ValueError(INVALID_SETTING.format(name="iterations", rule="at least 0", value=iterations))


def fit(
    responses: Iterable[ItemResponse],
    tags: Mapping[str, int],
    *,
    prior_sd: float = PRIOR_SD,
    min_responses: int = MIN_RESPONSES,
    iterations: int = ITERATIONS,
    version: str = "",
) -> Calibration:
    """Every question's most probable difficulty and guessing chance given its answers.

    ``tags`` gives the level tag of every question to calibrate (a question answered but not in
    ``tags`` is calibrated against the tag its answers carry; ``tags`` wins where both say).
    Questions with fewer than ``min_responses`` answers keep their tag parameters exactly.
    """
    _check_settings(prior_sd, min_responses, iterations)
    for key, level in tags.items():
        if not _is_tag(level):
            raise ValueError(INVALID_TAG.format(level=level) + f" ({key})")
    by_question: dict[str, list[ItemResponse]] = defaultdict(list)
    for response in responses:
        by_question[response.question].append(response)
    all_tags = {key: answers[0].level for key, answers in by_question.items()} | dict(tags)
    items = {
        key: _group(answers, all_tags[key])
        for key, answers in sorted(by_question.items())
        if len(answers) >= min_responses
    }
    grids = {key: _likelihood_grid(item) for key, item in items.items()}
    spread = prior_sd
    if len(items) >= MIN_QUESTIONS_FOR_SPREAD:
        for _ in range(iterations):
            updated = _spread(items, grids, spread)
            if abs(updated - spread) < 1e-4:
                spread = updated
                break
            spread = updated
    parameters: dict[str, FittedItem] = {}
    for key in sorted(all_tags):
        n = len(by_question.get(key, ()))
        if key in items:
            d, g = _map(items[key], grids[key], spread)
            parameters[key] = FittedItem(difficulty=d, guessing=g, responses=n)
        else:
            parameters[key] = FittedItem(difficulty=float(all_tags[key]), guessing=GUESS, responses=n)
    return Calibration(
        version=version, min_responses=min_responses, prior_sd=round(spread, 4), parameters=parameters
    )
