"""What every command shares: the error edge, progress bars and common options.

Library code raises :class:`~graphmodel.errors.OrgnetError` subclasses; the
commands turn them into ``click.ClickException`` here and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from orgnet.graphmodel.errors import OrgnetError

__all__ = ["errors_to_click", "progress", "lang_option", "is_terminal", "default_lang",
           "current_lang", "fail", "cannot_write", "CommandError", "say", "same_file",
           "write_bytes"]


def default_lang() -> str:
    """Return ``zh`` when the locale (LC_ALL, LC_MESSAGES or LANG) is Chinese, else ``en``.

    Examples
    --------
    >>> import os
    >>> old = {k: os.environ.pop(k, None) for k in ("LC_ALL", "LC_MESSAGES", "LANG")}
    >>> os.environ["LANG"] = "zh_CN.UTF-8"; default_lang()
    'zh'
    >>> os.environ["LANG"] = "C.UTF-8"; default_lang()
    'en'
    >>> _ = [os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    ...      for k, v in old.items()]
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def current_lang() -> str:
    """Return the ``--lang`` of the running command (its default when it has none)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("lang") in ("en", "zh"):
            return ctx.params["lang"]
        ctx = ctx.parent
    return default_lang()


class CommandError(click.ClickException):
    """A ClickException (exit 1) whose ``Error:`` prefix speaks the command's language."""

    def __init__(self, message: str, lang: str | None = None):
        super().__init__(message)
        self.lang = lang or current_lang()

    def show(self, file=None) -> None:
        prefix = "错误：" if self.lang == "zh" else "Error: "
        click.echo(prefix + self.format_message(), file=file or sys.stderr)


def fail(en: str, zh: str | None = None):
    """Return the CommandError to raise: ``zh`` under ``--lang zh``, ``en`` otherwise."""
    lang = current_lang()
    return CommandError(zh if lang == "zh" and zh is not None else en, lang)


def cannot_write(path, err: OSError) -> CommandError:
    """Return the error for a file that could not be written."""
    reason = err.strerror or str(err)
    return fail(f"cannot write {path}: {reason}", f"无法写入 {path}：{reason}")


def same_file(a, b) -> bool:
    """Return True when two paths name one file (an output must never overwrite an input)."""
    from pathlib import Path

    a, b = Path(a), Path(b)
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def write_bytes(path, content: bytes) -> None:
    """Write a file whole or not at all: into a temporary file beside it, then rename.

    Raises OSError (turn it into :func:`cannot_write`).
    """
    import tempfile
    from pathlib import Path

    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def say(en: str, zh: str) -> None:
    """Print a status line on stderr in the command's language."""
    click.echo(zh if current_lang() == "zh" else en, err=True)


@contextlib.contextmanager
def errors_to_click():
    """Turn an OrgnetError raised inside the block into a CommandError (exit 1).

    Errors that can speak Chinese (``render(lang)``) do so under ``--lang zh``.
    """
    try:
        yield
    except OrgnetError as err:
        lang = current_lang()
        text = err.render(lang) if lang == "zh" and hasattr(err, "render") else str(err)
        raise CommandError(text, lang) from err


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
    "--lang", type=click.Choice(["en", "zh"]), default=default_lang,
    show_default="zh when LANG is Chinese, else en",
    help="Language of messages, headers and labels (zh: 中文).")
