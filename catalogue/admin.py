"""The catalogue in the Django admin: inlines, search, filters, and the catalogue rules as form errors."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from . import selectors, services, validation
from .models import (
    CareerMilestone,
    Choice,
    LevelAnchor,
    Prerequisite,
    Question,
    QuestionReport,
    Resource,
    Role,
    RoleTarget,
    SalaryBenchmark,
    Skill,
    SkillCategory,
)
from .targets import TargetKey


class CatalogueAdmin(admin.ModelAdmin):
    """Every admin save or delete of a catalogue row recomputes the catalogue version."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_catalogue_version()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.refresh_catalogue_version()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.refresh_catalogue_version()


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "catalogue health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("attention", "Needs attention"), ("ok", "Complete")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        flagged = {p.skill for p in selectors.validate_db() if p.skill}
        if self.value() == "attention":
            return queryset.filter(slug__in=flagged)
        return queryset.exclude(slug__in=flagged)


class SkillRulesFormSet(BaseInlineFormSet):
    """An inline of the skill page that, cleaned last, applies the catalogue rules to the whole skill.

    Django has no public hook that sees a model form and all its inline formsets together before
    saving, so the skill admin hands every inline formset of one request the same list
    (``ModelAdmin.get_formset_kwargs``); the last formset to be cleaned checks the skill as
    submitted, and its errors show above that inline.
    """

    def __init__(self, *args, siblings: list[SkillRulesFormSet] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.siblings = siblings if siblings is not None else [self]
        if self not in self.siblings:
            self.siblings.append(self)

    def clean(self) -> None:
        super().clean()
        if self is not self.siblings[-1] or not self.instance.slug:
            return
        if any(form.errors for form in self.forms) or not all(fs.is_valid() for fs in self.siblings[:-1]):
            return
        stopping = skill_rule_problems(self.instance, self.siblings)
        if stopping:
            raise ValidationError(
                [
                    p.rule
                    + ("" if p.severity == validation.INTEGRITY else " (unpublish the skill or fix it)")
                    for p in stopping
                ]
            )


class LevelAnchorInline(admin.TabularInline):
    model = LevelAnchor
    formset = SkillRulesFormSet
    extra = 0
    max_num = 5


class ResourceInline(admin.TabularInline):
    model = Resource
    formset = SkillRulesFormSet
    extra = 0


class PrerequisiteInline(admin.TabularInline):
    model = Prerequisite
    formset = SkillRulesFormSet
    fk_name = "skill"
    extra = 0
    autocomplete_fields = ["requires"]


class RoleTargetInline(admin.TabularInline):
    model = RoleTarget
    formset = SkillRulesFormSet
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    formset = SkillRulesFormSet
    extra = 0
    fields = ["key", "level", "prompt", "active"]
    show_change_link = True


def _kept_rows(formset: BaseInlineFormSet) -> list[dict]:
    return [
        f.cleaned_data
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
    ]


def _skill_data_from_formsets(
    skill: Skill, saved: validation.SkillData | None, formsets: list[SkillRulesFormSet]
) -> validation.SkillData:
    """The skill as it would be after this save: the submitted object and inlines over its saved rows."""
    saved = saved or validation.SkillData(skill.slug, skill.name, False)
    data = validation.SkillData(
        slug=skill.slug,
        name=skill.name,
        is_published=skill.is_published,
        anchors=dict(saved.anchors),
        questions=list(saved.questions),
        resources=list(saved.resources),
        targets=list(saved.targets),
    )
    for formset in formsets:
        rows = _kept_rows(formset)
        if formset.model is LevelAnchor:
            data.anchors = {r["level"]: (r["description"], r["hours_to_reach"]) for r in rows}
        elif formset.model is Resource:
            data.resources = [(r["url"], r["is_free"], r["level"]) for r in rows]
        elif formset.model is RoleTarget:
            data.targets = [
                (str(TargetKey(r["role"].slug, r["seniority"])), r["level"], r["weight"]) for r in rows
            ]
        elif formset.model is Question:
            by_key = {q.key: q for q in data.questions}
            data.questions = [
                validation.QuestionData(
                    r["key"],
                    r["level"],
                    r["active"],
                    by_key[r["key"]].correct_count if r["key"] in by_key else 0,
                    by_key[r["key"]].choice_count if r["key"] in by_key else 0,
                )
                for r in rows
            ]
    return data


def skill_rule_problems(skill: Skill, formsets: list[SkillRulesFormSet]) -> list[validation.Problem]:
    """The catalogue rules a skill as submitted (the object and its inlines) would break."""
    others = selectors.catalogue_from_db()
    proposed = _skill_data_from_formsets(skill, others.skills.pop(skill.slug, None), formsets)
    others.skills[proposed.slug] = proposed
    edges = [e for e in others.prerequisites if e[0] != skill.slug]
    for formset in formsets:
        if formset.model is Prerequisite:
            edges += [(proposed.slug, r["requires"].slug, r["min_level"]) for r in _kept_rows(formset)]
    problems = validation.skill_problems(proposed, others.skills) + [
        p for p in validation.graph_problems(edges) if p.severity == validation.INTEGRITY
    ]
    published = {proposed.slug} if proposed.is_published else set()
    return [
        p
        for p in validation.blocking(problems, published)
        if p.skill in {proposed.slug, ""} or "cycle" in p.rule
    ]


@admin.register(Skill)
class SkillAdmin(CatalogueAdmin):
    list_display = ["name", "slug", "category", "kind", "source", "is_published"]
    list_filter = ["category", "kind", "source", "is_published", NeedsAttentionFilter]
    search_fields = ["name", "slug", "covers"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LevelAnchorInline, ResourceInline, PrerequisiteInline, RoleTargetInline, QuestionInline]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """Every inline formset of one request shares a list, so the last can check the whole skill."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST":
            if getattr(request, "skill_formsets_of", None) is not obj:
                request.skill_formsets_of, request.skill_formsets = obj, []
            kwargs["siblings"] = request.skill_formsets
        return kwargs


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
            raise ValidationError(validation.MSG_ONE_CORRECT.format(key=self.instance.key, count=correct))
        if len(rows) < 2:
            raise ValidationError(validation.MSG_TWO_CHOICES.format(key=self.instance.key, count=len(rows)))


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0


class FlaggedFilter(admin.SimpleListFilter):
    """Questions with an open report from a person (flagged) or without."""

    title = "reported problems"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Flagged (open reports)"), ("no", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return selectors.flagged_questions(queryset)
        if self.value() == "no":
            return selectors.unflagged_questions(queryset)
        return queryset


@admin.register(Question)
class QuestionAdmin(CatalogueAdmin):
    list_display = ["key", "skill", "level", "active", "flagged"]
    list_filter = [FlaggedFilter, "active", "level", "skill__category"]
    search_fields = ["key", "prompt", "skill__name"]
    autocomplete_fields = ["skill"]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return selectors.with_open_report_count(super().get_queryset(request))

    @admin.display(description="flagged", ordering="open_reports")
    def flagged(self, question: Question) -> str:
        """The question's open reports, linked to them in the report queue."""
        count = getattr(question, "open_reports", 0)
        if not count:
            return "-"
        url = reverse("admin:catalogue_questionreport_changelist")
        return format_html(
            '<a href="{}?question__id__exact={}&amp;status__exact=open">{} open</a>', url, question.pk, count
        )


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    """The queue of people's reports: the changelist filtered to open reports (``?status__exact=open``).

    Reports come from people, so they are never added here; an editor resolves or reopens them with
    the actions and may keep a note. Not a catalogue row: saving one leaves the catalogue version alone.
    """

    list_display = ["question", "kind", "user", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["question__key", "message", "user__email", "admin_note"]
    list_select_related = ["question", "user"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved", "reopen"]
    fields = [
        "question",
        "user",
        "kind",
        "message",
        "created_at",
        "status",
        "resolved_at",
        "resolved_by",
        "admin_note",
    ]
    readonly_fields = [
        "question",
        "user",
        "kind",
        "message",
        "created_at",
        "status",
        "resolved_at",
        "resolved_by",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Mark resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        resolved = services.reports_resolve(report_ids=queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(request, f"{resolved} report(s) marked resolved.", messages.SUCCESS)

    @admin.action(description="Reopen", permissions=["change"])
    def reopen(self, request, queryset):
        outcome = services.reports_reopen(report_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{outcome.reopened} report(s) reopened.", messages.SUCCESS)
        if outcome.skipped:
            self.message_user(
                request,
                f"{outcome.skipped} report(s) left resolved: the same person has an open report of that question.",
                messages.WARNING,
            )


class RoleTargetByRoleInline(admin.TabularInline):
    model = RoleTarget
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Role)
class RoleAdmin(CatalogueAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
    inlines = [RoleTargetByRoleInline]


@admin.register(SkillCategory)
class SkillCategoryAdmin(CatalogueAdmin):
    list_display = ["name", "slug", "phase", "order"]
    list_filter = ["phase"]


@admin.register(CareerMilestone)
class CareerMilestoneAdmin(CatalogueAdmin):
    list_display = ["name", "slug", "phase", "order", "hours"]


@admin.register(SalaryBenchmark)
class SalaryBenchmarkAdmin(CatalogueAdmin):
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
    class _CatalogueRowAdmin(CatalogueAdmin):
        search_fields = ["skill__name"] if hasattr(model, "skill") else []

    _CatalogueRowAdmin.__name__ = f"{model.__name__}Admin"
