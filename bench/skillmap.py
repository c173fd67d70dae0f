"""Skill map timing: the layout and the render for today's catalogue and one ten times its size.

Reads the published, non-historical skills, their categories and prerequisites straight from
``fixtures/`` (no database), then makes the ten-times catalogue by copying every skill and every
prerequisite nine more times, each copy in new categories (as bench/scaling.py grows the database).
For both it times, best and median of ``--repeat`` runs:

* the layout (``catalogue.skillmap.layout``: computed once per catalogue version, then cached);
* reading the cached layout back (a pickle round trip, what a cache hit costs);
* the render, uncoloured (the open map) and coloured with a status on every skill (a person's map):
  the SVG, the legend and the text alternative, the work done on every request.

Target: the render under 50 ms (median) for the ten-times catalogue.

    .venv/bin/python bench/skillmap.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue import skillmap  # noqa: E402
from catalogue.skillmap import STATUSES, MapEdge, MapNode, NodeStatus  # noqa: E402

TARGET_MS = 50.0


def read_catalogue(fixtures: Path) -> tuple[list[MapNode], list[MapEdge]]:
    """The published, non-historical skills and their prerequisites, as the map's input."""
    entries: list[dict[str, Any]] = []
    for path in [fixtures / "catalogue.yaml", *sorted((fixtures / "skills").glob("*.yaml"))]:
        entries += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    categories = {
        e["fields"]["slug"]: e["fields"] for e in entries if e["model"] == "catalogue.skillcategory"
    }
    nodes = []
    for entry in entries:
        fields = entry["fields"]
        if entry["model"] != "catalogue.skill" or not fields.get("is_published"):
            continue
        if fields.get("is_historical"):
            continue
        category = categories[fields["category"][0]]
        nodes.append(
            MapNode(fields["slug"], fields["name"], category["slug"], category["name"], category["order"])
        )
    edges = [
        MapEdge(e["fields"]["skill"][0], e["fields"]["requires"][0], e["fields"].get("min_level", 2))
        for e in entries
        if e["model"] == "catalogue.prerequisite"
    ]
    return nodes, edges


def grow(nodes: list[MapNode], edges: list[MapEdge], times: int) -> tuple[list[MapNode], list[MapEdge]]:
    """The catalogue and ``times - 1`` copies of it, each copy's categories new ones placed after."""
    span = max((n.category_order for n in nodes), default=0) + 1
    grown_nodes, grown_edges = list(nodes), list(edges)
    for copy in range(1, times):
        grown_nodes += [
            MapNode(
                f"{n.slug}-{copy}",
                f"{n.name} {copy}",
                f"{n.category_slug}-{copy}",
                f"{n.category_name} {copy}",
                n.category_order + copy * span,
            )
            for n in nodes
        ]
        grown_edges += [MapEdge(f"{e.skill}-{copy}", f"{e.requires}-{copy}", e.min_level) for e in edges]
    return grown_nodes, grown_edges


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best and median wall time of ``action`` in milliseconds, after one warm-up run."""
    action()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append((time.perf_counter() - start) * 1000)
    return min(runs), statistics.median(runs)


def href(slug: str) -> str:
    return f"/catalogue/skills/{slug}/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--times", type=int, default=10, help="how many times today's catalogue")
    args = parser.parse_args()

    today = read_catalogue(ROOT / "fixtures")
    print(f"skill map timings, best / median of {args.repeat} runs (ms)")
    print("| catalogue | skills | prerequisites | stages | layout | cache read | render | render, coloured |")
    print("|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for label, (nodes, edges) in (("today", today), (f"{args.times}x", grow(*today, args.times))):
        layout = skillmap.layout(nodes, edges)
        stored = pickle.dumps(layout)
        statuses = {
            placed.node.slug: NodeStatus(STATUSES[i % len(STATUSES)], i % 5)
            for i, placed in enumerate(layout.nodes)
        }
        figures = [
            timed(lambda n=nodes, e=edges: skillmap.layout(n, e), max(args.repeat // 5, 3)),
            timed(lambda s=stored: pickle.loads(s), args.repeat),
            timed(lambda lay=layout: skillmap.render(lay, href), args.repeat),
            timed(lambda lay=layout, st=statuses: skillmap.render(lay, href, st), args.repeat),
        ]
        worst = max(worst, figures[2][1], figures[3][1]) if label != "today" else worst
        cells = " | ".join(f"{best:.2f} / {median:.2f}" for best, median in figures)
        print(f"| {label} | {len(nodes)} | {len(edges)} | {len(layout.stages)} | {cells} |")
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(
        f"\nrender of the {args.times}x catalogue: {worst:.2f} ms (median, slower of the two), {verdict} the {TARGET_MS:.0f} ms target"
    )
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
