"""CONTRIBUTING.md's "Where is ..." table points at files and symbols that exist (no database)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
HEADING = "## Where is ..."

# Each row the table must have: every keyword of a tuple appears in one row's "what" text
# (lower case, hyphens read as spaces).
REQUIRED_ROWS = {
    "readiness computed": ("readiness",),
    "the plan ordered": ("plan", "order"),
    "a page's data": ("page", "data"),
    "the catalogue validated": ("catalogue", "validated"),
    "a question rendered": ("question", "rendered"),
    "the vocabulary defined": ("vocabulary",),
    "the focus role decided": ("focus role",),
    "own-data export and deletion": ("export", "delet"),
    "the catalogue loaded from YAML": ("catalogue", "loaded", "yaml"),
    "the how-we-score page": ("how we score",),
}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def where_is_rows() -> list[tuple[str, str]]:
    """(what, where) for every row of the table under the "Where is ..." heading."""
    lines = CONTRIBUTING.read_text(encoding="utf-8").splitlines()
    assert HEADING in (line.strip() for line in lines), f"CONTRIBUTING.md has no {HEADING!r} heading"
    start = [line.strip() for line in lines].index(HEADING) + 1
    table: list[str] = []
    for line in lines[start:]:
        if line.strip().startswith("|"):
            table.append(line)
        elif table or line.startswith("#"):
            break  # the table ended, or the section ended before any table
    assert len(table) > 2, f"no table under {HEADING!r}"
    assert [cell.lower() for cell in _cells(table[0])] == ["what", "where"], table[0]
    assert set(table[1].replace("|", "").strip()) <= set("-: "), f"not a separator row: {table[1]}"
    rows = []
    for line in table[2:]:
        cells = _cells(line)
        assert len(cells) == 2, f"a row needs exactly two cells: {line}"
        rows.append((cells[0], cells[1]))
    return rows


def where_entries() -> list[tuple[str, str, str | None]]:
    """(what, path, symbol or None) for every backticked entry of the "where" column."""
    entries = []
    for what, where in where_is_rows():
        found = re.findall(r"`([^`]+)`", where)
        assert found, f"the row {what!r} names no backticked path"
        for entry in found:
            path, _, symbol = entry.partition("::")
            entries.append((what, path, symbol or None))
    return entries


def defines(source: str, symbol: str) -> bool:
    """Whether Python source defines ``symbol``: a def, a class or an assignment, at any indentation."""
    name = re.escape(symbol)
    pattern = (
        rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{name}\b"
        rf"|^[ \t]*class[ \t]+{name}\b"
        rf"|^[ \t]*{name}[ \t]*(?::[^=\n]*)?=(?!=)"
    )
    return re.search(pattern, source, re.MULTILINE) is not None


def test_the_where_is_table_has_a_row_for_each_thing_a_newcomer_looks_for():
    whats = [what.lower().replace("-", " ") for what, _where in where_is_rows()]
    missing = [
        name
        for name, keywords in REQUIRED_ROWS.items()
        if not any(all(keyword in what for keyword in keywords) for what in whats)
    ]
    assert missing == []


def test_every_path_in_the_where_is_table_exists():
    missing = [path for _what, path, _symbol in where_entries() if not (ROOT / path).exists()]
    assert missing == []


def test_every_symbol_in_the_where_is_table_is_defined_in_its_file():
    undefined = []
    for _what, path, symbol in where_entries():
        file = ROOT / path
        if symbol is None or not file.is_file():
            continue  # a missing path is reported by the test above
        if file.suffix != ".py" or not defines(file.read_text(encoding="utf-8"), symbol):
            undefined.append(f"{path}::{symbol}")
    assert undefined == []


def test_templates_in_the_where_is_table_are_named_by_path_alone():
    with_symbol = [
        f"{path}::{symbol}"
        for _what, path, symbol in where_entries()
        if symbol is not None and path.startswith("templates/")
    ]
    assert with_symbol == []


def test_the_symbol_check_finds_defs_classes_and_assignments_at_any_indentation():
    source = "class Outer:\n    limit: int = 3\n    def method(self):\n        total = 1\n"
    assert all(defines(source, name) for name in ("Outer", "limit", "method", "total"))
    assert not defines(source, "missing")
    assert not defines("if total == 1:\n    pass\n", "total")


def test_every_picture_the_readme_shows_is_in_the_repository():
    """The README shows the product before anyone installs it: every image it links must exist."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme)
    pages = {"results", "roadmap", "skill-map", "progress"}
    assert {
        f"docs/screenshots/{page}-{width}.png" for page in pages for width in ("desktop", "phone")
    } <= set(images)
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), image
