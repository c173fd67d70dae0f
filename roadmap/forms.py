"""Forms of the roadmap: marking a step, and the career milestones a person already has."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator

from catalogue.models import CareerMilestone

from .models import StepStatus

MSG_EVIDENCE_URL = "Evidence links must be full http(s) addresses, one per line (at most 5)."


class StepProgressForm(forms.Form):
    """Status, notes and evidence links for one roadmap step."""

    status = forms.ChoiceField(choices=StepStatus.choices)
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        required=False,
        max_length=2500,
        label="Evidence links",
        help_text="Repository, certificate or write-up: one address per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_evidence(self):
        lines = [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        if len(lines) > 5:
            raise forms.ValidationError(MSG_EVIDENCE_URL)
        for line in lines:
            try:
                validate(line)
            except forms.ValidationError as error:
                raise forms.ValidationError(MSG_EVIDENCE_URL) from error
        return lines


class MilestonesForm(forms.Form):
    held = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Milestones you already have"
    )

    def __init__(self, *args: Any, milestones: list[CareerMilestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        held = self.fields["held"]
        assert isinstance(held, forms.MultipleChoiceField)
        held.choices = [(m.slug, m.name) for m in milestones]
