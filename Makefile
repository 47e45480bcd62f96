# Two commands do all set-up on a machine with only Python 3:
#   make lab    - a virtual environment with JupyterLab, then the lessons in JupyterLab
#   make test   - a virtual environment with the test tools, then the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet

.PHONY: lab test test-fast test-unit test-fake conformance bench clean system-deps

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(PY)
	$(PIP) install -e '.[lab]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PIP) install -e '.[test]'
	touch $@

# compiled once here, as pip does for a regular install, so that `import tfmini` stays fast even
# where PYTHONDONTWRITEBYTECODE is set
lab: $(VENV)/.lab-installed
	$(PY) -m compileall -q tfmini widgets
	$(VENV)/bin/jupyter lab lessons/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Chromium and Graphviz for the browser test (tests/browser), from Debian's packages when missing
system-deps:
	bash tests/browser/install_system_deps.sh

test: system-deps $(VENV)/.test-installed
	$(PY) -m compileall -q tfmini widgets
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-fake

# the unit suite again with every session on the fake GPU (numpy standing in for CuPy, stricter than CuPy
# about host/device mixing and CuPy's missing functions): the GPU code paths, checked on any machine; the
# tests parametrized by backend ran on the fake GPU in the plain pass already
test-fake: $(VENV)/.test-installed
	TFMINI_BACKEND=fake $(PY) -m pytest -q -o addopts=-ra -p no:nbval -n auto tests --ignore=tests/browser \
		--skip-backend-rows

test-fast: $(VENV)/.test-installed
	$(PY) -m pytest -x -q

# the unit suite alone (no notebooks, no browser): what to run while working on the engine; in one worker process
# per core (pytest-xdist), each test in a fresh graph as always
test-unit: $(VENV)/.test-installed
	$(PY) -m pytest -q -o addopts=-ra -p no:nbval -n auto tests --ignore=tests/browser --ignore=tests/lessons

conformance: $(VENV)/.test-installed
	$(PY) ../shared/conformance/harness.py --impl tfmini --cases public_cases.py --check public_golden.json

bench: $(VENV)/.test-installed
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
