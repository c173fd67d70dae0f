"""Recording blind reviews: a new review is merged into the skill's record, the earlier one kept."""

from __future__ import annotations

import json

import yaml
from django.core.management import call_command

QUESTIONS = [
    {
        "model": "catalogue.question",
        "fields": {"key": "python-l2-a", "skill": ["python"], "level": 2, "prompt": "Which one?"},
    },
    *[
        {
            "model": "catalogue.choice",
            "fields": {
                "question": ["python-l2-a"],
                "label": label,
                "text": f"option {label}",
                "is_correct": label == "B",
            },
        }
        for label in "ABCD"
    ],
    {
        "model": "catalogue.question",
        "fields": {"key": "python-l3-a", "skill": ["python"], "level": 3, "prompt": "Why?"},
    },
    *[
        {
            "model": "catalogue.choice",
            "fields": {
                "question": ["python-l3-a"],
                "label": label,
                "text": f"reason {label}",
                "is_correct": label == "C",
            },
        }
        for label in "ABCD"
    ],
]


def setup_catalogue(tmp_path, settings):
    settings.CATALOGUE_DIR = tmp_path
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "python.yaml").write_text(yaml.safe_dump(QUESTIONS), encoding="utf-8")


def review(tmp_path, name: str, answers: dict[str, dict]) -> tuple[str, str]:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "python.review.json").write_text(json.dumps(answers), encoding="utf-8")
    mapping = folder / "mapping.json"
    mapping.write_text(json.dumps({"python#01": "python-l2-a", "python#02": "python-l3-a"}), encoding="utf-8")
    return str(folder), str(mapping)


def record(tmp_path) -> dict:
    return yaml.safe_load((tmp_path / "reviews" / "python.yaml").read_text(encoding="utf-8"))


def judged(level: int, answer: str) -> dict:
    return {"answer": answer, "confidence": "high", "judged_level": level, "note": ""}


def test_a_second_review_is_merged_and_keeps_the_first_as_history(tmp_path, settings):
    setup_catalogue(tmp_path, settings)
    first = review(tmp_path, "first", {"python#01": judged(2, "B"), "python#02": judged(2, "C")})
    call_command("record_reviews", *first, stdout=None)
    assert set(record(tmp_path)["questions"]) == {"python-l2-a", "python-l3-a"}

    # Only the level-3 question is reviewed again (say it was retagged): the other keeps its review.
    second = review(tmp_path, "second", {"python#02": judged(3, "C")})
    call_command("record_reviews", *second, stdout=None)
    questions = record(tmp_path)["questions"]
    assert questions["python-l2-a"]["expert"]["judged_level"] == 2
    assert "history" not in questions["python-l2-a"]
    assert questions["python-l3-a"]["expert"]["judged_level"] == 3
    assert [h["expert"]["judged_level"] for h in questions["python-l3-a"]["history"]] == [2]

    # Recording the same answers twice changes nothing.
    call_command("record_reviews", *second, stdout=None)
    assert record(tmp_path)["questions"] == questions
