# Two commands for people: `make run` and `make test`. Everything else is for CI and developers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HUZHU := $(BIN)/huzhu
PG_URL ?= postgres://127.0.0.1/test
PYTEST_ARGS ?=

.PHONY: run test test-postgres lint bench bench-full bench-deps fuzz browser-deps proxy-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements/base.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	touch $@

run: $(VENV)/.installed
	$(HUZHU) migrate --no-input
	$(HUZHU) demo --if-empty
	$(HUZHU) serve

# Browser tests need Debian's chromium; install it when we may (root, apt) and it is missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/wqy ] || ! command -v xgettext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium fonts-wqy-microhei gettext >/dev/null) \
	      || echo "warning: could not install chromium"; \
	  else echo "warning: chromium or a CJK font is missing; browser tests may fail"; fi; \
	fi

# The reverse-proxy test (huzhu/tests/test_reverse_proxy.py) runs Debian's nginx, Caddy and openssl.
proxy-deps:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] || ! command -v caddy >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq nginx-light caddy openssl >/dev/null) \
	      || echo "warning: could not install nginx or caddy"; \
	  else echo "warning: nginx or caddy is missing (Debian: nginx-light, caddy); the reverse-proxy test will skip them"; fi; \
	fi

test: $(VENV)/.installed-dev browser-deps proxy-deps bench-deps
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The benchmark's PostGIS baselines need Debian's PostGIS for the PostgreSQL 15 server, and
# its page rows need wrk; installed when we may (root, apt), as browser-deps does for chromium.
bench-deps:
	@if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq postgresql-15-postgis-3 wrk >/dev/null) \
	      || echo "warning: could not install PostGIS (postgresql-15-postgis-3) or wrk"; \
	  else echo "warning: PostGIS or wrk is missing (Debian: postgresql-15-postgis-3, wrk); the benchmark will say what it skipped"; fi; \
	fi

test-postgres: $(VENV)/.installed-dev bench-deps proxy-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy huzhu bench lint
	$(BIN)/lint-imports

# Search beside PostGIS, then HTTP load, on a demo city; see docs/BENCHMARKS.md.
POSTS ?= 1000000
BENCH_POSTGIS_URL ?= postgres://127.0.0.1/huzhu_bench_postgis
BENCH_ARGS ?=
bench: $(VENV)/.installed-dev bench-deps
	$(BIN)/python -m bench --posts $(POSTS) --postgis $(BENCH_POSTGIS_URL) $(BENCH_ARGS)

bench-full:
	$(MAKE) bench POSTS=10000000

# The long fuzz campaign against `huzhu serve` on a scratch database (PostgreSQL when
# DATABASE_URL is set); prints its totals. See docs/TESTING.md.
fuzz: $(VENV)/.installed-dev
	$(BIN)/python -m huzhu.tests.fuzz_campaign --requests $${FUZZ_REQUESTS:-40000}

clean:
	rm -rf $(VENV) data/test-*
