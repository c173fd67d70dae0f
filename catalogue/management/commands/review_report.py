"""Figures of the blind review of the question bank, against the question-bank targets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from catalogue import reviews
from catalogue.management.commands.record_reviews import question_facts


class Command(BaseCommand):
    help = "Report the blind review figures (key agreement, judged level vs tag, test-wise leaks) per skill."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--per-skill", action="store_true", help="Also print the figures of every skill.")

    def handle(self, *args: Any, per_skill: bool, **options: Any) -> None:
        root = Path(settings.CATALOGUE_DIR)
        all_reviews: list[reviews.Review] = []
        current: dict[str, str] = {}
        tags: dict[str, int] = {}
        records: list[dict[str, Any]] = []
        cue_hits: Counter[str] = Counter()
        leaks = 0
        for path in sorted((root / "questions").glob("*.yaml")):
            facts = question_facts(path)
            current |= {key: f["content_hash"] for key, f in facts.items()}
            tags |= {key: int(f["tag"]) for key, f in facts.items()}
            for fact in facts.values():
                guesses = reviews.cue_guesses(fact["prompt"], fact["options"])
                cue_hits.update(cue for cue, label in guesses.items() if label == fact["key"])
                leaks += reviews.cue_leaks(fact["prompt"], fact["options"], fact["key"])
            record_path = root / "reviews" / f"{path.stem}.yaml"
            record = yaml.safe_load(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
            records.append(record or {})
            found = reviews.reviews_from_record(record) if record else []
            all_reviews += found
            if per_skill:
                self.stdout.write(f"\n{path.stem}")
                for label, value in reviews.figures(len(facts), found).as_rows():
                    self.stdout.write(f"  {label}: {value}")
        self.stdout.write("\nAll skills")
        for label, value in reviews.figures(len(current), all_reviews).as_rows():
            self.stdout.write(f"  {label}: {value}")
        status = reviews.tag_status(tags, all_reviews)
        same, twice = reviews.reviewer_agreement(records)
        self.stdout.write(
            f"  tags changed after the review to the judged level: {len(status.retagged)}\n"
            f"  tags still off the judged level by a level or more: {len(status.still_off)}"
            " (kept so that a level keeps its minimum count; to be replaced)\n"
            f"  two reviewers judged the same question's level alike: {same} of {twice}"
        )
        total = len(current) or 1
        self.stdout.write("\nMechanical surface cues (no subject knowledge; chance is 25%)")
        for cue in ("longest", "echo", "convergence", "hedge"):
            self.stdout.write(
                f"  the {cue} cue points at the key: {cue_hits[cue]} of {len(current)} ({100 * cue_hits[cue] / total:.1f}%)"
            )
        self.stdout.write(
            f"  most cues agree on the key: {leaks} of {len(current)} ({100 * leaks / total:.1f}%)"
        )
        problems = reviews.review_problems(current, all_reviews)
        self.stdout.write(f"\n{len(problems)} question(s) never reviewed or changed after review")
        for problem in problems[:20]:
            self.stdout.write(f"  {problem}")
        disputed = [r for r in all_reviews if r.expert_answer and not r.expert_agrees]
        self.stdout.write(f"\n{len(disputed)} key(s) the knowledgeable reviewer disputes")
        for r in disputed:
            self.stdout.write(
                f"  {r.key}: key {r.answer_key}, reviewer {r.expert_answer} ({r.confidence}) {r.note}"
            )
