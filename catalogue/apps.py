from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.core import signals

        from . import caching, checks  # noqa: F401  (checks registers the catalogue system check)

        signals.request_started.connect(caching.request_started, dispatch_uid="catalogue-request-started")
        signals.request_finished.connect(caching.request_finished, dispatch_uid="catalogue-request-finished")
