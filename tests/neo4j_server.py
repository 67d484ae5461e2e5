"""Pytest plugin: a real Neo4j server for the tests marked ``neo4j``.

Registered by ``tests/conftest.py`` (``pytest_plugins``).  Where the server comes from:

1. ``NEO4J_URI`` (with ``NEO4J_USERNAME``, default ``neo4j``, ``NEO4J_PASSWORD`` and
   ``NEO4J_DATABASE``, default ``neo4j``): an existing server, yours or the one
   ``make neo4j`` / ``.ci/run`` started.  The tests refuse a database that already holds
   nodes unless ``ORGNET_NEO4J_RESET=1``, which wipes it (data, constraints, indexes).
2. Else a throwaway server started by ``tools/neo4j/launch.py``: Neo4j Community
   (5.26 LTS, or ``ORGNET_NEO4J_VERSION``) resolved from Maven Central into Maven's own
   repository, run with Java on a free 127.0.0.1 port, Bolt only, a temporary data
   directory and a random password; stopped and deleted at the end of the session.
3. If that is impossible (no Java or Maven, Maven Central unreachable) the tests are
   skipped with the reason, except under ``CI``: there a skipped ``neo4j`` test is a
   failure (see :func:`pytest_runtest_makereport`).

Fixtures: ``neo4j_server`` (connection settings, session), ``neo4j_driver``
(session), ``neo4j_database`` (the database name, emptied before each test),
``neo4j_store`` (a :class:`~graphmodel.neo4j_store.Neo4jStore` on it) and
``neo4j_env`` (the ``NEO4J_*`` environment for ``CliRunner``).

Examples
--------
>>> NEO4J_SKIP_REASON.startswith("no Neo4j server")
True
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NEO4J_SKIP_REASON = (
    "no Neo4j server: set NEO4J_URI (and NEO4J_USERNAME / NEO4J_PASSWORD) to a Neo4j 5 "
    "server, or install Java 17+ and Maven so that tools/neo4j/launch.py can start one")
LAUNCH_PY = Path(__file__).resolve().parents[1] / "tools" / "neo4j" / "launch.py"


def load_launcher():
    """Import ``tools/neo4j/launch.py`` (it is a script, not a package module)."""
    name = "orgnet_neo4j_launch"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, LAUNCH_PY)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


@dataclass
class Neo4jServer:
    """How to reach the test server; ``directory`` is set when the plugin started it."""

    uri: str
    username: str
    password: str | None = field(repr=False)
    database: str
    directory: Path | None = None
    version: str | None = None

    @property
    def auth(self):
        return (self.username, self.password) if self.password is not None else None

    def env(self) -> dict[str, str | None]:
        """The NEO4J_* environment the orgnet commands read."""
        return {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.username,
                "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database}


def free_port_from_launcher() -> int:
    """A free 127.0.0.1 port (where no server listens), for connection-refused tests."""
    return load_launcher().free_port()


def start_server() -> Neo4jServer:
    """Start a throwaway Neo4j with ``tools/neo4j/launch.py``; skip (fail in CI) if impossible."""
    launch = load_launcher()
    directory = Path(tempfile.mkdtemp(prefix="orgnet-neo4j-"))
    password = secrets.token_hex(12)
    version = os.environ.get("ORGNET_NEO4J_VERSION") or launch.DEFAULT_VERSION
    try:
        started = launch.start(directory, password=password, version=version)
    except launch.LaunchError as err:
        shutil.rmtree(directory, ignore_errors=True)
        reason = f"{NEO4J_SKIP_REASON} ({err})"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return Neo4jServer(started.uri, "neo4j", password, "neo4j", directory, version)


def stop_server(server: Neo4jServer, *, kill: bool = False) -> None:
    """Stop a server this plugin started and delete its directory."""
    if server.directory is None:
        return
    load_launcher().stop(server.directory, kill=kill)
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under ``CI``, a skipped ``neo4j`` test fails: the real server is part of CI."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and os.environ.get("CI") and item.get_closest_marker("neo4j")
            and not hasattr(report, "wasxfail")):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"a neo4j test was skipped under CI: {reason}"


#: The server settings as the session started; :func:`no_neo4j_environment` then takes
#: them out of every test's environment, so that a command run in a test never picks
#: up NEO4J_URI unless the test hands it over (``neo4j_env``).
_NEO4J_VARIABLES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
_SESSION_ENV = {name: os.environ.get(name) for name in _NEO4J_VARIABLES}


@pytest.fixture(autouse=True)
def no_neo4j_environment(monkeypatch):
    """Every test runs without the NEO4J_* variables of the shell (see above)."""
    for name in _NEO4J_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _server_from_environment() -> Neo4jServer | None:
    uri = _SESSION_ENV["NEO4J_URI"]
    if uri:
        return Neo4jServer(uri, _SESSION_ENV["NEO4J_USERNAME"] or "neo4j",
                           _SESSION_ENV["NEO4J_PASSWORD"],
                           _SESSION_ENV["NEO4J_DATABASE"] or "neo4j")
    return None


def _quote_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def wipe_data(driver, database: str) -> None:
    """Delete every node and relationship, 10000 nodes per transaction."""
    while True:
        result = driver.execute_query(
            "MATCH (n) WITH n LIMIT $batch_size DETACH DELETE n RETURN count(*) AS deleted",
            {"batch_size": 10000}, database_=database)
        if result.records[0]["deleted"] == 0:
            return


def wipe_schema(driver, database: str) -> None:
    """Drop every constraint and every index but the token lookup indexes."""
    result = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name",
                                  database_=database)
    for record in result.records:
        # Schema object names cannot be parameters in Cypher 5; they come from the
        # server and are backtick-quoted.
        driver.execute_query(f"DROP CONSTRAINT {_quote_name(record['name'])} IF EXISTS",
                             database_=database)
    result = driver.execute_query(
        "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name",
        database_=database)
    for record in result.records:
        driver.execute_query(f"DROP INDEX {_quote_name(record['name'])} IF EXISTS",
                             database_=database)


def number_of_nodes(driver, database: str) -> int:
    """Return the number of nodes in a database."""
    result = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)
    return result.records[0]["n"]


@pytest.fixture(scope="session")
def neo4j_server():
    """Connection settings of the test server (skips when there is none)."""
    server = _server_from_environment()
    if server is not None:
        yield server
        return
    server = start_server()
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server):
    """A driver to the test server; refuses a non-empty database unless told to reset it."""
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth)
    try:
        driver.verify_connectivity()
        existing = number_of_nodes(driver, neo4j_server.database)
        if existing:
            if os.environ.get("ORGNET_NEO4J_RESET") != "1":
                pytest.fail(
                    f"refusing to run the Neo4j tests: database {neo4j_server.database!r} "
                    f"at {neo4j_server.uri} holds {existing} nodes; point NEO4J_URI / "
                    f"NEO4J_DATABASE at an empty database, or set ORGNET_NEO4J_RESET=1 "
                    f"to wipe it")
            wipe_data(driver, neo4j_server.database)
            wipe_schema(driver, neo4j_server.database)
        yield driver
    finally:
        driver.close()


@pytest.fixture
def neo4j_database(neo4j_server, neo4j_driver):
    """The test database's name, emptied (of what earlier tests wrote) before the test."""
    wipe_data(neo4j_driver, neo4j_server.database)
    return neo4j_server.database


@pytest.fixture
def neo4j_store(neo4j_driver, neo4j_database):
    """A Neo4jStore on the emptied test database."""
    from orgnet.graphmodel.neo4j_store import Neo4jStore

    return Neo4jStore(neo4j_driver, neo4j_database)


@pytest.fixture
def neo4j_env(neo4j_server, neo4j_database):
    """The NEO4J_* environment for CliRunner(env=...) pointing at the emptied database."""
    return neo4j_server.env()


def run_orgnet(*args, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real ``orgnet`` command in a subprocess, as a user would.

    The subprocess sees this process's environment without any ``NEO4J_*``
    variable, plus ``env`` (say :func:`neo4j_env`'s); stdout and stderr are
    captured as text, stdin is empty (no prompt can wait).
    """
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full_env.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run([sys.executable, "-m", "orgnet", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout, stdin=subprocess.DEVNULL)
