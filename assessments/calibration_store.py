"""Reads for the question calibration: the active parameter set, and the answers a fit learns from.

Every function runs a fixed number of queries, whatever the number of questions or answers.
"""

from __future__ import annotations

from catalogue.models import Question
from catalogue.vocab import MAX_LEVEL, MIN_LEVEL

from . import calibration, measurement
from .calibration import ItemResponse
from .measurement import ItemParameters
from .models import Answer, Assessment, ItemCalibration, Result
from .snapshot import ResultSnapshot


def active_calibration() -> ItemCalibration | None:
    return ItemCalibration.objects.filter(active=True).first()


def active_parameters() -> tuple[str, dict[str, ItemParameters]]:
    """The label of the question parameters to measure with, and the parameters by question key.

    ``("tags", {})`` when no calibration is active: every question is then known by its level tag
    alone (``measurement.tag_parameters``).
    """
    active = active_calibration()
    if active is None:
        return measurement.TAG_PARAMETERS, {}
    return active.label, {
        key: ItemParameters(difficulty=float(item["difficulty"]), guessing=float(item["guessing"]))
        for key, item in active.parameters.items()
    }


def latest_version() -> int:
    """The highest calibration version stored (0 when none is)."""
    last = ItemCalibration.objects.order_by("-version").values_list("version", flat=True).first()
    return last or 0


def question_tags() -> dict[str, int]:
    """The level tag of every question in the catalogue, by key."""
    return dict(Question.objects.values_list("key", "level"))


def _abilities() -> dict[tuple[int, str], float]:
    """The estimated level of every skill of every submitted assessment's result."""
    abilities: dict[tuple[int, str], float] = {}
    rows = Result.objects.filter(assessment__status=Assessment.Status.SUBMITTED).values_list(
        "assessment_id", "snapshot_json"
    )
    for assessment_id, data in rows.iterator(chunk_size=500):
        for skill in ResultSnapshot.from_json(data).skills:
            value = calibration.ability(skill.estimate.level, skill.estimate.probabilities)
            abilities[(assessment_id, skill.slug)] = min(float(MAX_LEVEL), max(float(MIN_LEVEL), value))
    return abilities


def item_responses() -> list[ItemResponse]:
    """Every answered knowledge check of a submitted assessment, with the person's estimated level
    on the skill from its result (answers whose result does not hold the skill are left out)."""
    abilities = _abilities()
    rows = (
        Answer.objects.filter(assessment__status=Assessment.Status.SUBMITTED, answered_at__isnull=False)
        .order_by("pk")
        .values_list(
            "assessment_id",
            "skill__slug",
            "question__key",
            "question__level",
            "choice__label",
            "choice__is_correct",
            "dont_know",
        )
    )
    responses = []
    for assessment_id, skill, key, level, label, is_correct, dont_know in rows.iterator(chunk_size=2000):
        estimated = abilities.get((assessment_id, skill))
        if estimated is None:
            continue
        if dont_know or label is None:
            outcome = measurement.DONT_KNOW
        else:
            outcome = measurement.RIGHT if is_correct else measurement.WRONG
        responses.append(
            ItemResponse(
                question=key,
                level=level,
                ability=estimated,
                outcome=outcome,
                chosen="" if outcome == measurement.DONT_KNOW else label,
            )
        )
    return responses
