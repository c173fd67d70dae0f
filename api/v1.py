"""Version 1 of the API: the NinjaAPI instance and its routers.

Served under `/api/v1/`; the schema is at `/api/v1/openapi.json` and the interactive docs at
`/api/v1/docs`.
"""

from ninja import NinjaAPI

from . import auth, throttling

api = NinjaAPI(
    title="careerpath API",
    version="1",
    description=(
        "A person's own careerpath data: profile, assessments, results, progress, plan and study "
        "log, and the open catalogue. Every object is the caller's own; another person's id is a 404."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=auth.authenticators(),
    throttle=throttling.default_throttles(),
)
