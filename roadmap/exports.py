"""The roadmap as Markdown and as iCalendar: plain functions over the stored plan."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote

from icalendar import Calendar, Event

from .step_details import StepDetails

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


def plan_markdown(rows: Iterable[PlanRowLike], *, title: str, hours_per_week: int) -> str:
    """The plan as a Markdown checklist, by the month steps start in, with goals, resources, notes and evidence."""
    lines = [f"# {md_escape(title, heading=True)}", "", f"Planned at {hours_per_week} hours a week.", ""]
    month: str | None = None
    for row in rows:
        details = row.step.details
        if f"{row.step.planned_start:%B %Y}" != month:
            month = f"{row.step.planned_start:%B %Y}"
            lines += [f"## {month}", ""]
        mark = "x" if row.status == "done" else " "
        if details.kind == "milestone":
            lines.append(
                f"- [{mark}] Milestone, {row.step.planned_start:%d %b %Y}: **{md_escape(details.heading)}**"
            )
        else:
            levels = "" if details.title else f" (level {details.from_level} to {details.to_level})"
            lines.append(
                f"- [{mark}] **{md_escape(details.heading)}**{levels}: {row.step.hours} h, "
                f"{row.step.planned_start:%d %b %Y} to {row.step.planned_end:%d %b %Y}, {row.status_label.lower()}"
            )
        if details.part_name:
            lines.append(f"  - This part: {md_escape(details.part_name)}")
        if details.reason:
            lines.append(f"  - Why: {md_escape(details.reason)}")
        if details.goal:
            lines.append(f"  - Done looks like: {md_escape(details.goal)}")
        for resource in details.resources:
            cost = "free" if resource.free else "paid"
            lines.append(
                f"  - [{md_escape(resource.title)}](<{md_url(resource.url)}>) ({cost}, {resource.hours} h)"
            )
        if row.progress and row.progress.notes:
            lines.append(f"  - Notes: {md_escape(row.progress.notes)}")
        for link in row.progress.evidence if row.progress else []:
            lines.append(f"  - Evidence: <{md_url(link)}>")
    return "\n".join(lines) + "\n"


def plan_icalendar(rows: Iterable[PlanRowLike], *, user_id: int, stamp: datetime) -> bytes:
    """One all-day event per step over its planned dates, with a UID that stays stable per step."""
    calendar = Calendar()
    calendar.add("prodid", "-//careerpath//roadmap//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "careerpath roadmap")
    for row in rows:
        details = row.step.details
        event = Event()
        event.add("uid", f"{row.step.key.replace(':', '-')}.{user_id}@careerpath")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.step.planned_start)
        event.add("dtend", row.step.planned_end + timedelta(days=1))
        event.add(
            "summary",
            f"Milestone: {details.heading}" if details.kind == "milestone" else f"Study: {details.heading}",
        )
        body = [f"{row.step.hours} hours."]
        if details.goal:
            body.append(f"Done looks like: {details.goal}")
        body += [f"{r.title}: {r.url}" for r in details.resources]
        event.add("description", "\n".join(body))
        calendar.add_component(event)
    return calendar.to_ical()
