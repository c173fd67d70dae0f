"""Two app servers behind one address: a person may land on either, and a lock-out holds on both.

PostgreSQL and Redis only. Two gunicorn servers run the production settings on plain HTTP (as
``make serve`` does) against the test database and one Redis, like two machines behind a load balancer.
A real HTTP client (urllib with a cookie jar) logs in through one server and carries on through the other.

The production settings store static files in the manifest storage under ``STATIC_ROOT``, which the
settings fix at ``<project>/staticfiles`` (no environment variable overrides it). So that this test
writes nothing into the project tree, the servers run a settings module made in a temporary folder
that imports the project's settings and only moves ``STATIC_ROOT`` there; collectstatic fills it first.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.db import connection

from assessments.models import Assessment, SelfRating
from tests.accounts import factories as account_factories
from tests.module_data import FAST_HASHERS
from tests.redis_server import REDIS_HOST, REDIS_PORT, redis_answers

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 14
GUNICORN = [sys.executable, "-m", "gunicorn", "careerpath.wsgi", "--workers", "2", "--timeout", "60"]
SECRET_KEY = "multiserver-test-only-" + "5e7a9c1b3d" * 5


@pytest.fixture(autouse=True)
def production_passwords(settings):
    """The servers are processes of their own with the production hashers: the people made here
    get passwords those can check (the rest of the suite hashes with MD5, tests/module_data.py)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS[1:]


pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs DATABASE_URL=postgres://...: the servers share the test database",
    ),
    pytest.mark.skipif(not redis_answers(), reason=f"needs Redis on {REDIS_HOST}:{REDIS_PORT}"),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path


def database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "postgres")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until_up(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == HTTPStatus.OK:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{server.name} did not answer within {seconds} s:\n{server.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Servers A and B: production settings, the test database, one Redis, a cache prefix of their own."""
    folder = tmp_path_factory.mktemp("multiserver")
    (folder / "multiserver_settings.py").write_text(
        f"from careerpath.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(folder / 'static')!r}\n"
    )
    with django_db_blocker.unblock():
        db_url = database_url()
    prefix = f"careerpath-multiserver-{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "DATABASE_"))}
    env |= {
        "DJANGO_ENV": "production",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "EMAIL_URL": "smtp://localhost:25",
        "DATABASE_URL": db_url,
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "DJANGO_CACHE_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "multiserver_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    started: list[Server] = []
    try:
        for name in ("A", "B"):
            port = free_port()
            log = folder / f"server-{name}.log"
            process = subprocess.Popen(
                [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            started.append(Server(name, f"http://127.0.0.1:{port}", process, log))
        for server in started:
            wait_until_up(server)
        yield {"A": started[0], "B": started[1], "prefix": prefix}
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=15)
        forget(prefix)


def forget(prefix: str) -> None:
    """Delete the servers' cache entries (rate limits, sessions) from Redis."""
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def the_site():
    """The site row as the migrations leave it, in every test. A transactional test's flush leaves
    Django's default example.com behind instead, while each server worker keeps the site it read
    first (django.contrib.sites caches it per process); the login lock-out counts a person's
    failures under a key that names the site, so two workers holding different rows counted them
    under two keys, and the lock-out tests failed about half the time."""
    Site.objects.update_or_create(pk=1, defaults={"domain": "careerpath", "name": "careerpath"})


@pytest.fixture
def clean_cache(servers):
    """Every test starts with no rate-limit history (all requests come from 127.0.0.1)."""
    forget(servers["prefix"])
    yield
    forget(servers["prefix"])


@dataclass
class Reply:
    status: int
    location: str
    body: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """A person's browser: one cookie jar, whichever server answers."""

    def __init__(self, host: str | None = None):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects)
        self.host = host  # the Host header a load balancer would pass on, if set

    def request(self, url: str, data: dict | None = None) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if self.host:
            request.add_header("Host", self.host)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Reply(response.status, response.headers.get("Location", ""), response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers.get("Location", ""), error.read().decode())

    def form(self, url: str, fields: dict) -> Reply:
        """GET the page for its CSRF token, then POST the form to it."""
        page = self.request(url)
        assert page.status == HTTPStatus.OK, (url, page.status, page.body[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        return self.request(url, {"csrfmiddlewaretoken": token, **fields})

    def log_in(self, server: Server, email: str, password: str) -> Reply:
        return self.form(f"{server.url}/accounts/login/", {"login": email, "password": password})

    def logged_in_on(self, server: Server) -> bool:
        reply = self.request(f"{server.url}/dashboard/")
        return reply.status == HTTPStatus.OK


def test_a_person_logs_in_on_one_server_and_takes_the_quiz_on_the_other(
    servers, clean_cache, small_catalogue
):
    """Log in through A, start the assessment and save the first ratings page through B, then resume on A."""
    a, b = servers["A"], servers["B"]
    person = account_factories.UserFactory()
    browser = Browser()
    reply = browser.log_in(a, person.email, account_factories.PASSWORD)
    assert reply.status == HTTPStatus.FOUND and reply.location.endswith("/dashboard/"), reply.body[:500]
    assert browser.logged_in_on(b)

    started = browser.form(f"{b.url}/assessment/", {})
    assert started.status == HTTPStatus.FOUND, started.body[:500]
    assessment = Assessment.objects.get(user=person, status=Assessment.Status.IN_PROGRESS)
    first_page = f"/assessment/{assessment.pk}/step/0/"
    assert started.location.endswith(first_page)

    page = browser.request(f"{b.url}{first_page}")
    skills = sorted(set(re.findall(r'name="(skill_\d+)"', page.body)))
    assert len(skills) == 2, page.body[:500]
    saved = browser.form(f"{b.url}{first_page}", {"step": "0", "next": "", **dict.fromkeys(skills, "2")})
    assert saved.status == HTTPStatus.FOUND, saved.body[:800]
    assert saved.location.endswith(f"/assessment/{assessment.pk}/step/1/")
    assert list(SelfRating.objects.filter(assessment=assessment).values_list("level", flat=True)) == [2, 2]
    assessment.refresh_from_db()
    assert assessment.furthest_step == 1

    resumed = browser.request(f"{a.url}/assessment/{assessment.pk}/step/1/")
    assert resumed.status == HTTPStatus.OK
    assert "rate yourself" in resumed.body  # the second area's ratings page, on the other server


def lock_out_attempts(servers, browser: Browser, email: str) -> None:
    for attempt in range(5):
        server = servers["AB"[attempt % 2]]
        reply = browser.log_in(server, email, "not the password at all")
        assert reply.status == HTTPStatus.OK, (server.name, reply.status)
        assert not browser.logged_in_on(server)


def test_five_failures_across_both_servers_lock_the_account_on_both(servers, clean_cache, small_catalogue):
    """Five wrong passwords, alternately through A and B, lock the account: the right one is refused on both."""
    person = account_factories.UserFactory()
    browser = Browser(host="127.0.0.1")  # one public host name, as behind a load balancer
    lock_out_attempts(servers, browser, person.email)
    for name in ("A", "B"):
        reply = browser.log_in(servers[name], person.email, account_factories.PASSWORD)
        assert reply.status != HTTPStatus.FOUND, name
        assert "Too many failed login attempts" in reply.body, name
        assert not browser.logged_in_on(servers[name])


def test_the_lock_out_holds_whatever_host_and_port_each_server_is_reached_by(
    servers, clean_cache, small_catalogue
):
    """Five failures spread over two servers lock the account even when each is reached by its own address."""
    person = account_factories.UserFactory()
    browser = Browser()
    lock_out_attempts(servers, browser, person.email)
    for name in ("A", "B"):
        reply = browser.log_in(servers[name], person.email, account_factories.PASSWORD)
        assert reply.status != HTTPStatus.FOUND, name


def test_logging_out_on_one_server_ends_the_session_on_the_other_at_once(
    servers, clean_cache, small_catalogue
):
    """Each server's workers keep the sessions they read (careerpath/redis_cache.py): a log-out through
    A must end the session on B's workers at once, also for a copy of the cookie kept elsewhere."""
    a, b = servers["A"], servers["B"]
    person = account_factories.UserFactory()
    browser = Browser()
    reply = browser.log_in(a, person.email, account_factories.PASSWORD)
    assert reply.status == HTTPStatus.FOUND, reply.body[:500]
    copy = Browser()  # the same session cookie, in another browser (a stolen cookie, say)
    for cookie in browser.jar:
        copy.jar.set_cookie(cookie)
    for _ in range(6):  # both of B's workers have read (and kept) the session
        assert copy.logged_in_on(b)

    out = browser.form(f"{a.url}/accounts/logout/", {})
    assert out.status == HTTPStatus.FOUND, out.body[:500]

    for server in (b, b, b, b, a, a):
        reply = copy.request(f"{server.url}/dashboard/")
        assert reply.status == HTTPStatus.FOUND and "/accounts/login/" in reply.location, (
            server.name,
            reply.status,
        )
