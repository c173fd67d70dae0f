"""Shape the person's plan for the pages (no queries: rows come from the selectors)."""

from __future__ import annotations

import functools
import html
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from accounts.models import Profile
from assessments import presenters as assessment_presenters
from assessments.presenters import percent
from catalogue import caching
from catalogue import selectors as catalogue_selectors

from . import pace, planner
from .models import PlanRevision, StepStatus
from .selectors import CompletedStep, PlanFigures, PlanRow, step_from_details, step_from_row
from .step_details import ResourceRef, StepDetails

if TYPE_CHECKING:
    from assessments.models import Result

CLOSED = (StepStatus.DONE, StepStatus.SKIPPED)


@dataclass(frozen=True)
class WeekRow:
    """One line of "This week": the step, its share of the week's hours, what to do and with what."""

    row: PlanRow
    hours: float
    next_part: str
    resource: ResourceRef | None


def is_milestone(row: PlanRow) -> bool:
    return row.step.details.kind == planner.MILESTONE


def open_steps(rows: list[PlanRow]) -> list[PlanRow]:
    """The steps still to do (not milestones), in plan order."""
    return [row for row in rows if not is_milestone(row) and row.status not in CLOSED]


def this_week(rows: list[PlanRow], hours_per_week: int) -> list[WeekRow]:
    """The week's plan: the first open steps, the week's hours split over them (never empty while steps remain)."""
    # Only the first open steps can be this week's (``planner.tracks``): the others are not built.
    todo = open_steps(rows)[: planner.tracks(hours_per_week)]
    by_key = {row.step.key: row for row in todo}
    items = planner.this_week([step_from_row(row.step) for row in todo], hours_per_week)
    out = []
    for item in items:
        row = by_key[item.step.key]
        details = row.step.details
        out.append(
            WeekRow(
                row=row,
                hours=item.hours,
                next_part=details.part_name or details.goal,
                resource=details.resources[0] if details.resources else None,
            )
        )
    return out


def holds_step(this_week: Sequence[WeekRow] | None, pk: int) -> bool:
    """Whether this week's plan (:func:`this_week`) works on step ``pk`` (its card is shown open)."""
    return pk in held_steps(this_week)


def held_steps(this_week: Sequence[WeekRow] | None) -> set[int]:
    """The steps this week's plan (:func:`this_week`) works on: their cards are shown open."""
    return {item.row.step.pk for item in this_week or ()}


def timeline(rows: list[PlanRow]) -> list[tuple[date, list[PlanRow]]]:
    """The plan by the month each step starts in (milestones on their day), in plan order."""
    months: dict[date, list[PlanRow]] = {}
    for row in rows:
        month = row.step.planned_start.replace(day=1)
        months.setdefault(month, []).append(row)
    return sorted(months.items())


def revision_text(revision: PlanRevision | None) -> str:
    """ "2 steps added, 3 closed by your new result, 1 refresh step" (empty when nothing to say)."""
    if revision is None:
        return ""
    parts = []
    if revision.added:
        parts.append(
            ngettext("%(count)s step added", "%(count)s steps added", revision.added)
            % {"count": revision.added}
        )
    if revision.closed:
        closed = (
            ngettext(
                "%(count)s closed by your new result", "%(count)s closed by your new result", revision.closed
            )
            if revision.cause == PlanRevision.Cause.RESULT
            else ngettext(
                "%(count)s closed as no longer needed",
                "%(count)s closed as no longer needed",
                revision.closed,
            )
        )
        parts.append(closed % {"count": revision.closed})
    if revision.refreshed:
        parts.append(
            ngettext(
                "%(count)s refresh step for levels to win back",
                "%(count)s refresh steps for levels to win back",
                revision.refreshed,
            )
            % {"count": revision.refreshed}
        )
    if revision.kept:
        parts.append(
            ngettext(
                "%(count)s done step kept as they were",
                "%(count)s done steps kept as they were",
                revision.kept,
            )
            % {"count": revision.kept}
        )
    return pgettext("list separator", ", ").join(parts)


def plan_context(
    rows: list[PlanRow], *, profile: Profile, today: date, revision: PlanRevision | None = None
) -> dict[str, Any]:
    """What the roadmap page and a step card show of the plan (the dashboard: :func:`dashboard_plan`)."""
    steps = [row for row in rows if not is_milestone(row)]
    return dashboard_plan(rows, hours_per_week=profile.hours_per_week) | {
        "steps": steps,
        "milestones": [row for row in rows if is_milestone(row)],
        "timeline": timeline(rows),
        "hours_left": sum(row.step.hours for row in open_steps(rows)),
        "tracks": planner.tracks(profile.hours_per_week),
        "profile": profile,
        # Worded once per page, not once per step card.
        "status_choices": [(value, str(label)) for value, label in StepStatus.choices],
        "finish": max((row.step.planned_end for row in steps), default=None),
        "today": today,
        "revision": revision,
        "revision_text": revision_text(revision),
    }


# --- the dashboard: only what its plan card shows ------------------------------------------------


def dashboard_plan(rows: list[PlanRow], *, hours_per_week: int) -> dict[str, Any]:
    """What the dashboard shows of the plan (and :func:`plan_context` starts from): this week's
    steps and the hours done so far."""
    steps = [row for row in rows if not is_milestone(row)]
    planned = sum(row.step.hours for row in steps)
    done = sum(row.step.hours for row in steps if row.status == StepStatus.DONE)
    return {
        "rows": rows,
        "this_week": this_week(rows, hours_per_week),
        "hours_planned": planned,
        "hours_done": done,
        "percent_done": round(100 * done / planned) if planned else 0,
    }


@dataclass(frozen=True)
class DashboardWeekRow:
    """One line of the dashboard's "This week": the step's share of the week's hours, and the step."""

    hours: float
    details: StepDetails


def dashboard_plan_card(figures: PlanFigures, *, hours_per_week: int) -> dict[str, Any]:
    """:func:`dashboard_plan` from the plan's figures (``selectors.plan_figures``) rather than its rows:
    the same hours and the same week, with only this week's steps read."""
    steps = [step_from_details(s.key, s.hours, s.details) for s in figures.first_open]
    details = {s.key: s.details for s in figures.first_open}
    planned, done = figures.hours_planned, figures.hours_done
    return {
        "plan_steps": figures.steps,
        "this_week": [
            DashboardWeekRow(item.hours, details[item.step.key])
            for item in planner.this_week(steps, hours_per_week)
        ],
        "hours_planned": planned,
        "hours_done": done,
        "percent_done": round(100 * done / planned) if planned else 0,
    }


# --- the progress page: rows worked out once per page, in plain strings -------------------------
# The page's template only loops over these: dates are formatted, repeated sentences translated once
# per page and links built from one reversed pattern, so a long history costs little to draw.


@dataclass(frozen=True)
class ComparedResult:
    """One of the two results the progress page compares: all the page needs of it (no snapshot)."""

    pk: int
    user_id: int
    created_at: datetime
    focus: str


@dataclass(frozen=True)
class Comparison:
    """What two results' snapshots say side by side (results are frozen: worked out once per pair)."""

    closed: int
    opened: tuple[str, ...]
    changes: tuple[dict[str, Any], ...]
    method_changed: bool


_COMPARISONS: dict[tuple[Any, ...], Comparison] = {}
COMPARISONS_KEPT = 512


def compare(before: Result, after: Result) -> Comparison:
    """The gaps closed and opened for ``after``'s target, and the level of every skill in both."""
    headline = after.focus
    return Comparison(
        closed=assessment_presenters.gaps_closed(before, after, headline),
        opened=tuple(assessment_presenters.gaps_opened(before, after, headline)),
        changes=tuple(assessment_presenters.skill_changes(before, after)),
        method_changed=before.snapshot.method.name != after.snapshot.method.name,
    )


def comparison(
    first: ComparedResult,
    second: ComparedResult,
    load: Callable[[], tuple[Result | None, Result | None]],
) -> Comparison | None:
    """:func:`compare` of two results, kept per process: ``load`` reads them only the first time.

    A result never changes once written, so its id and creation time name its snapshot for good.
    """
    key = (first.user_id, first.pk, first.created_at, second.pk, second.created_at)
    found = _COMPARISONS.get(key)
    if found is None:
        before, after = load()
        if before is None or after is None:  # a pair that cannot be read is not kept
            return None
        found = caching.kept(_COMPARISONS, key, lambda: compare(before, after), COMPARISONS_KEPT)
    return found


@functools.lru_cache(maxsize=4096)
def _date_words(day: date, language: str | None) -> str:
    return date_format(day, "j M Y")


def day_words(day: date) -> str:
    """ "5 Jan 2026" in the active language, as the template filter ``date:"j M Y"`` words it (each day
    is worded once per process and language: formatting a date is slow and the same weeks recur)."""
    return _date_words(day, translation.get_language())


def foci(history: Iterable[Mapping[str, Any]]) -> list[str]:
    """The targets of a result history, in the order first measured (each once)."""
    return list(dict.fromkeys(h["focus"] for h in history))


def compared_pair(
    history: list[dict[str, Any]], user_id: int, first: int | None, second: int | None
) -> tuple[ComparedResult | None, ComparedResult | None]:
    """The two results the progress page compares, by id (default: the first and the latest); an id
    that is not one of the person's own results (``history``) gives None, as does a history of one."""
    if len(history) < 2 and (first is None or second is None):
        return None, None
    by_pk = {h["pk"]: ComparedResult(h["pk"], user_id, h["created_at"], h["focus"]) for h in history}
    return (
        by_pk.get(history[0]["pk"] if first is None else first),
        by_pk.get(history[-1]["pk"] if second is None else second),
    )


def progress_summary(
    history: list[dict[str, Any]],
    first: ComparedResult | None,
    second: ComparedResult | None,
    compared: Comparison | None,
    role_names: dict[str, str],
    target_names: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """The sentence over the progress page's table: gaps closed and opened since ``first`` and the
    readiness for ``second``'s target in both (None without two results to compare).

    ``target_names``: the targets' names already worked out for the page, by key (the others are
    named from ``role_names``)."""
    if first is None or second is None or compared is None:
        return None
    headline = second.focus
    readiness = {h["pk"]: h["readiness"] for h in history}
    known = target_names or {}

    def name(key: str) -> str:
        return known[key] if key in known else catalogue_selectors.target_name(key, role_names)

    return {
        "since": first.created_at,
        "since_words": _long_date_words(timezone.localdate(first.created_at), translation.get_language()),
        "closed": compared.closed,
        "opened": list(compared.opened),
        "before": percent(readiness[first.pk].get(headline)),
        "after": percent(readiness[second.pk].get(headline)),
        "role": name(headline),
        "target_changed": first.focus != second.focus,
        "method_changed": compared.method_changed,
        "before_role": name(first.focus),
    }


@functools.lru_cache(maxsize=4096)
def _long_date_words(day: date, language: str | None) -> str:
    """ "5 January 2026", as the template filter ``date:"j F Y"`` words the day (once per process)."""
    return date_format(day, "j F Y")


@functools.lru_cache(maxsize=64)
def _result_link_parts(urlconf: str | None, script_prefix: str) -> tuple[str, str]:
    marker = "2147483647"
    prefix, _, suffix = reverse("result_detail", args=[int(marker)], urlconf=urlconf).rpartition(marker)
    return prefix, suffix


def result_link() -> Callable[[int], str]:
    """A result's address by its id, from one reversed address (a row does not reverse its own; the
    address is reversed once per process, URLconf and script prefix)."""
    prefix, suffix = _result_link_parts(get_urlconf(), get_script_prefix())
    return lambda pk: f"{prefix}{pk}{suffix}"


def _day(moment: datetime) -> str:
    return day_words(timezone.localdate(moment))


def _time(moment: datetime) -> str:
    # "H:i": the hour and minute in local time, digits only (the same in every language).
    local = timezone.localtime(moment)
    return f"{local.hour:02d}:{local.minute:02d}"


@dataclass(frozen=True)
class HistoryRow:
    """One line of the progress table: the result's date (with its time when the day has two),
    the markers, one readiness cell per target (already in words) and the link to the result."""

    pk: int
    day: str
    heading: str
    option: str
    target_changed: bool
    method_changed: bool
    cells: tuple[str, ...]
    link: SafeString


def history_rows(
    history: list[dict[str, Any]], roles: Mapping[str, str], result_url: Callable[[int], str]
) -> list[HistoryRow]:
    """The progress table's rows, oldest first (``result_url``: the link to a result by its id)."""
    no_figure = pgettext("no readiness figure", "n/a")
    one_of_day = gettext(
        '<a href="%(result_url)s">Result<span class="visually-hidden"> of %(date)s</span></a>'
    )
    two_of_day = gettext(
        '<a href="%(result_url)s">Result<span class="visually-hidden"> of %(date)s %(time)s</span></a>'
    )
    language = translation.get_language()  # once, not once per row
    days = [_date_words(timezone.localdate(h["created_at"]), language) for h in history]
    per_day = Counter(days)
    rows = []
    for index, h in enumerate(history):
        day = days[index]
        shares_day = per_day[day] > 1
        time = _time(h["created_at"])
        cells = []
        for slug in roles:
            value = percent(h["readiness"].get(slug))
            cells.append(no_figure if value is None else f"{value}%")
        if shares_day:
            link = two_of_day % {
                "result_url": html.escape(result_url(h["pk"])),
                "date": html.escape(day),
                "time": html.escape(time),
            }
        else:
            link = one_of_day % {"result_url": html.escape(result_url(h["pk"])), "date": html.escape(day)}
        rows.append(
            HistoryRow(
                pk=h["pk"],
                day=day,
                heading=f"{day} {time}" if shares_day else day,
                option=f"{day} {time}",
                target_changed=index > 0 and h["focus"] != history[index - 1]["focus"],
                method_changed=index > 0 and h["method"] != history[index - 1]["method"],
                cells=tuple(cells),
                link=mark_safe(link),  # translated markup, its values escaped above
            )
        )
    return rows


def change_rows(changes: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str, str]]:
    """The comparison table: skill, level before ("-" when not assessed), after, change ("+1", "new")."""
    new = pgettext("a skill not assessed before", "new")
    rows = []
    for c in changes:
        change = c["change"]
        shown = new if change is None else f"+{change}" if change > 0 else str(change)
        before = "-" if c["before"] is None else str(c["before"])
        rows.append((str(c["name"]), before, str(c["after"]), shown))
    return rows


def change_table(rows: Iterable[tuple[str, str, str, str]]) -> SafeString:
    """The comparison table's body from :func:`change_rows`, escaped here: a table of every skill is
    long, and one string costs the template one variable instead of four per skill."""
    return mark_safe(  # every value escaped here
        "".join(
            f'<tr><th scope="row">{html.escape(name)}</th><td>{html.escape(before)}</td>'
            f"<td>{html.escape(after)}</td><td>{html.escape(change)}</td></tr>"
            for name, before, after, change in rows
        )
    )


def completed_rows(completed: Iterable[tuple[Any, str]]) -> list[str]:
    """ "5 Jan 2026: Python 1 → 2" for each step done, oldest first."""
    return [f"{_day(progress.completed_at)}: {name}" for progress, name in completed]


_TABLES: dict[tuple[Any, ...], SafeString] = {}


def comparison_table(
    first: ComparedResult | None, second: ComparedResult | None, compared: Comparison | None
) -> SafeString:
    """:func:`change_table` of the comparison of ``first`` and ``second``, kept per process and
    language like the comparison itself (the two results never change)."""
    if first is None or second is None or compared is None:
        return change_table([])
    key = (
        first.user_id,
        first.pk,
        first.created_at,
        second.pk,
        second.created_at,
        translation.get_language(),
    )
    return caching.kept(_TABLES, key, lambda: change_table(change_rows(compared.changes)), COMPARISONS_KEPT)


def completed_step_rows(completed: Iterable[CompletedStep]) -> list[str]:
    """:func:`completed_rows` of ``selectors.completed_step_titles``."""
    language = translation.get_language()
    return [
        f"{_date_words(timezone.localdate(step.completed_at), language)}: {step.title}" for step in completed
    ]


@functools.lru_cache(maxsize=1024)
def _hours_words(hours: str, language: str | None) -> str:
    return intcomma(Decimal(hours))


def hours_words(hours: Decimal) -> str:
    """Hours as the template filter ``intcomma`` words them ("1,234.5"), once per value and language."""
    return _hours_words(str(hours), translation.get_language())


def study_week_rows(weeks: Iterable[pace.WeekTotal]) -> list[tuple[str, str]]:
    """Each week's dates in words ("5 Jan 2026 to 11 Jan 2026") and its hours."""
    between = gettext("%(start)s to %(end)s")
    language = translation.get_language()  # once, not once per date
    return [
        (
            between % {"start": _date_words(week.start, language), "end": _date_words(week.end, language)},
            _hours_words(str(week.hours), language),
        )
        for week in weeks
    ]


def deadline(rows: list[PlanRow], hours_per_week: int, today: date, ready_by: date) -> planner.Deadline:
    """What "ready by" takes for the open steps of this plan."""
    return planner.deadline(
        [step_from_row(row.step) for row in open_steps(rows)], hours_per_week, today, ready_by
    )
