"""The versioned REST API (`/api/v1/`): a person's own data as JSON, with an OpenAPI 3 schema.

The top layer: it calls the apps' services and selectors, as the pages' views do, and keeps the
same rules (another person's object is a 404, a refused answer is refused the same way).
"""
