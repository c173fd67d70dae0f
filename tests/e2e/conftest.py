"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run them with ``make e2e``, or
``DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -m e2e tests/e2e -p no:cacheprovider --create-db``.
Every test collected from this folder gets the ``e2e`` mark, which the default addopts deselect.

The ``page`` fixture here wraps pytest-playwright's: it records console errors, uncaught page
errors and Content-Security-Policy violations, and fails the test at teardown when any happened.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.helpers import PASSWORD

# Playwright's sync API runs an event loop in this thread; without this, Django refuses the ORM
# calls the tests make (creating users...).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in every page before the page's own scripts. Init scripts are not subject to the page's
# CSP. Violations are kept on window (for a look from the test) and sent to Python at once
# through the exposed binding, so that a violation on a page the test has since left still counts.
CSP_RECORDER = """
(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    const violation = {
      page: document.location.href,
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
    };
    window.__cspViolations.push(violation);
    if (typeof window.__e2eReportCsp === 'function') {
      window.__e2eReportCsp(violation);
    }
  });
})();
"""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test in tests/e2e as ``e2e`` (before ``-m`` selects on marks)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (never ``playwright install``), with flags for a sandbox-less container."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves ``page.goto("/path")`` against the live server."""
    return live_server.url


# Console errors that are not the app's fault, as (message start, URL end), each with a reason.
# Keep this list empty unless a browser quirk forces an entry.
IGNORED_CONSOLE_ERRORS: list[tuple[str, str]] = []


def _ignored(text: str, url: str) -> bool:
    return any(text.startswith(start) and url.endswith(end) for start, end in IGNORED_CONSOLE_ERRORS)


class BrowserProblems:
    """What went wrong in the browser while a test ran."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[dict] = []

    def on_console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            if _ignored(message.text, where.get("url") or ""):
                return
            self.console_errors.append(f"{message.text} ({where.get('url')}:{where.get('lineNumber')})")

    def on_page_error(self, error) -> None:
        self.page_errors.append(str(error))

    def on_csp(self, source, violation) -> None:
        if violation not in self.csp_violations:
            self.csp_violations.append(violation)

    def report(self) -> str:
        lines = []
        if self.csp_violations:
            lines.append(f"{len(self.csp_violations)} Content-Security-Policy violation(s):")
            lines += [f"  - {json.dumps(v, sort_keys=True)}" for v in self.csp_violations]
        if self.console_errors:
            lines.append(f"{len(self.console_errors)} console error(s):")
            lines += [f"  - {text}" for text in self.console_errors]
        if self.page_errors:
            lines.append(f"{len(self.page_errors)} uncaught page error(s):")
            lines += [f"  - {text}" for text in self.page_errors]
        return "\n".join(lines)


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


def watch(context, problems: BrowserProblems):
    """A new page in ``context`` whose console errors, page errors and CSP violations go to ``problems``."""
    context.expose_binding("__e2eReportCsp", problems.on_csp)
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    return page


def collect_csp(page, problems: BrowserProblems) -> None:
    """Violations still on the page's window (the binding has reported the others already)."""
    if not page.is_closed():
        # The page may be navigating away, or have JavaScript turned off.
        with contextlib.suppress(PlaywrightError):
            for violation in page.evaluate("window.__cspViolations || []") or []:
                problems.on_csp(None, violation)


@pytest.fixture
def page(context, live_server, browser_problems):
    """pytest-playwright's page, watched: the test fails at teardown on any console error, uncaught
    page error or CSP violation."""
    page = watch(context, browser_problems)
    yield page
    collect_csp(page, browser_problems)
    problems = browser_problems.report()
    if problems:
        pytest.fail(f"The browser reported problems during the test:\n{problems}", pytrace=False)


@pytest.fixture
def open_page(page, new_context, browser_problems):
    """Opens another watched page in a new browser context: a separate browser with no cookies, as
    after closing the browser, or another person's. ``open_page(java_script_enabled=False)`` gives
    one with JavaScript turned off. Problems in these pages fail the test like those in ``page``."""
    pages = []

    def _open(**context_args):
        opened = watch(new_context(**context_args), browser_problems)
        pages.append(opened)
        return opened

    yield _open
    # Torn down before ``page`` (which this fixture depends on) reports the problems.
    for opened in pages:
        collect_csp(opened, browser_problems)


@pytest.fixture
def role(db):
    """The role the profile form offers, for tests without the real catalogue (which has it)."""
    from catalogue.models import Role

    return Role.objects.get_or_create(
        slug="machine-learning-engineer", defaults={"name": "Machine Learning Engineer"}
    )[0]


@pytest.fixture
def learner(db, role):
    """A user with a verified, primary e-mail address; the password is helpers.PASSWORD."""
    user = get_user_model().objects.create_user(
        username="e2e-learner", email="learner@e2e.careerpath.test", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
