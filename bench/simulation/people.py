"""Simulated people for testing the adaptive skill assessment against known true levels.

This module is written apart from the estimator it is meant to test: it imports nothing from the
project (no Django, no ``assessments``), shares no code or parameters with the scoring, and was
written from the product issue's specification alone. Every number below is a named module constant
or a field of a frozen dataclass, so the assumptions a benchmark rests on can be read in one place.
Only the standard library is used; all randomness comes from a ``random.Random`` passed in by the
caller, so a run is reproducible from its seed.

Two parts:

1. **Worlds** draw a person's true level (0-4) per skill and the level they claim for it.

   * The true level of each skill is drawn independently, either ``uniform`` over 0-4 or ``skewed``
     (30/30/22/12/6% for levels 0..4, :data:`SKEWED_WEIGHTS`).
   * A claim is ``clip(round(T + b + e), 0, 4)``: ``b`` is the person's bias, drawn once per person
     from ``N(bias_mean, bias_sd)``; ``e`` is per-skill noise from ``N(0, noise_sd)``. Rounding is
     half up (``floor(x + 0.5)``; ties have probability zero). Then, with probability
     ``random_claim_share``, the claim is replaced by a uniformly random level 0-4 (which may equal
     the claim it replaces).
   * :data:`MODERATE`: ``b ~ N(+0.3, 0.7)``, ``e ~ N(0, 0.6)``, no random claims.
     :data:`HARSH`: ``b ~ N(+0.5, 1.0)``, ``e ~ N(0, 1.0)``, 20% random claims.
   * :func:`claim_distribution` gives the exact distribution of one claim for a new person (bias
     and noise integrated out: ``b + e ~ N(bias_mean, sqrt(bias_sd**2 + noise_sd**2))``), which the
     tests compare with samples.

2. **Answer models** say how a person of true level ``T`` answers a 4-option multiple-choice
   knowledge check tagged at level ``q`` (1-4), and with what certainty.

   * Depth ``x = q - T + level_shift`` (``level_shift`` is 0 except in :data:`HARDER`).
   * The specified probability of answering right is ``r(x)`` (:data:`NOMINAL_RIGHT_RATES`): 0.90
     for ``x <= 0``, 0.40 at ``x = 1``, 0.25 (chance with 4 options) for ``x >= 2``, and linear in
     between (only used when ``x`` is not a whole number, i.e. by :data:`HARDER`).
   * A person either *knows* the answer (and answers right), or does not know it; then they say
     "I don't know" with probability ``u(x) = clip(0.30 + 0.15 * x, 0.10, 0.60)``
     (:data:`DONT_KNOW_AT_LEVEL`, :data:`DONT_KNOW_SLOPE`, :data:`DONT_KNOW_MIN`,
     :data:`DONT_KNOW_MAX`), which rises the further out of depth they are, and otherwise guess
     uniformly among the 4 options (right with probability 1/4).
   * **Reconciling "I don't know" with the stated rates.** The rates 90/40/25% are read as the
     OVERALL probability of answering right, counting "I don't know" as not right (they are *not*
     rates among people who answer). The probability of knowing is calibrated so that this holds
     exactly: ``P(right) = k + (1 - k) * (1 - u) / 4 = r``, so
     ``k(x) = (r - g) / (1 - g)`` with ``g = (1 - u) / 4``. Because ``u > 0`` makes ``g < 1/4 <= r``,
     ``k`` is positive everywhere and the calibration is always possible. The price at ``x >= 2``
     is that some people (``k = u / (3 + u)``, 1/6 with ``u = 0.6``) "know" a question two levels
     above theirs; it is what keeps the right rate at chance while 50% of answers are "I don't know".
     The nominal model (whole depths) therefore is:

     =====  =====  ======  ==========  ======  ======
     depth    u      know  don't know   guess   right
     =====  =====  ======  ==========  ======  ======
     <= -2  0.10    0.871     0.013     0.116   0.900
       -1   0.15    0.873     0.019     0.108   0.900
        0   0.30    0.879     0.036     0.085   0.900
        1   0.45    0.304     0.313     0.383   0.400
     >= 2   0.60    0.167     0.500     0.333   0.250
     =====  =====  ======  ==========  ======  ======

   * **Certainty.** The person's felt probability of being right is their true probability of being
     right *for the answer they give* (1 when they know it, 1/4 when they guess) plus Gaussian noise
     with sd :data:`FELT_NOISE_SD`, clipped to [0, 1], then mapped with thresholds: below
     :data:`GUESSING_BELOW` "guessing", below :data:`FAIRLY_SURE_BELOW` "fairly_sure", else
     "certain". (Reading "true probability" as the population rate ``r(x)`` instead would make
     certainty carry no information about whether a particular answer is right, only about depth;
     the per-answer reading is the natural one for a person who knows whether they know.) An
     "I don't know" carries no certainty (``""``).
   * :data:`HARDER` (mis-specified): every question behaves as if its level were half a level higher
     than tagged (``level_shift = 0.5``); ``r`` and ``u`` are interpolated linearly in the depth. It
     is strictly harder than nominal at depths 0 and 1 (0.65 and 0.325 right instead of 0.90 and
     0.40) and equal where the nominal rate is flat on both sides of the shift (depth <= -1 stays
     0.90, depth >= 2 stays at chance).
   * :data:`GUESSY` (mis-specified): 10% of all answers (:data:`GUESSY_EXTRA_GUESS_SHARE`) are moved
     to blind guesses, taken proportionally from the "know" and "I don't know" mass of the nominal
     model; those extra guesses are right with probability 1/4 and over-confident: their felt
     probability is shifted up by :data:`GUESSY_FELT_SHIFT` (+0.30). Ordinary guesses keep their
     honest felt probability. This lowers the right rate to about 0.83 / 0.38 at depth <= 0 / 1 (at
     depth >= 2 it stays 0.25: there the moved mass is right a quarter of the time either way) and
     the "I don't know" rate by at least a tenth of itself at every depth. Because the "know" share
     of the moved mass is a little larger well below one's level, guessy's right rate is not quite
     monotone there: 0.829 at depth 0 but 0.827 at depth -1 and 0.826 at depth <= -2.

:func:`p_right`, :func:`p_dont_know`, :func:`answer_states` and :func:`response_distribution` are
the exact probabilities behind :func:`respond`, used by the tests. Gaming strategies with the same
call shape as :func:`respond` (:func:`respond_dont_know`, :func:`respond_random`, and
:func:`always_certain` / :func:`with_certainty` to claim "certain" on every answer) check that the
assessment cannot be gamed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

# --- Levels ------------------------------------------------------------------------------------

MIN_LEVEL = 0
"""Lowest skill level (knows nothing)."""
MAX_LEVEL = 4
"""Highest skill level."""
LEVELS: tuple[int, ...] = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))
"""Every skill level a person can have or claim: 0-4."""
QUESTION_LEVELS: tuple[int, ...] = (1, 2, 3, 4)
"""Levels a knowledge check can be tagged at."""
OPTIONS_PER_QUESTION = 4
"""Options of a multiple-choice knowledge check."""
CHANCE = 1 / OPTIONS_PER_QUESTION
"""Probability that a uniform guess among the options is right."""

# --- Worlds ------------------------------------------------------------------------------------

POPULATIONS: tuple[str, ...] = ("uniform", "skewed")
"""How true levels are drawn: ``uniform`` over 0-4, or ``skewed`` (:data:`SKEWED_WEIGHTS`)."""
UNIFORM_WEIGHTS: tuple[float, ...] = (0.2, 0.2, 0.2, 0.2, 0.2)
"""Probabilities of true levels 0..4 in the ``uniform`` population."""
SKEWED_WEIGHTS: tuple[float, ...] = (0.30, 0.30, 0.22, 0.12, 0.06)
"""Probabilities of true levels 0..4 in the ``skewed`` population (most people are beginners)."""


@dataclass(frozen=True)
class World:
    """How people rate themselves.

    A claim is ``clip(round(T + b + e), 0, 4)``, then replaced by a uniform level 0-4 with
    probability ``random_claim_share``.
    """

    name: str
    bias_mean: float
    """Mean of the person's bias ``b``, drawn once per person (positive: people over-rate)."""
    bias_sd: float
    """Standard deviation of the person's bias across people."""
    noise_sd: float
    """Standard deviation of the per-skill noise ``e`` (drawn for every claim)."""
    random_claim_share: float
    """Share of claims replaced by a uniformly random level 0-4 (careless or mischievous ratings)."""

    def __post_init__(self) -> None:
        if self.bias_sd < 0 or self.noise_sd < 0:
            raise ValueError(f"{self.name}: standard deviations must not be negative")
        if not 0 <= self.random_claim_share <= 1:
            raise ValueError(f"{self.name}: random_claim_share must be within [0, 1]")


MODERATE = World(name="moderate", bias_mean=0.3, bias_sd=0.7, noise_sd=0.6, random_claim_share=0.0)
"""People over-rate by 0.3 levels on average; bias varies by person (sd 0.7), claims are noisy (0.6)."""
HARSH = World(name="harsh", bias_mean=0.5, bias_sd=1.0, noise_sd=1.0, random_claim_share=0.2)
"""Stronger over-rating, more spread and noise, and 20% of claims replaced by a random level."""
WORLDS: dict[str, World] = {"moderate": MODERATE, "harsh": HARSH}


def population_weights(population: str) -> tuple[float, ...]:
    """Probabilities of true levels 0..4 in ``population`` (one of :data:`POPULATIONS`)."""
    if population == "uniform":
        return UNIFORM_WEIGHTS
    if population == "skewed":
        return SKEWED_WEIGHTS
    raise ValueError(f"unknown population {population!r}; expected one of {POPULATIONS}")


def true_levels(rng: random.Random, skills: Sequence[str], population: str) -> dict[str, int]:
    """A person's true level for each skill, drawn independently from ``population``."""
    weights = population_weights(population)
    return {skill: rng.choices(LEVELS, weights=weights)[0] for skill in skills}


def person_bias(rng: random.Random, world: World) -> float:
    """The person's self-rating bias ``b ~ N(bias_mean, bias_sd)``, drawn once per person."""
    return rng.gauss(world.bias_mean, world.bias_sd)


def _clip_level(value: int) -> int:
    return max(MIN_LEVEL, min(MAX_LEVEL, value))


def claim(rng: random.Random, true_level: int, world: World, bias: float) -> int:
    """One self-rating: ``clip(round(T + bias + e), 0, 4)``, or a random level (``random_claim_share``)."""
    _check_level(true_level, LEVELS, "true level")
    noise = rng.gauss(0.0, world.noise_sd)
    rated = _clip_level(math.floor(true_level + bias + noise + 0.5))
    if world.random_claim_share > 0 and rng.random() < world.random_claim_share:
        rated = rng.choice(LEVELS)
    return rated


def claims(rng: random.Random, true: Mapping[str, int], world: World, bias: float) -> dict[str, int]:
    """The person's claimed level for each skill of ``true`` (in its order), sharing one ``bias``."""
    return {skill: claim(rng, level, world, bias) for skill, level in true.items()}


def _p_below(bound: float, mean: float, sd: float) -> float:
    """``P(Y < bound)`` for ``Y ~ N(mean, sd)``; a point mass when ``sd`` is 0."""
    if sd == 0:
        return 1.0 if mean < bound else 0.0
    return 0.5 * (1.0 + math.erf((bound - mean) / (sd * math.sqrt(2.0))))


def claim_distribution(world: World, true_level: int) -> tuple[float, ...]:
    """Exact probabilities of claims 0..4 for a person of ``true_level`` whose bias is not yet known.

    ``T + b + e ~ N(T + bias_mean, sqrt(bias_sd**2 + noise_sd**2))``, rounded half up and clipped,
    mixed with a uniform level with weight ``random_claim_share``.
    """
    _check_level(true_level, LEVELS, "true level")
    mean = true_level + world.bias_mean
    sd = math.hypot(world.bias_sd, world.noise_sd)
    upper = [_p_below(level + 0.5, mean, sd) for level in LEVELS[:-1]] + [1.0]
    lower = [0.0, *upper[:-1]]
    share = world.random_claim_share
    return tuple((1 - share) * (hi - lo) + share / len(LEVELS) for lo, hi in zip(lower, upper, strict=True))


def expected_claim_offset(world: World, population: str) -> float:
    """Exact ``E[claim - true level]`` over ``population`` for new people: the bias after clipping."""
    total = 0.0
    for level, weight in zip(LEVELS, population_weights(population), strict=True):
        distribution = claim_distribution(world, level)
        total += weight * sum(p * (c - level) for c, p in zip(LEVELS, distribution, strict=True))
    return total


@dataclass(frozen=True)
class Person:
    """A simulated person: true levels, claimed levels (same skills, same order) and their bias.

    Frozen, but holds dicts, so it is not hashable; do not mutate the dicts.
    """

    true_levels: dict[str, int]
    claims: dict[str, int]
    bias: float


def make_person(rng: random.Random, skills: Sequence[str], world: World, population: str) -> Person:
    """Draw true levels from ``population``, one bias, then a claim per skill in ``world``."""
    true = true_levels(rng, skills, population)
    bias = person_bias(rng, world)
    return Person(true_levels=true, claims=claims(rng, true, world, bias), bias=bias)


# --- Answer models -----------------------------------------------------------------------------

Outcome: TypeAlias = Literal["right", "wrong", "dont_know"]
OUTCOMES: tuple[Outcome, ...] = ("right", "wrong", "dont_know")
"""Every outcome of a knowledge check; "dont_know" is the "I don't know" answer."""
CERTAINTIES: tuple[str, ...] = ("guessing", "fairly_sure", "certain")
"""Certainties an answer can carry, least to most sure."""
NO_CERTAINTY = ""
"""The certainty of an "I don't know" answer."""

NOMINAL_RIGHT_RATES: tuple[float, float, float] = (0.90, 0.40, 0.25)
"""P(right) at depth ``q - T`` = 0 (and below), 1, and 2 (and beyond), "I don't know" counting as not right."""
DONT_KNOW_AT_LEVEL = 0.30
"""P("I don't know" | not knowing) at depth 0."""
DONT_KNOW_SLOPE = 0.15
"""Rise of P("I don't know" | not knowing) per level of depth."""
DONT_KNOW_MIN = 0.10
"""Floor of P("I don't know" | not knowing), reached well below one's level."""
DONT_KNOW_MAX = 0.60
"""Ceiling of P("I don't know" | not knowing), reached two levels above one's level."""
FELT_IF_KNOWING = 1.0
"""True probability of being right when the person knows the answer (the base of their felt probability)."""
FELT_NOISE_SD = 0.20
"""Standard deviation of the Gaussian noise on the felt probability of being right."""
GUESSING_BELOW = 0.45
"""A felt probability below this is "guessing"."""
FAIRLY_SURE_BELOW = 0.80
"""A felt probability below this (and not "guessing") is "fairly_sure"; from it up, "certain"."""
HARDER_LEVEL_SHIFT = 0.5
"""How much higher than tagged every question behaves in the :data:`HARDER` model, in levels."""
GUESSY_EXTRA_GUESS_SHARE = 0.10
"""Share of all answers moved to blind guesses in the :data:`GUESSY` model."""
GUESSY_FELT_SHIFT = 0.30
"""Upward shift of the felt probability of those blind guesses (over-confidence)."""


@dataclass(frozen=True)
class AnswerModel:
    """How a simulated person answers a knowledge check; see the module docstring for the model."""

    name: str
    level_shift: float = 0.0
    """Every question behaves as if its level were this much higher than tagged."""
    extra_guess_share: float = 0.0
    """Share of all answers moved to blind guesses, proportionally from the "know" and "I don't know" mass."""
    extra_guess_felt_shift: float = 0.0
    """Added to the felt probability of the blind guesses (over-confidence)."""
    right_rates: tuple[float, float, float] = NOMINAL_RIGHT_RATES
    """P(right) at depth 0 (and below), 1, and 2 (and beyond); linear in between."""
    dont_know_at_level: float = DONT_KNOW_AT_LEVEL
    """P("I don't know" | not knowing) at depth 0."""
    dont_know_slope: float = DONT_KNOW_SLOPE
    """Rise of P("I don't know" | not knowing) per level of depth."""
    dont_know_min: float = DONT_KNOW_MIN
    """Floor of P("I don't know" | not knowing)."""
    dont_know_max: float = DONT_KNOW_MAX
    """Ceiling of P("I don't know" | not knowing)."""
    felt_noise_sd: float = FELT_NOISE_SD
    """Standard deviation of the noise on the felt probability of being right."""
    guessing_below: float = GUESSING_BELOW
    """Felt probability below which the certainty is "guessing"."""
    fairly_sure_below: float = FAIRLY_SURE_BELOW
    """Felt probability below which the certainty is "fairly_sure" (from it up: "certain")."""

    def __post_init__(self) -> None:
        rates = self.right_rates
        if not all(CHANCE <= rate <= 1 for rate in rates) or list(rates) != sorted(rates, reverse=True):
            raise ValueError(f"{self.name}: right_rates must be non-increasing within [1/4, 1]")
        if not 0 <= self.dont_know_min <= self.dont_know_max <= 1:
            raise ValueError(f"{self.name}: need 0 <= dont_know_min <= dont_know_max <= 1")
        if self.dont_know_slope < 0:
            raise ValueError(f"{self.name}: dont_know_slope must not be negative")
        if not 0 <= self.extra_guess_share <= 1:
            raise ValueError(f"{self.name}: extra_guess_share must be within [0, 1]")
        if self.felt_noise_sd < 0:
            raise ValueError(f"{self.name}: felt_noise_sd must not be negative")
        if not 0 < self.guessing_below < self.fairly_sure_below <= 1:
            raise ValueError(f"{self.name}: need 0 < guessing_below < fairly_sure_below <= 1")


NOMINAL = AnswerModel(name="nominal")
"""The specified model: 90/40/25% right at depth 0 (or below) / 1 / 2 (or beyond)."""
HARDER = AnswerModel(name="harder", level_shift=HARDER_LEVEL_SHIFT)
"""Mis-specified: every question behaves half a level harder than tagged."""
GUESSY = AnswerModel(
    name="guessy", extra_guess_share=GUESSY_EXTRA_GUESS_SHARE, extra_guess_felt_shift=GUESSY_FELT_SHIFT
)
"""Mis-specified: 10% of answers become over-confident blind guesses."""
ANSWER_MODELS: dict[str, AnswerModel] = {"nominal": NOMINAL, "harder": HARDER, "guessy": GUESSY}


@dataclass(frozen=True)
class Response:
    """One answer to a knowledge check."""

    outcome: Outcome
    certainty: str
    """``""`` for "dont_know", else one of :data:`CERTAINTIES`."""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        if self.outcome == "dont_know":
            if self.certainty != NO_CERTAINTY:
                raise ValueError("an 'I don't know' answer carries no certainty")
        elif self.certainty not in CERTAINTIES:
            raise ValueError(f"unknown certainty {self.certainty!r}; expected one of {CERTAINTIES}")


DONT_KNOW = Response(outcome="dont_know", certainty=NO_CERTAINTY)
"""The "I don't know" answer."""


@dataclass(frozen=True)
class AnswerStates:
    """What goes on in the person's head, as probabilities summing to 1."""

    know: float
    """Knows the answer (answers right)."""
    dont_know: float
    """Does not know it and says "I don't know"."""
    guess: float
    """Does not know it and guesses uniformly (honest felt probability)."""
    blind_guess: float = 0.0
    """Extra blind guess of :data:`GUESSY` (over-confident felt probability)."""

    @property
    def p_right(self) -> float:
        return self.know + (self.guess + self.blind_guess) * CHANCE

    @property
    def p_wrong(self) -> float:
        return (self.guess + self.blind_guess) * (1 - CHANCE)


def _check_level(level: int, allowed: Sequence[int], what: str) -> None:
    if level not in allowed:
        raise ValueError(f"{what} {level!r} is not one of {tuple(allowed)}")


def depth(model: AnswerModel, true_level: int, question_level: int) -> float:
    """How far above the person's true level the question behaves: ``q - T + level_shift``."""
    _check_level(true_level, LEVELS, "true level")
    _check_level(question_level, QUESTION_LEVELS, "question level")
    return question_level - true_level + model.level_shift


def right_rate(model: AnswerModel, at_depth: float) -> float:
    """The specified P(right) at a depth: flat below 0 and above 2, linear between the anchors."""
    at_0, at_1, at_2 = model.right_rates
    if at_depth <= 0:
        return at_0
    if at_depth <= 1:
        return at_0 + (at_1 - at_0) * at_depth
    if at_depth <= 2:
        return at_1 + (at_2 - at_1) * (at_depth - 1)
    return at_2


def dont_know_rate(model: AnswerModel, at_depth: float) -> float:
    """P("I don't know" | not knowing) at a depth: rises linearly with depth, clipped."""
    raw = model.dont_know_at_level + model.dont_know_slope * at_depth
    return max(model.dont_know_min, min(model.dont_know_max, raw))


def answer_states(model: AnswerModel, true_level: int, question_level: int) -> AnswerStates:
    """Exact probabilities of knowing, saying "I don't know", guessing and blind guessing.

    The probability of knowing is calibrated so that P(right), "I don't know" counting as not right,
    is exactly :func:`right_rate` before any extra guessing.
    """
    at_depth = depth(model, true_level, question_level)
    rate = right_rate(model, at_depth)
    unsure = dont_know_rate(model, at_depth)
    lucky = (1 - unsure) * CHANCE  # P(right | not knowing)
    know = (rate - lucky) / (1 - lucky)
    dont_know = (1 - know) * unsure
    guess = (1 - know) * (1 - unsure)
    moved = min(model.extra_guess_share, know + dont_know)
    if moved > 0:
        keep = (know + dont_know - moved) / (know + dont_know)
        know, dont_know = know * keep, dont_know * keep
    return AnswerStates(know=know, dont_know=dont_know, guess=guess, blind_guess=moved)


def p_right(model: AnswerModel, true_level: int, question_level: int) -> float:
    """The exact probability that :func:`respond` answers right."""
    return answer_states(model, true_level, question_level).p_right


def p_dont_know(model: AnswerModel, true_level: int, question_level: int) -> float:
    """The exact probability that :func:`respond` says "I don't know"."""
    return answer_states(model, true_level, question_level).dont_know


def certainty_for(model: AnswerModel, felt: float) -> str:
    """Map a felt probability of being right to a certainty with the model's thresholds."""
    if felt < model.guessing_below:
        return "guessing"
    if felt < model.fairly_sure_below:
        return "fairly_sure"
    return "certain"


def _felt_certainty(rng: random.Random, model: AnswerModel, truth: float) -> str:
    felt = min(1.0, max(0.0, truth + rng.gauss(0.0, model.felt_noise_sd)))
    return certainty_for(model, felt)


def certainty_distribution(model: AnswerModel, truth: float) -> dict[str, float]:
    """Exact probabilities of each certainty when the felt probability is ``truth`` plus noise.

    Clipping to [0, 1] does not matter: both thresholds lie inside (0, 1].
    """
    below_guessing = _p_below(model.guessing_below, truth, model.felt_noise_sd)
    below_sure = _p_below(model.fairly_sure_below, truth, model.felt_noise_sd)
    return {"guessing": below_guessing, "fairly_sure": below_sure - below_guessing, "certain": 1 - below_sure}


def respond(rng: random.Random, model: AnswerModel, true_level: int, question_level: int) -> Response:
    """How a person of ``true_level`` answers a knowledge check tagged at ``question_level``."""
    states = answer_states(model, true_level, question_level)
    draw = rng.random()
    if draw < states.know:
        return Response(outcome="right", certainty=_felt_certainty(rng, model, FELT_IF_KNOWING))
    if draw < states.know + states.dont_know:
        return DONT_KNOW
    blind = draw >= states.know + states.dont_know + states.guess
    right = rng.randrange(OPTIONS_PER_QUESTION) == 0
    truth = CHANCE + (model.extra_guess_felt_shift if blind else 0.0)
    return Response(outcome="right" if right else "wrong", certainty=_felt_certainty(rng, model, truth))


def response_distribution(model: AnswerModel, true_level: int, question_level: int) -> dict[Response, float]:
    """Exact probability of every possible :class:`Response` of :func:`respond` (summing to 1)."""
    states = answer_states(model, true_level, question_level)
    result: dict[Response, float] = {DONT_KNOW: states.dont_know}
    knowing = certainty_distribution(model, FELT_IF_KNOWING)
    guessing = certainty_distribution(model, CHANCE)
    blind = certainty_distribution(model, CHANCE + model.extra_guess_felt_shift)
    for certainty in CERTAINTIES:
        guessed = states.guess * guessing[certainty] + states.blind_guess * blind[certainty]
        result[Response("right", certainty)] = states.know * knowing[certainty] + guessed * CHANCE
        result[Response("wrong", certainty)] = guessed * (1 - CHANCE)
    return result


# --- Gaming strategies -------------------------------------------------------------------------

Responder: TypeAlias = Callable[[random.Random, AnswerModel, int, int], Response]
"""Anything with the call shape of :func:`respond`: ``(rng, model, true_level, question_level)``."""


def respond_dont_know(
    rng: random.Random, model: AnswerModel, true_level: int, question_level: int
) -> Response:
    """Gaming: say "I don't know" to everything (draws nothing from ``rng``)."""
    _check_level(true_level, LEVELS, "true level")
    _check_level(question_level, QUESTION_LEVELS, "question level")
    return DONT_KNOW


def respond_random(rng: random.Random, model: AnswerModel, true_level: int, question_level: int) -> Response:
    """Gaming: guess uniformly (right with probability 1/4) with a uniformly drawn certainty."""
    _check_level(true_level, LEVELS, "true level")
    _check_level(question_level, QUESTION_LEVELS, "question level")
    right = rng.randrange(OPTIONS_PER_QUESTION) == 0
    return Response(outcome="right" if right else "wrong", certainty=rng.choice(CERTAINTIES))


def with_certainty(response: Response, certainty: str) -> Response:
    """The same outcome with ``certainty`` instead; an "I don't know" stays as it is (it has none)."""
    if certainty not in CERTAINTIES:
        raise ValueError(f"unknown certainty {certainty!r}; expected one of {CERTAINTIES}")
    if response.outcome == "dont_know":
        return response
    return Response(outcome=response.outcome, certainty=certainty)


def always_certain(responder: Responder) -> Responder:
    """Gaming: answer as ``responder`` does, but claim "certain" on every answer."""

    def certain(rng: random.Random, model: AnswerModel, true_level: int, question_level: int) -> Response:
        return with_certainty(responder(rng, model, true_level, question_level), "certain")

    return certain


@dataclass(frozen=True)
class Strategy:
    """A named way of answering, honest or gaming."""

    name: str
    responder: Responder = field(compare=False)
    honest: bool


STRATEGIES: dict[str, Strategy] = {
    strategy.name: strategy
    for strategy in (
        Strategy(name="honest", responder=respond, honest=True),
        Strategy(name="dont_know", responder=respond_dont_know, honest=False),
        Strategy(name="random", responder=respond_random, honest=False),
        Strategy(name="random_certain", responder=always_certain(respond_random), honest=False),
        Strategy(name="honest_certain", responder=always_certain(respond), honest=False),
    )
}
"""Ways of answering for the benchmark: the honest model and the gaming strategies."""
