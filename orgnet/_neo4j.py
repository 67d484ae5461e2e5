"""What every command that talks to Neo4j shares: options, credentials, the driver.

Commands add the options with :func:`neo4j_options` and receive one ``target``
argument (a :class:`Neo4jTarget`, or None when no server was named and the
option is not required); :func:`open_store` opens the driver, checks the server
and yields a :class:`~graphmodel.neo4j_store.Neo4jStore`.

The settings fall back to the environment variables Neo4j's own tools read:
``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.  When
no password is given and stdin is a terminal, it is asked for with a hidden
prompt.  The password never appears in output, logs or error messages: every
message leaving :func:`open_driver` is redacted.

Examples
--------
>>> target = Neo4jTarget("bolt://localhost:7687", "neo4j", "neo4j", "s3cret!", None)
>>> "s3cret" in repr(target)
False
>>> parse_param("ids=[\\"H1\\", \\"T1\\"]"), parse_param("name=县医院"), parse_param("n=3")
(('ids', ['H1', 'T1']), ('name', '县医院'), ('n', 3))
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field

import click

# The driver (``neo4j``, and ``orgnet.graphmodel.neo4j_store`` which imports it) is
# imported by the functions that connect, not here: every command module imports this
# one for its options, and an embedded ``orgnet check PATH`` never talks to a server
# (the driver alone costs about 0.15 s of start-up).
from orgnet import __version__
from orgnet._common import bad_parameter, usage_error

__all__ = [
    "Neo4jTarget", "neo4j_options", "open_driver", "open_store", "resolve_dataset",
    "parse_param", "redact", "make_target", "read_only_refusal", "ENV_URI", "ENV_USERNAME", "ENV_PASSWORD", "ENV_DATABASE",
    "DEFAULT_DATABASE", "DEFAULT_USERNAME", "URI_SCHEMES",
]

ENV_URI = "NEO4J_URI"
ENV_USERNAME = "NEO4J_USERNAME"
ENV_PASSWORD = "NEO4J_PASSWORD"
ENV_DATABASE = "NEO4J_DATABASE"
DEFAULT_DATABASE = "neo4j"
DEFAULT_USERNAME = "neo4j"
#: Bolt URI schemes (the driver's HTTP preview needs extra packages and is not used).
URI_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


@dataclass(frozen=True)
class Neo4jTarget:
    """Where to connect: URI, database, credentials and the dataset name (if any)."""

    uri: str
    database: str
    username: str
    password: str | None = field(repr=False)
    dataset: str | None = None

    @property
    def display(self) -> str:
        """The URI without credentials, for messages."""
        from orgnet.graphmodel.neo4j_store import display_uri

        return display_uri(self.uri)


def neo4j_options(*, required: bool = False, uri_from_env: bool = True,
                  dataset_help: str = "Dataset name in Neo4j (default: the only one, "
                                      "or the dataset's own name when loading).",
                  several_datasets: bool = False):
    """Add ``--neo4j``, ``--database``, ``--dataset`` and ``--username``.

    The password comes only from ``NEO4J_PASSWORD``, the userinfo of the URI, or a
    hidden prompt on a terminal; ``--password`` is refused with a usage error.

    The decorated command receives ``target``: a :class:`Neo4jTarget`, or None
    when neither ``--neo4j`` nor (with ``uri_from_env``) ``NEO4J_URI`` is given
    and ``required`` is false.  ``required`` commands fail with a usage error
    (exit 2) when no URI is given.  With ``several_datasets``, ``--dataset`` may
    be repeated and ``target.dataset`` is the tuple of names given.
    """
    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, neo4j_uri, neo4j_database, neo4j_username, neo4j_password,
                    neo4j_dataset, **kwargs):
            if neo4j_password is not None:
                raise usage_error(
                    f"--password is not accepted: a password on the command line shows in "
                    f"shell history and in 'ps'; set {ENV_PASSWORD} or type it when asked",
                    f"不接受 --password：命令行中的密码会留在 shell 历史和 'ps' 中；"
                    f"请设置 {ENV_PASSWORD}，或在提示时输入")
            if not neo4j_uri:
                if required:
                    raise usage_error(
                        f"no Neo4j server given: pass --neo4j URI or set {ENV_URI}",
                        f"没有指定 Neo4j 服务器：请给出 --neo4j URI 或设置 {ENV_URI}")
                target = None
            else:
                target = make_target(neo4j_uri, neo4j_database, neo4j_username,
                                     os.environ.get(ENV_PASSWORD) or None, neo4j_dataset)
            return command(*args, target=target, **kwargs)

        options = [
            click.option("--neo4j", "neo4j_uri", metavar="URI",
                         envvar=ENV_URI if uri_from_env else None,
                         help=f"Neo4j server, e.g. bolt://localhost:7687 (env {ENV_URI})."),
            click.option("--database", "neo4j_database", metavar="DB", envvar=ENV_DATABASE,
                         help=f"Neo4j database (env {ENV_DATABASE}; default "
                              f"{DEFAULT_DATABASE})."),
            click.option("--dataset", "neo4j_dataset", metavar="NAME", help=dataset_help,
                         multiple=several_datasets),
            click.option("--username", "neo4j_username", metavar="USER", envvar=ENV_USERNAME,
                         help=f"Neo4j user (env {ENV_USERNAME}; default {DEFAULT_USERNAME})."),
            # refused with a clear message (passwords come from the environment or a
            # hidden prompt only); hidden from --help
            click.option("--password", "neo4j_password", metavar="PASSWORD", hidden=True,
                         expose_value=True),
        ]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def make_target(uri: str, database=None, username=None, password=None,
                dataset=None) -> Neo4jTarget:
    """Return the target of a URI; ``user:password@`` in it is taken out of the URI.

    The credentials of the userinfo are used when ``username`` / ``password`` are
    not given otherwise; the URI kept (and shown in every message) has none.

    Examples
    --------
    >>> t = make_target("bolt://neo:pw%21@db.example:7687")
    >>> t.uri, t.username, t.password == "pw!"
    ('bolt://db.example:7687', 'neo', True)
    >>> make_target("bolt://db:7687", username="u", password="p").username
    'u'
    """
    from urllib.parse import unquote

    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^@/]*)@(.*)$", uri or "")
    if match:
        scheme, userinfo, rest = match.groups()
        uri = scheme + rest
        user, _, secret = userinfo.partition(":")
        username = username or unquote(user) or None
        if password is None and secret:
            password = unquote(secret)
    return Neo4jTarget(uri, database or DEFAULT_DATABASE, username or DEFAULT_USERNAME,
                       password, dataset)


def redact(text: str, secret: str | None) -> str:
    """Return text with every occurrence of a secret replaced by ``***``.

    Examples
    --------
    >>> redact("auth failed for hunter22", "hunter22")
    'auth failed for ***'
    """
    if secret:
        text = text.replace(secret, "***")
    return text


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask_password(target: Neo4jTarget) -> str | None:
    if target.password is not None:
        return target.password
    if _stdin_is_terminal():
        return click.prompt(f"Neo4j password for {target.username} at {target.display}",
                            hide_input=True, err=True, default="", show_default=False)
    return None


@contextlib.contextmanager
def _translated(target: Neo4jTarget, password: str | None):
    """Turn driver errors (and any StoreError) into redacted StoreErrors."""
    from neo4j import exceptions as neo4j_errors

    from orgnet.graphmodel.neo4j_store import StoreError, translate_error

    try:
        yield
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, StoreError) as err:
        error = translate_error(err, uri=target.uri, database=target.database,
                                user=target.username)
        message, zh = str(error), getattr(error, "zh", None)
        if isinstance(err, neo4j_errors.AuthError) and not password:
            message += f"; no password was given: set {ENV_PASSWORD}"
            zh = zh and f"{zh}；未提供密码：请设置 {ENV_PASSWORD}"
        raise type(error)(redact(message, password),
                          redact(zh, password) if zh else None) from None


def _silence_driver_notification_log() -> None:
    """Keep the driver from logging notifications (raw object dumps) to stderr.

    The driver logs every notification it receives through ``neo4j.notifications``;
    with logging unconfigured, Python prints warnings of it on stderr. The commands
    show the notifications a user asked for themselves, one line each.
    """
    log = logging.getLogger("neo4j.notifications")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False


@contextlib.contextmanager
def open_driver(target: Neo4jTarget, *, notifications: bool = False):
    """Open a driver to ``target``, check connectivity and server version; close it after.

    orgnet's own queries run with the server's notifications turned off (they would
    otherwise reach stderr as the driver's log lines). ``notifications=True`` asks the
    server for all of them and leaves showing them to the caller (``orgnet cypher``
    prints each as one line, see :func:`orgnet.graphmodel.neo4j_store.notification_lines`).

    Raises
    ------
    StoreError
        Server unreachable, wrong credentials, unknown database, Neo4j older than
        5.7, or an invalid URI; one line, never containing the password.
    """
    import neo4j
    from neo4j import exceptions as neo4j_errors

    from orgnet.graphmodel.neo4j_store import StoreError, check_server, display_uri

    scheme = target.uri.split("://", 1)[0].lower() if "://" in target.uri else ""
    if scheme not in URI_SCHEMES:
        raise StoreError(
            f"invalid Neo4j URI {display_uri(target.uri)!r}: use a bolt:// or neo4j:// URI "
            f"(+s / +ssc for TLS), e.g. bolt://localhost:7687",
            f"无效的 Neo4j 地址 {display_uri(target.uri)!r}：请用 bolt:// 或 neo4j:// 地址"
            f"（TLS 用 +s / +ssc），例如 bolt://localhost:7687")
    password = _ask_password(target)
    auth = (target.username, password) if password else None
    _silence_driver_notification_log()
    try:
        driver = neo4j.GraphDatabase.driver(
            target.uri, auth=auth, user_agent=f"orgnet/{__version__}",
            # Server-side filter (Bolt 5.2, Neo4j 5.7+) and no driver log lines.
            notifications_min_severity="INFORMATION" if notifications else "OFF",
            warn_notification_severity="OFF")
    except (ValueError, neo4j_errors.ConfigurationError) as err:
        raise StoreError(redact(
            f"invalid Neo4j URI {display_uri(target.uri)!r}: {err}; use e.g. "
            f"bolt://localhost:7687 or neo4j://host:7687", password)) from None
    try:
        with _translated(target, password):
            driver.verify_connectivity()
            check_server(driver, target.database)
            yield driver
    finally:
        driver.close()


@contextlib.contextmanager
def open_store(target: Neo4jTarget):
    """Yield a :class:`Neo4jStore` on ``target``'s database (see :func:`open_driver`)."""
    from orgnet.graphmodel.neo4j_store import Neo4jStore

    with open_driver(target) as driver:
        yield Neo4jStore(driver, target.database)


def resolve_dataset(store: Neo4jStore, name: str | None) -> str:
    """Return the dataset to work on: ``name``, or the only one loaded.

    Raises
    ------
    StoreError
        No dataset is loaded, or several are and none was named.
    """
    from orgnet.graphmodel.neo4j_store import StoreError

    names = [info.name for info in store.datasets()]
    if name:
        if name not in names:
            store.live_graph(name)  # raises the "no dataset" error listing the loaded ones
        return name
    if len(names) == 1:
        return names[0]
    if not names:
        raise StoreError(f"Neo4j database {store.database!r} holds no orgnet dataset; "
                         f"load one with: orgnet load PATH --neo4j URI",
                         f"Neo4j 数据库 {store.database!r} 中没有 orgnet 数据集；请先载入："
                         f"orgnet load PATH --neo4j URI")
    raise StoreError(f"Neo4j database {store.database!r} holds several datasets "
                     f"({', '.join(names)}); choose one with --dataset NAME",
                     f"Neo4j 数据库 {store.database!r} 中有多个数据集（{'、'.join(names)}）；"
                     f"请用 --dataset NAME 选择一个")


def parse_param(text: str) -> tuple[str, object]:
    """Parse a ``--param NAME=VALUE``: the value as JSON when it parses, else a string.

    Raises
    ------
    click.BadParameter
        No ``=`` or an empty name.
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise bad_parameter(f"{text!r} is not NAME=VALUE", f"{text!r} 不是 名称=值 的写法",
                            "'--param'")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


# -- read-only means read-only ----------------------------------------------------------
_STRIP = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/",
                    re.S)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.I)
_PROCEDURE = re.compile(r"\bCALL\s+((?:(?:dbms|tx|apoc)\s*\.|db\s*\.\s*create|"
                        r"db\s*\.\s*index\s*\.\s*fulltext\s*\.\s*create|db\s*\.\s*clear|"
                        r"db\s*\.\s*stats\s*\.\s*(?:clear|collect|retrieve|stop))[\w\s.]*)", re.I)
_ADMIN = re.compile(
    r"^\s*(?:USE\s+[\w.]+\s+)?(?:"
    r"(?:CREATE|DROP|ALTER|RENAME)\s+(?:OR\s+REPLACE\s+)?(?:COMPOSITE\s+)?"
    r"(?:USER|ROLE|DATABASE|ALIAS|SERVER|(?:\w+\s+)?INDEX|CONSTRAINT)\b"
    r"|(?:START|STOP)\s+DATABASE\b|GRANT\b|DENY\b|REVOKE\b|TERMINATE\s+TRANSACTIONS?\b"
    r"|ENABLE\s+SERVER\b|DEALLOCATE\b|REALLOCATE\b|DRYRUN\b"
    r"|SHOW\s+(?:\w+\s+)*?(?:USERS?|ROLES?|PRIVILEGES|TRANSACTIONS?|SERVERS?|SETTINGS?|"
    r"ALIASES|DATABASES?|SUPPORTED\s+PRIVILEGES|CURRENT\s+USER)\b)", re.I)


def read_only_refusal(query: str) -> str | None:
    """Return why a query may not run without ``--write``, or None when it may.

    Refused besides writes (which the server's read access mode refuses too):
    ``LOAD CSV`` (reads files and URLs from the server), administration commands
    (users, roles, databases, indexes, privileges, ``SHOW``/``TERMINATE
    TRANSACTIONS`` ...) and ``dbms.*`` / ``db.create*`` / ``tx.*`` procedures.
    String literals, identifiers in backticks and comments are ignored.

    Examples
    --------
    >>> read_only_refusal("MATCH (n) RETURN n.name AS `LOAD CSV`, 'CALL dbms.x'")
    >>> read_only_refusal("load csv from 'file:///etc/passwd' as row return row")
    'LOAD CSV reads files and URLs on the server'
    >>> read_only_refusal("CALL dbms.security.listUsers()")
    "the procedure 'dbms.security.listUsers' administers the server"
    >>> read_only_refusal("CALL db.createLabel('x')"), read_only_refusal("CALL db.labels()")
    ("the procedure 'db.createLabel' administers the server", None)
    >>> read_only_refusal("TERMINATE TRANSACTIONS 'neo4j-transaction-1'")
    "'TERMINATE TRANSACTIONS' is an administration command"
    """
    text = _STRIP.sub(" ", query)
    if _LOAD_CSV.search(text):
        return "LOAD CSV reads files and URLs on the server"
    match = _PROCEDURE.search(text)
    if match:
        name = re.sub(r"\s+", "", match.group(1)).rstrip(".")
        return f"the procedure '{name}' administers the server"
    for statement in text.split(";"):
        match = _ADMIN.match(statement)
        if match:
            words = " ".join(match.group(0).split()).upper()
            return f"'{words}' is an administration command"
    return None
