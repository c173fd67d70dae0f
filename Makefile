# careerpath: `make run` to use the app, `make test` to test it. `make help` lists every target.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
# `make run` serves with DEBUG off (our own error pages; static files collected and served by
# whitenoise); `make dev` is the same with DEBUG on, for development.
RUN_ENV := DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
DEV_ENV := DJANGO_DEBUG=1
# `make serve`: a secret key of this checkout's own (made once, kept out of git), mail written to outbox/.
SECRET_KEY_FILE := .secret_key
SERVE_ENV := DJANGO_ENV=production DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost EMAIL_URL=$${EMAIL_URL:-filemail:///outbox} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}

.DEFAULT_GOAL := help
.PHONY: help run demo dev screenshots test e2e serve superuser dump-catalogue load-catalogue validate-catalogue backup restore bench lighthouse soak simulate lint lock format clean messages library-messages compile-messages

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-20s %s\n", $$1, $$2}'

# Installs come from the lock files (exact versions with their hashes); see README, "Dependencies".
$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed ## Set up and serve the app on SQLite at http://127.0.0.1:8000/ (DEBUG off)
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_catalogue --if-empty
	$(RUN_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

demo: $(VENV)/.installed ## Like `make run`, with a demo learner (three months of results, plan, study time) to log in as
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_catalogue --if-empty
	$(MANAGE) load_demo
	$(RUN_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Log in with the demo address and password printed above; visitors see /sample/result/ and /sample/plan/."
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

dev: $(VENV)/.installed ## Like `make run`, with DEBUG on (Django's debug pages, static files from the source folders)
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_catalogue --if-empty
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev compile-messages ## Set up and run lint, import contracts, types, migration check and the tests (DATABASE_URL for PostgreSQL)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest --create-db

e2e: $(VENV)/.installed-dev ## Run the browser tests in Debian's Chromium (installs it with apt-get if missing)
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest --create-db -m e2e tests/e2e

$(SECRET_KEY_FILE): | $(VENV)/.installed
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(64))' > $@
	chmod 600 $@

serve: $(VENV)/.installed $(SECRET_KEY_FILE) ## Production settings with gunicorn (2 workers) on plain HTTP at http://127.0.0.1:8000
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	$(SERVE_ENV) $(MANAGE) createcachetable
	$(SERVE_ENV) $(MANAGE) load_catalogue --if-empty
	$(SERVE_ENV) $(VENV)/bin/gunicorn careerpath.wsgi --workers 2 --bind 127.0.0.1:8000

superuser: $(VENV)/.installed ## Create an admin account
	$(MANAGE) createsuperuser

load-catalogue: $(VENV)/.installed ## Load and validate fixtures/ into the database (one transaction)
	$(MANAGE) load_catalogue

dump-catalogue: $(VENV)/.installed ## Write the catalogue in the database back to fixtures/ (natural keys)
	$(MANAGE) dump_catalogue

validate-catalogue: $(VENV)/.installed ## Report every problem in the loaded catalogue
	$(MANAGE) validate_catalogue

screenshots: $(VENV)/.installed-dev ## Retake the README's screenshots (docs/screenshots/) from the demo learner in Chromium
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(PY) docs/screenshots/take.py

simulate: $(VENV)/.installed-dev ## Measurement simulation on held-out seeds (see bench/README.md; about 5 minutes)
	$(PY) bench/simulate.py $(SIMULATE_ARGS)

bench: $(VENV)/.installed-dev ## Load and scaling benchmark (see bench/README.md)
	$(PIP) install --quiet -r bench/requirements.txt
	$(PY) bench/run.py

lighthouse: $(VENV)/.installed-dev ## Lighthouse (mobile) audit of the main pages against the speed issue's targets (see bench/README.md; 5-10 minutes)
	$(PY) bench/lighthouse.py

soak: $(VENV)/.installed-dev ## Soak run: two gunicorn servers, 50 people, SOAK_MINUTES (default 30) of mixed traffic (see bench/README.md)
	$(PY) bench/soak.py

backup: $(VENV)/.installed ## Back up the database (SQLite, or PostgreSQL from DATABASE_URL) to backups/<UTC time>
	$(MANAGE) backup_db

restore: $(VENV)/.installed ## Restore a backup: make restore FILE=backups/... (add YES=1 to replace a database holding data)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/careerpath-<time>.sqlite3 (or .pgdump) [YES=1]"; exit 2; }
	$(MANAGE) restore_db "$(FILE)" $(if $(YES),--yes)

lint: $(VENV)/.installed-dev ## ruff, import contracts and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

lock: $(VENV)/.installed-dev ## Re-resolve requirements*.in into the hashed lock files requirements*.txt
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements-dev.txt requirements-dev.in

# Translations (CONTRIBUTING.md, "Adding a language"): the interface's languages are settings.LANGUAGES.
MESSAGE_LANGUAGES := hi
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=docs --ignore=node_modules

messages: $(VENV)/.installed ## Extract the translatable strings into locale/<language>/LC_MESSAGES/django.po
	$(MANAGE) makemessages $(foreach l,$(MESSAGE_LANGUAGES),-l $(l)) --no-location --no-obsolete $(MAKEMESSAGES_IGNORE)
	@# msgmerge guesses a translation for a changed message and marks it fuzzy; a guess is never shipped:
	@# it becomes an untranslated entry, for a translator to do properly.
	for l in $(MESSAGE_LANGUAGES); do msgattrib --clear-fuzzy --empty -o locale/$$l/LC_MESSAGES/django.po locale/$$l/LC_MESSAGES/django.po; done
	@if grep -rlqE "gettext\(|ngettext\(|pgettext\(" static/js 2>/dev/null; then \
		$(MANAGE) makemessages -d djangojs $(foreach l,$(MESSAGE_LANGUAGES),-l $(l)) --no-location --no-obsolete $(MAKEMESSAGES_IGNORE) --ignore=static/vendor; \
	fi

# The libraries' own texts that our pages show, for languages the libraries do not ship: allauth's
# account forms and messages, Django's password rules and forms, django-countries' country names.
# Selected by source file from each library's English catalogue; translations already made are
# kept, the rest is left for a translator (in the terms of docs/i18n/glossary-<language>.md).
SITE_PACKAGES = $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
library-messages: $(VENV)/.installed ## Refresh locale-libraries/<language>/LC_MESSAGES/django.po (the libraries' texts our pages show)
	@set -e; site=$(SITE_PACKAGES); tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	msggrep --no-wrap -N 'account/adapter.py' -N 'account/forms.py' -N 'account/fields.py' -N 'account/models.py' \
		-N 'templates/account/messages/*' -N 'core/*' -o "$$tmp/allauth.po" "$$site/allauth/locale/en/LC_MESSAGES/django.po"; \
	msggrep --no-wrap -N 'contrib/auth/password_validation.py' -N 'contrib/auth/forms.py' \
		-o "$$tmp/auth.po" "$$site/django/contrib/auth/locale/en/LC_MESSAGES/django.po"; \
	msggrep --no-wrap -N 'data.py' -N 'base.py' -o "$$tmp/countries.po" "$$site/django_countries/locale/en/LC_MESSAGES/django.po"; \
	msgcat --use-first --no-wrap --no-location -o "$$tmp/libraries.pot" "$$tmp/allauth.po" "$$tmp/auth.po" "$$tmp/countries.po"; \
	for l in $(MESSAGE_LANGUAGES); do \
		po=locale-libraries/$$l/LC_MESSAGES/django.po; \
		msgmerge --quiet --no-wrap --no-location --no-fuzzy-matching -o "$$po" "$$po" "$$tmp/libraries.pot"; \
		msgattrib --no-wrap --no-obsolete --clear-fuzzy --empty -o "$$po" "$$po"; \
	done

compile-messages: $(VENV)/.installed ## Compile the translations (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads
	$(MANAGE) compilemessages --ignore=.venv --ignore=staticfiles --verbosity 0

format: $(VENV)/.installed-dev ## Apply ruff's formatting and fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
