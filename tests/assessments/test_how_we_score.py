"""The "How we score" page is rendered from the scoring module's own parameters, so it cannot disagree
with the code: change a parameter and the page changes with it."""

from __future__ import annotations

import html
import re
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments import presenters, scoring
from catalogue.vocab import Certainty, Level

pytestmark = pytest.mark.django_db

MINUS = "\u2212"


class TableParser(HTMLParser):
    """The rows of every table of a page, as lists of cell texts, keyed by the table's caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.caption, self.rows = "", []
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.caption is not None:
            self.tables[self.caption.strip()] = self.rows
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
    response = client.get(reverse("how_we_score"))
    assert response.status_code == 200
    return response.content.decode()


def text_of(content: str) -> str:
    """The page's words, without tags and with whitespace collapsed (none before punctuation)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
    return re.sub(r" ([.,;:%])", r"\1", words)


def tables(content: str) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(content)
    return parser.tables


def marks_rows(content: str) -> dict[str, list[str]]:
    """The marks table: the row heading -> (right, wrong, best-when) cells."""
    rows = tables(content)["Marks for one answer"]
    return {row[0]: row[1:] for row in rows[1:]}


def signed(mark: float) -> str:
    return f"{mark:+g}".replace("-", MINUS) if mark else "0"


def test_the_marks_table_shows_every_certainty_with_its_marks_from_scoring(client):
    rows = marks_rows(page(client))
    assert list(rows) == [*Certainty.labels, "\u201cI don\u2019t know\u201d"]
    for certainty in Certainty:
        right, wrong = scoring.MARKS[certainty]
        assert rows[certainty.label][:2] == [signed(right), signed(wrong)]
    assert rows["\u201cI don\u2019t know\u201d"][:2] == ["0", "0"]


def test_the_marks_table_says_when_each_certainty_is_worth_claiming(client):
    rows = marks_rows(page(client))
    assert rows["Guessing"][2] == "below 2 in 3 (67%)"
    assert rows["Fairly sure"][2] == "between 2 in 3 (67%) and 4 in 5 (80%)"
    assert rows["Certain"][2] == "above 4 in 5 (80%)"


def test_changing_the_marks_changes_the_marks_table_and_its_thresholds(client, monkeypatch):
    before = marks_rows(page(client))
    monkeypatch.setattr(
        scoring,
        "MARKS",
        {Certainty.GUESSING: (1, -1), Certainty.FAIRLY_SURE: (4, -3), Certainty.CERTAIN: (5, -9)},
    )
    after = marks_rows(page(client))

    assert after["Guessing"][:2] == ["+1", f"{MINUS}1"]
    assert after["Fairly sure"][:2] == ["+4", f"{MINUS}3"]
    assert after["Certain"][:2] == ["+5", f"{MINUS}9"]
    cells = " ".join(" ".join(row) for row in after.values())
    for old in ("+2", "+3", f"{MINUS}2", f"{MINUS}6", "2 in 3", "4 in 5"):
        assert old in " ".join(" ".join(row) for row in before.values())
        assert old not in cells
    # A guess now costs a mark when wrong, so below 3 in 7 "I don't know" earns more than any claim.
    assert after["\u201cI don\u2019t know\u201d"][2] == "below 3 in 7 (43%)"
    assert after["Guessing"][2].startswith("never")
    assert after["Fairly sure"][2] == "between 3 in 7 (43%) and 6 in 7 (86%)"
    assert after["Certain"][2] == "above 6 in 7 (86%)"


def test_changing_the_shown_threshold_and_seen_before_factor_changes_the_page(client, monkeypatch):
    before = text_of(page(client))
    assert "add up to +2 or more: at least one right answer given \u201cfairly sure\u201d" in before
    assert "multiplied by 0.5, so a right answer given \u201ccertain\u201d earns +1.5 instead of +3" in before

    monkeypatch.setattr(scoring, "SHOWN", 3.0)
    monkeypatch.setattr(scoring, "SEEN_BEFORE_FACTOR", 0.25)
    after = text_of(page(client))

    assert "add up to +3 or more: at least one right answer given \u201ccertain\u201d" in after
    assert (
        "multiplied by 0.25, so a right answer given \u201ccertain\u201d earns +0.75 instead of +3" in after
    )
    assert "+2 or more" not in after
    assert "multiplied by 0.5," not in after


def test_the_examples_are_assessed_by_the_scoring_code(client, monkeypatch):
    """Seen before at full value, the repeated level-2 question shows level 2 and the level rises."""
    rows = tables(page(client))["Examples"]
    seen_row = next(row for row in rows if "seen before (+1.5)" in row[1])
    assert seen_row[3:] == ["1 (range 1\u20132)", "consistent"]

    monkeypatch.setattr(scoring, "SEEN_BEFORE_FACTOR", 1.0)
    rows = tables(page(client))["Examples"]
    seen_row = next(row for row in rows if "certain, seen before (+3)" in row[1])
    assert seen_row[0] == "1"
    assert seen_row[3:] == ["2", scoring.UNDER_CONFIDENT]


def test_the_level_scale_comes_from_the_vocabulary(client):
    text = text_of(page(client))
    scale = ", ".join(f"{level.value} {level.label.lower()}" for level in Level)
    assert f"described scale ({scale})" in text
    assert f"whole number from {min(Level.values)} to {max(Level.values)}" in text
    assert [(level.value, level.label) for level in presenters.scoring_method().levels] == [
        (level.value, level.label) for level in Level
    ]


def test_the_calibration_words_come_from_scoring(client):
    text = text_of(page(client))
    assert (
        f"Assessed lower than your rating: {scoring.OVER_CONFIDENT}; higher: {scoring.UNDER_CONFIDENT};"
        f" the same: {scoring.CONSISTENT}."
    ) in text


def example_readiness() -> scoring.RoleReadiness:
    targets = {
        "python": scoring.Target("python", level=3, weight=3),
        "statistics": scoring.Target("statistics", level=2, weight=2),
    }
    return scoring.role_readiness("example", {"python": 2, "statistics": 2}, targets, {}, [])


def test_the_readiness_example_shows_what_scoring_computes(client):
    readiness = example_readiness().readiness
    assert readiness is not None
    text = text_of(page(client))
    assert "Python: target 3, weight 3, you are at 2. Statistics: target 2, weight 2, you are at 2." in text
    assert "Weighted gaps: Python (3 \u2212 2) \u00d7 3 = 3; Statistics 0." in text
    assert "Everything the role asks for: 3 \u00d7 3 + 2 \u00d7 2 = 13." in text
    assert f"Readiness = 1 \u2212 3 \u00f7 13 = 10 \u00f7 13, about {round(readiness * 100)}%." in text
    assert presenters.scoring_method().readiness_example.percent == round(readiness * 100) == 77


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


def test_the_break_even_chances_for_the_current_marks_are_two_thirds_and_four_fifths():
    method = presenters.scoring_method()
    guessing, fairly_sure, certain = method.marks
    assert (guessing.best_from, guessing.best_to) == (
        presenters.Chance(Fraction(0)),
        presenters.Chance(Fraction(2, 3)),
    )
    assert fairly_sure.best_from == presenters.Chance(Fraction(2, 3))
    assert fairly_sure.best_to == presenters.Chance(Fraction(4, 5))
    assert certain.best_from == presenters.Chance(Fraction(4, 5))
    assert certain.best_to == presenters.Chance(Fraction(1))
    assert fairly_sure.best_from is not None and certain.best_from is not None
    assert float(fairly_sure.best_from.value) == pytest.approx(2 / 3)
    assert float(certain.best_from.value) == pytest.approx(0.8)
    assert (fairly_sure.best_from.percent, certain.best_from.percent) == (67, 80)
    assert method.dont_know.best_from is None  # a guess never costs more than "I don't know"


def test_a_choice_is_best_where_its_expected_mark_beats_every_other():
    """At each break-even chance the two neighbouring choices earn the same on average."""
    options = [(0.0, 0.0), *((float(r), float(w)) for r, w in scoring.MARKS.values())]
    ranges = presenters.best_chances(options)
    for (right, wrong), best in zip(options, ranges, strict=True):
        if best is None:
            continue
        for p in (best[0], (best[0] + best[1]) / 2, best[1]):
            mine = p * Fraction(right) + (1 - p) * Fraction(wrong)
            assert all(mine >= p * Fraction(r) + (1 - p) * Fraction(w) for r, w in options)
