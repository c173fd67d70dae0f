"""Reporting a problem with a question: the link on the results page, the form, the admin queue,
the question flagged until an editor resolves the report, and the person's data download and deletion."""

from __future__ import annotations

import html
import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts import services as account_services
from assessments.models import Answer, Assessment, Result
from catalogue import selectors, services
from catalogue.models import Question, QuestionReport
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

LEVELS = {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0}


@pytest.fixture
def result(user_client, user, small_catalogue) -> Result:
    """``user`` took a whole assessment through its pages and has a result."""
    complete(user_client, start(user_client), LEVELS)
    return Result.objects.get(user=user)


@pytest.fixture
def asked(result) -> Question:
    """A question ``user`` was asked (and answered) in that assessment."""
    return Answer.objects.filter(assessment=result.assessment).select_related("question").first().question


@pytest.fixture
def staff_client(django_user_model):
    """An editor's browser, apart from the person's (``user_client``)."""
    editor = django_user_model.objects.create_superuser(
        "editor", "editor@careerpath.test", "a-long-editor-password"
    )
    browser = Client()
    browser.force_login(editor)
    browser.editor = editor
    return browser


def report_url(question: Question, next_url: str = "") -> str:
    url = reverse("question_report", args=[question.key])
    return f"{url}?next={next_url}" if next_url else url


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def flagged_in_admin(staff_client) -> list[Question]:
    changelist = staff_client.get(reverse("admin:catalogue_question_changelist") + "?flagged=yes")
    assert changelist.status_code == HTTPStatus.OK
    return list(changelist.context["cl"].queryset)


# --- the link on the results page ---------------------------------------------------------------


def test_the_results_page_links_every_check_to_its_report_page_and_back(user_client, result):
    body = user_client.get(result.get_absolute_url()).content.decode()
    checks = [check.question for skill in result.snapshot.skills for check in skill.evidence]
    assert checks
    for key in checks:
        href = f"{reverse('question_report', args=[key])}?next={result.get_absolute_url()}"
        assert f'href="{href}">Report a problem with this question</a>' in body
    assert body.count("Report a problem with this question") == len(checks)


# --- the form -----------------------------------------------------------------------------------


def test_the_report_page_shows_the_question_rendered_and_a_short_form(user_client, result, asked):
    Question.objects.filter(pk=asked.pk).update(
        prompt="Which call **sorts** a list?\n\n```python\nxs.sort()\n```"
    )
    page = user_client.get(report_url(asked, result.get_absolute_url()))
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "<strong>sorts</strong>" in body and "<pre" in body  # Markdown, rendered
    assert 'name="kind"' in body and 'name="message"' in body
    assert f'name="next" value="{result.get_absolute_url()}"' in body
    assert not QuestionReport.objects.exists()


def test_a_report_is_saved_and_the_question_shows_as_flagged_in_the_admin(
    user_client, user, result, asked, staff_client
):
    assert not selectors.question_is_flagged(asked)
    response = user_client.post(
        report_url(asked),
        {"kind": "wrong_key", "message": "  B is right too.  ", "next": result.get_absolute_url()},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == result.get_absolute_url()
    assert any("flagged" in m for m in messages_of(response))
    report = QuestionReport.objects.get()
    assert (report.question, report.user, report.kind, report.message, report.status) == (
        asked,
        user,
        QuestionReport.Kind.WRONG_KEY,
        "B is right too.",
        QuestionReport.Status.OPEN,
    )
    assert report.resolved_at is None and report.resolved_by is None
    assert selectors.question_is_flagged(asked)
    # The admin: the question is in the flagged filter with its open count; the report in the open queue.
    assert flagged_in_admin(staff_client) == [asked]
    questions = staff_client.get(reverse("admin:catalogue_question_changelist"))
    link = re.search(r'<a href="([^"]+)">1 open</a>', questions.content.decode())
    assert link, "the flagged column links to the question's open reports"
    of_question = staff_client.get(html.unescape(link.group(1)))
    assert list(of_question.context["cl"].queryset) == [report]
    queue = staff_client.get(reverse("admin:catalogue_questionreport_changelist") + "?status__exact=open")
    assert list(queue.context["cl"].queryset) == [report]
    assert staff_client.get(
        reverse("admin:catalogue_questionreport_change", args=[report.pk])
    ).status_code == (HTTPStatus.OK)


def test_without_a_next_url_the_report_goes_back_to_the_dashboard(user_client, asked):
    response = user_client.post(report_url(asked), {"kind": "outdated"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")
    assert QuestionReport.objects.get().kind == QuestionReport.Kind.OUTDATED


def test_the_next_url_of_the_query_string_is_followed_too(user_client, result, asked):
    response = user_client.post(report_url(asked, result.get_absolute_url()), {"kind": "unclear"})
    assert response.url == result.get_absolute_url()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/phish",
        "http://evil.example/",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
        "\\\\evil.example",
    ],
)
def test_an_unsafe_next_url_is_not_followed(user_client, asked, next_url):
    page = user_client.get(reverse("question_report", args=[asked.key]), {"next": next_url})
    assert next_url not in page.content.decode()
    response = user_client.post(report_url(asked), {"kind": "wrong_level", "next": next_url})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("dashboard")
    assert QuestionReport.objects.count() == 1


MESSAGE_ENTERED = "Some words I typed"


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"message": MESSAGE_ENTERED}, "kind", services.MSG_KIND_REQUIRED),
        ({"kind": "not-a-kind", "message": MESSAGE_ENTERED}, "kind", services.MSG_KIND_UNKNOWN),
        ({"kind": "other"}, "message", services.MSG_MESSAGE_REQUIRED),
        ({"kind": "other", "message": "   "}, "message", services.MSG_MESSAGE_REQUIRED),
        ({"kind": "wrong_key", "message": "x" * 2001}, "message", "2000 characters or fewer (it has 2001)"),
        ({"kind": "wrong_key", "message": "nul \x00 byte"}, "message", "Null characters are not allowed."),
    ],
)
def test_bad_input_reshows_the_form_with_what_was_entered_and_saves_nothing(
    user_client, result, asked, data, field, problem
):
    response = user_client.post(report_url(asked), {**data, "next": result.get_absolute_url()})
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert any(problem in error for error in form.errors[field])
    body = response.content.decode()
    assert problem.split(" (")[0] in body.replace("&#x27;", "'")
    if data.get("message", "").strip() and "\x00" not in data["message"]:
        assert data["message"] in body  # what was entered is still there
    if data.get("kind") in QuestionReport.Kind.values:
        assert f'value="{data["kind"]}"' in body and "checked" in body
    assert "nothing was saved" in body
    assert not QuestionReport.objects.exists()
    assert not selectors.question_is_flagged(asked)


def test_other_with_a_message_is_saved(user_client, asked):
    user_client.post(report_url(asked), {"kind": "other", "message": "The code block is cut off."})
    assert QuestionReport.objects.get().message == "The code block is cut off."


def test_a_second_report_by_the_same_person_is_refused_politely_and_changes_nothing(
    user_client, result, asked
):
    user_client.post(report_url(asked), {"kind": "wrong_key", "message": "first"})
    first = QuestionReport.objects.get()
    again = user_client.post(
        report_url(asked), {"kind": "other", "message": "second", "next": result.get_absolute_url()}
    )
    assert again.status_code == HTTPStatus.FOUND
    assert again.url == result.get_absolute_url()
    assert messages_of(again)[-1] == services.MSG_ALREADY_REPORTED  # (the first report's thanks before it)
    assert QuestionReport.objects.get() == first
    first.refresh_from_db()
    assert (first.kind, first.message) == (QuestionReport.Kind.WRONG_KEY, "first")
    page = user_client.get(report_url(asked)).content.decode()
    assert "already reported" in page and 'name="kind"' not in page


def test_two_people_may_each_report_the_same_question(user_client, other_user, asked):
    theirs = Assessment.objects.create(user=other_user, catalogue_version="v", steps=["review"])
    Answer.objects.create(assessment=theirs, question=asked, skill=asked.skill)
    user_client.post(report_url(asked), {"kind": "wrong_key"})
    other = Client()
    other.force_login(other_user)
    assert other.post(report_url(asked), {"kind": "unclear"}).status_code == HTTPStatus.FOUND
    assert QuestionReport.objects.filter(question=asked).count() == 2


# --- who may report -----------------------------------------------------------------------------


def test_someone_who_never_saw_the_question_gets_a_404_and_saves_nothing(client, other_user, asked):
    client.force_login(other_user)
    assert client.get(report_url(asked)).status_code == HTTPStatus.NOT_FOUND
    response = client.post(report_url(asked), {"kind": "wrong_key", "message": "mine now"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not QuestionReport.objects.exists()


def test_a_question_of_the_catalogue_the_person_was_not_asked_is_a_404(user_client, result):
    never = Question.objects.exclude(answers__assessment__user=result.user).first()
    assert never is not None
    assert user_client.get(report_url(never)).status_code == HTTPStatus.NOT_FOUND
    assert user_client.post(report_url(never), {"kind": "outdated"}).status_code == HTTPStatus.NOT_FOUND
    assert not QuestionReport.objects.exists()


@pytest.mark.parametrize("key", ["no-such-question", "x" * 300, "%3Cscript%3E", "..", "é"])
def test_an_unknown_key_is_a_404(user_client, result, key):
    assert user_client.get(f"/questions/{key}/report/").status_code == HTTPStatus.NOT_FOUND
    assert user_client.post(f"/questions/{key}/report/", {"kind": "outdated"}).status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert not QuestionReport.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, asked):
    client.logout()  # the person's browser (``user_client``) took the assessment
    for method in (client.get, client.post):
        response = method(report_url(asked))
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("account_login"))
    assert not QuestionReport.objects.exists()


def test_the_service_refuses_a_question_the_person_was_not_asked(other_user, asked):
    with pytest.raises(services.ReportError) as refused:
        services.report_create(user=other_user, question=asked, kind="wrong_key")
    assert refused.value.problems == {"": services.MSG_NOT_ASKED}
    assert not QuestionReport.objects.exists()


# --- the database keeps one open report per person and question ---------------------------------


def test_the_database_refuses_a_second_open_report_of_one_person(user, asked):
    QuestionReport.objects.create(question=asked, user=user, kind="wrong_key")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionReport.objects.create(question=asked, user=user, kind="unclear")


def test_after_a_resolution_the_person_may_report_the_question_again(user, asked):
    first = services.report_create(user=user, question=asked, kind="wrong_key")
    services.reports_resolve(report_ids=[first.report.pk], by=None)
    second = services.report_create(user=user, question=asked, kind="outdated")
    assert second.created and second.report != first.report
    assert selectors.question_is_flagged(asked)


# --- the admin queue ----------------------------------------------------------------------------


def admin_action(staff_client, action: str, reports: list[QuestionReport]):
    return staff_client.post(
        reverse("admin:catalogue_questionreport_changelist"),
        {"action": action, "_selected_action": [r.pk for r in reports]},
        follow=True,
    )


def test_resolving_from_the_admin_action_unflags_the_question(staff_client, user, asked):
    report = services.report_create(user=user, question=asked, kind="wrong_key").report
    assert flagged_in_admin(staff_client) == [asked]
    response = admin_action(staff_client, "mark_resolved", [report])
    assert response.status_code == HTTPStatus.OK
    assert "1 report(s) marked resolved." in response.content.decode()
    report.refresh_from_db()
    assert report.status == QuestionReport.Status.RESOLVED
    assert report.resolved_by == staff_client.editor and report.resolved_at is not None
    assert not selectors.question_is_flagged(asked)
    assert flagged_in_admin(staff_client) == []
    unflagged = staff_client.get(reverse("admin:catalogue_question_changelist") + "?flagged=no")
    assert asked in unflagged.context["cl"].queryset
    queue = staff_client.get(reverse("admin:catalogue_questionreport_changelist") + "?status__exact=open")
    assert list(queue.context["cl"].queryset) == []


def test_reopening_from_the_admin_flags_the_question_again(staff_client, user, asked):
    report = services.report_create(user=user, question=asked, kind="wrong_key").report
    admin_action(staff_client, "mark_resolved", [report])
    admin_action(staff_client, "reopen", [report])
    report.refresh_from_db()
    assert (report.status, report.resolved_at, report.resolved_by) == (QuestionReport.Status.OPEN, None, None)
    assert flagged_in_admin(staff_client) == [asked]


def test_reopening_leaves_an_old_report_resolved_when_the_person_reported_again(staff_client, user, asked):
    old = services.report_create(user=user, question=asked, kind="wrong_key").report
    services.reports_resolve(report_ids=[old.pk], by=None)
    new = services.report_create(user=user, question=asked, kind="unclear").report
    response = admin_action(staff_client, "reopen", [old])
    assert "left resolved" in response.content.decode()
    old.refresh_from_db()
    assert old.status == QuestionReport.Status.RESOLVED
    assert QuestionReport.objects.get(status=QuestionReport.Status.OPEN) == new


def test_reports_are_never_added_from_the_admin_and_an_editor_note_is_kept(staff_client, user, asked):
    assert staff_client.get(reverse("admin:catalogue_questionreport_add")).status_code == HTTPStatus.FORBIDDEN
    report = services.report_create(user=user, question=asked, kind="wrong_key").report
    change = reverse("admin:catalogue_questionreport_change", args=[report.pk])
    response = staff_client.post(change, {"admin_note": "Checked against the docs: key is right."})
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.admin_note == "Checked against the docs: key is right."
    assert (report.kind, report.status) == (QuestionReport.Kind.WRONG_KEY, QuestionReport.Status.OPEN)


# --- the person's data --------------------------------------------------------------------------


def test_the_data_download_includes_the_persons_reports(user_client, user, other_user, asked):
    services.report_create(user=user, question=asked, kind="other", message="Ambiguous wording")
    data = account_selectors.personal_data(user=user)
    [exported] = data["question_reports"]
    report = QuestionReport.objects.get()
    assert exported == {
        "key": asked.key,
        "kind": "other",
        "message": "Ambiguous wording",
        "status": "open",
        "created_at": report.created_at.isoformat(),
    }
    download = user_client.get(reverse("account_data"))
    assert (
        '"question_reports"' in download.content.decode() and "Ambiguous wording" in download.content.decode()
    )
    assert account_selectors.personal_data(user=other_user)["question_reports"] == []


def test_deleting_the_account_deletes_the_persons_reports_and_not_the_question(user, asked):
    mine = services.report_create(user=user, question=asked, kind="wrong_key").report
    account_services.account_delete(user=user)
    assert not QuestionReport.objects.filter(pk=mine.pk).exists()
    assert Question.objects.filter(pk=asked.pk).exists()


def test_deleting_an_editors_account_keeps_the_reports_they_resolved(user, asked, staff_client):
    report = services.report_create(user=user, question=asked, kind="wrong_key").report
    services.reports_resolve(report_ids=[report.pk], by=staff_client.editor)
    account_services.account_delete(user=staff_client.editor)
    report.refresh_from_db()
    assert report.resolved_by is None and report.status == QuestionReport.Status.RESOLVED
