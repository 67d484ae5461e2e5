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

from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel import outputs
from orgnet.graphmodel.outputs import refuse_inputs, terminal_text, write_text



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
__all__ = ["errors_to_click", "progress", "lang_option", "is_terminal", "default_lang",
           "current_lang", "fail", "cannot_write", "CommandError", "say", "same_file",
           "write_bytes", "echo", "write_output", "SafeGroup", "show_warnings", "redact_option",
           "mask_secrets", "environment_secrets"]


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
    """Write a file whole or not at all (:func:`orgnet.graphmodel.outputs.write_bytes`).

    A failure (full disk, read-only target, missing directory) is one
    :class:`CommandError` line in the command's language.
    """
    try:
        outputs.write_bytes(path, content)
    except outputs.OutputError as err:
        text = str(err)
        raise fail(text, text.replace("cannot write ", "无法写入 ", 1)) from None


def say(en: str, zh: str) -> None:
    """Print a status line on stderr in the command's language."""
    click.echo(_safe(zh if current_lang() == "zh" else en), err=True)


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
        raise CommandError(_safe(text), lang) from err


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
    "--lang", type=click.Choice(["en", "zh"]), default=default_lang,
    show_default="zh when LANG is Chinese, else en",
    help="Language of messages, headers and labels (zh: 中文).")
