"""A page's CSRF token as Django makes it, drawing its randomness in one read of the system's source.

Django's ``get_token`` picks each of the token's 32 mask characters with its own call to
``secrets.choice`` (a system call each), and as many again for a new secret: some 40 µs of a page
whose whole framework cost is a few hundred. :func:`get_token` returns the same thing (the
request's secret, a new one when it has none, masked afresh with a uniformly random mask, and the
request flagged so that the middleware sends the cookie), with the mask's characters drawn from one
``secrets.token_bytes`` call. ``csrf`` puts it in every template's context as ``csrf_token`` in
place of Django's (settings: after Django's built-in processor, so it wins).
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.functional import SimpleLazyObject

_BASE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _BASE  # bytes from here on would favour the first characters: drawn again
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def random_string(length: int) -> str:
    """``length`` characters drawn uniformly from Django's CSRF alphabet by the system's random source."""
    chars: list[str] = []
    while len(chars) < length:
        chars.extend(
            CSRF_ALLOWED_CHARS[byte % _BASE] for byte in secrets.token_bytes(length + 8) if byte < _UNBIASED
        )
    return "".join(chars[:length])


def mask(secret: str) -> str:
    """Django's ``_mask_cipher_secret``: a random mask, then the secret shifted by it character by character."""
    key = random_string(len(secret))
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[k]) % _BASE] for s, k in zip(secret, key, strict=True)
    )
    return key + cipher


def get_token(request: HttpRequest) -> str:
    """Django's ``get_token``: the request's CSRF secret, masked afresh; a new secret when it has none."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
    else:
        secret = random_string(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # the middleware sends the cookie (renewing its age)
    return mask(secret)


def csrf(request: HttpRequest) -> dict[str, SimpleLazyObject]:
    """``csrf_token`` for templates, as Django's built-in ``csrf`` context processor gives it (settings: ``catalogue.csrf.csrf``)."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
