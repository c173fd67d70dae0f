"""Send this week's e-mail (plan and retake reminder) to everyone who asked for it; safe to rerun.

    manage.py send_weekly_email                      the current ISO week
    manage.py send_weekly_email --week 2027-01-06    the ISO week holding that day (its Monday)
    manage.py send_weekly_email --dry-run            list what would be sent; send and record nothing

Run it from cron on one server or several (``0 7 * * 1``): each person gets one e-mail a week at
most, and an e-mail that failed is sent by the next run (see roadmap/weekly_email.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from roadmap import weekly_email


def iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--week takes a day as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = "Send this week's plan and retake reminder to everyone who asked for the weekly e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week",
            type=str,
            help="A day of the week to send for (YYYY-MM-DD); the current week if omitted.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send and record nothing."
        )

    def handle(self, *args: Any, week: str | None, dry_run: bool, **options: Any) -> None:
        monday = weekly_email.week_of(iso_day(week) if week else timezone.localdate())
        verbose = options["verbosity"] >= 2 or dry_run

        def report(line: str) -> None:
            if verbose:
                self.stdout.write(line)

        outcome = weekly_email.weekly_emails_send(week=monday, dry_run=dry_run, report=report)
        sent = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"Week of {monday.isoformat()}: {outcome.sent} {sent}, {outcome.nothing_to_say} with nothing "
            f"to say, {outcome.already_sent} already sent by another run, {len(outcome.failed)} failed."
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} e-mails failed; run the command again to retry them.")
