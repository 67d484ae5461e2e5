"""What every command shares: the error edge, progress bars and common options.

Library code raises :class:`~graphmodel.errors.OrgnetError` subclasses; the
commands turn them into ``click.ClickException`` here and nowhere else.
"""

from __future__ import annotations

import contextlib
import sys

import click

from graphmodel.errors import OrgnetError

__all__ = ["errors_to_click", "progress", "lang_option", "is_terminal"]


@contextlib.contextmanager
def errors_to_click():
    """Turn an OrgnetError raised inside the block into a ClickException (exit 1)."""
    try:
        yield
    except OrgnetError as err:
        raise click.ClickException(str(err)) from err


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


lang_option = click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of messages, headers and labels (zh: 中文).")
