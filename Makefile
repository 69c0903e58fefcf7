# Reader: one command to set up and run, one to set up and test.
#   make run    - set up (.venv, packages, Qt's Debian libraries) and open the app
#   make test   - set up and run the whole test suite (offscreen)
# Other targets: lock, bench, bench-scale, screenshots, bundle, smoke, fuzz, lint, install-desktop, clean

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock

.PHONY: run test setup system-deps lock bench bench-scale screenshots bundle smoke fuzz lint install-desktop clean

run: setup
	$(PY) -m reader

test: setup
	@bash scripts/run-tests.sh

setup: system-deps $(STAMP)

# Qt's runtime libraries (xcb + offscreen), Xvfb, fonts, python3-venv: installed when
# missing and running as root; otherwise the command to run is printed.
system-deps:
	@bash scripts/system-deps.sh

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# Regenerate the lock file (with hashes) from pyproject.toml.
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip-tools>=7.4"
	$(VENV)/bin/pip-compile --quiet --extra nlp --extra dev --extra bundle --generate-hashes \
	    --allow-unsafe --no-emit-index-url --no-emit-find-links --strip-extras \
	    -o $(LOCK) pyproject.toml

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run_all.py

# The issue-18 figures at 45x BBC (~100k articles): the library is prepared once in
# BENCH_HOME (minutes) and reused; the figures go into benchmarks/results/latest.json.
BENCH_HOME ?= /tmp/reader-bench-x45
bench-scale: setup
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_scale.py --home $(BENCH_HOME) --app --into-latest $(BENCH_SCALE_ARGS)

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py

bundle: setup
	$(PY) -m PyInstaller --noconfirm --clean build.spec

smoke: bundle
	QT_QPA_PLATFORM=offscreen READER_SMOKE_EXPECT_BACKEND=$(if $(READER_SLIM),rules,combined) dist/reader/reader --smoke

fuzz: setup
	HYPOTHESIS_PROFILE=fuzz QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -k "fuzz or property" tests

lint: setup
	$(VENV)/bin/ruff check reader tests scripts benchmarks
	$(VENV)/bin/mypy

install-desktop:
	@bash scripts/install-desktop.sh

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
