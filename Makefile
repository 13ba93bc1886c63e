# Two entry points: `make demo` runs biblio on the example issue, `make test` runs the tests.
# Both create the local virtual environment .venv on first use (and refresh it when
# pyproject.toml changes); afterwards they start at once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test schemas manifest-schema golden clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The official schema files: downloaded once (pinned, hash-checked); afterwards the
# install step only verifies them, offline.
schemas: $(STAMP)
	$(BIN)/biblio schemas install

demo: schemas
	$(BIN)/biblio build examples/issue-86/issue.yaml -o out/issue-86

# The types first (mypy --strict over src/biblio, see pyproject.toml), then the tests.
test: schemas
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

# Regenerate tests/golden/ after an intended change of output; review the diff.
golden: schemas
	$(BIN)/python tests/regen_golden.py

# Regenerate the published manifest JSON Schema from src/biblio/manifest_spec.py.
manifest-schema: $(STAMP)
	$(BIN)/python -c "import json; from biblio.manifest_spec import json_schema; \
	open('src/biblio/data/manifest.schema.json', 'w', encoding='utf-8').write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + '\n')"

clean:
	rm -rf $(VENV) out build src/*.egg-info
