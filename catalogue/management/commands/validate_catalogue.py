from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue import reviews, selectors, validation
from catalogue.question_rules import level_minimum
from catalogue.vocab import MAX_LEVEL, MIN_CHECK_LEVEL


class Command(BaseCommand):
    help = (
        "Report every problem in the loaded catalogue (exit non-zero on an integrity error), the question "
        "bank's counts per skill and level, and questions never reviewed blind or changed after review."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = selectors.validate_db()
        for problem in problems:
            self.stdout.write(str(problem))
        counts = selectors.question_counts()
        short = 0
        for slug, (top_target, per_level) in sorted(counts.items()):
            for level in range(MIN_CHECK_LEVEL, MAX_LEVEL + 1):
                minimum = level_minimum(level, top_target)
                if per_level.get(level, 0) < minimum:
                    short += 1
                    self.stdout.write(
                        f"question bank: skill {slug}: level {level} has {per_level.get(level, 0)} active "
                        f"questions; needs {minimum}"
                    )
        review_dir = Path(settings.CATALOGUE_DIR) / "reviews"
        recorded = [
            review
            for path in sorted(review_dir.glob("*.yaml"))
            for review in reviews.reviews_from_record(yaml.safe_load(path.read_text(encoding="utf-8")))
        ]
        unreviewed = reviews.review_problems(selectors.bank_question_hashes(), recorded)
        for line in unreviewed:
            self.stdout.write(f"review: {line}")
        integrity = [p for p in problems if p.severity == validation.INTEGRITY]
        if integrity:
            raise CommandError(f"{len(integrity)} integrity error(s) in the catalogue.")
        self.stdout.write(
            self.style.SUCCESS(
                f"No integrity errors; {len(problems)} completeness problem(s); {short} skill level(s) short "
                f"of questions; {len(unreviewed)} question(s) not reviewed in their current form."
            )
        )
