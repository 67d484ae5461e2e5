"""What every command shares: the error edge, progress bars and common options.

Library code raises :class:`~graphmodel.errors.OrgnetError` subclasses; the
commands turn them into ``click.ClickException`` here and nowhere else.
"""

from __future__ import annotations

import contextlib
import sys

import click

from graphmodel.errors import OrgnetError
from graphmodel.outputs import refuse_inputs, terminal_text, write_bytes, write_text

__all__ = ["errors_to_click", "progress", "lang_option", "is_terminal", "echo", "write_output",
           "SafeGroup", "show_warnings", "redact_option"]


@contextlib.contextmanager
def errors_to_click():
    """Turn an OrgnetError raised inside the block into a ClickException (exit 1)."""
    try:
        yield
    except OrgnetError as err:
        raise click.ClickException(terminal_text(str(err))) from err


def echo(text="", **kwargs) -> None:
    """``click.echo`` with control characters from data shown as escapes (never raw)."""
    click.echo(terminal_text(text), **kwargs)


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
            write_text(path, content, encoding=encoding)


class SafeGroup(click.Group):
    """A click group whose error messages never carry raw control characters."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as err:
            err.message = terminal_text(err.message)
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
