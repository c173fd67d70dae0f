"""Version 1 of the API: the NinjaAPI instance and its routers.

Served under `/api/v1/`; the schema is at `/api/v1/openapi.json` and the interactive docs at
`/api/v1/docs`.
"""

from ninja import NinjaAPI, Swagger

from . import auth, throttling
from .routes import assessments, catalogue, plan, profile, results

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
    # The bundled Swagger UI (ninja is an installed app: no CDN); no call to the public validator.
    docs=Swagger(settings={"validatorUrl": None}),
    auth=auth.authenticators(),
    throttle=throttling.default_throttles(),
)

api.add_router("", profile.router)
api.add_router("", assessments.router)
api.add_router("", results.router)
api.add_router("", plan.router)
api.add_router("", catalogue.router)
