"""Take the README's screenshots: results, roadmap, skill map and progress, at phone and desktop width.

    make screenshots

Builds a throw-away SQLite database (catalogue + the demo learner of `manage.py load_demo`), serves
it with `runserver` on a free port, logs in as the demo learner in Debian's Chromium and saves one
PNG per page and width next to this file. Nothing of the developer's own database is touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 860)}
# (file name, path, what must be on screen before the picture is taken); the results page's path is
# read from the dashboard's link to the latest result.
PAGES: list[tuple[str, str | None, str]] = [
    ("results", None, "h1"),
    ("roadmap", "/roadmap/", "h1"),
    ("skill-map", "/roadmap/map/", "h1"),
    ("progress", "/progress/", "h1"),
]
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "careerpath-demo-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="careerpath-shots-") as tmp:
        env = {
            key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))
        }
        env |= {"DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3", "DJANGO_DEBUG": "1", "REDIS_URL": ""}
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "createcachetable")
        manage(env, "load_catalogue", "--verbosity", "0")
        manage(env, "load_demo", "--email", DEMO_EMAIL, "--password", DEMO_PASSWORD)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{base}/healthz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for width_name, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.fill("input[name=login]", DEMO_EMAIL)
                    page.fill("input[name=password]", DEMO_PASSWORD)
                    page.locator("form button[type=submit]").last.click()
                    page.wait_for_url(lambda url: "/accounts/login/" not in url)
                    page.goto(f"{base}/dashboard/")
                    latest = page.locator("a[href^='/results/']").first.get_attribute("href")
                    for name, path, ready in PAGES:
                        page.goto(base + (path or str(latest)))
                        page.locator(ready).first.wait_for()
                        page.wait_for_timeout(400)  # charts draw after load
                        out = HERE / f"{name}-{width_name}.png"
                        page.screenshot(path=str(out))
                        print(f"{out.relative_to(ROOT)}: {page.url.removeprefix(base)}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
