"""The Content-Security-Policy middleware (careerpath.middleware.CSPMiddleware): django-csp's, with
each policy built once per process. Every response must carry exactly the headers django-csp's own
middleware gives it: a weaker or missing policy would let injected script run."""

from __future__ import annotations

import re

import pytest
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from careerpath.middleware import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}}


def plain(request):
    return HttpResponse("page")


def with_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def already_set(request):
    response = HttpResponse("page")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def not_found(request):
    return HttpResponse("missing", status=404)


VIEWS = {
    "plain": plain,
    "nonce": with_nonce,
    "header already set": already_set,
    "not found": not_found,
    "updated": csp_update({"img-src": ["https://images.example"]})(plain),
    "replaced": csp_replace({"script-src": ["'self'", "https://cdn.example"]})(plain),
    "exempt": csp_exempt()(plain),
    "updated, report-only": csp_update({"img-src": ["https://images.example"]}, REPORT_ONLY=True)(plain),
    "exempt, report-only": csp_exempt(REPORT_ONLY=True)(plain),
}


def headers(middleware_class, view, path: str = "/page/") -> dict[str, str]:
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    response = middleware(request)
    found = {name: response[name] for name in HEADERS if name in response}
    # The nonce differs on every request: compare where it stands, not its value.
    return {name: re.sub(r"'nonce-[^']+'", "'nonce-N'", value) for name, value in found.items()}


def directives(header_values: dict[str, str]) -> dict[str, set[str]]:
    """Each header as a set of directives (django-csp's order follows a set's, which varies by process)."""
    return {name: set(value.split("; ")) for name, value in header_values.items()}


@pytest.mark.parametrize(
    "settings_case", ["production", "with report-only", "with an excluded prefix", "debug"]
)
@pytest.mark.parametrize("view", list(VIEWS), ids=list(VIEWS))
def test_every_response_gets_the_headers_django_csp_gives_it(settings, settings_case, view):
    if settings_case == "with report-only":
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    elif settings_case == "with an excluded prefix":
        settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY | {
            "EXCLUDE_URL_PREFIXES": ["/page/"]
        }
    elif settings_case == "debug":
        settings.DEBUG = True
    for path in ("/page/", "/other/"):
        ours = headers(CSPMiddleware, VIEWS[view], path)
        theirs = headers(DjangoCSPMiddleware, VIEWS[view], path)
        assert directives(ours) == directives(theirs), (view, settings_case, path)


def test_a_page_carries_the_policy_of_the_settings():
    policy = headers(CSPMiddleware, plain)["Content-Security-Policy"]
    assert "script-src 'self'" in policy.split("; ")
    assert "frame-ancestors 'none'" in policy.split("; ")


def test_a_changed_setting_changes_the_policy(settings):
    headers(CSPMiddleware, plain)  # built and kept
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert headers(CSPMiddleware, plain) == {"Content-Security-Policy": "default-src 'none'"}


def test_asking_for_a_nonce_after_the_header_is_written_is_an_error():
    request = RequestFactory().get("/page/")
    CSPMiddleware(plain)(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


@override_settings(DEBUG=False)
def test_the_real_pages_carry_it(client):
    response = client.get("/healthz")
    assert "object-src 'none'" in response["Content-Security-Policy"]
