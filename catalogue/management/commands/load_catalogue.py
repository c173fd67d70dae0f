from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue import loader, selectors

MSG_NOT_CONFIRMED = "Nothing changed: the removal was not confirmed (--yes confirms it)."
# Added, changed and kept rows are named up to this many per model (all of them with -v 2).
KEYS_SHOWN = 10


def shorten(keys: list[str], verbose: bool) -> str:
    shown = keys if verbose else keys[:KEYS_SHOWN]
    more = f" (and {len(keys) - len(shown)} more)" if len(keys) > len(shown) else ""
    return ", ".join(shown) + more


def roadmap_steps_using(slugs: list[str]) -> tuple[int, int]:
    """How many people's roadmap steps, and how many people, point to these skills.

    The catalogue may not import the roadmap app (.importlinter), so the model is looked up by
    name; a step's details hold its skill's slug in ``details_json["slug"]``.
    """
    if not slugs:
        return 0, 0
    try:
        step = apps.get_model("roadmap", "RoadmapStep")
    except LookupError:
        return 0, 0
    steps = step._default_manager.filter(details_json__slug__in=slugs)
    return steps.count(), steps.values("user").distinct().count()


class Command(BaseCommand):
    help = (
        "Load the catalogue from fixtures/ (YAML, natural keys), validated, in one transaction. "
        "Additive: rows the files do not mention are reported and kept unless --prune."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Fixture files (default: every file under fixtures/).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a catalogue is already loaded (keeps admin edits).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Show what would be added, changed and removed, validated, without writing anything.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Remove catalogue rows the files do not mention (answered questions and assessed "
            "skills are retired instead); lists them and asks for confirmation.",
        )
        parser.add_argument("--yes", action="store_true", help="Confirm --prune without asking.")

    def handle(self, *args, files, if_empty, check, prune, yes, **options):
        if if_empty and selectors.catalogue_loaded():
            self.stdout.write("Catalogue already loaded; left as it is.")
            return
        paths = [Path(f) for f in files] or None
        directory = Path(settings.CATALOGUE_DIR)
        verbose = options["verbosity"] >= 2
        try:
            if check or (prune and not yes):
                plan = loader.load_catalogue(directory, paths, prune=prune, check=True)
                self.report(plan, verbose=verbose)
                if check:
                    self.stdout.write("Checked only: nothing was written.")
                    return
                if not self.confirm(plan):
                    raise CommandError(MSG_NOT_CONFIRMED)
            report = loader.load_catalogue(directory, paths, prune=prune)
        except loader.CatalogueError as error:
            raise CommandError(str(error)) from error
        if not (prune and not yes):  # the plan was shown already
            self.report(report, verbose=verbose)
        self.stdout.write(self.style.SUCCESS(f"Catalogue version {report.version[:12]}."))

    def report(self, report: loader.LoadReport, *, verbose: bool) -> None:
        done = report.written
        self.stdout.write(f"{report.objects} objects in {len(report.files)} files.")
        for title, rows in (("added", report.added), ("changed", report.changed)):
            for label, keys in sorted(rows.items()):
                heading = title.capitalize() if done else f"Would be {title}"
                self.stdout.write(f"{heading}: {len(keys)} {label}: {shorten(keys, verbose)}")
        # What goes is always listed in full: it is what --prune asks to confirm.
        for label, keys in sorted(report.removed.items()):
            heading = "Removed" if done else "Would be removed"
            self.stdout.write(f"{heading}: {len(keys)} {label}: {', '.join(keys)}")
        for line in report.retired:
            self.stdout.write(f"{'Retired' if done else 'Would be retired'}: {line}")
        steps, people = roadmap_steps_using(report.going_skills)
        if steps:
            verb = "pointed" if done else "point"
            self.stdout.write(
                self.style.WARNING(f"{steps} roadmap steps of {people} people {verb} to the skills going.")
            )
        if report.absent and not (report.removed or report.retired):
            total = sum(len(keys) for keys in report.absent.values())
            self.stdout.write(f"Not in the files, kept ({total}; --prune removes them):")
            for label, keys in sorted(report.absent.items()):
                self.stdout.write(f"  {len(keys)} {label}: {shorten(keys, verbose)}")
        for problem in report.warnings:
            self.stdout.write(f"Needs attention: {problem}")

    def confirm(self, plan: loader.LoadReport) -> bool:
        if not (plan.removed or plan.retired):
            return True
        try:
            answer = input("Remove (or retire) the rows listed above? Type 'yes' to continue: ")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
