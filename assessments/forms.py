"""Forms: validation of what people type; no business rules."""

from __future__ import annotations

from django import forms

from .models import Profile

HOURS_MESSAGE = "Choose between 1 and 60 hours a week."


class ProfileForm(forms.ModelForm):
    hours_per_week = forms.IntegerField(
        min_value=1,
        max_value=60,
        label="Hours per week you can study",
        help_text="Between 1 and 60. Your roadmap's dates come from this.",
        error_messages={"min_value": HOURS_MESSAGE, "max_value": HOURS_MESSAGE, "invalid": HOURS_MESSAGE},
    )

    class Meta:
        model = Profile
        fields = ["display_name", "hours_per_week", "target_role", "experience_level", "country", "city"]
        labels = {"target_role": "Target role", "experience_level": "Where you are now"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_role"].required = True
        self.fields["target_role"].empty_label = None
