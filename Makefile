# Two commands do all the set-up: `make reports` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# .venv is layered: what building reports needs (requirements/reports.txt), then the test tools (`make test`) and
# the benchmark libraries (`make bench`) on top. Every package of each environment is pinned with its hashes in a
# lock file of requirements/ (`make lock` writes them from pyproject.toml).
STAMP := $(VENV)/.installed
TESTS := $(VENV)/.test
BENCH := $(VENV)/.bench
FONTS := $(VENV)/.fonts
BROWSER := $(VENV)/.browser
LOCKS := requirements
# WHEELHOUSE=dir: install from the wheels `make wheelhouse` saved there, without a package index.
PIP_FROM := $(if $(WHEELHOUSE),--no-index --find-links $(abspath $(WHEELHOUSE)))
PIP_LOCKED := -m pip install --quiet --require-hashes --no-deps $(PIP_FROM) -r

# The cluster profiles' executor plugins live in a second environment layered on the first: Snakemake imports every
# installed plugin at each start (the Kubernetes client alone ~1 s, 2.5 s in all), which local runs do not need.
CLUSTER := .venv-cluster
SITE = $(shell $(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')

# pip-audit runs from its own environment, so that its dependencies neither meet the project's pins nor get audited.
AUDIT := $(VENV)/audit
PIP_AUDIT := pip-audit==2.10.1
# uv writes the lock files (`make lock`), from its own environment too.
LOCKER := $(VENV)/lock
UV := uv==0.13.9

.PHONY: reports check test cluster-test audit bench lint clean cluster lock wheelhouse

# A new lock makes a new environment (--clear): what it does not list does not stay behind.
$(STAMP): $(LOCKS)/reports.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv --clear $(VENV)
	@# the locked pip first, which then installs the rest faster than the one venv brings (6 s of 46, measured)
	awk '/^pip==/ {p = 1; print; next} p && /^ / {print; next} {p = 0}' $(LOCKS)/reports.txt > $(VENV)/pip.txt
	$(BIN)/python $(PIP_LOCKED) $(VENV)/pip.txt
	$(BIN)/python $(PIP_LOCKED) $(LOCKS)/reports.txt
	@# the project itself, with the locked setuptools (no build environment to fetch)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation $(PIP_FROM) -e .
	touch $@

$(TESTS): $(STAMP) $(LOCKS)/test.txt
	$(BIN)/python $(PIP_LOCKED) $(LOCKS)/test.txt
	touch $@

$(BENCH): $(STAMP) $(LOCKS)/bench.txt
	$(BIN)/python $(PIP_LOCKED) $(LOCKS)/bench.txt
	touch $@

$(CLUSTER)/.installed: $(STAMP) $(LOCKS)/cluster.txt
	$(PYTHON) -m venv --clear $(CLUSTER)
	@# sees every package of $(VENV) (a .pth line that adds its site-packages, .pth files included)
	echo "import site; site.addsitedir('$(abspath $(SITE))')" > \
		"$$($(CLUSTER)/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/provincial-plans-base.pth"
	$(CLUSTER)/bin/python $(PIP_LOCKED) $(LOCKS)/cluster.txt
	@# the report fonts, in this environment too (cut or copied from the user cache: the same bytes as $(VENV)'s)
	$(CLUSTER)/bin/python -m provincial_plans fonts >/dev/null
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
$(BROWSER): $(TESTS)
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

lint: $(TESTS)
	$(BIN)/ruff check provincial_plans tests benchmarks examples
	$(BIN)/snakefmt --check Snakefile rules
	$(BIN)/snakemake --lint

# The unit tests (tests/unit: no Snakemake run, about a minute) and lint: what to run while working.
check: $(FONTS) lint
	$(BIN)/python -m pytest -q tests/unit

# Both sets; tests/workflow includes test_cluster.py: a real one-node SLURM cluster where root and apt are available.
test: $(FONTS) $(BROWSER) $(CLUSTER)/.installed lint
	$(BIN)/python -m pytest -q tests/unit tests/workflow

# The SLURM test alone: cluster/slurm-up.sh starts the cluster (installing Debian's packages), the test stops it.
cluster-test: $(FONTS) $(TESTS) $(CLUSTER)/.installed
	$(BIN)/python -m pytest -q tests/workflow/test_cluster.py

$(LOCKER)/.installed:
	$(PYTHON) -m venv $(LOCKER)
	$(LOCKER)/bin/python -m pip install --quiet '$(UV)'
	touch $@

# The lock files, from pyproject.toml's pins (and requirements/build.in: pip, setuptools, wheel) on PyPI today: first
# everything together, then each environment within that resolution, so that a package shared by two environments
# has one version. --universal: markers for every platform, hashes of every file of a release (Linux, macOS,
# Windows wheels and the sdist).
LOCK_OPTIONS := --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock'
lock: $(LOCKER)/.installed
	$(LOCKER)/bin/uv pip compile $(LOCK_OPTIONS) pyproject.toml $(LOCKS)/build.in --all-extras -o $(LOCKS)/.all.txt
	$(LOCKER)/bin/uv pip compile $(LOCK_OPTIONS) pyproject.toml $(LOCKS)/build.in -c $(LOCKS)/.all.txt -o $(LOCKS)/reports.txt
	for extra in test bench cluster; do \
		$(LOCKER)/bin/uv pip compile $(LOCK_OPTIONS) pyproject.toml $(LOCKS)/build.in --extra $$extra \
			-c $(LOCKS)/.all.txt -o $(LOCKS)/$$extra.txt || exit 1; done
	rm $(LOCKS)/.all.txt

# Every file the lock files name for this platform and Python, into WHEELHOUSE (default: wheelhouse/), checked
# against the locked hashes; `WHEELHOUSE=dir make reports` then installs with no package index.
# WHEELHOUSE_LOCKS: the environments to download for (default: all four).
WHEELHOUSE_LOCKS ?= reports test bench cluster
wheelhouse: WHEELHOUSE ?= wheelhouse
wheelhouse:
	for lock in $(WHEELHOUSE_LOCKS); do \
		$(PYTHON) -m pip download --quiet --require-hashes --no-deps -d "$(WHEELHOUSE)" -r $(LOCKS)/$$lock.txt \
		|| exit 1; done

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

bench: $(FONTS) $(BENCH)
	$(BIN)/python -m benchmarks.build
	$(BIN)/python -m benchmarks.coding
	$(BIN)/python -m benchmarks.scale

clean:
	rm -rf build logs .snakemake reports/20* reports/index.html
