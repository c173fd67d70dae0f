"""The form of the API tokens page."""

from __future__ import annotations

from django import forms

from .models import AccessToken
from .services import NAME_MAX_LENGTH

NAME_MESSAGE = "Give the token a name, such as the script or machine that will use it."
NAME_LENGTH_MESSAGE = f"Keep the name to {NAME_MAX_LENGTH} characters or fewer."
SCOPE_MESSAGE = "Choose what the token may do: read only, or read and write."


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text=f"What will use it, e.g. “laptop script”. Up to {NAME_MAX_LENGTH} characters.",
        error_messages={"required": NAME_MESSAGE, "max_length": NAME_LENGTH_MESSAGE},
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read only is enough to fetch your results and plan; choose read and write to change data.",
        error_messages={"required": SCOPE_MESSAGE, "invalid_choice": SCOPE_MESSAGE},
    )
