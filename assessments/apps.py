from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and catalogue"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the catalogue system check)
