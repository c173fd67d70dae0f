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
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "ACCOUNT_EMAIL_VERIFICATION",
    "CAREERPATH_",
    "SENTRY_",
)
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
        "EMAIL_URL": "smtp+tls://careerpath:password@smtp.example.org:587",
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
values["SESSION_CACHE_ALIAS"] = settings.SESSION_CACHE_ALIAS
values["SESSION_CACHE_BACKEND"] = settings.CACHES.get(settings.SESSION_CACHE_ALIAS, {}).get("BACKEND")
values["CONN_MAX_AGE"] = settings.DATABASES["default"]["CONN_MAX_AGE"]
values["CONN_HEALTH_CHECKS"] = settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
values["DATABASE_OPTIONS"] = settings.DATABASES["default"].get("OPTIONS", {})
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
    """Without DJANGO_ENV, the settings load with DEBUG on, SQLite and the database cache."""
    env = _production_env(DJANGO_ENV=None, DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None)
    values = _settings(env)

    assert values["DEBUG"] is True
    assert values["DATABASE_ENGINE"] == "django.db.backends.sqlite3"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["SESSION_ENGINE"] == "accounts.sessions"  # Django's cached_db, indexed by account
    assert (
        values["SESSION_CACHE_BACKEND"] == "careerpath.file_cache.KeptFileBasedCache"
    )  # Django's file cache, reads kept


# --- services from URLs ------------------------------------------------------------------------


def test_database_url_selects_postgresql():
    """A postgres:// DATABASE_URL switches the database to PostgreSQL."""
    values = _settings(_production_env(DATABASE_URL="postgres://postgres@127.0.0.1:5432/careerpath"))

    assert values["DATABASE_ENGINE"] == "careerpath.postgresql"  # Django's, with a cheaper health check
    assert values["DATABASE_NAME"] == "careerpath"


def test_postgresql_prepares_the_queries_a_connection_repeats_unless_turned_off():
    """Server-side parameters and prepared statements (after five runs), which a pooler in
    transaction mode cannot keep: DJANGO_DB_PREPARED=0 turns them off."""
    url = "postgres://postgres@127.0.0.1:5432/careerpath"
    options = _settings(_production_env(DATABASE_URL=url))["DATABASE_OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    options = _settings(_production_env(DATABASE_URL=url, DJANGO_DB_PREPARED="0"))["DATABASE_OPTIONS"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_without_database_url_the_database_is_sqlite():
    """The subprocess environment carries no DATABASE_URL unless a test sets one."""
    assert "DATABASE_URL" not in _production_env()
    assert _settings(_production_env())["DATABASE_ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("database_url", [None, "postgres://postgres@127.0.0.1:5432/careerpath"])
def test_database_connections_are_kept_for_a_minute_and_checked_before_reuse(database_url):
    """SQLite as well as PostgreSQL: a worker keeps its connection 60 s (DJANGO_CONN_MAX_AGE)."""
    values = _settings(_production_env(DATABASE_URL=database_url))
    assert values["CONN_MAX_AGE"] == 60
    assert values["CONN_HEALTH_CHECKS"] is True

    values = _settings(_production_env(DATABASE_URL=database_url, DJANGO_CONN_MAX_AGE="0"))
    assert values["CONN_MAX_AGE"] == 0


REUSE_CONNECTION = """
from django.core.signals import request_finished, request_started
from django.db import connection
seen = []
for _ in range(3):  # three requests, as the WSGI handler signals them
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    seen.append(connection.connection)  # kept, so that no two connections share an id
    request_finished.send(sender=None)
print(f"CONNECTIONS={len({id(c) for c in seen})} MODE={mode} SYNCHRONOUS={synchronous}")
"""


def test_sqlite_requests_share_one_connection_set_up_once(tmp_path):
    """Successive requests reuse the worker's SQLite connection, opened once in WAL mode with
    synchronous=NORMAL (its PRAGMAs run when it opens, not on every request)."""
    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'reuse.sqlite3'}")
    result = _manage("shell", "-c", REUSE_CONNECTION, env=env)

    assert result.returncode == 0, result.stderr
    assert "CONNECTIONS=1 MODE=wal SYNCHRONOUS=1" in result.stdout.splitlines(), result.stdout


def test_redis_url_selects_the_redis_cache_and_cached_db_sessions():
    """A REDIS_URL puts the cache (and with it the login rate limits) and sessions in Redis."""
    values = _settings(_production_env(REDIS_URL="redis://127.0.0.1:6379/0"))

    assert values["CACHE_BACKEND"] == "careerpath.redis_cache.RedisCache"  # Django's, one client a pool
    assert values["CACHE_LOCATION"] == "redis://127.0.0.1:6379/0"
    assert values["SESSION_ENGINE"] == "accounts.sessions"  # Django's cached_db, indexed by account
    # Sessions in a cache of their own: reads kept in each process, dropped when Redis says they changed.
    assert values["SESSION_CACHE_ALIAS"] == "sessions"
    assert values["SESSION_CACHE_BACKEND"] == "careerpath.redis_cache.TrackedRedisCache"


def test_without_redis_the_cache_and_sessions_live_in_the_database():
    """No per-process memory cache: without REDIS_URL, lock-out counters and sessions are in the
    database; sessions are read through a file cache every process on the machine shares."""
    values = _settings(_production_env())

    assert values["CACHE_BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["SESSION_ENGINE"] == "accounts.sessions"  # Django's cached_db, indexed by account
    assert (
        values["SESSION_CACHE_BACKEND"] == "careerpath.file_cache.KeptFileBasedCache"
    )  # Django's file cache, reads kept


def test_the_database_cache_is_shared_by_separate_processes(tmp_path):
    """After `createcachetable` (as `make run` and `make serve` do), what one process counts another reads."""
    env = _production_env(
        DJANGO_ENV=None, DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None,
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    )  # fmt: skip
    assert _manage("createcachetable", env=env).returncode == 0

    wrote = _manage("shell", "-c", "from django.core.cache import cache; cache.set('failures', 5)", env=env)
    read = _manage(
        "shell",
        "-c",
        "from django.core.cache import cache; print('READ=' + str(cache.get('failures')))",
        env=env,
    )

    assert wrote.returncode == 0, wrote.stderr
    assert "READ=5" in read.stdout.splitlines(), read.stderr


# --- e-mail verification (no account enumeration) -------------------------------------------------

PRINT_VERIFICATION = """
from django.conf import settings
print("VERIFICATION=" + settings.ACCOUNT_EMAIL_VERIFICATION + " " + str(settings.ACCOUNT_PREVENT_ENUMERATION))
"""


def test_production_makes_email_verification_mandatory_so_sign_up_reveals_no_account():
    """allauth keeps sign-up from telling which addresses have an account only with verification mandatory."""
    result = _manage("shell", "-c", PRINT_VERIFICATION, env=_production_env())

    assert result.returncode == 0, result.stderr
    assert "VERIFICATION=mandatory True" in result.stdout


@pytest.mark.parametrize("value", ["optional", "none"])
def test_production_refuses_email_verification_that_is_not_mandatory(value):
    """An ACCOUNT_EMAIL_VERIFICATION that would let sign-up enumerate accounts stops manage.py."""
    result = _manage("check", env=_production_env(ACCOUNT_EMAIL_VERIFICATION=value))

    assert result.returncode != 0
    assert "ACCOUNT_EMAIL_VERIFICATION=mandatory" in result.stderr


# --- mail ----------------------------------------------------------------------------------------

PRINT_MAIL = """
from django.conf import settings
print("MAIL=" + settings.EMAIL_BACKEND + " " + str(getattr(settings, "EMAIL_FILE_PATH", "")))
"""


def _mail_settings(env: dict[str, str]) -> tuple[str, str]:
    result = _manage("shell", "-c", PRINT_MAIL, env=env)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("MAIL="))
    backend, _, path = line.removeprefix("MAIL=").partition(" ")
    return backend, path


def test_production_refuses_to_start_without_a_mail_transport():
    """Without EMAIL_URL, manage.py stops and says how to set one (mail is never printed to the logs)."""
    result = _manage("check", env=_production_env(EMAIL_URL=None))

    assert result.returncode != 0
    assert "DJANGO_ENV=production needs EMAIL_URL" in result.stderr
    assert "EMAIL_URL=smtp+tls://" in result.stderr


@pytest.mark.parametrize("url", ["consolemail://", "memorymail://", "dummymail://"])
def test_production_refuses_a_mail_url_that_sends_nothing(url):
    """The console, memory and dummy backends are no transport: production refuses them."""
    result = _manage("check", env=_production_env(EMAIL_URL=url))

    assert result.returncode != 0
    assert "needs a real transport" in result.stderr


def test_production_sends_mail_through_the_configured_transport():
    """EMAIL_URL=smtp+tls://... selects the SMTP backend."""
    backend, _ = _mail_settings(_production_env())

    assert backend == "django.core.mail.backends.smtp.EmailBackend"


def test_development_writes_mail_to_the_outbox_folder():
    """Locally (no DJANGO_ENV, no EMAIL_URL), mail is written as files to outbox/, not to the console."""
    env = _production_env(DJANGO_ENV=None, DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None, EMAIL_URL=None)
    backend, path = _mail_settings(env)

    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert Path(path) == PROJECT_ROOT / "outbox"


def test_the_outbox_and_the_secret_key_file_are_ignored_by_git():
    """Mail written locally and `make serve`'s secret key never get committed."""
    ignored = (PROJECT_ROOT / ".gitignore").read_text().splitlines()

    assert "outbox/" in ignored
    assert ".secret_key" in ignored


# --- the secret key ------------------------------------------------------------------------------

OLD_MAKEFILE_KEY = "local-plain-http-serving-only-key-4c1e9a7f3b2d8e6051a9c7f4e2b8d0a6"
DEVELOPMENT_KEY = "dev-only-key-3f9c1b7e2a5d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9"


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("x" * 49, id="short"),
        pytest.param(OLD_MAKEFILE_KEY, id="old-makefile-default"),
        pytest.param(DEVELOPMENT_KEY, id="development-default"),
    ],
)
def test_production_refuses_a_short_or_published_secret_key(key):
    """A key under 50 characters, or one ever written in the repository, stops manage.py."""
    result = _manage("check", env=_production_env(DJANGO_SECRET_KEY=key))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be 50+ random characters" in result.stderr
    assert key not in result.stderr


def test_the_known_keys_list_holds_the_development_default():
    """The key development uses without DJANGO_SECRET_KEY is on the list production refuses."""
    from django.conf import settings

    assert {OLD_MAKEFILE_KEY, DEVELOPMENT_KEY} <= settings.KNOWN_SECRET_KEYS
    assert settings.DEVELOPMENT_SECRET_KEY == DEVELOPMENT_KEY


def test_the_makefile_writes_no_secret_key():
    """`make serve` reads its key from an ignored file made once per checkout, not from the Makefile."""
    makefile = (PROJECT_ROOT / "Makefile").read_text()

    assert OLD_MAKEFILE_KEY not in makefile
    assert "DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" in makefile
    assert "secrets.token_urlsafe(64)" in makefile
    assert "chmod 600" in makefile


# --- logs and error reports ----------------------------------------------------------------------

LOG_AN_ERROR = """
import logging
from django.test import RequestFactory
request = RequestFactory().post("/accounts/password/reset/key/1-abc-0123456789abcdef0123/", {"password": "hunter2"})
logging.getLogger("django.request").error("Internal Server Error: %s", request.path,
    extra={"status_code": 500, "request": request})
"""


def test_production_logs_one_json_object_per_line_to_standard_error():
    """An error is one JSON line on stderr: time, level, logger, message, path and status, no body."""
    result = _manage("shell", "-c", LOG_AN_ERROR, env=_production_env())

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert set(line) == {"time", "level", "logger", "message", "path", "status"}
    assert line["level"] == "ERROR"
    assert line["logger"] == "django.request"
    assert line["status"] == 500
    assert line["path"] == "/accounts/password/reset/key/[redacted]/"
    assert "0123456789abcdef" not in result.stderr
    assert "hunter2" not in result.stderr


PRINT_SENTRY = """
import sentry_sdk
client = sentry_sdk.get_client()
print("SENTRY=" + str(client.is_active()) + " " + str(client.options["send_default_pii"])
      + " " + str(client.options["max_request_body_size"])
      + " " + ",".join(sorted(client.integrations)))
"""


def test_sentry_starts_with_a_dsn_and_sends_no_personal_data():
    """With SENTRY_DSN, sentry-sdk runs with the Django integration, no personal data and no bodies."""
    env = _production_env(SENTRY_DSN="https://public@sentry.example.invalid/1")
    result = _manage("shell", "-c", PRINT_SENTRY, env=env)

    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SENTRY="))
    active, pii, body, integrations = line.removeprefix("SENTRY=").split(" ")
    assert (active, pii, body) == ("True", "False", "never")
    assert "django" in integrations.split(",")


def test_without_a_dsn_sentry_stays_off():
    """No SENTRY_DSN, no error reporting."""
    result = _manage("shell", "-c", PRINT_SENTRY, env=_production_env())

    assert result.returncode == 0, result.stderr
    assert "SENTRY=False" in result.stdout
