"""Load and scaling benchmark of careerpath (`make bench`; see bench/README.md).

For SQLite, then PostgreSQL with Redis:

1. seed a fresh database (bench/seed.py: the real catalogue, 200 people with results, plans and a
   quiz under way, one logged-in session each);
2. serve it with the production settings under gunicorn (2 workers, plain HTTP on 127.0.0.1, as
   `make serve` does; static files collected into a temporary folder);
3. drive each page with wrk (bench/load.lua) as the logged-in people, each request with one person's
   session cookie, and the bare /healthz (no cookie) before and after the pages as the floor;
4. stop the server and run the in-process scaling run (bench/scaling.py).

It prints per page requests per second, p50 and p95 latency, errors and the ratio to /healthz,
then the scaling figures, and writes them to bench/results/ (JSON and Markdown). Everything it
starts (gunicorn, the temporary folder, the PostgreSQL database, its Redis keys) is removed at the
end, also on failure or Ctrl-C. Knobs: BENCH_SECONDS (load phase per page, default 12),
BENCH_CONNECTIONS (default 4), BENCH_BACKENDS (default "sqlite,postgres"), BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL (default redis://127.0.0.1:6379/15).
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "12"))
WARMUP_SECONDS = 2
HEALTHZ_SECONDS = 5
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PAGES = {
    "quiz_rate": "quiz page (ratings)",
    "quiz_check": "quiz page (checks)",
    "results": "results",
    "roadmap": "roadmap (zero-to-entry plan)",
    "progress": "progress",
    "dashboard": "dashboard",
    "catalogue": "open catalogue",
    "skill_map": "skill map",
}
# The roadmap is measured with the people whose plan is the whole entry target from zero.
PAGE_PEOPLE = {"roadmap": "zero_to_entry"}
# Not a target: a logged-in page whose body is a short static text, to show what the session, the
# user and the base layout cost on their own.
REFERENCE = {"static_page": ("How we score (reference: static text, logged in)", "/how-we-score/")}
TARGET_RATIO = 0.11  # every main page: twice the one-question quiz page of a peer app (0.056x)
REFERENCE_RATIO = 0.4  # the logged-in reference page, near the framework's floor
P50_MS = 10.0  # every main page's p50 under the load
ROADMAP_MS = 4.0  # the roadmap of the zero-to-entry plan, in-process (best of the requests)
HEALTHZ_MS = 0.2  # /healthz in-process: the floor must not get slower to flatter a ratio
SCALING_RATIO = 1.3
ROW_PAGES = ["results", "roadmap", "progress", "catalogue", "skill_map"]


class Cleanup:
    """Everything to undo, run once on exit, error or signal."""

    def __init__(self):
        self.actions: list[tuple[str, callable]] = []

    def push(self, name, action):
        self.actions.append((name, action))

    def pop(self, name):
        for index in range(len(self.actions) - 1, -1, -1):
            if self.actions[index][0] == name:
                _, action = self.actions.pop(index)
                action()
                return

    def run(self):
        while self.actions:
            name, action = self.actions.pop()
            try:
                action()
            except Exception as error:  # cleanup must go on
                print(f"cleanup of {name} failed: {error}", file=sys.stderr)


CLEANUP = Cleanup()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- machine -------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    django_version = subprocess.run(
        [sys.executable, "-c", "import django; print(django.get_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    gunicorn_version = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django_version,
        "gunicorn": gunicorn_version,
        "wrk": (wrk_version.stdout or wrk_version.stderr).splitlines()[0].strip(),
        "kernel": platform.release(),
        "commit": commit(),
    }


def commit() -> str:
    """The checked-out commit, read from .git without running git ('' when unknown)."""
    head = ROOT / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if not ref.startswith("ref: "):
            return ref[:12]
        name = ref[5:]
        loose = ROOT / ".git" / name
        if loose.exists():
            return loose.read_text().strip()[:12]
        for line in (ROOT / ".git" / "packed-refs").read_text().splitlines():
            if line.endswith(" " + name):
                return line.split()[0][:12]
    except OSError:
        pass
    return ""


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def speed_probe() -> dict[str, float]:
    """A fixed pure-Python workload (building and reading a dict of 200,000 entries), timed seven
    times: how fast the machine runs Python at that moment. On a shared machine it varies from
    one minute to the next; the report prints it beside the figures so that runs can be compared."""

    def work() -> int:
        table = {str(i): i * 2 for i in range(200_000)}
        return sum(len(key) for key in table)

    times = []
    for _ in range(7):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"best_ms": round(times[0], 1), "median_ms": round(times[3], 1)}


# --- tools ---------------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    log("wrk is missing: installing Debian's wrk with apt-get")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


# --- databases -----------------------------------------------------------------------------


def postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_URL}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        pass
    # As .ci/run does: start the local cluster when it is installed but not running.
    clusters = Path("/etc/postgresql")
    if clusters.is_dir() and shutil.which("pg_ctlcluster"):
        version = sorted(p.name for p in clusters.iterdir())[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        for _ in range(30):
            try:
                with psycopg.connect(f"{PG_URL}/postgres", connect_timeout=3):
                    return True
            except psycopg.OperationalError:
                time.sleep(1)
    return False


def postgres_database() -> tuple[str, str]:
    """Create a fresh database; its removal is registered for cleanup."""
    import psycopg

    name = f"careerpath_bench_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
        version = conn.execute("SHOW server_version").fetchone()[0]

    def drop():
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped PostgreSQL database {name}")

    CLEANUP.push("postgres", drop)
    return f"{PG_URL}/{name}", version


def redis_prefix() -> tuple[str, str] | None:
    """A key prefix of our own in the benchmark's Redis database; its keys are deleted at the end."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        version = client.info("server")["redis_version"]
    except redis.RedisError:
        return None
    prefix = f"careerpath-bench-{os.getpid()}"

    def forget():
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        log(f"deleted {len(keys)} Redis keys under {prefix}")

    CLEANUP.push("redis", forget)
    return prefix, version


# --- the server ----------------------------------------------------------------------------


def start_gunicorn(env: dict, port: int, logfile: Path) -> subprocess.Popen:
    handle = logfile.open("w")
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "careerpath.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the workers go with it
    )

    def stop():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        handle.close()
        log(f"gunicorn (pid {process.pid}) stopped")

    CLEANUP.push("gunicorn", stop)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early:\n{logfile.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer /healthz within 30 s:\n{logfile.read_text()}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_pages(port: int, people: list[dict]) -> None:
    """Every measured page answers 200 with the person's page (not a log-in redirect)."""
    opener = urllib.request.build_opener(NoRedirect)
    for person in people[:3] + people[-2:]:
        for page, path in person["pages"].items():
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Cookie": person["cookie"]}
            )
            try:
                with opener.open(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                raise SystemExit(f"{page} ({path}) answered {status} for {person['username']}")


def wrk(port: int, targets: Path, seconds: int) -> dict:
    env = os.environ | {"BENCH_TARGETS": str(targets)}
    completed = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH / "load.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH "))
    raw = json.loads(line[6:])
    errors = raw["not_200"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "requests": raw["requests"],
        "errors": errors,
        "kb_per_response": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1),
    }


def load_phase(port: int, people: list[dict], workdir: Path) -> dict:
    files = {"healthz": workdir / "targets-healthz.tsv"}
    files["healthz"].write_text("-\t/healthz\n")
    for page in PAGES:
        files[page] = workdir / f"targets-{page}.tsv"
        chosen = [p for p in people if p["plan"] == PAGE_PEOPLE[page]] if page in PAGE_PEOPLE else people
        files[page].write_text("".join(f"{p['cookie']}\t{p['pages'][page]}\n" for p in chosen))
    for page, (_label, path) in REFERENCE.items():
        files[page] = workdir / f"targets-{page}.tsv"
        files[page].write_text("".join(f"{p['cookie']}\t{path}\n" for p in people))
    # /healthz runs between every two pages: a page's ratio is to the mean of the /healthz runs
    # just before and just after it, so a burst of load from elsewhere on the machine skews it less.
    results, floors = {}, []

    def phase(name: str, file: Path, seconds: int, warmup: int) -> dict:
        if warmup:
            wrk(port, file, warmup)
        load = load_average()
        r = wrk(port, file, seconds) | {"load_average": load}
        log(
            f"{name:12s} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  "
            f"errors {r['errors']}"
        )
        return r

    floors.append(phase("healthz", files["healthz"], HEALTHZ_SECONDS, WARMUP_SECONDS))
    for page in [*PAGES, *REFERENCE]:
        results[page] = phase(page, files[page], SECONDS, WARMUP_SECONDS)
        floors.append(phase("healthz", files["healthz"], HEALTHZ_SECONDS, 0))
        floor = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
        results[page] |= {"healthz_rps": round(floor, 1), "ratio": round(results[page]["rps"] / floor, 3)}
    rps = [f["rps"] for f in floors]
    results["healthz"] = {
        "rps": round(sum(rps) / len(rps), 1),
        "rps_min": min(rps),
        "rps_max": max(rps),
        "p50_ms": round(sum(f["p50_ms"] for f in floors) / len(floors), 1),
        "p95_ms": round(sum(f["p95_ms"] for f in floors) / len(floors), 1),
        "errors": sum(f["errors"] for f in floors),
        "requests": sum(f["requests"] for f in floors),
        "kb_per_response": floors[0]["kb_per_response"],
        "load_average": round(sum(f["load_average"] for f in floors) / len(floors), 2),
        "runs": len(floors),
    }
    return results


# --- one backend ---------------------------------------------------------------------------


def bench_backend(backend: str, base_env: dict, workdir: Path) -> dict:
    env = dict(base_env)
    info: dict = {"backend": backend}
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env.pop("REDIS_URL", None)
        env["DJANGO_SESSION_CACHE_DIR"] = str(workdir / "sessions")
        info["database"] = (
            "SQLite (file in a temporary folder, WAL), database cache, cached_db sessions over a file cache"
        )
    else:
        url, version = postgres_database()
        env["DATABASE_URL"] = url
        info["database"] = f"PostgreSQL {version}"
        prefix = redis_prefix()
        if prefix is None:
            log(f"Redis at {REDIS_URL} does not answer: PostgreSQL runs without it")
            env.pop("REDIS_URL", None)
            info["database"] += ", database cache (Redis unavailable), database sessions"
        else:
            env["REDIS_URL"] = REDIS_URL
            env["DJANGO_CACHE_PREFIX"] = prefix[0]
            info["database"] += f", Redis {prefix[1]} cache and cached_db sessions"
    info["speed_probe"] = speed_probe()
    log(f"{backend}: speed probe {info['speed_probe']}")
    seed_file = workdir / f"seed-{backend}.json"
    log(f"{backend}: seeding")
    started = time.monotonic()
    run([sys.executable, str(BENCH / "seed.py"), str(seed_file)], env)
    info["seed_seconds"] = round(time.monotonic() - started, 1)
    seeded = json.loads(seed_file.read_text())
    info["rows"] = seeded["rows"]
    people = seeded["people"]

    port = free_port()
    log(f"{backend}: gunicorn on 127.0.0.1:{port}")
    start_gunicorn(env, port, workdir / f"gunicorn-{backend}.log")
    check_pages(port, people)
    info["load"] = load_phase(port, people, workdir)
    CLEANUP.pop("gunicorn")

    log(f"{backend}: scaling run (in-process)")
    scaling_file = workdir / f"scaling-{backend}.json"
    run([sys.executable, str(BENCH / "scaling.py"), str(seed_file), str(scaling_file)], env)
    info["scaling"] = json.loads(scaling_file.read_text())
    if backend != "sqlite":
        CLEANUP.pop("redis")
        CLEANUP.pop("postgres")
    return info


# --- report --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "**MISSES**"


def report(runs: list[dict], facts: dict, elapsed: float) -> str:
    lines = [
        f"Run of {facts['date']}, commit {facts['commit'] or 'unknown'}, in {elapsed / 60:.1f} min: "
        f"`make bench` ({SECONDS} s per page after a {WARMUP_SECONDS} s warm-up, wrk 1 thread, "
        f"{CONNECTIONS} connections, gunicorn 2 sync workers).",
        "",
        f"Machine: {facts['nproc']} CPUs ({facts['cpu']}), {facts['ram_gib']} GiB RAM, Linux {facts['kernel']}, "
        f"Python {facts['python']}, Django {facts['django']}, {facts['gunicorn']}, {facts['wrk']}.",
        "",
        "Speed probe (a fixed pure-Python workload, best and median of 7 in ms; lower is faster; a shared "
        "machine's varies from minute to minute): "
        + "; ".join(
            f"{label} {probe['best_ms']} / {probe['median_ms']}"
            for label, probe in [
                ("at the start", facts["speed_probe"]),
                *((f"before {info['backend']}", info["speed_probe"]) for info in runs),
                ("at the end", facts["speed_probe_end"]),
            ]
        )
        + ".",
        "",
    ]
    for info in runs:
        load = info["load"]
        lines += [
            f"### Load: {info['database']}",
            "",
            f"Seeded in {info['seed_seconds']} s: {info['rows']}. /healthz ran {load['healthz']['runs']} times "
            f"({HEALTHZ_SECONDS} s each, between every two pages): {load['healthz']['rps_min']} to "
            f"{load['healthz']['rps_max']} req/s; each page's ratio is to the mean of the runs just before "
            "and after it (the `/healthz` column).",
            "",
            f"| page | req/s | p50 ms | p95 ms | errors | KiB | /healthz req/s | ratio | target ratio | "
            f"target p50 ≤ {P50_MS:g} ms | in-process ms (best) | load avg |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
        ]
        h = load["healthz"]
        s = info["scaling"]
        floor_ms = s["floor"]["healthz"]["ms"]
        lines.append(
            f"| /healthz (mean of {h['runs']} runs) | {h['rps']} | {h['p50_ms']} | {h['p95_ms']} | {h['errors']} | "
            f"{h['kb_per_response']} |  |  |  |  | {floor_ms} ({verdict(floor_ms <= HEALTHZ_MS)} ≤ {HEALTHZ_MS:g}) | "
            f"{h['load_average']} |"
        )
        for name in [*PAGES, *REFERENCE]:
            r = load[name]
            label = PAGES[name] if name in PAGES else REFERENCE[name][0]
            wanted = TARGET_RATIO if name in PAGES else REFERENCE_RATIO
            target = f"{verdict(r['ratio'] >= wanted)} (≥ {wanted:g})"
            p50 = verdict(r["p50_ms"] <= P50_MS) if name in PAGES else ""
            if name == "roadmap":
                ms = s["zero_roadmap"]["ms"]
                in_process = (
                    f"{ms} ({verdict(ms <= ROADMAP_MS)} ≤ {ROADMAP_MS:g}; {s['zero_roadmap']['rows']} steps)"
                )
            else:
                in_process = str((s["normal"] if name in PAGES else s["floor"])[name]["ms"])
            lines.append(
                f"| {label} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['errors']} | "
                f"{r['kb_per_response']} | {r['healthz_rps']} | {r['ratio']:.2f} | {target} | {p50} | {in_process} | "
                f"{r['load_average']} |"
            )
        s = info["scaling"]
        lines += [
            "",
            f"### Scaling: {info['database']}",
            "",
            f"Catalogue grown to {s['catalogue']['skills']} skills in {s['catalogue']['categories']} categories "
            f"({s['catalogue']['questions']} questions); person A has {s['assessments_of_a']} assessments. "
            f"Cost is the best of {s['requests_per_page']} in-process requests (median in brackets).",
            "",
            "| page | queries 1x | queries scaled | ms 1x | ms scaled | ratio | rows 1x → scaled | target |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for page in PAGES:
            n, m = s["normal"][page], s["scaled"][page]
            ratio = m["ms"] / n["ms"]
            same_rows = n["rows"] == m["rows"]
            flat_queries = n["queries"] == m["queries"]
            if same_rows:
                ok = flat_queries and ratio <= SCALING_RATIO
                target = f"{verdict(ok)} (≤ {SCALING_RATIO}, same queries)"
            else:
                target = f"{verdict(flat_queries)} (same queries; rows grow: see ms per row)"
            rows = "" if n["rows"] is None else f"{n['rows']} → {m['rows']}"
            lines.append(
                f"| {PAGES[page]} | {n['queries']} | {m['queries']} | {n['ms']} ({n['ms_median']}) | "
                f"{m['ms']} ({m['ms_median']}) | {ratio:.2f} | {rows} | {target} |"
            )
        lines += [
            "",
            "| page | rows 1x | ms per row 1x | rows at scale | ms per row at scale | marginal ms per added row |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for page in ROW_PAGES:
            base = s["normal"][page]
            big = s["wide"][page] if page in s["wide"] else s["scaled"][page]
            scale = "10x" if page in ("results", "roadmap", "catalogue", "skill_map") else "100 assessments"
            marginal = (big["ms"] - base["ms"]) / max(big["rows"] - base["rows"], 1)
            lines.append(
                f"| {PAGES[page]} | {base['rows']} | {base['ms'] / base['rows']:.3f} | {big['rows']} ({scale}) | "
                f"{big['ms'] / big['rows']:.3f} | {marginal:.3f} |"
            )
        lines.append("")
    lines += ["### Verdict", ""]
    for info in runs:
        load, s = info["load"], info["scaling"]
        slow = [f"{PAGES[p]} ({load[p]['ratio']:.2f})" for p in PAGES if load[p]["ratio"] < TARGET_RATIO]
        late = [f"{PAGES[p]} ({load[p]['p50_ms']} ms)" for p in PAGES if load[p]["p50_ms"] > P50_MS]
        reference = load["static_page"]["ratio"]
        flat = [
            PAGES[p]
            for p in PAGES
            if s["normal"][p]["queries"] != s["scaled"][p]["queries"]
            or (
                s["normal"][p]["rows"] == s["scaled"][p]["rows"]
                and s["scaled"][p]["ms"] / s["normal"][p]["ms"] > SCALING_RATIO
            )
        ]
        lines.append(
            f"- {info['database']}: ratio to /healthz below {TARGET_RATIO:g}: {', '.join(slow) or 'none'}; "
            f"p50 above {P50_MS:g} ms: {', '.join(late) or 'none'}; reference page {reference:.2f} "
            f"({verdict(reference >= REFERENCE_RATIO)} ≥ {REFERENCE_RATIO:g}); roadmap in-process "
            f"{s['zero_roadmap']['ms']} ms ({verdict(s['zero_roadmap']['ms'] <= ROADMAP_MS)} ≤ {ROADMAP_MS:g}); "
            f"scaling target missed: {', '.join(flat) or 'none'}."
        )
    return "\n".join(lines)


def bench_env(workdir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a benchmark's server processes: production settings on plain HTTP.

    The caller's own DJANGO_*, DATABASE_URL, REDIS_URL, EMAIL_URL and CAREERPATH_* variables are
    left out, so a run never points at the developer's database or mail server by accident;
    `overrides` sets the run's own (database, cache, mail).
    """
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CAREERPATH_"))
    }
    return (
        inherited
        | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "BENCH_STATIC_ROOT": str(workdir / "static"),
            "PYTHONPATH": str(ROOT),
        }
        | overrides
    )


def main() -> int:
    started = time.monotonic()
    ensure_wrk()
    facts = machine() | {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "speed_probe": speed_probe(),
    }
    log(f"machine: {facts}")
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-bench-"))
    CLEANUP.push("workdir", lambda: shutil.rmtree(workdir, ignore_errors=True))
    base_env = bench_env(workdir, EMAIL_URL="smtp://localhost:25")
    log("collectstatic into a temporary STATIC_ROOT")
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], base_env)
    runs, missing = [], []
    for backend in BACKENDS:
        if backend == "postgres" and not postgres_available():
            log(f"PostgreSQL at {PG_URL} does not answer: its run is skipped")
            missing.append(backend)
            continue
        runs.append(bench_backend(backend, base_env, workdir))
    facts["speed_probe_end"] = speed_probe()
    log(f"speed probe at the end {facts['speed_probe_end']}")
    elapsed = time.monotonic() - started
    text = report(runs, facts, elapsed)
    print()
    print(text)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"{stamp}.json").write_text(json.dumps({"machine": facts, "runs": runs}, indent=1, default=str))
    (out / f"{stamp}.md").write_text(text + "\n")
    log(f"figures written to bench/results/{stamp}.md and .json")
    errors = sum(info["load"][page]["errors"] for info in runs for page in [*PAGES, *REFERENCE, "healthz"])
    if errors:
        log(f"{errors} requests failed (not 200, or a socket error): the figures are not valid")
    return 1 if missing or errors else 0


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        status = main()
    finally:
        CLEANUP.run()
    sys.exit(status)
