"""The catalogue in the Django admin: inlines, search, filters, and the catalogue rules as form errors."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from . import catalogue
from .models import (
    Answer,
    Assessment,
    CareerMilestone,
    Choice,
    LevelAnchor,
    Prerequisite,
    Profile,
    Question,
    Resource,
    Result,
    Role,
    RoleTarget,
    SalaryBenchmark,
    Skill,
    SkillCategory,
    StepProgress,
)


class CatalogueVersionMixin:
    """Every admin save or delete of a catalogue row recomputes the catalogue version."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        catalogue.refresh_catalogue_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue.refresh_catalogue_version()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue.refresh_catalogue_version()


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "catalogue health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("attention", "Needs attention"), ("ok", "Complete")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        flagged = {p.skill for p in catalogue.validate_db() if p.skill}
        if self.value() == "attention":
            return queryset.filter(slug__in=flagged)
        return queryset.exclude(slug__in=flagged)


class LevelAnchorInline(admin.TabularInline):
    model = LevelAnchor
    extra = 0
    max_num = 5


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


class PrerequisiteInline(admin.TabularInline):
    model = Prerequisite
    fk_name = "skill"
    extra = 0
    autocomplete_fields = ["requires"]


class RoleTargetInline(admin.TabularInline):
    model = RoleTarget
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["key", "level", "prompt", "active"]
    show_change_link = True


def _skill_data_from_formsets(
    skill: Skill, saved: catalogue.SkillData | None, formsets
) -> catalogue.SkillData:
    """The skill as it would be after this save: the submitted object and inlines over its saved rows."""
    saved = saved or catalogue.SkillData(skill.slug, skill.name, False)
    data = catalogue.SkillData(
        slug=skill.slug,
        name=skill.name,
        is_published=skill.is_published,
        anchors=dict(saved.anchors),
        questions=list(saved.questions),
        resources=list(saved.resources),
        targets=list(saved.targets),
    )
    for formset in formsets:
        rows = [
            f.cleaned_data
            for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        if formset.model is LevelAnchor:
            data.anchors = {r["level"]: (r["description"], r["hours_to_reach"]) for r in rows}
        elif formset.model is Resource:
            data.resources = [(r["url"], r["is_free"], r["level"]) for r in rows]
        elif formset.model is RoleTarget:
            data.targets = [(r["role"].slug, r["level"], r["weight"]) for r in rows]
        elif formset.model is Question:
            by_key = {q.key: q for q in data.questions}
            data.questions = [
                catalogue.QuestionData(
                    r["key"],
                    r["level"],
                    r["active"],
                    by_key[r["key"]].correct_count if r["key"] in by_key else 0,
                    by_key[r["key"]].choice_count if r["key"] in by_key else 0,
                )
                for r in rows
            ]
    return data


@admin.register(Skill)
class SkillAdmin(CatalogueVersionMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "category", "kind", "source", "is_published"]
    list_filter = ["category", "kind", "source", "is_published", NeedsAttentionFilter]
    search_fields = ["name", "slug", "covers"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LevelAnchorInline, ResourceInline, PrerequisiteInline, RoleTargetInline, QuestionInline]

    def _create_formsets(self, request, obj, change):
        """Apply the catalogue rules to the skill as submitted: they show as errors above the inlines."""
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        if request.method != "POST" or not obj.slug or not all(fs.is_valid() for fs in formsets):
            return formsets, inline_instances
        others = catalogue.catalogue_from_db()
        proposed = _skill_data_from_formsets(obj, others.skills.pop(obj.slug, None), formsets)
        others.skills[proposed.slug] = proposed
        edges = [e for e in others.prerequisites if e[0] != obj.slug]
        for formset in formsets:
            if formset.model is Prerequisite:
                edges += [
                    (proposed.slug, f.cleaned_data["requires"].slug, f.cleaned_data["min_level"])
                    for f in formset.forms
                    if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
                ]
        problems = catalogue.skill_problems(proposed, others.skills) + [
            p for p in catalogue.graph_problems(edges) if p.severity == catalogue.INTEGRITY
        ]
        published = {proposed.slug} if proposed.is_published else set()
        stopping = [
            p
            for p in catalogue.blocking(problems, published)
            if p.skill in {proposed.slug, ""} or "cycle" in p.rule
        ]
        if stopping and formsets:
            target = formsets[0]
            target._non_form_errors = target.error_class(
                [
                    f"{p.rule}"
                    + ("" if p.severity == catalogue.INTEGRITY else " (unpublish the skill or fix it)")
                    for p in stopping
                ]
            )
        return formsets, inline_instances


class ChoiceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = [
            f.cleaned_data
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for r in rows if r.get("is_correct"))
        if correct != 1:
            raise ValidationError(catalogue.MSG_ONE_CORRECT.format(key=self.instance.key, count=correct))
        if len(rows) < 2:
            raise ValidationError(catalogue.MSG_TWO_CHOICES.format(key=self.instance.key, count=len(rows)))


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0


@admin.register(Question)
class QuestionAdmin(CatalogueVersionMixin, admin.ModelAdmin):
    list_display = ["key", "skill", "level", "active"]
    list_filter = ["active", "level", "skill__category"]
    search_fields = ["key", "prompt", "skill__name"]
    autocomplete_fields = ["skill"]
    inlines = [ChoiceInline]


class RoleTargetByRoleInline(admin.TabularInline):
    model = RoleTarget
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Role)
class RoleAdmin(CatalogueVersionMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
    inlines = [RoleTargetByRoleInline]


@admin.register(SkillCategory)
class SkillCategoryAdmin(CatalogueVersionMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "phase", "order"]
    list_filter = ["phase"]


@admin.register(CareerMilestone)
class CareerMilestoneAdmin(CatalogueVersionMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "phase", "order", "hours"]


@admin.register(SalaryBenchmark)
class SalaryBenchmarkAdmin(CatalogueVersionMixin, admin.ModelAdmin):
    list_display = [
        "label",
        "dimension",
        "country_code",
        "amount_min",
        "amount_max",
        "currency",
        "source",
        "year",
    ]
    list_filter = ["dimension", "country_code", "year"]
    search_fields = ["label", "aliases"]


for model in (LevelAnchor, Prerequisite, RoleTarget, Resource, Choice):

    @admin.register(model)
    class _CatalogueRowAdmin(CatalogueVersionMixin, admin.ModelAdmin):
        search_fields = ["skill__name"] if hasattr(model, "skill") else []

    _CatalogueRowAdmin.__name__ = f"{model.__name__}Admin"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "hours_per_week", "target_role", "country"]
    search_fields = ["user__email", "display_name"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["question", "skill", "choice", "dont_know", "certainty", "seen_before", "answered_at"]
    exclude = ["choice_order"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["catalogue_version"]
    inlines = [AnswerInline]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "created_at", "headline_role"]
    readonly_fields = ["assessment", "user", "catalogue_version", "headline_role", "readiness", "snapshot"]


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "status", "completed_at"]
    list_filter = ["status"]
