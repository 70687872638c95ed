# The two quick-start commands (see README): `make app` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: app test install install-dev lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .

install-dev: install
	$(BIN)/pip install --quiet -r requirements-dev.txt

# Install what is needed and run the app on http://localhost:8501
app: install
	$(BIN)/streamlit run app.py --server.address localhost --server.headless true \
		--browser.gatherUsageStats false

# Install what the tests need and run every test (pytest exit code 5, "no tests", counts as failure
# only if nothing was collected on purpose: we treat it as an error so CI never passes empty).
test: install-dev
	bash tools/ensure_browser_deps.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
