# Two commands do all the set-up: `make reports` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FONTS := $(VENV)/.fonts
BROWSER := $(VENV)/.browser

# The cluster profiles' executor plugins live in a second environment layered on the first: Snakemake imports every
# installed plugin at each start (the Kubernetes client alone ~1 s, 2.5 s in all), which local runs do not need.
CLUSTER := .venv-cluster
SITE = $(shell $(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')

# pip-audit runs from its own environment, so that its dependencies neither meet the project's pins nor get audited.
AUDIT := $(VENV)/audit
PIP_AUDIT := pip-audit==2.10.1

.PHONY: reports check test audit bench lint clean cluster

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

$(CLUSTER)/.installed: $(STAMP)
	$(PYTHON) -m venv $(CLUSTER)
	@# sees every package of $(VENV) (a .pth line that adds its site-packages, .pth files included)
	echo "import site; site.addsitedir('$(abspath $(SITE))')" > \
		"$$($(CLUSTER)/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/provincial-plans-base.pth"
	$(CLUSTER)/bin/python -m pip install --quiet $$($(BIN)/python -c \
		'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["cluster"]))')
	touch $@

$(FONTS): $(STAMP) provincial_plans/report/fonts.py
	$(BIN)/python -m provincial_plans fonts
	@# Optional speed-up: WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset is present (0.6 s
	@# instead of 2.5 s per PDF). Installed only where we are root with apt; everything works without it.
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! ldconfig -p | grep -q libharfbuzz-subset; then \
		(apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1)) \
		|| echo "note: libharfbuzz-subset0 not installed; PDFs render more slowly"; fi
	touch $@

# The site tests open the HTML in Debian's Chromium (driven by Playwright, which downloads no browser).
$(BROWSER): $(STAMP)
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing Debian's chromium for the site tests"; \
			(apt-get install -y -qq chromium >/dev/null 2>&1 || \
			 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) \
			|| { echo "error: could not install chromium (apt-get); the site tests need it" >&2; exit 1; }; \
		else echo "error: the site tests need Chromium: install Debian's chromium package, then rerun" >&2; exit 1; fi; \
	fi
	touch $@

reports: $(FONTS)
	$(BIN)/snakemake --cores all

cluster: $(CLUSTER)/.installed

lint: $(STAMP)
	$(BIN)/ruff check provincial_plans tests benchmarks examples
	$(BIN)/snakefmt --check Snakefile rules
	$(BIN)/snakemake --lint

# The unit tests (tests/unit: no Snakemake run, about two minutes) and lint: what to run while working.
check: $(FONTS) lint
	$(BIN)/python -m pytest -q tests/unit

test: $(FONTS) $(BROWSER) $(CLUSTER)/.installed lint
	$(BIN)/python -m pytest -q tests/unit tests/workflow

$(AUDIT)/.installed:
	$(PYTHON) -m venv $(AUDIT)
	$(AUDIT)/bin/python -m pip install --quiet '$(PIP_AUDIT)'
	touch $@

# Known vulnerabilities in every package installed from pyproject's pins (PyPI's advisory data, per release).
# --strict: a package that cannot be looked up fails the audit rather than being skipped. Where PyPI's per-release
# JSON API cannot be reached at all (some CI networks reach only the package index), the audit cannot run: it says
# so in a warning and does not fail the build; a finding always does. An accepted finding is listed in the README
# and ignored here by its ID (--ignore-vuln ID).
AUDIT_PROBE := https://pypi.org/pypi/pip/24.0/json
audit: $(STAMP) $(AUDIT)/.installed
	@if $(AUDIT)/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=20)' \
		'$(AUDIT_PROBE)' 2>/dev/null; then \
		PIPAPI_PYTHON_LOCATION=$(BIN)/python $(AUDIT)/bin/pip-audit --strict --skip-editable --progress-spinner off; \
	else \
		echo "warning: dependency audit NOT RUN: PyPI's advisory API ($(AUDIT_PROBE)) is unreachable from this machine"; \
	fi

bench: $(FONTS)
	$(BIN)/python -m benchmarks.build
	$(BIN)/python -m benchmarks.coding
	$(BIN)/python -m benchmarks.scale

clean:
	rm -rf build logs .snakemake reports/20* reports/index.html
