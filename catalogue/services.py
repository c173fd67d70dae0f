"""Writes to the catalogue outside the loader: the content hash that versions it."""

from __future__ import annotations

from django.db import transaction

from .models import CATALOGUE_MODELS, CatalogueState
from .validation import content_hash


def _version_rows() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for model in CATALOGUE_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
        values = model._default_manager.values_list(*names).order_by(*names)
        rows.append((model._meta.label_lower, len(fk_names)))
        rows.extend((model._meta.label_lower, *map(str, row)) for row in values)
    return rows


@transaction.atomic
def refresh_catalogue_version() -> str:
    """Recompute the content hash after the catalogue changed, and store it."""
    version = content_hash(_version_rows())
    CatalogueState.objects.update_or_create(pk=1, defaults={"version": version})
    return version
