"""Data for browser tests that start mid-journey, made with the app's own services (no browser)."""

from __future__ import annotations

import random

from assessments import selectors, services
from assessments.models import Assessment, Result


def take_assessment(user, *, submit: bool = True, level: int = 1, seed: int = 0) -> Assessment:
    """Start an assessment and save every page: ``level`` for every skill, and the checks answered
    in turn right and certain, wrong and guessing, and "I don't know". With ``submit`` the result
    is built too; without it the assessment waits on its review page."""
    rng = random.Random(seed)
    assessment = services.assessment_start(user=user)
    for index, key in enumerate(assessment.steps[:-1]):
        page = selectors.step_page(assessment, index)
        if key.startswith("rate:"):
            levels = {
                skill.pk: level
                for skill, _anchors, _saved in selectors.rating_rows(assessment, page.category)
            }
            services.ratings_save(assessment=assessment, step=index, levels=levels, rng=rng)
            continue
        responses = []
        for position, (answer, choices) in enumerate(selectors.check_rows(assessment, page.category)):
            turn = position % 3
            if turn == 2:
                responses.append(services.CheckResponse(answer_id=answer.pk, choice_id=None, certainty=""))
                continue
            choice = next(c for c in choices if c.is_correct == (turn == 0))
            certainty = "certain" if turn == 0 else "guessing"
            responses.append(
                services.CheckResponse(answer_id=answer.pk, choice_id=choice.pk, certainty=certainty)
            )
        services.checks_save(assessment=assessment, step=index, responses=responses)
    assessment.refresh_from_db()
    if submit:
        services.assessment_submit(assessment=assessment)
    return assessment


def result_of(assessment: Assessment) -> Result:
    return Result.objects.get(assessment=assessment)


def create_user(username: str, email: str, *, permissions: tuple[str, ...] = (), **extra):
    """A user with a verified primary e-mail address and the password helpers.PASSWORD.

    ``permissions`` are "app_label.codename" strings; ``extra`` sets fields such as is_staff."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from accounts.models import Profile
    from tests.e2e.helpers import PASSWORD

    user = get_user_model().objects.create_user(username=username, email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(user=user, onboarded_at=timezone.now())  # chose the default target
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user
