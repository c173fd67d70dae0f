"""Settings for careerpath, driven by environment variables.

Local defaults need nothing: SQLite in the project folder, DEBUG on, e-mail to the console.
``DJANGO_ENV=production`` turns on the production posture (see README, "Configuration").
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from careerpath.headers import add_static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEVELOPMENT_SECRET_KEY = "dev-only-key-3f9c1b7e2a5d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9"
# Keys that were ever written in this repository: anyone can sign sessions and reset links with them.
KNOWN_SECRET_KEYS = frozenset(
    {
        DEVELOPMENT_SECRET_KEY,
        "local-plain-http-serving-only-key-4c1e9a7f3b2d8e6051a9c7f4e2b8d0a6",  # the old `make serve` key
    }
)
SECRET_KEY_MIN_LENGTH = 50

if PRODUCTION:
    missing = [
        name for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS") if not env.str(name, default="")
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_ENV=production needs {' and '.join(missing)} in the environment "
            "(see README, 'Configuration')."
        )
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or SECRET_KEY in KNOWN_SECRET_KEYS:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY must be {SECRET_KEY_MIN_LENGTH}+ random characters of this deployment's "
            "own, not a published default: make one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )
    DEBUG = False
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
    DEBUG = env.bool("DJANGO_DEBUG", default=True)
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
    )

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "whitenoise.runserver_nostatic",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_countries",
    "csp",
    "ninja",  # serves the API docs' bundled Swagger UI files (no CDN)
    # The product's apps, lowest layer first (see CONTRIBUTING.md, "Layers").
    "catalogue",
    "accounts",
    "assessments",
    "roadmap",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "careerpath.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and exports are compressed for browsers that accept gzip (static files are served
    # pre-compressed by WhiteNoise, above). Django's gzip pads each response with a random-length
    # header (GZipMiddleware.max_random_bytes), which defeats BREACH-style length guessing; the
    # CSRF token is masked afresh on every response as well.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the person's saved choice (cookie), else the browser's Accept-Language.
    "careerpath.middleware.LocaleMiddleware",  # Django's, reset to the default after each response
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the signed-in person from a copy kept beside the sessions (accounts/signed_in.py).
    "accounts.middleware.AuthenticationMiddleware",
    # A logged-in person's profile language wins over the cookie and the browser (and sets the cookie).
    "accounts.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "careerpath.middleware.CSPMiddleware",  # django-csp's, each policy built once per process
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "careerpath.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careerpath.context_processors.mail_outbox",
                "careerpath.context_processors.languages",
                "careerpath.context_processors.layout",
                # ``csrf_token`` as Django's built-in processor gives it, with one read of the random source.
                "catalogue.csrf.csrf",
            ],
            # {% layout_header %} and {% layout_footer %}: the base layout's kept header and footer.
            "libraries": {"layout": "careerpath.layout"},
        },
    },
]

WSGI_APPLICATION = "careerpath.wsgi.application"

# Databases -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Each worker keeps its connection (SQLite's too) for DJANGO_CONN_MAX_AGE seconds and checks it
# before reuse, so a request neither opens a connection nor repeats the connection's set-up.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait
    # (up to the timeout) instead of failing with "database is locked" mid-transaction.
    # The PRAGMAs run when a connection opens (init_command): with the above, not on every request.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, whose check of a kept connection costs no round trip while the server has
    # sent nothing on it (careerpath/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "careerpath.postgresql"
    # Server-side parameters, and a query run a fifth time on a connection becomes a prepared
    # statement: PostgreSQL then skips planning it again, most of its work for the short lookups a
    # page makes (the roadmap's six queries took 0.57 ms of its CPU a visit, 0.13 ms prepared).
    # DJANGO_DB_PREPARED=0 turns it off behind a pooler in transaction mode that cannot keep
    # prepared statements (docs/deploy.md).
    if env.bool("DJANGO_DB_PREPARED", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions --------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with one Redis client per connection pool (careerpath/redis_cache.py).
            "BACKEND": "careerpath.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("DJANGO_CACHE_PREFIX", default="careerpath"),
        }
    }
    SESSION_ENGINE = "accounts.sessions"  # Django's cached_db, each session indexed by its account
    # The sessions and the signed-in person's kept copy (accounts/signed_in.py), under a prefix of
    # their own: each worker keeps what it read and Redis tells it of every change under the prefix
    # (careerpath/redis_cache.py), so a warm page makes no round trip to Redis.
    SESSION_CACHE_ALIAS = "sessions"
    CACHES["sessions"] = {
        "BACKEND": "careerpath.redis_cache.TrackedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":sessions",
        "OPTIONS": {"kept_entries": 10_000, "kept_seconds": 30},
    }
else:
    # Never a per-process memory cache: the login lock-out counters live in the cache, and every
    # process (each gunicorn worker, each server) must count the same failures. Without Redis they
    # go in the database (`manage.py createcachetable` makes the table; `make run`/`serve` do it).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "careerpath_cache",
        }
    }
    # Sessions live in the database and are read through a file cache that every process on this
    # machine shares (SQLite means one machine): a warm request reads one small file instead of a
    # session row, and logging out or deleting the account deletes both, for every process.
    # (`cached_db` over the database cache would only trade the session query for a cache query.)
    SESSION_ENGINE = "accounts.sessions"  # Django's cached_db, each session indexed by its account
    # Each process keeps what it read of it, checked against the file's identity on each read
    # (careerpath/file_cache.py: one stat instead of reading and unpickling the file).
    SESSION_CACHE_ALIAS = "sessions"
    CACHES["sessions"] = {
        "BACKEND": "careerpath.file_cache.KeptFileBasedCache",
        "LOCATION": env.str("DJANGO_SESSION_CACHE_DIR", default=str(BASE_DIR / "var" / "sessions")),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
# Rendered fragments that depend only on their key (language, catalogue version, a step's own
# values): each process keeps its own, so a hit costs no query and no network round trip. Nothing
# shared or counted lives here; a key names everything its fragment shows, so no entry goes stale.
# A roadmap card is about 1.6 KB: 10,000 entries (some 150 plans from zero) stay near 20 MB a process.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "careerpath-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 10_000, "CULL_FREQUENCY": 4},
}
# Whole page bodies this process served lately, kept apart because each is large: a roadmap's
# content (roadmap.cards.page_key; some 100 KB for a plan from zero) and the bodies every process
# shares in "default" (catalogue.caching.cached_body: a result page, some 115 KB), so that a repeat
# visit costs no query or round trip. 400 entries stay under 50 MB a process; a roadmap that falls
# out is put together again from its cards (in "fragments"), a body read again from "default".
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "careerpath-pages",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 400, "CULL_FREQUENCY": 4},
}

# Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# One stored site (named in accounts' first migration): allauth keys its failed-login counter by
# the site's domain and the login, so with a stored site the Host header (another port, another
# name) cannot reset a lockout.
SITE_ID = 1
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the logged-in person with a query compiled once per process.
    # (Sessions record their backend's path: sessions from before this change end once.)
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
# A new person chooses their target (role, level, choices) before anything else.
ACCOUNT_SIGNUP_REDIRECT_URL = "onboarding"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, log-in and password reset answer the same whether an address has an account or not.
# For sign-up allauth can only do so with verification mandatory (a taken address gets an e-mail
# saying so instead of an error on the page), so production insists on it; development keeps
# "optional" so that a new account is usable without opening the e-mail.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="mandatory" if PRODUCTION else "optional"
)
if PRODUCTION and ACCOUNT_EMAIL_VERIFICATION != "mandatory":
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs ACCOUNT_EMAIL_VERIFICATION=mandatory (or unset): otherwise "
        "sign-up tells anyone which addresses have an account (see README, 'Deployment')."
    )
# Confirming the address in the browser that signed up logs the person in (on to onboarding).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Five failed log-ins for one account within five minutes lock it out for a while.
    "login_failed": "10/m/ip,5/5m/key",
}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

# E-mail ------------------------------------------------------------------------------------
# Mail carries password-reset links and confirmation keys: it is never printed to the logs. Locally
# it is written as files to outbox/; production needs a real transport.
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="careerpath <noreply@localhost>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif PRODUCTION:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs EMAIL_URL, the mail transport for password resets and e-mail "
        "confirmation, e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 "
        "(see docs/deploy.md)."
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "outbox"
if PRODUCTION and EMAIL_BACKEND in {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}:
    raise ImproperlyConfigured(
        f"EMAIL_URL={env.str('EMAIL_URL').split(':')[0]}:// sends no mail (or prints it to the logs); "
        "DJANGO_ENV=production needs a real transport, e.g. "
        "EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 (see docs/deploy.md)."
    )

# I18n ------------------------------------------------------------------------------------
# English is the default and the source language; the interface is translated in locale/
# (CONTRIBUTING.md, "Adding a language"). No language prefix in URLs: the language comes from the
# person's profile, then the language cookie (the header's switch sets both), then the browser.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", _("English")),
    ("hi", _("Hindi")),
]
# Ours first; then the libraries' own texts (allauth, Django's auth forms, country names) for the
# languages they ship none of (`make library-messages`).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-libraries"]
# Numbers and dates follow the active language (Django's formats, ours in careerpath/formats/ first).
FORMAT_MODULE_PATH = ["careerpath.formats"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Static files get the pages' security headers (CSP, X-Frame-Options, Referrer-Policy, nosniff).
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_file_headers

# Request bodies ----------------------------------------------------------------------------
# No page takes an upload: anything larger is refused with 413 before it is read (the reverse
# proxy in front should refuse the same, see docs/deploy.md).
CAREERPATH_MAX_REQUEST_BODY = env.int("CAREERPATH_MAX_REQUEST_BODY", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CAREERPATH_MAX_REQUEST_BODY

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
CATALOGUE_DIR = BASE_DIR / "fixtures"

# Forms -----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Product settings ------------------------------------------------------------------------
CAREERPATH_DEFAULT_ROLE = "machine-learning-engineer"
CAREERPATH_RETAKE_INTERVAL_DAYS = env.int("CAREERPATH_RETAKE_INTERVAL_DAYS", default=28)
# Where links in e-mails point (they are sent from a command, with no request to take the host from).
CAREERPATH_SITE_URL = env.str("CAREERPATH_SITE_URL", default="http://localhost:8000").rstrip("/")

# API request limits (api/throttling.py::DEFAULT_RATES: 120 reads and 30 writes a minute per token
# and per person, a per-address limit for anonymous calls). Keys given here replace the defaults,
# e.g. CAREERPATH_API_RATES="person_read=1000/min,token_read=1000/min" for a load run.
CAREERPATH_API_RATES = env.dict("CAREERPATH_API_RATES", default={})
# The anonymous limit counts the client's address: REMOTE_ADDR, or behind the reverse proxy
# (DJANGO_BEHIND_PROXY) the one it appends to X-Forwarded-For, which a client cannot choose.
NINJA_NUM_PROXIES = 1 if env.bool("DJANGO_BEHIND_PROXY", default=False) else 0

# Messages: Django's default storage (a signed cookie, then the session), built on first use
# rather than on every request (careerpath/message_storage.py).
MESSAGE_STORAGE = "careerpath.message_storage.LazyFallbackStorage"

# Security ----------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    secure_cookies = env.bool("DJANGO_SECURE_COOKIES", default=True)
    SESSION_COOKIE_SECURE = secure_cookies
    CSRF_COOKIE_SECURE = secure_cookies
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("DJANGO_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logging -----------------------------------------------------------------------------------
# Loggers that write request paths drop the secret part of e-mailed links (careerpath/logs.py).
# Production writes one JSON object per line to standard error.
REDACTED_LOGGERS = (
    "django.request",
    "django.server",
    "django.security.csrf",
    "django.security.DisallowedHost",
    "django.security.SuspiciousOperation",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "careerpath.logs.RedactSecretsFilter"}},
    "formatters": {"json": {"()": "careerpath.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["redact_secrets"],
            **({"formatter": "json"} if PRODUCTION else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    "loggers": {
        # At DEBUG, django.template logs whole template contexts (a password-reset link among them).
        "django.template": {"level": "INFO"},
        **{name: {"filters": ["redact_secrets"]} for name in REDACTED_LOGGERS},
    },
}

# Error reporting ---------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from careerpath.logs import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=DJANGO_ENV,
        # No user, cookies, headers or bodies: errors, their traceback and the request's path only.
        send_default_pii=False,
        max_request_body_size="never",
        before_send=sentry_before_send,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
