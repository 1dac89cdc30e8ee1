# Two commands do everything on a fresh machine:
#   make run    set up, build the demo database if missing, open the dashboard
#   make test   set up (browser included) and run every test
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup browser database bench bench-import loadtest clean

run: setup database
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

test: setup browser
	$(PY) -m pytest

setup:
	@bash scripts/setup.sh "$(VENV)"

browser:
	@bash scripts/install_browser.sh

database:
	@if [ -f "$${STRATEGY_DB:-data/strategy.duckdb}" ]; then $(PY) -m strategy init; else $(PY) -m strategy init --demo; fi

bench: setup
	$(PY) -m tests.perf.benchmark_dashboard

bench-import: setup
	$(PY) -m tests.perf.benchmark_import --write-docs

clean:
	rm -rf $(VENV) .pytest_cache test-output
