"""The "How we score" page is rendered from the measurement module's own constants and functions, so it
cannot disagree with the code: change a constant and the page changes with it, and every worked
example shows what a direct call to the module returns."""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments import measurement, pacing, presenters, scoring
from catalogue.vocab import Certainty, Level

pytestmark = pytest.mark.django_db

MINUS = "\u2212"
DONT_KNOW = "\u201cI don't know\u201d"  # as the checks page offers it


class PageParser(HTMLParser):
    """Every table of a page (rows of cell texts, keyed by caption), its headings, and its header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.uncaptioned = 0
        self.caption: str | None = None
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_caption = False
        self.headings: list[int] = []
        self.header_scopes: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.caption, self.rows = "", []
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
            if tag == "th":
                self.header_scopes.append(dict(attrs).get("scope"))
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "table" and self.caption is not None:
            if not self.caption.strip():
                self.uncaptioned += 1
            self.tables[" ".join(self.caption.split())] = self.rows
            self.caption = None
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.in_caption:
            self.caption = (self.caption or "") + data
        elif self.cell is not None:
            self.cell.append(data)


def page(client) -> str:
    """The page's main content, worked out afresh (the tests change the method's constants)."""
    presenters.scoring_method_in.cache_clear()
    response = client.get(reverse("how_we_score"))
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


def parsed(content: str) -> PageParser:
    parser = PageParser()
    parser.feed(content)
    return parser


def tables(content: str) -> dict[str, list[list[str]]]:
    return parsed(content).tables


def body_rows(content: str, caption: str) -> dict[str, list[str]]:
    """A table's rows below its header row: the row heading -> the other cells."""
    return {row[0]: row[1:] for row in tables(content)[caption][1:]}


def text_of(content: str) -> str:
    """The page's words, without tags and with whitespace collapsed (none before punctuation)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
    return re.sub(r" ([.,;:%)])", r"\1", words)


def share(p: float) -> str:
    """A probability as the page writes it."""
    value = round(100 * p)
    if value == 0 and p > 0:
        return "<1%"
    if value == 100 and p < 1:
        return ">99%"
    return f"{value}%"


def number(value: float) -> str:
    return f"{round(value, 4):g}".replace("-", MINUS)


def signed(value: float) -> str:
    return f"{value:+g}".replace("-", MINUS) if value else "0"


def odds(p: float) -> str:
    fraction = Fraction(p).limit_denominator(10)
    return f"{fraction.numerator} in {fraction.denominator}" if float(fraction) == p else share(p)


def or_list(values: tuple[float, ...]) -> str:
    words = [number(v) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def level_range(estimate: measurement.SkillEstimate) -> str:
    return f"{estimate.low}\u2013{estimate.high}" if estimate.low != estimate.high else str(estimate.low)


# --- the page as a whole -------------------------------------------------------------------------


def test_the_page_renders_without_javascript(client):
    content = page(client)
    assert "<script" not in content
    assert not re.search(r"\son[a-z]+=", content)  # no inline event handlers either
    text = text_of(content)
    assert "How we score" in text
    assert f"{measurement.METHOD}, version {measurement.METHOD_VERSION}" in text


def test_every_table_has_a_caption_and_scoped_headers_and_headings_go_in_order(client):
    page_parts = parsed(page(client))
    assert page_parts.tables and page_parts.uncaptioned == 0
    assert page_parts.header_scopes and all(scope in ("col", "row") for scope in page_parts.header_scopes)
    headings = page_parts.headings
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(headings))


# --- 1. what is measured -------------------------------------------------------------------------


def test_what_is_measured_comes_from_the_vocabulary_and_the_range_mass(client, monkeypatch):
    text = text_of(page(client))
    scale = ", ".join(f"{level.value} {level.label.lower()}" for level in Level)
    assert f"scale ({scale})" in text
    assert f"from {min(Level.values)} to {max(Level.values)}" in text
    mass = share(measurement.RANGE_MASS)
    assert (
        f"the {mass} range: the shortest run of neighbouring levels that together hold at least {mass}"
        in text
    )

    monkeypatch.setattr(measurement, "RANGE_MASS", 0.8)
    content = page(client)
    text = text_of(content)
    assert "the 80% range: the shortest run of neighbouring levels that together hold at least 80%" in text
    assert f"{mass} range" not in text
    assert "80% range" in " ".join(tables(content)["Rated 3, one level-3 question"][0])


def test_the_first_example_is_a_rated_skill_before_any_question(client):
    claim = presenters.ANSWER_EXAMPLE_CLAIM
    estimate = measurement.measure([measurement.SkillInput("any", claim)]).skills["any"]
    content = page(client)
    rows = tables(content)[f"Example: a skill you rated {claim}, before any question"]
    assert rows[1] == [share(p) for p in estimate.probabilities]
    assert (
        f"the most probable level is {estimate.level} ({share(max(estimate.probabilities))}), and the"
        f" {share(measurement.RANGE_MASS)} range is {level_range(estimate)}."
    ) in text_of(content)


# --- 2. the rating model and pooling -------------------------------------------------------------


def test_the_rating_model_states_its_constants(client, monkeypatch):
    text = text_of(page(client))
    assert (
        f"a bias of about {signed(measurement.BIAS_PRIOR_MEAN)} level, give or take {number(measurement.BIAS_PRIOR_SD)}"
        f" level, and we allow any bias from {signed(min(measurement.BIAS_GRID))} to"
        f" {signed(max(measurement.BIAS_GRID))} levels"
    ) in text
    assert f"a wander of {or_list(measurement.NOISE_GRID)} level" in text
    assert f"We treat {share(measurement.UNINFORMATIVE_RATING)} of ratings as that kind" in text
    assert (
        f"anywhere from {number(min(measurement.TYPICAL_GRID))} to {number(max(measurement.TYPICAL_GRID))}, and"
        f" that your skills spread around it by {or_list(measurement.SKILL_SPREAD_GRID)} levels"
    ) in text

    monkeypatch.setattr(measurement, "BIAS_PRIOR_MEAN", 0.5)
    monkeypatch.setattr(measurement, "BIAS_PRIOR_SD", 0.75)
    monkeypatch.setattr(measurement, "BIAS_GRID", (-1.0, 0.0, 1.0, 2.0, 3.0))
    monkeypatch.setattr(measurement, "NOISE_GRID", (0.5, 0.8, 1.2))
    monkeypatch.setattr(measurement, "UNINFORMATIVE_RATING", 0.05)
    monkeypatch.setattr(measurement, "SKILL_SPREAD_GRID", (0.5, 2.0))
    text = text_of(page(client))
    assert (
        "a bias of about +0.5 level, give or take 0.75 level, and we allow any bias from \u22121 to +3 levels"
        in text
    )
    assert "a wander of 0.5, 0.8 or 1.2 level" in text
    assert "We treat 5% of ratings as that kind" in text
    assert "spread around it by 0.5 or 2 levels" in text


def pooling_inputs(with_checked: bool) -> list[measurement.SkillInput]:
    """Four skills rated 4 and never checked; with eight more rated 4, each right at level 2 and wrong at
    level 3, both while certain (written here apart from the presenter)."""
    answers = (
        measurement.Response(2, measurement.RIGHT, Certainty.CERTAIN),
        measurement.Response(3, measurement.WRONG, Certainty.CERTAIN),
    )
    unchecked = [measurement.SkillInput(f"u{n}", 4) for n in range(4)]
    checked = [measurement.SkillInput(f"c{n}", 4, answers) for n in range(8)]
    return unchecked + (checked if with_checked else [])


def test_the_pooling_example_shows_what_measure_returns(client):
    alone = measurement.measure(pooling_inputs(with_checked=False)).skills["u0"]
    pooled_measurement = measurement.measure(pooling_inputs(with_checked=True))
    pooled, checked = pooled_measurement.skills["u0"], pooled_measurement.skills["c0"]
    content = page(client)
    rows = body_rows(content, "One of the 4 unchecked skills, rated 4")
    assert rows["Without the 8 checked skills"] == [
        f"{alone.level} ({share(max(alone.probabilities))})",
        level_range(alone),
    ]
    assert rows["With the 8 checked skills"] == [
        f"{pooled.level} ({share(max(pooled.probabilities))})",
        level_range(pooled),
    ]
    # The point of the example: answers on other skills correct the unchecked ratings.
    assert pooled.level < alone.level
    text = text_of(content)
    assert (
        "Someone rates 12 skills at 4. On 8 of them, they answer a level-2 question right while certain and a"
        " level-3 question wrong while certain."
    ) in text
    assert (
        f"The checked skills come out at level {checked.level} ({share(measurement.RANGE_MASS)} range"
        f" {level_range(checked)})"
    ) in text
    bias = round(pooled_measurement.calibration.bias, 1)
    assert f"run about {bias:g} levels above their answers" in text
    assert f"goes from {alone.level} to {pooled.level}." in text


# --- 3. the answer model -------------------------------------------------------------------------


def test_the_answer_table_shows_p_right_of_a_level_2_question(client):
    content = page(client)
    rows = body_rows(content, "A level-2 question: the chance of answering right at each level")
    item = measurement.tag_parameters(2)
    assert list(rows) == [str(level) for level in measurement.LEVELS]
    for level in measurement.LEVELS:
        assert rows[str(level)][1] == share(item.p_right(level))
    text = text_of(content)
    assert f"A blind guess is right {odds(measurement.GUESS)} times." in text
    assert f"you slip {share(measurement.SLIP)} of the time" in text
    assert f"centred {number(measurement.OFFSET)} level below it" in text
    assert f"its steepness is {number(measurement.SLOPE)}" in text


def test_changing_the_answer_model_changes_the_table(client, monkeypatch):
    monkeypatch.setattr(measurement, "SLIP", 0.2)
    monkeypatch.setattr(measurement, "SLOPE", 1.5)
    content = page(client)
    rows = body_rows(content, "A level-2 question: the chance of answering right at each level")
    item = measurement.tag_parameters(2)
    assert [rows[str(level)][1] for level in measurement.LEVELS] == [
        share(item.p_right(level)) for level in measurement.LEVELS
    ]
    text = text_of(content)
    assert "you slip 20% of the time" in text
    assert "its steepness is 1.5" in text


# --- 4. how much one answer counts -----------------------------------------------------------------


def weight_rows(content: str) -> dict[str, list[str]]:
    return body_rows(content, "How much one answer counts")


def test_the_weights_table_comes_from_the_weights_and_i_dont_know_is_an_average_guess(client):
    rows = weight_rows(page(client))
    assert list(rows) == [*Certainty.labels, DONT_KNOW]
    for certainty in Certainty:
        assert rows[certainty.label] == [
            number(measurement.RIGHT_WEIGHT[certainty]),
            number(measurement.WRONG_WEIGHT[certainty]),
        ]
    right, wrong = measurement.Response(2, measurement.DONT_KNOW).exponents()
    assert rows[DONT_KNOW] == [number(right), number(wrong)]
    # On average, exactly a blind guess said with "guessing".
    guess = measurement.GUESS
    assert right == pytest.approx(guess * measurement.RIGHT_WEIGHT[Certainty.GUESSING])
    assert wrong == pytest.approx((1 - guess) * measurement.WRONG_WEIGHT[Certainty.GUESSING])


def test_changing_the_weights_changes_the_page(client, monkeypatch):
    text = text_of(page(client))
    seen, full = measurement.SEEN_BEFORE_WEIGHT, measurement.RIGHT_WEIGHT[Certainty.CERTAIN]
    assert (
        f"its weight is multiplied by {number(seen)}, so a right answer given \u201ccertain\u201d counts"
        f" {number(seen * full)} instead of {number(full)}"
    ) in text
    guess, miss = odds(measurement.GUESS), odds(1 - measurement.GUESS)
    assert (
        f"right {guess} times (counting {number(measurement.RIGHT_WEIGHT[Certainty.GUESSING])}) and wrong"
        f" {miss} times (counting {number(measurement.WRONG_WEIGHT[Certainty.GUESSING])})"
    ) in text
    before = weight_rows(page(client))

    right = {Certainty.CERTAIN: 1.5, Certainty.FAIRLY_SURE: 0.9, Certainty.GUESSING: 0.4}
    wrong = {Certainty.CERTAIN: 3.0, Certainty.FAIRLY_SURE: 1.5, Certainty.GUESSING: 1.2}
    assert (right, wrong, seen) != (measurement.RIGHT_WEIGHT, measurement.WRONG_WEIGHT, 0.25)
    monkeypatch.setattr(measurement, "RIGHT_WEIGHT", right)
    monkeypatch.setattr(measurement, "WRONG_WEIGHT", wrong)
    monkeypatch.setattr(measurement, "SEEN_BEFORE_WEIGHT", 0.25)
    content = page(client)
    rows = weight_rows(content)
    assert rows != before
    assert rows["Guessing"] == ["0.4", "1.2"]
    assert rows["Fairly sure"] == ["0.9", "1.5"]
    assert rows["Certain"] == ["1.5", "3"]
    g = measurement.GUESS
    assert rows[DONT_KNOW] == [number(g * 0.4), number((1 - g) * 1.2)]  # an average blind guess
    text = text_of(content)
    assert (
        "its weight is multiplied by 0.25, so a right answer given \u201ccertain\u201d counts 0.375 instead of 1.5"
    ) in text
    assert f"right {guess} times (counting 0.4) and wrong {miss} times (counting 1.2)" in text
    assert f"multiplied by {number(seen)}," not in text


def reliability_sentence() -> str:
    """What the page says of someone with 2 right out of 8 answers said with "certain", from direct calls."""
    record = [measurement.Response(1, measurement.RIGHT, Certainty.CERTAIN)] * 2 + [
        measurement.Response(1, measurement.WRONG, Certainty.CERTAIN)
    ] * 6
    trust = measurement.reliability(record)
    right = measurement.Response(1, measurement.RIGHT, Certainty.CERTAIN)
    trusted, full = right.exponents(trust)[0], right.exponents()[0]
    assert trusted < full
    return (
        "if 2 of your 8 \u201ccertain\u201d answers are right, a right answer given \u201ccertain\u201d counts"
        f" {number(round(trusted, 2))} instead of {number(full)}."
    )


def test_the_reliability_of_right_answers_follows_the_module(client, monkeypatch):
    text = text_of(page(client))
    honest = ", ".join(
        f"{share(measurement.EXPECTED_RIGHT[c])} of \u201c{c.label.lower()}\u201d answers"
        for c in reversed(Certainty)
    )
    assert honest.rsplit(", ", 1)[0] in text
    assert f"starting from {measurement.RELIABILITY_PRIOR_ANSWERS} imagined answers" in text
    assert reliability_sentence() in text

    monkeypatch.setattr(measurement, "RELIABILITY_PRIOR_ANSWERS", 12)
    text = text_of(page(client))
    assert "starting from 12 imagined answers" in text
    assert reliability_sentence() in text


def answer_example_estimates() -> dict[str, measurement.SkillEstimate]:
    """A skill rated 3 with no question, and with one level-3 question answered three ways."""
    responses = {
        "No question yet": (),
        "Wrong while certain": (measurement.Response(3, measurement.WRONG, Certainty.CERTAIN),),
        "Wrong while guessing": (measurement.Response(3, measurement.WRONG, Certainty.GUESSING),),
        DONT_KNOW: (measurement.Response(3, measurement.DONT_KNOW),),
    }
    return {
        answer: measurement.measure([measurement.SkillInput("s", 3, given)]).skills["s"]
        for answer, given in responses.items()
    }


def assert_answer_example_matches_measure(content: str) -> None:
    rows = body_rows(content, "Rated 3, one level-3 question")
    estimates = answer_example_estimates()
    assert list(rows) == list(estimates)
    for answer, estimate in estimates.items():
        assert rows[answer] == [
            str(estimate.level),
            level_range(estimate),
            *(share(p) for p in estimate.probabilities),
        ]
    before, certain, guessing, dont_know = (e.probabilities[3] for e in estimates.values())
    assert (
        f"The probability of level 3 was {share(before)} before the question. After it, it is {share(certain)}"
        f" (wrong while certain), {share(guessing)} (wrong while guessing) and {share(dont_know)} ({DONT_KNOW})."
    ) in text_of(content)


def test_the_answer_example_shows_what_measure_returns(client):
    content = page(client)
    assert_answer_example_matches_measure(content)
    # As the model intends: a confident wrong answer lowers the rated level most, "I don't know" least.
    estimates = list(answer_example_estimates().values())
    assert estimates[1].probabilities[3] < estimates[2].probabilities[3] < estimates[3].probabilities[3]


def test_the_answer_example_follows_the_weights(client, monkeypatch):
    before = body_rows(page(client), "Rated 3, one level-3 question")
    monkeypatch.setattr(
        measurement,
        "WRONG_WEIGHT",
        {Certainty.CERTAIN: 4.0, Certainty.FAIRLY_SURE: 1.0, Certainty.GUESSING: 0.5},
    )
    content = page(client)
    assert_answer_example_matches_measure(content)
    after = body_rows(content, "Rated 3, one level-3 question")
    assert after["Wrong while certain"] != before["Wrong while certain"]
    assert after["No question yet"] == before["No question yet"]


# --- 5. readiness and priorities -----------------------------------------------------------------


def test_the_readiness_example_shows_what_readiness_returns(client):
    probabilities = {"python": (0.0, 0.0, 0.6, 0.4, 0.0), "statistics": (0.0, 0.1, 0.7, 0.2, 0.0)}
    measured = measurement.Measurement(
        skills={slug: measurement.estimate(p, slug, None, 1) for slug, p in probabilities.items()},
        calibration=measurement.Calibration(0.0, 0.0, 0.0, 0),
    )
    targets = {
        "python": measurement.Target("python", level=3, weight=3),
        "statistics": measurement.Target("statistics", level=2, weight=2),
    }
    interval = measurement.readiness(measured, targets)
    assert interval is not None

    content = page(client)
    rows = body_rows(content, "Readiness example: two targeted skills")
    assert rows["Python"] == ["3", "3", "0%", "0%", "60%", "40%", "0%"]
    assert rows["Statistics"] == ["2", "2", "0%", "10%", "70%", "20%", "0%"]
    text = text_of(content)
    assert "Python: expected gap 60% \u00d7 1 = 0.6; weighted: 1.8." in text
    assert "Statistics: expected gap 10% \u00d7 1 = 0.1; weighted: 0.2." in text
    assert "Everything the target asks for: 3 \u00d7 3 + 2 \u00d7 2 = 13." in text
    assert (
        f"Readiness = 1 \u2212 2 \u00f7 13, about {round(100 * interval.value)}%, with a 90% interval of"
        f" {round(100 * interval.low)}% to {round(100 * interval.high)}%."
    ) in text
    assert round(100 * interval.value) == round(100 * (1 - 2 / 13)) == 85
    example = presenters.scoring_method().readiness_example
    assert (example.value, example.low, example.high) == (interval.value, interval.low, interval.high)


def test_the_priority_example_follows_the_unlock_bonus_factor(client, monkeypatch):
    text = text_of(page(client))
    assert (
        "The priorities are Python 2 + 0.5 \u00d7 (3 + 4) = 5.5, pandas 3 + 0.5 \u00d7 4 = 5 and scikit-learn 4,"
        " so Python comes first."
    ) in text

    monkeypatch.setattr(scoring, "UNLOCK_BONUS_FACTOR", 1.0)
    text = text_of(page(client))
    assert "priority = weighted gap + 1 \u00d7 (the weighted gaps" in text
    assert "Python 2 + 1 \u00d7 (3 + 4) = 9, pandas 3 + 1 \u00d7 4 = 7 and scikit-learn 4" in text


def test_each_priority_adds_up_as_its_working_says():
    example = presenters.scoring_method().priority_example
    assert [row.name for row in example.ranked] == ["Python", "pandas", "scikit-learn"]
    for row in example.chain:
        assert row.priority == row.weighted_gap + scoring.UNLOCK_BONUS_FACTOR * sum(row.unlocked)


# --- 6. choosing questions and stopping ----------------------------------------------------------


def length_rows(content: str) -> dict[str, list[str]]:
    return body_rows(content, "Assessment lengths")


def test_the_lengths_and_stopping_rules_come_from_pacing_and_measurement(client):
    content = page(client)
    rows = length_rows(content)
    for length in (pacing.DEFAULT, pacing.THOROUGH):
        limit = f"{length.max_minutes} minutes" if length.max_minutes else "none"
        assert rows[length.label][:3] == [str(length.max_checks), str(length.per_skill), limit]
        assert rows[length.label][3:] == [
            f"{pacing.budget(length, n)} questions, about {pacing.minutes(n, pacing.budget(length, n))} minutes"
            for n in presenters.PACING_SKILL_COUNTS
        ]
    assert pacing.DEFAULT.max_minutes is not None  # the standard length keeps within a time limit
    text = text_of(content)
    assert f"rounds of at most {pacing.ROUND_SIZE} questions" in text
    checks = measurement.MIN_CHECKS
    assert (
        f"one level holds at least {share(measurement.CONFIDENT)} of its probability and it had at least"
        f" {checks} question{'s' if checks != 1 else ''}."
    ) in text
    assert (
        f"about {pacing.SECONDS_PER_RATING} seconds per rating and {pacing.SECONDS_PER_CHECK} seconds per question"
    ) in text


def test_changing_the_confidence_and_the_default_length_changes_the_page(client, monkeypatch):
    before = share(measurement.CONFIDENT)
    monkeypatch.setattr(measurement, "CONFIDENT", 0.8)
    monkeypatch.setattr(measurement, "MIN_CHECKS", 2)
    monkeypatch.setattr(
        pacing,
        "DEFAULT",
        pacing.Length(key="default", label="Quick", max_checks=12, per_skill=2, max_minutes=20),
    )
    content = page(client)
    text = text_of(content)
    assert "one level holds at least 80% of its probability and it had at least 2 questions." in text
    assert f"at least {before} of its probability" not in text
    rows = length_rows(content)
    assert "Standard" not in rows
    quick = pacing.DEFAULT
    assert rows["Quick"][:3] == ["12", "2", "20 minutes"]
    # 5 skills: at most 2 each; 40 skills: 20 minutes leave 200 seconds after the ratings, room for
    # 4 checks, but a length never asks fewer than one round.
    assert rows["Quick"][3] == f"10 questions, about {pacing.minutes(5, 10)} minutes"
    assert rows["Quick"][5] == f"10 questions, about {pacing.minutes(40, 10)} minutes"
    assert pacing.budget(quick, 40) == 10


# --- 7. results from before this method ----------------------------------------------------------


def test_the_earlier_method_and_its_marks_table_are_shown(client, monkeypatch):
    content = page(client)
    rows = body_rows(content, "Marks for one answer (certainty-based marking, before this method)")
    assert list(rows) == [*Certainty.labels, DONT_KNOW]
    for certainty in Certainty:
        right, wrong = scoring.MARKS[certainty]
        assert rows[certainty.label] == [signed(right), signed(wrong)]
    assert rows[DONT_KNOW] == ["0", "0"]
    text = text_of(content)
    assert f"recorded as {scoring.METHOD}, version {scoring.METHOD_VERSION})" in text
    assert "Those results are frozen" in text

    monkeypatch.setattr(
        scoring,
        "MARKS",
        {Certainty.GUESSING: (1, -1), Certainty.FAIRLY_SURE: (4, -3), Certainty.CERTAIN: (5, -9)},
    )
    rows = body_rows(page(client), "Marks for one answer (certainty-based marking, before this method)")
    assert rows["Certain"] == ["+5", f"{MINUS}9"]


def test_the_presenter_reads_the_constants_when_called(monkeypatch):
    before = presenters.scoring_method()
    assert before.weights.seen_reduced == pytest.approx(
        measurement.SEEN_BEFORE_WEIGHT * before.weights.seen_full
    )
    monkeypatch.setattr(measurement, "SEEN_BEFORE_WEIGHT", 1.0)
    after = presenters.scoring_method()
    assert after.weights.seen_reduced == after.weights.seen_full
    # Nothing else on the page depends on it: the examples answer no question seen before.
    assert dataclasses.replace(after, weights=before.weights) == before


def test_the_first_check_doubt_is_stated_from_the_module(client, monkeypatch):
    from assessments import measurement

    monkeypatch.setattr(measurement, "FIRST_CHECK_DOUBT", 0.37)
    assert "(37% even)" in page(client)
