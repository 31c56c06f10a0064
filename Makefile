# Media framing study: `make report` runs the whole study, `make test` runs the test suite.
# Both set themselves up on a fresh machine that has only Python 3.11.
# Every target has a `## comment`; `make help` lists them.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
CODEBOOK ?=
OUT    ?= .
JOBS   ?= 2
SIZES  ?= 1000 10000

export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0

.DEFAULT_GOAL := help
.PHONY: help setup report test lab bench clean

help: ## List every target with one line each
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	@echo ">> creating $(VENV) and installing pinned packages (first run only)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[notebooks,dask,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the package with pinned dependencies

report: $(STAMP) ## Run the whole study: notebooks, figures/, rendered reports/ (CORPUS=DIR CODEBOOK=FILE for your own)
	$(BIN)/python -m analysis report --corpus $(CORPUS) $(if $(CODEBOOK),--codebook $(CODEBOOK)) --out $(OUT) --jobs $(JOBS)

test: $(STAMP) ## Run the whole test suite (sets itself up first)
	$(BIN)/python -m pytest

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project's environment
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP) ## Run the speed and memory benchmarks (SIZES="1000 10000 100000" for the 100k corpus)
	$(BIN)/python benchmarks/run_benchmarks.py --sizes $(SIZES)

clean: ## Remove the virtual environment, caches and generated outputs
	rm -rf $(VENV) .cache corpus/processed reports/*.html
