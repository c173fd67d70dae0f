"""Reads: the few queries each page needs, shaped for templates and the pure modules."""

from __future__ import annotations

from django.conf import settings

from .models import Profile, Role


def default_role() -> Role | None:
    """The role a new profile aims at (Machine Learning Engineer when the catalogue has it)."""
    return Role.objects.filter(slug=settings.CAREERPATH_DEFAULT_ROLE).first() or Role.objects.first()


def profile_for(user) -> Profile:
    """The person's profile, created with defaults on first use."""
    profile = Profile.objects.select_related("target_role").filter(user=user).first()
    if profile is None:
        profile, _ = Profile.objects.get_or_create(user=user, defaults={"target_role": default_role()})
    elif profile.target_role is None:
        profile.target_role = default_role()
        if profile.target_role is not None:
            profile.save(update_fields=["target_role"])
    return profile
