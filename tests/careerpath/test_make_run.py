"""`make run`, the command a new user starts, serves with DEBUG off; `make dev` keeps DEBUG on.

The environment each target runs the server with is read from `make -n` (what the target would
execute), and the settings are loaded under it in a fresh interpreter, as in test_settings.py.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    "print('SETTINGS=' + json.dumps({'DEBUG': settings.DEBUG, 'ALLOWED_HOSTS': settings.ALLOWED_HOSTS}))"
)


def _target_commands(target: str) -> list[str]:
    result = subprocess.run(
        ["make", "-n", target],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def _command_env(command: str) -> dict[str, str]:
    """The NAME=value assignments in front of a shell command."""
    assignments: dict[str, str] = {}
    for word in shlex.split(command):
        name, sep, value = word.partition("=")
        if not sep or not name.isidentifier():
            break
        assignments[name] = value
    return assignments


def _runserver_env(target: str) -> dict[str, str]:
    lines = [line for line in _target_commands(target) if " runserver " in f"{line} "]
    assert len(lines) == 1, lines
    return _command_env(lines[0])


def _settings_under(assignments: dict[str, str]) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "careerpath.settings", **assignments}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_SETTINGS],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("SETTINGS=")]
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0].removeprefix("SETTINGS="))


def test_make_run_serves_with_debug_off_on_the_local_addresses():
    values = _settings_under(_runserver_env("run"))

    assert values["DEBUG"] is False
    assert {"127.0.0.1", "localhost"} <= set(values["ALLOWED_HOSTS"])


def test_make_run_collects_the_static_files_before_serving_them():
    """With DEBUG off, whitenoise serves static files from STATIC_ROOT, so they are collected first."""
    commands = _target_commands("run")
    collect = [i for i, line in enumerate(commands) if " collectstatic " in line]
    serve = [i for i, line in enumerate(commands) if " runserver " in f"{line} "]

    assert collect and serve and collect[0] < serve[0]
    assert _command_env(commands[collect[0]]) == _command_env(commands[serve[0]])


def test_make_dev_serves_with_debug_on():
    assert _settings_under(_runserver_env("dev"))["DEBUG"] is True


@pytest.mark.django_db
def test_a_missing_page_without_debug_is_our_page_without_the_url_patterns(client, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:1] == ["404.html"]
    body = response.content.decode()
    assert "<h1>Page not found</h1>" in body
    assert "URLconf" not in body
    assert "admin/" not in body
    assert "healthz" not in body
