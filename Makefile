# The two commands of the README: `make demo` runs the main job, `make test` the tests.
# Both create .venv and install orgnet into it on first use (a fresh machine needs
# only Python 3.10+; the browser tests also want Debian's chromium and chromium-driver).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# A local Neo4j for the `neo4j` tests and for trying `orgnet load`: Neo4j Community 5.26
# resolved from Maven Central (tools/neo4j/pom.xml) and run with Java on 127.0.0.1.
# NEO4J_PORT picks the Bolt port; with NEO4J_PASSWORD set, authentication is on.
# NEO4J_HEAP and NEO4J_PAGECACHE size its memory (the benchmarks of docs/benchmarks.md
# ran with NEO4J_HEAP=4g NEO4J_PAGECACHE=2g; the tests' own servers take 1g and 512m).
NEO4J_DIR ?= .neo4j/dev
NEO4J_PORT ?= 7687
NEO4J_VERSION ?= 5.26.30
NEO4J_HEAP ?= 1g
NEO4J_PAGECACHE ?= 512m

.PHONY: demo test install clean neo4j neo4j-stop

# pip's own output goes to $(VENV)/install.log and is shown only when the install fails,
# so that `make demo` prints orgnet's lines and nothing else.
$(BIN)/orgnet: setup.cfg pyproject.toml
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --upgrade pip > $(VENV)/install.log 2>&1 \
		&& $(BIN)/python -m pip install -e '.[test]' >> $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; echo "make: installing orgnet failed (log: $(VENV)/install.log)"; exit 1; }
	@touch $@

install: $(BIN)/orgnet

demo: $(BIN)/orgnet
	@$(BIN)/orgnet demo -o orgnet-demo

test: $(BIN)/orgnet
	$(BIN)/python -m pytest

neo4j: $(BIN)/orgnet
	$(BIN)/python tools/neo4j/launch.py start $(NEO4J_DIR) --port $(NEO4J_PORT) \
	  --neo4j-version $(NEO4J_VERSION) --heap $(NEO4J_HEAP) --pagecache $(NEO4J_PAGECACHE) \
	  $(if $(NEO4J_PASSWORD),--password-env NEO4J_PASSWORD)
	@echo "Neo4j runs from $(NEO4J_DIR); tests: NEO4J_URI=bolt://127.0.0.1:$(NEO4J_PORT) $(BIN)/python -m pytest -m neo4j"

neo4j-stop:
	$(PYTHON) tools/neo4j/launch.py stop $(NEO4J_DIR)

clean:
	rm -rf $(VENV) orgnet-demo .neo4j
