from __future__ import annotations

import pytest
from django.core.management import call_command

from catalogue import services as catalogue_services
from tests.accounts import factories as account_factories
from tests.catalogue import factories as catalogue_factories


@pytest.fixture
def user(db):
    return account_factories.UserFactory()


@pytest.fixture
def other_user(db):
    return account_factories.UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def small_catalogue(db):
    """Two categories, four published skills, two roles, a prerequisite chain, one milestone."""
    from catalogue.models import CareerMilestone, Prerequisite, SkillCategory
    from catalogue.vocab import Phase

    foundations = SkillCategory.objects.create(
        slug="programming", name="Programming", order=1, phase=Phase.FOUNDATIONS
    )
    core = SkillCategory.objects.create(
        slug="ml-frameworks", name="ML frameworks", order=2, phase=Phase.CORE_ML
    )
    both = (("machine-learning-engineer", 3, 4), ("data-scientist", 2, 3))
    python = catalogue_factories.complete_skill(
        slug="python", category=foundations, name="Python", roles=both
    )
    sql = catalogue_factories.complete_skill(
        slug="sql",
        category=foundations,
        name="SQL",
        roles=(("machine-learning-engineer", 2, 2), ("data-scientist", 3, 3)),
    )
    sklearn = catalogue_factories.complete_skill(
        slug="scikit-learn", category=core, name="scikit-learn", roles=both
    )
    pytorch = catalogue_factories.complete_skill(
        slug="pytorch",
        category=core,
        name="PyTorch",
        roles=(("machine-learning-engineer", 3, 3), ("data-scientist", 1, 1)),
    )
    Prerequisite.objects.create(skill=sklearn, requires=python, min_level=2)
    Prerequisite.objects.create(skill=pytorch, requires=python, min_level=2)
    CareerMilestone.objects.create(
        slug="certification",
        name="A certification",
        description="Earn one.",
        hours=40,
        order=1,
        source="editorial",
    )
    catalogue_services.refresh_catalogue_version()
    return {"python": python, "sql": sql, "scikit-learn": sklearn, "pytorch": pytorch}


@pytest.fixture
def full_catalogue(db):
    """The real catalogue from fixtures/, loaded and validated by the load_catalogue command."""
    call_command("load_catalogue", verbosity=0)
