"""The measurement simulation: simulated people through the real services on the real catalogue.

    .venv/bin/python bench/simulate.py                 # held-out seeds 101-110 (the reported figures)
    .venv/bin/python bench/simulate.py --seeds 1-10    # the seeds parameters were chosen on
    .venv/bin/python bench/simulate.py --per-seed 2    # quicker, noisier

It migrates a throw-away SQLite database, loads fixtures/, and prints one Markdown table per
length (the rows: world, population, answer model) plus the gaming cases and retake exposure.
See bench/README.md, "Measurement simulation".
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
_DB = Path(tempfile.mkdtemp(prefix="careerpath-sim-")) / "sim.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from simulation import people, runner  # noqa: E402

from assessments import selectors  # noqa: E402

COLUMNS = [
    ("below_target_right", "below target right %", "{:.1f}"),
    ("exact", "exact %", "{:.1f}"),
    ("exact_checked", "exact, checked %", "{:.1f}"),
    ("exact_unchecked", "exact, unchecked %", "{:.1f}"),
    ("within_one", "within one %", "{:.1f}"),
    ("readiness_bias", "readiness bias (points)", "{:+.1f}"),
    ("readiness_mae", "mean abs error", "{:.1f}"),
    ("readiness_p95", "95th pct error", "{:.1f}"),
    ("coverage", "90% range covers %", "{:.1f}"),
    ("width", "range width", "{:.2f}"),
    ("checks", "checks", "{:.1f}"),
    ("minutes", "minutes", "{:.0f}"),
]


def seeds_from(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    head = "| case | people | " + " | ".join(title for _k, title, _f in COLUMNS) + " |"
    rule = "|" + "---|" * (len(COLUMNS) + 2)
    body = [
        f"| {name} | {s['people']:.0f} | " + " | ".join(fmt.format(s[key]) for key, _t, fmt in COLUMNS) + " |"
        for name, s in rows
    ]
    return "\n".join([head, rule, *body])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", default="101-110", help="Seed range, e.g. 101-110 (held out) or 1-10.")
    parser.add_argument("--per-seed", type=int, default=4, help="People per seed and case.")
    parser.add_argument("--quick", action="store_true", help="Only the moderate world with nominal answers.")
    args = parser.parse_args()
    seeds = seeds_from(args.seeds)
    started = time.time()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    probe = runner._user("probe")
    scope = selectors.scope_for(user=probe)
    assert scope is not None
    skills = list(scope.skills)
    print(f"# Measurement simulation: seeds {args.seeds}, {args.per_seed} people per seed and case")
    print(f"Target: {runner.TARGET_ROLE}, {runner.TARGET_SENIORITY}: {len(skills)} skills rated.\n")

    cases = [("moderate", "uniform", "nominal"), ("moderate", "skewed", "nominal")]
    if not args.quick:
        cases += [
            ("moderate", "uniform", "harder"),
            ("moderate", "uniform", "guessy"),
            ("harsh", "uniform", "nominal"),
            ("harsh", "skewed", "nominal"),
        ]
    for length in ("default", "thorough"):
        rows = []
        for world, population, model in cases if length == "default" else cases[:2]:
            outcomes = runner.run_people(
                seeds=seeds,
                per_seed=args.per_seed,
                world=people.WORLDS[world],
                model=people.ANSWER_MODELS[model],
                population=population,
                skills=skills,
                length=length,
                prefix=f"{length}-{world}-{population}-{model}",
            )
            rows.append((f"{world}, {population}, {model}", runner.summarise([o[0] for o in outcomes])))
        print(f"## {length} length\n")
        print(table(rows))
        print()

    def moderate_uniform(responder: runner.Responder, prefix: str, claim_all: int | None = None) -> list:
        """First takes of people in the moderate world with uniform true levels, nominal answers."""
        return [
            o[0]
            for o in runner.run_people(
                seeds=seeds,
                per_seed=args.per_seed,
                world=people.MODERATE,
                model=people.NOMINAL,
                population="uniform",
                skills=skills,
                responder=responder,
                claim_all=claim_all,
                prefix=prefix,
            )
        ]

    print("## Gaming (claim 4 on every skill; moderate world, uniform true levels)\n")
    print("| answers | readiness shown (mean) | true readiness (mean) |")
    print("|---|---|---|")
    gaming = {
        "I don't know to every check": people.respond_dont_know,
        "random guesses, random certainty": people.respond_random,
    }
    for n, (name, responder) in enumerate(gaming.items()):
        outcomes = moderate_uniform(responder, f"gaming-{n}", claim_all=4)
        summary = runner.summarise(outcomes)
        true = sum(o.true_readiness for o in outcomes) / len(outcomes)
        print(f"| {name} | {summary['readiness']:.1f} | {true:.1f} |")
    print()
    print('## Honest certainty versus "certain" on every answer (moderate, uniform, nominal)\n')
    print("| certainty | readiness shown (mean) | readiness bias |")
    print("|---|---|---|")
    certainty = {
        "as the person feels it": people.respond,
        "always certain": people.always_certain(people.respond),
    }
    for n, (name, responder) in enumerate(certainty.items()):
        summary = runner.summarise(moderate_uniform(responder, f"certainty-{n}"))
        print(f"| {name} | {summary['readiness']:.1f} | {summary['readiness_bias']:+.1f} |")
    print()
    print("## Retakes: share of checks repeated from earlier takes (moderate, uniform, nominal)\n")
    takes = runner.run_people(
        seeds=seeds[:3],
        per_seed=max(1, args.per_seed // 2),
        world=people.MODERATE,
        model=people.NOMINAL,
        population="uniform",
        skills=skills,
        takes=3,
        prefix="retake",
    )
    for n in (1, 2):
        repeated = sum(t[n].repeated for t in takes)
        asked = sum(t[n].checks for t in takes)
        print(
            f"- take {n + 1}: {repeated} of {asked} checks repeated ({100 * repeated / max(asked, 1):.1f}%)"
        )
    print(f"\n_{time.time() - started:.0f} s_")


if __name__ == "__main__":
    main()
