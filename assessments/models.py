"""Catalogue models (what the product knows) and learner models (what people did).

Every catalogue model has a natural key, so the YAML fixtures under ``fixtures/`` carry no
numeric ids and can be edited by hand, dumped from the admin and loaded again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField

LEVEL_VALIDATORS = [MinValueValidator(0), MaxValueValidator(4)]


class Phase(models.TextChoices):
    FOUNDATIONS = "foundations", "Foundations"
    CORE_ML = "core-ml", "Core ML"
    PRODUCTION = "production", "Production & specialisation"
    CAREER = "career", "Career"


PHASE_ORDER = {phase.value: index for index, phase in enumerate(Phase)}


class Level(models.IntegerChoices):
    NONE = 0, "None"
    AWARENESS = 1, "Awareness"
    WORKING = 2, "Working"
    PROFICIENT = 3, "Proficient"
    EXPERT = 4, "Expert"


# --- catalogue ------------------------------------------------------------------------


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Role(models.Model):
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


class SkillCategory(models.Model):
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


class Skill(models.Model):
    class Kind(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        SOFT = "soft", "Soft"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField()
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TECHNICAL)
    covers = models.TextField(blank=True, help_text="Comma-separated article terms this skill stands for.")
    source = models.CharField(max_length=120, help_text="<seed file>#<section>, or 'editorial'.")
    is_published = models.BooleanField(default=False)

    objects = SlugManager()

    class Meta:
        ordering = ["category__order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue_skill", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["assessments.skillcategory"]

    @property
    def covered_terms(self) -> list[str]:
        return [term.strip() for term in self.covers.split(",") if term.strip()]


class SkillPartManager(models.Manager):
    """Natural key (skill slug, <field>) for rows that belong to one skill."""

    key_field = "level"

    def get_by_natural_key(self, skill_slug, value):
        return self.get(skill__slug=skill_slug, **{self.key_field: value})


class LevelAnchor(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="anchors")
    level = models.PositiveSmallIntegerField(choices=Level.choices, validators=LEVEL_VALIDATORS)
    description = models.TextField()
    hours_to_reach = models.PositiveIntegerField(default=0, help_text="Hours from the level below.")

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

    natural_key.dependencies = ["assessments.skill"]


class PrerequisiteManager(models.Manager):
    def get_by_natural_key(self, skill_slug, requires_slug):
        return self.get(skill__slug=skill_slug, requires__slug=requires_slug)


class Prerequisite(models.Model):
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

    natural_key.dependencies = ["assessments.skill"]


class RoleTargetManager(models.Manager):
    def get_by_natural_key(self, role_slug, skill_slug):
        return self.get(role__slug=role_slug, skill__slug=skill_slug)


class RoleTarget(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="targets")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="targets")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    objects = RoleTargetManager()

    class Meta:
        ordering = ["role", "skill"]
        constraints = [models.UniqueConstraint(fields=["role", "skill"], name="roletarget_unique")]

    def __str__(self) -> str:
        return f"{self.role}: {self.skill} at {self.level} (weight {self.weight})"

    def natural_key(self):
        return (self.role.slug, self.skill.slug)

    natural_key.dependencies = ["assessments.role", "assessments.skill"]


class QuestionManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Question(models.Model):
    key = models.SlugField(max_length=80, unique=True)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="questions")
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    prompt = models.TextField()
    explanation = models.TextField()
    active = models.BooleanField(default=True)

    objects = QuestionManager()

    class Meta:
        ordering = ["skill", "level", "key"]

    def __str__(self) -> str:
        return self.key

    def natural_key(self):
        return (self.key,)

    natural_key.dependencies = ["assessments.skill"]


class ChoiceManager(models.Manager):
    def get_by_natural_key(self, question_key, label):
        return self.get(question__key=question_key, label=label)


class Choice(models.Model):
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

    natural_key.dependencies = ["assessments.question"]


class ResourceManager(models.Manager):
    def get_by_natural_key(self, skill_slug, url):
        return self.get(skill__slug=skill_slug, url=url)


class Resource(models.Model):
    class Type(models.TextChoices):
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        DOCS = "docs", "Documentation"
        VIDEO = "video", "Video"
        PROJECT = "project", "Project"

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    resource_type = models.CharField(max_length=10, choices=Type.choices)
    is_free = models.BooleanField(default=True)
    hours = models.PositiveIntegerField(default=1)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)], help_text="The level it helps reach."
    )

    objects = ResourceManager()

    class Meta:
        ordering = ["skill", "level", "title"]
        constraints = [models.UniqueConstraint(fields=["skill", "url"], name="resource_unique_url")]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.skill.slug, self.url)

    natural_key.dependencies = ["assessments.skill"]


class CareerMilestone(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField()
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.CAREER)
    order = models.PositiveSmallIntegerField(default=0)
    hours = models.PositiveIntegerField()
    source = models.CharField(max_length=120)

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


class SalaryBenchmark(models.Model):
    class Dimension(models.TextChoices):
        COMPANY = "company", "Company"
        CITY = "city", "City"
        INDUSTRY = "industry", "Industry"
        COUNTRY = "country", "Country"

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


CATALOGUE_MODELS = (
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


# --- learners ---------------------------------------------------------------------------


class Profile(models.Model):
    class Experience(models.TextChoices):
        STUDENT = "student", "Student"
        FRESHER = "fresher", "Fresh graduate"
        SWITCHER = "switcher", "Working professional switching roles"
        PRACTITIONER = "practitioner", "Already working with data or ML"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    country = CountryField(blank=True)
    city = models.CharField(max_length=80, blank=True)
    experience_level = models.CharField(max_length=20, choices=Experience.choices, default=Experience.STUDENT)
    target_role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    milestones_held = models.ManyToManyField(CareerMilestone, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60), name="profile_hours_range"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    catalogue_version = models.CharField(max_length=64)
    steps = models.JSONField(
        default=list, help_text="Ordered page keys: 'rate:<category>', 'check:<category>'."
    )
    furthest_step = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="in_progress"), name="one_assessment_in_progress"
            )
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("assessment_step", args=[self.pk, 0])


class SelfRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="rating_unique_skill"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=4), name="rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id}: {self.level}"


class Certainty(models.TextChoices):
    GUESSING = "guessing", "Guessing"
    FAIRLY_SURE = "fairly_sure", "Fairly sure"
    CERTAIN = "certain", "Certain"


class Answer(models.Model):
    """A knowledge check assigned to the person; answered once ``answered_at`` is set."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dont_know = models.BooleanField(default=False)
    certainty = models.CharField(max_length=12, choices=Certainty.choices, blank=True)
    seen_before = models.BooleanField(default=False)
    choice_order = models.JSONField(default=list)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class Result(models.Model):
    """The frozen outcome of a submitted assessment: pages read only this."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="result")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results")
    created_at = models.DateTimeField(auto_now_add=True)
    catalogue_version = models.CharField(max_length=64)
    headline_role = models.CharField(max_length=50)
    readiness = models.JSONField(help_text="{role slug: readiness 0-1 or null}")
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Result {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("result_detail", args=[self.pk])


class StepStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class RoadmapStep(models.Model):
    """One step of a person's current plan, rebuilt on each submission or refresh."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap_steps")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    details = models.JSONField()
    hours = models.PositiveIntegerField()
    start_hour = models.PositiveIntegerField()
    planned_start = models.DateField()
    planned_end = models.DateField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="step_unique_key")]

    def __str__(self) -> str:
        return self.key


class StepProgress(models.Model):
    """What the person did about a step; keyed like the step so it outlives rebuilt plans."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_progress")
    key = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.TODO)
    notes = models.TextField(blank=True, max_length=5000)
    evidence = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="progress_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"


class CatalogueState(models.Model):
    """A single row holding the content hash of the catalogue (see catalogue.catalogue_version)."""

    version = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version[:12]
