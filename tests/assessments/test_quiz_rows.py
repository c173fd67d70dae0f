"""The quiz pages' rows (assessments.presenters): the radios their templates loop over are the ones
Django's RadioSelect would give (names, values, ids, the checked one, labels), errors included, and
the pages show them so, before and after a refused POST."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.utils import translation

from assessments import presenters
from assessments.forms import DONT_KNOW, ChecksForm, RatingsForm
from assessments.models import Answer
from catalogue import markdown as catalogue_markdown
from catalogue.models import Skill
from catalogue.templatetags.humanize_careerpath import inline_code
from tests.assessments.journey import rate, rate_all, start, step_url

ANCHORS = [
    SimpleNamespace(level=level, description=f"Level {level} work with `code` & <tags>") for level in range(5)
]


def skill(pk: int, name: str = "Data & <models>") -> SimpleNamespace:
    return SimpleNamespace(pk=pk, slug=f"skill-{pk}", name=name, description=f"What {name} covers")


def answer(pk: int, *, choice_id=None, dont_know=False, certainty="", seen_before=False) -> SimpleNamespace:
    return SimpleNamespace(
        pk=pk,
        choice_id=choice_id,
        dont_know=dont_know,
        certainty=certainty,
        seen_before=seen_before,
        question=SimpleNamespace(prompt=f"Question {pk}: what does `x[::-1]` do?"),
        skill=SimpleNamespace(name=f"Skill of {pk}"),
    )


def choices(answer_pk: int) -> list[SimpleNamespace]:
    return [SimpleNamespace(pk=answer_pk * 10 + n, text=f"Option *{n}*") for n in range(4)]


def django_radios(form, name: str) -> list[tuple[str, str, str, bool, str]]:
    """(name, value, id, checked, label) of each radio, as Django's BoundField renders them."""
    return [
        (w.data["name"], str(w.data["value"]), w.id_for_label, w.data["selected"], str(w.choice_label))
        for w in form[name]
    ]


def ours(
    group_field: str, radios, label=lambda radio: radio["label"]
) -> list[tuple[str, str, str, bool, str]]:
    return [(group_field, r["value"], r["id"], r["checked"], label(r)) for r in radios]


def post(data: dict[str, object]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query[key] = str(value)
    return query


RATING_ROWS = [(skill(1), ANCHORS, 2), (skill(2, "SQL"), ANCHORS, None), (skill(3), ANCHORS, 0)]


@pytest.mark.parametrize(
    "data",
    [
        None,  # as first shown: the levels saved so far
        {"step": 4, "skill_1": 3, "skill_2": 0, "skill_3": 4},
        {"step": 4, "skill_1": 9, "skill_2": "two"},  # refused: the values typed are shown again
        {"step": 5},  # a stale page, nothing picked
    ],
)
def test_rating_groups_are_djangos_radios(data):
    form = RatingsForm(post(data) if data is not None else None, step=4, rows=RATING_ROWS)
    if data is not None:
        form.is_valid()
    groups = presenters.rating_groups(form)
    assert [g["slug"] for g in groups] == ["skill-1", "skill-2", "skill-3"]
    for group, (row_skill, _anchors, _saved) in zip(groups, RATING_ROWS, strict=True):
        name = f"skill_{row_skill.pk}"
        assert (group["field"], group["id"]) == (name, f"id_{name}")
        assert (group["name"], group["description"]) == (row_skill.name, row_skill.description)
        expected = [(n, v, i, c, str(inline_code(label))) for n, v, i, c, label in django_radios(form, name)]
        assert ours(group["field"], group["radios"]) == expected
        assert [r["level"] for r in group["radios"]] == [f"Level {n}" for n in range(5)]
        assert group["errors"] == list(form[name].errors)


def test_a_refused_rating_keeps_what_was_typed_and_says_why():
    form = RatingsForm(post({"step": 4, "skill_1": 3, "skill_2": 9}), step=4, rows=RATING_ROWS)
    assert not form.is_valid()
    first, second, third = presenters.rating_groups(form)
    assert [r["checked"] for r in first["radios"]] == [False, False, False, True, False]
    assert first["errors"] == []
    assert not any(r["checked"] for r in second["radios"] + third["radios"])
    assert second["errors"] == ["Choose the level that describes you best for SQL."]


def test_the_level_words_follow_the_language():
    with translation.override("hi"):
        groups = presenters.rating_groups(RatingsForm(None, step=0, rows=RATING_ROWS))
    assert groups[0]["radios"][2]["level"] == "स्तर 2"


CHECK_ROWS = [
    (answer(1, choice_id=12, certainty="certain", seen_before=True), choices(1)),
    (answer(2, dont_know=True), choices(2)),
    (answer(3), choices(3)),
]


@pytest.mark.parametrize(
    "data",
    [
        None,  # as first shown: what was answered so far
        {"step": 7, "answer_1": 11, "certainty_1": "guessing", "answer_2": DONT_KNOW, "answer_3": 30},
        {"step": 7, "answer_1": 11, "answer_2": 999, "certainty_2": "bogus"},  # refused
    ],
)
def test_check_groups_are_djangos_radios(data):
    form = ChecksForm(post(data) if data is not None else None, step=7, rows=CHECK_ROWS)
    if data is not None:
        form.is_valid()
    groups = presenters.check_groups(form)
    for group, (row_answer, _choices) in zip(groups, CHECK_ROWS, strict=True):
        pk = row_answer.pk
        assert group["pk"] == pk
        assert (group["skill"], group["seen_before"]) == (row_answer.skill.name, row_answer.seen_before)
        assert group["prompt"] == catalogue_markdown.render_block(row_answer.question.prompt)
        expected = [
            (n, v, i, c, catalogue_markdown.render_inline(label))
            for n, v, i, c, label in django_radios(form, f"answer_{pk}")
        ]
        assert ours(group["field"], group["radios"]) == expected
        assert ours(group["certainty_field"], group["certainty"]) == django_radios(form, f"certainty_{pk}")
        assert group["errors"] == list(form[f"answer_{pk}"].errors)
        assert group["certainty_errors"] == list(form[f"certainty_{pk}"].errors)


def test_a_refused_check_keeps_what_was_picked_and_says_why():
    data = {"step": 7, "answer_1": 11, "answer_2": 999, "certainty_2": "bogus", "answer_3": DONT_KNOW}
    form = ChecksForm(post(data), step=7, rows=CHECK_ROWS)
    assert not form.is_valid()
    first, second, third = presenters.check_groups(form)
    assert [r["value"] for r in first["radios"] if r["checked"]] == ["11"]
    assert first["certainty_errors"] == ["Say how sure you are of this answer."]
    assert second["errors"] == ["Choose an answer, or “I don't know”."]
    assert not any(r["checked"] for r in second["radios"] + second["certainty"])
    assert [r["value"] for r in third["radios"] if r["checked"]] == [DONT_KNOW]
    assert third["radios"][-1]["label"] == catalogue_markdown.render_inline("I don't know")


@pytest.mark.parametrize(
    ("data", "value"),
    [(None, "7"), ({"step": 7}, "7"), ({"step": 3}, "3"), ({"answer_1": 11}, None)],
)
def test_the_step_value_is_the_hidden_inputs(data, value):
    form = ChecksForm(post(data) if data is not None else None, step=7, rows=CHECK_ROWS)
    assert presenters.step_value(form) == value
    rendered = str(form["step"])
    assert (f'value="{value}"' in rendered) if value else ("value=" not in rendered)


# --- the reminder on a retake's ratings pages ---------------------------------------------------


@pytest.fixture
def no_kept_reminders():
    presenters._reminders.clear()
    yield
    presenters._reminders.clear()


def test_the_reminder_is_worked_out_once_per_result_and_language(no_kept_reminders):
    header = SimpleNamespace(pk=41, created_at=datetime(2026, 5, 1, tzinfo=UTC))
    full = SimpleNamespace(snapshot=SimpleNamespace(calibration=SimpleNamespace(checked_skills=3, bias=1.0)))
    loads: list[int] = []

    def load(pk):
        loads.append(pk)
        return full

    assert presenters.rating_reminder_of(None, load) is None
    with translation.override("en-gb"):
        first = presenters.rating_reminder_of(header, load)
        assert presenters.rating_reminder_of(header, load) == first == presenters.rating_reminder(full)
    assert first.startswith("Last time, your ratings ran about one level above")
    assert loads == [41]
    with translation.override("hi"):
        assert presenters.rating_reminder_of(header, load) == presenters.rating_reminder(full)
    assert loads == [41, 41]


# --- the pages -------------------------------------------------------------------------------------


def radios_of(page: str) -> list[str]:
    return [" ".join(tag.split()) for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", page)]


@pytest.mark.django_db
def test_a_refused_ratings_page_shows_the_levels_typed_and_the_message(user_client, small_catalogue):
    assessment = start(user_client)
    python, sql = Skill.objects.get(slug="python"), Skill.objects.get(slug="sql")
    response = rate(user_client, assessment, 0, {"python": 3})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    radios = radios_of(page)
    assert len(radios) == 10
    assert (
        f'<input class="form-check-input" type="radio" name="skill_{python.pk}" value="3" '
        f'id="id_skill_{python.pk}_3" checked required>'
    ) in radios
    assert sum(" checked" in radio for radio in radios) == 1
    assert f'aria-describedby="id_skill_{sql.pk}-error"' in page
    assert f'id="id_skill_{sql.pk}-error">Choose the level that describes you best for SQL.</div>' in page
    assert '<input type="hidden" name="step" value="0" id="id_step">' in page


@pytest.mark.django_db
def test_a_refused_checks_page_shows_the_answers_picked_and_the_messages(user_client, small_catalogue):
    assessment = start(user_client)
    index = rate_all(user_client, assessment, {"python": 1, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    answers = list(Answer.objects.filter(assessment=assessment, round=1).select_related("question"))
    first = answers[0]
    pick = first.question.choices.first()
    response = user_client.post(step_url(assessment, index), {"step": index, f"answer_{first.pk}": pick.pk})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    radios = radios_of(page)
    assert len(radios) == sum(a.question.choices.count() + 1 + 3 for a in answers)
    assert [radio for radio in radios if " checked" in radio] == [
        f'<input class="form-check-input" type="radio" name="answer_{first.pk}" value="{pick.pk}" '
        f'id="id_answer_{first.pk}_{first.choice_order.index(pick.pk)}" checked>'
    ]
    assert "Say how sure you are of this answer." in page
    assert page.count("Choose an answer, or “I don&#x27;t know”.") == len(answers) - 1
