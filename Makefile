# Zhaoshang — two commands do all set-up on a fresh machine:
#   make demo   start the app on the embedded SQLite database with the demo city
#   make test   lint, checks and the test suite (SQLite; PostgreSQL too when DATABASE_URL points at it)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install messages messages-check static browser fonts lint check pytest bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed fonts

# The TrueType font every PDF embeds (settings.ZHAOSHANG_PDF_FONT): Debian's WenQuanYi Micro Hei, Chinese and Latin.
PDF_FONT ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@test -f "$${ZHAOSHANG_PDF_FONT:-$(PDF_FONT)}" || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; } || echo "the PDF font is missing: install fonts-wqy-microhei, or set ZHAOSHANG_PDF_FONT"

# Compiled translations (GNU gettext's msgfmt; installed from Debian when missing).
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	cd zhaoshang && ../$(PY) ../manage.py compilemessages --verbosity 0

# The catalogs must hold every translatable string of the sources (run makemessages, commit, translate).
MAKEMESSAGES := ../$(PY) ../manage.py makemessages -l zh_Hans -l en --no-location --no-obsolete --ignore "tests/*" --ignore "*/tests/*" -v0
messages-check: messages
	cd zhaoshang && $(MAKEMESSAGES)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  if git diff --quiet -I 'POT-Creation-Date' -- zhaoshang/locale; then \
	    git checkout -- zhaoshang/locale; \
	  else \
	    git --no-pager diff -I 'POT-Creation-Date' -- zhaoshang/locale | head -40; \
	    echo "the translation catalogs lack strings of the sources: makemessages added them above; translate and commit"; \
	    exit 1; \
	  fi; \
	fi

static: install messages
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || echo "chromium is missing: browser tests will fail"

demo: static
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py load_demo --if-empty
	@echo "Zhaoshang is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install messages-check
	env -u DATABASE_URL $(PY) manage.py check
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(PY) manage.py spectacular --fail-on-warn --validate > /dev/null

# The suite runs in one process per CPU (pytest-xdist; a test file stays in one process: its module fixtures, such as
# the production server's, are built once). TEST_WORKERS=0 runs it in this process only. The slowest tests are listed.
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=15
pytest: install messages browser
	env -u DATABASE_URL $(PYTEST)
	@case "$$DATABASE_URL" in postgres*) echo "== the suite again on PostgreSQL ($$DATABASE_URL), less the browser tests"; $(PYTEST) -m "not browser" ;; *) echo "DATABASE_URL is not PostgreSQL: suite ran on SQLite only" ;; esac

test: lint check pytest

# Benchmarks (not part of the tests): SQLite, and PostgreSQL when BENCH_DATABASE_URL names one.
bench: install
	$(PY) bench/portal_map.py
	$(PY) bench/projects.py
	$(PY) bench/stats.py
	$(PY) bench/review_indicators.py
	$(PY) bench/review_permu.py
	$(PY) bench/review_allocation.py
	$(PY) bench/enterprise_import.py
	$(PY) bench/chains.py
	$(PY) bench/services.py

clean:
	rm -rf $(VENV) node_modules var/static
