"""The person's API tokens page: list, create (the token shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import TokenCreateForm


def _api_docs_url() -> str | None:
    try:
        return reverse("api-v1:openapi-view")
    except NoReverseMatch:  # the interactive docs turned off
        return None


def _tokens_page(
    request: AuthenticatedHttpRequest, form: TokenCreateForm, new_token: str = ""
) -> HttpResponse:
    tokens = selectors.tokens_active(user=request.user)
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": new_token,
        "max_tokens": services.MAX_ACTIVE_TOKENS,
        "at_limit": len(tokens) >= services.MAX_ACTIVE_TOKENS,
        "api_root": request.build_absolute_uri("/api/v1/"),
        "api_docs_url": _api_docs_url(),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET lists the tokens; POST creates one and shows it, in this response only.

    The new token is rendered straight into the answer to the POST (no redirect): it is never
    stored in the session or anywhere else, and reloading the page cannot show it again.
    """
    if request.method != "POST":
        return _tokens_page(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
        except services.TokenError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, f"Token “{token.name}” created. Copy it now: it will not be shown again."
            )
            return _tokens_page(request, TokenCreateForm(), new_token=secret)
    messages.error(request, "The token was not created: please correct the errors below.")
    return _tokens_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST revokes. Another person's (or a revoked) token is a 404."""
    token = selectors.token_get(user=request.user, pk=pk)
    if token is None:
        raise Http404("No such token.")
    if request.method == "POST":
        services.token_revoke(token=token)
        messages.success(
            request, f"Token “{token.name}” revoked: calls made with it are refused from now on."
        )
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
