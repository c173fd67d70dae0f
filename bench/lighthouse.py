"""Lighthouse (mobile) audit of careerpath's main pages, as a logged-in person.

Run with `python bench/lighthouse.py` from the project's virtualenv (about 5 to 10 minutes).

What it does:

1. makes sure the tools are there: Debian's Chromium (`apt-get install chromium` when
   /usr/bin/chromium is missing; never a downloaded browser) and Lighthouse 12 from npm, installed
   into a folder outside the project (`BENCH_LIGHTHOUSE_PREFIX`, default
   `<temp dir>/careerpath-lighthouse`; reused on later runs);
2. seeds a throw-away SQLite database in a temporary folder with bench/seed.py, collects the static
   files into that folder and serves the app with the production settings under gunicorn on plain
   HTTP, reusing bench/run.py's helpers (`bench_env`, `start_gunicorn`, `check_pages`);
3. runs Lighthouse's default (mobile: simulated slow 4G and a 4x slower CPU) performance,
   accessibility and best-practices audits on each main page, with one seeded person's session
   cookie sent as an extra header; the roadmap is audited as a person with the zero-to-entry plan
   (bench/run.py's PAGE_PEOPLE). Each page is audited `BENCH_LIGHTHOUSE_RUNS` times (default 3)
   and the run with the median performance score is kept, as Lighthouse's documentation advises
   against judging by a single run;
4. prints a table (scores, KiB transferred, LCP, TBT) and "meets" or "MISSES" for every target of
   the performance issue: performance >= 98 on every main page, the results page <= 150 KiB
   transferred, accessibility and best practices at 100; then the failing accessibility and
   best-practices audits and the top performance opportunities of each page that misses.

The figures go to bench/results/lighthouse-<time>.md and .json. The script exits 0 whether the
targets are met or not (non-zero only when it could not measure). Everything it starts (gunicorn,
the temporary folder) is removed at the end, also on failure or Ctrl-C. Simulated throttling scales
the CPU work the browser really did, so a busy machine lowers the performance scores: the table
shows Lighthouse's benchmark index of the machine and the load average next to each page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import run as bench  # bench/run.py: this script's folder is first on sys.path

CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox"
LIGHTHOUSE_PACKAGE = "lighthouse@12"
LIGHTHOUSE_MIN_NODE = (18, 16)  # lighthouse 12's "engines"
LIGHTHOUSE_PREFIX = Path(
    os.environ.get("BENCH_LIGHTHOUSE_PREFIX", Path(tempfile.gettempdir()) / "careerpath-lighthouse")
)
RUNS = max(1, int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3")))
CATEGORIES = ("performance", "accessibility", "best-practices")
# The main pages of the speed issue: the benchmark's pages but the open catalogue (no target here).
PAGES = {name: label for name, label in bench.PAGES.items() if name != "catalogue"}
PERFORMANCE_MIN = 98
RESULTS_MAX_KIB = 150
TOP_OPPORTUNITIES = 5
TOP_TRANSFERS = 6
# Lighthouse now and then fails to record a trace (NO_NAVSTART and the like): such a run is retried.
ATTEMPTS = 3


@dataclass
class Audit:
    """One Lighthouse run of one page: the figures the targets are judged on."""

    performance: int
    accessibility: int
    best_practices: int
    bytes: int
    lcp_ms: float
    tbt_ms: float
    fcp_ms: float
    cls: float
    speed_index_ms: float
    benchmark_index: float
    load_average: float
    failing: dict[str, list[str]] = field(default_factory=dict)
    opportunities: list[str] = field(default_factory=list)
    transfers: list[str] = field(default_factory=list)
    main_thread: str = ""
    lighthouse: str = ""
    browser: str = ""

    @property
    def kib(self) -> float:
        return self.bytes / 1024


# --- tools ---------------------------------------------------------------------------------


def ensure_chromium() -> None:
    if Path(CHROME_PATH).exists():
        return
    if os.geteuid() != 0:
        raise SystemExit(f"{CHROME_PATH} is missing: install Debian's chromium (apt-get install chromium)")
    bench.log("Chromium is missing: installing Debian's chromium with apt-get")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)


def ensure_lighthouse() -> Path:
    """The lighthouse command, installed from npm into LIGHTHOUSE_PREFIX when it is not there yet."""
    command = LIGHTHOUSE_PREFIX / "node_modules" / ".bin" / "lighthouse"
    if command.exists():
        return command
    if not shutil.which("node") or not shutil.which("npm"):
        raise SystemExit("Node.js and npm are needed for Lighthouse (apt-get install nodejs npm)")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    major, minor = (int(part) for part in version.strip().lstrip("v").split(".")[:2])
    if (major, minor) < LIGHTHOUSE_MIN_NODE:
        raise SystemExit(f"{LIGHTHOUSE_PACKAGE} needs Node >= 18.16; this is Node {version.strip()}")
    bench.log(f"installing {LIGHTHOUSE_PACKAGE} from npm into {LIGHTHOUSE_PREFIX}")
    LIGHTHOUSE_PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(LIGHTHOUSE_PREFIX), "--no-audit", "--no-fund", LIGHTHOUSE_PACKAGE],
        check=True,
    )
    return command


# --- the app -------------------------------------------------------------------------------


def serve(workdir: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """Seed a SQLite database, start gunicorn; the port and the person audited on each page."""
    env = bench.bench_env(
        workdir,
        EMAIL_URL="smtp://localhost:25",
        DATABASE_URL=f"sqlite:///{workdir / 'lighthouse.sqlite3'}",
    )
    bench.log("collectstatic into a temporary STATIC_ROOT")
    bench.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    bench.log("seeding a SQLite database")
    seed_file = workdir / "seed.json"
    bench.run([sys.executable, str(bench.BENCH / "seed.py"), str(seed_file)], env)
    people = json.loads(seed_file.read_text())["people"]
    default = next(p for p in people if p["plan"] != "zero_to_entry")
    chosen = {
        page: next(p for p in people if p["plan"] == bench.PAGE_PEOPLE[page])
        if page in bench.PAGE_PEOPLE
        else default
        for page in PAGES
    }
    port = bench.free_port()
    bench.log(f"gunicorn on 127.0.0.1:{port}")
    bench.start_gunicorn(env, port, workdir / "gunicorn.log")
    # Every page answers 200 to its person (not a log-in redirect); this also warms the server.
    bench.check_pages(port, list({p["username"]: p for p in chosen.values()}.values()))
    return port, chosen


# --- lighthouse ----------------------------------------------------------------------------


def lighthouse(command: Path, url: str, cookie: str, out: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [
            str(command),
            url,
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
            "--quiet",
        ],
        env=os.environ | {"CHROME_PATH": CHROME_PATH},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if completed.returncode != 0 or not out.exists():
        raise RuntimeError(
            f"lighthouse failed on {url} ({completed.returncode}):\n{completed.stderr[-2000:]}"
        )
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    return report


def score(report: dict[str, Any], category: str) -> int:
    value = report["categories"][category]["score"]
    return -1 if value is None else round(value * 100)


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits that cost the category points (weighted, scored below 1)."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            failing.append(audit["title"])
    return failing


def opportunities(report: dict[str, Any]) -> list[str]:
    """The performance audits that fail or leave savings, largest estimated saving first."""
    audits = report["audits"]
    found = []
    for ref in report["categories"]["performance"]["auditRefs"]:
        audit = audits[ref["id"]]
        # "metrics" are the scores themselves; "hidden" holds the insights that repeat the diagnostics.
        if ref.get("group") in ("metrics", "hidden") or audit.get("scoreDisplayMode") in (
            "notApplicable",
            "manual",
            "informative",
        ):
            continue
        if audit.get("score") is None or audit["score"] >= 0.9:
            continue
        details = audit.get("details") or {}
        saving_ms = details.get("overallSavingsMs") or 0
        saving_bytes = details.get("overallSavingsBytes") or 0
        savings = audit.get("metricSavings") or {}
        saving_ms = max(saving_ms, savings.get("LCP") or 0, savings.get("FCP") or 0, savings.get("TBT") or 0)
        text = audit["title"]
        if audit.get("displayValue"):
            text += f" ({audit['displayValue']})"
        found.append((saving_ms, saving_bytes, -audit["score"], text.replace("\xa0", " ")))
    found.sort(reverse=True)
    return [text for *_, text in found[:TOP_OPPORTUNITIES]]


def transfers(report: dict[str, Any], origin: str) -> list[str]:
    """The largest transfers of the page, as "path: KiB"."""
    items = (report["audits"]["total-byte-weight"].get("details") or {}).get("items", [])
    return [
        f"{item['url'].removeprefix(origin)}: {item['totalBytes'] / 1024:.1f} KiB"
        for item in items[:TOP_TRANSFERS]
    ]


def main_thread(report: dict[str, Any], origin: str) -> str:
    """Where the main thread's time went (what TBT is made of): by kind of work, by file, long tasks."""
    audits = report["audits"]
    work = audits["mainthread-work-breakdown"]
    kinds = ", ".join(
        f"{item['groupLabel'].lower()} {item['duration']:.0f} ms"
        for item in (work.get("details") or {}).get("items", [])[:3]
    )
    files = ", ".join(
        f"{item['url'].removeprefix(origin)} {item['total']:.0f} ms"
        for item in (audits["bootup-time"].get("details") or {}).get("items", [])[:3]
    )
    long_tasks = audits.get("long-tasks", {}).get("displayValue", "")
    text = f"main-thread work {work.get('displayValue', '')} ({kinds}); by file: {files}; {long_tasks}"
    return text.replace("\xa0", " ")  # Lighthouse puts no-break spaces between figures and units


def summarise(report: dict[str, Any], load_average: float, origin: str) -> Audit:
    audits = report["audits"]
    return Audit(
        performance=score(report, "performance"),
        accessibility=score(report, "accessibility"),
        best_practices=score(report, "best-practices"),
        bytes=round(audits["total-byte-weight"]["numericValue"]),
        lcp_ms=round(audits["largest-contentful-paint"]["numericValue"]),
        tbt_ms=round(audits["total-blocking-time"]["numericValue"]),
        fcp_ms=round(audits["first-contentful-paint"]["numericValue"]),
        cls=round(audits["cumulative-layout-shift"]["numericValue"], 3),
        speed_index_ms=round(audits["speed-index"]["numericValue"]),
        benchmark_index=round(report["environment"].get("benchmarkIndex") or 0),
        load_average=load_average,
        failing={c: failing_audits(report, c) for c in ("accessibility", "best-practices")},
        opportunities=opportunities(report),
        transfers=transfers(report, origin),
        main_thread=main_thread(report, origin),
        lighthouse=report.get("lighthouseVersion", ""),
        browser=report["environment"].get("hostUserAgent", ""),
    )


def audit_page(command: Path, port: int, page: str, person: dict[str, Any], workdir: Path) -> dict[str, Any]:
    origin = f"http://127.0.0.1:{port}"
    url = origin + person["pages"][page]
    runs = []
    for number in range(1, RUNS + 1):
        for attempt in range(1, ATTEMPTS + 1):
            load = bench.load_average()
            try:
                report = lighthouse(command, url, person["cookie"], workdir / f"{page}-{number}.json")
                break
            except RuntimeError as error:
                if attempt == ATTEMPTS:
                    raise
                bench.log(f"{page}: attempt {attempt} failed, retrying: {str(error).splitlines()[-1]}")
        runs.append(summarise(report, load, origin))
        last = runs[-1]
        bench.log(
            f"{page:10s} run {number}/{RUNS}: performance {last.performance}, accessibility "
            f"{last.accessibility}, best practices {last.best_practices}, {last.kib:.1f} KiB, "
            f"LCP {last.lcp_ms} ms, TBT {last.tbt_ms} ms (benchmark index {last.benchmark_index}, load {load})"
        )
    # The run with the median performance score (the lower middle one for an even count).
    ordered = sorted(runs, key=lambda audit: (audit.performance, -audit.lcp_ms))
    kept = ordered[(len(ordered) - 1) // 2]
    return {
        "label": PAGES[page],
        "path": person["pages"][page],
        "person": person["username"],
        "plan": person["plan"],
        "median": asdict(kept) | {"kib": round(kept.kib, 1)},
        "performance_runs": [audit.performance for audit in runs],
        "runs": [asdict(audit) for audit in runs],
    }


# --- report --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "**MISSES**"


def targets(pages: dict[str, dict[str, Any]]) -> list[tuple[str, bool, str]]:
    """Every target of the issue: (what, met, the figures)."""
    found = []
    for page in pages.values():
        m = page["median"]
        found.append(
            (
                f"{page['label']}: performance >= {PERFORMANCE_MIN}",
                m["performance"] >= PERFORMANCE_MIN,
                str(m["performance"]),
            )
        )
    if "results" in pages:
        kib = pages["results"]["median"]["kib"]
        found.append((f"results: <= {RESULTS_MAX_KIB} KiB transferred", kib <= RESULTS_MAX_KIB, f"{kib} KiB"))
    for category, name in (("accessibility", "accessibility"), ("best_practices", "best practices")):
        low = [f"{p['label']} {p['median'][category]}" for p in pages.values() if p["median"][category] < 100]
        found.append((f"{name} 100 on every page", not low, ", ".join(low) or "all 100"))
    return found


def report(pages: dict[str, dict[str, Any]], facts: dict[str, Any]) -> str:
    lines = [
        f"Lighthouse run of {facts['date']}, commit {facts['commit'] or 'unknown'}, in "
        f"{facts['elapsed_s'] / 60:.1f} min: `python bench/lighthouse.py` (Lighthouse {facts['lighthouse']}, "
        f"{facts['browser']}, default mobile settings: simulated slow 4G, 4x CPU slowdown; {RUNS} run(s) per "
        "page, the median by performance kept).",
        "",
        f"Machine: {facts['nproc']} CPUs, load average {facts['load_before']} before and "
        f"{facts['load_after']} after. Server: gunicorn, 2 workers, production settings, SQLite, "
        "plain HTTP on 127.0.0.1.",
        "",
        "| page | performance | all runs | accessibility | best practices | KiB transferred | LCP ms | "
        "TBT ms | FCP ms | CLS | benchmark index | load avg |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages.values():
        m = page["median"]
        lines.append(
            f"| {page['label']} | {m['performance']} | {', '.join(map(str, page['performance_runs']))} | "
            f"{m['accessibility']} | {m['best_practices']} | {m['kib']} | {m['lcp_ms']} | {m['tbt_ms']} | "
            f"{m['fcp_ms']} | {m['cls']} | {m['benchmark_index']} | {m['load_average']} |"
        )
    lines += ["", "### Targets", ""]
    lines += [f"- {what}: {verdict(ok)} ({figures})" for what, ok, figures in targets(pages)]
    details = []
    for key, page in pages.items():
        m = page["median"]
        notes = []
        for category, name in (("accessibility", "accessibility"), ("best-practices", "best practices")):
            if m["failing"][category]:
                notes.append(f"  - failing {name} audits: {'; '.join(m['failing'][category])}")
        if m["performance"] < PERFORMANCE_MIN and m["opportunities"]:
            notes.append(f"  - top performance opportunities: {'; '.join(m['opportunities'])}")
        if m["performance"] < PERFORMANCE_MIN:
            notes.append(f"  - {m['main_thread']} (TBT {m['tbt_ms']} ms)")
        if key == "results" and m["kib"] > RESULTS_MAX_KIB:
            notes.append(f"  - largest transfers: {'; '.join(m['transfers'])}")
        if notes:
            details += [f"- {page['label']} (`{page['path']}`):", *notes]
    if details:
        lines += ["", "### What Lighthouse lists on the pages that miss", "", *details]
    return "\n".join(lines)


def chromium_version() -> str:
    completed = subprocess.run([CHROME_PATH, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"Chromium [\d.]+", completed.stdout)
    return found.group(0) if found else "Chromium"


def main() -> int:
    started = time.monotonic()
    ensure_chromium()
    command = ensure_lighthouse()
    facts: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": bench.commit(),
        "nproc": os.cpu_count(),
        "load_before": bench.load_average(),
        "browser": chromium_version(),
        "runs_per_page": RUNS,
    }
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-lighthouse-"))
    bench.CLEANUP.push("workdir", lambda: shutil.rmtree(workdir, ignore_errors=True))
    port, people = serve(workdir)
    pages = {page: audit_page(command, port, page, people[page], workdir) for page in PAGES}
    facts["lighthouse"] = next(iter(pages.values()))["median"]["lighthouse"]
    facts["load_after"] = bench.load_average()
    facts["elapsed_s"] = round(time.monotonic() - started, 1)
    text = report(pages, facts)
    print()
    print(text)
    out = bench.BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    figures = {"machine": facts, "targets": targets(pages), "pages": pages}
    (out / f"lighthouse-{stamp}.json").write_text(json.dumps(figures, indent=1))
    (out / f"lighthouse-{stamp}.md").write_text(text + "\n")
    bench.log(f"figures written to bench/results/lighthouse-{stamp}.md and .json")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, bench.on_signal)
    signal.signal(signal.SIGINT, bench.on_signal)
    try:
        status = main()
    finally:
        bench.CLEANUP.run()
    sys.exit(status)
