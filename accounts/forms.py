"""Forms of the person's own account: profile and deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from catalogue import targets
from catalogue.models import Role
from catalogue.targets import Choices, TargetRow
from catalogue.vocab import Seniority

from .models import Profile

# Messages are kept in English (the tests look for them) and translated where they are shown.
HOURS_MESSAGE = gettext_noop("Choose between 1 and 60 hours a week.")
HOURS_ERRORS = {"min_value": _(HOURS_MESSAGE), "max_value": _(HOURS_MESSAGE), "invalid": _(HOURS_MESSAGE)}


class ProfileForm(forms.ModelForm):
    hours_per_week = forms.IntegerField(
        min_value=1,
        max_value=60,
        label=_("Hours per week you can study"),
        help_text=_("Between 1 and 60. Your roadmap's dates come from this."),
        error_messages=HOURS_ERRORS,
    )
    language = forms.ChoiceField(
        choices=[("", _("The language of your browser")), *settings.LANGUAGES],
        required=False,
        label=_("Language"),
        help_text=_("The language of these pages and of your e-mails."),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "hours_per_week",
            "target_role",
            "experience_level",
            "country",
            "city",
            "weekly_email",
            "language",
        ]
        labels = {
            "display_name": _("Display name"),
            "target_role": _("Target role"),
            "experience_level": _("Where you are now"),
            "country": _("Country"),
            "city": _("City"),
            "weekly_email": _(
                "Yes, e-mail me this week's plan every Monday, and a reminder when a retake is due"
            ),
        }
        help_texts = {
            "weekly_email": _(
                "Optional, off unless you tick it. One e-mail a week at most, to your account's address; "
                "every e-mail has a link that stops them in one click, or untick this box."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["target_role"]
        assert isinstance(role, forms.ModelChoiceField)
        role.required = True
        role.empty_label = None


MSG_WRONG_PASSWORD = gettext_noop("That is not your current password; nothing was deleted.")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my profile, assessments, results, plan and notes are deleted for good.")
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_(MSG_WRONG_PASSWORD))
        return self.cleaned_data["password"]


MSG_PICK_ONE = gettext_noop("Choose one of these, or set the group aside if it is optional.")


class TargetForm(forms.Form):
    """Onboarding, step 1: the role, its seniority, and the hours a week for the plan."""

    role = forms.ModelChoiceField(
        queryset=Role.objects.all(),
        empty_label=None,
        widget=forms.RadioSelect,
        label=_("The role you aim for"),
    )
    seniority = forms.ChoiceField(
        choices=Seniority.choices, widget=forms.RadioSelect, label=_("At what level")
    )
    hours_per_week = forms.IntegerField(
        min_value=1,
        max_value=60,
        label=_("Hours per week you can study"),
        help_text=_("Between 1 and 60. Your roadmap's dates come from this."),
        error_messages=HOURS_ERRORS,
    )


SET_ASIDE = "set-aside"


class TargetChoicesForm(forms.Form):
    """Onboarding, step 2: one skill per group of alternatives, optional skills set aside, additions."""

    def __init__(
        self,
        *args: Any,
        rows: list[TargetRow],
        names: dict[str, str],
        others: list[tuple[str, str]],
        current: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        in_force = targets.picked(rows, current)
        self.group_fields = []
        for group, members in targets.groups(rows).items():
            options = [(r.skill, names.get(r.skill, r.skill)) for r in members]
            optional = not members[0].required
            if optional:
                options.append((SET_ASIDE, str(_("None of these for now (set the group aside)"))))
            initial = SET_ASIDE if optional and in_force[group] in current.set_aside else in_force[group]
            name = f"group_{group}"
            self.fields[name] = forms.ChoiceField(
                choices=options,
                widget=forms.RadioSelect,
                initial=initial,
                label=_("One of: %(skills)s")
                % {"skills": ", ".join(str(label) for slug, label in options if slug != SET_ASIDE)},
                error_messages={"required": _(MSG_PICK_ONE), "invalid_choice": _(MSG_PICK_ONE)},
            )
            self.group_fields.append(name)
        optional_skills = [
            (r.skill, names.get(r.skill, r.skill)) for r in rows if not r.required and not r.group
        ]
        self.fields["set_aside"] = forms.MultipleChoiceField(
            choices=optional_skills,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=sorted(current.set_aside),
            label=_("Optional skills to set aside"),
            help_text=_("They are not assessed and not in your plan; you can take them back at any time."),
        )
        self.fields["added"] = forms.MultipleChoiceField(
            choices=others,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=sorted(current.added),
            label=_("Other skills you also want assessed"),
            help_text=_(
                "Assessed and shown in your results; your readiness counts only your target's skills."
            ),
        )

    def choices(self) -> Choices:
        """The person's choices as the form holds them (after ``is_valid()``)."""
        chosen: set[str] = set()
        set_aside = set(self.cleaned_data["set_aside"])
        for name in self.group_fields:
            value = self.cleaned_data[name]
            if value == SET_ASIDE:
                members = targets.groups(self.rows)[name.removeprefix("group_")]
                set_aside.add(members[0].skill)
                chosen.add(members[0].skill)
            else:
                chosen.add(value)
        return Choices(frozenset(chosen), frozenset(set_aside), frozenset(self.cleaned_data["added"]))
