"""What every command shares: the error edge, progress bars and common options.

Library code raises :class:`~graphmodel.errors.OrgnetError` subclasses; the
commands turn them into ``click.ClickException`` here and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

import click

from graphmodel.errors import OrgnetError
from graphmodel.outputs import refuse_inputs, terminal_text, write_bytes, write_text

__all__ = ["errors_to_click", "progress", "lang_option", "is_terminal", "echo", "write_output",
           "SafeGroup", "show_warnings", "redact_option", "mask_secrets", "environment_secrets"]


#: environment variables whose values are secrets (NEO4J_PASSWORD, ORGNET_REDACT_KEY ...)
_SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY|CREDENTIAL", re.I)
_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^@/]*)@")


def environment_secrets(environ=None) -> list[str]:
    """Return the password-like strings of the environment, longest first.

    Values of variables named like ``*PASS*``, ``*SECRET*``, ``*TOKEN*``, ``*KEY*``,
    ``*CREDENTIAL*`` (at least 4 characters), and the userinfo of ``NEO4J_URI``.

    Examples
    --------
    >>> environment_secrets({"NEO4J_PASSWORD": "hunter22", "HOME": "/root",
    ...                      "NEO4J_URI": "bolt://u:pw99@db:7687"})
    ['hunter22', 'u:pw99', 'pw99']
    """
    environ = os.environ if environ is None else environ
    found = {v for k, v in environ.items() if _SECRET_NAME.search(k) and len(v) >= 4}
    match = _USERINFO.match(environ.get("NEO4J_URI", ""))
    if match:
        userinfo = match.group(1)
        found.add(userinfo)
        secret = userinfo.partition(":")[2]
        if len(secret) >= 4:
            found.add(secret)
    return sorted(found, key=lambda v: (-len(v), v))


def mask_secrets(text: str) -> str:
    """Return text with every password-like string of the environment replaced by ``***``."""
    for secret in environment_secrets():
        if secret in text:
            text = text.replace(secret, "***")
    return text


def _safe(text) -> str:
    return mask_secrets(terminal_text(str(text)))


@contextlib.contextmanager
def errors_to_click():
    """Turn an OrgnetError raised inside the block into a ClickException (exit 1)."""
    try:
        yield
    except OrgnetError as err:
        raise click.ClickException(_safe(err)) from err


def echo(text="", **kwargs) -> None:
    """``click.echo`` with control characters shown as escapes and secrets masked."""
    click.echo(_safe(text), **kwargs)


def show_warnings(dataset) -> None:
    """Print a loaded dataset's warnings (hidden sheets and rows ...) on stderr."""
    for line in getattr(dataset, "warnings", ()):
        echo(f"Warning: {line}", err=True)


def write_output(path, content, *, encoding: str = "utf-8", inputs=()) -> None:
    """Write str or bytes to ``path`` atomically, refusing to overwrite any of ``inputs``.

    Failures (full disk, read-only target, output is an input) are one
    ``click.ClickException`` line.
    """
    with errors_to_click():
        refuse_inputs([path], inputs)
        if isinstance(content, bytes):
            write_bytes(path, content)
        else:
            write_text(path, mask_secrets(content), encoding=encoding)


class SafeGroup(click.Group):
    """A click group whose error messages never carry raw control characters."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as err:
            err.message = _safe(err.message)
            raise


def is_terminal() -> bool:
    """Return True when stderr is a terminal (progress bars are shown only then)."""
    return sys.stderr.isatty()


class _NoBar:
    def update(self, n, current_item=None):
        pass


@contextlib.contextmanager
def progress(label: str, length: int | None = None):
    """Yield an object with ``update(n)``: a click progress bar on a terminal, else a no-op.

    Library functions take a ``progress`` callback ``callback(n)``; pass ``bar.update``.
    """
    if not is_terminal():
        yield _NoBar()
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar


redact_option = click.option(
    "--redact", is_flag=True,
    help="Replace member names and ids by stable pseudonyms everywhere in the output "
         "(keyed by ORGNET_REDACT_KEY).")

lang_option = click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of messages, headers and labels (zh: 中文).")
