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


MSG_STALE_PAGE = (
    "This page was out of date (it was opened for another step). Please check it and submit again."
)
MSG_CHOOSE_LEVEL = "Choose the level that describes you best for {skill}."
MSG_CHOOSE_ANSWER = "Choose an answer, or \u201cI don't know\u201d."
MSG_CHOOSE_CERTAINTY = "Say how sure you are of this answer."
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
            raise forms.ValidationError(MSG_STALE_PAGE)
        return self.cleaned_data["step"]


class RatingsForm(StepForm):
    """One radio group per skill: the five anchored levels."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for skill, anchors, saved in rows:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=[(a.level, a.description) for a in anchors],
                coerce=int,
                widget=forms.RadioSelect,
                initial=saved,
                error_messages={
                    "required": MSG_CHOOSE_LEVEL.format(skill=skill.name),
                    "invalid_choice": MSG_CHOOSE_LEVEL.format(skill=skill.name),
                },
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
        from .models import Certainty

        for answer, choices in rows:
            initial = DONT_KNOW if answer.dont_know else answer.choice_id
            self.fields[f"answer_{answer.pk}"] = forms.ChoiceField(
                label=answer.question.prompt,
                choices=[(str(c.pk), c.text) for c in choices] + [(DONT_KNOW, "I don't know")],
                widget=forms.RadioSelect,
                initial=str(initial) if initial else None,
                error_messages={"required": MSG_CHOOSE_ANSWER, "invalid_choice": MSG_CHOOSE_ANSWER},
            )
            self.fields[f"certainty_{answer.pk}"] = forms.ChoiceField(
                label="How sure are you?",
                choices=Certainty.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=answer.certainty or None,
                error_messages={"invalid_choice": MSG_CHOOSE_CERTAINTY},
            )

    def clean(self):
        cleaned = super().clean()
        for answer, _choices in self.rows:
            picked = cleaned.get(f"answer_{answer.pk}")
            if picked and picked != DONT_KNOW and not cleaned.get(f"certainty_{answer.pk}"):
                self.add_error(f"certainty_{answer.pk}", MSG_CHOOSE_CERTAINTY)
        return cleaned

    def responses(self):
        from .services import CheckResponse

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


MSG_EVIDENCE_URL = "Evidence links must be full http(s) addresses, one per line (at most 5)."


class StepProgressForm(forms.Form):
    """Status, notes and evidence links for one roadmap step."""

    status = forms.ChoiceField(choices=[])
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        required=False,
        max_length=2500,
        label="Evidence links",
        help_text="Repository, certificate or write-up: one address per line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        from .models import StepStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = StepStatus.choices

    def clean_evidence(self):
        from django.core.validators import URLValidator

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

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held"].choices = [(m.slug, m.name) for m in milestones]


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
