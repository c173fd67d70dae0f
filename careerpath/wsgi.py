"""WSGI entry point (gunicorn careerpath.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

application = get_wsgi_application()

# Load the URLconf and the views it names now rather than on the first request, then move
# everything loaded so far (modules, classes, functions: some 200,000 objects that live as long as
# the process) out of the garbage collector's sight. Its full collections, which run every few
# hundred requests, otherwise go through all of them each time for nothing.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
