SHELL := /bin/bash
# One entry point per task; each creates or reuses .venv and installs what it needs.
#   make book   build the HTML book (executes every chapter)  -> _build/html/index.html
#   make test   lint (ruff), then every test (unit, nbval, book build, claims, browser)   [.ci/run calls this]
#   make lab    open the chapters in JupyterLab
#   make bench  time and measure each chapter as a reader runs it
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
SYSTEM := $(VENV)/.system-ready

.PHONY: setup lint book test lab bench clean

setup: $(READY) $(SYSTEM)

$(READY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[book,test]'
	touch $@

$(SYSTEM): tools/system-packages.sh
	bash tools/system-packages.sh
	@mkdir -p $(VENV) && touch $@

book: setup
	rm -rf _build/html _build/.doctrees _build/.jupyter_cache _build/jupyter_execute
	$(BIN)/jupyter-book build --all --warningiserror --keep-going . 2>&1 | tee _build.log; test $${PIPESTATUS[0]} -eq 0
	@echo "책이 만들어졌습니다: $(CURDIR)/_build/html/index.html"

lint: setup
	$(BIN)/ruff check .

test: lint book
	$(BIN)/python -m pytest

lab: setup
	$(BIN)/jupyter lab notebooks/

bench: setup
	$(BIN)/python tools/bench.py

clean:
	rm -rf _build _build.log
