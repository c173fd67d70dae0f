"""The roadmap's closed step cards and milestones, rendered once per process and kept by what they show.

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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .selectors import PlanRow
from .templatetags.roadmap_words import card_open

CARD_TEMPLATE = "roadmap/step.html"
MILESTONE_TEMPLATE = "roadmap/_milestone.html"


@dataclass(frozen=True)
class Segment:
    """A run of prepared cards (``html``), or one open card the page renders with its forms (``row``)."""

    html: SafeString | str = ""
    row: PlanRow | None = None


def card_key(row: PlanRow, *, logged: Decimal | None, language: str, sample: bool) -> str:
    """The cache key of a closed card or a milestone: a digest of everything the card shows."""
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


def timeline_segments(
    timeline: Iterable[tuple[date, list[PlanRow]]], context: Mapping[str, Any], *, sample: bool = False
) -> list[tuple[date, list[Segment]]]:
    """The roadmap's months, each as runs of prepared cards with the open cards between them.

    A closed card or a milestone comes from the cache, or is rendered and kept; an open card (this
    week's steps: ``context["this_week"]``) is left to the page, which renders it with its forms.
    The runs are marked safe: they are our own templates' output, escaped there.
    """
    pace = context.get("pace")
    step_hours = pace.step_hours if pace else {}
    this_week = context.get("this_week") or ()
    language = get_language() or ""
    months = [(month, list(rows)) for month, rows in timeline]
    keys: dict[int, str] = {}
    for _month, rows in months:
        for row in rows:
            milestone = row.step.details.kind == "milestone"
            if milestone or not card_open(row, this_week=this_week):
                logged = None if milestone else step_hours.get(row.step.key)
                keys[row.step.pk] = card_key(row, logged=logged, language=language, sample=sample)
    cache = caches["fragments"]
    found = cache.get_many(list(keys.values())) if keys else {}
    missing: dict[str, str] = {}
    card_context = {"pace": pace, "status_choices": context.get("status_choices"), "sample": sample}
    segments: list[tuple[date, list[Segment]]] = []
    for month, rows in months:
        parts: list[Segment] = []
        run: list[str] = []
        for row in rows:
            key = keys.get(row.step.pk)
            if key is None:
                if run:
                    parts.append(Segment(html=mark_safe("".join(run))))
                    run = []
                parts.append(Segment(row=row))
                continue
            html = found.get(key)
            if html is None:
                name = MILESTONE_TEMPLATE if row.step.details.kind == "milestone" else CARD_TEMPLATE
                html = get_template(name).render(card_context | {"row": row})
                missing[key] = html
            run.append(html)
        if run:
            parts.append(Segment(html=mark_safe("".join(run))))
        segments.append((month, parts))
    if missing:
        cache.set_many(missing)
    return segments
