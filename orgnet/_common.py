"""What every command shares: the error edge, progress bars and common options.

Library code raises :class:`~graphmodel.errors.OrgnetError` subclasses; the
commands turn them into ``click.ClickException`` here and nowhere else.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import sys

import click

from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel import outputs
from orgnet.graphmodel.outputs import refuse_inputs, terminal_text, write_text

__all__ = ["errors_to_click", "progress", "lang_option", "is_terminal", "default_lang",
           "current_lang", "fail", "cannot_write", "CommandError", "say", "same_file",
           "write_bytes", "echo", "write_output", "write_output_parts", "SafeGroup",
           "show_warnings", "redact_option", "mask_secrets", "environment_secrets", "argv_lang",
           "lang_of_context", "usage_error", "bad_parameter", "findings_options",
           "checks_and_settings", "format_of", "split_names", "SUFFIX_FORMATS"]

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


#: the language named on the command line (``--lang zh``), read before click parses it
_ARGV_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("orgnet_argv_lang",
                                                                       default=None)


def _lang_in_args(args) -> str | None:
    """Return the value of the last ``--lang`` among command-line arguments (before ``--``).

    Examples
    --------
    >>> _lang_in_args(["check", "x", "--lang", "zh"]), _lang_in_args(["--lang=en"])
    ('zh', 'en')
    >>> _lang_in_args(["check", "--", "--lang", "zh"]) is None
    True
    """
    found = None
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found if found in ("en", "zh") else None


@contextlib.contextmanager
def argv_lang(args):
    """Within the block, the language of messages is the ``--lang`` of ``args`` (or the locale's).

    Used by :class:`orgnet._click_zh.OrgnetGroup` so that click's parse errors,
    which come before ``--lang`` is parsed, speak the language asked for.
    """
    token = _ARGV_LANG.set(_lang_in_args(args) or default_lang())
    try:
        yield
    finally:
        _ARGV_LANG.reset(token)


def lang_of_context(ctx) -> str:
    """Return the ``--lang`` of a click context or its parents; else that of the command
    line (:func:`argv_lang`); else the locale's (:func:`default_lang`)."""
    while ctx is not None:
        if ctx.params.get("lang") in ("en", "zh"):
            return ctx.params["lang"]
        ctx = ctx.parent
    return _ARGV_LANG.get() or default_lang()


def current_lang() -> str:
    """Return the ``--lang`` of the running command (its default when it has none)."""
    return lang_of_context(click.get_current_context(silent=True))


class CommandError(click.ClickException):
    """A ClickException (exit 1) whose ``Error:`` prefix speaks the command's language."""

    def __init__(self, message: str, lang: str | None = None):
        super().__init__(message)
        self.lang = lang or current_lang()

    def show(self, file=None) -> None:
        prefix = "错误：" if self.lang == "zh" else "Error: "
        click.echo(prefix + self.format_message(), file=file or sys.stderr)


class _UsageError(click.UsageError):
    """A click usage error (exit 2) that carries its Chinese text (``zh``)."""

    def __init__(self, message: str, zh: str | None = None, ctx=None):
        super().__init__(message, ctx)
        self.zh = zh


class _BadParameter(click.BadParameter):
    """A click bad-parameter error that carries its whole Chinese text (``zh``)."""

    def __init__(self, message: str, zh: str | None = None, param_hint=None):
        super().__init__(message, param_hint=param_hint)
        self.zh = zh


def usage_error(en: str, zh: str) -> click.UsageError:
    """Return the usage error to raise (exit 2): shown with ``zh`` under ``--lang zh``.

    Examples
    --------
    >>> err = usage_error("give -o FILE", "请用 -o 指定文件")
    >>> str(err), err.exit_code
    ('give -o FILE', 2)
    """
    return _UsageError(en, zh)


def bad_parameter(en: str, zh: str, hint: str) -> click.BadParameter:
    """Return a bad-parameter error about ``hint`` (``'--set'``) with its Chinese text."""
    return _BadParameter(en, f"{hint} 的值无效：{zh}", param_hint=hint)


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
        raise fail(str(err), err.render("zh")) from None


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
        say(f"Warning: {line}", f"警告：{getattr(line, 'zh', line)}")


def write_output(path, content, *, fmt: str = "", encoding: str | None = None,
                 inputs=()) -> None:
    """Write str or bytes to ``path`` atomically, refusing to overwrite any of ``inputs``.

    Text is UTF-8; for ``fmt="csv"`` with a BOM (utf-8-sig), so that Excel on Chinese
    Windows opens it correctly; ``encoding`` overrides both.  Failures (full disk,
    read-only target, output is an input) are one ``click.ClickException`` line.
    """
    if encoding is None:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with errors_to_click():
        refuse_inputs([path], inputs)
        if isinstance(content, bytes):
            write_bytes(path, content)
        else:
            write_text(path, mask_secrets(content), encoding=encoding)


def write_output_parts(path, parts, *, encoding: str = "utf-8", inputs=()) -> None:
    """:func:`write_output` for text coming in parts (a province's JSON): written as they
    come into the same atomic file, each part masked, never joined in memory."""
    from orgnet.graphmodel.outputs import atomic_write, clean_text

    with errors_to_click():
        refuse_inputs([path], inputs)
        with atomic_write(path, "w", encoding=encoding, newline="") as handle:
            for part in parts:
                part = mask_secrets(part)
                try:
                    handle.write(part)
                except UnicodeEncodeError:
                    handle.write(clean_text(part, tabs=True))


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


# -- the options of the commands that run checks (check, compare) -----------------------
#: ``-o`` suffix -> format, used when --format is not given
SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
                  ".xlsx": "xlsx", ".txt": "table"}


def findings_options(formats, *, verb: str = "Run", format_help: str = ""):
    """Decorate a command with the options of a run of checks.

    ``--format`` (one of ``formats``), ``-o/--output``, ``--only``, ``--skip``,
    ``--min-severity`` and ``--set``; the command receives ``fmt``, ``output``,
    ``only``, ``skip``, ``min_severity`` and ``overrides``; pass them through
    :func:`checks_and_settings` and :func:`format_of`.  ``verb`` starts the help
    of ``--only`` and ``--min-severity`` ("Run only these checks").

    Examples
    --------
    >>> @click.command()
    ... @findings_options(["table", "json"])
    ... def cmd(fmt, output, only, skip, min_severity, overrides):
    ...     pass
    >>> [p.name for p in cmd.params]
    ['fmt', 'output', 'only', 'skip', 'min_severity', 'overrides']
    """
    from pathlib import Path

    from orgnet.queries.finding import SEVERITIES

    options = [
        click.option("--format", "fmt", type=click.Choice(formats), default=None,
                     help="Output format [default: from the -o suffix, else table]. "
                          + (format_help or "xlsx needs -o.")),
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write to this file instead of standard output."),
        click.option("--only", multiple=True, metavar="ID|FAMILY",
                     help=f"{verb} only these checks or families (repeat or comma-separate)."),
        click.option("--skip", multiple=True, metavar="ID|FAMILY",
                     help="Leave out these checks or families (repeat or comma-separate)."),
        click.option("--min-severity", type=click.Choice(SEVERITIES),
                     help=f"{'Report' if verb == 'Run' else verb} only findings at or above "
                          "this severity."),
        click.option("--set", "overrides", multiple=True, metavar="NAME=N",
                     help="Change a threshold, e.g. --set branch_max_members=40 "
                          "(names and defaults: 'orgnet checks')."),
    ]

    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def split_names(values) -> list[str]:
    """Split repeated and comma-separated ``--only``/``--skip`` values.

    Examples
    --------
    >>> split_names(["coverage,structure", " referral "])
    ['coverage', 'structure', 'referral']
    """
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def checks_and_settings(only, skip, overrides):
    """Return ``(only, skip, settings)`` from the options of :func:`findings_options`.

    Unknown check or family names and bad ``--set`` values fail here, before any
    data is read, as usage errors in the command's language.
    """
    import dataclasses

    from orgnet.queries.catalog import CHECK_IDS, FAMILIES, QueryError, select_checks, settings_with
    from orgnet.graphmodel.schema import Settings

    only, skip = split_names(only), split_names(skip)
    try:
        select_checks(only, skip)
    except QueryError as err:
        unknown = [n for n in (*only, *skip) if n not in CHECK_IDS and n not in FAMILIES]
        raise bad_parameter(str(err), f"未知的检查或类别：{'、'.join(unknown)}（类别："
                            f"{'、'.join(FAMILIES)}；见 'orgnet checks'）",
                            "'--only' / '--skip'") from err
    try:
        settings = settings_with(overrides)
    except QueryError as err:
        names = [f.name for f in dataclasses.fields(Settings)]
        zh = "阈值写法为 名称=非负整数，名称为：" + "、".join(names)
        for item in overrides:
            name, _, value = str(item).partition("=")
            if name.strip() not in names:
                zh = f"未知的阈值 {name.strip()!r}；可用：{'、'.join(names)}"
                break
            if not value.strip().isdigit():
                zh = f"阈值 {name.strip()} 应为非负整数，而不是 {value.strip()!r}"
                break
        raise bad_parameter(str(err), zh, "'--set'") from err
    return only, skip, settings


def format_of(fmt, output):
    """Return the output format: ``fmt``, else from the ``-o`` suffix, else ``table``.

    Raises a usage error for ``xlsx`` without ``-o``.

    Examples
    --------
    >>> from pathlib import Path
    >>> format_of(None, Path("out.md")), format_of("json", None), format_of(None, None)
    ('markdown', 'json', 'table')
    """
    if fmt is None:
        fmt = SUFFIX_FORMATS.get(output.suffix.lower(), "table") if output else "table"
    if fmt == "xlsx" and output is None:
        raise usage_error("--format xlsx writes a workbook: give -o FILE.xlsx",
                          "--format xlsx 输出工作簿：请用 -o 指定 FILE.xlsx")
    return fmt
