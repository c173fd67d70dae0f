from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import on_user_logged_in

        # The person's saved language goes into their session at log-in (accounts/middleware.py).
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.remember_language")

        # A signed-in person's kept copy (accounts/signed_in.py) is retired by every write of the account.
        from django.db.models.signals import post_delete, post_save

        from . import signed_in
        from .models import User, account_rows_written

        post_save.connect(signed_in.on_account_written, sender=User, dispatch_uid="accounts.signed_in.saved")
        post_delete.connect(
            signed_in.on_account_written, sender=User, dispatch_uid="accounts.signed_in.deleted"
        )
        account_rows_written.connect(
            signed_in.on_account_rows_written, sender=User, dispatch_uid="accounts.signed_in.written"
        )

        # People's reports of catalogue questions are theirs: in their data download, deleted with
        # their account. The catalogue is the lowest layer and imports no app, so accounts (which
        # may import the catalogue) registers them.
        from catalogue import selectors as catalogue_selectors
        from catalogue import services as catalogue_services

        from . import registry

        registry.register_personal_data(
            registry.PersonalData(
                app="catalogue",
                export=catalogue_selectors.question_reports_export,
                delete=catalogue_services.question_reports_delete,
            )
        )
