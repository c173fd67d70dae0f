"""The radio groups of the quiz pages, written in Python: the HTML Django's template loops wrote.

A ratings page holds dozens of radios and a checks page over a hundred; through the template engine
each of their dozen values cost a variable lookup, an escape and a localisation, and the loops took
most of the pages' time. These tags write the same bytes from the rows ``assessments.presenters``
shapes (:func:`~assessments.presenters.rating_groups`, :func:`~assessments.presenters.check_groups`),
escaping every value as ``{{ }}`` does (values marked safe are written as they are). The words they
add are translated once per page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from assessments.presenters import CheckGroup, QuizRadio, RatingGroup

register = template.Library()


def _escape(value: object) -> str:
    """``value`` as ``{{ value }}`` writes it with autoescaping: safe text as it is, the rest escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _errors(errors: Iterable[str]) -> str:
    """``{{ errors|join:" " }}``."""
    return " ".join(_escape(error) for error in errors)


@register.simple_tag
def rating_fieldsets(groups: list[RatingGroup]) -> SafeString:
    """The skills of a ratings page, one fieldset each, with their levels as radios."""
    parts: list[str] = []
    for group in groups:
        group_id, field = _escape(group["id"]), _escape(group["field"])
        errors = group["errors"]
        parts.append(
            f'\n    <fieldset class="mb-4" id="skill-{_escape(group["slug"])}"'
            + (f' aria-describedby="{group_id}-error"' if errors else "")
            + f'>\n      <legend class="h5">{_escape(group["name"])}</legend>'
            f'\n      <p class="text-body-secondary small mb-2">{_escape(group["description"])}</p>\n      '
            + (
                f'<div class="text-danger mb-2" id="{group_id}-error">{_errors(errors)}</div>'
                if errors
                else ""
            )
            + "\n      "
        )
        for radio in group["radios"]:
            radio_id = _escape(radio["id"])
            parts.append(
                '\n        <div class="form-check level-option">'
                f'\n          <input class="form-check-input" type="radio" name="{field}" value="{_escape(radio["value"])}"'
                f'\n                 id="{radio_id}"{" checked" if radio["checked"] else ""} required>'
                f'\n          <label class="form-check-label" for="{radio_id}">'
                f"\n            <strong>{_escape(radio['level'])}</strong>: {_escape(radio['label'])}"
                "\n          </label>\n        </div>\n      "
            )
        parts.append("\n    </fieldset>\n  ")
    return mark_safe("".join(parts))  # every value escaped above, as the template did


def _check_radios(field: str, radios: list[QuizRadio], css: str) -> str:
    parts: list[str] = []
    for radio in radios:
        radio_id = _escape(radio["id"])
        parts.append(
            f'\n            <div class="form-check {css}">'
            f'\n              <input class="form-check-input" type="radio" name="{field}" value="{_escape(radio["value"])}"'
            f'\n                     id="{radio_id}"{" checked" if radio["checked"] else ""}>'
            f'\n              <label class="form-check-label" for="{radio_id}">{_escape(radio["label"])}</label>'
            "\n            </div>\n          "
        )
    return "".join(parts)


@register.simple_tag
def check_sections(groups: list[CheckGroup]) -> SafeString:
    """The questions of a knowledge-checks page, one card each: the choices, then how sure the person is."""
    # The template's {% translate %} of these words marked them safe: they are written unescaped.
    seen_before = gettext("you have seen this question before")
    how_sure = gettext("How sure are you?")
    not_needed = gettext("(not needed for &ldquo;I don't know&rdquo;)")
    parts: list[str] = []
    for group in groups:
        title = f"q-{group['pk']}-title"
        errors, certainty_errors = group["errors"], group["certainty_errors"]
        parts.append(
            f'\n    <section class="card mb-3" aria-labelledby="{title}">\n      <div class="card-body">'
            f'\n        <p class="text-body-secondary small mb-1">{_escape(group["skill"])}'
            + (f" · {seen_before}" if group["seen_before"] else "")
            + f'</p>\n        <fieldset aria-labelledby="{title}">'
            f'\n          <div class="h6 prompt-code" id="{title}">{_escape(group["prompt"])}</div>\n          '
            + (f'<div class="text-danger mb-2">{_errors(errors)}</div>' if errors else "")
            + "\n          "
            + _check_radios(_escape(group["field"]), group["radios"], "check-choice")
            + '\n        </fieldset>\n        <fieldset class="mt-2">'
            f'\n          <legend class="small fw-semibold mb-1">{how_sure} '
            f'<span class="fw-normal text-body-secondary">{not_needed}</span></legend>\n          '
            + (f'<div class="text-danger mb-2">{_errors(certainty_errors)}</div>' if certainty_errors else "")
            + "\n          "
            + _check_radios(_escape(group["certainty_field"]), group["certainty"], "form-check-inline")
            + "\n        </fieldset>\n      </div>\n    </section>\n  "
        )
    return mark_safe("".join(parts))  # every value escaped above, as the template did
