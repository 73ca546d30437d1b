# The README's two commands: `make site` builds the default site, `make test` runs every check.
# Both create their own virtualenv in .venv and install what they need into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint golden bench bench-summaries bench-html bench-facts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

site: $(VENV)/.installed
	$(BIN)/corroborate build --strict
	@echo "Built the site into site/ (open site/index.html, or run 'make serve')."

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Regenerate the golden files after a deliberate change; review `git diff tests/golden` before committing.
golden: $(VENV)/.installed-dev
	$(BIN)/python -m tests.regenerate_golden

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py

# The consensus beside LexRank, TextRank and Lead on the team's dev clusters (outside this repository).
EVAL_DEV ?= ../shared/eval-dev
bench-summaries: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_summaries.py $(EVAL_DEV)/multinews --max-words 250
	$(BIN)/python benchmarks/bench_summaries.py $(EVAL_DEV)/allsides --max-words 70

# Article-body extraction from web pages against gold texts (the pages live outside this repository).
bench-html: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_html.py

# Are the facts true to their citations? Hand labels (benchmarks/fact_labels.csv) and the ECB+
# scorer, on the team's dev clusters (outside this repository). BASELINE=<checkout> adds a column
# for another version of the code, e.g. `git worktree add ../baseline 6b5e322`.
bench-facts: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_facts.py --data $(EVAL_DEV) $(if $(BASELINE),--baseline $(BASELINE))
	$(BIN)/python $(abspath $(EVAL_DEV))/ecbplus/score_alignment.py $(abspath $(EVAL_DEV))/ecbplus \
		--corroborate $(abspath $(BIN))/corroborate --all --work $(or $(ECB_WORK),/tmp/corroborate-ecb)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
