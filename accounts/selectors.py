"""Reads about the person: their profile, their focus role, and everything held about them."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from django.core import signing
from django.db.models import F

from catalogue import compiled
from catalogue import selectors as catalogue_selectors
from catalogue.models import Role
from catalogue.targets import Choices, TargetKey

from . import registry
from .models import Profile, User


def profile_get(*, user: User) -> Profile:
    """The person's profile (an unsaved one with the defaults when there is none yet).

    A profile without a chosen role shows the focus role as its choice; nothing is written.
    """
    profile = Profile.objects.select_related("target_role").filter(user=user).first()
    if profile is None:
        profile = Profile(user=user)
    profile.user = user  # the request's user: showing the profile's name needs no query
    if profile.target_role is None:
        profile.target_role = focus_role(profile=profile)
    return profile


def demo_user() -> User | None:
    """The demo learner of ``manage.py load_demo`` (the only profile marked ``is_demo``), if loaded.

    The public sample pages show this account and no other.
    """
    return User.objects.filter(profile__is_demo=True, is_active=True).first()


def profile_language(*, user: User) -> str:
    """The person's saved interface language ("" when they follow their browser's)."""
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""


def focus_role(*, profile: Profile) -> Role | None:
    """The role the person works towards: the one they chose, else the catalogue's default role.

    Every page and service that speaks of "your role" asks this function.
    """
    return profile.target_role or catalogue_selectors.default_role()


def focus_target(*, profile: Profile) -> TargetKey | None:
    """The role target the person works towards: their focus role at their chosen seniority."""
    role = focus_role(profile=profile)
    return TargetKey(role.slug, profile.seniority) if role else None


def target_choices(*, profile: Profile) -> Choices:
    """The person's choices about their target (picks in groups, optional skills set aside, additions)."""
    if profile.pk is None:
        return Choices()
    through = [Profile.chosen_skills.through, Profile.set_aside_skills.through, Profile.added_skills.through]
    chosen, set_aside, added = (
        frozenset(model._default_manager.filter(profile_id=profile.pk).values_list("skill__slug", flat=True))
        for model in through
    )
    return Choices(chosen=chosen, set_aside=set_aside, added=added)


def is_onboarded(*, profile: Profile) -> bool:
    """Whether the person chose their target (onboarding runs before the first assessment)."""
    return profile.onboarded_at is not None


def profile_and_milestones(*, user: User) -> tuple[Profile, list[str]]:
    """The person's profile as :func:`profile_get` gives it, with the slugs of the milestones they
    hold (:func:`held_milestones`), in one query compiled once per process (for the roadmap, read on
    every visit), which reads the catalogue's version for the request too. Its role is read only if
    asked for: ``focus_role`` for "your role"."""
    return compiled.run(profile_and_milestones_read(user=user))


def profile_and_milestones_read(*, user: User) -> compiled.Read[tuple[Profile, list[str]]]:
    """:func:`profile_and_milestones` as a read, to send with a page's other reads."""
    return compiled.then(
        compiled.instances(_profile_and_milestones_query(), {compiled.SOME_USER: user.pk}),
        partial(_profile_and_milestones_of, user),
    )


def _profile_and_milestones_of(user: User, rows: list[Profile]) -> tuple[Profile, list[str]]:
    if rows:  # the catalogue's version came with it
        catalogue_selectors.catalogue_version_read(rows[0].catalogue_version)  # type: ignore[attr-defined]
    profile = rows[0] if rows else Profile(user=user)
    profile.user = user  # the request's user: showing the profile's name needs no query
    return profile, [row.held for row in rows if row.held is not None]  # type: ignore[attr-defined]


@cache
def _profile_and_milestones_query() -> compiled.CompiledQuery:
    return compiled.CompiledQuery.of(
        Profile.objects.filter(user_id=compiled.SOME_USER)
        .annotate(
            held=F("milestones_held__slug"),
            catalogue_version=catalogue_selectors.catalogue_version_subquery(),
        )
        .order_by("milestones_held__slug")
    )


def held_milestones(*, user: User) -> list[str]:
    """Slugs of the career milestones the person says they already have."""
    return list(
        Profile.objects.filter(user=user)
        .values_list("milestones_held__slug", flat=True)
        .exclude(milestones_held=None)
    )


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything careerpath holds about the person, as JSON-ready data."""
    profile = profile_get(user=user)
    role = profile.target_role
    choices = target_choices(profile=profile)
    data: dict[str, Any] = {
        "account": {"email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": {
            "display_name": profile.display_name,
            "hours_per_week": profile.hours_per_week,
            "country": profile.country.code if profile.country else "",
            "city": profile.city,
            "experience_level": profile.experience_level,
            "target_role": role.slug if role else None,
            "seniority": profile.seniority,
            "chosen_skills": sorted(choices.chosen),
            "set_aside_skills": sorted(choices.set_aside),
            "added_skills": sorted(choices.added),
            "milestones_held": held_milestones(user=user),
            "weekly_email": profile.weekly_email,
            "weekly_email_since": (
                profile.weekly_email_since.isoformat() if profile.weekly_email_since else None
            ),
            "language": profile.language,
        },
    }
    for entry in registry.personal_data():
        data |= entry.export(user)
    return data


# The stop link of the weekly e-mail is signed with SECRET_KEY under its own salt, so no other
# signed value of the site can stand in for it. It does not expire: a link in an old e-mail
# still stops the e-mails, and all it can do is turn them off.
WEEKLY_EMAIL_STOP_SALT = "accounts.weekly-email.stop"


def weekly_email_stop_token(*, user: User) -> str:
    """The signed token of the person's one-click stop link (URL-safe)."""
    return signing.dumps(user.pk, salt=WEEKLY_EMAIL_STOP_SALT)


def weekly_email_stop_user(*, token: str) -> User | None:
    """The person a stop token was made for (None when it is tampered with, or they are gone)."""
    try:
        pk = signing.loads(token, salt=WEEKLY_EMAIL_STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk).first()
