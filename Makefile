# `make run` and `make test` set up everything they need on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
UI_SOURCES := $(shell find ui -path ui/node_modules -prune -o -path ui/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test lint typecheck pytest ui bench clean system-deps bytecode

run: $(STAMPS)/python $(STAMPS)/system ui bytecode
	$(PY) main.py

test: $(STAMPS)/python-dev $(STAMPS)/system-test ui bytecode
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	bash scripts/check-ui.sh
	$(PY) -m pytest -n $$(( $$(nproc) + 1 )) --dist loadgroup

$(STAMPS)/venv:
	@mkdir -p $(STAMPS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@touch $@

$(STAMPS)/python: $(STAMPS)/venv pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(STAMPS)/python-dev: $(STAMPS)/python pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

$(STAMPS)/system: scripts/system-deps.sh
	@mkdir -p $(STAMPS)
	bash scripts/system-deps.sh ffmpeg
	@touch $@

$(STAMPS)/system-test: scripts/system-deps.sh
	@mkdir -p $(STAMPS)
	bash scripts/system-deps.sh ffmpeg chromium
	@touch $(STAMPS)/system $@

ui: ui/dist/index.html

# Every server start (and every test that starts one) then reads bytecode instead of
# compiling the app's ~260 modules, also where PYTHONDONTWRITEBYTECODE keeps Python from
# writing it: about 0.5 s of CPU a start. Up-to-date files are skipped.
bytecode: $(STAMPS)/python
	$(PY) -m compileall -q -j 0 app main.py tests

ui/dist/index.html: $(UI_SOURCES)
	bash scripts/build-ui.sh

bench: $(STAMPS)/python-dev $(STAMPS)/system
	@echo "run one: $(PY) bench/<name>.py"

clean:
	rm -rf $(VENV) $(STAMPS) ui/node_modules ui/dist
