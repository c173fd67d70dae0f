"""Hostile catalogue files are refused cleanly: a precise message, no traceback, nothing changed."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
import yaml
from django.core.management import ManagementUtility, call_command
from django.core.management import base as management_base
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import loader
from catalogue import selectors as catalogue_selectors
from catalogue.models import CATALOGUE_MODELS, Skill
from catalogue.validation import blocking

from .test_loader import good_skills, write

pytestmark = pytest.mark.django_db

SKILL = """\
- model: catalogue.skill
  fields:
    slug: python
    name: Python
    description: Python for machine learning.
    category: [programming]
    is_published: false
"""


def edited(old: str, new: str) -> bytes:
    """The valid skill entry above with one piece of text swapped, as the bytes of a file."""
    assert old in SKILL, old
    return SKILL.replace(old, new).encode()


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb, inside one field: width**levels strings once expanded."""
    lines = ["- model: catalogue.skill", "  fields:", "    slug: python", '    lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*lol{level - 1}"] * width)
        lines.append(f"    lol{level}: &lol{level} [{refs}]")
    lines.append(f"    description: *lol{levels}")
    return "\n".join(lines) + "\n"


HOSTILE: list[tuple[str, bytes, str]] = [
    ("alias bomb", billion_laughs().encode(), loader.MSG_ANCHOR),
    ("anchor without alias", edited("name: Python", "name: &n Python"), loader.MSG_ANCHOR),
    ("alias", edited("name: Python", "name: *n"), loader.MSG_ALIAS),
    (
        "list as slug",
        edited("slug: python", "slug: [python, pandas]"),
        "entry 1 (catalogue.skill): field slug: expected text, got a list of 2",
    ),
    (
        "wrong type",
        edited("is_published: false", "is_published: 'yes'"),
        "entry 1 (catalogue.skill python): field is_published: expected true or false, got text ('yes')",
    ),
    (
        "mapping as a scalar",
        edited("name: Python", "name: {first: Py}"),
        "entry 1 (catalogue.skill python): field name: expected text, got a mapping",
    ),
    (
        "a date where text is expected",
        edited("name: Python", "name: 2024-01-05"),
        "field name: expected text, got a date (2024-01-05)",
    ),
    (
        "bad natural key (text for a reference)",
        edited("category: [programming]", "category: programming"),
        "field category: expected a reference like [slug]",
    ),
    (
        "bad natural key (two parts for one)",
        edited("category: [programming]", "category: [programming, maths]"),
        "field category: expected a reference like [slug]",
    ),
    (
        "natural key left out",
        edited("    slug: python\n", ""),
        "entry 1 (catalogue.skill): field slug: missing, and it is part of the natural key",
    ),
    (
        "unknown field",
        (SKILL + "    colour: red\n").encode(),
        "entry 1 (catalogue.skill): unknown field 'colour': catalogue.skill has",
    ),
    ("unknown model", edited("catalogue.skill", "auth.user"), "unknown model 'auth.user'"),
    ("missing fields", b"- model: catalogue.skill\n", "entry 1: an entry needs 'fields'"),
    ("missing model", b"- fields: {slug: python}\n", "entry 1: an entry needs 'model'"),
    ("fields not a mapping", b"- model: catalogue.skill\n  fields: [1, 2]\n", "'fields' must be a mapping"),
    ("entry not a mapping", b"- just some text\n", "entry 1: an entry must be a mapping"),
    ("extra entry key", (SKILL + "  extra: 1\n").encode(), "unexpected 'extra'"),
    ("mapping at the top", b"model: catalogue.skill\nfields: {slug: python}\n", "must be a list of entries"),
    ("scalar at the top", b"42\n", "must be a list of entries, not a number (42)"),
    ("deep nesting", b"[" * 50 + b"]" * 50, loader.MSG_TOO_DEEP.format(limit=loader.MAX_DEPTH)),
    ("binary bytes", b"- model: \x00\x01\x02\x03\x1b[31m\n", "not safe, valid YAML"),
    ("non-UTF-8", SKILL.replace("learning.", "caf\u00e9.").encode("latin-1"), "not UTF-8 text"),
    ("tabs / invalid YAML", b"- model: catalogue.skill\n\tfields: {}\n", "not safe, valid YAML"),
    ("unclosed quote", b'- model: "catalogue.skill\n', "not safe, valid YAML"),
    (
        "duplicate keys",
        edited("name: Python\n", "name: Python\n    name: Pandas\n"),
        "duplicate key 'name'",
    ),
    ("merge key", edited("name: Python", "<<: {name: Python}"), loader.MSG_MERGE_KEY),
    ("two documents", b"--- []\n--- []\n", "not safe, valid YAML"),
    ("impossible date", edited("name: Python", "name: 2024-13-45"), "not safe, valid YAML"),
    ("NUL in text", edited("name: Python", 'name: "Py\\0thon"'), "NUL character"),
    (
        "number out of range",
        b"- model: catalogue.role\n  fields: {slug: r, name: R, order: 99999999999999999999999}\n",
        "field order: 99999999999999999999999 is out of range",
    ),
    ("empty explicit int", b"- !!int\n", "not safe, valid YAML"),
    ("explicit bool that is not one", b"- !!bool maybe\n", "not safe, valid YAML"),
    ("python tag", b"- !!python/object/apply:os.system ['true']\n", "not safe, valid YAML"),
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


@pytest.mark.parametrize(("content", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_with_a_precise_message_and_nothing_changes(tmp_path, content, message):
    call_command("load_catalogue", *write(tmp_path, good_skills()), verbosity=0)
    before, version = counts(), catalogue_selectors.catalogue_version()
    hostile = tmp_path / "skills" / "programming.yaml"
    hostile.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("load_catalogue", tmp_path / "catalogue.yaml", hostile, verbosity=0)
    assert message in str(raised.value)
    assert "programming.yaml" in str(raised.value)
    assert counts() == before
    assert catalogue_selectors.catalogue_version() == version


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * loader.MAX_FILE_BYTES + b"\n[]\n")
    with pytest.raises(
        CommandError, match=r"huge.yaml: \d+ bytes; a catalogue file may hold at most 5242880"
    ):
        call_command("load_catalogue", huge, verbosity=0)


def test_the_real_files_are_well_under_the_size_limit():
    sizes = [path.stat().st_size for path in loader.fixture_files(Path("fixtures"))]
    assert sizes and max(sizes) < loader.MAX_FILE_BYTES / 10


def test_the_alias_bomb_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(levels=12, width=10))
    started = time.perf_counter()
    with pytest.raises(loader.CatalogueError, match="anchors"):
        loader.parse_file(bomb)
    assert time.perf_counter() - started < 2


def test_the_command_line_prints_the_message_without_a_traceback_and_exits_non_zero(
    tmp_path, capsys, monkeypatch
):
    hostile = tmp_path / "programming.yaml"
    hostile.write_text(SKILL.replace("slug: python", "slug: [a, b]"))
    # run_from_argv closes every connection when it ends; the test's own (in its transaction) must stay.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "load_catalogue", str(hostile)]).execute()
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "programming.yaml: entry 1 (catalogue.skill): field slug: expected text" in err
    assert "Traceback" not in err
    assert Skill.objects.count() == 0


# --- properties: whatever a file holds, the loader refuses it cleanly or loads a valid catalogue ----

MODELS = sorted(loader.NATURAL_KEY_FIELDS)
FIELD_NAMES = sorted(
    {f.name for model in CATALOGUE_MODELS for f in model._meta.concrete_fields} | {"pk", "id", "colour"}
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["python", "programming", "machine-learning-engineer", "foundations", "technical"])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
entries = st.fixed_dictionaries(
    {
        "model": st.sampled_from([*MODELS, "auth.user", "catalogue.Skill"]) | st.text(max_size=10),
        "fields": st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=8) | values,
    }
)
documents = st.lists(entries | values, max_size=4) | values


def load_and_roll_back(path: Path) -> None:
    """Load ``path``; a refusal may only be a CatalogueError; a success must be a valid catalogue."""
    with transaction.atomic():
        try:
            loader.load_catalogue(path.parent, [path])
        except loader.CatalogueError:
            pass
        else:
            published = set(Skill.objects.filter(is_published=True).values_list("slug", flat=True))
            assert not blocking(catalogue_selectors.validate_db(), published)
        transaction.set_rollback(True)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents)
def test_any_yaml_document_is_refused_cleanly_or_loads_a_valid_catalogue(tmp_path, document):
    path = tmp_path / "any.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    load_and_roll_back(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.lists(entries, min_size=1, max_size=3))
def test_any_entries_after_a_valid_catalogue_are_refused_cleanly_or_load(tmp_path, document):
    files = write(tmp_path, good_skills())
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with transaction.atomic():
        loader.load_catalogue(tmp_path, files)
        with contextlib.suppress(loader.CatalogueError):
            loader.load_catalogue(tmp_path, [extra])
        transaction.set_rollback(True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_are_refused_cleanly_or_read(tmp_path, content):
    path = tmp_path / "any.yaml"
    path.write_bytes(content)
    with contextlib.suppress(loader.CatalogueError):
        loader.read_fixtures([path])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.sampled_from(
            [
                "- ",
                "model: ",
                "fields:",
                "\n",
                "  ",
                "&a ",
                "*a ",
                "[",
                "]",
                "{",
                "}",
                ": ",
                "slug",
                "python",
                "catalogue.skill",
                "!!str ",
                "!!int ",
                "'",
                '"',
                "#",
                "<<: ",
                "2024-13-45",
                "\t",
                "? ",
                "---\n",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_any_yaml_like_text_is_refused_cleanly_or_loads(tmp_path, text):
    path = tmp_path / "any.yaml"
    path.write_text(text, encoding="utf-8")
    load_and_roll_back(path)
