"""factory_boy factories for the catalogue, and a complete skill that passes every catalogue rule."""

from __future__ import annotations

import factory

from catalogue import models
from catalogue.vocab import Phase, SkillKind


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Role
        django_get_or_create = ["slug"]

    slug = "machine-learning-engineer"
    name = "Machine Learning Engineer"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SkillCategory
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    order = factory.Sequence(lambda n: n)
    phase = Phase.FOUNDATIONS


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skill
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.LazyAttribute(lambda s: s.slug.replace("-", " ").title())
    description = factory.LazyAttribute(lambda s: f"What {s.name} is and why it matters.")
    category = factory.SubFactory(CategoryFactory)
    kind = SkillKind.TECHNICAL
    source = "editorial"
    is_published = True


ANCHOR_TEXT = {
    0: "Has never used {name}.",
    1: "Can follow a tutorial on {name} step by step ({slug}).",
    2: "Does routine {name} tasks with the documentation open ({slug}).",
    3: "Works independently with {name} and explains its trade-offs ({slug}).",
    4: "Designs with {name}, teaches it and debugs its unusual failures ({slug}).",
}
ANCHOR_HOURS = {0: 0, 1: 10, 2: 40, 3: 120, 4: 300}


def complete_skill(
    *, slug: str, category=None, roles=(("machine-learning-engineer", 3, 3),), questions_per_level=2, **fields
) -> models.Skill:
    """A published skill that passes every catalogue rule: anchors, questions, resources, targets."""
    skill = SkillFactory(slug=slug, **({"category": category} if category else {}), **fields)
    for level, text in ANCHOR_TEXT.items():
        models.LevelAnchor.objects.create(
            skill=skill,
            level=level,
            description=text.format(name=skill.name, slug=slug[::-1]),
            hours_to_reach=ANCHOR_HOURS[level],
        )
    for level in (1, 2, 3, 4):
        for index in range(questions_per_level):
            question = models.Question.objects.create(
                skill=skill,
                key=f"{slug}-l{level}-{'abcdefgh'[index]}",
                level=level,
                prompt=f"{skill.name} level {level} question {index + 1}?",
                explanation=f"Because of the level {level} rule of {skill.name}.",
            )
            correct = "ABCD"[(level + index) % 4]
            for label in "ABCD":
                models.Choice.objects.create(
                    question=question,
                    label=label,
                    text=f"Option {label} for {question.key}",
                    is_correct=label == correct,
                )
    models.Resource.objects.create(
        skill=skill,
        title=f"{skill.name} docs",
        url=f"https://docs.python.org/3/{slug}/",
        resource_type="docs",
        is_free=True,
        hours=10,
        level=2,
    )
    models.Resource.objects.create(
        skill=skill,
        title=f"{skill.name} book",
        url=f"https://www.oreilly.com/{slug}/",
        resource_type="book",
        is_free=False,
        hours=30,
        level=3,
    )
    for role_slug, level, weight in roles:
        role = RoleFactory(slug=role_slug, name=role_slug.replace("-", " ").title())
        models.RoleTarget.objects.create(role=role, skill=skill, level=level, weight=weight)
    return skill
