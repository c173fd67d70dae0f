"""Forms of the person's own account: profile and deletion."""

from __future__ import annotations

from typing import Any

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["target_role"]
        assert isinstance(role, forms.ModelChoiceField)
        role.required = True
        role.empty_label = None


MSG_WRONG_PASSWORD = "That is not your current password; nothing was deleted."


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my profile, assessments, results, plan and notes are deleted for good."
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(MSG_WRONG_PASSWORD)
        return self.cleaned_data["password"]
