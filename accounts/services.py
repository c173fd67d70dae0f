"""Writes about the person: their profile and the deletion of their account."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from catalogue.models import CareerMilestone

from . import registry
from .models import Profile, User

PROFILE_FIELDS = ("display_name", "hours_per_week", "target_role", "experience_level", "country", "city")


@transaction.atomic
def profile_create(*, user: User) -> Profile:
    """A new person's profile, with the defaults (their focus role is the catalogue's default)."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def _profile_for_update(user: User) -> Profile:
    profile = Profile.objects.select_for_update().filter(user=user).first()
    return profile or Profile.objects.create(user=user)


@transaction.atomic
def profile_update(*, user: User, fields: Mapping[str, Any]) -> Profile:
    """Save the person's profile; apps that follow a changed field (the plan's dates) hear of it."""
    profile = _profile_for_update(user)
    changed = {name for name in PROFILE_FIELDS if name in fields and getattr(profile, name) != fields[name]}
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(profile, name, fields[name])
    profile.save()
    if changed:
        registry.profile_changed(user, changed)
    return profile


@transaction.atomic
def milestones_set(*, user: User, slugs: Iterable[str]) -> Profile:
    """Record the career milestones the person already has."""
    profile = _profile_for_update(user)
    profile.milestones_held.set(CareerMilestone.objects.filter(slug__in=set(slugs)))
    registry.profile_changed(user, {"milestones_held"})
    return profile


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the person and everything careerpath holds about them (each app's part, newest app first)."""
    for entry in reversed(registry.personal_data()):
        entry.delete(user)
    user.delete()
