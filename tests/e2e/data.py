"""Data for browser tests that start mid-journey, made with the app's own services (no browser)."""

from __future__ import annotations

import random

from assessments import pacing, selectors, services
from assessments.models import Assessment, Result


def take_assessment(
    user, *, submit: bool = True, level: int = 1, seed: int = 0, length: str = pacing.DEFAULT.key
) -> Assessment:
    """Start an assessment and save every page: ``level`` for every skill, and the checks answered
    in turn right and certain, wrong and guessing, and "I don't know". With ``submit`` the result
    is built too; without it the assessment waits on its review page.

    The pages are read again after each one, as a browser follows the redirects: the rounds of
    checks end early once every skill is settled, so the list of steps shrinks on the way."""
    rng = random.Random(seed)
    assessment = services.assessment_start(user=user, length=length)
    index = 0
    while True:
        assessment.refresh_from_db()
        page = selectors.step_page(assessment, index)
        if page.kind == "review":
            break
        if page.kind == "rate":
            levels = {
                skill.pk: level
                for skill, _anchors, _saved in selectors.rating_rows(assessment, page.category)
            }
            services.ratings_save(assessment=assessment, step=index, levels=levels, rng=rng)
        else:  # a round of checks (or, in an assessment of the earlier kind, a category's checks)
            rows = selectors.check_rows(assessment, page.category, page.round)
            services.checks_save(assessment=assessment, step=index, responses=responses_for(rows), rng=rng)
        index += 1
    if submit:
        services.assessment_submit(assessment=assessment)
    return assessment


def responses_for(rows) -> list[services.CheckResponse]:
    """Right and certain, wrong and guessing, "I don't know", in turn over a page's checks."""
    responses = []
    for position, (answer, choices) in enumerate(rows):
        turn = position % 3
        if turn == 2:
            responses.append(services.CheckResponse(answer_id=answer.pk, choice_id=None, certainty=""))
            continue
        choice = next(c for c in choices if c.is_correct == (turn == 0))
        certainty = "certain" if turn == 0 else "guessing"
        responses.append(
            services.CheckResponse(answer_id=answer.pk, choice_id=choice.pk, certainty=certainty)
        )
    return responses


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
