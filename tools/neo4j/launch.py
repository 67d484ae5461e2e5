"""Start and stop a Neo4j Community server resolved from Maven Central.

No Neo4j distribution is needed: ``tools/neo4j/pom.xml`` pins Neo4j Community (5.26 LTS by
default), Maven resolves its jars into its own repository (``~/.m2``, outside the work
tree), and this module runs ``java -cp <those jars> tools/neo4j/OrgnetNeo4j.java`` with a
``neo4j.conf`` written into a directory the caller gives. The server listens on
127.0.0.1 only, Bolt only (no HTTP), with no usage reporting.

Without a password the server runs with authentication off. With one (``--password-env
NAME`` names the environment variable holding it; nothing takes a password on the command
line), authentication is on and the initial ``neo4j``/``neo4j`` credentials are changed to
it over Bolt, so the password appears in no command line, file or log.

Used by ``make neo4j`` / ``make neo4j-stop``, by ``.ci/run`` and by the pytest plugin
``tests/neo4j_server.py``::

    python tools/neo4j/launch.py start .neo4j/dev --port 7687     # prints bolt://127.0.0.1:7687
    python tools/neo4j/launch.py stop .neo4j/dev
    python tools/neo4j/launch.py start /tmp/n --neo4j-version 2026.08.1   # needs Java 21+

The directory keeps the data between a stop and the next start (``--fresh`` empties it).

Examples
--------
>>> required_java(\"5.26.30\"), required_java(\"2026.08.1\")
(17, 21)
>>> java_major('openjdk version "17.0.15" 2025-04-15')
17
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
LAUNCHER = HERE / "OrgnetNeo4j.java"
#: The version the pom pins: Neo4j 5 LTS.
DEFAULT_VERSION = re.search(r"<neo4j.version>([^<]+)</neo4j.version>",
                            POM.read_text(encoding="utf-8")).group(1)
START_TIMEOUT = 180.0
STATE_FILE = "server.json"


class LaunchError(RuntimeError):
    """The server could not be resolved, started or stopped; the message says why."""


@dataclass
class Server:
    """A running server started by :func:`start`."""

    uri: str
    port: int
    pid: int
    version: str
    directory: Path
    auth: bool


def required_java(version: str) -> int:
    """Return the lowest Java major version a Neo4j version runs on (17 for 5.x, else 21)."""
    return 17 if version.startswith("5.") else 21


def java_major(version_output: str) -> int:
    """Parse the major version out of ``java -version`` output."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not match:
        raise LaunchError(f"cannot read the Java version from: {version_output.strip()[:200]}")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major


def _java_candidates() -> list[str]:
    found = []
    if os.environ.get("JAVA_HOME"):
        found.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    if shutil.which("java"):
        found.append(shutil.which("java"))
    found += sorted(glob.glob("/usr/lib/jvm/*/bin/java"))
    return [path for i, path in enumerate(found) if os.path.exists(path) and path not in found[:i]]


def find_java(minimum: int) -> tuple[str, int]:
    """Return a ``java`` of at least major version ``minimum`` and its major version.

    Looks at JAVA_HOME, then PATH, then /usr/lib/jvm.
    """
    seen = []
    for path in _java_candidates():
        out = subprocess.run([path, "-version"], capture_output=True, text=True).stderr
        major = java_major(out)
        seen.append(f"{path} ({major})")
        if major >= minimum:
            return path, major
    raise LaunchError(f"no Java {minimum} or later found (looked at: {', '.join(seen) or 'none'}); "
                      f"set JAVA_HOME")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "orgnet"


def resolve_classpath(version: str = DEFAULT_VERSION, *, quiet: bool = True) -> str:
    """Return the class path of Neo4j Community ``version``, resolving it with Maven.

    The jars stay in Maven's repository; the class path string is cached in
    ``~/.cache/orgnet`` and recomputed when a jar of it has gone.
    """
    cache = _cache_dir() / f"neo4j-{version}.classpath"
    if cache.exists():
        classpath = cache.read_text(encoding="utf-8").strip()
        if classpath and all(os.path.exists(p) for p in classpath.split(os.pathsep)):
            return classpath
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LaunchError("Maven (mvn) is not installed; it resolves Neo4j from Maven Central")
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".tmp{os.getpid()}")
    command = [mvn, "-B", "-q", "-f", str(POM), "dependency:build-classpath",
               f"-Dneo4j.version={version}", f"-Dmdep.outputFile={tmp}"]
    if not quiet:
        print("resolving Neo4j", version, "with Maven ...", file=sys.stderr)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not tmp.exists():
        raise LaunchError(f"Maven could not resolve org.neo4j:neo4j:{version} "
                          f"(`{' '.join(command[1:])}`):\n{(done.stdout + done.stderr)[-2000:]}")
    os.replace(tmp, cache)
    return cache.read_text(encoding="utf-8").strip()


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_conf(directory: Path, port: int, *, auth: bool, heap: str, pagecache: str) -> Path:
    """Write ``DIRECTORY/conf/neo4j.conf``; return the conf directory."""
    conf = directory / "conf"
    for sub in ("conf", "data", "logs", "run", "import", "plugins"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    settings = {
        "server.directories.data": directory / "data",
        "server.directories.logs": directory / "logs",
        "server.directories.run": directory / "run",
        "server.directories.import": directory / "import",
        "server.directories.plugins": directory / "plugins",
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "server.memory.heap.initial_size": heap,
        "server.memory.heap.max_size": heap,
        "server.memory.pagecache.size": pagecache,
        "dbms.usage_report.enabled": "false",
        # Versions that do not know a setting above (5.6 predates the usage report
        # switch) warn about it instead of refusing to start.
        "server.config.strict_validation.enabled": "false",
        "dbms.security.auth_enabled": "true" if auth else "false",
    }
    (conf / "neo4j.conf").write_text(
        "".join(f"{key}={value}\n" for key, value in settings.items()), encoding="utf-8")
    return conf


def _read_state(directory: Path) -> dict | None:
    path = directory / STATE_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:  # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _log_tail(directory: Path, lines: int = 25) -> str:
    out = []
    for name in ("console.log", "logs/neo4j.log"):
        path = directory / name
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            out.append(f"--- {path}\n" + "\n".join(text[-lines:]))
    return "\n".join(out) or "(no log written)"


def _started(directory: Path, since: int) -> bool:
    log = directory / "logs" / "neo4j.log"
    if not log.exists():
        return False
    with open(log, "rb") as fh:
        fh.seek(since)
        return b"INFO  Started." in fh.read()


def _set_password(uri: str, password: str) -> None:
    """Replace the initial neo4j/neo4j credentials over Bolt (the password stays off argv)."""
    import neo4j  # the project's dependency; only needed when a password is set

    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver:
        driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                             {"old": "neo4j", "new": password}, database_="system")


def _wait_bolt(uri: str, password: str | None, deadline: float) -> None:
    import neo4j

    auth = ("neo4j", password) if password is not None else None
    last = None
    while time.monotonic() < deadline:
        try:
            with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
                driver.execute_query("RETURN 1", database_="neo4j")
            return
        except Exception as err:  # noqa: BLE001 - the default database may still be starting
            last = err
            time.sleep(0.5)
    raise LaunchError(f"{uri} did not answer: {last}")


def start(directory: str | os.PathLike, *, port: int | None = None, password: str | None = None,
          version: str = DEFAULT_VERSION, heap: str = "1g", pagecache: str = "512m",
          fresh: bool = False, quiet: bool = True) -> Server:
    """Start a Neo4j server keeping its files in ``directory``; return when it answers.

    Parameters
    ----------
    directory : path
        Where the configuration, data and logs go (created if missing).
    port : int, optional
        The Bolt port on 127.0.0.1; a free one by default.
    password : str, optional
        Turn authentication on with user ``neo4j`` and this password (at least 8
        characters). Only honoured when the data directory is new.
    version : str
        The Neo4j Community version to resolve from Maven Central.
    fresh : bool
        Delete the directory's data first.

    Examples
    --------
    Start one, use ``server.uri`` (``bolt://127.0.0.1:PORT``), stop it::

        server = start("/tmp/orgnet-neo4j-doc", fresh=True)
        stop(server.directory)
    """
    directory = Path(directory).resolve()
    state = _read_state(directory)
    if state and _alive(state["pid"]):
        raise LaunchError(f"a Neo4j server (pid {state['pid']}) already runs from {directory}: "
                          f"{state['uri']}")
    if fresh and directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    new_data = not (directory / "data" / "databases").exists()
    if state and not new_data:
        auth = state["auth"]
    else:
        auth = password is not None
    if auth and password is None:
        raise LaunchError(f"the data in {directory} was created with a password; pass it again")
    if password is not None and len(password) < 8:
        raise LaunchError("the Neo4j password must be at least 8 characters")
    java, java_version = find_java(required_java(version))
    classpath = resolve_classpath(version, quiet=quiet)
    port = port or free_port()
    conf = write_conf(directory, port, auth=auth, heap=heap, pagecache=pagecache)
    log = directory / "logs" / "neo4j.log"
    log_start = log.stat().st_size if log.exists() else 0
    env = {**os.environ, "NEO4J_HOME": str(directory), "NEO4J_CONF": str(conf),
           "CLASSPATH": classpath}
    env.pop("NEO4J_PASSWORD", None)
    with open(directory / "console.log", "ab") as console:
        process = subprocess.Popen(
            # a fixed-size heap, as neo4j.conf's initial_size says: started at the
            # JVM's default (a quarter of it here), the young generation stayed
            # small and a load spent a third of the server's CPU in collections
            [java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC",
             # Java 22+ warns on JNA's native calls unless they are allowed.
             *(["--enable-native-access=ALL-UNNAMED"] if java_version >= 22 else []),
             str(LAUNCHER), f"--home-dir={directory}", f"--config-dir={conf}"],
            cwd=directory, env=env, stdout=console, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    uri = f"bolt://127.0.0.1:{port}"
    server = Server(uri, port, process.pid, version, directory, auth)
    (directory / STATE_FILE).write_text(json.dumps(
        {"uri": uri, "port": port, "pid": process.pid, "version": version, "auth": auth}),
        encoding="utf-8")
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not _started(directory, log_start):
            if process.poll() is not None:
                raise LaunchError(f"Neo4j {version} exited with status {process.returncode} "
                                  f"while starting:\n{_log_tail(directory)}")
            if time.monotonic() > deadline:
                raise LaunchError(f"Neo4j {version} did not start within {START_TIMEOUT:.0f} s:"
                                  f"\n{_log_tail(directory)}")
            time.sleep(0.3)
        if auth and new_data:
            _set_password(uri, password)
        _wait_bolt(uri, password, deadline)
    except BaseException:
        stop(directory)
        raise
    return server


def stop(directory: str | os.PathLike, *, timeout: float = 60.0, kill: bool = False) -> bool:
    """Stop the server started from ``directory`` (SIGTERM, or SIGKILL with ``kill``).

    Returns whether a running server was found.
    """
    directory = Path(directory).resolve()
    state = _read_state(directory)
    if not state or not _alive(state["pid"]):
        return False
    pid = state["pid"]
    try:
        os.killpg(pid, signal.SIGKILL if kill else signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start a server; print its bolt:// URI")
    p_start.add_argument("directory")
    p_start.add_argument("--port", type=int, default=None)
    p_start.add_argument("--neo4j-version", default=DEFAULT_VERSION)
    p_start.add_argument("--password-env", metavar="NAME",
                         help="turn authentication on with the password in this variable")
    p_start.add_argument("--heap", default="1g")
    p_start.add_argument("--pagecache", default="512m")
    p_start.add_argument("--fresh", action="store_true", help="delete existing data first")
    p_stop = sub.add_parser("stop", help="stop the server started from DIRECTORY")
    p_stop.add_argument("directory")
    p_cp = sub.add_parser("classpath", help="resolve the jars; print the class path")
    p_cp.add_argument("--neo4j-version", default=DEFAULT_VERSION)
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            password = None
            if args.password_env:
                password = os.environ.get(args.password_env)
                if not password:
                    raise LaunchError(f"{args.password_env} is not set")
            server = start(args.directory, port=args.port, password=password,
                           version=args.neo4j_version, heap=args.heap,
                           pagecache=args.pagecache, fresh=args.fresh, quiet=False)
            print(server.uri)
        elif args.command == "stop":
            if not stop(args.directory):
                print(f"no running server in {args.directory}", file=sys.stderr)
        else:
            print(resolve_classpath(args.neo4j_version, quiet=False))
    except LaunchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
