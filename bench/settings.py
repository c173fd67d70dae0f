"""The production settings, with static files collected into the benchmark's temporary folder.

careerpath/settings.py puts STATIC_ROOT inside the project; the benchmark collects into a
throw-away folder instead (BENCH_STATIC_ROOT) so a run leaves the work tree as it found it.
Everything else is exactly what DJANGO_ENV=production gives.
"""

import os

from careerpath.settings import *  # noqa: F403

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
