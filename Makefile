# Lantern: `make run` serves the demo on SQLite; `make test` runs the whole suite on
# SQLite and PostgreSQL plus the browser tests. Both set up everything they need.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
VAR    := $(CURDIR)/var
# Development-time commands (migrations, messages) run without a production secret.
DEV    := LANTERN_DEBUG=1 LANTERN_VAR_DIR=$(VAR)
# `make run` serves with DEBUG off, a generated secret key and plain-http cookies (localhost).
RUN    := LANTERN_VAR_DIR=$(VAR) LANTERN_SECRET_KEY_FILE=$(VAR)/secret_key LANTERN_SECURE_COOKIES=0

# WeasyPrint draws PDFs with Pango; Chinese needs a CJK font, and harfbuzz-subset keeps
# font subsetting fast (12-16 s a PDF without it; see SETUP-NOTES).
PDF_DEBS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run test bench lint messages makemessages clean

$(VENV)/.base: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/base.txt
	touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.base
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/test.txt
	touch $@

# Splink on Spark (the tests marked spark run it in local mode); Java comes from Debian.
$(VENV)/.spark: requirements/spark.txt $(VENV)/.base
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/spark.txt
	touch $@

$(VAR)/secret_key:
	mkdir -p $(VAR)
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Translation catalogues are committed as .po; the compiled .mo files are built here.
messages: $(VENV)/.base
	scripts/ensure-debs.sh gettext $(PDF_DEBS)
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v0

# Refresh the .po catalogues from the source (then translate the new entries).
makemessages: $(VENV)/.base
	$(DEV) $(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location \
	  --ignore=.venv --ignore=var --ignore=tests --ignore=bench -v0

run: $(VENV)/.base messages $(VAR)/secret_key
	$(RUN) $(PY) manage.py init_keys
	$(RUN) $(PY) manage.py migrate --noinput -v0
	$(RUN) $(PY) manage.py collectstatic --noinput -v0
	$(RUN) $(PY) manage.py load_demo
	@echo "Lantern is at http://127.0.0.1:$(PORT)/  (demo accounts: see README)"
	@# The job worker runs beside the web server (clocks escalate, messages go out) and stops with it.
	$(RUN) $(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(RUN) $(VENV)/bin/gunicorn lantern.wsgi -b 127.0.0.1:$(PORT) -w 3 --access-logfile -

test: $(VENV)/.test $(VENV)/.spark messages
	scripts/ensure-debs.sh postgresql chromium poppler-utils openjdk-17-jre-headless nginx
	scripts/test.sh

bench: $(VENV)/.test
	scripts/ensure-debs.sh postgresql
	scripts/bench.sh

# Style, and the layer order of the apps (pyproject.toml, [tool.importlinter]).
lint: $(VENV)/.test
	$(VENV)/bin/ruff check lantern tests bench
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) $(VAR)
