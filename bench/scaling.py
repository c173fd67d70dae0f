"""Scaling run: does a page's cost and query count stay flat as the catalogue and a person's history grow?

Run by bench/run.py on a seeded database (bench/seed.py) after the load phase, with the server's
environment. In-process, through django.test.Client, each page is timed (best of 40 requests after a
warm-up, in blocks taken in turn with the other pages; the median is kept too) and its queries counted with CaptureQueriesContext:

1. the normal case: person A (a template person: two results, a plan, a quiz under way) on the real
   catalogue;
2. the catalogue made ten times larger: nine generated copies of every category, each a new
   category (so the measured quiz page and A's results list none of it), with skills, anchors,
   questions, choices, resources, role targets and prerequisites; A given 100 assessments in all;
   every page of A measured again: same query count, cost ratio at most 1.3 wherever the page lists
   the same rows as before;
3. the pages whose rows grow with the data, in milliseconds per listed row: the open catalogue
   and the skill map (every published skill), progress (one row per result: 2, then 99), and, for person B who takes
   the whole ten-times catalogue through the services, results (skills and checks) and roadmap
   (steps).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import services as account_services  # noqa: E402
from assessments.models import Answer, Assessment, Result, SelfRating  # noqa: E402
from bench import seed  # noqa: E402
from catalogue import services as catalogue_services  # noqa: E402
from catalogue.models import (  # noqa: E402
    Choice,
    LevelAnchor,
    Prerequisite,
    Question,
    Resource,
    RoleTarget,
    Skill,
    SkillCategory,
)
from roadmap.models import RoadmapStep  # noqa: E402

CYCLES = 4  # each page is timed in CYCLES blocks of BLOCK requests, the pages taking turns,
BLOCK = 10  # so a burst of load from elsewhere on the machine hits one block, not all of a page's
WARMUP = 3
COPIES = 9  # the catalogue ends ten times its size
ASSESSMENTS = 100  # person A's assessments in the scaled case
PAGES = ["quiz_rate", "quiz_check", "results", "roadmap", "progress", "dashboard", "catalogue", "skill_map"]


def measure_pages(client: Client, paths: dict[str, str]) -> dict[str, dict]:
    """Queries per page, and its cost: the best of its CYCLES * BLOCK requests (median kept too)."""
    out, times = {}, {name: [] for name in paths}
    for name, path in paths.items():
        for _ in range(WARMUP):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        out[name] = {"path": path, "queries": len(queries.captured_queries), "bytes": len(response.content)}
    for _ in range(CYCLES):
        for name, path in paths.items():
            for _ in range(BLOCK):
                started = time.perf_counter()
                client.get(path)
                times[name].append((time.perf_counter() - started) * 1000)
    for name, samples in times.items():
        out[name] |= {"ms": round(min(samples), 2), "ms_median": round(statistics.median(samples), 2)}
    return out


def listed_rows(user, page: str) -> int | None:
    if page == "results":
        snapshot = Result.objects.filter(user=user).order_by("-created_at").first().snapshot
        return len(snapshot.skills) + sum(len(skill.evidence) for skill in snapshot.skills)
    if page == "roadmap":
        return RoadmapStep.objects.filter(user=user).count()
    if page == "progress":
        return Result.objects.filter(user=user).count()
    if page in ("catalogue", "skill_map"):  # both draw every published skill
        return Skill.objects.filter(is_published=True).count()
    return None


def client_for(person: dict) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.cookies.load(person["cookie"])
    return client


def measure_person(client: Client, user, pages: dict[str, str]) -> dict:
    measured = measure_pages(client, {page: pages[page] for page in PAGES})
    return {page: measured[page] | {"rows": listed_rows(user, page)} for page in PAGES}


@transaction.atomic
def grow_catalogue(copies: int) -> dict:
    """Add ``copies`` generated copies of every category (new categories) with all their parts."""
    categories = list(SkillCategory.objects.order_by("order"))
    skills = list(Skill.objects.all())
    top_order = max(c.order for c in categories)
    anchors = list(LevelAnchor.objects.all())
    questions = list(Question.objects.all())
    choices = list(Choice.objects.all())
    resources = list(Resource.objects.all())
    targets = list(RoleTarget.objects.all())
    prerequisites = list(Prerequisite.objects.all())
    for copy in range(1, copies + 1):
        suffix = f"-x{copy}"
        new_categories = SkillCategory.objects.bulk_create(
            [
                SkillCategory(
                    slug=c.slug + suffix,
                    name=f"{c.name} {copy + 1}",
                    order=top_order + copy * len(categories) + i + 1,
                    phase=c.phase,
                )
                for i, c in enumerate(categories)
            ]
        )
        category_map = {old.pk: new for old, new in zip(categories, new_categories, strict=True)}
        new_skills = Skill.objects.bulk_create(
            [
                Skill(
                    slug=s.slug + suffix,
                    name=f"{s.name} {copy + 1}",
                    description=s.description,
                    category=category_map[s.category_id],
                    kind=s.kind,
                    covers=s.covers,
                    source=s.source,
                    is_published=s.is_published,
                )
                for s in skills
            ]
        )
        skill_map = {old.pk: new for old, new in zip(skills, new_skills, strict=True)}
        LevelAnchor.objects.bulk_create(
            [
                LevelAnchor(
                    skill=skill_map[a.skill_id],
                    level=a.level,
                    description=a.description,
                    hours_to_reach=a.hours_to_reach,
                )
                for a in anchors
            ],
            batch_size=2000,
        )
        new_questions = Question.objects.bulk_create(
            [
                Question(
                    key=q.key + suffix,
                    skill=skill_map[q.skill_id],
                    level=q.level,
                    prompt=q.prompt,
                    explanation=q.explanation,
                    active=q.active,
                )
                for q in questions
            ],
            batch_size=2000,
        )
        question_map = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
        Choice.objects.bulk_create(
            [
                Choice(
                    question=question_map[c.question_id], label=c.label, text=c.text, is_correct=c.is_correct
                )
                for c in choices
            ],
            batch_size=2000,
        )
        Resource.objects.bulk_create(
            [
                Resource(
                    skill=skill_map[r.skill_id],
                    title=r.title,
                    url=r.url,
                    resource_type=r.resource_type,
                    is_free=r.is_free,
                    hours=r.hours,
                    level=r.level,
                )
                for r in resources
            ],
            batch_size=2000,
        )
        RoleTarget.objects.bulk_create(
            [
                RoleTarget(
                    role_id=t.role_id,
                    seniority=t.seniority,
                    skill=skill_map[t.skill_id],
                    level=t.level,
                    weight=t.weight,
                    required=t.required,
                    group=f"{t.group}{suffix}" if t.group else "",
                )
                for t in targets
            ]
        )
        Prerequisite.objects.bulk_create(
            [
                Prerequisite(
                    skill=skill_map[p.skill_id], requires=skill_map[p.requires_id], min_level=p.min_level
                )
                for p in prerequisites
            ]
        )
    catalogue_services.refresh_catalogue_version()
    return {
        "categories": SkillCategory.objects.count(),
        "skills": Skill.objects.count(),
        "questions": Question.objects.count(),
        "choices": Choice.objects.count(),
    }


@transaction.atomic
def grow_history(user, total: int) -> int:
    """Give the person ``total`` assessments: copies of their first, submitted before it, with results."""
    first = Assessment.objects.filter(user=user, status=Assessment.Status.SUBMITTED).order_by("started_at")[0]
    result = first.result
    ratings = list(SelfRating.objects.filter(assessment=first))
    answers = list(Answer.objects.filter(assessment=first))
    extra = total - Assessment.objects.filter(user=user).count()
    made = Assessment.objects.bulk_create(
        [
            Assessment(
                user=user,
                status=Assessment.Status.SUBMITTED,
                submitted_at=first.submitted_at - timedelta(days=7 * (n + 1)),
                catalogue_version=first.catalogue_version,
                steps=first.steps,
                furthest_step=first.furthest_step,
            )
            for n in range(extra)
        ]
    )
    for assessment in made:
        assessment.started_at = assessment.submitted_at - timedelta(minutes=40)
    Assessment.objects.bulk_update(made, ["started_at"])
    SelfRating.objects.bulk_create(
        [SelfRating(assessment=a, skill_id=r.skill_id, level=r.level) for a in made for r in ratings],
        batch_size=2000,
    )
    Answer.objects.bulk_create(
        [
            Answer(
                assessment=a,
                question_id=x.question_id,
                skill_id=x.skill_id,
                choice_id=x.choice_id,
                dont_know=x.dont_know,
                certainty=x.certainty,
                seen_before=True,
                choice_order=x.choice_order,
                answered_at=a.submitted_at,
            )
            for a in made
            for x in answers
        ],
        batch_size=2000,
    )
    results = Result.objects.bulk_create(
        [
            Result(
                assessment=a,
                user=user,
                catalogue_version=result.catalogue_version,
                focus=result.focus,
                readiness=result.readiness,
                snapshot_json=result.snapshot_json,
            )
            for a in made
        ]
    )
    for r, a in zip(results, made, strict=True):
        r.created_at = a.submitted_at
    Result.objects.bulk_update(results, ["created_at"])
    return Assessment.objects.filter(user=user).count()


def person_b(rng: random.Random):
    """A new person who takes the whole (ten-times) catalogue through the services."""
    user = get_user_model().objects.create_user(
        "bench-scale", "bench-scale@bench.careerpath.test", seed.PASSWORD
    )
    account_services.profile_create(user=user)
    seed.take_assessment(user, rng)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    result = Result.objects.get(user=user)
    return (
        user,
        client,
        {"results": reverse("result_detail", args=[result.pk]), "roadmap": reverse("roadmap")},
    )


def main(seed_file: Path, out: Path) -> None:
    people = json.loads(seed_file.read_text())["people"]
    person = people[0]
    user_a = get_user_model().objects.get(username=person["username"])
    client_a = client_for(person)
    started = time.perf_counter()
    normal = measure_person(client_a, user_a, person["pages"])
    # The floor and the reference page in-process, and the roadmap of a person with the whole
    # zero-to-entry plan (the load phase measures the roadmap with those people).
    # /healthz as the load phase calls it (no cookie); the reference page as person A.
    floor = measure_pages(Client(HTTP_HOST="localhost"), {"healthz": "/healthz"})
    floor |= measure_pages(client_a, {"static_page": reverse("how_we_score")})
    zero = next(p for p in people if p["plan"] == "zero_to_entry")
    user_zero = get_user_model().objects.get(username=zero["username"])
    zero_roadmap = measure_pages(client_for(zero), {"roadmap": zero["pages"]["roadmap"]})["roadmap"]
    zero_roadmap["rows"] = listed_rows(user_zero, "roadmap")
    grown = grow_catalogue(COPIES)
    assessments = grow_history(user_a, ASSESSMENTS)
    scaled = measure_person(client_a, user_a, person["pages"])
    seeded = time.perf_counter()
    user_b, client_b, pages_b = person_b(random.Random(7))
    seeded_b = time.perf_counter() - seeded
    measured = measure_pages(client_b, pages_b)
    wide = {page: measured[page] | {"rows": listed_rows(user_b, page)} for page in pages_b}
    report = {
        "normal": normal,
        "floor": floor,
        "zero_roadmap": zero_roadmap,
        "scaled": scaled,
        "wide": wide,
        "catalogue": grown,
        "assessments_of_a": assessments,
        "person_b_seconds": round(seeded_b, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "requests_per_page": CYCLES * BLOCK,
    }
    out.write_text(json.dumps(report, indent=1))
    print(f"scaling run done in {report['seconds']} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
