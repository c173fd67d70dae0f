"""Who follows a new result: roadmap rebuilds the plan from it.

assessments sits below roadmap, so it cannot import it; roadmap registers a listener in its
``AppConfig.ready()``. Listeners run inside the submit's transaction, so a failing listener
rolls the submit back and nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Result

ResultListener = Callable[["Result"], None]

_result_listeners: list[ResultListener] = []


def register_result_listener(listener: ResultListener) -> None:
    """Call ``listener(result)`` when an assessment is submitted and its result frozen."""
    if listener not in _result_listeners:
        _result_listeners.append(listener)


def result_created(result: Result) -> None:
    for listener in _result_listeners:
        listener(result)
