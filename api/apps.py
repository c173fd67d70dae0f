from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # A person's API tokens (names, scopes, dates; never a secret) are in their data download
        # and go with their account.
        from accounts import registry as account_registry

        from . import selectors, services

        account_registry.register_personal_data(
            account_registry.PersonalData(
                app=self.label, export=selectors.personal_data, delete=services.personal_data_delete
            )
        )
