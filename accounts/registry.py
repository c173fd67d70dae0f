"""What other apps hold about a person, and what they do when a profile changes.

accounts sits below assessments and roadmap, so it cannot import them. Each app says in its
``AppConfig.ready()`` what it keeps about a person (exported in the data download, deleted with the
account) and which profile changes it follows. The registry is explicit and ordered by app
registration, so the export's sections and the deletion order are the same every time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class PersonalData:
    """One app's part of a person's data: JSON-ready sections to export, and how to delete them."""

    app: str
    export: Callable[[User], dict[str, Any]]
    delete: Callable[[User], None]


ProfileListener = Callable[["User", Collection[str]], None]

_personal_data: list[PersonalData] = []
_profile_listeners: list[ProfileListener] = []


def register_personal_data(entry: PersonalData) -> None:
    """Add an app's personal data (once per app; registering again replaces it)."""
    _personal_data[:] = [e for e in _personal_data if e.app != entry.app]
    _personal_data.append(entry)


def personal_data() -> tuple[PersonalData, ...]:
    return tuple(_personal_data)


def register_profile_listener(listener: ProfileListener) -> None:
    """Call ``listener(user, changed_fields)`` after a person's profile is saved."""
    if listener not in _profile_listeners:
        _profile_listeners.append(listener)


def profile_changed(user: User, changed: Collection[str]) -> None:
    for listener in _profile_listeners:
        listener(user, changed)
