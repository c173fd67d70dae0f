from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue import loader, selectors


class Command(BaseCommand):
    help = "Load the catalogue from fixtures/ (YAML, natural keys), validated, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Fixture files (default: every file under fixtures/).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a catalogue is already loaded (keeps admin edits).",
        )

    def handle(self, *args, files, if_empty, **options):
        from pathlib import Path

        if if_empty and selectors.catalogue_loaded():
            self.stdout.write("Catalogue already loaded; left as it is.")
            return
        paths = [Path(f) for f in files] or None
        try:
            report = loader.load_catalogue(Path(settings.CATALOGUE_DIR), paths)
        except loader.CatalogueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded {report.objects} objects from {len(report.files)} files.")
        for label, count in sorted(report.removed.items()):
            self.stdout.write(f"Removed {count} {label} no longer in the files.")
        for line in report.retired:
            self.stdout.write(f"Retired {line}")
        for problem in report.warnings:
            self.stdout.write(f"Needs attention: {problem}")
        self.stdout.write(self.style.SUCCESS(f"Catalogue version {report.version[:12]}."))
