"""The person's profile: read it, change it (with the profile page's validation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from ninja import Router

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.forms import ProfileForm

from .. import auth, errors, presenters, schemas

if TYPE_CHECKING:
    from accounts.http import AuthenticatedHttpRequest

router = Router(tags=["profile"])


@router.get(
    "/profile",
    response={200: schemas.ProfileOut, **errors.PRIVATE},
    operation_id="profile_get",
    summary="Your profile",
)
def profile_get(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    profile = account_selectors.profile_get(user=request.user)
    return presenters.profile(request.user, profile)


@router.patch(
    "/profile",
    response={200: schemas.ProfileOut, **errors.WRITE},
    operation_id="profile_update",
    summary="Change your profile",
    description=(
        "Changes the fields sent and keeps the others, with the profile page's rules (1 to 60 hours a "
        "week, a role of the catalogue, ...). New hours a week re-time the plan. A refused change "
        "saves nothing (422)."
    ),
)
def profile_update(request: AuthenticatedHttpRequest, payload: schemas.ProfilePatch) -> dict[str, Any]:
    auth.require_write(request)
    profile = account_selectors.profile_get(user=request.user)
    data = presenters.profile_form_data(profile) | payload.model_dump(exclude_unset=True)
    form = ProfileForm(data, instance=profile)
    role = form.fields["target_role"]
    assert isinstance(role, forms.ModelChoiceField)
    role.to_field_name = "slug"  # the API names roles by slug, the page by id
    if not form.is_valid():
        raise errors.form_refused(form.errors)
    account_services.profile_update(user=request.user, fields=form.cleaned_data)
    return presenters.profile(request.user, account_selectors.profile_get(user=request.user))
