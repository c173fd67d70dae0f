"""The frozen result snapshot: every stored version still reads, and what is written reads back the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import snapshot
from assessments.snapshot import ResultSnapshot

STORED = Path(__file__).resolve().parent / "snapshots"


def stored(version: int) -> dict:
    return json.loads((STORED / f"result-v{version}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", range(1, snapshot.SCHEMA_VERSION + 1))
def test_every_stored_version_still_reads(version):
    """A result written by any earlier release still opens, with the same figures."""
    frozen = ResultSnapshot.from_json(stored(version))
    expected_focus = "machine-learning-engineer:entry" if version >= 3 else "machine-learning-engineer"
    assert frozen.focus == expected_focus
    assert frozen.target.legacy is (version < 3)
    assert [s.slug for s in frozen.skills] == ["python", "sql", "pytorch", "scikit-learn"]
    python = frozen.skill("python")
    assert python is not None
    assert (python.claim, python.estimate.level, python.estimate.calibration) == (2, 3, "under-confident")
    assert {check.level for check in python.evidence} == {2, 3}
    role = frozen.role()
    assert role is not None and role.slug == expected_focus
    assert 0 <= (role.readiness or 0) <= 1


def test_every_schema_version_has_a_stored_sample():
    """Bumping the schema version needs a sample of the new version beside the old ones."""
    assert sorted(p.name for p in STORED.glob("result-v*.json")) == [
        f"result-v{v}.json" for v in range(1, snapshot.SCHEMA_VERSION + 1)
    ]


def test_version_one_reads_as_the_legacy_method_with_checks_moved_to_their_skills():
    v1 = stored(1)
    frozen = ResultSnapshot.from_json(v1)
    assert frozen.method == snapshot.LEGACY_METHOD
    assert sum(len(s.evidence) for s in frozen.skills) == len(v1["checks"])


def test_a_version_one_snapshot_is_written_back_as_the_current_version():
    written = ResultSnapshot.from_json(stored(1)).to_json()
    assert written["schema_version"] == snapshot.SCHEMA_VERSION
    assert ResultSnapshot.from_json(written) == ResultSnapshot.from_json(stored(1))


def test_an_unknown_version_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="schema version 99 cannot be read"):
        ResultSnapshot.from_json({**stored(2), "schema_version": 99})


levels = st.integers(0, 4)
text = st.text(max_size=30)
checks = st.builds(
    snapshot.CheckEvidence,
    question=text,
    level=st.integers(1, 4),
    prompt=text,
    chosen=st.none() | text,
    correct=text,
    is_correct=st.none() | st.booleans(),
    certainty=st.sampled_from(["", "guessing", "fairly_sure", "certain"]),
    seen_before=st.booleans(),
    mark=st.sampled_from([-6.0, -3.0, -2.0, 0.0, 1.0, 1.5, 2.0, 3.0]),
    explanation=text,
)
skills = st.builds(
    snapshot.SkillResult,
    slug=st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    name=text,
    category=text,
    anchors=st.tuples(text, text, text, text, text),
    claim=levels,
    evidence=st.lists(checks, max_size=3).map(tuple),
    estimate=st.builds(
        snapshot.Estimate, level=levels, low=levels, high=levels, calibration=text, reason=text
    ),
)
gaps = st.builds(
    snapshot.TargetGap,
    target=levels,
    weight=st.integers(1, 5),
    gap=levels,
    weighted_gap=st.integers(0, 20),
    priority=st.floats(0, 100, allow_nan=False),
)
roles = st.builds(
    snapshot.RoleResult,
    slug=text,
    name=text,
    readiness=st.none() | st.floats(0, 1, allow_nan=False),
    by_category=st.dictionaries(text, st.none() | st.floats(0, 1, allow_nan=False), max_size=3),
    skills=st.dictionaries(text, gaps, max_size=3),
    strengths=st.lists(text, max_size=3).map(tuple),
    top_gaps=st.lists(text, max_size=3).map(tuple),
)
snapshots = st.builds(
    ResultSnapshot,
    focus=text,
    method=st.builds(snapshot.Method, name=text, version=st.integers(1, 9)),
    categories=st.lists(st.builds(snapshot.Category, slug=text, name=text, phase=text), max_size=3).map(
        tuple
    ),
    skills=st.lists(skills, max_size=4).map(tuple),
    roles=st.dictionaries(text, roles, max_size=2),
)


@given(snapshots)
def test_what_is_written_reads_back_the_same(frozen):
    """to_json then from_json (through real JSON text) gives the same snapshot."""
    assert ResultSnapshot.from_json(json.loads(json.dumps(frozen.to_json()))) == frozen


def test_version_four_keeps_probabilities_intervals_and_the_rating_calibration():
    frozen = ResultSnapshot.from_json(stored(4))
    assert frozen.method == snapshot.Method(name="bayesian-adaptive", version=1, parameters="tags")
    python = frozen.skill("python")
    assert python is not None and len(python.estimate.probabilities) == 5
    assert max(range(5), key=lambda lv: python.estimate.probabilities[lv]) == python.estimate.level
    role = frozen.role()
    assert role is not None and role.readiness_low is not None and role.readiness_high is not None
    assert role.readiness_low <= (role.readiness or 0) <= role.readiness_high
    assert frozen.calibration is not None and frozen.calibration.checked_skills == 4
    assert ResultSnapshot.from_json(frozen.to_json()) == frozen


def test_earlier_versions_read_without_probabilities_or_intervals():
    frozen = ResultSnapshot.from_json(stored(3))
    assert all(skill.estimate.probabilities == () for skill in frozen.skills)
    assert frozen.calibration is None
    role = frozen.role()
    assert role is not None and role.readiness_low is None
