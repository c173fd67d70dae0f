"""The roadmap's step cards and milestones, rendered once per process and kept by what they show.

A plan from zero has some seventy steps, and a card costs about a millisecond of template work (an
open one, with its two forms, about two), so the page would spend most of its time re-rendering
cards that have not changed. What a card shows is the step's stored values, the person's status,
notes and evidence on it, the hours logged on it, the language and whether the page is the public
sample; an open card (this week's steps) adds its forms, whose study-log date defaults to today.
The key digests exactly those, so an entry never goes stale: a change to any of them is a new key,
and the old entry ages out of the per-process ``fragments`` cache.

The one thing of the request an open card carries is its CSRF token: the card is kept with a
stand-in, and the request's own token is put in on the way out (``catalogue.caching.put_token``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalogue import caching

from .selectors import PlanRow
from .templatetags.roadmap_words import card_open

CARD_TEMPLATE = "roadmap/step.html"
MILESTONE_TEMPLATE = "roadmap/_milestone.html"
# What {% csrf_token %} prints for the placeholder token an open card is rendered with.


@dataclass(frozen=True)
class Month:
    """A month of the timeline: its place (1 for the first), its name ("March 2027") and its cards."""

    number: int
    name: str
    cards: SafeString


def card_key(
    row: PlanRow, *, logged: Decimal | None, language: str, sample: bool, open_on: date | None = None
) -> str:
    """The cache key of a card or a milestone: a digest of everything it shows (``open_on``: today,
    for an open card, whose study-log form defaults to the day; None for a closed one)."""
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
        open_on,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"roadmap-card:{language}:{digest}"


def timeline_months(
    timeline: Iterable[tuple[date, list[PlanRow]]],
    context: Mapping[str, Any],
    *,
    today: date,
    csrf_token: str = "",
    sample: bool = False,
) -> list[Month]:
    """The roadmap's months, each named and with its cards and milestones rendered in order.

    A card comes from the cache, or is rendered and kept; an open one (this week's steps:
    ``context["this_week"]``) then gets ``csrf_token`` in its forms. The HTML is marked safe: it is
    our own templates' output, escaped there.
    """
    pace = context.get("pace")
    step_hours = pace.step_hours if pace else {}
    this_week = context.get("this_week") or ()
    language = get_language() or ""
    months = [(month, list(rows)) for month, rows in timeline]
    keys: dict[int, str] = {}
    opened: set[int] = set()
    for _month, rows in months:
        for row in rows:
            milestone = row.step.details.kind == "milestone"
            shown_open = not milestone and card_open(row, this_week=this_week)
            if shown_open:
                opened.add(row.step.pk)
            keys[row.step.pk] = card_key(
                row,
                logged=None if milestone else step_hours.get(row.step.key),
                language=language,
                sample=sample,
                open_on=today if shown_open else None,
            )
    cache = caches["fragments"]
    found = cache.get_many(list(keys.values())) if keys else {}
    missing: dict[str, str] = {}
    base_context = {"pace": pace, "status_choices": context.get("status_choices"), "sample": sample}
    months_html: list[Month] = []
    for number, (month, rows) in enumerate(months, start=1):
        parts: list[str] = []
        for row in rows:
            key = keys[row.step.pk]
            html = found.get(key)
            if html is None:
                name = MILESTONE_TEMPLATE if row.step.details.kind == "milestone" else CARD_TEMPLATE
                card_context = base_context | {"row": row}
                if row.step.pk in opened:
                    card_context |= {"this_week": this_week, "csrf_token": caching.TOKEN_PLACEHOLDER}
                html = get_template(name).render(card_context)
                missing[key] = html
            if row.step.pk in opened:
                html = caching.put_token(html, csrf_token)
            parts.append(html)
        months_html.append(Month(number, date_format(month, "F Y"), mark_safe("".join(parts))))
    if missing:
        cache.set_many(missing)
    return months_html
