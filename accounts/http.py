"""The request type of pages behind ``login_required``: its user is a logged-in person."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An ``HttpRequest`` whose ``user`` is a ``User`` (``login_required`` ran before the view)."""

    user: User
    htmx: HtmxDetails  # set by django-htmx's middleware
