"""The Markdown export names a step's status by its label, never by its stored value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap import exports
from roadmap.models import StepStatus
from roadmap.step_details import StepDetails


@dataclass
class _Step:
    key: str
    hours: int
    planned_start: date
    planned_end: date
    details: StepDetails


@dataclass
class _Row:
    step: _Step
    progress: None
    status: str

    @property
    def status_label(self) -> str:
        return StepStatus(self.status).label


def _details() -> StepDetails:
    return StepDetails(
        kind="skill",
        slug="python",
        name="Python",
        phase="foundations",
        from_level=1,
        to_level=2,
        priority=1.0,
        requires=(),
        added=False,
        goal="Writes a small tool with tests.",
        resources=(),
    )


def test_a_step_status_reads_as_its_label():
    rows = [
        _Row(_Step("skill:python:2", 20, date(2026, 5, 4), date(2026, 5, 15), _details()), None, "todo"),
        _Row(
            _Step("skill:python:3", 30, date(2026, 5, 18), date(2026, 6, 5), _details()), None, "in_progress"
        ),
    ]
    text = exports.plan_markdown(rows, title="Roadmap", hours_per_week=10)
    assert ": 20 h, 04 May 2026 to 15 May 2026, to do" in text
    assert ": 30 h, 18 May 2026 to 05 Jun 2026, in progress" in text
    assert "todo" not in text
