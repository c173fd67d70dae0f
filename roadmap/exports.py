"""The roadmap as Markdown and as iCalendar: plain functions over the stored plan."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from .step_details import StepDetails
from .wording import step_heading, step_reason

# What can start markup anywhere in a line: a backslash, code, emphasis, links and images (with
# `[`/`]` escaped, `(`, `)` and `!` stay plain), raw HTML and autolinks, strikethrough, and an
# entity (`&amp;`) that would render as another character.
MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]<>~]|&(?=#?\w+;)")
# A heading's closing sequence: a run of `#` at its end after a space (or alone), which Markdown drops.
HEADING_CLOSE = re.compile(r"(?:^|(?<= ))#(?=#*$)")


def md_escape(text: str, *, heading: bool = False) -> str:
    """Catalogue or personal text on one line, escaped only where Markdown would read it as markup.

    The text is always written after a fixed prefix (``# ``, ``- [ ] **``, ``  - Why: ``), so block
    markers (``#``, ``-``, ``+``, ``1.``, ``>``) never start a line and ordinary punctuation stays
    plain; in a heading (``heading=True``), a trailing run of ``#`` is kept as text.
    """
    escaped = MARKDOWN_INLINE.sub(lambda match: "\\" + match.group(), " ".join(str(text).split()))
    return HEADING_CLOSE.sub(r"\\#", escaped) if heading else escaped


def md_url(url: str) -> str:
    """A URL percent-encoded so that it cannot close a Markdown autolink (``<...>``) or add markup."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%")


class _Step(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def hours(self) -> int: ...
    @property
    def planned_start(self) -> date: ...
    @property
    def planned_end(self) -> date: ...
    @property
    def details(self) -> StepDetails: ...


class _Progress(Protocol):
    @property
    def notes(self) -> str: ...
    @property
    def evidence(self) -> Any: ...


class PlanRowLike(Protocol):
    """A plan step with the person's progress on it (``roadmap.selectors.PlanRow``)."""

    @property
    def step(self) -> _Step: ...
    @property
    def progress(self) -> _Progress | None: ...
    @property
    def status(self) -> str: ...
    @property
    def status_label(self) -> str: ...


def _day(day: date) -> str:
    """A day in the active language's words ("05 Jan 2026" in English)."""
    return date_format(day, "d M Y")


def plan_markdown(rows: Iterable[PlanRowLike], *, title: str, hours_per_week: int) -> str:
    """The plan as a Markdown checklist, by the month steps start in, with goals, resources, notes and evidence.

    Its fixed words and its dates are in the active language (the person's, as on the pages).
    """
    planned_at = ngettext(
        "Planned at %(hours)s hour a week.", "Planned at %(hours)s hours a week.", hours_per_week
    ) % {"hours": hours_per_week}
    lines = [f"# {md_escape(title, heading=True)}", "", planned_at, ""]
    month: str | None = None
    for row in rows:
        details = row.step.details
        if date_format(row.step.planned_start, "F Y") != month:
            month = date_format(row.step.planned_start, "F Y")
            lines += [f"## {month}", ""]
        mark = "x" if row.status == "done" else " "
        if details.kind == "milestone":
            milestone = _("Milestone, %(day)s: %(heading)s") % {
                "day": _day(row.step.planned_start),
                "heading": f"**{md_escape(step_heading(details))}**",
            }
            lines.append(f"- [{mark}] {milestone}")
        else:
            levels = (
                ""
                if details.title
                else " "
                + _("(level %(from)s to %(to)s)") % {"from": details.from_level, "to": details.to_level}
            )
            when = _("%(hours)s h, %(start)s to %(end)s, %(status)s") % {
                "hours": row.step.hours,
                "start": _day(row.step.planned_start),
                "end": _day(row.step.planned_end),
                "status": str(row.status_label).lower(),
            }
            lines.append(f"- [{mark}] **{md_escape(step_heading(details))}**{levels}: {when}")
        if details.part_name:
            lines.append("  - " + _("This part: %(part)s") % {"part": md_escape(details.part_name)})
        if details.reason:
            lines.append("  - " + _("Why: %(reason)s") % {"reason": md_escape(step_reason(details))})
        if details.goal:
            lines.append("  - " + _("Done looks like: %(goal)s") % {"goal": md_escape(details.goal)})
        for resource in details.resources:
            cost = _("free") if resource.free else _("paid")
            lines.append(
                f"  - [{md_escape(resource.title)}](<{md_url(resource.url)}>) ({cost}, {resource.hours} h)"
            )
        if row.progress and row.progress.notes:
            lines.append("  - " + _("Notes: %(notes)s") % {"notes": md_escape(row.progress.notes)})
        for link in row.progress.evidence if row.progress else []:
            lines.append("  - " + _("Evidence: %(link)s") % {"link": f"<{md_url(link)}>"})
    return "\n".join(lines) + "\n"


def plan_icalendar(rows: Iterable[PlanRowLike], *, user_id: int, stamp: datetime) -> bytes:
    """One all-day event per step over its planned dates, with a UID that stays stable per step.

    Every step of the plan is an event, whatever its status, and so is every milestone: importing
    the file again updates each event by its UID. A done step keeps its event, the record of when
    it was studied; a skipped step's event is CANCELLED, so that the import withdraws it."""
    calendar = Calendar()
    calendar.add("prodid", "-//careerpath//roadmap//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("careerpath roadmap"))
    for row in rows:
        details = row.step.details
        event = Event()
        event.add("uid", f"{row.step.key.replace(':', '-')}.{user_id}@careerpath")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.step.planned_start)
        event.add("dtend", row.step.planned_end + timedelta(days=1))
        event.add(
            "summary",
            (_("Milestone: %(heading)s") if details.kind == "milestone" else _("Study: %(heading)s"))
            % {"heading": step_heading(details)},
        )
        body = [ngettext("%(hours)s hour.", "%(hours)s hours.", row.step.hours) % {"hours": row.step.hours}]
        if details.goal:
            body.append(_("Done looks like: %(goal)s") % {"goal": details.goal})
        body += [f"{r.title}: {r.url}" for r in details.resources]
        event.add("description", "\n".join(body))
        if row.status == "skipped":
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
