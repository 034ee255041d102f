# Quick start: `make ingest` then `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: ingest test bench notebooks schema-doc fixtures clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

ingest: $(STAMP)
	$(PY) -m pipeline ingest raw --out normalized

test: $(STAMP)
	$(PY) -m pytest

# Speed and memory against floors measured in the same run (minutes; not part of `make test`).
bench: $(STAMP)
	$(PY) tools/bench.py

# Execute the analysis notebooks against the catalog and keep HTML copies (outputs are not committed).
notebooks: ingest
	mkdir -p normalized/reports
	$(VENV)/bin/jupyter nbconvert --to html --execute --output-dir normalized/reports notebooks/*.ipynb

schema-doc: $(STAMP)
	$(PY) -m pipeline schema-doc

# Re-render raw/ and tests/fixtures/ HTML and PDF documents from the seed text.
fixtures: $(STAMP)
	$(PY) tools/render_documents.py

clean:
	rm -rf normalized/catalog.duckdb normalized/parquet normalized/current normalized/.loads
