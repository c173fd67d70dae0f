"""Writes about the person: their profile and the deletion of their account."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone

from catalogue import targets
from catalogue.models import CareerMilestone, Role, RoleTarget, Skill
from catalogue.targets import Choices, TargetRow

from . import registry, signed_in
from .models import Profile, Session, User

PROFILE_FIELDS = (
    "display_name",
    "hours_per_week",
    "target_role",
    "experience_level",
    "country",
    "city",
    "weekly_email",
    "language",
)


@transaction.atomic
def profile_create(*, user: User, language: str = "") -> Profile:
    """A new person's profile, with the defaults (their focus role is the catalogue's default) and
    the interface language they chose, if any (blank follows the browser)."""
    profile, _created = Profile.objects.get_or_create(user=user, defaults={"language": language})
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
    if "weekly_email" in changed:
        profile.weekly_email_since = timezone.now() if profile.weekly_email else None
    profile.save()
    if changed:
        registry.profile_changed(user, changed)
    return profile


MSG_NO_SUCH_TARGET = "That role has no target at this level."


class ProfileError(Exception):
    """A profile change that cannot be made; the message says why."""


@transaction.atomic
def target_choose(*, user: User, role: Role, seniority: str, hours_per_week: int) -> Profile:
    """Onboarding, step 1: the role and seniority the person aims for, and their hours a week.

    Choices made for another target are kept (a pick that does not belong to the new target is
    simply not in force), so switching back restores them.
    """
    if not RoleTarget.objects.filter(role=role, seniority=seniority).exists():
        raise ProfileError(MSG_NO_SUCH_TARGET)
    profile = _profile_for_update(user)
    changed = {
        name
        for name, value in (
            ("target_role", role),
            ("seniority", seniority),
            ("hours_per_week", hours_per_week),
        )
        if getattr(profile, name) != value
    }
    profile.target_role, profile.seniority, profile.hours_per_week = role, seniority, hours_per_week
    profile.save()
    if changed:
        registry.profile_changed(user, changed)
    return profile


@transaction.atomic
def target_choices_save(*, user: User, rows: list[TargetRow], choices: Choices) -> Profile:
    """Onboarding, step 2: the person's choices for their target; they count as onboarded from now."""
    problems = targets.choice_problems(rows, choices)
    if problems:
        raise ProfileError(" ".join(problems))
    profile = _profile_for_update(user)
    skills = {
        s.slug: s for s in Skill.objects.filter(slug__in=choices.chosen | choices.set_aside | choices.added)
    }
    profile.chosen_skills.set([skills[s] for s in choices.chosen if s in skills])
    profile.set_aside_skills.set([skills[s] for s in choices.set_aside if s in skills])
    profile.added_skills.set([skills[s] for s in choices.added if s in skills])
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
        profile.save(update_fields=["onboarded_at"])
    registry.profile_changed(user, {"target_choices"})
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
    sessions_delete(user=user)
    user.delete()


MSG_DEMO_EMAIL_TAKEN = (
    "{email} belongs to a real account: the demo learner needs an address of its own (--email)."
)


@transaction.atomic
def demo_account_reset(*, email: str, password: str) -> User:
    """A fresh demo learner: the previous one and everything it held are deleted, then made anew.

    The demo learner is the only profile marked ``is_demo`` (the public sample pages show it and no
    one else). An account that holds the address without the mark is a real person's and is never
    touched: the reset refuses instead.
    """
    if (
        User.objects.filter(email__iexact=email).exclude(profile__is_demo=True).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user__profile__is_demo=True).exists()
    ):
        raise ProfileError(MSG_DEMO_EMAIL_TAKEN.format(email=email))
    for previous in User.objects.filter(profile__is_demo=True):
        account_delete(user=previous)
    username, number = "demo-learner", 1
    while User.objects.filter(username=username).exists():  # a real person's name is left alone
        number += 1
        username = f"demo-learner-{number}"
    user = User.objects.create_user(username=username, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(user=user, is_demo=True)
    return user


def sessions_delete(*, user: User) -> int:
    """End every session of the person, in every browser; returns how many there were.

    The settings' engine (``accounts.sessions``) stores whose each session is, so the person's are
    found by that index. With one of Django's engines (``db``, ``cached_db``) a session says whose
    it is only inside its encoded data, and each stored one is decoded. The engine's own ``delete``
    removes the row and, for the cached engines, the cached copy too.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    model = store_class.get_model_class()
    if model is Session:
        keys = signed_in.session_keys([user.pk])
    else:
        user_id = str(user.pk)  # as django.contrib.auth.login stores it
        decoder = store_class()
        keys = [
            session.session_key
            for session in model.objects.iterator()
            if decoder.decode(session.session_data).get(SESSION_KEY) == user_id
        ]
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)


@transaction.atomic
def weekly_email_stop(*, user: User) -> Profile:
    """Turn the person's weekly e-mail off (the one-click stop link; doing it twice changes nothing)."""
    profile = _profile_for_update(user)
    if profile.weekly_email:
        profile.weekly_email, profile.weekly_email_since = False, None
        profile.save(update_fields=["weekly_email", "weekly_email_since"])
    return profile
