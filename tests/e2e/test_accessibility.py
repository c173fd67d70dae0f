"""Accessibility: axe-core on every main page, failing on serious and critical violations.

axe-core is vendored (assets/axe.min.js, from the npm package ``axe-core``). It is evaluated
through Playwright (CDP), which the page's Content-Security-Policy does not govern;
``page.add_script_tag`` would add an inline <script>, which the strict CSP blocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in, snap

pytestmark = pytest.mark.django_db(transaction=True)

AXE_JS = Path(__file__).resolve().parent / "assets" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}

# The pages checked, in one place: (name, path, needs_login). The name names the screenshot.
PAGES = [
    ("home", "/", False),
    ("login", "/accounts/login/", False),
    ("signup", "/accounts/signup/", False),
    ("password-reset", "/accounts/password/reset/", False),
    ("password-reset-done", "/accounts/password/reset/done/", False),
    ("dashboard", "/dashboard/", True),
    ("profile", "/profile/", True),
    ("password-change", "/accounts/password/change/", True),
    ("email", "/accounts/email/", True),
    ("logout", "/accounts/logout/", True),
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Page, axe_source: str) -> list[dict]:
    """axe.run() on the whole document; returns its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "path", "needs_login"), PAGES, ids=[entry[0] for entry in PAGES])
def test_page_has_no_serious_accessibility_violations(
    page: Page, learner, axe_source, name, path, needs_login
):
    if needs_login:
        log_in(page, learner.email)
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    expect(page.locator("h1").first).to_be_visible()
    snap(page, name)

    violations = run_axe(page, axe_source)
    blocking = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not blocking, f"axe found serious or critical problems on {path}:\n{describe(blocking)}"
