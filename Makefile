# Two commands do all the set-up: `make reports` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FONTS := $(VENV)/.fonts

# pip-audit runs from its own environment, so that its dependencies neither meet the project's pins nor get audited.
AUDIT := $(VENV)/audit
PIP_AUDIT := pip-audit==2.10.1

.PHONY: reports test audit bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

$(FONTS): $(STAMP) pipeline/fonts.py
	$(BIN)/python -m pipeline fonts
	@# Optional speed-up: WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset is present (0.6 s
	@# instead of 2.5 s per PDF). Installed only where we are root with apt; everything works without it.
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! ldconfig -p | grep -q libharfbuzz-subset; then \
		(apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1)) \
		|| echo "note: libharfbuzz-subset0 not installed; PDFs render more slowly"; fi
	touch $@

reports: $(FONTS)
	$(BIN)/snakemake --cores all

test: $(FONTS)
	$(BIN)/ruff check pipeline tests benchmarks examples
	$(BIN)/python -m pytest -q

$(AUDIT)/.installed:
	$(PYTHON) -m venv $(AUDIT)
	$(AUDIT)/bin/python -m pip install --quiet '$(PIP_AUDIT)'
	touch $@

# Known vulnerabilities in every package installed from pyproject's pins (PyPI's advisory data, per release).
# --strict: a package that cannot be looked up fails the audit rather than being skipped, so an unreachable
# service fails loudly. An accepted finding is listed in the README and ignored here by its ID (--ignore-vuln ID).
audit: $(STAMP) $(AUDIT)/.installed
	PIPAPI_PYTHON_LOCATION=$(BIN)/python $(AUDIT)/bin/pip-audit --strict --skip-editable --progress-spinner off

bench: $(FONTS)
	$(BIN)/python -m benchmarks.build
	$(BIN)/python -m benchmarks.coding

clean:
	rm -rf build logs .snakemake reports/20*
