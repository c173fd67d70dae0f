"""Every operation of the schema, fuzzed in-process with schemathesis against the WSGI application.

A logged-in person (with a result, a plan and an assessment in progress) calls each operation with
generated input: valid input, input aimed at their own objects, and invalid input. No call may
end in a server error, and every response must be one the schema documents, in the documented
shape (status code, content type and body).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments import services as assessment_services
from careerpath.wsgi import application
from roadmap.models import RoadmapStep
from tests.api.test_operations import take_assessment

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
OWN_EXAMPLES = 4


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def person(client, user, small_catalogue, settings) -> dict[str, Any]:
    """A logged-in person with a result, a plan and an assessment in progress; their cookies and ids.

    The request limits are lifted, so the calls reach the operations (a 429 is documented anyway).
    """
    settings.CAREERPATH_API_RATES = {
        f"{who}_{kind}": "100000/min"
        for who in ("token", "person", "anonymous")
        for kind in ("read", "write")
    }
    result = take_assessment(user)
    in_progress = assessment_services.assessment_start(user=user)
    client.force_login(user)
    csrf = _get_new_csrf_string()
    return {
        "statuses": {},
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        # Called straight through WSGI, the body is read as sent: no gzip (an HTTP client would
        # undo it), so the answers are checked against the schema as they are.
        "headers": {"X-CSRFToken": csrf, "Accept-Encoding": "identity"},
        "own": {
            "id": [in_progress.pk, result.pk],
            "key": RoadmapStep.objects.filter(user=user).values_list("key", flat=True).first(),
            "slug": "python",
            "role": "machine-learning-engineer",
            "seniority": "entry",
        },
    }


def run(operation, strategy, examples: int, person: dict[str, Any]) -> None:
    @given(case=strategy)
    @fuzz_settings(examples)
    def test(case):
        response = case.call_and_validate(headers=person["headers"], cookies=person["cookies"], checks=CHECKS)
        person["statuses"].setdefault(operation.definition.raw["operationId"], set()).add(
            response.status_code
        )

    test()


def own_parameters(operation, person: dict[str, Any], which: int) -> dict[str, Any] | None:
    names = [p.name for p in operation.path_parameters]
    if not names:
        return None
    own = dict(person["own"])
    if "/roles/" in operation.path:
        own["slug"] = own["role"]
    return {name: own[name][which] if name == "id" else own[name] for name in names}


@pytest.fixture
def connections_kept():
    """The calls go straight to the WSGI application, whose request signals would close the test's
    database connection (with its transaction) on PostgreSQL; Django's own test client disconnects
    them the same way for each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(person, connections_kept):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        run(operation, operation.as_strategy(), EXAMPLES[GenerationMode.POSITIVE], person)
        try:
            strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
            run(operation, strategy, EXAMPLES[GenerationMode.NEGATIVE], person)
        except Unsatisfiable:
            pass  # nothing of this operation can be invalid (no body, no bounded parameter)
        for which in (0, 1):
            parameters = own_parameters(operation, person, which)
            if parameters is not None:
                strategy = operation.as_strategy(path_parameters=parameters)
                run(operation, strategy, OWN_EXAMPLES, person)
    # The fuzzing reached the operations, not only their refusals: each succeeded at least once,
    # but those whose random input is almost never acceptable (tests/api/test_operations.py takes
    # them through their successes).
    hard = {"assessment_answer", "assessment_submit", "plan_step_session_log"}
    unreached = {op for op, codes in person["statuses"].items() if op not in hard and min(codes) >= 300}
    assert unreached == set()
    assert len(person["statuses"]) == len(operations)
