"""Seed a benchmark database: the real catalogue and USERS people with results, plans and a quiz under way.

Run by bench/run.py with the same environment as the server (settings, DATABASE_URL, REDIS_URL,
secret key), so the sessions it creates are the ones the server reads. Writes a JSON file with,
for every person, the session cookie and the path of each measured page.

A few template people go through the real services (assessment_start, ratings_save, checks_save,
assessment_submit, step_mark): a first assessment, a retake four weeks later, three roadmap steps
done, and a third assessment under way (its first ratings and checks pages saved). The last
ZERO_TEMPLATES of them start from zero instead: every rating 0 and "I don't know" to every check,
so their plan is the whole entry target (the zero-to-entry plan), with nothing done yet. The other
people are copies of their rows made with bulk_create, which is what keeps seeding to seconds.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import services as account_services  # noqa: E402
from accounts.models import Profile  # noqa: E402
from assessments import selectors, services  # noqa: E402
from assessments.models import Answer, Assessment, Result, SelfRating  # noqa: E402
from catalogue.models import SkillCategory  # noqa: E402
from roadmap import selectors as roadmap_selectors  # noqa: E402
from roadmap import services as roadmap_services  # noqa: E402
from roadmap.models import RoadmapStep, StepProgress, StepStatus  # noqa: E402

USERS = 200
TEMPLATES = 8
ZERO_TEMPLATES = 2  # the last two templates (and their copies) have the zero-to-entry plan
PASSWORD = "bench-password-not-secret-0451"
QUIZ_RATE_STEP = 0  # rate:<first category>
QUIZ_CHECK_STEP = "round:1"  # the first round of checks (after every ratings page)
CITIES = [("GB", "London"), ("IN", "Bengaluru"), ("US", "Seattle"), ("DE", "Berlin")]


def take_assessment(
    user,
    rng: random.Random,
    shift: int = 0,
    *,
    submit: bool = True,
    pages: int | None = None,
    zero: bool = False,
):
    """Go through the quiz pages with the services, as the views do, then submit.

    The pages are read again after each one: rounds of checks end early once every skill is settled.
    """
    assessment = services.assessment_start(user=user)
    index = 0
    while pages is None or index < pages:
        assessment.refresh_from_db()
        kind, _, value = assessment.steps[index].partition(":")
        if kind == "review":
            break
        if kind == "rate":
            rows = selectors.rating_rows(assessment, SkillCategory.objects.get(slug=value))
            levels = {
                skill.pk: 0 if zero else min(4, max(0, rng.randint(0, 3) + shift)) for skill, _a, _s in rows
            }
            services.ratings_save(assessment=assessment, step=index, levels=levels, rng=rng)
        else:
            round_number = int(value) if kind == "round" else None
            category = None if round_number else SkillCategory.objects.get(slug=value)
            responses = []
            for answer, choices in selectors.check_rows(assessment, category, round_number):
                if zero or rng.random() < 0.1:
                    responses.append(services.CheckResponse(answer.pk, None, ""))
                    continue
                correct = [c for c in choices if c.is_correct]
                pick = correct[0] if correct and rng.random() < 0.6 + 0.1 * shift else rng.choice(choices)
                certainty = rng.choice(["guessing", "fairly_sure", "certain"])
                responses.append(services.CheckResponse(answer.pk, pick.pk, certainty))
            services.checks_save(assessment=assessment, step=index, responses=responses, rng=rng)
        index += 1
    if not submit:
        return assessment, None
    return assessment, services.assessment_submit(assessment=assessment)


def backdate(assessment: Assessment, result: Result | None, when) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(started_at=when - timedelta(minutes=40))
    if result is not None:
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
        Result.objects.filter(pk=result.pk).update(created_at=when)


def starts_from_zero(index: int) -> bool:
    """Whether template ``index`` (and its copies) has the zero-to-entry plan."""
    return index % TEMPLATES >= TEMPLATES - ZERO_TEMPLATES


def make_template(user, index: int) -> None:
    rng = random.Random(index)
    country, city = CITIES[index % len(CITIES)]
    Profile.objects.filter(user=user).update(hours_per_week=4 + 2 * index, country=country, city=city)
    now = timezone.now()
    if starts_from_zero(index):
        first, first_result = take_assessment(user, rng, zero=True)
        backdate(first, first_result, now - timedelta(days=4))
        steps = services.assessment_start(user=user).steps
        take_assessment(user, rng, submit=False, pages=steps.index(QUIZ_CHECK_STEP) + 1, zero=True)
        return
    first, first_result = take_assessment(user, rng)
    backdate(first, first_result, now - timedelta(days=32))
    second, second_result = take_assessment(user, rng, shift=1)
    backdate(second, second_result, now - timedelta(days=4))
    for row in roadmap_selectors.plan_rows(user)[:3]:
        roadmap_services.step_mark(
            user=user,
            key=row.step.key,
            update=roadmap_services.StepUpdate(
                status=StepStatus.DONE, notes="Done for the benchmark.", evidence=[]
            ),
        )
    # A third assessment under way: every rating and the first round of checks saved.
    steps = services.assessment_start(user=user).steps
    take_assessment(user, rng, shift=1, submit=False, pages=steps.index(QUIZ_CHECK_STEP) + 1)


def new_user(index: int, password: str):
    user_model = get_user_model()
    name = f"bench{index:03d}"
    return user_model(username=name, email=f"{name}@bench.careerpath.test", password=password)


def copy_rows(template, clones) -> None:
    """Copy a template person's profile, assessments, answers, results, plan and progress to clones."""
    profile = Profile.objects.get(user=template)
    Profile.objects.bulk_create(
        [
            Profile(
                user=clone,
                hours_per_week=profile.hours_per_week,
                country=profile.country,
                city=profile.city,
                experience_level=profile.experience_level,
                target_role_id=profile.target_role_id,
            )
            for clone in clones
        ]
    )
    assessments = list(Assessment.objects.filter(user=template).order_by("started_at"))
    copies = {}
    for source in assessments:
        made = Assessment.objects.bulk_create(
            [
                Assessment(
                    user=clone,
                    status=source.status,
                    submitted_at=source.submitted_at,
                    catalogue_version=source.catalogue_version,
                    steps=source.steps,
                    furthest_step=source.furthest_step,
                )
                for clone in clones
            ]
        )
        for row in made:
            row.started_at = source.started_at
        Assessment.objects.bulk_update(made, ["started_at"])
        copies[source.pk] = made
    ratings, answers = [], []
    for source in assessments:
        source_ratings = list(SelfRating.objects.filter(assessment=source))
        source_answers = list(Answer.objects.filter(assessment=source))
        for made in copies[source.pk]:
            ratings += [
                SelfRating(assessment=made, skill_id=r.skill_id, level=r.level) for r in source_ratings
            ]
            answers += [
                Answer(
                    assessment=made,
                    question_id=a.question_id,
                    skill_id=a.skill_id,
                    choice_id=a.choice_id,
                    dont_know=a.dont_know,
                    certainty=a.certainty,
                    seen_before=a.seen_before,
                    choice_order=a.choice_order,
                    answered_at=a.answered_at,
                )
                for a in source_answers
            ]
    SelfRating.objects.bulk_create(ratings, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    result_copies = {}
    for source in Result.objects.filter(user=template):
        made = Result.objects.bulk_create(
            [
                Result(
                    assessment=copy,
                    user=copy.user,
                    catalogue_version=source.catalogue_version,
                    focus=source.focus,
                    readiness=source.readiness,
                    snapshot_json=source.snapshot_json,
                )
                for copy in copies[source.assessment_id]
            ]
        )
        for row in made:
            row.created_at = source.created_at
        Result.objects.bulk_update(made, ["created_at"])
        result_copies[source.pk] = made
    steps = []
    for source in RoadmapStep.objects.filter(user=template):
        for made in result_copies[source.result_id]:
            steps.append(
                RoadmapStep(
                    user_id=made.user_id,
                    result=made,
                    key=source.key,
                    position=source.position,
                    details_json=source.details_json,
                    hours=source.hours,
                    start_hour=source.start_hour,
                    planned_start=source.planned_start,
                    planned_end=source.planned_end,
                )
            )
    RoadmapStep.objects.bulk_create(steps, batch_size=2000)
    StepProgress.objects.bulk_create(
        [
            StepProgress(
                user=clone,
                key=p.key,
                status=p.status,
                notes=p.notes,
                evidence=p.evidence,
                completed_at=p.completed_at,
            )
            for p in StepProgress.objects.filter(user=template)
            for clone in clones
        ]
    )


def pages_of(user) -> dict[str, str]:
    in_progress = Assessment.objects.get(user=user, status=Assessment.Status.IN_PROGRESS)
    latest = Result.objects.filter(user=user).order_by("-created_at").first()
    return {
        "quiz_rate": reverse("assessment_step", args=[in_progress.pk, QUIZ_RATE_STEP]),
        "quiz_check": reverse(
            "assessment_step", args=[in_progress.pk, in_progress.steps.index(QUIZ_CHECK_STEP)]
        ),
        "results": reverse("result_detail", args=[latest.pk]),
        "roadmap": reverse("roadmap"),
        "progress": reverse("progress"),
        "dashboard": reverse("dashboard"),
        "catalogue": reverse("catalogue_index"),
        "skill_map": reverse("roadmap_map"),
    }


def main(out: Path) -> None:
    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    timings["migrate_and_catalogue_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    password = make_password(PASSWORD)
    user_model = get_user_model()
    people = user_model.objects.bulk_create([new_user(index, password) for index in range(USERS)])
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in people]
    )
    templates, others = people[:TEMPLATES], people[TEMPLATES:]
    for index, template in enumerate(templates):
        account_services.profile_create(user=template)
        make_template(template, index)
    timings["templates_through_services_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    with transaction.atomic():
        for index, template in enumerate(templates):
            copy_rows(template, others[index::TEMPLATES])
    timings["copies_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    client = Client()
    people_out = []
    for index, user in enumerate(people):
        # others[k] copies template k % TEMPLATES (see the copies above)
        template = index if index < TEMPLATES else (index - TEMPLATES) % TEMPLATES
        client.force_login(user)
        people_out.append(
            {
                "username": user.username,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
                "pages": pages_of(user),
                "plan": "zero_to_entry" if starts_from_zero(template) else "under_way",
            }
        )
        client.cookies.clear()
    timings["sessions_s"] = round(time.perf_counter() - started, 1)
    counts = {
        model.__name__: model.objects.count()
        for model in (Assessment, Answer, Result, RoadmapStep, StepProgress, SelfRating)
    }
    out.write_text(json.dumps({"people": people_out, "timings": timings, "rows": counts}, indent=1))
    print(f"seeded {len(people_out)} people: {counts}; timings {timings}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
