"""The demo learner: three assessments over three months, a plan about half done, study time logged.

``manage.py load_demo`` (and ``make demo``) calls :func:`load_demo`. Everything goes through the
services a real person's pages call: the target is chosen, every quiz page is saved
(``assessment_start``, ``ratings_save``, ``checks_save``), the assessment submitted (which rebuilds
the plan), steps marked and study time logged. Only the clock is moved afterwards: each result,
its plan revision and each step's completion get the date they would have had, and the plan is
re-timed from the day of each result, so the pages read as three months of use.

The learner is simulated, with a fixed seed: a software developer moving to machine learning,
whose true level on each skill rises as they finish the plan's steps. They rate themselves near
that level (a little too high the first time) and answer a check right most of the time when its
level is within reach, so readiness rises from one result to the next.

The account is the only profile marked ``is_demo``: the public sample pages show it and no one
else. Loading again deletes the previous demo learner and makes it anew; no other account is read
or changed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Profile, User
from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.models import Answer, Assessment, Result
from catalogue import selectors as catalogue_selectors
from catalogue.models import Choice, Role, SkillCategory
from catalogue.targets import Choices, TargetKey
from catalogue.vocab import Certainty, Seniority

from . import planner, selectors, services
from .models import PlanRevision, StepProgress, StepStatus, StudySession

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "careerpath-demo-2026"  # a public sample account: the password is printed and documented
DEMO_NAME = "Sam (sample learner)"
SEED = 20260301
ROLE = "machine-learning-engineer"
HOURS_PER_WEEK = 10
RESULT_DAYS_AGO = (90, 45, 3)
# Skills a software developer already has some of when they start (the learner's starting point).
DEVELOPER_SKILLS = {
    "python": 2,
    "git-version-control": 2,
    "software-engineering-practice": 2,
    "software-testing": 2,
    "sql": 2,
    "data-structures-algorithms": 2,
    "problem-solving": 2,
    "collaboration": 2,
    "communication": 2,
    "working-under-deadlines": 2,
    "interpersonal-skills": 2,
    "java": 2,
}
# Days of the week (counted from the first result's day) the learner studies on, with the hours of a usual session.
STUDY_DAYS = {1: Decimal(2), 3: Decimal(2), 5: Decimal(3), 6: Decimal("2.5")}
# A developer moving over is quicker than the plan's hours: a step is done at this share of them.
AHEAD = Decimal("0.6")
# Career milestones the learner marks done: after which result, how many days later, with what note.
MILESTONES_DONE = {
    "milestone:degree-or-equivalent": (0, 0, "BSc in Computer Science, 2019."),
    "milestone:certification": (1, 20, "Passed a cloud practitioner certification."),
}
STEP_NOTES = (
    "Worked through the first resource and took notes.",
    "Did the exercises; the last two took a second go.",
    "Built a small notebook to try it on a real data set.",
    "Went back over the parts I got wrong in the checks.",
)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`load_demo` made, for the command to print."""

    user: User
    email: str
    password: str
    readiness: list[tuple[date, int]]  # each result's day and readiness for the role, in per cent
    steps: int
    done: int
    in_progress: int
    hours_logged: Decimal


class Learner:
    """The simulated person: a true level per skill, ratings and answers drawn around it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.level: dict[str, int] = {}

    def true_level(self, slug: str) -> int:
        if slug not in self.level:
            start = DEVELOPER_SKILLS.get(slug)
            self.level[slug] = start if start is not None else self.rng.choice((0, 0, 1, 1, 1, 2))
        return self.level[slug]

    def learned(self, slug: str, level: int) -> None:
        self.level[slug] = max(self.true_level(slug), level)

    def rate(self, slug: str, *, first: bool) -> int:
        """The self-rating: the true level, a little too high now and then the first time."""
        level = self.true_level(slug)
        if first and level < 4 and self.rng.random() < 0.3:
            return level + 1
        return level

    def respond(self, answer: Answer, choices: Sequence[Choice]) -> assessment_services.CheckResponse:
        """Right within reach (surer the further below their level), "I don't know" beyond it.

        An honest learner: their claims are the only thing that is off, and only the first time.
        """
        reach = self.true_level(answer.skill.slug) - answer.question.level
        right = [c for c in choices if c.is_correct]
        if reach < 0 or not right:
            return assessment_services.CheckResponse(answer.pk, None, "")
        certainty = Certainty.CERTAIN if reach >= 1 or self.rng.random() < 0.3 else Certainty.FAIRLY_SURE
        return assessment_services.CheckResponse(answer.pk, right[0].pk, certainty)


def take_assessment(user: User, learner: Learner, rng: random.Random, *, first: bool) -> Result:
    """Every page of an assessment saved through the services, as the quiz views do, then submitted.

    The pages are read again after each one: rounds of checks end early once every skill is settled.
    """
    assessment = assessment_services.assessment_start(user=user)
    index = 0
    while True:
        assessment.refresh_from_db()
        kind, _, value = assessment.steps[index].partition(":")
        if kind == "review":
            break
        if kind == "rate":
            rows = assessment_selectors.rating_rows(assessment, SkillCategory.objects.get(slug=value))
            levels = {skill.pk: learner.rate(skill.slug, first=first) for skill, _a, _s in rows}
            assessment_services.ratings_save(assessment=assessment, step=index, levels=levels, rng=rng)
        else:
            round_number = int(value) if kind == "round" else None
            category = None if round_number else SkillCategory.objects.get(slug=value)
            responses = [
                learner.respond(answer, choices)
                for answer, choices in assessment_selectors.check_rows(assessment, category, round_number)
            ]
            assessment_services.checks_save(assessment=assessment, step=index, responses=responses, rng=rng)
        index += 1
    return assessment_services.assessment_submit(assessment=assessment)


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _backdate_result(result: Result, when: datetime) -> None:
    Assessment.objects.filter(pk=result.assessment_id).update(
        started_at=when - timedelta(minutes=35), submitted_at=when
    )
    Result.objects.filter(pk=result.pk).update(created_at=when)
    PlanRevision.objects.filter(user=result.user, result=result).update(created_at=when)


def _mark(user: User, key: str, status: str, note: str, day: date) -> None:
    services.step_mark(user=user, key=key, update=services.StepUpdate(status=status, notes=note, evidence=[]))
    if status == StepStatus.DONE:
        StepProgress.objects.filter(user=user, key=key).update(completed_at=_moment(day, 20))


def _open_steps(user: User) -> list[selectors.PlanRow]:
    return [
        row
        for row in selectors.plan_rows(user)
        if row.step.details.kind != planner.MILESTONE and row.status not in services.CLOSED
    ]


def study(
    user: User, learner: Learner, rng: random.Random, *, first: date, start: date, end: date, today: date
) -> None:
    """Study from the day after ``start`` to ``end``: sessions logged on the plan's steps in order,
    each step marked in progress when begun and done once its hours are in (a bit sooner when the
    learner was ahead of the plan), the learner's level rising with every step done."""
    logged = {
        row["step_key"]: row["total"]
        for row in StudySession.objects.filter(user=user).values("step_key").annotate(total=Sum("hours"))
    }
    day = start + timedelta(days=1)
    skipping = False
    while day <= end:
        # The week counts from the first result, so the same seed studies alike whatever today is.
        weekday = (day - first).days % 7
        if weekday == 0:
            skipping = rng.random() < 0.12  # a week off now and then
        hours = STUDY_DAYS.get(weekday)
        if hours is None or skipping:
            day += timedelta(days=1)
            continue
        hours += Decimal(rng.choice((-0.5, 0, 0, 0.5)))
        open_steps = _open_steps(user)
        if not open_steps:
            break
        # Two steps side by side, as the plan lays them out: sessions take turns between them.
        row = open_steps[min(len(open_steps), 2) - 1 if weekday in (3, 6) else 0]
        key = row.step.key
        if row.status != StepStatus.IN_PROGRESS:
            _mark(user, key, StepStatus.IN_PROGRESS, "", day)
        session = services.study_session_log(
            user=user, key=key, day=day, hours=hours, note=rng.choice(STEP_NOTES), today=today
        )
        StudySession.objects.filter(pk=session.pk).update(created_at=_moment(day, 21))
        logged[key] = logged.get(key, Decimal(0)) + hours
        details = row.step.details
        if logged[key] >= Decimal(row.step.hours) * AHEAD:
            _mark(user, key, StepStatus.DONE, rng.choice(STEP_NOTES), day)
            if details.to_level is not None and details.part == details.parts:
                learner.learned(details.slug, details.to_level)
        day += timedelta(days=1)


def load_demo(
    *, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD, seed: int = SEED, today: date | None = None
) -> DemoSummary:
    """Make (or make again) the demo learner with three months of use; see the module's docstring."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    learner = Learner(rng)
    days = [today - timedelta(days=ago) for ago in RESULT_DAYS_AGO]
    with transaction.atomic():
        user = account_services.demo_account_reset(email=email, password=password)
        joined = _moment(days[0], 18)
        User.objects.filter(pk=user.pk).update(date_joined=joined)
        role = Role.objects.get(slug=ROLE)
        account_services.target_choose(
            user=user, role=role, seniority=Seniority.ENTRY, hours_per_week=HOURS_PER_WEEK
        )
        rows = catalogue_selectors.target_rows().get(TargetKey(role.slug, Seniority.ENTRY), [])
        account_services.target_choices_save(user=user, rows=rows, choices=Choices())
        Profile.objects.filter(user=user).update(
            display_name=DEMO_NAME,
            experience_level=Profile.Experience.SWITCHER,
            country="IN",
            city="Bengaluru",
            onboarded_at=joined,
        )
        readiness = []
        for number, day in enumerate(days):
            result = take_assessment(user, learner, rng, first=number == 0)
            _backdate_result(result, _moment(day, 19))
            services.plan_replan(user=user, today=day)  # the plan as it was laid out that day
            readiness.append((day, round(100 * result.readiness.get(result.focus, 0))))
            end = days[number + 1] - timedelta(days=1) if number + 1 < len(days) else today
            study(user, learner, rng, first=days[0], start=day, end=end, today=today)
            in_plan = {row.step.key for row in selectors.plan_rows(user)}
            for key, (after, later, note) in MILESTONES_DONE.items():
                if after == number and key in in_plan:
                    _mark(user, key, StepStatus.DONE, note, day + timedelta(days=later))
        plan = selectors.plan_rows(user)
        hours = StudySession.objects.filter(user=user).aggregate(total=Sum("hours"))["total"]
    return DemoSummary(
        user=user,
        email=email,
        password=password,
        readiness=readiness,
        steps=len(plan),
        done=sum(row.status == StepStatus.DONE for row in plan),
        in_progress=sum(row.status == StepStatus.IN_PROGRESS for row in plan),
        hours_logged=(hours or Decimal(0)).normalize(),
    )
