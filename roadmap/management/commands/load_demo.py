"""Load the demo learner: three months of use, for trying careerpath and for the public sample pages.

    manage.py load_demo                       the demo learner, demo@example.com
    manage.py load_demo --email a@example.org another address for it

Safe to rerun: the previous demo learner is deleted and made anew; no other account is touched, and
an address that belongs to a real account is refused. Needs the catalogue (``load_catalogue``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import ProfileError
from catalogue.models import Role
from roadmap import demo


class Command(BaseCommand):
    help = "Create (or re-create) the demo learner with three results, a plan half done and study time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=demo.DEMO_EMAIL, help="The demo learner's log-in address.")
        parser.add_argument(
            "--password", default=demo.DEMO_PASSWORD, help="The demo learner's password (printed)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Role.objects.filter(slug=demo.ROLE).exists():
            raise CommandError("The catalogue is not loaded: run `manage.py load_catalogue` first.")
        try:
            summary = demo.load_demo(email=options["email"], password=options["password"])
        except ProfileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Demo learner loaded:")
        for day, readiness in summary.readiness:
            self.stdout.write(f"  result of {day:%-d %B %Y}: {readiness}% ready")
        self.stdout.write(
            f"  plan: {summary.done} of {summary.steps} steps done, {summary.in_progress} in progress; "
            f"{summary.hours_logged:f} hours of study logged"
        )
        self.stdout.write("  sample pages for visitors: /sample/result/, /sample/plan/, /sample/progress/")
        self.stdout.write(
            self.style.SUCCESS(f"Log in as {summary.email} with the password {summary.password}")
        )
