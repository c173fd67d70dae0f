from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from catalogue import loader


class Command(BaseCommand):
    help = "Write the catalogue (catalogue models only) back to fixtures/ with natural keys."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(settings.CATALOGUE_DIR))

    def handle(self, *args, directory, **options):
        for path in loader.dump_catalogue(Path(directory)):
            self.stdout.write(f"Wrote {path.name}")
