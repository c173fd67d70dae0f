"""How operations refuse: one message for a missing object or a conflict, a list of problems for input.

404, 409, 401 and 403 answer ``{"detail": "<message>"}``; 422 answers ``{"detail": [{"type", "loc",
"msg"}, ...]}``, the shape django-ninja gives its own validation errors, so clients read one shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ninja.errors import HttpError, ValidationError

from . import schemas

# Largest database id (a signed 64-bit integer): a bigger path or query id is refused, never sent
# to the database.
MAX_ID = 2**63 - 1

# The responses every operation documents: 429 beyond a request limit (api.throttling; with a
# Retry-After header) ...
LIMITED = {429: schemas.ErrorOut}
# ... those of a person's own data: 401 without a session or token ...
PRIVATE = {401: schemas.ErrorOut, **LIMITED}
# ... those whose path or query parameters have bounds: 422 out of bounds ...
PARAMETERS = {422: schemas.ValidationErrorOut}
# ... and the writes: 400 for a body that is not JSON, 403 for a failed CSRF check or a read-only
# token, 422 for refused input.
WRITE = {
    400: schemas.ErrorOut,
    403: schemas.ErrorOut,
    422: schemas.ValidationErrorOut,
    **PRIVATE,
}


def not_found(message: str) -> HttpError:
    return HttpError(404, message)


def conflict(message: str) -> HttpError:
    return HttpError(409, message)


def refused(message: str, *loc: str | int, kind: str = "refused") -> ValidationError:
    """A 422 with one problem at ``loc`` (a path into the request, e.g. "body", "hours")."""
    return ValidationError([{"type": kind, "loc": list(loc), "msg": message}])


def form_refused(
    errors: Mapping[str, Sequence[Any]], where: Mapping[str, Sequence[str | int]] | None = None
) -> ValidationError:
    """A 422 listing a form's errors; ``where`` maps a form field to its place in the request body."""
    where = where or {}
    items: list[dict[str, Any]] = []
    for field, messages in errors.items():
        loc = list(where.get(field, ("body",) if field == "__all__" else ("body", field)))
        items += [{"type": "refused", "loc": loc, "msg": str(message)} for message in _flat(messages)]
    return ValidationError(items)


def _flat(messages: Iterable[Any]) -> list[str]:
    return [str(m) for m in messages]
