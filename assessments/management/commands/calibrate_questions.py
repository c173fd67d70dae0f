"""Fit every question's difficulty and guessing chance from real answers, as a new calibration version.

    manage.py calibrate_questions                  fit and store a new version (not used yet)
    manage.py calibrate_questions --activate       ... and measure with it from now on
    manage.py calibrate_questions --activate-version 3   switch back to a stored version
    manage.py calibrate_questions --use-tags       measure with the level tags again

The model and its settings are documented in assessments/calibration.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessments import calibration, calibration_store
from assessments.calibration import Calibration
from assessments.models import ItemCalibration

MOVED_BY_MORE_THAN = 0.5  # levels: the summary lists the questions that moved further from their tag


@transaction.atomic
def save(fitted: Calibration, *, activate: bool) -> ItemCalibration:
    """Store a fit as the next version; with ``activate``, make it the only active one."""
    version = calibration_store.latest_version() + 1
    if activate:
        ItemCalibration.objects.filter(active=True).update(active=False)
    return ItemCalibration.objects.create(
        version=version,
        min_responses=fitted.min_responses,
        prior_sd=fitted.prior_sd,
        parameters={
            key: {"difficulty": item.difficulty, "guessing": item.guessing, "responses": item.responses}
            for key, item in fitted.parameters.items()
        },
        active=activate,
    )


@transaction.atomic
def activate_version(version: int | None) -> None:
    """Make this stored version the active one (None: none, the level tags)."""
    if version is not None and not ItemCalibration.objects.filter(version=version).exists():
        raise CommandError(f"There is no calibration version {version}.")
    ItemCalibration.objects.filter(active=True).update(active=False)
    if version is not None:
        ItemCalibration.objects.filter(version=version).update(active=True)


class Command(BaseCommand):
    help = (
        "Fit each question's difficulty and guessing chance from the answers of submitted assessments "
        "(hierarchical, around its level tag) and store the fit as a new calibration version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--activate", action="store_true", help="Measure with the new version from now on."
        )
        parser.add_argument(
            "--prior-sd",
            type=float,
            default=calibration.PRIOR_SD,
            help="The starting spread of difficulties around their tags, in levels (default %(default)s).",
        )
        parser.add_argument(
            "--min-responses",
            type=int,
            default=calibration.MIN_RESPONSES,
            help="Questions with fewer answers keep their tag parameters (default %(default)s).",
        )
        parser.add_argument(
            "--iterations",
            type=int,
            default=calibration.ITERATIONS,
            help="Rounds of learning the spread from the data; 0 keeps --prior-sd (default %(default)s).",
        )
        switch = parser.add_mutually_exclusive_group()
        switch.add_argument(
            "--activate-version",
            type=int,
            metavar="VERSION",
            help="Fit nothing: make this stored version the active one.",
        )
        switch.add_argument(
            "--use-tags", action="store_true", help="Fit nothing: measure with the level tags again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["use_tags"]:
            activate_version(None)
            self.stdout.write("No calibration is active: questions are measured by their level tags.")
            return
        if options["activate_version"] is not None:
            activate_version(options["activate_version"])
            self.stdout.write(f"Active: {calibration.version_label(options['activate_version'])}.")
            return
        try:
            responses = calibration_store.item_responses()
            tags = calibration_store.question_tags()
            fitted = calibration.fit(
                responses,
                tags,
                prior_sd=options["prior_sd"],
                min_responses=options["min_responses"],
                iterations=options["iterations"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        stored = save(fitted, activate=options["activate"])
        self.summary(stored, fitted, tags, len(responses))

    def summary(
        self, stored: ItemCalibration, fitted: Calibration, tags: dict[str, int], answers: int
    ) -> None:
        calibrated = sum(1 for item in fitted.parameters.values() if item.responses >= fitted.min_responses)
        self.stdout.write(
            f"{stored.label}: {answers} answers; {calibrated} of {len(fitted.parameters)} questions "
            f"calibrated (at least {fitted.min_responses} answers), the others keep their level tags."
        )
        self.stdout.write(f"Spread of difficulties around their tags: {fitted.prior_sd:.2f} levels.")
        moved = fitted.moved(tags, MOVED_BY_MORE_THAN)
        self.stdout.write(
            f"{len(moved)} question(s) moved more than {MOVED_BY_MORE_THAN} level from their tag:"
        )
        for key, move in moved:
            item = fitted.parameters[key]
            self.stdout.write(
                f"  {key}: tag {tags[key]} -> difficulty {item.difficulty:.2f} ({move:+.2f}), "
                f"guessing {item.guessing:.2f}, {item.responses} answers"
            )
        if stored.active:
            self.stdout.write(f"Active: {stored.label}.")
        else:
            self.stdout.write(
                f"Not active: `manage.py calibrate_questions --activate-version {stored.version}` to use it."
            )
