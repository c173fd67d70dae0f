"""The settings read from the environment: the production posture, its refusals and its switches.

Each test runs ``manage.py`` in a fresh interpreter with an environment built here, so nothing from
the shell running the tests (a DATABASE_URL, a REDIS_URL, DJANGO_* variables) leaks in.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MANAGE = PROJECT_ROOT / "manage.py"

# Variables the settings read; none is inherited from the parent process.
SETTINGS_VARIABLES = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "ACCOUNT_EMAIL_VERIFICATION", "CAREERPATH_")
ONE_YEAR = 365 * 24 * 60 * 60


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", *SETTINGS_VARIABLES))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "careerpath.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": _secret_key(),
        "DJANGO_ALLOWED_HOSTS": "careerpath.example.org",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRINT_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS",
    "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "SESSION_ENGINE", "SECURE_PROXY_SSL_HEADER",
]
values = {name: getattr(settings, name, None) for name in names}
values["DATABASE_ENGINE"] = settings.DATABASES["default"]["ENGINE"]
values["DATABASE_NAME"] = str(settings.DATABASES["default"]["NAME"])
values["CACHE_BACKEND"] = settings.CACHES["default"]["BACKEND"]
values["CACHE_LOCATION"] = settings.CACHES["default"].get("LOCATION")
print("SETTINGS=" + json.dumps(values, default=str))
"""


def _settings(env: dict[str, str]) -> dict:
    result = _manage("shell", "-c", PRINT_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("SETTINGS=")]
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0].removeprefix("SETTINGS="))


# --- check --deploy ----------------------------------------------------------------------------


def test_production_configuration_passes_the_deploy_check_without_warnings():
    """`check --deploy --fail-level WARNING` passes with nothing to report and nothing silenced."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "warning" not in output.lower()


def test_production_configuration_silences_no_system_check():
    """No system check is switched off to make the deploy check pass."""
    assert _settings(_production_env())["SILENCED_SYSTEM_CHECKS"] == []


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    """Without the secret key or the allowed hosts, manage.py stops and names the missing variable."""
    result = _manage("check", env=_production_env(**{missing: None}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DJANGO_ENV=production needs {missing}" in result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_treats_an_empty_required_variable_as_missing(missing):
    """An empty value is as good as none: manage.py stops and names the variable."""
    result = _manage("check", env=_production_env(**{missing: ""}))

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_names_both_variables_when_both_are_missing():
    """With neither variable set, one message names both."""
    result = _manage("check", env=_production_env(DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS" in result.stderr


# --- the production posture --------------------------------------------------------------------


def test_production_settings_turn_on_the_secure_posture():
    """DEBUG off, secure HTTP-only cookies, HSTS for a year with subdomains and preload, SSL redirect."""
    env = _production_env()
    values = _settings(env)

    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == env["DJANGO_SECRET_KEY"]
    assert values["ALLOWED_HOSTS"] == ["careerpath.example.org"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_PROXY_SSL_HEADER"] is None, "X-Forwarded-Proto is trusted only behind a proxy"


def test_plain_http_switches_turn_off_the_redirect_and_secure_cookies():
    """DJANGO_SECURE_SSL_REDIRECT=0 and DJANGO_SECURE_COOKIES=0 allow serving on plain HTTP."""
    values = _settings(_production_env(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0"))

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SESSION_COOKIE_HTTPONLY"] is True


def test_behind_a_proxy_the_forwarded_protocol_is_trusted():
    """DJANGO_BEHIND_PROXY=1 trusts X-Forwarded-Proto from the TLS-terminating proxy."""
    values = _settings(_production_env(DJANGO_BEHIND_PROXY="1"))

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_development_defaults_need_no_environment():
    """Without DJANGO_ENV, the settings load with DEBUG on, SQLite and the local-memory cache."""
    env = _production_env(DJANGO_ENV=None, DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None)
    values = _settings(env)

    assert values["DEBUG"] is True
    assert values["DATABASE_ENGINE"] == "django.db.backends.sqlite3"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


# --- services from URLs ------------------------------------------------------------------------


def test_database_url_selects_postgresql():
    """A postgres:// DATABASE_URL switches the database to PostgreSQL."""
    values = _settings(_production_env(DATABASE_URL="postgres://postgres@127.0.0.1:5432/careerpath"))

    assert values["DATABASE_ENGINE"] == "django.db.backends.postgresql"
    assert values["DATABASE_NAME"] == "careerpath"


def test_without_database_url_the_database_is_sqlite():
    """The subprocess environment carries no DATABASE_URL unless a test sets one."""
    assert "DATABASE_URL" not in _production_env()
    assert _settings(_production_env())["DATABASE_ENGINE"] == "django.db.backends.sqlite3"


def test_redis_url_selects_the_redis_cache_and_cached_db_sessions():
    """A REDIS_URL puts the cache (and with it the login rate limits) and sessions in Redis."""
    values = _settings(_production_env(REDIS_URL="redis://127.0.0.1:6379/0"))

    assert values["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHE_LOCATION"] == "redis://127.0.0.1:6379/0"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
