"""Taking an assessment through the services, page by page, as the views call them (no HTTP)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from assessments import selectors, services
from assessments.models import Answer, Assessment
from catalogue.models import Choice

Respond = Callable[[Answer, Sequence[Choice]], services.CheckResponse]


def dont_know(answer: Answer, _choices: Sequence[Choice]) -> services.CheckResponse:
    return services.CheckResponse(answer_id=answer.pk, choice_id=None, certainty="")


def fill_pages(
    assessment: Assessment,
    *,
    levels: Mapping[str, int] | None = None,
    default: int = 1,
    respond: Respond = dont_know,
) -> None:
    """Rate every skill (``levels`` by slug, else ``default``) and answer every check with ``respond``.

    The pages are read again after each one: rounds of checks end early once every skill is settled.
    """
    levels = levels or {}
    index = 0
    while True:
        assessment.refresh_from_db()
        key = assessment.steps[index]
        if key == "review":
            return
        page = selectors.step_page(assessment, index)
        if key.startswith("rate:"):
            rows = selectors.rating_rows(assessment, page.category)
            services.ratings_save(
                assessment=assessment,
                step=index,
                levels={skill.pk: levels.get(skill.slug, default) for skill, _a, _s in rows},
            )
        else:
            responses = [
                respond(answer, choices)
                for answer, choices in selectors.check_rows(assessment, page.category, page.round)
            ]
            services.checks_save(assessment=assessment, step=index, responses=responses)
        index += 1
