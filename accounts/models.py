"""Accounts: the person (a custom user from the first migration) and their profile."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from catalogue.models import CareerMilestone, Role, Skill
from catalogue.vocab import DEFAULT_SENIORITY, Seniority

# Sent with ``ids`` when account rows are written without ``save()`` (``update``, ``bulk_update``),
# which send no ``post_save``: the copies of signed-in people kept beside the sessions are retired
# on it (accounts/signed_in.py).
account_rows_written = Signal()


class AccountQuerySet(models.QuerySet):
    def update(self, **kwargs):
        ids = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        account_rows_written.send(sender=self.model, ids=ids)
        return updated

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        updated = super().bulk_update(objs, fields, batch_size=batch_size)
        account_rows_written.send(sender=self.model, ids=[obj.pk for obj in objs])
        return updated

    bulk_update.alters_data = True  # type: ignore[attr-defined]


class AccountManager(UserManager["User"]):
    """Django's ``UserManager`` whose ``update`` and ``bulk_update`` say which accounts they wrote."""

    _queryset_class = AccountQuerySet


class User(AbstractUser):
    """A person who uses careerpath; e-mail is how they log in (allauth).

    A project's own user model from the first migration, so fields can be added later without
    swapping the model under existing data.
    """

    objects: ClassVar[AccountManager] = AccountManager()


class Session(AbstractBaseSession):
    """A session as Django's database engine keeps it, with the id of the account signed in to it:
    a person's sessions are found by an index instead of by decoding every stored session
    (``accounts.sessions``, the session engine)."""

    account_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore  # the engine reads this model: imported when asked for

        return SessionStore


class Profile(models.Model):
    class Experience(models.TextChoices):
        STUDENT = "student", _("Student")
        FRESHER = "fresher", _("Fresh graduate")
        SWITCHER = "switcher", _("Working professional switching roles")
        PRACTITIONER = "practitioner", _("Already working with data or ML")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    country = CountryField(blank=True)
    city = models.CharField(max_length=80, blank=True)
    experience_level = models.CharField(max_length=20, choices=Experience.choices, default=Experience.STUDENT)
    target_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seniority = models.CharField(max_length=10, choices=Seniority.choices, default=DEFAULT_SENIORITY)
    chosen_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", help_text="The skill picked in each group of alternatives."
    )
    set_aside_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", help_text="Optional skills of the target the person set aside."
    )
    added_skills = models.ManyToManyField(
        Skill,
        blank=True,
        related_name="+",
        help_text="Skills outside the target the person also wants assessed.",
    )
    onboarded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person first chose a target."
    )
    milestones_held = models.ManyToManyField(CareerMilestone, blank=True, related_name="+")
    weekly_email = models.BooleanField(
        default=False, help_text="The person asked for the weekly e-mail (this week's plan, retake reminder)."
    )
    weekly_email_since = models.DateTimeField(
        null=True, blank=True, help_text="When the person last asked for the weekly e-mail (empty while off)."
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text="The interface's language for this person (pages and e-mails); blank follows the browser.",
    )
    is_demo = models.BooleanField(
        default=False,
        editable=False,
        help_text=(
            "The sample learner made by `manage.py load_demo`, shown on the public sample pages. "
            "Only that command sets it; signing up never does."
        ),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60), name="profile_hours_range"
            ),
            models.UniqueConstraint(fields=["is_demo"], condition=Q(is_demo=True), name="profile_one_demo"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()
