"""catalogue.compiled.loaded and loader: instances built from a row are the ones ``Model.from_db`` builds.

The compiled reads and the roadmap's written-out plan query build their instances without
``Model.__init__``; a page reading them (or a form saving one) must not be able to tell.
"""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.db.models import signals

from catalogue import compiled
from catalogue.models import Skill
from tests.catalogue.factories import SkillFactory

pytestmark = pytest.mark.django_db


def _row(skill: Skill, names: tuple[str, ...]) -> list:
    return [getattr(skill, name) for name in names]


ALL = tuple(field.attname for field in Skill._meta.concrete_fields)
SOME = tuple(name for name in ALL if name not in ("description", "is_published"))


@pytest.mark.parametrize("names", [ALL, SOME], ids=["every column", "some deferred"])
def test_an_instance_is_the_one_from_db_builds(names):
    skill = SkillFactory()
    values = _row(skill, names)

    fast = compiled.loaded(Skill, names, values)
    orm = Skill.from_db(DEFAULT_DB_ALIAS, names, values)

    assert type(fast) is Skill
    assert {k: v for k, v in vars(fast).items() if k != "_state"} == {
        k: v for k, v in vars(orm).items() if k != "_state"
    }
    assert (fast._state.adding, fast._state.db) == (False, DEFAULT_DB_ALIAS)
    assert fast.get_deferred_fields() == orm.get_deferred_fields()
    assert fast == orm


def test_a_deferred_column_and_a_foreign_key_are_read_when_asked_for():
    skill = SkillFactory(description="Read on demand.")
    fast = compiled.loaded(Skill, SOME, _row(skill, SOME))

    assert fast.description == "Read on demand."  # one query, as for a deferred ORM field
    assert fast.category == skill.category  # the related row, through its id


def test_an_instance_saves_like_one_from_the_orm():
    skill = SkillFactory(name="Before")
    fast = compiled.loaded(Skill, ALL, _row(skill, ALL))
    fast.name = "After"
    fast.save()

    assert Skill.objects.get(pk=skill.pk).name == "After"
    assert Skill.objects.count() == 1  # an update, not a second row


def test_a_receiver_of_post_init_still_sees_each_instance():
    skill = SkillFactory()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Skill)
    try:
        fast = compiled.loaded(Skill, ALL, _row(skill, ALL))
    finally:
        signals.post_init.disconnect(receiver, sender=Skill)

    assert seen == [fast]


def test_a_batch_loader_builds_the_same_instances_and_asks_about_receivers_once_per_batch():
    skills = SkillFactory.create_batch(3)
    make = compiled.loader(Skill, ALL)
    batch = [make(_row(skill, ALL)) for skill in skills]
    assert batch == skills and all(type(item) is Skill and not item._state.adding for item in batch)

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Skill)
    try:  # a batch started after a receiver was connected goes through Model.__init__
        make = compiled.loader(Skill, ALL)
        batch = [make(_row(skill, ALL)) for skill in skills]
    finally:
        signals.post_init.disconnect(receiver, sender=Skill)
    assert seen == batch == skills
