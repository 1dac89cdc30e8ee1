# Two commands do everything on a fresh machine:
#   make run    set up, build the demo database if missing, open the dashboard
#   make test   set up (Chromium, LibreOffice, axe-core included) and run every test, browser tests too (CI)
# and one while working:
#   make check  lint, then the unit and page tests: no root, no browser, nothing marked slow, not tests/system
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Local mode listens on this computer only; a shared server with sign-in on may set ADDRESS=0.0.0.0.
ADDRESS ?= 127.0.0.1

.PHONY: run test check lint setup system outside database bench bench-import loadtest screenshots clean

run: setup database outside
	$(PY) -m streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT) --browser.gatherUsageStats false

# --browser: the tests marked browser run too, and a missing Chromium fails them (the gate never passes without them)
test: setup system
	$(PY) -m pytest --browser

# The quick check before a commit: lint and format (ruff), then the unit, page and docs tests on both cores,
# without the browser, the slow tests and the second strategy's runs of the same tests (make test runs them all).
check: setup lint
	$(PY) -m pytest tests/unit tests/app tests/test_docs.py -q -m "not slow and not browser and not other_strategy" -n auto

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

setup:
	@bash scripts/setup.sh "$(VENV)"

system:
	@bash scripts/install_system_packages.sh

# warns (never fails, needs no root) when Chromium or LibreOffice is missing, naming the package to install
outside:
	@bash scripts/check_outside_programs.sh

database:
	@if [ -f "$${STRATEGY_DB:-data/strategy.duckdb}" ]; then $(PY) -m strategy init; else $(PY) -m strategy init --demo; fi

bench: setup
	$(PY) -m tests.perf.benchmark_dashboard
	$(PY) -m tests.perf.benchmark_board_pack

loadtest: setup
	$(PY) -m tests.perf.load_test --sessions 50

bench-import: setup
	$(PY) -m tests.perf.benchmark_import --write-docs

# every page at 1280x720, 1920x1080 and 390 px wide, on the demo database: docs/images/pages/<page>_<width>.png;
# every presentation slide at 1280x720 (docs/images/slides/) and every page of the PDF board pack (docs/images/pack/)
screenshots: setup system
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
