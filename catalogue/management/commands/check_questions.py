"""Check question files (fixtures/questions/<skill>.yaml) against the rubric's form rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.question_rules import ChoiceText, QuestionText, bank_problems, question_problems


def questions_in(entries: list[dict[str, Any]]) -> list[QuestionText]:
    """The questions of one file's fixture entries, each with its choices."""
    choices: dict[str, list[ChoiceText]] = {}
    for entry in entries:
        if entry.get("model") == "catalogue.choice":
            fields = entry["fields"]
            question = fields["question"][0] if isinstance(fields["question"], list) else fields["question"]
            choices.setdefault(question, []).append(
                ChoiceText(str(fields["label"]), str(fields["text"]), bool(fields.get("is_correct")))
            )
    return [
        QuestionText(
            key=f["key"],
            level=int(f["level"]),
            prompt=str(f.get("prompt", "")),
            explanation=str(f.get("explanation", "")),
            source=str(f.get("source", "")),
            active=bool(f.get("active", True)),
            choices=tuple(choices.get(f["key"], [])),
        )
        for f in (e["fields"] for e in entries if e.get("model") == "catalogue.question")
    ]


class Command(BaseCommand):
    help = "Check question files against the form rules of docs/catalogue/questions.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="Question files (default: fixtures/questions/*.yaml).")
        parser.add_argument(
            "--top-target",
            type=int,
            default=None,
            help="The skill's highest target level (default: read from fixtures/targets.yaml).",
        )

    def handle(self, *args: Any, files: list[str], top_target: int | None, **options: Any) -> None:
        tops = _top_targets(Path(settings.CATALOGUE_DIR) / "targets.yaml")
        paths = [Path(f) for f in files] or sorted(
            (Path(settings.CATALOGUE_DIR) / "questions").glob("*.yaml")
        )
        failures = 0
        for path in paths:
            try:
                entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            except yaml.YAMLError as error:
                raise CommandError(f"{path.name}: not valid YAML: {error}") from error
            questions = questions_in(entries)
            problems = [f"{q.key}: {p}" for q in questions for p in question_problems(q)]
            top = top_target if top_target is not None else tops.get(path.stem, 0)
            problems += [f"{path.stem}: {p}" for p in bank_problems(questions, top)]
            for problem in problems:
                self.stdout.write(f"{path.name}: {problem}")
            failures += len(problems)
            self.stdout.write(f"{path.name}: {len(questions)} questions, {len(problems)} problems")
        if failures:
            raise CommandError(f"{failures} problem(s)")


def _top_targets(path: Path) -> dict[str, int]:
    """The highest level any target asks of each skill, from the targets file."""
    tops: dict[str, int] = {}
    if not path.is_file():
        return tops
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        fields = entry.get("fields", {})
        skill = fields.get("skill")
        slug = skill[0] if isinstance(skill, list) else skill
        if slug:
            tops[slug] = max(tops.get(slug, 0), int(fields.get("level", 0)))
    return tops
