"""A plan step's stored details: every stored version still reads, and what is written reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap import step_details
from roadmap.step_details import ResourceRef, StepDetails

STORED = Path(__file__).resolve().parent / "step_details"


@pytest.mark.parametrize("version", range(1, step_details.SCHEMA_VERSION + 1))
def test_every_stored_version_still_reads(version):
    data = json.loads((STORED / f"step-v{version}.json").read_text(encoding="utf-8"))
    details = StepDetails.from_json(data)
    # Versions 1 and 2 stored whole-skill steps (1 -> 3); version 3 level-by-level steps, maybe in parts.
    assert (details.kind, details.slug, details.to_level) == ("skill", "pytorch", 3)
    if version < 3:
        assert (details.from_level, details.heading, details.parts) == (1, "PyTorch", 1)
    else:
        assert (details.from_level, details.heading, details.parts) == (
            2,
            "PyTorch 2 \u2192 3 (part 1 of 2)",
            2,
        )
        assert details.part_name and details.category == "Machine learning"
    assert details.goal.startswith("Works independently with PyTorch")
    assert [r.type for r in details.resources] == ["Documentation", "Book"]


def test_an_unknown_version_is_refused_with_a_clear_message():
    data = json.loads((STORED / "step-v2.json").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="schema version 7 cannot be read"):
        StepDetails.from_json({**data, "schema_version": 7})


text = st.text(max_size=20)
resources = st.builds(
    ResourceRef,
    title=text,
    url=text,
    type=text,
    free=st.booleans(),
    hours=st.integers(0, 500),
    level=st.integers(1, 4),
)
details = st.builds(
    StepDetails,
    kind=st.sampled_from(["skill", "milestone"]),
    slug=text,
    name=text,
    phase=text,
    from_level=st.none() | st.integers(0, 4),
    to_level=st.none() | st.integers(0, 4),
    priority=st.floats(0, 100, allow_nan=False),
    requires=st.lists(text, max_size=3).map(tuple),
    added=st.booleans(),
    goal=text,
    resources=st.lists(resources, max_size=3).map(tuple),
)


@given(details)
def test_what_is_written_reads_back_the_same(step):
    assert StepDetails.from_json(json.loads(json.dumps(step.to_json()))) == step
