from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from accounts import registry

        from . import selectors, services

        registry.register_personal_data(
            registry.PersonalData(
                app=self.label, export=selectors.personal_data, delete=services.personal_data_delete
            )
        )
