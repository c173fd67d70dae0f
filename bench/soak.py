"""Soak run of careerpath (`make soak`; see bench/README.md, "Soak run").

Two gunicorn servers (2 workers each) run the production settings on plain HTTP against one new
PostgreSQL database and one Redis database, as two machines behind a load balancer would. After
`migrate` and `load_catalogue`, SOAK_PEOPLE simulated people (threads, urllib with a cookie jar
each) use the site for SOAK_MINUTES through both servers in turn: some sign up (and choose their
target through the onboarding pages), the others already have an account and log in; then each
takes an assessment through the real quiz pages (GET a page, read its form, POST answers),
ticks roadmap steps with notes, logs study time, reads their pages, and now and then logs out and
back in or starts a retake. Sign-ups and log-ins are paced under allauth's per-address limits
(all the traffic comes from 127.0.0.1), as a population arriving over a minute or two would be.

It reports every failed request (not 200/302, or a socket error; target 0), p50/p95 latency per
page, and each server's memory (RSS of the gunicorn master and its workers from /proc) after the
warm-up and at the end (target: growth under 10%), prints the table and writes it to
bench/results/soak-<time>.md and .json. Everything it starts (the servers, the temporary folder,
the database, its Redis keys) is removed at the end, also on failure or Ctrl-C.

Knobs: SOAK_MINUTES (default 30, warm-up included), SOAK_WARMUP_MINUTES (default 2),
SOAK_PEOPLE (default 50), SOAK_THINK_SECONDS (mean pause between a person's requests, default 2),
BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), SOAK_REDIS_URL (default
redis://127.0.0.1:6379/13).
"""

from __future__ import annotations

import email
import email.policy
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from run import CLEANUP, PG_URL, bench_env, commit, free_port, postgres_available

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
WARMUP_MINUTES = float(os.environ.get("SOAK_WARMUP_MINUTES", "2"))
PEOPLE = int(os.environ.get("SOAK_PEOPLE", "50"))
THINK_SECONDS = float(os.environ.get("SOAK_THINK_SECONDS", "2"))
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "soak-password-not-secret-7391"
RETURNING_SHARE = 0.56  # people with an account before the run; the others sign up
# allauth allows 20 sign-ups and 30 log-ins a minute from one address; stay under both.
SIGNUP_INTERVAL = 3.4
LOGIN_INTERVAL = 2.3
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
RESUME_LINK = re.compile(r'href="(/assessment/\d+/step/\d+/)"[^>]*>Resume<')
MEMORY_TARGET = 0.10
MEMORY_SAMPLE_SECONDS = 30
REQUEST_TIMEOUT = 60


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- forms -----------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict] = field(default_factory=list)  # each: tag, type, name, value, checked
    options: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # select name -> options
    buttons: list[dict] = field(default_factory=list)

    def radio_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for item in self.inputs:
            if item["type"] == "radio":
                groups[item["name"]].append(item["value"])
        return dict(groups)

    def fields(
        self, rng: random.Random, button: str | None = None, **overrides: str
    ) -> list[tuple[str, str]]:
        """What a browser sends: kept values, a random pick for every unanswered radio group."""
        out: list[tuple[str, str]] = []
        radios: dict[str, list[dict]] = defaultdict(list)
        for item in self.inputs:
            name, kind = item["name"], item["type"]
            if not name or name in overrides:
                continue
            if kind == "radio":
                radios[name].append(item)
            elif kind == "checkbox":
                if item["checked"]:
                    out.append((name, item["value"] or "on"))
            elif kind == "select":
                options = self.options.get(name, [])
                chosen = [value for value, selected in options if selected]
                if not chosen:
                    chosen = [next((value for value, _s in options if value), "")]
                out += [(name, value) for value in chosen]
            elif kind not in {"submit", "button", "reset", "file", "image"}:
                out.append((name, item["value"]))
        for name, group in radios.items():
            checked = [item["value"] for item in group if item["checked"]]
            out.append((name, checked[0] if checked else rng.choice(group)["value"]))
        out += list(overrides.items())
        if button is not None:
            match = next((b for b in self.buttons if b["name"] == button), None)
            if match is not None:
                out.append((match["name"], match["value"]))
        return out


class FormParser(HTMLParser):
    """The forms of a page: inputs, selects with their options, textareas and submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            item = {
                "type": kind,
                "name": a.get("name", ""),
                "value": a.get("value", ""),
                "checked": "checked" in a,
            }
            if kind in {"submit", "image"}:
                self.form.buttons.append(item)
            else:
                self.form.inputs.append(item)
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self.form.buttons.append({"name": a.get("name", ""), "value": a.get("value", "")})
        elif tag == "select":
            self.select = a.get("name", "")
            self.form.inputs.append({"type": "select", "name": self.select, "value": "", "checked": False})
            self.form.options[self.select] = []
        elif tag == "option" and self.select is not None:
            self.form.options[self.select].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea = {"type": "textarea", "name": a.get("name", ""), "value": "", "checked": False}
            self.form.inputs.append(self.textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["value"] += data


def forms_of(body: str) -> list[Form]:
    parser = FormParser()
    parser.feed(body)
    return parser.forms


# --- mail --------------------------------------------------------------------------------------


class Mailbox:
    """The messages the servers sent, by recipient, for people to read their confirmation links."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.messages: dict[str, list[str]] = defaultdict(list)

    def deliver(self, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        text = "\n".join(
            part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"
        )
        with self.condition:
            for recipient in recipients:
                self.messages[recipient.lower()].append(text)
            self.condition.notify_all()

    def wait_for(self, address: str, pattern: re.Pattern[str], stop: threading.Event) -> str | None:
        """The first match of ``pattern`` in a message to ``address``, waiting up to 60 s for it."""
        deadline = time.monotonic() + 60
        with self.condition:
            while not stop.is_set() and time.monotonic() < deadline:
                for text in self.messages.get(address.lower(), []):
                    if found := pattern.search(text):
                        return found.group(0)
                self.condition.wait(timeout=1)
        return None


class SMTPSink(socketserver.ThreadingTCPServer):
    """A local SMTP server that keeps every message in a Mailbox (production refuses console mail)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        super().__init__(("127.0.0.1", 0), SMTPHandler)


class SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        recipients: list[str] = []
        self.wfile.write(b"220 soak sink\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 soak sink\r\n")
            elif verb == b"MAIL":
                recipients = []
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 end with .\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.mailbox.deliver(recipients, b"".join(lines))  # type: ignore[attr-defined]
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


# --- people ------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    body: str
    url: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Stats:
    """Latencies per page and every failure, shared by the people's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.flow: dict[str, int] = defaultdict(int)  # things people did, for the report

    def record(self, page: str, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.latency[page].append(seconds)
            if failure is not None:
                self.errors[page] += 1
                if len(self.samples) < 20:
                    self.samples.append(f"{time.strftime('%H:%M:%S')} {page}: {failure}")

    def did(self, what: str) -> None:
        with self.lock:
            self.flow[what] += 1


class Gate:
    """At most one pass every `interval` seconds, across every thread (a client-side rate limit)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.lock = threading.Lock()
        self.next = 0.0

    def wait(self, stop: threading.Event) -> bool:
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next)
            self.next = slot + self.interval
        return not stop.wait(slot - now)


PAGE_PATTERNS = [
    (re.compile(r"^/assessment/\d+/step/\d+/$"), "quiz page"),
    (re.compile(r"^/assessment/\d+/submit/$"), "quiz submit"),
    (re.compile(r"^/results/\d+/$"), "result"),
    (re.compile(r"^/accounts/confirm-email/[^/]+/$"), "confirm e-mail (the link)"),
    (re.compile(r"^/roadmap/step/[^/]+/log/$"), "roadmap: log study time"),
    (re.compile(r"^/roadmap/step/[^/]+/$"), "roadmap: mark a step"),
]


def page_name(method: str, path: str) -> str:
    for pattern, name in PAGE_PATTERNS:
        if pattern.match(path):
            return f"{method} {name}"
    return f"{method} {path}"


class Person(threading.Thread):
    """One simulated person: a browser (cookie jar) that alternates between the two servers."""

    def __init__(self, number: int, email: str, returning: bool, run: Run) -> None:
        super().__init__(name=f"person-{number}", daemon=True)
        self.number, self.email, self.returning, self.run_ = number, email, returning, run
        self.rng = random.Random(number)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects)
        self.turn = number % 2
        self.has_result = False
        self.result_path = ""
        self.quiz_path = ""  # the page to go on with when an assessment is under way

    # HTTP ---------------------------------------------------------------------------------

    def request(self, path: str, data: list[tuple[str, str]] | None = None, htmx: bool = False) -> Reply:
        # Whatever server a link or redirect names, the next request goes to the other one.
        base = self.run_.servers[self.turn]
        self.turn = 1 - self.turn
        parts = urllib.parse.urlsplit(path)
        url = base + parts.path + (f"?{parts.query}" if parts.query else "")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if htmx:
            request.add_header("HX-Request", "true")
        method = "POST" if body is not None else "GET"
        name = page_name(method, urllib.parse.urlsplit(url).path)
        started = time.perf_counter()
        failure = None
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                reply = Reply(
                    response.status, response.headers.get("Location", ""), response.read().decode(), url
                )
        except urllib.error.HTTPError as error:
            reply = Reply(
                error.code, error.headers.get("Location", ""), error.read().decode(errors="replace"), url
            )
        except OSError as error:
            reply = Reply(0, "", "", url)
            failure = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        if failure is None and reply.status not in (200, 302):
            failure = f"HTTP {reply.status} for {method} {urllib.parse.urlsplit(url).path}"
        self.run_.stats.record(name, elapsed, failure)
        return reply

    def get(self, path: str) -> Reply:
        return self.request(path)

    def follow(self, reply: Reply, hops: int = 4) -> Reply:
        """Follow redirects with GETs, as a browser does."""
        while reply.status == 302 and reply.location and hops:
            reply = self.get(urllib.parse.urljoin(reply.url, reply.location))
            hops -= 1
        return reply

    def submit(
        self, page: Reply, match=None, button: str | None = None, htmx: bool = False, **overrides: str
    ) -> Reply | None:
        """Fill and POST the first POST form of `page` that `match` accepts; None when there is none."""
        for form in forms_of(page.body):
            if form.method != "post" or "logout" in form.action:
                continue
            if match is not None and not match(form):
                continue
            target = urllib.parse.urljoin(page.url, form.action or urllib.parse.urlsplit(page.url).path)
            return self.request(
                urllib.parse.urlsplit(target).path, form.fields(self.rng, button, **overrides), htmx
            )
        return None

    def pause(self) -> bool:
        """Think before the next request; False once the run is over."""
        return not self.run_.stop.wait(self.rng.expovariate(1 / THINK_SECONDS))

    # What people do ---------------------------------------------------------------------------

    def arrive(self) -> bool:
        arrived = self.log_in() if self.returning else self.sign_up()
        if arrived:
            self.run_.stats.did("arrived")
        return arrived

    def sign_up(self) -> bool:
        if not self.run_.signup_gate.wait(self.run_.stop):
            return False
        page = self.get("/accounts/signup/")
        reply = self.submit(page, email=self.email, password1=PASSWORD, password2=PASSWORD)
        if reply is None or reply.status != 302:
            self.run_.stats.record("sign-up refused", 0.0, "the sign-up form came back")
            return False
        self.follow(reply)  # "we have sent you an e-mail"
        self.run_.stats.did("signed up")
        # Production makes people confirm their address; the link's page has a form to confirm.
        link = self.run_.mailbox.wait_for(self.email, CONFIRM_LINK, self.run_.stop)
        if link is None:
            self.run_.stats.record("confirmation e-mail", 0.0, f"no confirmation e-mail for {self.email}")
            return False
        page = self.get(urllib.parse.urlsplit(link).path)
        reply = self.submit(page)
        if reply is None or reply.status != 302:
            self.run_.stats.record("confirmation refused", 0.0, "the confirmation page came back")
            return False
        self.run_.stats.did("addresses confirmed")
        self.onboard(self.follow(reply))
        return True

    def onboard(self, landed: Reply) -> None:
        """Choose a target (role, level, hours), then the choices, keeping what the forms offer."""
        for _ in range(2):
            if "/welcome/" not in landed.url:
                break
            reply = self.submit(landed)
            if reply is None:
                break
            landed = self.follow(reply)
        self.run_.stats.did("onboarded")

    def log_in(self) -> bool:
        if not self.run_.login_gate.wait(self.run_.stop):
            return False
        page = self.get("/accounts/login/")
        reply = self.submit(page, login=self.email, password=PASSWORD)
        if reply is None or reply.status != 302:
            self.run_.stats.record("log-in refused", 0.0, "the log-in form came back")
            return False
        self.run_.stats.did("logged in")
        self.follow(reply)
        return True

    def log_out(self) -> None:
        page = self.get("/dashboard/")
        reply = None
        for form in forms_of(page.body):
            if "logout" in form.action:
                reply = self.request(form.action, form.fields(self.rng))
                break
        if reply is not None:
            self.follow(reply)
            self.run_.stats.did("logged out")

    def quiz_step(self) -> None:
        """One page of the assessment: start it, answer the page in view, or submit at the review."""
        if not self.quiz_path:
            start = self.follow(self.get("/assessment/"))
            if "/welcome/" in start.url:  # no target chosen yet: the start page sends people there
                self.onboard(start)
                return
            resume = RESUME_LINK.search(start.body)
            if resume:
                self.quiz_path = resume.group(1)
                return
            reply = self.submit(start, match=lambda form: "discard" not in form.action)
            if reply is None or reply.status != 302:
                return
            self.quiz_path = urllib.parse.urlsplit(urllib.parse.urljoin(reply.url, reply.location)).path
            self.run_.stats.did("assessments started")
        page = self.get(self.quiz_path)
        if page.status != 200:
            self.quiz_path = ""
            return
        if any("/submit/" in form.action for form in forms_of(page.body)):
            reply = self.submit(page, match=lambda form: "/submit/" in form.action)
            if reply is not None and reply.status == 302:
                result = self.follow(reply)
                self.result_path = urllib.parse.urlsplit(result.url).path
                self.has_result = True
                self.quiz_path = ""
                self.run_.stats.did("assessments submitted")
            return
        reply = self.submit(page, button="next")
        if reply is not None and reply.status == 302:
            self.quiz_path = urllib.parse.urlsplit(urllib.parse.urljoin(reply.url, reply.location)).path
            self.run_.stats.did("quiz pages answered")
        else:
            self.run_.stats.record("quiz page sent back", 0.0, f"the form came back for {self.quiz_path}")

    def tick_step(self) -> None:
        roadmap = self.get("/roadmap/")
        steps = [form for form in forms_of(roadmap.body) if re.search(r"/roadmap/step/[^/]+/$", form.action)]
        if not steps:
            return
        form = self.rng.choice(steps)
        status = self.rng.choice([value for value, _s in form.options.get("status", [])] or ["done"])
        fields = form.fields(self.rng, status=status, notes=f"Soak note {self.rng.randint(1, 10**6)}")
        reply = self.request(form.action, fields, htmx=self.rng.random() < 0.5)
        if reply.status == 302:
            self.follow(reply)
        self.run_.stats.did("steps marked")

    def log_study(self) -> None:
        roadmap = self.get("/roadmap/")
        logs = [form for form in forms_of(roadmap.body) if form.action.endswith("/log/")]
        if not logs:
            return
        form = self.rng.choice(logs)
        # A quarter of an hour on a day of the last month: far from the 24 hours a day allowed.
        day = datetime.now(UTC).date() - timedelta(days=self.rng.randint(1, 30))
        fields = form.fields(self.rng, hours="0.25", day=day.isoformat(), note="soak")
        reply = self.request(form.action, fields, htmx=self.rng.random() < 0.5)
        if reply.status == 302:
            self.follow(reply)
        self.run_.stats.did("study time logged")

    def read(self) -> None:
        pages = ["/dashboard/", "/roadmap/", "/progress/", "/catalogue/", "/how-we-score/", "/profile/"]
        if self.result_path:
            pages += [self.result_path] * 2
        self.get(self.rng.choice(pages))
        self.run_.stats.did("pages read")

    def run(self) -> None:
        try:
            self.live()
        except Exception as error:  # a crash of the simulation is a finding too
            self.run_.stats.record("simulation", 0.0, f"{type(error).__name__}: {error}")

    def live(self) -> None:
        # Arrivals spread over the first moments, then the pacing gates take over.
        if self.run_.stop.wait(self.rng.uniform(0, 5)) or not self.arrive():
            return
        while self.pause():
            roll = self.rng.random()
            if self.quiz_path or not self.has_result:
                self.quiz_step()
            elif roll < 0.40:
                self.read()
            elif roll < 0.65:
                self.tick_step()
            elif roll < 0.80:
                self.log_study()
            elif roll < 0.83:
                self.quiz_step()  # a retake
            elif roll < 0.85:
                self.log_out()
                if not self.log_in():
                    return
            else:
                self.get("/dashboard/")


# --- the run -----------------------------------------------------------------------------------


@dataclass
class Run:
    servers: list[str]
    mailbox: Mailbox
    stats: Stats = field(default_factory=Stats)
    stop: threading.Event = field(default_factory=threading.Event)
    signup_gate: Gate = field(default_factory=lambda: Gate(SIGNUP_INTERVAL))
    login_gate: Gate = field(default_factory=lambda: Gate(LOGIN_INTERVAL))


def process_tree(pid: int) -> list[int]:
    """The gunicorn master and its workers (children, read from /proc)."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            pids.append(int(entry.name))
    return pids


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(master: int) -> dict:
    pids = process_tree(master)
    return {"pids": pids, "rss_kib": sum(rss_kib(pid) for pid in pids)}


def run_command(args: list[str], env: dict) -> None:
    subprocess.run(args, env=env, cwd=ROOT, check=True)


def seed_returning(emails: list[str]) -> None:
    """Accounts (verified e-mail, profile) for the people who log in rather than sign up."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts import services

    password = make_password(PASSWORD)
    for address in emails:
        user = get_user_model().objects.create(
            username=address.split("@")[0], email=address, password=password
        )
        EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
        services.profile_create(user=user)


def start_server(name: str, env: dict, workdir: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    log_path = workdir / f"server-{name}.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "careerpath.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def stop() -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)

    CLEANUP.push(f"server {name}", stop)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server {name} exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return url, process
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server {name} did not answer in 60 s:\n{log_path.read_text()[-3000:]}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(run: Run, mem: dict, facts: dict) -> tuple[str, dict]:
    stats = run.stats
    total = sum(len(v) for v in stats.latency.values())
    errors = sum(stats.errors.values())
    lines = [
        f"Soak run of {facts['started']}, commit {facts['commit']}: {facts['minutes']:g} min "
        f"({facts['warmup_minutes']:g} min warm-up), {PEOPLE} people, mean think time {THINK_SECONDS:g} s, "
        f"two gunicorn servers (2 sync workers each), PostgreSQL and Redis, on {os.cpu_count()} CPUs "
        f"(1-minute load average {facts['load_average']['after_warmup']} after the warm-up, "
        f"{facts['load_average']['end']} at the end; the machine is shared).",
        "",
        f"{total:,} requests ({total / (facts['seconds'] or 1):.1f}/s), **{errors} errors** (target 0).",
        "",
        "| page | requests | errors | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    pages = {}
    for page in sorted(stats.latency, key=lambda p: -len(stats.latency[p])):
        values = stats.latency[page]
        row = {
            "requests": len(values),
            "errors": stats.errors.get(page, 0),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1),
        }
        pages[page] = row
        lines.append(
            f"| {page} | {row['requests']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} |"
        )
    lines += [
        "",
        "| server | RSS after warm-up (MiB) | RSS at the end (MiB) | growth | target < 10% | processes |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, info in mem.items():
        before, after = info["warm"]["rss_kib"], info["end"]["rss_kib"]
        growth = (after - before) / before if before else 0.0
        info["growth"] = round(growth, 4)
        same = sorted(info["warm"]["pids"]) == sorted(info["end"]["pids"])
        lines.append(
            f"| {name} | {before / 1024:.1f} | {after / 1024:.1f} | {growth:+.1%} | "
            f"{'meets' if growth < MEMORY_TARGET else '**MISSES**'} | "
            f"master + {len(info['end']['pids']) - 1} workers{'' if same else ' (a worker was replaced)'} |"
        )
    lines.append("")
    lines.append(
        f"{facts['arrived_by_warmup']} of {PEOPLE} people had signed up or logged in when the warm-up ended. "
        f"RSS every {MEMORY_SAMPLE_SECONDS} s (MiB, master and workers):"
    )
    for name, info in mem.items():
        series = ", ".join(f"{kib / 1024:.0f}" for _t, kib in info["series"])
        lines.append(f"- {name}: {series}")
    lines += [
        "",
        "What the people did: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.flow.items())) + ".",
    ]
    if stats.samples:
        lines += ["", "First failures:", *[f"- {sample}" for sample in stats.samples]]
    data = {"facts": facts, "pages": pages, "errors": errors, "memory": mem, "flow": stats.flow}
    return "\n".join(lines), data


def main() -> int:
    if not postgres_available():
        log(f"PostgreSQL at {PG_URL} does not answer")
        return 1
    import psycopg

    started_at = datetime.now(UTC)
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-soak-"))
    CLEANUP.push("workdir", lambda: shutil.rmtree(workdir, ignore_errors=True))
    database = f"careerpath_soak_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')

    def drop() -> None:
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    CLEANUP.push("database", drop)
    prefix = f"careerpath-soak-{os.getpid()}"
    mailbox = Mailbox()
    sink = SMTPSink(mailbox)
    threading.Thread(target=sink.serve_forever, daemon=True, name="smtp").start()
    CLEANUP.push("smtp", sink.shutdown)

    def forget() -> None:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)

    CLEANUP.push("redis keys", forget)
    env = bench_env(
        workdir,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"{PG_URL}/{database}",
        REDIS_URL=REDIS_URL,
        DJANGO_CACHE_PREFIX=prefix,
        # Sign-up confirmations go to the run's own SMTP server, where the people read them.
        EMAIL_URL=f"smtp://127.0.0.1:{sink.server_address[1]}",
    )
    python = sys.executable
    log(f"database {database}: migrate, load_catalogue, collectstatic")
    run_command([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
    run_command([python, "manage.py", "load_catalogue", "--verbosity", "0"], env)
    run_command([python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    returning = round(PEOPLE * RETURNING_SHARE)
    emails = [f"soak{n:03d}@soak.careerpath.test" for n in range(PEOPLE)]
    run_command([python, str(Path(__file__)), "--seed-returning", *emails[:returning]], env)
    servers = [start_server(name, env, workdir) for name in ("A", "B")]
    run = Run(servers=[url for url, _p in servers], mailbox=mailbox)
    log(
        f"servers up at {', '.join(run.servers)}; {PEOPLE} people ({returning} with accounts) for {MINUTES:g} min"
    )
    people = [Person(n, emails[n], n < returning, run) for n in range(PEOPLE)]
    began = time.monotonic()
    for person in people:
        person.start()
    mem: dict[str, dict] = {name: {"series": []} for name in ("A", "B")}
    warm_at, end_at = began + WARMUP_MINUTES * 60, began + MINUTES * 60
    next_sample = began
    load_warm = 0.0
    arrived_by_warmup = 0
    while (now := time.monotonic()) < end_at:
        if now >= next_sample:
            for name, (_url, process) in zip(("A", "B"), servers, strict=True):
                mem[name]["series"].append([round(now - began), memory(process.pid)["rss_kib"]])
            next_sample += MEMORY_SAMPLE_SECONDS
        if "warm" not in mem["A"] and now >= warm_at:
            for name, (_url, process) in zip(("A", "B"), servers, strict=True):
                mem[name]["warm"] = memory(process.pid)
            load_warm = round(os.getloadavg()[0], 2)
            arrived_by_warmup = run.stats.flow.get("arrived", 0)
            log(
                f"warm-up over: {arrived_by_warmup} people arrived, "
                f"{sum(len(v) for v in run.stats.latency.values())} requests, "
                f"{sum(run.stats.errors.values())} errors"
            )
        time.sleep(min(1.0, max(0.0, end_at - now)))
    for name, (_url, process) in zip(("A", "B"), servers, strict=True):
        mem[name]["end"] = memory(process.pid)
    run.stop.set()
    for person in people:
        person.join(timeout=REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - began
    facts = {
        "started": started_at.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "minutes": MINUTES,
        "warmup_minutes": WARMUP_MINUTES,
        "seconds": round(elapsed, 1),
        "people": PEOPLE,
        "think_seconds": THINK_SECONDS,
        "cpus": os.cpu_count(),
        "load_average": {"after_warmup": load_warm, "end": round(os.getloadavg()[0], 2)},
        "arrived_by_warmup": arrived_by_warmup,
    }
    text, data = report(run, mem, facts)
    print()
    print(text)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    (out / f"soak-{stamp}.md").write_text(text + "\n")
    (out / f"soak-{stamp}.json").write_text(json.dumps(data, indent=1, default=str))
    log(f"figures written to bench/results/soak-{stamp}.md and .json")
    return 1 if data["errors"] else 0


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed-returning"]:
        seed_returning(sys.argv[2:])
        sys.exit(0)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    status = 1
    try:
        status = main()
    finally:
        CLEANUP.run()
    sys.exit(status)
