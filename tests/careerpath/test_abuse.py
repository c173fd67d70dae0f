"""Abuse: what an attacker, a hostile catalogue entry or a careless log line could do, and why it cannot.

The URL sweep (access rules of every page) is tests/careerpath/test_urls.py; this module reuses its table to check
the security headers of every page, and adds: private data never reaches anonymous visitors, the session
key changes at log-in, cookies are Secure/HttpOnly/SameSite in production, private pages are never
cached, hostile catalogue text is escaped in every page and export, logs hold no secret, and the error
page tells nothing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from http import HTTPStatus
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from icalendar import Calendar

from accounts.models import Profile
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, Result
from catalogue import services as catalogue_services
from catalogue.models import (
    CareerMilestone,
    Choice,
    LevelAnchor,
    Question,
    Resource,
    Role,
    Skill,
    SkillCategory,
)
from roadmap.models import RoadmapStep, StepProgress
from tests.accounts import factories as account_factories
from tests.careerpath.test_urls import ACCESS, POST_ONLY, owned, sample_args  # noqa: F401 (owned: the sweep's fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep_objects(request):
    """The URL sweep's objects (tests/careerpath/test_urls.py ``owned``): an assessment, a result and a step of ``user``."""
    return request.getfixturevalue("owned")


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Log-in attempts of one test never count against another."""
    cache.clear()
    yield
    cache.clear()


# --- anonymous visitors -------------------------------------------------------------------------

SECRET_NOTE = "my-secret-note-7f3a"
SECRET_NAME = "Secret Person 9c2e"


@pytest.fixture
def private_life(sweep_objects, user):
    """The owner of ``owned`` has a display name, a note and evidence that only they may see."""
    Profile.objects.filter(user=user).update(display_name=SECRET_NAME, city="Secretville")
    StepProgress.objects.create(
        user=user,
        key=sweep_objects["step"].key,
        status="done",
        notes=SECRET_NOTE,
        evidence=["https://secret.example"],
    )
    return sweep_objects


PRIVATE_READS = [
    ("result_detail", lambda o: [o["result"].pk]),
    ("roadmap_markdown", lambda o: []),
    ("roadmap_icalendar", lambda o: []),
    ("account_data", lambda o: []),
    ("roadmap", lambda o: []),
    ("progress", lambda o: []),
    ("dashboard", lambda o: []),
    ("profile", lambda o: []),
    ("assessment_step", lambda o: [o["assessment"].pk, 0]),
]


@pytest.mark.parametrize("name,args", PRIVATE_READS, ids=[name for name, _ in PRIVATE_READS])
def test_anonymous_visitors_are_sent_to_log_in_and_see_nothing_private(
    client, private_life, user, name, args
):
    """Results, exports, the data download and every private page redirect anonymous visitors, whatever they ask."""
    url = reverse(name, args=args(private_life))
    attempts = [
        client.get(url),
        client.head(url),
        client.get(url, HTTP_HX_REQUEST="true"),
        client.get(url, HTTP_ACCEPT="application/json"),
        client.get(url, {"format": "json", "user": user.pk}),
    ]
    for response in attempts:
        assert response.status_code == HTTPStatus.FOUND, name
        assert response["Location"].startswith(reverse("account_login")), name
        text = response.content.decode() + response["Location"]
        for secret in (SECRET_NOTE, SECRET_NAME, user.email, "Secretville", "secret.example"):
            assert secret not in text, (name, secret)


def test_after_logging_out_the_same_browser_sees_nothing_private(client, private_life, user):
    """Logging out ends access: the old session cookie opens no private page or download."""
    client.force_login(user)
    assert client.get(reverse("account_data")).status_code == HTTPStatus.OK
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    for name, args in PRIVATE_READS:
        for browser in (client, replay):
            response = browser.get(reverse(name, args=args(private_life)))
            assert response.status_code == HTTPStatus.FOUND, name
            assert SECRET_NOTE not in response.content.decode()


# --- cross-site requests and redirects ------------------------------------------------------------

# The language switch is the one POST without a CSRF token (it is on every page, public ones too,
# which then set no cookie): a forged cross-site post arrives without the session cookie (SameSite
# Lax or Strict, checked below), so it can only pick a display language for that browser.
CSRF_EXEMPT = {"set_language"}
CSRF_TARGETS = sorted(
    (POST_ONLY - CSRF_EXEMPT)
    | {"profile", "assessment_start", "assessment_step", "account_delete", "account_logout"}
)


@pytest.mark.parametrize("name", CSRF_TARGETS)
def test_a_cross_site_post_without_the_csrf_token_is_refused_and_changes_nothing(sweep_objects, user, name):
    """A form on another site cannot act for the person: without the CSRF token every POST is a 403."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = reverse(name, args=sample_args(name, sweep_objects))
    before = (Assessment.objects.count(), Result.objects.count(), StepProgress.objects.count())
    data = {
        "step": 0,
        "status": "done",
        "notes": "forged",
        "password": account_factories.PASSWORD,
        "confirm": "on",
    }
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}, {"HTTP_ORIGIN": "https://evil.example"}):
        response = client.post(url, data, **headers)
        assert response.status_code == HTTPStatus.FORBIDDEN, (name, headers)
    assert (Assessment.objects.count(), Result.objects.count(), StepProgress.objects.count()) == before
    assert client.get(reverse("dashboard")).status_code == HTTPStatus.OK  # still there, still logged in


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "\t//evil.example",
    ],
)
def test_log_in_never_redirects_to_another_site(client, user, target):
    """The ``next`` parameter of log-in cannot send the person to another site (no open redirect)."""
    response = client.post(
        f"{reverse('account_login')}?next={target}",
        {"login": user.email, "password": account_factories.PASSWORD, "next": target},
    )
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil.example" not in location


def test_password_reset_does_not_tell_who_has_an_account(client, user):
    """Asking a reset for a known and an unknown address gives the same answer."""
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody-here@example.org"})
    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"]


# --- sessions and cookies -----------------------------------------------------------------------


def log_in(client: Client, email: str, password: str = account_factories.PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def session_exists(key: str) -> bool:
    """Whether the session is stored (the settings' engine: in the database, read through the cache)."""
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_logging_in_rotates_the_session_key(client, user):
    """A session fixed before log-in (session fixation) is worthless afterwards: the key changes."""
    client.get(reverse("account_login"))
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    response = log_in(client, user.email)
    assert response.status_code == HTTPStatus.FOUND
    fresh = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert fresh and fresh != planted
    assert not session_exists(planted)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get(reverse("dashboard")).status_code == HTTPStatus.FOUND
    assert client.get(reverse("dashboard")).status_code == HTTPStatus.OK


def test_logging_out_ends_the_session_on_the_server(client, user):
    """After log-out the session is gone from the store, not only from the browser."""
    log_in(client, user.email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    assert not session_exists(key)


PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "abuse-test-only-" + "k3y" * 20,
    "DJANGO_ALLOWED_HOSTS": "careerpath.example.org",
    "EMAIL_URL": "smtp://localhost:25",
}
COOKIE_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


def production_settings(**overrides) -> dict:
    """The settings as a production process computes them from its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION_ENV | overrides
    env.pop("DATABASE_URL", None)
    script = (
        "import json; from django.conf import settings; import django; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "careerpath.settings"
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_make_cookies_secure_httponly_and_same_site():
    """DJANGO_ENV=production (defaults) sends cookies over HTTPS only, out of reach of scripts and other sites."""
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_the_production_configuration_passes_the_deploy_checks():
    """manage.py check --deploy finds nothing to warn about in the production posture."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION_ENV
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cookies_set_at_log_in_carry_the_production_flags(client, user):
    """Under the production cookie settings, the session and CSRF cookies the browser gets are flagged."""
    values = production_settings()
    flags = {name: values[name] for name in COOKIE_SETTINGS if name.startswith(("SESSION_", "CSRF_"))}
    with override_settings(**flags):
        page = client.get(reverse("account_login"), secure=True)
        csrf = page.cookies[settings.CSRF_COOKIE_NAME]
        response = log_in(client, user.email, secure=True)
        session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert response.status_code == HTTPStatus.FOUND
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["samesite"] == "Lax"


# --- headers on every page -----------------------------------------------------------------------


def assert_security_headers(response, what):
    policy = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("default-src") == ["'self'"], (what, policy)
    assert directives.get("script-src") == ["'self'"], (what, policy)
    assert directives.get("object-src") == ["'none'"], (what, policy)
    assert directives.get("frame-ancestors") == ["'none'"], (what, policy)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, what
    assert response.get("X-Frame-Options") == "DENY", what
    assert response.get("Referrer-Policy") == "same-origin", what
    assert response.get("X-Content-Type-Options") == "nosniff", what


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_every_page_of_the_sweep_sends_the_security_headers(client, sweep_objects, user, name):
    """CSP without inline script, no framing, same-origin referrers and nosniff: for visitors and owners alike."""
    url = reverse(name, args=sample_args(name, sweep_objects))
    assert_security_headers(client.get(url), (name, "anonymous GET"))
    client.force_login(user)
    if name in POST_ONLY:
        assert_security_headers(client.post(url), (name, "owner POST"))
    elif name != "account_logout":
        assert_security_headers(client.get(url), (name, "owner GET"))


def test_error_pages_send_the_security_headers_too(client, user):
    """A 404, a 405 and the admin's log-in page carry the same headers."""
    assert_security_headers(client.get("/no-such-page/"), "404")
    client.force_login(user)
    assert_security_headers(client.get(reverse("roadmap_replan")), "405")
    assert_security_headers(client.get("/no-such-page/"), "404 logged in")
    client.logout()
    assert_security_headers(client.get(reverse("admin:login")), "admin login")


def test_private_answers_are_never_stored_by_caches(client, sweep_objects, user):
    """Downloads, htmx fragments, redirects after a POST and 404s of a logged-in person are no-store."""
    client.force_login(user)
    step_url = reverse("roadmap_step", args=[sweep_objects["step"].key])
    responses = {
        "markdown": client.get(reverse("roadmap_markdown")),
        "icalendar": client.get(reverse("roadmap_icalendar")),
        "data": client.get(reverse("account_data")),
        "htmx step": client.post(step_url, {"status": "done", "notes": "n"}, HTTP_HX_REQUEST="true"),
        "plain step": client.post(step_url, {"status": "done", "notes": "n"}),
        "replan": client.post(reverse("roadmap_replan")),
        "404": client.get(reverse("result_detail", args=[sweep_objects["result"].pk + 1000])),
        "account email page": client.get(reverse("account_email")),
    }
    for what, response in responses.items():
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (what, cache_control)


# --- hostile catalogue content -------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
MARKDOWN = "[x](javascript:alert(1)) **bold** _em_ `tick`"
ICS = ";,\r\nBEGIN:VEVENT\r\n"
HOSTILE = f"{SCRIPT} {MARKDOWN} {ICS}end"
DISPLAY_NAME = f"{SCRIPT} {MARKDOWN}"  # display names hold 80 characters
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
BACKTICKED = "`<img src=x onerror=alert(1)>`"


@pytest.fixture
def hostile(small_catalogue):
    """Every catalogue text a person reads carries script, Markdown and iCalendar control text."""
    python = small_catalogue["python"]
    assert len(HOSTILE) <= 100
    Skill.objects.filter(pk=python.pk).update(name=HOSTILE, description=HOSTILE)
    SkillCategory.objects.filter(slug="programming").update(name=HOSTILE)
    Role.objects.update(name=HOSTILE)  # every role, so the person's own target carries it too
    for anchor in LevelAnchor.objects.filter(skill=python):
        anchor.description = f"{HOSTILE} level {anchor.level}"
        anchor.save()
    for question in Question.objects.filter(skill=python):
        question.prompt = f"{HOSTILE} {BACKTICKED} {question.key}"
        question.explanation = HOSTILE
        question.save()
    for choice in Choice.objects.filter(question__skill=python):
        choice.text = f"{HOSTILE} {BACKTICKED} {choice.label}"
        choice.save()
    Resource.objects.filter(skill=python).update(title=HOSTILE)
    CareerMilestone.objects.update(name=HOSTILE, description=HOSTILE)
    catalogue_services.refresh_catalogue_version()
    return small_catalogue


def assert_escaped(body: str, where: str) -> None:
    """The hostile text is on the page as text: escaped, never markup."""
    assert SCRIPT not in body, where
    assert "<img src=x" not in body, where
    assert ESCAPED_SCRIPT in body, f"{where}: the hostile text should be shown (escaped)"
    assert 'href="javascript:' not in body.lower(), where
    # Question text is Markdown (rendered and sanitised): emphasis may become <strong>; raw HTML never.


def quiz_data(page, index: int, *, level=1) -> dict:
    """The answers a person would give on a quiz page: a level for every skill, a choice for every check."""
    form = page.context["form"]
    data = {"step": index}
    for name in form.fields:
        if name.startswith("skill_"):
            data[name] = level
        elif name.startswith("answer_"):
            data[name] = form.fields[name].choices[0][0]
            data[f"certainty_{name[7:]}"] = "fairly_sure"
    return data


@pytest.fixture
def hostile_journey(hostile, client, user):
    """The person takes the whole assessment through the pages; every page they saw is kept."""
    Profile.objects.update_or_create(user=user, defaults={"display_name": DISPLAY_NAME})
    client.force_login(user)
    pages = {}
    client.post(reverse("assessment_start"))
    assessment = Assessment.objects.get(user=user)
    index = 0
    while True:
        assessment.refresh_from_db()  # rounds of checks end early once every skill is settled
        key = assessment.steps[index]
        url = reverse("assessment_step", args=[assessment.pk, index])
        page = client.get(url)
        assert page.status_code == HTTPStatus.OK, key
        pages[key] = page.content.decode()
        if key == "review":
            break
        assert client.post(url, quiz_data(page, index)).status_code == HTTPStatus.FOUND, key
        index += 1
    response = client.post(reverse("assessment_submit", args=[assessment.pk]))
    result = Result.objects.get(user=user)
    assert response.url == reverse("result_detail", args=[result.pk])
    return {"client": client, "pages": pages, "result": result, "assessment": assessment}


def test_hostile_catalogue_text_is_escaped_on_every_quiz_page(hostile_journey):
    """Ratings, checks and review pages show hostile skill names, prompts and choices as plain text."""
    pages = hostile_journey["pages"]
    assert {"rate:programming", "rate:ml-frameworks", "round:1", "review"} <= set(pages)
    for key in ("rate:programming", "round:1", "review"):
        assert_escaped(pages[key], key)
    assert "<code>&lt;img src=x onerror=alert(1)&gt;</code>" in pages["round:1"]


def test_hostile_catalogue_text_is_escaped_in_the_open_catalogue(client, hostile):
    """The public catalogue (index, skill page, role page) shows hostile names and anchors as text."""
    for url in (
        reverse("catalogue_index"),
        reverse("catalogue_skill", args=["python"]),
        reverse("catalogue_role", args=["data-scientist"]),
        reverse("catalogue_role", args=["machine-learning-engineer"]),
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert_escaped(response.content.decode(), url)


def chart_data(body: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S)
    assert match, element_id
    raw = match.group(1)
    assert "<" not in raw and ">" not in raw, "json_script must escape angle brackets"
    return json.loads(raw)


def test_hostile_catalogue_text_is_escaped_on_the_results_page_and_in_its_chart(hostile_journey):
    """The results page and the chart data (json_script) carry the hostile names as data, not markup."""
    body = hostile_journey["client"].get(hostile_journey["result"].get_absolute_url()).content.decode()
    assert_escaped(body, "results")
    assert HOSTILE in chart_data(body, "skill-chart-data")["labels"]


def test_hostile_role_names_are_escaped_in_the_progress_chart(hostile_journey):
    """The progress page's chart data names the hostile role as data."""
    body = hostile_journey["client"].get(reverse("progress")).content.decode()
    assert_escaped(body, "progress")
    labels = [series["label"] for series in chart_data(body, "readiness-chart-data")["series"]]
    assert any(label.startswith(HOSTILE) for label in labels)


def python_step(user) -> RoadmapStep:
    return RoadmapStep.objects.filter(user=user, key__startswith="skill:python:").order_by("position").first()


def test_hostile_catalogue_text_is_escaped_on_the_roadmap_and_its_htmx_fragment(hostile_journey, user):
    """The roadmap page and the htmx fragment of a saved step show hostile names, goals and notes as text."""
    client = hostile_journey["client"]
    assert_escaped(client.get(reverse("roadmap")).content.decode(), "roadmap")
    fragment = client.post(
        reverse("roadmap_step", args=[python_step(user).key]),
        {"status": "in_progress", "notes": HOSTILE, "evidence": "https://example.org/my-work"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == HTTPStatus.OK
    body = fragment.content.decode()
    assert_escaped(body, "htmx fragment")
    assert "<html" not in body  # a fragment, not a page
    assert_escaped(client.get(reverse("dashboard")).content.decode(), "dashboard")


# What starts inline markup anywhere in a line (code, emphasis, links, images, raw HTML, autolinks,
# strikethrough); `(`, `)`, `!`, `.`, `-` and `#` mid-line are ordinary text once `[`/`]` are escaped.
MARKDOWN_META = set("\\`*_[]<>~")


def unescape_markdown(text: str) -> str:
    """Drop backslash escapes; fail if a Markdown metacharacter was left unescaped or an escape was needless."""
    plain, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            assert text[index + 1] in MARKDOWN_META | {"#", "&"}, f"needless escape in {text!r}"
            plain.append(text[index + 1])
            index += 2
            continue
        assert char not in MARKDOWN_META, f"unescaped {char!r} in {text!r}"
        plain.append(char)
        index += 1
    return "".join(plain)


def test_hostile_text_is_escaped_in_the_markdown_export(hostile_journey, user):
    """Names, goals, notes and the title are escaped: no link, no bold, no raw HTML, one list item per step."""
    client = hostile_journey["client"]
    step = python_step(user)
    client.post(reverse("roadmap_step", args=[step.key]), {"status": "done", "notes": HOSTILE})
    text = client.get(reverse("roadmap_markdown")).content.decode()
    assert "[x](javascript:" not in text and "**bold**" not in text and "_em_" not in text
    items = [line for line in text.splitlines() if line.startswith("- [")]
    assert len(items) == RoadmapStep.objects.filter(user=user).count()
    flat = " ".join(HOSTILE.split())
    title = text.splitlines()[0]
    assert title.startswith("# ") and unescape_markdown(title[2:]).endswith(DISPLAY_NAME)
    names = [
        re.match(r"- \[[ x]\] (?:Milestone, [^*]*: )?\*\*(.*?(?<!\\))\*\*", line).group(1) for line in items
    ]
    assert any(unescape_markdown(name).startswith(flat) for name in names)  # "<name> 0 → 1"
    shown = {"  - Done looks like: ": [], "  - Notes: ": []}
    for line in text.splitlines():
        for label, texts in shown.items():
            if line.startswith(label):
                texts.append(unescape_markdown(line[len(label) :]))
        assert not line.startswith("BEGIN:VEVENT")
    for label, texts in shown.items():
        assert any(flat in plain for plain in texts), label


def test_evidence_links_cannot_break_out_of_their_markdown_autolink(client, sweep_objects, user):
    """An evidence link is exported as one autolink: it cannot end early and inject a Markdown link."""
    client.force_login(user)
    link = "https://example.org/x>[click](javascript:alert(1))"
    response = client.post(
        reverse("roadmap_step", args=[sweep_objects["step"].key]), {"status": "done", "evidence": link}
    )
    assert response.status_code == HTTPStatus.FOUND
    saved = StepProgress.objects.get(user=user, key=sweep_objects["step"].key).evidence
    text = client.get(reverse("roadmap_markdown")).content.decode()
    lines = [line for line in text.splitlines() if line.startswith("  - Evidence: ")]
    assert len(lines) == len(saved)  # refused by the form, or exported...
    for line in lines:  # ...as one autolink with nothing after it
        assert re.fullmatch(r"  - Evidence: <[^<>\s]+>", line), line


def unfolded_lines(body: bytes) -> list[bytes]:
    return body.replace(b"\r\n ", b"").split(b"\r\n")


def test_hostile_text_is_escaped_in_the_icalendar_export(hostile_journey, user):
    """One VEVENT per step whatever the names hold; the SUMMARY carries the name literally (CRLF as LF)."""
    body = hostile_journey["client"].get(reverse("roadmap_icalendar")).content
    steps = list(RoadmapStep.objects.filter(user=user))
    assert sum(1 for line in unfolded_lines(body) if line == b"BEGIN:VEVENT") == len(steps)
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == len(steps)
    summaries = sorted(str(event["SUMMARY"]) for event in events)
    expected = sorted(
        f"{'Milestone' if step.details.kind == 'milestone' else 'Study'}: {step.details.heading}".replace(
            "\r\n", "\n"
        )
        for step in steps
    )
    assert summaries == expected
    assert any(s.startswith(f"Study: {HOSTILE}".replace("\r\n", "\n")) for s in summaries)
    python = next(e for e in events if str(e["UID"]).startswith("skill-python-"))
    assert HOSTILE.replace("\r\n", "\n") in str(python["DESCRIPTION"])


# --- log-in lock-out ------------------------------------------------------------------------------


def test_five_failed_log_ins_lock_the_account_even_for_the_right_password(client, user):
    """After five wrong passwords the right one is refused too, for a while."""
    for _ in range(5):
        assert log_in(client, user.email, "wrong password").status_code == HTTPStatus.OK
    response = log_in(client, user.email)
    assert response.status_code != HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


def test_the_lock_out_cannot_be_dodged_by_varying_the_port_in_the_host_header(client, user):
    """The account lock-out counts attempts per account, whatever Host header each attempt names."""
    for port in range(1, 6):
        log_in(client, user.email, "wrong password", HTTP_HOST=f"testserver:{port}")
    response = log_in(client, user.email, HTTP_HOST="testserver:6")
    assert response.status_code != HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


# --- logs and the error page ----------------------------------------------------------------------


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    return caplog


def log_text(caplog) -> str:
    """What log handlers would write: every message with its traceback."""
    return caplog.text + "\n".join(record.getMessage() for record in caplog.records)


def test_a_failed_log_in_leaves_no_password_or_session_in_the_logs(client, user, all_logs):
    """Neither the wrong nor the right password, nor the session id, is logged when a log-in fails."""
    client.get(reverse("account_login"))
    wrong = "hunter2-but-much-longer"
    log_in(client, user.email, wrong)
    log_in(client, user.email)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    text = log_text(all_logs)
    for secret in (wrong, account_factories.PASSWORD, session_key):
        assert secret not in text


def test_a_password_reset_leaves_no_token_password_or_session_in_the_logs(client, user, all_logs):
    """Asking for a reset, opening the link and setting a password log neither the token nor the password."""
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/(\S+?)/)", mail.outbox[-1].body)
    path, key = link.group(1), link.group(2)
    token = key.split("-", 1)[1]
    opened = client.get(path)
    assert opened.status_code == HTTPStatus.FOUND
    new_password = "a new and quite long passphrase 77"
    done = client.post(opened.url, {"password1": new_password, "password2": new_password})
    assert done.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(new_password)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    text = log_text(all_logs)
    for secret in (token, key, new_password, session_key):
        assert secret not in text


@pytest.fixture
def broken_dashboard(monkeypatch):
    """The dashboard's profile lookup fails, as a database outage would make it."""

    def fail(*, user):
        raise RuntimeError("profile store unavailable: connection refused")

    monkeypatch.setattr(assessment_selectors, "dashboard_state", fail)


def test_a_server_error_logs_no_secret_and_shows_a_generic_page(user, broken_dashboard, all_logs):
    """A 500 shows the generic page (no traceback, no settings) and the log holds no password or session id."""
    client = Client(raise_request_exception=False)
    log_in(client, user.email)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf_token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = response.content.decode()
    assert "Something went wrong" in body
    for leak in (
        "Traceback",
        "RuntimeError",
        "profile store unavailable",
        "SECRET_KEY",
        settings.SECRET_KEY,
        "DATABASES",
        "settings.py",
        str(ROOT),
        user.email,
        session_key,
    ):
        assert leak not in body, leak
    assert_security_headers(response, "500")
    text = log_text(all_logs)
    assert "profile store unavailable" in text  # the error itself is logged for the operators
    for secret in (account_factories.PASSWORD, session_key, csrf_token):
        assert secret not in text
