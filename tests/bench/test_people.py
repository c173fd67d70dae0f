"""Tests of the simulated people (bench/simulation/people.py): worlds, answer models, gaming strategies.

Pure Python: no database. Samples use fixed seeds; tolerances are 4.5 standard errors of the
quantity checked, so a correct model fails by chance well under once in 100,000 checks.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence

import pytest

from bench.simulation import people
from bench.simulation.people import (
    ANSWER_MODELS,
    CERTAINTIES,
    DONT_KNOW,
    GUESSY,
    HARDER,
    HARSH,
    LEVELS,
    MODERATE,
    NOMINAL,
    OUTCOMES,
    POPULATIONS,
    QUESTION_LEVELS,
    SKEWED_WEIGHTS,
    STRATEGIES,
    WORLDS,
    AnswerModel,
    Response,
    World,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    HAS_HYPOTHESIS = True
except ImportError:  # pragma: no cover - hypothesis is a dev requirement
    HAS_HYPOTHESIS = False

SEED = 20_240_601
N = 20_000
SKILLS: tuple[str, ...] = tuple(f"skill-{index:02d}" for index in range(40))
PAIRS: tuple[tuple[int, int], ...] = tuple((t, q) for t in LEVELS for q in QUESTION_LEVELS)
CERTAINTY_RANK = {certainty: rank for rank, certainty in enumerate(CERTAINTIES)}


def tolerance(p: float, n: int, sigmas: float = 4.5) -> float:
    """Allowed distance of an observed share from ``p`` after ``n`` draws."""
    return sigmas * math.sqrt(max(p * (1 - p), 1e-4) / n)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def pairs_at(depth_of: int) -> list[tuple[int, int]]:
    """(true level, question level) pairs at a depth; -1 stands for "0 or below", 2 for "2 or beyond"."""
    if depth_of <= 0:
        return [(t, q) for t, q in PAIRS if q - t <= 0]
    if depth_of == 1:
        return [(t, q) for t, q in PAIRS if q - t == 1]
    return [(t, q) for t, q in PAIRS if q - t >= 2]


def sample_at(
    rng: random.Random, model: AnswerModel, pairs: list[tuple[int, int]], n: int
) -> Iterator[Response]:
    for index in range(n):
        true_level, question_level = pairs[index % len(pairs)]
        yield people.respond(rng, model, true_level, question_level)


# --- Worlds ------------------------------------------------------------------------------------


def test_world_parameters_are_the_specified_ones() -> None:
    assert World("moderate", bias_mean=0.3, bias_sd=0.7, noise_sd=0.6, random_claim_share=0.0) == MODERATE
    assert World("harsh", bias_mean=0.5, bias_sd=1.0, noise_sd=1.0, random_claim_share=0.2) == HARSH
    assert WORLDS == {"moderate": MODERATE, "harsh": HARSH}
    assert POPULATIONS == ("uniform", "skewed")
    assert SKEWED_WEIGHTS == (0.30, 0.30, 0.22, 0.12, 0.06)
    assert math.isclose(sum(SKEWED_WEIGHTS), 1.0)


@pytest.mark.parametrize("population", POPULATIONS)
def test_true_levels_follow_the_population(population: str) -> None:
    rng = random.Random(SEED)
    counts: Counter[int] = Counter()
    for _ in range(N // len(SKILLS)):
        levels = people.true_levels(rng, SKILLS, population)
        assert list(levels) == list(SKILLS)
        counts.update(levels.values())
    total = sum(counts.values())
    assert total == N
    for level, weight in zip(LEVELS, people.population_weights(population), strict=True):
        assert abs(counts[level] / total - weight) < tolerance(weight, total)


def test_unknown_population_and_bad_world_are_rejected() -> None:
    with pytest.raises(ValueError, match="population"):
        people.true_levels(random.Random(SEED), SKILLS, "normal")
    with pytest.raises(ValueError):
        World("broken", bias_mean=0.0, bias_sd=-1.0, noise_sd=0.0, random_claim_share=0.0)
    with pytest.raises(ValueError):
        World("broken", bias_mean=0.0, bias_sd=0.0, noise_sd=0.0, random_claim_share=1.5)


def draw_offsets(world: World, population: str, seed: int = SEED) -> tuple[list[int], list[int]]:
    """True levels and claims of N new people, one skill each."""
    rng = random.Random(seed)
    trues: list[int] = []
    claimed: list[int] = []
    for _ in range(N):
        person = people.make_person(rng, SKILLS[:1], world, population)
        trues.append(person.true_levels[SKILLS[0]])
        claimed.append(person.claims[SKILLS[0]])
    return trues, claimed


@pytest.mark.parametrize("population", POPULATIONS)
def test_moderate_mean_claim_offset_is_the_bias_after_clipping(population: str) -> None:
    trues, claimed = draw_offsets(MODERATE, population)
    offsets = [c - t for t, c in zip(trues, claimed, strict=True)]
    expected = people.expected_claim_offset(MODERATE, population)
    sd = math.sqrt(mean([(o - expected) ** 2 for o in offsets]))
    assert abs(mean(offsets) - expected) < 4.5 * sd / math.sqrt(N)
    # Clipping at 4 pulls the uniform population below the +0.3 bias; the skewed one, mostly
    # beginners (clipped up at 0), lands slightly above it.
    if population == "uniform":
        assert 0.15 < expected < MODERATE.bias_mean
    else:
        assert MODERATE.bias_mean < expected < 0.4


def test_moderate_offset_in_the_middle_is_the_bias() -> None:
    # At true level 2 clipping hardly matters: the mean claim is 2 + 0.3.
    distribution = people.claim_distribution(MODERATE, 2)
    expected = sum(p * c for c, p in zip(LEVELS, distribution, strict=True))
    assert abs(expected - 2 - MODERATE.bias_mean) < 0.02
    rng = random.Random(SEED)
    offsets = [people.claim(rng, 2, MODERATE, people.person_bias(rng, MODERATE)) - 2 for _ in range(N)]
    assert abs(mean(offsets) - MODERATE.bias_mean) < 0.04


@pytest.mark.parametrize("world", [MODERATE, HARSH], ids=lambda world: world.name)
def test_claim_distribution_per_true_level_matches_samples(world: World) -> None:
    trues, claimed = draw_offsets(world, "uniform")
    by_level: dict[int, Counter[int]] = {level: Counter() for level in LEVELS}
    for t, c in zip(trues, claimed, strict=True):
        by_level[t][c] += 1
    for level, counts in by_level.items():
        total = sum(counts.values())
        exact = people.claim_distribution(world, level)
        assert math.isclose(sum(exact), 1.0)
        for c in LEVELS:
            assert abs(counts[c] / total - exact[c]) < tolerance(exact[c], total), (world.name, level, c)


def test_harsh_world_replaces_a_fifth_of_claims_with_random_levels() -> None:
    # Without bias and noise every claim is the true level, unless it is replaced: then it differs
    # with probability 4/5.
    exact_world = dataclasses.replace(HARSH, name="replace-only", bias_mean=0.0, bias_sd=0.0, noise_sd=0.0)
    rng = random.Random(SEED)
    changed: Counter[int] = Counter()
    differs = 0
    for index in range(N):
        true_level = LEVELS[index % len(LEVELS)]
        rated = people.claim(rng, true_level, exact_world, bias=0.0)
        if rated != true_level:
            differs += 1
            changed[rated - true_level] += 1
    expected = HARSH.random_claim_share * (1 - 1 / len(LEVELS))
    assert math.isclose(expected, 0.16)
    assert abs(differs / N - expected) < tolerance(expected, N)
    # Moderate never replaces: its claims without noise are exact.
    calm = dataclasses.replace(MODERATE, bias_mean=0.0, bias_sd=0.0, noise_sd=0.0)
    assert all(people.claim(rng, t, calm, 0.0) == t for t in LEVELS for _ in range(100))
    # In the harsh world every level keeps at least the random share's 4%.
    for level in LEVELS:
        assert min(people.claim_distribution(HARSH, level)) >= HARSH.random_claim_share / len(LEVELS)


def test_harsh_claims_are_noisier_than_moderate() -> None:
    for population in POPULATIONS:
        spread = {}
        for world in (MODERATE, HARSH):
            trues, claimed = draw_offsets(world, population)
            spread[world.name] = mean([abs(c - t) for t, c in zip(trues, claimed, strict=True)])
        assert spread["harsh"] > spread["moderate"] + 0.3


def test_bias_is_drawn_once_per_person() -> None:
    rng = random.Random(SEED)
    biases: list[float] = []
    offsets: list[float] = []
    for _ in range(1_000):
        person = people.make_person(rng, SKILLS, MODERATE, "uniform")
        assert list(person.true_levels) == list(SKILLS) == list(person.claims)
        middle = [s for s in SKILLS if person.true_levels[s] == 2]
        if len(middle) >= 3:
            biases.append(person.bias)
            offsets.append(mean([person.claims[s] - 2 for s in middle]))
    assert abs(mean(biases) - MODERATE.bias_mean) < 0.1
    bias_mean, offset_mean = mean(biases), mean(offsets)
    covariance = mean([(b - bias_mean) * (o - offset_mean) for b, o in zip(biases, offsets, strict=True)])
    correlation = covariance / math.sqrt(
        mean([(b - bias_mean) ** 2 for b in biases]) * mean([(o - offset_mean) ** 2 for o in offsets])
    )
    assert correlation > 0.7


def test_person_bias_spread() -> None:
    for world in (MODERATE, HARSH):
        rng = random.Random(SEED)
        biases = [people.person_bias(rng, world) for _ in range(N)]
        assert abs(mean(biases) - world.bias_mean) < 4.5 * world.bias_sd / math.sqrt(N)
        sd = math.sqrt(mean([(b - world.bias_mean) ** 2 for b in biases]))
        assert abs(sd - world.bias_sd) < 0.03


# --- Answer models -----------------------------------------------------------------------------


def test_answer_model_constants() -> None:
    assert ANSWER_MODELS == {"nominal": NOMINAL, "harder": HARDER, "guessy": GUESSY}
    assert NOMINAL.right_rates == (0.90, 0.40, 0.25)
    assert HARDER.level_shift == 0.5
    assert GUESSY.extra_guess_share == pytest.approx(0.10)
    assert GUESSY.extra_guess_felt_shift == pytest.approx(0.30)
    assert OUTCOMES == ("right", "wrong", "dont_know")
    assert CERTAINTIES == ("guessing", "fairly_sure", "certain")


@pytest.mark.parametrize(("true_level", "question_level"), PAIRS)
def test_nominal_exact_right_rates(true_level: int, question_level: int) -> None:
    gap = question_level - true_level
    expected = 0.90 if gap <= 0 else 0.40 if gap == 1 else 0.25
    assert people.p_right(NOMINAL, true_level, question_level) == pytest.approx(expected, abs=1e-12)
    states = people.answer_states(NOMINAL, true_level, question_level)
    assert states.know + states.dont_know + states.guess + states.blind_guess == pytest.approx(1.0)
    assert min(states.know, states.dont_know, states.guess) > 0


@pytest.mark.parametrize(("depth_of", "expected"), [(0, 0.90), (1, 0.40), (2, 0.25)])
def test_nominal_empirical_right_rates(depth_of: int, expected: float) -> None:
    outcomes = Counter(r.outcome for r in sample_at(random.Random(SEED), NOMINAL, pairs_at(depth_of), N))
    assert abs(outcomes["right"] / N - expected) < tolerance(expected, N)


def test_dont_know_rises_with_depth() -> None:
    for true_level in LEVELS:
        rates = [people.p_dont_know(NOMINAL, true_level, q) for q in QUESTION_LEVELS]
        assert rates == sorted(rates)
    assert (
        people.p_dont_know(NOMINAL, 1, 1)
        < people.p_dont_know(NOMINAL, 1, 2)
        < people.p_dont_know(NOMINAL, 1, 3)
    )
    rng = random.Random(SEED)
    shares = [
        Counter(r.outcome for r in sample_at(rng, NOMINAL, pairs_at(d), N))["dont_know"] / N
        for d in (0, 1, 2)
    ]
    assert shares[0] < 0.06 < 0.25 < shares[1] < 0.4 < shares[2]


@pytest.mark.parametrize("model", ANSWER_MODELS.values(), ids=lambda model: model.name)
def test_p_right_and_response_distribution_match_samples(model: AnswerModel) -> None:
    n = 4_000
    rng = random.Random(SEED)
    for true_level, question_level in PAIRS:
        counts = Counter(people.respond(rng, model, true_level, question_level) for _ in range(n))
        right = sum(count for response, count in counts.items() if response.outcome == "right")
        expected_right = people.p_right(model, true_level, question_level)
        assert abs(right / n - expected_right) < tolerance(expected_right, n)
        exact = people.response_distribution(model, true_level, question_level)
        assert set(counts) <= set(exact)
        assert sum(exact.values()) == pytest.approx(1.0)
        assert sum(p for r, p in exact.items() if r.outcome == "right") == pytest.approx(expected_right)
        for response, p in exact.items():
            assert abs(counts[response] / n - p) < tolerance(p, n), (true_level, question_level, response)


@pytest.mark.parametrize(("true_level", "question_level"), PAIRS)
def test_harder_is_never_easier_and_strictly_harder_at_and_just_above_level(
    true_level: int, question_level: int
) -> None:
    nominal = people.p_right(NOMINAL, true_level, question_level)
    harder = people.p_right(HARDER, true_level, question_level)
    gap = question_level - true_level
    if gap in (0, 1):
        assert harder < nominal - 0.05
    else:  # the specified rates are flat on both sides of the half-level shift
        assert harder == pytest.approx(nominal)
    assert harder == pytest.approx({0: 0.65, 1: 0.325}.get(gap, nominal))
    assert people.p_dont_know(HARDER, true_level, question_level) >= people.p_dont_know(
        NOMINAL, true_level, question_level
    )


def test_harder_is_harder_in_samples() -> None:
    for depth_of in (0, 1):
        pairs = pairs_at(depth_of)
        rates = {
            model.name: Counter(r.outcome for r in sample_at(random.Random(SEED), model, pairs, N))["right"]
            / N
            for model in (NOMINAL, HARDER)
        }
        assert rates["harder"] < rates["nominal"] - 0.05


def certainty_shares(responses: list[Response]) -> dict[str, float]:
    counts = Counter(r.certainty for r in responses)
    return {c: counts[c] / max(1, len(responses)) for c in CERTAINTIES}


def test_guessy_says_dont_know_less_and_is_over_confident() -> None:
    for true_level, question_level in PAIRS:
        nominal = people.p_dont_know(NOMINAL, true_level, question_level)
        guessy = people.p_dont_know(GUESSY, true_level, question_level)
        assert guessy <= 0.9 * nominal + 1e-12
        assert (
            people.p_right(GUESSY, true_level, question_level)
            <= people.p_right(NOMINAL, true_level, question_level) + 1e-12
        )
    samples = {
        model.name: [
            people.respond(rng, model, t, q)
            for rng in [random.Random(SEED)]
            for _ in range(N // len(PAIRS))
            for t, q in PAIRS
        ]
        for model in (NOMINAL, GUESSY)
    }
    dont_know = {name: sum(r.outcome == "dont_know" for r in rs) / len(rs) for name, rs in samples.items()}
    assert dont_know["guessy"] < dont_know["nominal"] - 0.02
    wrong = {name: certainty_shares([r for r in rs if r.outcome == "wrong"]) for name, rs in samples.items()}
    # Wrong answers are guesses; guessy's extra ones feel far surer than they are.
    assert wrong["guessy"]["guessing"] < wrong["nominal"]["guessing"] - 0.08
    assert wrong["guessy"]["certain"] > wrong["nominal"]["certain"] + 0.02
    # Over-confidence: a "certain" or "fairly_sure" answer is right less often under guessy.
    for certainty in ("fairly_sure", "certain"):
        right_given = {
            name: mean([r.outcome == "right" for r in rs if r.certainty == certainty])
            for name, rs in samples.items()
        }
        assert right_given["guessy"] < right_given["nominal"]


@pytest.mark.parametrize("model", ANSWER_MODELS.values(), ids=lambda model: model.name)
@pytest.mark.parametrize("population", POPULATIONS)
def test_certainty_is_monotone_in_being_right(model: AnswerModel, population: str) -> None:
    rng = random.Random(SEED)
    weights = people.population_weights(population)
    responses = [
        people.respond(rng, model, rng.choices(LEVELS, weights=weights)[0], rng.choice(QUESTION_LEVELS))
        for _ in range(N)
    ]
    answered = [r for r in responses if r.outcome != "dont_know"]
    right_given = [mean([r.outcome == "right" for r in answered if r.certainty == c]) for c in CERTAINTIES]
    assert right_given == sorted(right_given)
    assert right_given[0] + 0.2 < right_given[2]
    rank = {
        o: mean([CERTAINTY_RANK[r.certainty] for r in answered if r.outcome == o]) for o in ("right", "wrong")
    }
    assert rank["right"] > rank["wrong"] + 0.5


def test_certainty_thresholds() -> None:
    assert people.certainty_for(NOMINAL, 0.0) == "guessing"
    assert people.certainty_for(NOMINAL, 0.449) == "guessing"
    assert people.certainty_for(NOMINAL, 0.45) == "fairly_sure"
    assert people.certainty_for(NOMINAL, 0.799) == "fairly_sure"
    assert people.certainty_for(NOMINAL, 0.8) == "certain"
    assert people.certainty_for(NOMINAL, 1.0) == "certain"
    knowing = people.certainty_distribution(NOMINAL, 1.0)
    guessing = people.certainty_distribution(NOMINAL, 0.25)
    assert knowing["certain"] > 0.8 and guessing["guessing"] > 0.8
    assert sum(knowing.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("model", ANSWER_MODELS.values(), ids=lambda model: model.name)
def test_every_response_is_valid(model: AnswerModel) -> None:
    rng = random.Random(SEED)
    seen: set[Response] = set()
    for _ in range(200):
        for t, q in PAIRS:
            response = people.respond(rng, model, t, q)
            assert response.outcome in OUTCOMES
            if response.outcome == "dont_know":
                assert response.certainty == ""
            else:
                assert response.certainty in CERTAINTIES
            seen.add(response)
    assert len(seen) == 7  # dont_know plus right/wrong with each certainty


def test_respond_is_reproducible_from_the_seed() -> None:
    def run(seed: int) -> list[Response]:
        rng = random.Random(seed)
        return [people.respond(rng, model, t, q) for model in ANSWER_MODELS.values() for t, q in PAIRS]

    assert run(SEED) == run(SEED)
    assert run(SEED) != run(SEED + 1)


def test_invalid_levels_and_responses_are_rejected() -> None:
    rng = random.Random(SEED)
    for t, q in [(5, 1), (-1, 1), (2, 0), (2, 5)]:
        with pytest.raises(ValueError):
            people.respond(rng, NOMINAL, t, q)
        with pytest.raises(ValueError):
            people.p_right(NOMINAL, t, q)
    with pytest.raises(ValueError):
        Response(outcome="dont_know", certainty="certain")
    with pytest.raises(ValueError):
        Response(outcome="right", certainty="")
    with pytest.raises(ValueError):
        Response(outcome="maybe", certainty="certain")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        AnswerModel(name="broken", right_rates=(0.4, 0.9, 0.25))
    with pytest.raises(ValueError):
        AnswerModel(name="broken", guessing_below=0.9, fairly_sure_below=0.8)


# --- Gaming strategies -------------------------------------------------------------------------


def test_respond_dont_know_always_says_dont_know() -> None:
    rng = random.Random(SEED)
    state = rng.getstate()
    assert all(people.respond_dont_know(rng, NOMINAL, t, q) == DONT_KNOW for t, q in PAIRS)
    assert rng.getstate() == state


def test_respond_random_guesses_at_chance_with_uniform_certainty() -> None:
    rng = random.Random(SEED)
    responses = [people.respond_random(rng, NOMINAL, 4, 1) for _ in range(N)]
    right = sum(r.outcome == "right" for r in responses) / N
    assert abs(right - 0.25) < tolerance(0.25, N)
    assert all(r.outcome in ("right", "wrong") for r in responses)
    for share in certainty_shares(responses).values():
        assert abs(share - 1 / 3) < tolerance(1 / 3, N)


def test_with_certainty_keeps_the_outcome() -> None:
    assert people.with_certainty(Response("wrong", "guessing"), "certain") == Response("wrong", "certain")
    assert people.with_certainty(Response("right", "certain"), "guessing") == Response("right", "guessing")
    assert people.with_certainty(DONT_KNOW, "certain") == DONT_KNOW
    with pytest.raises(ValueError):
        people.with_certainty(Response("right", "certain"), "sure")


def test_always_certain_keeps_the_outcomes_of_the_wrapped_responder() -> None:
    wrapped = people.always_certain(people.respond)
    plain_rng, certain_rng = random.Random(SEED), random.Random(SEED)
    for _ in range(50):
        for t, q in PAIRS:
            plain = people.respond(plain_rng, NOMINAL, t, q)
            certain = wrapped(certain_rng, NOMINAL, t, q)
            assert certain.outcome == plain.outcome
            assert certain.certainty == ("" if plain.outcome == "dont_know" else "certain")


def test_strategies() -> None:
    assert set(STRATEGIES) == {"honest", "dont_know", "random", "random_certain", "honest_certain"}
    assert [name for name, s in STRATEGIES.items() if s.honest] == ["honest"]
    rng = random.Random(SEED)
    for strategy in STRATEGIES.values():
        for t, q in PAIRS:
            response = strategy.responder(rng, NOMINAL, t, q)
            assert response.outcome in OUTCOMES
            if strategy.name.endswith("_certain") and response.outcome != "dont_know":
                assert response.certainty == "certain"


# --- Properties --------------------------------------------------------------------------------

if HAS_HYPOTHESIS:
    models = st.sampled_from(list(ANSWER_MODELS.values()))
    true_levels = st.sampled_from(LEVELS)
    question_levels = st.sampled_from(QUESTION_LEVELS)
    seeds = st.integers(min_value=0, max_value=2**32 - 1)

    @settings(max_examples=300, deadline=None)
    @given(seeds, models, true_levels, question_levels)
    def test_property_responses_are_valid_and_probabilities_consistent(
        seed: int, model: AnswerModel, true_level: int, question_level: int
    ) -> None:
        response = people.respond(random.Random(seed), model, true_level, question_level)
        assert response.outcome in OUTCOMES
        assert (response.certainty == "") == (response.outcome == "dont_know")
        assert response.certainty == "" or response.certainty in CERTAINTIES
        distribution = people.response_distribution(model, true_level, question_level)
        assert all(p >= 0 for p in distribution.values())
        assert sum(distribution.values()) == pytest.approx(1.0)
        assert distribution[response] > 0
        assert 0.25 - 1e-12 <= people.p_right(model, true_level, question_level) <= 0.9 + 1e-12

    @settings(max_examples=100, deadline=None)
    @given(models, true_levels, question_levels)
    def test_property_p_right_falls_with_question_level_and_rises_with_true_level(
        model: AnswerModel, true_level: int, question_level: int
    ) -> None:
        # Guessy takes its blind guesses proportionally from the "know" mass, which is a little larger
        # well below one's level: its rate dips by 0.002 from depth 0 to depth -1 (documented).
        slack = 0.005 if model is GUESSY else 1e-12
        here = people.p_right(model, true_level, question_level)
        if question_level < max(QUESTION_LEVELS):
            assert people.p_right(model, true_level, question_level + 1) <= here + slack
        if true_level < max(LEVELS):
            assert people.p_right(model, true_level + 1, question_level) >= here - slack

    @settings(max_examples=200, deadline=None)
    @given(
        right_rates=st.lists(st.floats(min_value=0.25, max_value=1.0), min_size=3, max_size=3).map(
            lambda rates: tuple(sorted(rates, reverse=True))
        ),
        dont_know_bounds=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=2, max_size=2).map(
            sorted
        ),
        dont_know_at_level=st.floats(min_value=0.0, max_value=1.0),
        dont_know_slope=st.floats(min_value=0.0, max_value=1.0),
        level_shift=st.floats(min_value=-1.0, max_value=2.0),
        true_level=true_levels,
        question_level=question_levels,
    )
    def test_property_knowing_is_calibrated_to_the_right_rate(
        right_rates: tuple[float, float, float],
        dont_know_bounds: list[float],
        dont_know_at_level: float,
        dont_know_slope: float,
        level_shift: float,
        true_level: int,
        question_level: int,
    ) -> None:
        model = AnswerModel(
            name="any",
            right_rates=right_rates,
            dont_know_min=dont_know_bounds[0],
            dont_know_max=dont_know_bounds[1],
            dont_know_at_level=dont_know_at_level,
            dont_know_slope=dont_know_slope,
            level_shift=level_shift,
        )
        states = people.answer_states(model, true_level, question_level)
        assert min(states.know, states.dont_know, states.guess) >= -1e-12
        assert states.know + states.dont_know + states.guess == pytest.approx(1.0)
        at_depth = people.depth(model, true_level, question_level)
        assert states.p_right == pytest.approx(people.right_rate(model, at_depth), abs=1e-12)

    @settings(max_examples=100, deadline=None)
    @given(
        seeds,
        st.sampled_from(list(WORLDS.values())),
        st.sampled_from(POPULATIONS),
        st.lists(st.text(min_size=1, max_size=8), max_size=12, unique=True),
    )
    def test_property_people_have_a_valid_level_and_claim_per_skill(
        seed: int, world: World, population: str, skills: list[str]
    ) -> None:
        person = people.make_person(random.Random(seed), skills, world, population)
        assert list(person.true_levels) == skills == list(person.claims)
        assert all(level in LEVELS for level in person.true_levels.values())
        assert all(level in LEVELS for level in person.claims.values())

    @settings(max_examples=200, deadline=None)
    @given(
        bias_mean=st.floats(min_value=-5, max_value=5),
        bias_sd=st.floats(min_value=0, max_value=3),
        noise_sd=st.floats(min_value=0, max_value=3),
        share=st.floats(min_value=0, max_value=1),
        true_level=true_levels,
    )
    def test_property_claim_distribution_is_a_distribution(
        bias_mean: float, bias_sd: float, noise_sd: float, share: float, true_level: int
    ) -> None:
        world = World(
            "any", bias_mean=bias_mean, bias_sd=bias_sd, noise_sd=noise_sd, random_claim_share=share
        )
        distribution = people.claim_distribution(world, true_level)
        assert len(distribution) == len(LEVELS)
        assert all(p >= -1e-12 for p in distribution)
        assert sum(distribution) == pytest.approx(1.0)
