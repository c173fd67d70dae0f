"""The catalogue's one form for people: reporting a problem with a question they were asked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .models import REPORT_MESSAGE_MAX_LENGTH, QuestionReport


class QuestionReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=QuestionReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(services.MSG_KIND_REQUIRED),
            "invalid_choice": _(services.MSG_KIND_UNKNOWN),
        },
    )
    message = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=REPORT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _(
                "Optional, except for Other; up to {limit} characters. A source that shows the problem helps most."
            ),
            limit=REPORT_MESSAGE_MAX_LENGTH,
        ),
        error_messages={
            "max_length": _(
                "Keep the message to %(limit_value)d characters or fewer (it has %(show_value)d)."
            )
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "kind" in cleaned and "message" in cleaned:
            for field, problem in services.report_problems(
                kind=cleaned["kind"], message=cleaned["message"]
            ).items():
                self.add_error(field or None, problem)
        return cleaned
