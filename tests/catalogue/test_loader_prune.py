"""Loading is additive: rows the files leave out are reported and kept; --prune removes them after
confirmation; --check shows the difference without writing."""

from __future__ import annotations

import copy
import datetime
import re

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment, Result
from catalogue import selectors as catalogue_selectors
from catalogue.management.commands.load_catalogue import MSG_NOT_CONFIRMED
from catalogue.models import CATALOGUE_MODELS, Prerequisite, Role, Skill
from roadmap.models import RoadmapStep

from .test_loader import BASE, find, good_skills, write

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


def edited(tmp_path):
    """The good catalogue with python renamed, a role added and the pandas prerequisite left out."""
    entries = good_skills()
    find(entries, "skill", slug="python")["fields"]["name"] = "Python 3"
    entries.remove(find(entries, "prerequisite", skill=["pandas"]))
    files = write(tmp_path, entries)
    role = {
        "model": "catalogue.role",
        "fields": {"slug": "data-scientist", "name": "Data Scientist", "order": 2},
    }
    base = [*copy.deepcopy(BASE), role]
    files[0].write_text(yaml.safe_dump(base))
    return files


def test_loading_one_file_keeps_every_row_it_does_not_mention(tmp_path, capsys):
    files = write(tmp_path, good_skills())
    call_command("load_catalogue", *files)
    before = counts()
    capsys.readouterr()
    call_command("load_catalogue", files[0])
    assert counts() == before
    out = capsys.readouterr().out
    assert "Not in the files, kept" in out and "--prune removes them" in out
    assert "2 catalogue.skill: pandas, python" in out


def test_a_file_may_refer_to_rows_already_in_the_database(tmp_path):
    files = write(tmp_path, good_skills())
    call_command("load_catalogue", *files, verbosity=0)
    call_command("load_catalogue", files[1], verbosity=0)  # its category lives in catalogue.yaml
    assert Skill.objects.count() == 2


def test_check_shows_added_changed_and_removed_and_writes_nothing(tmp_path, capsys):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    before, version = counts(), catalogue_selectors.catalogue_version()
    capsys.readouterr()
    call_command("load_catalogue", *edited(tmp_path), "--check", "--prune")
    out = capsys.readouterr().out
    assert "Would be added: 1 catalogue.role: data-scientist" in out
    assert "Would be changed: 1 catalogue.skill: python" in out
    assert "Would be removed: 1 catalogue.prerequisite: pandas/python" in out
    assert "Checked only: nothing was written." in out
    assert counts() == before
    assert Skill.objects.get(slug="python").name == "Python"
    assert catalogue_selectors.catalogue_version() == version


def test_without_prune_a_row_left_out_is_kept(tmp_path):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    call_command("load_catalogue", *edited(tmp_path), verbosity=0)
    assert Prerequisite.objects.count() == 1
    assert Skill.objects.get(slug="python").name == "Python 3"
    assert Role.objects.filter(slug="data-scientist").exists()


def test_prune_asks_and_changes_nothing_unless_confirmed(tmp_path, monkeypatch):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    before = counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match=re.escape(MSG_NOT_CONFIRMED)):
        call_command("load_catalogue", *edited(tmp_path), "--prune", verbosity=0)
    assert counts() == before
    assert Skill.objects.get(slug="python").name == "Python"


def test_prune_without_a_terminal_is_not_confirmed(tmp_path, monkeypatch):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)

    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    with pytest.raises(CommandError, match=re.escape(MSG_NOT_CONFIRMED)):
        call_command("load_catalogue", *edited(tmp_path), "--prune", verbosity=0)
    assert Prerequisite.objects.count() == 1


def test_prune_removes_what_it_listed_once_confirmed(tmp_path, monkeypatch, capsys):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    capsys.readouterr()
    call_command("load_catalogue", *edited(tmp_path), "--prune")
    assert "Would be removed: 1 catalogue.prerequisite: pandas/python" in capsys.readouterr().out
    assert Prerequisite.objects.count() == 0


def test_prune_counts_the_roadmap_steps_pointing_to_the_skills_going(tmp_path, user, capsys):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    assessment = Assessment.objects.create(user=user, catalogue_version="x")
    result = Result.objects.create(
        assessment=assessment, user=user, catalogue_version="x", readiness={}, snapshot_json={}
    )
    day = datetime.date(2026, 1, 5)
    for position, slug in enumerate(["pandas", "pandas", "python"]):
        RoadmapStep.objects.create(
            user=user,
            result=result,
            key=f"{slug}-{position}",
            position=position,
            details_json={"slug": slug},
            hours=1,
            start_hour=0,
            planned_start=day,
            planned_end=day,
        )
    # pandas goes entirely: the skill and every row of it.
    entries = [
        e
        for e in good_skills()
        if "pandas" not in str(e["fields"].get("slug", ""))
        and e["fields"].get("skill") != ["pandas"]
        and not str(e["fields"].get("question", [""])[0]).startswith("pandas")
    ]
    capsys.readouterr()
    call_command("load_catalogue", *write(tmp_path, entries), "--prune", "--yes")
    out = capsys.readouterr().out
    assert "Removed: 1 catalogue.skill: pandas" in out
    assert "2 roadmap steps of 1 people pointed to the skills going." in out
    assert not Skill.objects.filter(slug="pandas").exists()
