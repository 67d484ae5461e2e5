# The two commands of the README: `make demo` runs the main job, `make test` the tests.
# Both create .venv and install orgnet into it on first use (a fresh machine needs
# only Python 3.10+; the browser tests also want Debian's chromium and chromium-driver).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install clean

$(BIN)/orgnet: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/orgnet

demo: $(BIN)/orgnet
	$(BIN)/orgnet demo -o orgnet-demo

test: $(BIN)/orgnet
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) orgnet-demo
