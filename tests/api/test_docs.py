"""The API's schema and its interactive docs: served from this site alone, under its CSP."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_the_schema_is_served_and_names_every_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == HTTPStatus.OK
    schema = response.json()
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) >= 20


def test_the_docs_page_loads_only_this_sites_assets_and_no_inline_script(client, settings):
    response = client.get("/api/v1/docs")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"https?://", html), "the docs page must reference no external asset"
    assets = ASSET.findall(html)
    assert assets
    static = settings.STATIC_URL
    for url in assets:
        assert url.startswith(static), url
        assert finders.find(url.removeprefix(static)), url
    for attributes, _body in SCRIPT.findall(html):
        # A script runs only from a file of this site; inline blocks hold data (JSON), never code.
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert script_src == ["'self'"]
    assert "'unsafe-inline'" not in policy


def test_the_docs_page_makes_no_call_to_the_public_validator(client):
    html = client.get("/api/v1/docs").content.decode()
    assert '"validatorUrl": null' in html
