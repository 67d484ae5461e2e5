"""Click's own words in the command's language: usage lines, help headings and usage errors.

Click writes "Usage:", "Options:", "Try 'orgnet check --help' for help." and
"Error: No such option '--x'." in English.  Under ``--lang zh`` (or a Chinese
``LANG`` / ``LC_ALL``) orgnet writes them in Chinese, through three thin
subclasses and nothing patched in click itself:

- :class:`OrgnetGroup` (the ``orgnet`` group, a :class:`orgnet._common.SafeGroup`:
  no raw control character in a message) reads the language from the
  command line before click parses it (a parse error has no parsed ``--lang``),
  gives its commands :class:`OrgnetContext`, and turns each ``ClickException``
  raised while parsing or running a command into a :class:`LocalizedError`;
- :class:`OrgnetContext` makes a :class:`ZhHelpFormatter` under zh, which
  writes "用法：" and the Chinese section headings;
- :class:`LocalizedError` shows an error as click does (usage line, help hint,
  error line) with the message rebuilt from the exception's fields
  (:func:`zh_message`).

Under ``en`` nothing changes: click's own classes and texts are used.

Examples
--------
>>> import click
>>> zh_message(click.NoSuchOption("--colour", possibilities=["--color"]))
"没有选项 '--colour'。您是否想用 '--color'？"
>>> zh_message(click.UsageError("Got unexpected extra arguments (a b)"))
'多余的参数：a b'
"""

from __future__ import annotations

import re
import sys

import click

from orgnet._common import SafeGroup, _safe, argv_lang, lang_of_context

__all__ = ["OrgnetGroup", "OrgnetContext", "ZhHelpFormatter", "LocalizedError", "zh_message"]

#: click's help section headings and help-option texts, in Chinese
_HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数",
             "Arguments": "参数"}
_HELP_TEXTS = {"Show this message and exit.": "显示本帮助并退出。",
               "Show the version and exit.": "显示版本号并退出。"}
_HELP_MARKS = ((re.compile(r"\[default: "), "[默认："), (re.compile(r"\[required\]"), "[必填]"),
               (re.compile(r"\[env var: "), "[环境变量："))

#: click's inner messages of a bad value (a click type's ``fail``) -> Chinese
_VALUE_MESSAGES = (
    (re.compile(r"^(?P<v>.+) is not one of (?P<c>.+)\.$", re.S), "{v} 不是可选值 {c} 之一。"),
    (re.compile(r"^(?P<v>.+) is not (?P<c>'[^']*')\.$", re.S), "{v} 不是 {c}。"),
    (re.compile(r"^(?P<v>.+) is not a valid integer\.$", re.S), "{v} 不是有效的整数。"),
    (re.compile(r"^(?P<v>.+) is not a valid float\.$", re.S), "{v} 不是有效的数字。"),
    (re.compile(r"^(?P<v>.+) is not a valid boolean\..*$", re.S), "{v} 不是有效的布尔值。"),
    (re.compile(r"^(?P<v>.+) is not in the range (?P<c>.+)\.$", re.S), "{v} 不在范围 {c} 内。"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>.+) does not exist\.$", re.S), "{v} 不存在。"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>.+) is a file\.$", re.S), "{v} 是文件。"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>.+) is a directory\.$", re.S), "{v} 是目录。"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>.+) is not readable\.$", re.S), "{v} 不可读。"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>.+) is not writable\.$", re.S), "{v} 不可写。"),
)

#: click's usage errors without fields of their own -> Chinese
_USAGE_MESSAGES = (
    (re.compile(r"^Got unexpected extra arguments? \((?P<v>.*)\)$", re.S), "多余的参数：{v}"),
    (re.compile(r"^Missing command\.$"), "缺少命令。"),
    (re.compile(r"^No such command (?P<v>'.*')\.$", re.S), "没有命令 {v}。"),
    (re.compile(r"^Option (?P<v>'.*') requires an argument\.$", re.S), "选项 {v} 需要一个值。"),
    (re.compile(r"^Option (?P<v>'.*') requires (?P<c>\d+) arguments\.$", re.S),
     "选项 {v} 需要 {c} 个值。"),
    (re.compile(r"^Option (?P<v>'.*') does not take a value\.$", re.S), "选项 {v} 不接受值。"),
    (re.compile(r"^Argument (?P<v>'.*') takes (?P<c>\d+) values\.$", re.S),
     "参数 {v} 需要 {c} 个值。"),
)


def _translated(text: str, table) -> str | None:
    for pattern, zh in table:
        match = pattern.match(text)
        if match:
            return zh.format(**match.groupdict())
    return None


def _hint(err) -> str:
    """The parameter an error is about, as click names it (``'--format'``, ``'PATH'``)."""
    hint = getattr(err, "param_hint", None)
    if hint is None and getattr(err, "param", None) is not None:
        hint = err.param.get_error_hint(err.ctx)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint or ""


def _possibilities(err) -> str:
    found = sorted(getattr(err, "possibilities", None) or [])
    if not found:
        return ""
    listed = "、".join(repr(p) for p in found)
    return f"您是否想用 {listed}？"


def zh_message(err: click.ClickException) -> str:
    """Return the message of a click exception in Chinese.

    orgnet's own errors carry their Chinese text (``err.zh``, see
    :func:`orgnet._common.usage_error`); click's are rebuilt from their fields
    (option name, parameter, possibilities) or, for the few without fields, from
    the English text; an unknown message is returned as it is.
    """
    own = getattr(err, "zh", None)
    if own:
        return own
    if isinstance(err, click.NoSuchOption):
        return f"没有选项 {err.option_name!r}。{_possibilities(err)}"
    if type(err).__name__ == "NoSuchCommand":          # click >= 8.4
        return f"没有命令 {err.command_name!r}。{_possibilities(err)}"
    if isinstance(err, click.MissingParameter):
        kind = err.param_type or (err.param.param_type_name if err.param is not None else "")
        what = {"argument": "缺少参数", "option": "缺少选项"}.get(kind, "缺少参数")
        hint = _hint(err)
        extra = ""
        if err.param is not None and isinstance(err.param.type, click.Choice):
            extra = " 可选值：" + "、".join(map(str, err.param.type.choices))
        return f"{what} {hint}。{extra}" if hint else f"{what}。{extra}"
    if isinstance(err, click.BadParameter):
        inner = _translated(err.message, _VALUE_MESSAGES) or err.message
        hint = _hint(err)
        return f"{hint} 的值无效：{inner}" if hint else f"值无效：{inner}"
    if isinstance(err, click.FileError):
        return f"无法打开文件 {err.ui_filename!r}：{err.message}"
    if isinstance(err, click.UsageError):
        return _translated(err.message, _USAGE_MESSAGES) or err.format_message()
    return err.format_message()


class LocalizedError(click.ClickException):
    """A click exception shown in Chinese: usage line, help hint and ``错误：`` line.

    Keeps the exit code of the exception it stands for (2 for usage errors).
    """

    def __init__(self, original: click.ClickException):
        super().__init__(_safe(zh_message(original)))
        self.original = original
        self.exit_code = original.exit_code

    def show(self, file=None) -> None:
        file = file or sys.stderr
        ctx = getattr(self.original, "ctx", None)
        if isinstance(self.original, click.UsageError) and ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                names = ctx.command.get_help_option_names(ctx)
                hint = f"请运行 '{ctx.command_path} {max(names, key=len)}' 查看帮助。\n"
            click.echo(f"{ctx.get_usage()}\n{hint}", file=file, color=ctx.color)
        click.echo("错误：" + self.format_message(), file=file)


class _Aborted(click.ClickException):
    """Click's "Aborted!" (Ctrl-C, end of input, ``click.Abort``) in Chinese; exit 1."""

    def __init__(self):
        super().__init__("已中止！")

    def show(self, file=None) -> None:
        click.echo("已中止！", file=file or sys.stderr)


def _localized(err: click.ClickException):
    """The exception to raise instead of ``err`` (itself when it needs no translation)."""
    if isinstance(err, LocalizedError) or type(err).__name__ == "NoArgsIsHelpError":
        return err
    if getattr(err, "lang", None) is not None:          # orgnet's CommandError: its own words
        return err
    return LocalizedError(err)


class ZhHelpFormatter(click.HelpFormatter):
    """click's help formatter with "用法：" and Chinese headings and help marks."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        def zh(text):
            text = _HELP_TEXTS.get(text, text)
            for pattern, replacement in _HELP_MARKS:
                text = pattern.sub(replacement, text)
            return text

        super().write_dl([(term, zh(text)) for term, text in rows], col_max, col_spacing)


class OrgnetContext(click.Context):
    """A click context whose help and usage lines speak the command's language."""

    def make_formatter(self) -> click.HelpFormatter:
        if lang_of_context(self) == "zh":
            return ZhHelpFormatter(width=self.terminal_width, max_width=self.max_content_width)
        return super().make_formatter()


class OrgnetGroup(SafeGroup):
    """The ``orgnet`` group: click's messages in the language of ``--lang`` (or of LANG)."""

    context_class = OrgnetContext

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if cmd.context_class is click.Context:
            cmd.context_class = OrgnetContext
        super().add_command(cmd, name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        args = sys.argv[1:] if args is None else list(args)
        with argv_lang(args):
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as err:
            if lang_of_context(None) != "zh":
                err.message = _safe(err.message)
                raise
            raise _localized(err) from err

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as err:
            if lang_of_context(ctx) != "zh":
                raise
            raise _localized(err) from err
        except (click.Abort, KeyboardInterrupt, EOFError) as err:
            if lang_of_context(ctx) != "zh":
                raise
            if not isinstance(err, click.Abort):
                click.echo(file=sys.stderr)         # closes the terminal's ^C echo, as click does
            raise _Aborted() from err
