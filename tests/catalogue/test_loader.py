"""Loading the catalogue from YAML: validation rules, refusals, retirement, dump/load, commands."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Answer, Assessment
from catalogue import loader
from catalogue import selectors as catalogue_selectors
from catalogue.models import CATALOGUE_MODELS, Question, Skill

pytestmark = pytest.mark.django_db


def skill_entries(slug: str, name: str, category: str = "programming") -> list[dict]:
    entries = [
        {
            "model": "catalogue.skill",
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
                "model": "catalogue.levelanchor",
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
                "model": "catalogue.question",
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
                    "model": "catalogue.choice",
                    "fields": {"question": [key], "label": label, "text": label, "is_correct": label == "B"},
                }
            )
    for url, free in (
        (f"https://docs.python.org/3/{slug}", True),
        (f"https://www.oreilly.com/{slug}", False),
    ):
        entries.append(
            {
                "model": "catalogue.resource",
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
            "model": "catalogue.roletarget",
            "fields": {"role": ["machine-learning-engineer"], "skill": [slug], "level": 3, "weight": 4},
        }
    )
    return entries


BASE = [
    {
        "model": "catalogue.role",
        "fields": {
            "slug": "machine-learning-engineer",
            "name": "Machine Learning Engineer",
            "description": "",
            "order": 1,
        },
    },
    {
        "model": "catalogue.skillcategory",
        "fields": {"slug": "programming", "name": "Programming", "order": 1, "phase": "foundations"},
    },
]


def prerequisite(skill: str, requires: str, min_level: int = 2) -> dict:
    return {
        "model": "catalogue.prerequisite",
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
        if entry["model"] == f"catalogue.{model}" and all(
            entry["fields"].get(k) == v for k, v in match.items()
        ):
            return entry
    raise LookupError(match)


def test_a_valid_catalogue_loads_and_gets_a_version(tmp_path):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    assert Skill.objects.filter(is_published=True).count() == 2
    assert catalogue_selectors.catalogue_version() != ""


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


def _break_python_block(entries):
    find(entries, "question", key="python-l4-a")["fields"]["prompt"] = (
        "What is wrong?\n\n```python\ndef f(:\n```\n"
    )


def _break_code_outside_fence(entries):
    find(entries, "question", key="python-l4-a")["fields"]["prompt"] = (
        "What does it print?\n\nitems = [1, 2]\n"
    )


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
        "roletarget machine-learning-engineer/entry/python: weight: Ensure this value is less than or equal to 5.",
    ),
    (
        _break_target_level,
        "roletarget machine-learning-engineer/entry/python: level: Ensure this value is less than or equal to 4.",
    ),
    (_break_question_level, "question python-l4-a: level: Ensure this value is less than or equal to 4."),
    (_break_unknown_reference, "haskell"),
    (_break_missing_question_level, "published skill needs an active question at level 3"),
    (_break_one_resource, "published skill needs at least two resources; has 1"),
    (_break_no_free, "published skill needs at least one free resource"),
    (_break_no_target, "published skill has no role target"),
    (_break_python_block, "question python-l4-a: a python code block does not parse: line 1"),
    (_break_code_outside_fence, "question python-l4-a: a code-like line is outside a fenced block"),
    (_break_placeholder_url, "resource URL 'https://example.com/course' must be https on a real host"),
    (_break_http_url, "resource URL 'http://www.oreilly.com/python' must be https on a real host"),
    (_break_copied_anchor, "level 2 anchor is a copy of 'python''s with the name swapped"),
]


@pytest.mark.parametrize(("breaker", "message"), BROKEN, ids=[b.__name__[7:] for b, _ in BROKEN])
def test_a_broken_fixture_is_refused_with_a_precise_message_and_nothing_changes(tmp_path, breaker, message):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    before = counts()
    version = catalogue_selectors.catalogue_version()
    entries = copy.deepcopy(good_skills())
    breaker(entries)
    with pytest.raises(CommandError) as raised:
        # --prune, so that a row left out of the file is gone from the catalogue being validated.
        call_command("load_catalogue", *write(tmp_path, entries), "--prune", "--yes", verbosity=0)
    assert message in str(raised.value)
    assert "programming.yaml" in str(raised.value)
    assert counts() == before
    assert catalogue_selectors.catalogue_version() == version


def test_an_unpublished_skill_may_be_incomplete(tmp_path):
    entries = good_skills()
    find(entries, "skill", slug="python")["fields"]["is_published"] = False
    _break_no_free(entries)
    call_command("load_catalogue", *write(tmp_path, entries), verbosity=0)
    problems = catalogue_selectors.validate_db()
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


def test_pruning_removes_rows_no_longer_in_the_files_but_retires_answered_questions(tmp_path, user):
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
            "model": "catalogue.resource",
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
    call_command("load_catalogue", *write(tmp_path, entries), "--prune", "--yes", verbosity=0)
    answered.refresh_from_db()
    assert answered.active is False
    assert Question.objects.filter(key="python-l1-b", active=True).exists()
    assert not Skill.objects.get(slug="pandas").resources.filter(url__contains="oreilly").exists()


def test_dump_then_load_gives_back_the_same_catalogue(tmp_path):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    version = catalogue_selectors.catalogue_version()
    before = counts()
    out = tmp_path / "dumped"
    call_command("dump_catalogue", directory=str(out), verbosity=0)
    assert (out / "catalogue.yaml").exists() and (out / "skills" / "programming.yaml").exists()
    assert "pk:" not in (out / "skills" / "programming.yaml").read_text()
    call_command("load_catalogue", *loader.fixture_files(out), verbosity=0)
    assert counts() == before
    assert catalogue_selectors.catalogue_version() == version


def test_validate_catalogue_reports_problems_and_fails_on_integrity(tmp_path, capsys):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    call_command("validate_catalogue")
    assert "No integrity errors" in capsys.readouterr().out
    Question.objects.filter(key="python-l2-a").first().choices.filter(label="C").update(is_correct=True)
    with pytest.raises(CommandError, match="1 integrity error"):
        call_command("validate_catalogue")
    assert "question 'python-l2-a' needs exactly one correct choice; has 2" in capsys.readouterr().out


def test_the_system_check_reports_catalogue_problems_as_warnings(tmp_path):
    from catalogue.checks import catalogue_check

    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    assert catalogue_check() == []
    Skill.objects.filter(slug="python").first().resources.update(is_free=False)
    warnings = catalogue_check()
    assert [w.msg for w in warnings] == [
        "completeness: skill python: published skill needs at least one free resource"
    ]
    assert all(w.level < 30 + 10 for w in warnings)  # warnings, never errors


def test_the_real_catalogue_loads_and_passes_every_rule(full_catalogue):
    problems = catalogue_selectors.validate_db()
    assert [str(p) for p in problems] == []
    assert not Skill.objects.filter(is_published=False).exists()
