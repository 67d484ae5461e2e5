"""Pytest plugin: a real Neo4j 5 server for the tests marked ``neo4j``.

Registered by ``tests/conftest.py`` (``pytest_plugins``).  Where the server comes from:

1. ``NEO4J_URI`` (with ``NEO4J_USERNAME``, default ``neo4j``, ``NEO4J_PASSWORD`` and
   ``NEO4J_DATABASE``, default ``neo4j``): an existing server.  The tests refuse a
   database that already holds nodes unless ``ORGNET_NEO4J_RESET=1``, which wipes it
   (data, constraints and indexes) first.
2. Else ``NEO4J_HOME`` (default ``/opt/neo4j``), an unpacked Neo4j 5 distribution:
   a throwaway server is started on a free 127.0.0.1 port with a temporary data
   directory, HTTP and HTTPS off and a random initial password, and stopped at the end.
3. Else every test using these fixtures is skipped, saying how to enable them.

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

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NEO4J_SKIP_REASON = (
    "no Neo4j server: set NEO4J_URI (and NEO4J_USERNAME / NEO4J_PASSWORD) to a Neo4j 5 "
    "server, or NEO4J_HOME to an unpacked Neo4j 5 distribution (default /opt/neo4j) "
    "to start a throwaway one")
DEFAULT_HOME = "/opt/neo4j"
START_TIMEOUT = 180.0

#: Settings of the throwaway server (all valid in Neo4j 5.3 ... 2025.x Community).
_OVERRIDDEN = (
    "server.directories.data", "server.directories.logs", "server.directories.run",
    "server.directories.import", "server.default_listen_address",
    "server.default_advertised_address", "server.bolt.enabled",
    "server.bolt.listen_address", "server.bolt.advertised_address",
    "server.http.enabled", "server.https.enabled", "server.memory.heap.initial_size",
    "server.memory.heap.max_size", "server.memory.pagecache.size",
    "dbms.security.auth_enabled",
)


@dataclass
class Neo4jServer:
    """How to reach the test server; ``process`` is set when the plugin started it."""

    uri: str
    username: str
    password: str | None = field(repr=False)
    database: str
    process: subprocess.Popen | None = field(default=None, repr=False)
    directory: Path | None = None

    @property
    def auth(self):
        return (self.username, self.password) if self.password is not None else None

    def env(self) -> dict[str, str | None]:
        """The NEO4J_* environment the orgnet commands read."""
        return {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.username,
                "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database}


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_conf(home: Path, conf_dir: Path, data_root: Path, port: int) -> Path:
    """Write neo4j.conf for a throwaway server: the distribution's, with our overrides."""
    conf_dir.mkdir(parents=True, exist_ok=True)
    base = home / "conf" / "neo4j.conf"
    lines = []
    if base.exists():
        for line in base.read_text(encoding="utf-8", errors="replace").splitlines():
            key = line.split("=", 1)[0].strip()
            if key not in _OVERRIDDEN:
                lines.append(line)
    for sub in ("data", "logs", "run", "import"):
        (data_root / sub).mkdir(parents=True, exist_ok=True)
    lines += [
        f"server.directories.data={data_root / 'data'}",
        f"server.directories.logs={data_root / 'logs'}",
        f"server.directories.run={data_root / 'run'}",
        f"server.directories.import={data_root / 'import'}",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        "server.memory.heap.initial_size=512m",
        "server.memory.heap.max_size=1g",
        "server.memory.pagecache.size=256m",
        "dbms.security.auth_enabled=true",
    ]
    path = conf_dir / "neo4j.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _log_tail(directory: Path, lines: int = 30) -> str:
    out = []
    for name in ("console.log", "logs/neo4j.log", "logs/debug.log"):
        path = directory / name
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            out.append(f"--- {name}\n" + "\n".join(text[-lines:]))
    return "\n".join(out) or "(no log written)"


def start_server(home: Path) -> Neo4jServer:
    """Start a throwaway Neo4j from a distribution; wait until bolt answers."""
    import neo4j

    directory = Path(tempfile.mkdtemp(prefix="orgnet-neo4j-"))
    port = free_port()
    password = secrets.token_hex(12)
    conf_dir = directory / "conf"
    write_conf(home, conf_dir, directory, port)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf_dir)}
    admin = subprocess.run(
        [str(home / "bin" / "neo4j-admin"), "dbms", "set-initial-password", password],
        env=env, capture_output=True, text=True, timeout=120)
    if admin.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"neo4j-admin dbms set-initial-password failed:\n{admin.stderr}{admin.stdout}")
    console = open(directory / "console.log", "wb")
    process = subprocess.Popen([str(home / "bin" / "neo4j"), "console"], env=env,
                               stdout=console, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Neo4jServer(f"bolt://127.0.0.1:{port}", "neo4j", password, "neo4j",
                         process, directory)
    deadline = time.monotonic() + START_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with neo4j.GraphDatabase.driver(server.uri, auth=server.auth) as driver:
                driver.execute_query("RETURN 1", database_=server.database)
            return server
        except Exception as err:  # noqa: BLE001 - still starting
            last = err
            time.sleep(1.0)
    stop_server(server, keep_directory=True)
    pytest.fail(f"the throwaway Neo4j at {server.uri} did not answer within "
                f"{START_TIMEOUT:.0f} s ({last!r}); logs in {directory}:\n{_log_tail(directory)}")


def stop_server(server: Neo4jServer, *, keep_directory: bool = False) -> None:
    """Stop a server this plugin started (its own process group only)."""
    process = server.process
    if process is not None and process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
    if server.directory is not None and not keep_directory:
        shutil.rmtree(server.directory, ignore_errors=True)


def _server_from_environment() -> Neo4jServer | None:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return Neo4jServer(uri, os.environ.get("NEO4J_USERNAME") or "neo4j",
                           os.environ.get("NEO4J_PASSWORD"),
                           os.environ.get("NEO4J_DATABASE") or "neo4j")
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
    home = Path(os.environ.get("NEO4J_HOME") or DEFAULT_HOME)
    if not (home / "bin" / "neo4j").exists():
        pytest.skip(NEO4J_SKIP_REASON)
    server = start_server(home)
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
    from graphmodel.neo4j_store import Neo4jStore

    return Neo4jStore(neo4j_driver, neo4j_database)


@pytest.fixture
def neo4j_env(neo4j_server, neo4j_database):
    """The NEO4J_* environment for CliRunner(env=...) pointing at the emptied database."""
    return neo4j_server.env()
