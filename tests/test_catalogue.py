"""The catalogue: loading, validation rules, dump/load, admin, and coverage of the articles."""

from __future__ import annotations

import copy
from http import HTTPStatus
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import catalogue
from assessments.models import CATALOGUE_MODELS, Answer, Assessment, Question, Skill

pytestmark = pytest.mark.django_db


def skill_entries(slug: str, name: str, category: str = "programming") -> list[dict]:
    entries = [
        {
            "model": "assessments.skill",
            "fields": {
                "slug": slug,
                "name": name,
                "description": f"{name} for machine learning.",
                "category": [category],
                "kind": "technical",
                "covers": name,
                "source": "editorial",
                "is_published": True,
            },
        }
    ]
    behaviours = [
        "has not used",
        "follows a tutorial",
        "does routine work",
        "works alone and explains",
        "designs",
    ]
    for level in range(5):
        entries.append(
            {
                "model": "assessments.levelanchor",
                "fields": {
                    "skill": [slug],
                    "level": level,
                    "description": f"{behaviours[level]} in {name} (drill {slug[::-1]} {level})",
                    "hours_to_reach": [0, 10, 40, 120, 300][level],
                },
            }
        )
    for level in (1, 2, 3, 4):
        key = f"{slug}-l{level}-a"
        entries.append(
            {
                "model": "assessments.question",
                "fields": {
                    "key": key,
                    "skill": [slug],
                    "level": level,
                    "prompt": f"Question {level}?",
                    "explanation": "Why.",
                    "active": True,
                },
            }
        )
        for label in "ABCD":
            entries.append(
                {
                    "model": "assessments.choice",
                    "fields": {"question": [key], "label": label, "text": label, "is_correct": label == "B"},
                }
            )
    for url, free in (
        (f"https://docs.python.org/3/{slug}", True),
        (f"https://www.oreilly.com/{slug}", False),
    ):
        entries.append(
            {
                "model": "assessments.resource",
                "fields": {
                    "skill": [slug],
                    "title": f"{name} at {url}",
                    "url": url,
                    "resource_type": "docs",
                    "is_free": free,
                    "hours": 5,
                    "level": 2,
                },
            }
        )
    entries.append(
        {
            "model": "assessments.roletarget",
            "fields": {"role": ["machine-learning-engineer"], "skill": [slug], "level": 3, "weight": 4},
        }
    )
    return entries


BASE = [
    {
        "model": "assessments.role",
        "fields": {
            "slug": "machine-learning-engineer",
            "name": "Machine Learning Engineer",
            "description": "",
            "order": 1,
        },
    },
    {
        "model": "assessments.skillcategory",
        "fields": {"slug": "programming", "name": "Programming", "order": 1, "phase": "foundations"},
    },
]


def prerequisite(skill: str, requires: str, min_level: int = 2) -> dict:
    return {
        "model": "assessments.prerequisite",
        "fields": {"skill": [skill], "requires": [requires], "min_level": min_level},
    }


def write(tmp_path: Path, skills: list[dict]) -> list[Path]:
    (tmp_path / "skills").mkdir(exist_ok=True)
    base = tmp_path / "catalogue.yaml"
    base.write_text(yaml.safe_dump(BASE))
    part = tmp_path / "skills" / "programming.yaml"
    part.write_text(yaml.safe_dump(skills))
    return [base, part]


def good_skills() -> list[dict]:
    return (
        skill_entries("python", "Python")
        + skill_entries("pandas", "Pandas")
        + [prerequisite("pandas", "python")]
    )


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


def find(entries, model, **match):
    for entry in entries:
        if entry["model"] == f"assessments.{model}" and all(
            entry["fields"].get(k) == v for k, v in match.items()
        ):
            return entry
    raise LookupError(match)


def test_a_valid_catalogue_loads_and_gets_a_version(tmp_path):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    assert Skill.objects.filter(is_published=True).count() == 2
    assert catalogue.catalogue_version() != ""


def _break_cycle(entries):
    entries.append(prerequisite("python", "pandas"))


def _break_anchor(entries):
    entries.remove(find(entries, "levelanchor", skill=["python"], level=3))


def _break_two_correct(entries):
    find(entries, "choice", question=["python-l2-a"], label="C")["fields"]["is_correct"] = True


def _break_no_correct(entries):
    find(entries, "choice", question=["python-l2-a"], label="B")["fields"]["is_correct"] = False


def _break_weight(entries):
    find(entries, "roletarget", skill=["python"])["fields"]["weight"] = 9


def _break_target_level(entries):
    find(entries, "roletarget", skill=["python"])["fields"]["level"] = 7


def _break_question_level(entries):
    find(entries, "question", key="python-l4-a")["fields"]["level"] = 6


def _break_unknown_reference(entries):
    entries.append(prerequisite("pandas", "haskell"))


def _break_missing_question_level(entries):
    find(entries, "question", key="python-l3-a")["fields"]["active"] = False


def _break_one_resource(entries):
    entries.remove(find(entries, "resource", skill=["python"], is_free=False))


def _break_no_free(entries):
    find(entries, "resource", skill=["python"], is_free=True)["fields"]["is_free"] = False


def _break_no_target(entries):
    entries.remove(find(entries, "roletarget", skill=["python"]))


def _break_placeholder_url(entries):
    find(entries, "resource", skill=["python"], is_free=False)["fields"]["url"] = "https://example.com/course"


def _break_http_url(entries):
    find(entries, "resource", skill=["python"], is_free=False)["fields"]["url"] = (
        "http://www.oreilly.com/python"
    )


def _break_copied_anchor(entries):
    text = find(entries, "levelanchor", skill=["python"], level=2)["fields"]["description"]
    copied = text.replace("Python", "Pandas").replace("python", "pandas")
    find(entries, "levelanchor", skill=["pandas"], level=2)["fields"]["description"] = copied


BROKEN = [
    (_break_cycle, "prerequisite cycle"),
    (_break_anchor, "needs exactly five level anchors (levels 0-4); has levels [0, 1, 2, 4]"),
    (_break_two_correct, "question 'python-l2-a' needs exactly one correct choice; has 2"),
    (_break_no_correct, "question 'python-l2-a' needs exactly one correct choice; has 0"),
    (
        _break_weight,
        "roletarget machine-learning-engineer/python: weight: Ensure this value is less than or equal to 5.",
    ),
    (
        _break_target_level,
        "roletarget machine-learning-engineer/python: level: Ensure this value is less than or equal to 4.",
    ),
    (_break_question_level, "question python-l4-a: level: Ensure this value is less than or equal to 4."),
    (_break_unknown_reference, "haskell"),
    (_break_missing_question_level, "published skill needs an active question at level 3"),
    (_break_one_resource, "published skill needs at least two resources; has 1"),
    (_break_no_free, "published skill needs at least one free resource"),
    (_break_no_target, "published skill has no role target"),
    (_break_placeholder_url, "resource URL 'https://example.com/course' must be https on a real host"),
    (_break_http_url, "resource URL 'http://www.oreilly.com/python' must be https on a real host"),
    (_break_copied_anchor, "level 2 anchor is a copy of 'python''s with the name swapped"),
]


@pytest.mark.parametrize(("breaker", "message"), BROKEN, ids=[b.__name__[7:] for b, _ in BROKEN])
def test_a_broken_fixture_is_refused_with_a_precise_message_and_nothing_changes(tmp_path, breaker, message):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    before = counts()
    version = catalogue.catalogue_version()
    entries = copy.deepcopy(good_skills())
    breaker(entries)
    with pytest.raises(CommandError) as raised:
        call_command("load_catalogue", *write(tmp_path, entries), verbosity=0)
    assert message in str(raised.value)
    assert "programming.yaml" in str(raised.value)
    assert counts() == before
    assert catalogue.catalogue_version() == version


def test_an_unpublished_skill_may_be_incomplete(tmp_path):
    entries = good_skills()
    find(entries, "skill", slug="python")["fields"]["is_published"] = False
    _break_no_free(entries)
    call_command("load_catalogue", *write(tmp_path, entries), verbosity=0)
    problems = catalogue.validate_db()
    assert [str(p) for p in problems] == [
        "completeness: skill python: published skill needs at least one free resource"
    ]


def test_a_duplicate_slug_is_refused(tmp_path):
    entries = good_skills() + skill_entries("python", "Python again")[:1]
    with pytest.raises(CommandError, match="duplicate natural key python"):
        call_command("load_catalogue", *write(tmp_path, entries), verbosity=0)
    assert Skill.objects.count() == 0


def test_hostile_yaml_tags_are_refused(tmp_path):
    files = write(tmp_path, good_skills())
    files[1].write_text(
        "- model: assessments.skill\n  fields: !!python/object/apply:os.system ['touch hacked']\n"
    )
    with pytest.raises(CommandError, match="not safe, valid YAML"):
        call_command("load_catalogue", *files, verbosity=0)
    assert not Path("hacked").exists()
    assert Skill.objects.count() == 0


def test_numeric_pks_are_refused(tmp_path):
    entries = good_skills()
    entries[0]["pk"] = 7
    with pytest.raises(CommandError, match="numeric pk; use natural keys only"):
        call_command("load_catalogue", *write(tmp_path, entries), verbosity=0)


def test_rows_no_longer_in_the_files_are_removed_but_answered_questions_are_retired(tmp_path, user):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    answered = Question.objects.get(key="python-l1-a")
    assessment = Assessment.objects.create(user=user, catalogue_version="x")
    Answer.objects.create(assessment=assessment, question=answered, skill=answered.skill)
    entries = good_skills()
    for key in ("python-l1-a",):
        entries = [
            e for e in entries if e["fields"].get("key") != key and e["fields"].get("question") != [key]
        ]
    # A replacement question keeps the skill publishable.
    replacement = copy.deepcopy(find(good_skills(), "question", key="python-l1-a"))
    replacement["fields"]["key"] = "python-l1-b"
    entries.append(replacement)
    for choice in [e for e in good_skills() if e["fields"].get("question") == ["python-l1-a"]]:
        choice = copy.deepcopy(choice)
        choice["fields"]["question"] = ["python-l1-b"]
        entries.append(choice)
    entries.remove(find(entries, "resource", skill=["pandas"], is_free=False))
    entries.append(
        {
            "model": "assessments.resource",
            "fields": {
                "skill": ["pandas"],
                "title": "pandas user guide",
                "url": "https://pandas.pydata.org/docs/user_guide/",
                "resource_type": "docs",
                "is_free": True,
                "hours": 8,
                "level": 2,
            },
        }
    )
    call_command("load_catalogue", *write(tmp_path, entries), verbosity=0)
    answered.refresh_from_db()
    assert answered.active is False
    assert Question.objects.filter(key="python-l1-b", active=True).exists()
    assert not Skill.objects.get(slug="pandas").resources.filter(url__contains="oreilly").exists()


def test_dump_then_load_gives_back_the_same_catalogue(tmp_path):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    version = catalogue.catalogue_version()
    before = counts()
    out = tmp_path / "dumped"
    call_command("dump_catalogue", directory=str(out), verbosity=0)
    assert (out / "catalogue.yaml").exists() and (out / "skills" / "programming.yaml").exists()
    assert "pk:" not in (out / "skills" / "programming.yaml").read_text()
    call_command("load_catalogue", *catalogue.fixture_files(out), verbosity=0)
    assert counts() == before
    assert catalogue.catalogue_version() == version


def test_validate_catalogue_reports_problems_and_fails_on_integrity(tmp_path, capsys):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    call_command("validate_catalogue")
    assert "No integrity errors" in capsys.readouterr().out
    Question.objects.filter(key="python-l2-a").first().choices.filter(label="C").update(is_correct=True)
    with pytest.raises(CommandError, match="1 integrity error"):
        call_command("validate_catalogue")
    assert "question 'python-l2-a' needs exactly one correct choice; has 2" in capsys.readouterr().out


def test_the_system_check_reports_catalogue_problems_as_warnings(tmp_path):
    from assessments.checks import catalogue_check

    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    assert catalogue_check() == []
    Skill.objects.filter(slug="python").first().resources.update(is_free=False)
    warnings = catalogue_check()
    assert [w.msg for w in warnings] == [
        "completeness: skill python: published skill needs at least one free resource"
    ]
    assert all(w.level < 30 + 10 for w in warnings)  # warnings, never errors


def test_the_real_catalogue_loads_and_passes_every_rule(full_catalogue):
    problems = catalogue.validate_db()
    assert [str(p) for p in problems] == []
    assert not Skill.objects.filter(is_published=False).exists()


# --- admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@careerpath.test", "a-long-admin-password"
    )
    client.force_login(admin)
    return client


def test_admin_pages_render_for_every_model(staff_client, small_catalogue):
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        changelist = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == HTTPStatus.OK, opts.label
        add = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN), opts.label
        row = model.objects.first()
        if row is not None:
            change = staff_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            )
            assert change.status_code == HTTPStatus.OK, opts.label


def test_admin_needs_attention_filter_lists_incomplete_skills(staff_client, small_catalogue):
    small_catalogue["sql"].resources.update(is_free=False)
    response = staff_client.get(reverse("admin:assessments_skill_changelist") + "?health=attention")
    assert list(response.context["cl"].queryset) == [small_catalogue["sql"]]


def _skill_post_data(skill) -> dict:
    """The admin change form's data for a skill, as the browser would send it unchanged."""
    data = {
        "slug": skill.slug,
        "name": skill.name,
        "description": skill.description,
        "category": skill.category_id,
        "kind": skill.kind,
        "covers": skill.covers,
        "source": skill.source,
        "is_published": "on" if skill.is_published else "",
    }
    groups = {
        "anchors": (skill.anchors.all(), ["level", "description", "hours_to_reach"]),
        "resources": (skill.resources.all(), ["title", "url", "resource_type", "is_free", "hours", "level"]),
        "prerequisites": (skill.prerequisites.all(), ["requires", "min_level"]),
        "targets": (skill.targets.all(), ["role", "level", "weight"]),
        "questions": (skill.questions.all(), ["key", "level", "prompt", "active"]),
    }
    for prefix, (rows, fields) in groups.items():
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-skill"] = skill.pk
            for field in fields:
                value = getattr(row, field if field not in ("requires", "role") else f"{field}_id")
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{index}-{field}"] = "on"
                else:
                    data[f"{prefix}-{index}-{field}"] = value
    return {k: v for k, v in data.items() if v != ""}


def test_admin_refuses_a_published_skill_without_a_free_resource(staff_client, small_catalogue):
    skill = small_catalogue["sql"]
    data = _skill_post_data(skill)
    data.pop("resources-0-is_free", None)  # untick the only free resource
    response = staff_client.post(reverse("admin:assessments_skill_change", args=[skill.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert "published skill needs at least one free resource" in response.content.decode()
    assert skill.resources.filter(is_free=True).exists()


def test_admin_refuses_a_prerequisite_cycle(staff_client, small_catalogue):
    python = small_catalogue["python"]
    data = _skill_post_data(python)
    data.update(
        {
            "prerequisites-TOTAL_FORMS": 1,
            "prerequisites-0-requires": small_catalogue["scikit-learn"].pk,
            "prerequisites-0-min_level": 1,
            "prerequisites-0-skill": python.pk,
        }
    )
    response = staff_client.post(reverse("admin:assessments_skill_change", args=[python.pk]), data)
    assert "prerequisite cycle" in response.content.decode()
    assert not python.prerequisites.exists()


def test_admin_save_recomputes_the_catalogue_version(staff_client, small_catalogue):
    skill = small_catalogue["sql"]
    version = catalogue.catalogue_version()
    data = _skill_post_data(skill)
    data["description"] = "Structured Query Language, for data in tables."
    response = staff_client.post(reverse("admin:assessments_skill_change", args=[skill.pk]), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    assert catalogue.catalogue_version() != version


def test_admin_question_needs_exactly_one_correct_choice(staff_client, small_catalogue):
    question = Question.objects.get(key="python-l1-a")
    choices = list(question.choices.all())
    data = {
        "key": question.key,
        "skill": question.skill_id,
        "level": 1,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "active": "on",
        "choices-TOTAL_FORMS": 4,
        "choices-INITIAL_FORMS": 4,
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-label": choice.label,
                f"choices-{index}-text": choice.text,
                f"choices-{index}-is_correct": "on",
            }
        )
    response = staff_client.post(reverse("admin:assessments_question_change", args=[question.pk]), data)
    assert "needs exactly one correct choice; has 4" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


# --- coverage of the articles -------------------------------------------------------------

# The technical and soft skills both articles name, typed here (never read from the fixtures).
ARTICLE_TERMS = [
    # 2019 article, skills required
    "linear algebra",
    "calculus",
    "Bayesian statistics",
    "mean",
    "median",
    "variance",
    "data modelling",
    "data architecture",
    "Python",
    "R",
    "Java",
    "C++",
    "Hadoop",
    "Spark",
    "Pig",
    "Hive",
    "Flume",
    "TensorFlow",
    "Keras",
    "Scikit learn",
    "Theano",
    "Matplotlib",
    "Caffe",
    "written communication",
    "verbal communication",
    "interpersonal skills",
    "collaboration",
    # 2025 article: certifications, FAQ, comparison table
    "tokenization",
    "stemming",
    "lemmatization",
    "sentiment analysis",
    "NLTK",
    "spaCy",
    "language modeling",
    "neural network design",
    "optimization",
    "backpropagation",
    "PyTorch",
    "hyperparameter tuning",
    "algorithm design",
    "computational complexity analysis",
    "debugging",
    "problem-solving",
    "AWS",
    "Google Cloud",
    "data visualization",
    "exploratory data analysis",
    "statistics",
    # 2019 article, responsibilities
    "retraining",
    "deployment",
    "monitoring",
]


def test_every_article_term_is_covered_by_a_published_skill(full_catalogue):
    names = []
    for skill in Skill.objects.filter(is_published=True):
        names.append(skill.name.lower())
        names.extend(term.lower() for term in skill.covered_terms)
    missing = [
        term
        for term in ARTICLE_TERMS
        if term.lower() not in names and not any(term.lower() in n.split(" / ") for n in names)
    ]
    assert missing == []


def test_sources_cite_the_seed_sections_or_editorial(full_catalogue):
    seeds = {"000_30d3a4d8a395521c.txt", "003_7b66ddfa3a052512.txt"}
    for skill in Skill.objects.all():
        assert skill.source == "editorial" or skill.source.split("#")[0] in seeds, skill.slug


# --- the content of the real catalogue -----------------------------------------------------------


def targets(role: str) -> dict[str, int]:
    from assessments.models import RoleTarget

    return dict(RoleTarget.objects.filter(role__slug=role).values_list("skill__slug", "level"))


def test_role_targets_follow_the_articles_comparison_table(full_catalogue):
    """Data Scientists need more statistics and communication; ML engineers more production skills."""
    mle, ds = targets("machine-learning-engineer"), targets("data-scientist")
    assert set(mle) == set(ds) == set(Skill.objects.values_list("slug", flat=True))
    for slug in (
        "descriptive-statistics",
        "probability-bayesian-statistics",
        "data-visualization",
        "exploratory-data-analysis",
        "communication",
    ):
        assert ds[slug] > mle[slug], slug
    for slug in (
        "model-deployment",
        "model-monitoring-retraining",
        "mlops-tooling",
        "hadoop-ecosystem",
        "spark",
        "tensorflow-keras",
        "pytorch",
        "software-engineering-practice",
        "software-testing",
    ):
        assert mle[slug] > ds[slug], slug


def test_every_question_has_four_choices_and_keys_are_spread_over_the_labels(full_catalogue):
    from collections import Counter

    from assessments.models import Choice

    per_question = Counter(Choice.objects.values_list("question__key", flat=True))
    assert set(per_question.values()) == {4}
    keyed = Counter(Choice.objects.filter(is_correct=True).values_list("label", flat=True))
    total = sum(keyed.values())
    assert all(0.2 <= keyed[label] / total <= 0.3 for label in "ABCD"), keyed


def test_hours_are_realistic(full_catalogue):
    """Reaching proficiency in a major framework takes months, not days."""
    from assessments.models import LevelAnchor

    hours = dict(LevelAnchor.objects.filter(skill__slug="pytorch").values_list("level", "hours_to_reach"))
    assert hours[0] == 0
    assert hours[1] < hours[2] < hours[3] < hours[4]
    assert hours[3] >= 150
    assert sum(hours[level] for level in (1, 2, 3)) >= 300


def test_legacy_frameworks_say_what_replaced_them(full_catalogue):
    legacy = Skill.objects.get(slug="legacy-frameworks")
    text = legacy.description.lower()
    assert "theano" in text and "caffe" in text and "pytorch" in text
