"""Forms: validation of what people type; no business rules."""

from __future__ import annotations

import copy
from collections.abc import MutableMapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from catalogue.vocab import Certainty

from .services import CheckResponse

MSG_STALE_PAGE = gettext_noop(
    "This page was out of date (it was opened for another step). Please check it and submit again."
)
MSG_CHOOSE_LEVEL = gettext_noop("Choose the level that describes you best for {skill}.")
# Real quotes, not \u escapes: xgettext would keep an escape as text, and the lookup would miss it.
MSG_CHOOSE_ANSWER = gettext_noop("Choose an answer, or “I don't know”.")
MSG_CHOOSE_CERTAINTY = gettext_noop("Say how sure you are of this answer.")
DONT_KNOW = "dontknow"


class StepForm(forms.Form):
    """Every quiz page posts the step it was rendered for, so a stale or tampered page is caught."""

    step = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, step: int, **kwargs):
        self.expected_step = step
        super().__init__(*args, **kwargs)
        self.fields["step"].initial = step

    def clean_step(self):
        if self.cleaned_data["step"] != self.expected_step:
            raise forms.ValidationError(gettext(MSG_STALE_PAGE))
        return self.cleaned_data["step"]

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.has_error("step"):
            # A refused step (stale, missing or tampered): the page shown again carries the step it
            # is for, with what was picked on it, so submitting it again is accepted.
            data = cast(MutableMapping[str, Any], copy.copy(self.data))  # a QueryDict's copy is mutable
            data[self.add_prefix("step")] = str(self.expected_step)
            self.data = data


class RatingsForm(StepForm):
    """One radio group per skill: the five anchored levels."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choose = gettext(MSG_CHOOSE_LEVEL)  # translated once for the page
        for skill, anchors, saved in rows:
            message = choose.format(skill=skill.name)
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=[(a.level, a.description) for a in anchors],
                coerce=int,
                widget=forms.RadioSelect,
                initial=saved,
                error_messages={"required": message, "invalid_choice": message},
            )

    def levels(self) -> dict[int, int]:
        return {skill.pk: self.cleaned_data[f"skill_{skill.pk}"] for skill, _anchors, _saved in self.rows}

    def groups(self):
        """(skill, bound field, anchors) for the template."""
        return [(skill, self[f"skill_{skill.pk}"], anchors) for skill, anchors, _saved in self.rows]


class ChecksForm(StepForm):
    """One question per assigned check: a choice or "I don't know", and how sure the person is."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        # The same words on every question: looked up once for the page (the fields copy the messages).
        dont_know = (DONT_KNOW, gettext("I don't know"))
        answer_messages = {
            "required": gettext_lazy(MSG_CHOOSE_ANSWER),
            "invalid_choice": gettext_lazy(MSG_CHOOSE_ANSWER),
        }
        certainty_label = gettext_lazy("How sure are you?")
        certainty_choices = Certainty.choices
        certainty_messages = {"invalid_choice": gettext_lazy(MSG_CHOOSE_CERTAINTY)}
        for answer, choices in rows:
            initial = DONT_KNOW if answer.dont_know else answer.choice_id
            self.fields[f"answer_{answer.pk}"] = forms.ChoiceField(
                label=answer.question.prompt,
                choices=[(str(c.pk), c.text) for c in choices] + [dont_know],
                widget=forms.RadioSelect,
                initial=str(initial) if initial else None,
                error_messages=answer_messages,
            )
            self.fields[f"certainty_{answer.pk}"] = forms.ChoiceField(
                label=certainty_label,
                choices=certainty_choices,
                widget=forms.RadioSelect,
                required=False,
                initial=answer.certainty or None,
                error_messages=certainty_messages,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for answer, _choices in self.rows:
            picked = cleaned.get(f"answer_{answer.pk}")
            if picked and picked != DONT_KNOW and not cleaned.get(f"certainty_{answer.pk}"):
                self.add_error(f"certainty_{answer.pk}", gettext(MSG_CHOOSE_CERTAINTY))
        return cleaned

    def responses(self):
        result = []
        for answer, _choices in self.rows:
            picked = self.cleaned_data[f"answer_{answer.pk}"]
            result.append(
                CheckResponse(
                    answer_id=answer.pk,
                    choice_id=None if picked == DONT_KNOW else int(picked),
                    certainty=self.cleaned_data.get(f"certainty_{answer.pk}") or "",
                )
            )
        return result

    def groups(self):
        return [
            (answer, self[f"answer_{answer.pk}"], self[f"certainty_{answer.pk}"])
            for answer, _choices in self.rows
        ]
