"""Shape frozen result snapshots for the pages (no queries: everything comes from the snapshot)."""

from __future__ import annotations

from catalogue.vocab import Level


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def calibration_note(skill: dict) -> str | None:
    """A sentence about a self-rating the checks did not confirm, or None when they agree."""
    name, claimed, assessed = skill["name"], skill["self_level"], skill["assessed_level"]
    if skill["calibration"] == "over-confident":
        return (
            f"You rated yourself {Level(claimed).label.lower()} ({claimed}) in {name}, but the checks put you at "
            f"{assessed}: {skill['reason']}"
        )
    if skill["calibration"] == "under-confident":
        return (
            f"You rated yourself {Level(claimed).label.lower()} ({claimed}) in {name}, and the checks suggest "
            f"you are at {assessed}: {skill['reason']}"
        )
    return None


def result_context(result) -> dict:
    """Everything result.html shows, read from the snapshot alone."""
    snapshot = result.snapshot
    roles = snapshot["roles"]
    headline_slug = (
        snapshot["headline_role"] if snapshot["headline_role"] in roles else next(iter(roles), None)
    )
    headline = roles.get(headline_slug, {"skills": {}, "by_category": {}, "strengths": [], "top_gaps": []})
    skills = {s["slug"]: s for s in snapshot["skills"]}
    categories = {c["slug"]: c["name"] for c in snapshot["categories"]}

    def skill_row(slug: str) -> dict:
        skill = skills[slug]
        target = headline["skills"].get(slug, {})
        return {
            **skill,
            "category_name": categories.get(skill["category"], skill["category"]),
            "target": target.get("target", 0),
            "gap": target.get("gap", 0),
            "weight": target.get("weight", 0),
            "weighted_gap": target.get("weighted_gap", 0),
            "priority": target.get("priority", 0),
            "range": f"{skill['low']}-{skill['high']}" if skill["low"] != skill["high"] else "",
        }

    rows = [skill_row(slug) for slug in skills]
    chart = {
        "labels": [row["name"] for row in rows],
        "current": [row["assessed_level"] for row in rows],
        "target": [row["target"] for row in rows],
    }
    return {
        "result": result,
        "headline": {
            "slug": headline_slug,
            "name": headline.get("name", ""),
            "readiness": percent(headline.get("readiness")),
        },
        "role_fit": [
            {"slug": slug, "name": role["name"], "readiness": percent(role["readiness"])}
            for slug, role in roles.items()
        ],
        "category_bars": [
            {
                "slug": c["slug"],
                "name": c["name"],
                "readiness": percent(headline["by_category"].get(c["slug"])),
            }
            for c in snapshot["categories"]
        ],
        "rows": rows,
        "chart": chart,
        "top_gaps": [skill_row(slug) for slug in headline["top_gaps"][:8]],
        "strengths": [skill_row(slug) for slug in headline["strengths"]],
        "calibration_notes": [note for note in (calibration_note(s) for s in snapshot["skills"]) if note],
        "checks": snapshot["checks"],
        "level_names": Level.labels,
    }


def skill_changes(before, after) -> list[dict]:
    """Per-skill assessed level in two results, with the change."""
    old = {s["slug"]: s for s in before.snapshot["skills"]}
    rows = []
    for skill in after.snapshot["skills"]:
        previous = old.get(skill["slug"])
        was = previous["assessed_level"] if previous else None
        rows.append(
            {
                "name": skill["name"],
                "before": was,
                "after": skill["assessed_level"],
                "change": None if was is None else skill["assessed_level"] - was,
            }
        )
    return rows


def gaps_closed(before, after, role: str) -> int:
    """How many of the role's gaps in ``before`` are closed in ``after``."""
    old = before.snapshot["roles"].get(role, {}).get("skills", {})
    new = after.snapshot["roles"].get(role, {}).get("skills", {})
    return sum(1 for slug, f in old.items() if f["gap"] > 0 and new.get(slug, {"gap": 1})["gap"] == 0)


def readiness_series(history: list[dict], roles: dict[str, str]) -> dict:
    """Chart data: one line per role, one point per result."""
    return {
        "labels": [h["created_at"].strftime("%d %b %Y") for h in history],
        "series": [
            {"label": name, "values": [percent(h["readiness"].get(slug)) for h in history]}
            for slug, name in roles.items()
        ],
    }


def achieved_skills(previous, latest) -> list[str]:
    """Names of skills whose gap for the latest headline role closed since the previous result."""
    if previous is None or latest is None:
        return []
    role = latest.headline_role
    old = previous.snapshot["roles"].get(role, {}).get("skills", {})
    new = latest.snapshot["roles"].get(role, {}).get("skills", {})
    names = {s["slug"]: s["name"] for s in latest.snapshot["skills"]}
    return [
        names[slug]
        for slug, f in old.items()
        if f["gap"] > 0 and slug in names and new.get(slug, {}).get("gap") == 0
    ]
