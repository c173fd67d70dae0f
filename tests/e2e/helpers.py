"""Helpers shared by the browser tests (imported by the tests and by conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"

# A password that passes every validator in settings.AUTH_PASSWORD_VALIDATORS (12+ characters).
PASSWORD = "orbit-lantern-meadow-42"


def snap(page: Page, name: str) -> Path:
    """A full-page screenshot of what the browser shows, as test-artifacts/screenshots/<name>.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, by the fields' visible labels."""
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page: Page) -> None:
    """Log out with the navigation's POST button."""
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
