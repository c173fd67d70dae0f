"""Accessibility: axe-core on every main page, failing on serious and critical violations.

axe-core is vendored (assets/axe.min.js, from the npm package ``axe-core``). It is evaluated
through Playwright (CDP), which the page's Content-Security-Policy does not govern;
``page.add_script_tag`` would add an inline <script>, which the strict CSP blocks.
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.data import result_of, take_assessment
from tests.e2e.helpers import log_in, snap

pytestmark = pytest.mark.django_db(transaction=True)

AXE_JS = Path(__file__).resolve().parent / "assets" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}

# The pages checked, in one place: (name, path, needs_login, needs, status). The name names the
# screenshot. ``needs``: "" (nothing), "catalogue" (the real catalogue loaded) or "history" (the
# catalogue, two submitted assessments and a third waiting on its review page: {placeholders} in
# the path come from the ``history`` fixture). Some pages are also opened up before axe runs
# (OPEN_UP below), so that it checks what is otherwise hidden.
PAGES = [
    ("home", "/", False, "", HTTPStatus.OK),
    ("login", "/accounts/login/", False, "", HTTPStatus.OK),
    ("signup", "/accounts/signup/", False, "", HTTPStatus.OK),
    ("password-reset", "/accounts/password/reset/", False, "", HTTPStatus.OK),
    ("password-reset-done", "/accounts/password/reset/done/", False, "", HTTPStatus.OK),
    ("dashboard", "/dashboard/", True, "", HTTPStatus.OK),
    ("profile", "/profile/", True, "", HTTPStatus.OK),
    ("password-change", "/accounts/password/change/", True, "", HTTPStatus.OK),
    ("email", "/accounts/email/", True, "", HTTPStatus.OK),
    ("logout", "/accounts/logout/", True, "", HTTPStatus.OK),
    ("account-delete", "/account/delete/", True, "", HTTPStatus.OK),
    ("roadmap-before-assessment", "/roadmap/", True, "", HTTPStatus.OK),
    ("progress-before-assessment", "/progress/", True, "", HTTPStatus.OK),
    ("how-we-score", "/how-we-score/", False, "", HTTPStatus.OK),
    ("not-found", "/no-such-page/", False, "", HTTPStatus.NOT_FOUND),
    ("catalogue-index", "/catalogue/", False, "catalogue", HTTPStatus.OK),
    ("catalogue-skill", "/catalogue/skills/python/", False, "catalogue", HTTPStatus.OK),
    ("catalogue-role", "/catalogue/roles/machine-learning-engineer/", False, "catalogue", HTTPStatus.OK),
    ("catalogue-map", "/catalogue/map/", False, "catalogue", HTTPStatus.OK),
    ("roadmap-map-before-assessment", "/roadmap/map/", True, "catalogue", HTTPStatus.OK),
    ("assessment-start-first", "/assessment/", True, "catalogue", HTTPStatus.OK),
    ("assessment-start-in-progress", "/assessment/", True, "history", HTTPStatus.OK),
    ("assessment-ratings", "/assessment/{assessment}/step/{ratings}/", True, "history", HTTPStatus.OK),
    ("assessment-round", "/assessment/{assessment}/step/{round}/", True, "history", HTTPStatus.OK),
    ("assessment-review", "/assessment/{assessment}/step/{review}/", True, "history", HTTPStatus.OK),
    ("results", "/results/{result}/", True, "history", HTTPStatus.OK),
    ("roadmap", "/roadmap/", True, "history", HTTPStatus.OK),
    ("roadmap-map", "/roadmap/map/", True, "history", HTTPStatus.OK),
    ("progress", "/progress/", True, "history", HTTPStatus.OK),
    ("progress-compare", "/progress/?from={first_result}&to={result}", True, "history", HTTPStatus.OK),
    ("dashboard-with-results", "/dashboard/", True, "history", HTTPStatus.OK),
]


@pytest.fixture
def catalogue(full_catalogue):
    """The real catalogue, as ``make load-catalogue`` loads it (read once per session: tests/conftest.py)."""


@pytest.fixture
def history(catalogue, learner) -> dict[str, int]:
    """Two submitted assessments (results, a roadmap, progress), and a third one in progress with
    every page saved, so that its ratings, round and review pages can all be opened."""
    first = take_assessment(learner, level=1, seed=1)
    second = take_assessment(learner, level=2, seed=2)
    current = take_assessment(learner, submit=False, level=1, seed=3)
    kinds = [key.partition(":")[0] for key in current.steps]
    assert kinds[0] == "rate" and kinds[-1] == "review" and "check" not in kinds, current.steps
    first_round = kinds.index("round")
    assert current.steps[first_round] == "round:1" and current.answers.filter(round=1).exists()
    return {
        "assessment": current.pk,
        "ratings": 0,
        "round": first_round,
        "review": len(current.steps) - 1,
        "first_result": result_of(first).pk,
        "result": result_of(second).pk,
    }


def open_every_why(page: Page) -> None:
    """The results page: open each area (its skills and its checks), then each skill's "Why"
    disclosure (its level bars and reasons), as a person would, by its summary."""
    areas = page.locator("details.result-area")
    assert areas.count() > 0, "the results page shows no area"
    for position in range(areas.count()):
        area = areas.nth(position)
        area.locator("> summary").click()
        expect(area).to_have_attribute("open", "")
    whys = page.locator("table details").filter(has=page.locator("summary", has_text="Why"))
    assert whys.count() > 0, "the results page shows no Why disclosure"
    for position in range(whys.count()):
        why = whys.nth(position)
        why.locator("summary").click()
        expect(why).to_have_attribute("open", "")
    expect(whys.first.get_by_role("meter")).to_have_count(5)


# What is done on a page before axe runs, by page name.
OPEN_UP = {"results": open_every_why}


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


@pytest.mark.parametrize(
    ("name", "path", "needs_login", "needs", "status"), PAGES, ids=[entry[0] for entry in PAGES]
)
def test_page_has_no_serious_accessibility_violations(
    page: Page, request, browser_problems, axe_source, name, path, needs_login, needs, status
):
    # The catalogue before the learner (whose fixture makes a role): the real catalogue is restored
    # quickly only into empty catalogue tables (tests/conftest.py, full_catalogue).
    data = request.getfixturevalue(needs) if needs else {}
    learner = request.getfixturevalue("learner")
    path = path.format(**data) if needs == "history" else path
    if needs_login:
        log_in(page, learner.email)
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path} answered {response and response.status}"
    )
    expect(page.locator("h1").first).to_be_visible()
    if name in OPEN_UP:
        OPEN_UP[name](page)
    snap(page, name)

    violations = run_axe(page, axe_source)
    blocking = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not blocking, f"axe found serious or critical problems on {path}:\n{describe(blocking)}"
    if status != HTTPStatus.OK:
        # The browser logs the error status of the page itself: expected here, and only here.
        expected = f"Failed to load resource: the server responded with a status of {status.value} "
        browser_problems.console_errors = [
            error
            for error in browser_problems.console_errors
            if not (error.startswith(expected) and f"{path}:" in error)
        ]
