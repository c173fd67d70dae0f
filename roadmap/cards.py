"""The roadmap's closed step cards, rendered once per process and kept by what they show.

A plan from zero has some seventy steps, and a card costs about a millisecond of template work, so
the page would spend most of its time re-rendering cards that have not changed. A closed card
carries no form and nothing of the request (no CSRF token, no date of today): what it shows is the
step's stored values, the person's status, notes and evidence on it, the hours logged on it, the
language and whether the page is the public sample. The key digests exactly those, so an entry
never goes stale: a change to any of them is a new key, and the old entry ages out of the
per-process ``fragments`` cache. Open cards (this week's steps) carry forms and are rendered with
the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .selectors import PlanRow
from .templatetags.roadmap_words import card_open

CARD_TEMPLATE = "roadmap/step.html"


def card_key(row: PlanRow, *, logged: Decimal | None, language: str, sample: bool) -> str:
    """The cache key of a closed card: a digest of everything the card shows."""
    step, progress = row.step, row.progress
    shown = (
        step.pk,
        step.key,
        step.details_json,
        step.hours,
        step.planned_start,
        step.planned_end,
        row.status,
        progress.notes if progress else "",
        progress.evidence if progress else [],
        logged,
        sample,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"roadmap-card:{language}:{digest}"


def closed_cards(
    rows: Iterable[PlanRow], context: Mapping[str, Any], *, sample: bool = False
) -> dict[int, SafeString]:
    """The HTML of each closed card of ``rows`` by step id, from the cache or rendered and kept.

    ``context`` is the roadmap page's (``this_week``, ``pace``, ``status_choices``); open cards and
    milestones are left out: the page renders those itself.
    """
    pace = context.get("pace")
    step_hours = pace.step_hours if pace else {}
    this_week = context.get("this_week") or ()
    language = get_language() or ""
    keys: dict[int, tuple[str, PlanRow]] = {}
    for row in rows:
        if row.step.details.kind == "milestone" or card_open(row, this_week=this_week):
            continue
        key = card_key(row, logged=step_hours.get(row.step.key), language=language, sample=sample)
        keys[row.step.pk] = (key, row)
    if not keys:
        return {}
    cache = caches["fragments"]
    found = cache.get_many([key for key, _ in keys.values()])
    missing: dict[str, str] = {}
    template = None
    card_context = {
        "pace": pace,
        "status_choices": context.get("status_choices"),
        "sample": sample,
    }
    cards: dict[int, SafeString] = {}
    for pk, (key, row) in keys.items():
        html = found.get(key)
        if html is None:
            template = template or get_template(CARD_TEMPLATE)
            html = template.render(card_context | {"row": row})
            missing[key] = html
        cards[pk] = mark_safe(html)
    if missing:
        cache.set_many(missing)
    return cards
