"""Merge blind review answers into fixtures/reviews/<skill>.yaml (see fixtures/reviews/PROMPTS.md).

The reviewers answered an anonymised export (ids ``<skill>#<nn>``); ``mapping`` maps each id to
the question's key. This command joins their answers with each question's key, level tag and
content hash as they are in ``fixtures/questions/`` now, and merges them into each skill's record:
questions not in this batch keep their review, and a question reviewed again (rewritten, or
retagged after its first review) keeps its earlier review under ``history``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from catalogue.validation import question_hash


def question_facts(path: Path) -> dict[str, dict[str, Any]]:
    """Per question key of one question file: its key label, level tag and content hash."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    choices: dict[str, list[tuple[str, str]]] = {}
    keys: dict[str, str] = {}
    for entry in entries:
        if entry["model"] == "catalogue.choice":
            fields = entry["fields"]
            question = fields["question"][0]
            choices.setdefault(question, []).append((fields["label"], fields["text"]))
            if fields.get("is_correct"):
                keys[question] = fields["label"]
    return {
        e["fields"]["key"]: {
            "key": keys.get(e["fields"]["key"], ""),
            "tag": e["fields"]["level"],
            "content_hash": question_hash(e["fields"]["prompt"], choices.get(e["fields"]["key"], [])),
            "prompt": e["fields"]["prompt"],
            "options": dict(choices.get(e["fields"]["key"], [])),
        }
        for e in entries
        if e["model"] == "catalogue.question"
    }


class Command(BaseCommand):
    help = "Merge blind review answers (<skill>.review.json, <skill>.testwise.json) into fixtures/reviews/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "blind_dir", help="Directory with the reviewers' <skill>.review.json / .testwise.json"
        )
        parser.add_argument("mapping", help="JSON file mapping each anonymous id to its question key")

    def handle(self, *args: Any, blind_dir: str, mapping: str, **options: Any) -> None:
        blind = Path(blind_dir)
        ids = json.loads(Path(mapping).read_text(encoding="utf-8"))
        key_of_id: dict[str, str] = dict(ids)
        out_dir = Path(settings.CATALOGUE_DIR) / "reviews"
        out_dir.mkdir(exist_ok=True)
        for path in sorted((Path(settings.CATALOGUE_DIR) / "questions").glob("*.yaml")):
            skill = path.stem
            facts = question_facts(path)
            expert = _load(blind / f"{skill}.review.json")
            testwise = _load(blind / f"{skill}.testwise.json")
            if not expert and not testwise:
                continue
            record_path = out_dir / f"{skill}.yaml"
            existing = (
                yaml.safe_load(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
            )
            questions: dict[str, Any] = dict((existing or {}).get("questions", {}))
            for anon, key in key_of_id.items():
                if not anon.startswith(f"{skill}#") or key not in facts:
                    continue
                if anon not in expert and anon not in testwise:
                    continue
                entry: dict[str, Any] = {name: facts[key][name] for name in ("key", "tag", "content_hash")}
                entry["reviewed_on"] = date.today().isoformat()
                if anon in expert:
                    entry["expert"] = expert[anon]
                if anon in testwise:
                    entry["testwise"] = testwise[anon]
                previous = questions.get(key)
                if previous is not None and all(
                    previous.get(name) == entry.get(name) for name in ("content_hash", "tag", "expert")
                ):
                    continue  # this very review is recorded already (the command ran twice)
                if previous is not None:
                    history = list(previous.pop("history", []))
                    entry["history"] = [*history, previous]
                questions[key] = entry
            record = {
                "skill": skill,
                "reviewed_on": (existing or {}).get("reviewed_on", date.today().isoformat()),
                "prompts": "fixtures/reviews/PROMPTS.md",
                "questions": dict(sorted(questions.items())),
            }
            text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)
            record_path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{skill}: {len(questions)} questions recorded")


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
