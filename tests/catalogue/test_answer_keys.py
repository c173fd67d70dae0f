"""Every active question's answer key was checked by an independent blind pass (fixtures/answer_key_review.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from catalogue.validation import question_hash

FIXTURES = Path(settings.CATALOGUE_DIR)


def _questions() -> dict[str, dict]:
    questions: dict[str, dict] = {}
    choices: dict[str, list[tuple[str, str, bool]]] = {}
    for path in sorted((FIXTURES / "skills").glob("*.yaml")):
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


QUESTIONS = _questions()
REVIEW = {
    row["key"]: row
    for row in yaml.safe_load((FIXTURES / "answer_key_review.yaml").read_text(encoding="utf-8"))
}
ACTIVE = sorted(key for key, q in QUESTIONS.items() if q.get("active", True))


def test_every_active_question_is_in_the_review_file():
    assert [key for key in ACTIVE if key not in REVIEW] == []


@pytest.mark.parametrize("key", ACTIVE)
def test_the_reviewed_question_is_unchanged_and_its_key_agrees(key):
    question, review = QUESTIONS[key], REVIEW[key]
    current = question_hash(question["prompt"], [(label, text) for label, text, _ in question["choices"]])
    keyed = next(label for label, _text, correct in question["choices"] if correct)
    assert review["hash"] == current, f"{key} changed since it was checked: check it again"
    assert review["keyed_label"] == keyed, f"{key}: the key moved from {review['keyed_label']} to {keyed}"
    if review["blind_label"] != keyed:
        assert review.get("resolution") not in (None, "", "agreed"), (
            f"{key}: blind pass disagrees, unresolved"
        )


def test_the_review_file_lists_no_unknown_questions():
    assert sorted(set(REVIEW) - set(QUESTIONS)) == []
