"""The roadmap's .ics file imports into a calendar as the plan: read with vobject, not the icalendar
library that writes it, and checked line by line against RFC 5545.

What the file holds: one event per step the roadmap page shows, whatever its status, and one per
milestone, each over the dates the page shows (all-day: DTEND is the day after the last day, as
RFC 5545 has it). A done step stays as the record of when it was studied; a skipped step stays with
STATUS:CANCELLED, so that importing the file again marks its event cancelled instead of leaving it
as planned. Each event's UID is the step's, so a second import updates the events it finds.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from http import HTTPStatus

import pytest
import vobject
from django.urls import reverse
from django.utils.html import strip_tags

from accounts import selectors as account_selectors
from accounts.models import Profile
from catalogue.models import Skill
from roadmap import services as roadmap_services
from roadmap.models import RoadmapStep
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

# A name that needs UTF-8 and, in a SUMMARY, a folded line (its characters take 2 to 4 octets).
UNICODE_NAME = "Pythön für Daten — 数据分析 ✓ 🐍 naïve café résumé"

# The step cards and milestones of the roadmap page: (title, first day, last day).
STEP_CARD = re.compile(
    r'id="step-\d+-title">(?P<title>.*?)</h3>.*?(?P<hours>\d+) hours · (?P<start>\d{1,2} \w{3} \d{4}) to '
    r"(?P<end>\d{1,2} \w{3} \d{4})",
    re.S,
)
MILESTONE = re.compile(
    r"<strong>Milestone, (?P<start>\d{1,2} \w{3} \d{4}):</strong> (?P<title>.*?)</p>", re.S
)


def page_day(text: str) -> date:
    return datetime.strptime(text, "%d %b %Y").date()


def roadmap_page(client) -> dict[str, tuple[str, date, date]]:
    """What the roadmap page shows: {title: (kind, first day, last day)}."""
    page = client.get(reverse("roadmap")).content.decode()
    shown: dict[str, tuple[str, date, date]] = {}
    for match in STEP_CARD.finditer(page):
        title = " ".join(html.unescape(strip_tags(match["title"])).split())
        shown[title] = ("step", page_day(match["start"]), page_day(match["end"]))
    for match in MILESTONE.finditer(page):
        title = " ".join(html.unescape(strip_tags(match["title"])).split())
        shown[title] = ("milestone", page_day(match["start"]), page_day(match["start"]))
    return shown


def download(client) -> bytes:
    response = client.get(reverse("roadmap_icalendar"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


def check_rfc5545_lines(body: bytes) -> list[list[str]]:
    """RFC 5545's line rules, on the bytes: CRLF endings, lines of at most 75 octets each valid
    UTF-8 on its own (folds never split a character), balanced BEGIN/END, the required properties.
    Returns each VEVENT's unfolded content lines."""
    assert body.endswith(b"\r\n")
    physical = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical), "a bare CR or LF"
    for line in physical:
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # each folded piece is whole characters
    lines: list[str] = []
    for line in physical:
        if line.startswith((b" ", b"\t")):
            lines[-1] += line[1:].decode()
        else:
            lines.append(line.decode())
    stack: list[str] = []
    events: list[list[str]] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
            if line == "BEGIN:VEVENT":
                events.append([])
        elif line.startswith("END:"):
            assert stack and stack.pop() == line[4:], line
        elif stack and stack[-1] == "VEVENT":
            events[-1].append(line)
    assert not stack
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = [line for line in lines if not line.startswith((" ", "\t"))]
    assert "VERSION:2.0" in calendar
    assert sum(1 for line in calendar if line.startswith("PRODID:")) == 1
    for event in events:
        names = [re.split(r"[;:]", line, maxsplit=1)[0] for line in event]
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert names.count(required) == 1, (required, event)
        assert names.count("DTEND") == 1 and "DURATION" not in names, event
    return events


def parse(body: bytes):
    """The calendar as vobject reads it (it refuses what it cannot parse)."""
    calendar = vobject.readOne(body.decode("utf-8"))
    assert calendar.name == "VCALENDAR"
    return calendar, list(calendar.vevent_list)


@pytest.fixture
def planned(user_client, user, small_catalogue):
    """A learner with a plan: low levels everywhere, so a gap on every skill; one skill's name
    needs UTF-8."""
    Skill.objects.filter(slug="sql").update(name=UNICODE_NAME)
    account_selectors.profile_get(user=user)
    Profile.objects.filter(user=user).update(hours_per_week=10)
    complete(
        user_client, start(user_client), {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0}, right=False
    )
    steps = list(RoadmapStep.objects.filter(user=user).order_by("position"))
    assert any(UNICODE_NAME in step.details.heading for step in steps)
    return steps


def test_the_file_imports_as_one_all_day_event_per_step_on_the_dates_the_roadmap_shows(user_client, planned):
    shown = roadmap_page(user_client)
    assert len(shown) == len(planned)  # every step and milestone, once
    assert any(kind == "milestone" for kind, _, _ in shown.values())
    body = download(user_client)
    raw_events = check_rfc5545_lines(body)
    _calendar, events = parse(body)
    assert len(events) == len(raw_events) == len(planned)

    by_title = {}
    for event in events:
        summary = event.summary.value
        kind, _, title = summary.partition(": ")
        assert kind in {"Study", "Milestone"}, summary
        by_title[title] = (kind, event)
    assert set(by_title) == set(shown), "one event per step shown, titled as the page titles it"
    for title, (kind, first, last) in shown.items():
        event_kind, event = by_title[title]
        assert event_kind == ("Milestone" if kind == "milestone" else "Study")
        start, end = event.dtstart.value, event.dtend.value
        # All-day DATE values (a datetime is a date too: rule it out), the end exclusive.
        assert type(start) is date and type(end) is date, (title, start, end)
        assert (start, end) == (first, last + timedelta(days=1)), title
        assert event.dtstamp.value.tzinfo is not None  # DTSTAMP in UTC
    for raw in raw_events:
        assert any(re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", line) for line in raw), raw
        assert any(re.fullmatch(r"DTEND;VALUE=DATE:\d{8}", line) for line in raw), raw

    assert any(UNICODE_NAME in title for title in by_title), "the non-ASCII name survives the round trip"
    folded = [
        line for raw in raw_events for line in raw if line.startswith("SUMMARY") and UNICODE_NAME in line
    ]
    assert folded and all(len(line.encode()) > 75 for line in folded)  # so it was folded, and unfolds whole


def test_a_second_download_has_the_same_uids_so_an_import_updates_each_event(user_client, user, planned):
    """Marking steps between two downloads changes no UID: a done step keeps its event as the
    record of its study, a skipped one becomes CANCELLED, the others are unchanged."""
    first = {event.uid.value: event for event in parse(download(user_client))[1]}
    assert len(first) == len(planned)  # unique
    steps = [step for step in planned if step.details.kind != "milestone"]
    done, skipped = steps[0], steps[1]
    for step, status in ((done, "done"), (skipped, "skipped")):
        roadmap_services.step_mark(
            user=user, key=step.key, update=roadmap_services.StepUpdate(status, "", [])
        )
    second_body = download(user_client)
    check_rfc5545_lines(second_body)
    second = {event.uid.value: event for event in parse(second_body)[1]}
    assert set(second) == set(first)
    status = {uid: getattr(event, "status", None) for uid, event in second.items()}
    cancelled = {uid for uid, value in status.items() if value is not None and value.value == "CANCELLED"}
    assert [second[uid].summary.value for uid in cancelled] == [f"Study: {skipped.details.heading}"]
    for uid, event in second.items():
        assert (event.summary.value, event.dtstart.value, event.dtend.value) == (
            first[uid].summary.value,
            first[uid].dtstart.value,
            first[uid].dtend.value,
        )
        if uid not in cancelled:
            assert "STATUS" not in {line.name for line in event.getChildren()}, event.summary.value
