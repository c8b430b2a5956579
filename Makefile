# Every target sets up what it needs on first use: .venv from pyproject.toml, node_modules
# from package-lock.json. Re-runs only when those files change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_TMP := .site-build
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# The whole site as one PDF (`make pdf`), at this path inside the site.
PDF_NAME := verified-maths-for-deep-learning.pdf

.PHONY: setup serve build pdf test test-quick canaries soak mutants mutants-sample bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[site,test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Build into a temporary folder and swap it in only on success: a failed build never
# leaves a complete-looking site/ behind. With SITE_PDF set (`make pdf`), every page links the
# PDF and tools/site_pdf.py prints it there; a missing Chromium stops the build before it starts.
build: setup
	@rm -rf $(SITE_TMP)
	$(if $(SITE_PDF),@$(BIN)/python -m tools.site_pdf --check >/dev/null)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_TMP) || { rm -rf $(SITE_TMP); exit 1; }
	$(if $(SITE_PDF),$(BIN)/python -m tools.site_pdf $(SITE_TMP) || { rm -rf $(SITE_TMP); exit 1; })
	@rm -rf site && mv $(SITE_TMP) site
	@echo "site/ is ready$(if $(SITE_PDF), with site/$(SITE_PDF))"

# The site with the whole-site PDF at site/$(PDF_NAME), linked from every page: what the Pages
# workflow publishes. Needs Chromium (Debian: apt-get install -y chromium; or set CHROME_PATH).
pdf: export SITE_PDF := $(PDF_NAME)
pdf: build

test: setup
	$(BIN)/python -m pytest

# Everything but the browser tests and the other generators' builds: a quicker loop while writing pages.
test-quick: setup
	$(BIN)/python -m pytest -m "not browser and not canary"

# The site built by ProperDocs and by Zensical, held to the site checks (part of `make test`).
canaries: setup
	$(BIN)/python -m pytest -m canary

# The browser tests N times while every core is kept busy (tests/soak.py): a pass count per test,
# and a failure if any test failed in any run. `make soak N=3` for a shorter one.
N ?= 10
soak: setup
	$(BIN)/python -m tests.soak --runs $(N)

# Mutation testing of snippets/ (tests/mutants.py): prints the kill rate and every survivor.
mutants: setup
	$(BIN)/python -m tests.mutants

# A random sample, run by CI on every push so the kill rate cannot decay unnoticed.
mutants-sample: setup
	$(BIN)/python -m tests.mutants --sample 40

# Figures, not assertions: Lighthouse per page and against MathJax, test and build times.
bench: setup
	$(BIN)/python -m tests.bench

clean:
	rm -rf site $(SITE_TMP) .pytest_cache .hypothesis
