"""Retire the kept copy of every signed-in person (accounts/signed_in.py).

    manage.py forget_signed_in

Run it after changing accounts outside the ORM (SQL, another program): each person's next page then
reads their account afresh. Without it, such a change shows within ``signed_in.KEPT_SECONDS``.
``restore_db`` runs it after a restore.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts import signed_in


class Command(BaseCommand):
    help = "Retire the copies of signed-in people kept beside the sessions (after accounts changed outside the ORM)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = signed_in.forget_all()
        if options["verbosity"]:
            self.stdout.write(f"Retired the kept copies of {count} sessions.")
