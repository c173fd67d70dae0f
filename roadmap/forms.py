"""Forms of the roadmap: marking a step, and the career milestones a person already has."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from catalogue.models import CareerMilestone

from .models import StepStatus
from .services import MAX_HOURS_PER_DAY, MIN_SESSION_HOURS, MSG_FUTURE_DAY, MSG_HOURS

MSG_EVIDENCE_URL = gettext_noop("Evidence links must be full http(s) addresses, one per line (at most 5).")


class StepProgressForm(forms.Form):
    """Status, notes and evidence links for one roadmap step."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=StepStatus.choices)
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        required=False,
        max_length=2500,
        label=gettext_lazy("Evidence links"),
        help_text=gettext_lazy("Repository, certificate or write-up: one address per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_evidence(self):
        lines = [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        if len(lines) > 5:
            raise forms.ValidationError(gettext(MSG_EVIDENCE_URL))
        for line in lines:
            try:
                validate(line)
            except forms.ValidationError as error:
                raise forms.ValidationError(gettext(MSG_EVIDENCE_URL)) from error
        return lines


class MilestonesForm(forms.Form):
    held = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Milestones you already have")
    )

    def __init__(self, *args: Any, milestones: list[CareerMilestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        held = self.fields["held"]
        assert isinstance(held, forms.MultipleChoiceField)
        held.choices = [(m.slug, m.name) for m in milestones]


MSG_DAY_TOO_OLD = gettext_noop("You can log time for the last 365 days only.")
STUDY_LOG_OLDEST_DAYS = 365


class HoursField(forms.DecimalField):
    """A decimal number of hours; a decimal comma ("1,5") reads like a decimal point."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class StudySessionForm(forms.Form):
    """Hours studied on one step on one day (today unless the person says otherwise)."""

    hours = HoursField(
        label=gettext_lazy("Hours"),
        min_value=MIN_SESSION_HOURS,
        max_value=MAX_HOURS_PER_DAY,
        max_digits=4,
        decimal_places=2,
        error_messages=dict.fromkeys(
            (
                "required",
                "invalid",
                "min_value",
                "max_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            ),
            gettext_lazy(MSG_HOURS),
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    day = forms.DateField(
        label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].initial = today
        day = self.fields["day"].widget
        day.attrs |= {"max": today.isoformat(), "min": self.oldest_day.isoformat()}

    @property
    def oldest_day(self) -> date:
        return self.today - timedelta(days=STUDY_LOG_OLDEST_DAYS)

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(gettext(MSG_FUTURE_DAY))
        if day < self.oldest_day:
            raise forms.ValidationError(gettext(MSG_DAY_TOO_OLD))
        return day


MSG_DEADLINE_PAST = gettext_noop("Pick a date after today.")
MSG_DEADLINE_FAR = gettext_noop("Pick a date within the next ten years.")
DEADLINE_MAX_YEARS = 10


class DeadlineForm(forms.Form):
    """ "Ready by <date>": how many hours a week that takes, and what to set aside to make it."""

    ready_by = forms.DateField(label=gettext_lazy("Ready by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_ready_by(self) -> date:
        ready_by: date = self.cleaned_data["ready_by"]
        if ready_by <= self.today:
            raise forms.ValidationError(gettext(MSG_DEADLINE_PAST))
        if ready_by > self.today + timedelta(days=365 * DEADLINE_MAX_YEARS):
            raise forms.ValidationError(gettext(MSG_DEADLINE_FAR))
        return ready_by
