# Every target sets up what it needs on first use, and only that: .venv from uv.lock (the engine
# with its extras, plus the dependency groups of the job: pyproject.toml), node_modules from
# package-lock.json. Re-runs only when those files change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_TMP := .site-build
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# uv installs from uv.lock: the one on PATH (CI's setup-uv), else a private copy in .tools/.
UV_VERSION := 0.13.8
UV ?= $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
# --locked: fail when pyproject.toml changed and uv.lock did not (`make lock`);
# --inexact: a job's groups are added to what is there, another job's are not removed.
SYNC = $(UV) sync --locked --inexact --python $(PYTHON) --no-default-groups --extra figures --extra notebooks --extra mathml

# The whole site as one PDF (`make pdf`), at this path inside the site.
PDF_NAME := verified-maths-for-deep-learning.pdf

# The dependency groups (pyproject.toml) each job needs. `make test` runs every check.
GROUPS_build := site
GROUPS_pdf := site browser
GROUPS_quick := site test lint
GROUPS_canary := site test canary
GROUPS_bench := site test browser lint canary
GROUPS_startup := site browser
GROUPS_soak := site test browser
GROUPS_all := site test browser canary lint

.PHONY: setup setup-build lock serve build pdf lint test test-quick canaries soak mutants mutants-sample bench startup clean distclean

setup: $(VENV)/.installed-all node_modules/.installed

# What `make build` and `make serve` need, and nothing else.
setup-build: $(VENV)/.installed-build node_modules/.installed-build

.tools/bin/uv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is required")'
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed-%: pyproject.toml uv.lock | $(UV)
	$(SYNC) $(foreach g,$(GROUPS_$*),--group $(g))
	@touch $@

# make lint alone: Ruff and zizmor, without the project (a quick first job in a fresh clone).
$(VENV)/.installed-lint: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --inexact --python $(PYTHON) --only-group lint
	@touch $@

# Re-resolve every dependency to the newest release pyproject.toml allows; commit the new uv.lock.
lock: | $(UV)
	$(UV) lock --upgrade

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The build needs KaTeX alone (package.json "dependencies"); the tests' packages are devDependencies.
node_modules/.installed-build: package.json package-lock.json
	@if [ node_modules/.installed -nt package.json ] && [ node_modules/.installed -nt package-lock.json ]; then :; \
	else npm ci --omit=dev --no-audit --no-fund --loglevel=error; fi
	@touch $@

# make bench alone: Lighthouse and MathJax (tools/bench/package.json), never installed by the build.
tools/bench/node_modules/.installed: tools/bench/package.json tools/bench/package-lock.json
	npm ci --prefix tools/bench --no-audit --no-fund --loglevel=error
	@touch $@

serve: setup-build
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Build into a temporary folder and swap it in only on success: a failed build never
# leaves a complete-looking site/ behind. With SITE_PDF set (`make pdf`), every page links the
# PDF and tools/site_pdf.py prints it there; a missing Chromium stops the build before it starts.
build: setup-build
	@rm -rf $(SITE_TMP)
	$(if $(SITE_PDF),@$(BIN)/python -m tools.site_pdf --check >/dev/null)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_TMP) || { rm -rf $(SITE_TMP); exit 1; }
	$(if $(SITE_PDF),$(BIN)/python -m tools.site_pdf $(SITE_TMP) || { rm -rf $(SITE_TMP); exit 1; })
	@rm -rf site && mv $(SITE_TMP) site
	@echo "site/ is ready$(if $(SITE_PDF), with site/$(SITE_PDF))"

# The site with the whole-site PDF at site/$(PDF_NAME), linked from every page: what the Pages
# workflow publishes. Needs Chromium (Debian: apt-get install -y chromium; or set CHROME_PATH).
# Playwright (the browser group) is installed first: prerequisites are made in order.
pdf: export SITE_PDF := $(PDF_NAME)
pdf: $(VENV)/.installed-pdf build

# Ruff, configured in pyproject.toml ([tool.ruff]); `make test` runs it first.
lint: $(VENV)/.installed-lint
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m pytest

# Everything but the browser tests and the other generators' builds: a quicker loop while writing pages.
test-quick: $(VENV)/.installed-quick node_modules/.installed
	$(BIN)/python -m pytest -m "not browser and not canary"

# The site built by ProperDocs and by Zensical, held to the site checks (part of `make test`).
canaries: $(VENV)/.installed-canary node_modules/.installed
	$(BIN)/python -m pytest -m canary

# The browser tests N times while every core is kept busy (tools/soak.py): a pass count per test,
# and a failure if any test failed in any run. `make soak N=3` for a shorter one.
N ?= 10
soak: $(VENV)/.installed-soak node_modules/.installed
	$(BIN)/python -m tools.soak --runs $(N)

# Mutation testing of snippets/ (tools/mutants.py): prints the kill rate and every survivor.
mutants: $(VENV)/.installed-quick node_modules/.installed-build
	$(BIN)/python -m tools.mutants

# A random sample, run by CI on every push so the kill rate cannot decay unnoticed.
mutants-sample: $(VENV)/.installed-quick node_modules/.installed-build
	$(BIN)/python -m tools.mutants --sample 40

# Figures, not assertions: Lighthouse per page, the heaviest page's variants (MathJax 3 and 4, KaTeX
# in the browser, Material deferred, instant navigation off), math outputs, test and build times.
# Options through ARGS, e.g. make bench ARGS="--skip-times --sections variants --runs 3".
ARGS ?=
bench: $(VENV)/.installed-bench node_modules/.installed tools/bench/node_modules/.installed
	$(BIN)/python -m tools.bench $(ARGS)

# Material's start-up on the pages with the most elements, per variant (tools/startup.py): figures.
startup: $(VENV)/.installed-startup node_modules/.installed tools/bench/node_modules/.installed
	$(BIN)/python -m tools.startup $(ARGS)

# Everything git ignores (.gitignore) except the local environments of its first section: build
# output, caches, executed notebooks, test results. Untracked files git does not ignore stay.
ENVIRONMENTS := ^(\.venv|\.tools|node_modules|tools/bench/node_modules|examples/[^/]+/node_modules)/?$$
clean:
	@paths="$$(git ls-files --others --ignored --exclude-standard --directory | grep -vE '$(ENVIRONMENTS)')"; \
	if [ -n "$$paths" ]; then echo "clean:" $$paths; echo "$$paths" | tr '\n' '\0' | xargs -0 rm -rf; fi

# clean, and the local environments too: the next target installs everything anew.
distclean: clean
	rm -rf .venv .tools node_modules tools/bench/node_modules examples/*/node_modules
