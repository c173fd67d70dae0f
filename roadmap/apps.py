from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from accounts import registry as account_registry
        from assessments import registry as assessment_registry

        from . import selectors, services

        account_registry.register_personal_data(
            account_registry.PersonalData(
                app=self.label, export=selectors.personal_data, delete=services.personal_data_delete
            )
        )
        account_registry.register_profile_listener(services.on_profile_changed)
        assessment_registry.register_result_listener(services.on_result_created)
