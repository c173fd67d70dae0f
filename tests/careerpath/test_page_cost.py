"""What a page costs the server and the browser: no session query on a warm logged-in request (with
a shared cache), no session store touched for a visitor without a cookie, the layout's links worked
out once, pages compressed for browsers that accept gzip, and scripts that never block the page."""

from __future__ import annotations

import gzip
import json
import re
from http import HTTPStatus
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.templatetags.static import static
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Result
from careerpath import context_processors
from tests.accounts import factories as account_factories
from tests.assessments.journey import complete, start

pytestmark = pytest.mark.django_db

CACHED_DB = "accounts.sessions"  # the settings' engine: Django's cached_db, indexed by account
SESSION_TABLES = ("django_session", "accounts_session")
PUBLIC_PAGES = ["home", "catalogue_index", "how_we_score", "privacy", "healthz"]
SCRIPT = re.compile(r"<script\b([^>]*)>")


def session_queries(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if any(table in query["sql"] for table in SESSION_TABLES)
    ]


# --- sessions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["how_we_score", "healthz", "privacy"])
def test_a_warm_logged_in_request_reads_no_session_row(settings, user, url_name):
    """With sessions in a cache that is not the database (`cached_db` over Redis; the tests' local
    cache stands in for it without REDIS_URL), a logged-in page after the first reads the session
    from the cache: no session query, only the person's row where the page shows them."""
    settings.SESSION_ENGINE = CACHED_DB
    client = Client()
    client.force_login(user)
    client.get(reverse(url_name))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(url_name))

    assert response.status_code == HTTPStatus.OK
    assert session_queries(captured) == []
    # The person's row for a page that shows them; none for /healthz, which never looks.
    expected = 0 if url_name == "healthz" else 1
    assert len(captured.captured_queries) == expected, [q["sql"] for q in captured.captured_queries]
    assert response.wsgi_request.user == user


def test_logging_out_ends_a_cached_session_on_every_server(settings, shared_cache, user):
    """Log-out removes the session from the database and the shared cache: the old cookie is dead."""
    settings.SESSION_ENGINE = CACHED_DB
    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("dashboard")).status_code == HTTPStatus.OK

    client.post(reverse("account_logout"))

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(reverse("dashboard")).status_code == HTTPStatus.FOUND
    assert not import_module(CACHED_DB).SessionStore().exists(key)


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_a_visitor_without_a_cookie_touches_no_session_store(client, monkeypatch, url_name):
    """No session cookie, no session to read: the public pages never ask the session store, set no
    cookie and stay cacheable (not private, not no-store)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def refuse(*args, **kwargs):
        raise AssertionError("the session store was asked")

    for method in ("load", "exists", "save", "create"):
        monkeypatch.setattr(store, method, refuse)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(url_name))

    assert response.status_code == HTTPStatus.OK
    assert session_queries(captured) == []
    assert not response.cookies, sorted(response.cookies)
    cache_control = response.get("Cache-Control", "")
    assert "private" not in cache_control and "no-store" not in cache_control


def test_a_logged_in_persons_health_check_loads_no_user_and_keeps_their_language(user_client, user):
    """The language middleware reads whether someone is logged in from the session: a view that never
    looks at the person (/healthz) costs no user query, and the saved language still applies."""
    user_client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    user_client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as captured:
        response = user_client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert [q["sql"] for q in captured.captured_queries if "accounts_user" in q["sql"]] == []
    page = user_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="hi">' in page


# --- the layout's links --------------------------------------------------------------------------


def test_the_layout_links_are_those_of_the_url_and_static_tags(client):
    """Every navigation, footer, stylesheet and script link of the layout is where Django puts it."""
    visitor = client.get(reverse("how_we_score")).content.decode()
    client.force_login(account_factories.UserFactory(is_staff=True))
    page = visitor + client.get(reverse("how_we_score")).content.decode()

    for url_name in context_processors.LAYOUT_URLS.values():
        url = reverse(url_name)
        assert f'href="{url}"' in page or f'action="{url}"' in page, url_name
    for path in context_processors.LAYOUT_STATIC.values():
        assert f'"{static(path)}"' in page, path


def test_the_layout_links_are_worked_out_once(client, user, monkeypatch):
    """After the first page, the layout reverses no URL and looks up no static file."""
    client.force_login(user)
    client.get(reverse("how_we_score"))
    calls = []
    monkeypatch.setattr(context_processors, "reverse", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(context_processors, "static", lambda *a, **k: calls.append(a))

    for url_name in ("how_we_score", "privacy", "catalogue_index"):
        assert client.get(reverse(url_name)).status_code == HTTPStatus.OK

    assert calls == []


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_kept_header_shows_each_visitor_their_own_links_token_and_path(user):
    """The header is rendered once per language and kind of visitor, but what it shows is each
    request's own: the admin link only for staff, a log-out token that works for this session, and
    the language switch coming back to this page (its query escaped)."""
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(account_factories.UserFactory(is_staff=True))
    person = Client(enforce_csrf_checks=True)
    person.force_login(user)
    visitor = Client()
    admin_link = f'href="{reverse("admin:index")}"'
    path = reverse("how_we_score") + '?from=<b>&quote="x"'

    for _round in range(2):  # the second round is served from what the first kept
        staff_page = staff.get(path).content.decode()
        person_page = person.get(path).content.decode()
        visitor_page = visitor.get(path).content.decode()
        assert admin_link in staff_page and admin_link not in person_page + visitor_page
        for page in (staff_page, person_page, visitor_page):
            assert 'name="next" value="/how-we-score/?from=%3Cb%3E&amp;quote=%22x%22"' in page
        assert TOKEN.search(visitor_page) is None and "csrftoken" not in visitor.cookies

    # The log-out form's token is this session's own: posting it logs this person out.
    token = TOKEN.search(person.get(reverse("how_we_score")).content.decode()).group(1)
    assert (
        person.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == HTTPStatus.FOUND
    )
    assert person.get(reverse("dashboard")).status_code == HTTPStatus.FOUND  # to the log-in page
    token = TOKEN.search(staff.get(reverse("how_we_score")).content.decode()).group(1)
    assert (
        staff.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == HTTPStatus.FOUND
    )


# --- compression -----------------------------------------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True])
def test_pages_are_gzip_compressed_for_browsers_that_accept_it(client, user, logged_in):
    """Accept-Encoding: gzip gets a gzip body (much smaller) that decodes to the page; Vary says so."""
    if logged_in:
        client.force_login(user)
    url = reverse("how_we_score")
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    page = gzip.decompress(packed.content).decode()
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<h1" in page


def test_compressed_pages_vary_in_length_against_breach(client):
    """Django pads each compressed response with a random-length header (Heal The BREACH), so the
    same page does not compress to the same length every time."""
    url = reverse("how_we_score")
    lengths = {len(client.get(url, headers={"Accept-Encoding": "gzip"}).content) for _ in range(12)}

    assert len(lengths) > 1


def test_exports_download_compressed_and_whole(user_client, user, small_catalogue):
    """The calendar, Markdown and data downloads decode to the same bytes as without compression."""
    complete(user_client, start(user_client), {"python": 0, "sql": 0, "scikit-learn": 0, "pytorch": 0})
    for url_name in ("roadmap_icalendar", "roadmap_markdown", "account_data"):
        url = reverse(url_name)
        plain = user_client.get(url)
        packed = user_client.get(url, headers={"Accept-Encoding": "gzip"})

        assert plain.status_code == packed.status_code == HTTPStatus.OK, url_name
        assert packed["Content-Encoding"] == "gzip", url_name
        assert packed["Content-Disposition"] == plain["Content-Disposition"], url_name
        body = gzip.decompress(packed.content)
        if url_name == "account_data":  # carries the time it was made
            assert json.loads(body).keys() == json.loads(plain.content).keys()
        elif url_name == "roadmap_icalendar":  # each event carries the second it was made (DTSTAMP)
            stamp = re.compile(rb"^DTSTAMP:.*$", re.M)
            assert stamp.sub(b"", body) == stamp.sub(b"", plain.content), url_name
        else:
            assert body == plain.content, url_name


# --- scripts ---------------------------------------------------------------------------------------


def scripts(page: str) -> list[str]:
    return [attributes for attributes in SCRIPT.findall(page) if 'type="application/json"' not in attributes]


def test_every_script_is_deferred_and_none_is_inline(user_client, user, small_catalogue):
    """Scripts load without holding up the page (defer), and all come from files (CSP 'self')."""
    complete(user_client, start(user_client), {"python": 1, "sql": 1, "scikit-learn": 0, "pytorch": 0})
    result = Result.objects.get(user=user)
    urls = [reverse(name) for name in ("how_we_score", "dashboard", "roadmap", "progress", "profile")]
    for url in [*urls, reverse("result_detail", args=[result.pk])]:
        response = user_client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        found = scripts(response.content.decode())
        assert found, url
        for attributes in found:
            assert "src=" in attributes and re.search(r"\bdefer\b", attributes), (url, attributes)


def test_chart_code_loads_only_where_a_chart_is_drawn(user_client, user, small_catalogue):
    """No result yet: the progress page draws no chart and loads no chart code. After one: it does,
    and so does the result page."""
    chart_js = static("vendor/chartjs/chart.umd.min.js")
    empty = user_client.get(reverse("progress")).content.decode()
    assert "<canvas" not in empty and chart_js not in empty
    assert chart_js not in user_client.get(reverse("how_we_score")).content.decode()

    complete(user_client, start(user_client), {"python": 1, "sql": 1, "scikit-learn": 0, "pytorch": 0})
    progress = user_client.get(reverse("progress")).content.decode()
    assert "<canvas" in progress and chart_js in progress
    result = Result.objects.get(user=user)
    page = user_client.get(reverse("result_detail", args=[result.pk])).content.decode()
    assert "<canvas" in page and chart_js in page


# --- page bodies kept in each process -----------------------------------------------------------


def test_a_result_page_seen_before_is_served_from_this_processs_copy(shared_cache, small_catalogue, user):
    """A result's body is rendered once, kept in the shared cache, and each process keeps a copy:
    a repeat visit costs only the query that checks the result is the visitor's, and a process
    without a copy reads the shared one instead of rendering it again."""
    client = Client()
    client.force_login(user)
    complete(client, start(client), {"python": 2, "sql": 1, "scikit-learn": 1, "pytorch": 0})
    result = Result.objects.get(user=user)
    url = reverse("result_detail", args=[result.pk])
    first = client.get(url)
    assert "assessments/result_body.html" in [t.name for t in first.templates]

    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert without_tokens(again.content) == without_tokens(first.content)
    assert "assessments/result_body.html" not in [t.name for t in again.templates]
    read = [query["sql"] for query in captured.captured_queries]
    assert not any("careerpath_cache" in sql for sql in read), read  # no read of the shared cache
    assert len([sql for sql in read if '"assessments_result"' in sql]) == 1, read  # whose result it is

    caches["pages"].clear()  # another process, which has not served this result yet
    elsewhere = client.get(url)
    assert "assessments/result_body.html" not in [t.name for t in elsewhere.templates]  # not rendered again
    assert without_tokens(elsewhere.content) == without_tokens(first.content)


def without_tokens(html: bytes) -> bytes:
    """A page without its CSRF tokens (masked afresh on every request)."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"", html)
