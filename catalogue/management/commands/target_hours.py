"""Study hours from zero to every role target (with the default choices), and what drives them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from catalogue import selectors, targets
from catalogue.models import LevelAnchor
from catalogue.targets import Choices


class Command(BaseCommand):
    help = "Print the study hours from zero to each role target, and the skills that weigh most."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--top", type=int, default=5, help="How many of the biggest skills to name.")

    def handle(self, *args: Any, top: int, **options: Any) -> None:
        hours: dict[str, dict[int, int]] = {}
        for slug, level, to_reach in LevelAnchor.objects.values_list(
            "skill__slug", "level", "hours_to_reach"
        ):
            hours.setdefault(slug, {})[level] = to_reach
        names = selectors.skill_names()
        self.stdout.write("| target | hours from zero | required | optional | biggest contributors |")
        self.stdout.write("|---|---|---|---|---|")
        all_rows = selectors.target_rows()
        for overview in selectors.target_overview():
            rows = all_rows[overview.key]
            resolved = targets.resolve(rows, Choices())
            per_skill = {
                slug: targets.hours_from_zero({slug: row}, hours)
                for slug, row in resolved.items()
                if row.level
            }
            biggest = sorted(per_skill.items(), key=lambda item: -item[1])[:top]
            drivers = ", ".join(f"{names.get(slug, slug)} {value}" for slug, value in biggest)
            self.stdout.write(
                f"| {overview.name} | {overview.hours_from_zero} | {overview.required} | {overview.optional} | {drivers} |"
            )
