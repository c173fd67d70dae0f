"""Writes to the catalogue outside the loader: the content hash that versions it, and the reports
people make of problems with questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from . import caching, selectors
from .models import CATALOGUE_MODELS, REPORT_MESSAGE_MAX_LENGTH, CatalogueState, Question, QuestionReport
from .validation import content_hash


def _version_rows() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for model in CATALOGUE_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
        values = model._default_manager.values_list(*names).order_by(*names)
        rows.append((model._meta.label_lower, len(fk_names)))
        rows.extend((model._meta.label_lower, *map(str, row)) for row in values)
    return rows


@transaction.atomic
def refresh_catalogue_version() -> str:
    """Recompute the content hash after the catalogue changed, and store it."""
    version = content_hash(_version_rows())
    CatalogueState.objects.update_or_create(pk=1, defaults={"version": version})
    caching.version_changed(version)
    return version


# --- reports of problems with questions -------------------------------------------------------

MSG_KIND_REQUIRED = gettext_noop("Choose what is wrong with the question.")
MSG_KIND_UNKNOWN = gettext_noop("Choose one of the problems listed.")
MSG_MESSAGE_REQUIRED = gettext_noop("Say what the problem is: a message is needed when you choose Other.")
MSG_MESSAGE_TOO_LONG = gettext_noop("Keep the message to {limit} characters or fewer (it has {count}).")
MSG_NOT_ASKED = gettext_noop("You can only report a question you were asked.")
MSG_ALREADY_REPORTED = gettext_noop(
    "You have already reported this question; it stays flagged until an editor has looked at it."
)


class ReportError(Exception):
    """A report that cannot be saved; ``problems`` maps a field ("" for the whole report) to why."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def report_problems(*, kind: str, message: str) -> dict[str, str]:
    """What is wrong with a report's kind and message, by field (empty when it can be saved)."""
    problems: dict[str, str] = {}
    if not kind:
        problems["kind"] = gettext(MSG_KIND_REQUIRED)
    elif kind not in QuestionReport.Kind.values:
        problems["kind"] = gettext(MSG_KIND_UNKNOWN)
    message = message.strip()
    if len(message) > REPORT_MESSAGE_MAX_LENGTH:
        problems["message"] = gettext(MSG_MESSAGE_TOO_LONG).format(
            limit=REPORT_MESSAGE_MAX_LENGTH, count=len(message)
        )
    elif kind == QuestionReport.Kind.OTHER and not message:
        problems["message"] = gettext(MSG_MESSAGE_REQUIRED)
    return problems


@dataclass(frozen=True)
class ReportOutcome:
    """The person's open report of the question, and whether this call created it."""

    report: QuestionReport
    created: bool


@transaction.atomic
def report_create(
    *, user: AbstractBaseUser, question: Question, kind: str, message: str = ""
) -> ReportOutcome:
    """Report a problem with a question the person was asked; the question is flagged from now on.

    A person has at most one open report per question: reporting it again changes nothing and
    returns the open report with ``created`` False. Raises ``ReportError`` for a bad kind or message
    or a question the person was never asked.
    """
    message = message.strip()
    problems = report_problems(kind=kind, message=message)
    if problems:
        raise ReportError(problems)
    if not selectors.question_was_asked(user=user, question=question):
        raise ReportError({"": gettext(MSG_NOT_ASKED)})
    existing = selectors.open_report(user=user, question=question)
    if existing is not None:
        return ReportOutcome(existing, created=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin may win the one-open-report constraint
            report = QuestionReport.objects.create(
                question=question, user_id=user.pk, kind=kind, message=message
            )
    except IntegrityError:
        existing = selectors.open_report(user=user, question=question)
        if existing is None:
            raise
        return ReportOutcome(existing, created=False)
    return ReportOutcome(report, created=True)


@transaction.atomic
def reports_resolve(*, report_ids: Iterable[int], by: AbstractBaseUser | None) -> int:
    """Resolve the open reports among ``report_ids``; returns how many were resolved."""
    return QuestionReport.objects.filter(pk__in=list(report_ids), status=QuestionReport.Status.OPEN).update(
        status=QuestionReport.Status.RESOLVED,
        resolved_at=timezone.now(),
        resolved_by_id=by.pk if by is not None else None,
    )


@dataclass(frozen=True)
class ReopenOutcome:
    reopened: int
    skipped: int  # the person has a newer open report of the same question


@transaction.atomic
def reports_reopen(*, report_ids: Iterable[int]) -> ReopenOutcome:
    """Open the resolved reports among ``report_ids`` again, unless the person has reported the same
    question again since (one open report per person and question)."""
    reports = list(
        QuestionReport.objects.select_for_update()
        .filter(pk__in=list(report_ids), status=QuestionReport.Status.RESOLVED)
        .order_by("-created_at", "-pk")
    )
    open_pairs = set(
        QuestionReport.objects.filter(
            status=QuestionReport.Status.OPEN,
            question_id__in={r.question_id for r in reports},
            user_id__in={r.user_id for r in reports},
        ).values_list("question_id", "user_id")
    )
    reopened = []
    for report in reports:
        pair = (report.question_id, report.user_id)
        if pair in open_pairs:
            continue
        open_pairs.add(pair)
        reopened.append(report.pk)
    QuestionReport.objects.filter(pk__in=reopened).update(
        status=QuestionReport.Status.OPEN, resolved_at=None, resolved_by=None
    )
    return ReopenOutcome(reopened=len(reopened), skipped=len(reports) - len(reopened))


@transaction.atomic
def question_reports_delete(user: AbstractBaseUser) -> None:
    """Delete the person's reports of questions (their account is being deleted)."""
    QuestionReport.objects.filter(user_id=user.pk).delete()
