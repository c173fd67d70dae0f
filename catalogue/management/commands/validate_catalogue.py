from django.core.management.base import BaseCommand, CommandError

from catalogue import selectors, validation


class Command(BaseCommand):
    help = "Report every problem in the loaded catalogue; exit non-zero on an integrity error."

    def handle(self, *args, **options):
        problems = selectors.validate_db()
        for problem in problems:
            self.stdout.write(str(problem))
        integrity = [p for p in problems if p.severity == validation.INTEGRITY]
        if integrity:
            raise CommandError(f"{len(integrity)} integrity error(s) in the catalogue.")
        self.stdout.write(
            self.style.SUCCESS(f"No integrity errors; {len(problems)} completeness problem(s).")
        )
