"""Every active question's answer key was checked by an independent blind review.

Questions in ``fixtures/questions/`` (the question bank) are recorded in
``fixtures/reviews/<skill>.yaml`` (docs/catalogue/questions.md, "Review"); the older questions still
kept in ``fixtures/skills/`` are recorded in ``fixtures/answer_key_review.yaml``. A question that
changes after its review fails here until it is reviewed again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from catalogue import reviews
from catalogue.validation import question_hash

FIXTURES = Path(settings.CATALOGUE_DIR)


def _questions(paths) -> dict[str, dict]:
    questions: dict[str, dict] = {}
    choices: dict[str, list[tuple[str, str, bool]]] = {}
    for path in paths:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            fields = entry["fields"]
            if entry["model"] == "catalogue.question":
                questions[fields["key"]] = fields
            elif entry["model"] == "catalogue.choice":
                choices.setdefault(fields["question"][0], []).append(
                    (fields["label"], fields["text"], fields["is_correct"])
                )
    for key, question in questions.items():
        question["choices"] = choices.get(key, [])
    return questions


def _hash(question: dict) -> str:
    return question_hash(question["prompt"], [(label, text) for label, text, _ in question["choices"]])


def _keyed(question: dict) -> str:
    return next(label for label, _text, correct in question["choices"] if correct)


OLD = _questions(sorted((FIXTURES / "skills").glob("*.yaml")))
OLD_REVIEW = {
    row["key"]: row
    for row in yaml.safe_load((FIXTURES / "answer_key_review.yaml").read_text(encoding="utf-8"))
}
OLD_ACTIVE = sorted(key for key, q in OLD.items() if q.get("active", True))

BANK = _questions(sorted((FIXTURES / "questions").glob("*.yaml")))
BANK_REVIEW = {
    review.key: review
    for path in sorted((FIXTURES / "reviews").glob("*.yaml"))
    for review in reviews.reviews_from_record(yaml.safe_load(path.read_text(encoding="utf-8")))
}
BANK_ACTIVE = sorted(key for key, q in BANK.items() if q.get("active", True))


def test_every_active_question_is_in_a_review_record():
    assert [key for key in OLD_ACTIVE if key not in OLD_REVIEW] == []
    assert [key for key in BANK_ACTIVE if key not in BANK_REVIEW] == []


@pytest.mark.parametrize("key", OLD_ACTIVE)
def test_an_older_reviewed_question_is_unchanged_and_its_key_agrees(key):
    question, review = OLD[key], OLD_REVIEW[key]
    assert review["hash"] == _hash(question), f"{key} changed since it was checked: check it again"
    assert review["keyed_label"] == _keyed(question), f"{key}: the key moved"
    if review["blind_label"] != _keyed(question):
        assert review.get("resolution") not in (None, "", "agreed"), (
            f"{key}: blind pass disagrees, unresolved"
        )


@pytest.mark.parametrize("key", BANK_ACTIVE)
def test_a_bank_question_is_unchanged_since_its_blind_review_and_the_reviewer_found_its_key(key):
    question, review = BANK[key], BANK_REVIEW[key]
    assert review.content_hash == _hash(question), f"{key} changed since its review: review it again"
    assert review.answer_key == _keyed(question), f"{key}: the key moved since the review"
    assert review.expert_answer == review.answer_key, f"{key}: the blind reviewer disputes the key"


def test_the_review_records_list_no_unknown_questions():
    assert sorted(set(OLD_REVIEW) - set(OLD)) == []
    assert sorted(set(BANK_REVIEW) - set(BANK)) == []
