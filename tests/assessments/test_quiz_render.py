"""The quiz pages' radios written in Python (assessments/templatetags/quiz_widgets.py): the same HTML
the templates' loops wrote, escaping included, in English and Hindi; a page shown fresh (its rows
read without building the form) shows what the form would; and the kept heading follows the
language and the page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from assessments import presenters
from assessments.forms import DONT_KNOW, ChecksForm, RatingsForm
from assessments.models import Answer
from assessments.templatetags import quiz_widgets
from catalogue.models import Skill
from tests.assessments.journey import answer_all, rate, rate_all, start, step_url
from tests.assessments.test_quiz_rows import (
    ANCHORS,
    CHECK_ROWS,
    RATING_ROWS,
    answer,
    choices,
    post,
    radios_of,
    skill,
)

# The loops of templates/assessments/rate.html and checks.html before the tags replaced them: the
# reference the tags' HTML is compared with, byte for byte.
RATING_LOOP = """{% for group in groups %}
    <fieldset class="mb-4" id="skill-{{ group.slug }}"{% if group.errors %} aria-describedby="{{ group.id }}-error"{% endif %}>
      <legend class="h5">{{ group.name }}</legend>
      <p class="text-body-secondary small mb-2">{{ group.description }}</p>
      {% if group.errors %}<div class="text-danger mb-2" id="{{ group.id }}-error">{{ group.errors|join:" " }}</div>{% endif %}
      {% for radio in group.radios %}
        <div class="form-check level-option">
          <input class="form-check-input" type="radio" name="{{ group.field }}" value="{{ radio.value }}"
                 id="{{ radio.id }}"{% if radio.checked %} checked{% endif %} required>
          <label class="form-check-label" for="{{ radio.id }}">
            <strong>{{ radio.level }}</strong>: {{ radio.label }}
          </label>
        </div>
      {% endfor %}
    </fieldset>
  {% endfor %}"""
CHECK_LOOP = """{% load i18n %}{% translate "you have seen this question before" as seen_before %}{% translate "How sure are you?" as how_sure %}{% translate "(not needed for &ldquo;I don't know&rdquo;)" as not_needed %}{% for group in groups %}
    <section class="card mb-3" aria-labelledby="q-{{ group.pk }}-title">
      <div class="card-body">
        <p class="text-body-secondary small mb-1">{{ group.skill }}{% if group.seen_before %} · {{ seen_before }}{% endif %}</p>
        <fieldset aria-labelledby="q-{{ group.pk }}-title">
          <div class="h6 prompt-code" id="q-{{ group.pk }}-title">{{ group.prompt }}</div>
          {% if group.errors %}<div class="text-danger mb-2">{{ group.errors|join:" " }}</div>{% endif %}
          {% for radio in group.radios %}
            <div class="form-check check-choice">
              <input class="form-check-input" type="radio" name="{{ group.field }}" value="{{ radio.value }}"
                     id="{{ radio.id }}"{% if radio.checked %} checked{% endif %}>
              <label class="form-check-label" for="{{ radio.id }}">{{ radio.label }}</label>
            </div>
          {% endfor %}
        </fieldset>
        <fieldset class="mt-2">
          <legend class="small fw-semibold mb-1">{{ how_sure }} <span class="fw-normal text-body-secondary">{{ not_needed }}</span></legend>
          {% if group.certainty_errors %}<div class="text-danger mb-2">{{ group.certainty_errors|join:" " }}</div>{% endif %}
          {% for radio in group.certainty %}
            <div class="form-check form-check-inline">
              <input class="form-check-input" type="radio" name="{{ group.certainty_field }}" value="{{ radio.value }}"
                     id="{{ radio.id }}"{% if radio.checked %} checked{% endif %}>
              <label class="form-check-label" for="{{ radio.id }}">{{ radio.label }}</label>
            </div>
          {% endfor %}
        </fieldset>
      </div>
    </section>
  {% endfor %}"""

HOSTILE = "<script>alert('x')</script> & \"quotes\""
HOSTILE_RATINGS = [
    *RATING_ROWS,
    (skill(4, HOSTILE), [type(a)(level=a.level, description=f"{HOSTILE} `a<b`") for a in ANCHORS], 1),
]
HOSTILE_CHECKS = [
    *CHECK_ROWS,
    (
        answer(4, choice_id=41, certainty="guessing"),
        [type(c)(pk=c.pk, text=f"{HOSTILE} {c.text}") for c in choices(4)],
    ),
]
RATING_DATA = [
    None,  # as first shown: the levels saved so far
    {"step": 4, "skill_1": 3, "skill_2": 0, "skill_3": 4, "skill_4": 2},
    {"step": 4, "skill_1": 9, "skill_2": "<b>two</b>"},  # refused: what was typed, and why
    {"step": 5},  # a stale page
]
CHECK_DATA = [
    None,  # as first shown: what was answered so far
    {
        "step": 7,
        "answer_1": 11,
        "certainty_1": "guessing",
        "answer_2": DONT_KNOW,
        "answer_3": 30,
        "answer_4": 42,
    },
    {"step": 7, "answer_1": 11, "answer_2": 999, "certainty_2": "bogus"},  # refused
]


def loop(source: str, groups) -> str:
    return engines["django"].from_string(source).render({"groups": groups})


@pytest.mark.parametrize("language", ["en-gb", "hi"])
@pytest.mark.parametrize("data", RATING_DATA)
def test_the_ratings_radios_are_the_html_the_template_loop_wrote(language, data):
    with translation.override(language):
        form = RatingsForm(post(data) if data is not None else None, step=4, rows=HOSTILE_RATINGS)
        form.is_valid()
        groups = presenters.rating_groups(form)
        written = quiz_widgets.rating_fieldsets(groups)
        assert written == loop(RATING_LOOP, groups)
    assert "<script>" not in written and "&lt;script&gt;" in written
    assert "<code>a&lt;b</code>" in written  # the anchors' `code`, its text escaped


@pytest.mark.parametrize("language", ["en-gb", "hi"])
@pytest.mark.parametrize("data", CHECK_DATA)
def test_the_checks_radios_are_the_html_the_template_loop_wrote(language, data):
    with translation.override(language):
        form = ChecksForm(post(data) if data is not None else None, step=7, rows=HOSTILE_CHECKS)
        form.is_valid()
        groups = presenters.check_groups(form)
        written = quiz_widgets.check_sections(groups)
        assert written == loop(CHECK_LOOP, groups)
    assert "<script>" not in written and "&lt;script&gt;" in written


@pytest.mark.parametrize("language", ["en-gb", "hi"])
def test_a_fresh_page_shows_the_radios_of_the_form_it_does_not_build(language):
    with translation.override(language):
        rating_form = RatingsForm(None, step=4, rows=HOSTILE_RATINGS)
        assert presenters.fresh_rating_groups(HOSTILE_RATINGS) == presenters.rating_groups(rating_form)
        check_form = ChecksForm(None, step=7, rows=HOSTILE_CHECKS)
        assert presenters.fresh_check_groups(HOSTILE_CHECKS, DONT_KNOW) == presenters.check_groups(check_form)
    first, second, third, fourth = presenters.fresh_check_groups(HOSTILE_CHECKS, DONT_KNOW)
    assert [r["value"] for r in first["radios"] + first["certainty"] if r["checked"]] == ["12", "certain"]
    assert [r["value"] for r in second["radios"] + second["certainty"] if r["checked"]] == [DONT_KNOW]
    assert not any(r["checked"] for r in third["radios"] + third["certainty"])
    assert [r["value"] for r in fourth["radios"] + fourth["certainty"] if r["checked"]] == ["41", "guessing"]


# --- the pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_shown_again_fresh_shows_what_was_saved(user_client, small_catalogue):
    assessment = start(user_client)
    python = Skill.objects.get(slug="python")
    index = rate_all(user_client, assessment, {"python": 3, "sql": 1, "scikit-learn": 1, "pytorch": 1})
    ratings = user_client.get(step_url(assessment, 0))
    assert ratings.status_code == HTTPStatus.OK
    checked = [radio for radio in radios_of(ratings.content.decode()) if " checked" in radio]
    assert (
        f'<input class="form-check-input" type="radio" name="skill_{python.pk}" value="3" '
        f'id="id_skill_{python.pk}_3" checked required>'
    ) in checked
    assert "<strong>Level 3</strong>: " in ratings.content.decode()
    assert ratings.context["form"][f"skill_{python.pk}"].value() == 3  # the form, built when asked for

    assert answer_all(user_client, assessment, index, certainty="fairly_sure").status_code == HTTPStatus.FOUND
    page = user_client.get(step_url(assessment, index)).content.decode()
    answers = Answer.objects.filter(assessment=assessment, round=1)
    checked = [radio for radio in radios_of(page) if " checked" in radio]
    assert len(checked) == 2 * answers.count()
    for saved in answers:
        assert (
            f'name="answer_{saved.pk}" value="{saved.choice_id}" '
            f'id="id_answer_{saved.pk}_{saved.choice_order.index(saved.choice_id)}" checked>'
        ) in " ".join(checked)
        assert (
            f'name="certainty_{saved.pk}" value="fairly_sure" id="id_certainty_{saved.pk}_1" checked>'
            in " ".join(checked)
        )
    assert "How sure are you?" in page and "Fairly sure" in page


@pytest.mark.django_db
def test_the_kept_heading_follows_the_language_and_the_page(user_client, small_catalogue):
    assessment = start(user_client)
    english = user_client.get(step_url(assessment, 0)).content.decode()
    assert f"Step 1 of {len(assessment.steps)}: " in english and ": rate yourself</h1>" in english
    rate(user_client, assessment, 0, {})  # refused: shown again, with the same heading
    user_client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    hindi = user_client.get(step_url(assessment, 0)).content.decode()
    assert f"{len(assessment.steps)} में से चरण 1: " in hindi and ": खुद को रेटिंग दें</h1>" in hindi
    assert "rate yourself" not in hindi
