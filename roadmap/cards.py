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

The page's whole content (the summary, the forms, the timeline) is kept too, in the ``pages``
cache, under a digest of everything it is made from (:func:`page_key`): an unchanged plan costs its
reads and one cache read; after a change the page is put together again, only the changed cards
rendered anew.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.cache import caches
from django.db.models import Model
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalogue import caching

from . import presenters
from .selectors import PaceFigures, PlanRow

if TYPE_CHECKING:
    from accounts.models import Profile
    from assessments.models import Result

    from .models import PlanRevision

CARD_TEMPLATE = "roadmap/step.html"
MILESTONE_TEMPLATE = "roadmap/_milestone.html"
# What {% csrf_token %} prints for the placeholder token an open card is rendered with.


def card_key(
    row: PlanRow, *, logged: Decimal | None, language: str, sample: bool, open_on: date | None = None
) -> str:
    """The cache key of a card or a milestone: a digest of everything it shows (``open_on``: today,
    for an open card, whose study-log form defaults to the day; None for a closed one)."""
    if row.stored is not None:  # every column of the step and its progress, as read
        digest = hashlib.blake2b(
            repr((row.stored, logged, sample, open_on)).encode(), digest_size=16
        ).hexdigest()
        return f"roadmap-card:{language}:{digest}"
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


def timeline_html(
    timeline: Iterable[tuple[date, list[PlanRow]]],
    context: Mapping[str, Any],
    *,
    today: date,
    csrf_token: str = "",
    sample: bool = False,
) -> SafeString:
    """The roadmap's timeline: a section per month, headed by its name ("March 2027"), with its
    cards and milestones in order.

    A card comes from the cache, or is rendered and kept; an open one (this week's steps:
    ``context["this_week"]``) then gets ``csrf_token`` in its forms. The HTML is marked safe: it is
    our own templates' output, escaped there. (The page around it is kept whole: :func:`page_key`.)
    """
    pace = context.get("pace")
    step_hours = pace.step_hours if pace else {}
    this_week = context.get("this_week") or ()
    held = presenters.held_steps(this_week)
    language = get_language() or ""
    months = [(month, list(rows)) for month, rows in timeline]
    opened: set[int] = set()
    logged: dict[int, Decimal | None] = {}
    for _month, rows in months:
        for row in rows:
            pk = row.step.pk
            if row.step.details.kind == "milestone":
                logged[pk] = None
                continue
            logged[pk] = step_hours.get(row.step.key)
            if pk in held:
                opened.add(pk)
    html = _render_months(months, logged, opened, context, language=language, sample=sample, today=today)
    return mark_safe(caching.put_token(html, csrf_token) if opened else html)


class PlanReads(NamedTuple):
    """What the roadmap page's five reads gave (``roadmap.views.plan_page_context``)."""

    rows: list[PlanRow]
    profile: Profile
    held: list[str]
    revision: PlanRevision | None
    logged: PaceFigures
    previous: Result | None
    latest: Result | None


def page_key(user_pk: int, reads: PlanReads, *, today: date, catalogue_version: str, sample: bool) -> str:
    """The key of the roadmap page's content (everything between the header and the footer), kept
    whole: a digest of everything it is made from, as the page's reads gave it. The plan's rows
    (every column of each step and of its progress; on PostgreSQL their ids and row versions), the
    profile's columns, the milestones ticked, the last rebuild, the hours logged, the latest two
    results, the day, the catalogue's version, the language and the script prefix. Any change to
    one of them is a new key, so an entry never goes stale: the old one ages out of the cache.
    "" when a row was not read by ``selectors.plan_rows`` (then the page is rendered afresh)."""
    stored = [row.stored for row in reads.rows]
    if any(value is None for value in stored):
        return ""
    shown = (
        user_pk,
        stored,
        _columns(reads.profile),
        tuple(reads.held),
        _columns(reads.revision),
        repr(reads.logged),  # Decimals: repr is exact, and faster than pickling them
        _columns(reads.previous),
        _columns(reads.latest),
        today,
        catalogue_version,
        sample,
        get_script_prefix(),
    )
    # Pickled rather than repr'd, in a third of the time: different values never give the same bytes.
    digest = hashlib.blake2b(pickle.dumps(shown, 5), digest_size=16).hexdigest()
    return f"roadmap-page:{get_language() or ''}:{digest}"


def _columns(instance: Model | None) -> tuple[Any, ...] | None:
    """An instance's columns as read (None for a deferred one: the same query defers the same ones)."""
    if instance is None:
        return None
    values = instance.__dict__
    return tuple(values.get(field.attname) for field in instance._meta.concrete_fields)


def _render_months(
    months: list[tuple[date, list[PlanRow]]],
    logged: Mapping[int, Decimal | None],
    opened: set[int],
    context: Mapping[str, Any],
    *,
    language: str,
    sample: bool,
    today: date,
) -> str:
    """The timeline's HTML (open cards with the token's stand-in), each card from the cache or
    rendered and kept."""
    keys = {
        row.step.pk: card_key(
            row,
            logged=logged[row.step.pk],
            language=language,
            sample=sample,
            open_on=today if row.step.pk in opened else None,
        )
        for _month, rows in months
        for row in rows
    }
    cache = caches["fragments"]
    found = cache.get_many(list(keys.values())) if keys else {}
    missing: dict[str, str] = {}
    base_context = {
        "pace": context.get("pace"),
        "status_choices": context.get("status_choices"),
        "sample": sample,
    }
    rendered: list[str] = []
    for number, (month, rows) in enumerate(months, start=1):
        parts: list[str] = []
        for row in rows:
            key = keys[row.step.pk]
            html = found.get(key)
            if html is None:
                name = MILESTONE_TEMPLATE if row.step.details.kind == "milestone" else CARD_TEMPLATE
                card_context = base_context | {"row": row}
                if row.step.pk in opened:
                    card_context |= {
                        "this_week": context.get("this_week") or (),
                        "csrf_token": caching.TOKEN_PLACEHOLDER,
                    }
                html = get_template(name).render(card_context)
                missing[key] = html
            parts.append(html)
        rendered.append(
            format_html(
                '<section class="mb-4" aria-labelledby="month-{0}"><h3 class="h5" id="month-{0}">{1}</h3>{2}</section>',
                number,
                date_format(month, "F Y"),
                mark_safe("".join(parts)),
            )
        )
    if missing:
        cache.set_many(missing)
    return "\n".join(rendered)
