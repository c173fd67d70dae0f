"""The catalogue: what the product knows (roles, skills, levels, questions, resources, milestones, salaries).

Every model has a natural key, so the YAML fixtures under ``fixtures/`` carry no numeric ids and
can be edited by hand, dumped from the admin and loaded again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .vocab import (
    DEFAULT_SENIORITY,
    MAX_LEVEL,
    MIN_CHECK_LEVEL,
    MIN_LEVEL,
    Level,
    Phase,
    Seniority,
    SkillKind,
)

LEVEL_VALIDATORS = [MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)]
CHECK_LEVEL_VALIDATORS = [MinValueValidator(MIN_CHECK_LEVEL), MaxValueValidator(MAX_LEVEL)]


class CatalogueModel(models.Model):
    """A catalogue row: it has a natural key, so fixtures name it without numeric ids."""

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[Any, ...]:
        raise NotImplementedError


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Role(CatalogueModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


class SkillCategory(CatalogueModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=20, choices=Phase.choices)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "skill categories"

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


class Skill(CatalogueModel):
    Kind = SkillKind

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField()
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TECHNICAL)
    covers = models.TextField(blank=True, help_text="Comma-separated article terms this skill stands for.")
    source = models.CharField(max_length=120, help_text="<seed file>#<section>, or 'editorial'.")
    is_published = models.BooleanField(default=False)
    is_historical = models.BooleanField(
        default=False,
        help_text="Kept readable in the open catalogue as history (e.g. retired frameworks): in no target, never assessed.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["category__order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue_skill", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["catalogue.skillcategory"]  # type: ignore[attr-defined]  # Django's documented attribute

    @property
    def covered_terms(self) -> list[str]:
        return [term.strip() for term in self.covers.split(",") if term.strip()]


class SkillPartManager(models.Manager):
    """Natural key (skill slug, <field>) for rows that belong to one skill."""

    key_field = "level"

    def get_by_natural_key(self, skill_slug, value):
        return self.get(skill__slug=skill_slug, **{self.key_field: value})


class LevelAnchor(CatalogueModel):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="anchors")
    level = models.PositiveSmallIntegerField(choices=Level.choices, validators=LEVEL_VALIDATORS)
    description = models.TextField()
    hours_to_reach = models.PositiveIntegerField(default=0, help_text="Hours from the level below.")
    hours_source = models.TextField(
        blank=True,
        help_text="Where the hours come from: the named courses, books or syllabi whose lengths they add up.",
    )

    objects = SkillPartManager()

    class Meta:
        ordering = ["skill", "level"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "level"], name="anchor_unique_level"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=4), name="anchor_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} level {self.level}"

    def natural_key(self):
        return (*self.skill.natural_key(), self.level)

    natural_key.dependencies = ["catalogue.skill"]  # type: ignore[attr-defined]  # Django's documented attribute


class PrerequisiteManager(models.Manager):
    def get_by_natural_key(self, skill_slug, requires_slug):
        return self.get(skill__slug=skill_slug, requires__slug=requires_slug)


class Prerequisite(CatalogueModel):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="prerequisites")
    requires = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="unlocks")
    min_level = models.PositiveSmallIntegerField(default=2, validators=LEVEL_VALIDATORS)

    objects = PrerequisiteManager()

    class Meta:
        ordering = ["skill", "requires"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "requires"], name="prerequisite_unique"),
            models.CheckConstraint(condition=~Q(skill=models.F("requires")), name="prerequisite_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} needs {self.requires} at level {self.min_level}"

    def natural_key(self):
        return (self.skill.slug, self.requires.slug)

    natural_key.dependencies = ["catalogue.skill"]  # type: ignore[attr-defined]  # Django's documented attribute


class RoleTargetManager(models.Manager):
    def get_by_natural_key(self, role_slug, seniority, skill_slug):
        return self.get(role__slug=role_slug, seniority=seniority, skill__slug=skill_slug)


class RoleTarget(CatalogueModel):
    """One skill of a role's target at one seniority: the level needed and how much it weighs.

    Required skills are always in the person's target; optional ones unless the person sets them
    aside. Skills sharing a ``group`` are alternatives ("one of: PyTorch, TensorFlow"): the person
    chooses one of them (all rows of a group share ``required``).
    """

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="targets")
    seniority = models.CharField(max_length=10, choices=Seniority.choices, default=DEFAULT_SENIORITY)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="targets")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    required = models.BooleanField(default=True)
    group = models.SlugField(
        blank=True, help_text="Skills of one target sharing a group are alternatives: the person picks one."
    )

    objects = RoleTargetManager()

    class Meta:
        ordering = ["role", "seniority", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["role", "seniority", "skill"], name="roletarget_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.seniority}): {self.skill} at {self.level} (weight {self.weight})"

    def natural_key(self):
        return (self.role.slug, self.seniority, self.skill.slug)

    natural_key.dependencies = ["catalogue.role", "catalogue.skill"]  # type: ignore[attr-defined]  # Django's documented attribute


class QuestionManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Question(CatalogueModel):
    key = models.SlugField(max_length=80, unique=True)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="questions")
    level = models.PositiveSmallIntegerField(validators=CHECK_LEVEL_VALIDATORS)
    prompt = models.TextField(help_text="Markdown; code in fenced blocks.")
    explanation = models.TextField(help_text="Markdown: why the key is right and the tempting option wrong.")
    source = models.TextField(
        blank=True, help_text="Where a learner can check it: a documentation URL, a paper or a book section."
    )
    active = models.BooleanField(default=True)

    objects = QuestionManager()

    class Meta:
        ordering = ["skill", "level", "key"]

    def __str__(self) -> str:
        return self.key

    def natural_key(self):
        return (self.key,)

    natural_key.dependencies = ["catalogue.skill"]  # type: ignore[attr-defined]  # Django's documented attribute


class ChoiceManager(models.Manager):
    def get_by_natural_key(self, question_key, label):
        return self.get(question__key=question_key, label=label)


class Choice(CatalogueModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=2)
    text = models.TextField()
    is_correct = models.BooleanField(default=False)

    objects = ChoiceManager()

    class Meta:
        ordering = ["question", "label"]
        constraints = [models.UniqueConstraint(fields=["question", "label"], name="choice_unique_label")]

    def __str__(self) -> str:
        return f"{self.question.key} {self.label}"

    def natural_key(self):
        return (self.question.key, self.label)

    natural_key.dependencies = ["catalogue.question"]  # type: ignore[attr-defined]  # Django's documented attribute


class ResourceManager(models.Manager):
    def get_by_natural_key(self, skill_slug, url):
        return self.get(skill__slug=skill_slug, url=url)


class Resource(CatalogueModel):
    class Type(models.TextChoices):
        COURSE = "course", _("Course")
        BOOK = "book", _("Book")
        DOCS = "docs", _("Documentation")
        VIDEO = "video", _("Video")
        PROJECT = "project", _("Project")

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    resource_type = models.CharField(max_length=10, choices=Type.choices)
    is_free = models.BooleanField(default=True)
    hours = models.PositiveIntegerField(default=1)
    level = models.PositiveSmallIntegerField(
        validators=CHECK_LEVEL_VALIDATORS, help_text="The level it helps reach."
    )

    objects = ResourceManager()

    class Meta:
        ordering = ["skill", "level", "title"]
        constraints = [models.UniqueConstraint(fields=["skill", "url"], name="resource_unique_url")]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.skill.slug, self.url)

    natural_key.dependencies = ["catalogue.skill"]  # type: ignore[attr-defined]  # Django's documented attribute


class CareerMilestone(CatalogueModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField()
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.CAREER)
    order = models.PositiveSmallIntegerField(default=0)
    hours = models.PositiveIntegerField()
    source = models.CharField(max_length=120)
    after = models.JSONField(
        default=dict,
        blank=True,
        help_text="The skill levels it builds on, as {skill slug: level}: the plan places it when they are reached.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


class SalaryManager(models.Manager):
    def get_by_natural_key(self, dimension, label, year):
        return self.get(dimension=dimension, label=label, year=year)


class SalaryBenchmark(CatalogueModel):
    class Dimension(models.TextChoices):
        COMPANY = "company", _("Company")
        CITY = "city", _("City")
        INDUSTRY = "industry", _("Industry")
        COUNTRY = "country", _("Country")

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    label = models.CharField(max_length=100)
    country_code = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    aliases = models.CharField(max_length=200, blank=True, help_text="Comma-separated other names.")
    amount_min = models.DecimalField(max_digits=14, decimal_places=2)
    amount_max = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=10, default="year")
    source = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    seed_section = models.CharField(max_length=120)

    objects = SalaryManager()

    class Meta:
        ordering = ["dimension", "year", "amount_min"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "label", "year"], name="salary_unique"),
            models.CheckConstraint(condition=Q(amount_min__lte=models.F("amount_max")), name="salary_range"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_dimension_display()}, {self.year})"

    def natural_key(self):
        return (self.dimension, self.label, self.year)

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


CATALOGUE_MODELS: tuple[type[CatalogueModel], ...] = (
    Role,
    SkillCategory,
    Skill,
    LevelAnchor,
    Prerequisite,
    RoleTarget,
    Question,
    Choice,
    Resource,
    CareerMilestone,
    SalaryBenchmark,
)


class CatalogueState(models.Model):
    """A single row holding the content hash of the catalogue (see catalogue.catalogue_version)."""

    version = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version[:12]


REPORT_MESSAGE_MAX_LENGTH = 2000


class QuestionReport(models.Model):
    """A person's report of a problem with a knowledge check they were asked.

    Not catalogue content (no natural key, not in the fixtures, not in the catalogue version): it
    belongs to the person who wrote it. A question is flagged while it has an open report
    (``selectors.flagged_questions``); an editor resolves the report in the admin.
    """

    class Kind(models.TextChoices):
        WRONG_KEY = "wrong_key", _("Wrong key")
        UNCLEAR = "unclear", _("Unclear or ambiguous")
        OUTDATED = "outdated", _("Outdated")
        WRONG_LEVEL = "wrong_level", _("Level looks wrong")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(
        max_length=REPORT_MESSAGE_MAX_LENGTH, blank=True, help_text="Required when the kind is Other."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    admin_note = models.TextField(blank=True, help_text="For editors only; never shown to the person.")

    class Meta:
        ordering = ["status", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"],
                condition=Q(status="open"),
                name="questionreport_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["wrong_key", "unclear", "outdated", "wrong_level", "other"]),
                name="questionreport_kind_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(message=""), name="questionreport_other_has_message"
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False),
                name="questionreport_resolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.get_kind_display()} ({self.get_status_display()})"
