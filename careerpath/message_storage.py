"""Django's default message storage, made when a message is first added or read.

``FallbackStorage`` (a signed cookie, then the session) builds both of its stores, and the cookie
store its signer, on every request the message middleware sees, ``/healthz`` and the static
pages included, though most requests never add or show a message. Here they are made on first
use; until then, the middleware's end-of-response update has nothing to write, exactly as with
Django's (it writes only messages added or read). ``MESSAGE_STORAGE`` names it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils.functional import cached_property


class LazyFallbackStorage(FallbackStorage):
    def __init__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._arguments = (request, args, kwargs)
        self._used_storages: set[BaseStorage] = set()

    @cached_property
    def storages(self) -> list[BaseStorage]:
        request, args, kwargs = self._arguments
        return [storage_class(request, *args, **kwargs) for storage_class in self.storage_classes]
