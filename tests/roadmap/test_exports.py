"""The Markdown export escapes only what Markdown would read as markup (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from markdown_it import MarkdownIt

from roadmap import exports
from roadmap.models import StepStatus
from roadmap.step_details import ResourceRef, StepDetails


@dataclass
class Step:
    key: str
    hours: int
    planned_start: date
    planned_end: date
    details: StepDetails


@dataclass
class Progress:
    notes: str
    evidence: list[str]


@dataclass
class Row:
    step: Step
    progress: Progress | None
    status: str

    @property
    def status_label(self) -> str:
        return StepStatus(self.status).label


def _skill(name: str, *, goal: str, reason: str, part_name: str = "") -> StepDetails:
    return StepDetails(
        kind="skill",
        slug=name.lower().replace(" ", "-"),
        name=name,
        phase="foundations",
        from_level=1,
        to_level=2,
        priority=1.0,
        requires=(),
        added=False,
        goal=goal,
        resources=(
            ResourceRef(
                title="Python for Everybody (Coursera), weeks 1-4!",
                url="https://www.py4e.com/lessons",
                type="course",
                free=True,
                hours=12,
                level=2,
            ),
        ),
        part_name=part_name,
        reason=reason,
        category="Programming",
    )


def _realistic_rows() -> list[Row]:
    python = _skill(
        "Python",
        goal="Writes a small command-line tool (argparse, logging) with tests; reads a stack trace.",
        reason="Needed first by Machine learning fundamentals (level 2) and Data wrangling.",
        part_name="Part 1 of 2: functions, modules - and the standard library.",
    )
    milestone = StepDetails(
        kind="milestone",
        slug="portfolio-project",
        name="Portfolio project: end-to-end model, from data to a served API",
        phase="projects",
        from_level=None,
        to_level=None,
        priority=0.5,
        requires=(),
        added=False,
        goal="A repository others can run: README, tests, a 2-minute demo.",
        resources=(),
    )
    return [
        Row(
            Step("skill:python:2", 40, date(2026, 3, 2), date(2026, 3, 27), python),
            Progress(
                notes="Done chapters 1-3. Next: testing (pytest)!", evidence=["https://example.org/cli"]
            ),
            "in_progress",
        ),
        Row(Step("milestone:portfolio", 30, date(2026, 4, 6), date(2026, 4, 24), milestone), None, "todo"),
    ]


def test_a_realistic_export_carries_no_backslash():
    """Ordinary names, goals, notes and resources, with `.`, `(`, `)`, `-`, `!`, `:` and digits, stay plain."""
    text = exports.plan_markdown(
        _realistic_rows(), title="careerpath roadmap: Ada Lovelace-Byron, Jr.", hours_per_week=10
    )

    assert text.count("\\") == 0, text
    assert "  - Why: Needed first by Machine learning fundamentals (level 2) and Data wrangling." in text
    assert "  - Notes: Done chapters 1-3. Next: testing (pytest)!" in text
    assert "# careerpath roadmap: Ada Lovelace-Byron, Jr." in text.splitlines()
    assert "## March 2026" in text.splitlines()


HOSTILE = [
    "[x](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "**bold** __strong__ *em* _em_ ~~struck~~",
    "`code` <script>alert(1)</script> <https://evil.example> &lt;b&gt; &#x41;",
    "a\\*b\\ end\\",
    "[ref]: https://evil.example",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_same_words_with_no_markup(text):
    """Rendered by a CommonMark parser, escaped text is one paragraph of exactly its words."""
    html = MarkdownIt("commonmark").render(f"Why: {exports.md_escape(text)}")
    tokens = MarkdownIt("commonmark").parseInline(f"Why: {exports.md_escape(text)}")[0].children or []

    assert [token.type for token in tokens] == ["text"] * len(tokens), html
    assert "".join(token.content for token in tokens) == f"Why: {text}"
    for tag in ("<a", "<img", "<strong", "<em", "<code", "<s>", "<script", "<del"):
        assert tag not in html, html


@pytest.mark.parametrize("title", ["C#", "Roadmap #", "Plan ###", "#", "# start"])
def test_a_heading_keeps_its_hashes_as_text(title):
    tokens = MarkdownIt("commonmark").parse(f"# {exports.md_escape(title, heading=True)}")

    assert tokens[0].type == "heading_open"
    assert tokens[1].content.replace("\\#", "#") == title
    inline = tokens[1].children or []
    assert "".join(token.content for token in inline) == title


def test_every_step_is_an_event_and_a_skipped_one_is_cancelled():
    """Done, skipped and milestone steps stay in the calendar (an import updates them by UID); only
    the skipped one is withdrawn, with STATUS:CANCELLED."""
    python, milestone = (row.step for row in _realistic_rows())
    rows = [Row(python, None, "done"), Row(python, None, "skipped"), Row(milestone, None, "todo")]
    body = exports.plan_icalendar(rows, user_id=1, stamp=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    events = body.split(b"BEGIN:VEVENT\r\n")[1:]
    assert len(events) == len(rows)
    assert [b"\r\nSTATUS:CANCELLED\r\n" in b"\r\n" + event for event in events] == [False, True, False]
