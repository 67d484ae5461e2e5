"""The one writer layer: outputs that cannot attack their reader and are never half-written.

Every command writes through this module (``orgnet`` and the library alike):

* :func:`safe_cell` makes a CSV cell inert: text that a spreadsheet would evaluate
  (leading ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading
  apostrophe, as OWASP's CSV-injection guidance says; numbers stay numbers.
* :func:`append_row` does the same for an openpyxl sheet with the XLSX text
  marking (a string cell with ``quotePrefix``): the cell shows ``=1+1``, stays text.
* :func:`md_cell` escapes raw HTML, table pipes and link brackets for Markdown.
* :func:`clean_text` (and :func:`terminal_text`) show control characters, lone
  surrogates and bidirectional overrides as visible escapes such as ``\\x1b``, so
  none reaches a terminal, an XLSX cell or a Markdown table.
* :func:`atomic_write` writes to a temporary file beside the target and renames it
  into place only when complete: an interrupted or out-of-space run leaves the
  previous file intact and no stray temporary file; a failure is one
  :class:`OutputError` line (``cannot write out.csv: No space left on device``).
* :func:`refuse_inputs` refuses an output path that resolves to an input file.

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell(-1.5), safe_cell("卫生室")
('\\'=HYPERLINK("http://x")', -1.5, '卫生室')
>>> terminal_text("red \\x1b[31mtext")
'red \\\\x1b[31mtext'
>>> md_cell("a|b <script>")
'a\\\\|b &lt;script&gt;'
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path

from orgnet.graphmodel.errors import OrgnetError

__all__ = [
    "OutputError", "safe_cell", "append_row", "md_cell", "clean_text", "terminal_text",
    "atomic_write", "write_text", "write_bytes", "refuse_inputs", "FORMULA_PREFIXES", "safe_row"]

#: First characters that make a spreadsheet evaluate a cell (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# C0 and C1 controls, DEL, lone surrogates, bidirectional embeddings/overrides/isolates
# and the line/paragraph separators: shown as escapes.  \n and \t are kept (callers
# choose); everything else is ordinary text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")
_UNSAFE_TAB = re.compile(_UNSAFE.pattern[:-1] + "\t]")
_UNSAFE_NL = re.compile(_UNSAFE.pattern[:-1] + "\t\n\r]")


class OutputError(OrgnetError):
    """An output cannot be written (or would overwrite an input).

    ``render("zh")`` gives the Chinese line (the commands show it under ``--lang zh``).

    Examples
    --------
    >>> err = OutputError("cannot write x: permission denied", "无法写入 x：没有权限")
    >>> str(err), err.render("zh"), err.render("en")
    ('cannot write x: permission denied', '无法写入 x：没有权限', 'cannot write x: permission denied')
    """

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def render(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else str(self)


def _escape(match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean_text(text: str, *, newlines: bool = True, tabs: bool = False) -> str:
    """Return text with control characters shown as escapes (``\\x1b``, ``\\u202e``).

    Newlines are kept unless ``newlines`` is false; tabs only when ``tabs`` is true.
    Lone surrogates (which no encoder accepts) are escaped too.

    Examples
    --------
    >>> clean_text("a\\x00b\\nc\\td")
    'a\\\\x00b\\nc\\\\x09d'
    >>> clean_text("x\\ny", newlines=False), clean_text("\\ud800")
    ('x\\\\x0ay', '\\\\ud800')
    """
    if not isinstance(text, str):
        text = str(text)
    if not newlines:
        pattern = _UNSAFE_NL
    elif tabs:
        pattern = _UNSAFE
    else:
        pattern = _UNSAFE_TAB
    return pattern.sub(_escape, text) if pattern.search(text) else text


def terminal_text(text: str) -> str:
    """Return text safe to print on a terminal (newlines and tabs kept, escapes shown).

    Examples
    --------
    >>> terminal_text("ok\\tdone\\x07\\n")
    'ok\\tdone\\\\x07\\n'
    """
    return clean_text(text, newlines=True, tabs=True)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def safe_cell(value):
    """Return a CSV cell that no spreadsheet evaluates; numbers and None pass unchanged.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
    apostrophe; control characters are shown as escapes (newlines are kept: CSV
    quotes them).

    Examples
    --------
    >>> [safe_cell(v) for v in ["=1+1", "+1", "-1+2", "@SUM(A1)", "\\tx", 3, None, "V-1"]]
    ["'=1+1", "'+1", "'-1+2", "'@SUM(A1)", "'\\\\x09x", 3, None, 'V-1']
    """
    if value is None or _is_number(value) or isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + clean_text(text)
    return clean_text(text)


def safe_row(values) -> list:
    """Return a CSV row whose cells no spreadsheet evaluates (:func:`safe_cell` each).

    Examples
    --------
    >>> safe_row(["=1+1", 2, "王伟"])
    ["'=1+1", 2, '王伟']
    """
    return [safe_cell(v) for v in values]


def _xlsx_cell(value):
    """(value, is formula-like text) for an XLSX cell."""
    if value is None or _is_number(value) or isinstance(value, bool):
        return value, False
    text = clean_text(value if isinstance(value, str) else str(value))
    return text, text.startswith(FORMULA_PREFIXES)


def append_row(sheet, values) -> None:
    """Append a row to an openpyxl worksheet; text is stored as text, never as a formula.

    Text that a spreadsheet would evaluate is stored as a string cell with the
    ``quotePrefix`` mark (what Excel does for a typed leading apostrophe); numbers
    stay numbers; control characters are shown as escapes (openpyxl refuses them).

    Examples
    --------
    >>> import openpyxl
    >>> sheet = openpyxl.Workbook().active
    >>> append_row(sheet, ["=1+1", 2, "王伟"])
    >>> [(c.value, c.data_type, c.quotePrefix) for c in sheet[1]]
    [('=1+1', 's', True), (2, 'n', False), ('王伟', 's', False)]
    """
    cells = [_xlsx_cell(v) for v in values]
    sheet.append([value if not formula else None for value, formula in cells])
    row = sheet.max_row
    for column, (value, formula) in enumerate(cells, 1):
        if formula:
            cell = sheet.cell(row, column)
            cell._value = value  # assigning .value would make it a formula
            cell.data_type = "s"
            cell.quotePrefix = True


_MD_ESCAPES = {"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "&": "&amp;",
               "[": "\\[", "]": "\\]", "`": "\\`", "\n": " ", "\r": " "}
_MD = re.compile(r"[\\|<>&\[\]`\n\r]")


def md_cell(value) -> str:
    """Return text for a Markdown table cell: no raw HTML, pipes, links or control characters.

    Examples
    --------
    >>> md_cell("<img src=x onerror=alert(1)>|[x](javascript:1)")
    '&lt;img src=x onerror=alert(1)&gt;\\\\|\\\\[x\\\\](javascript:1)'
    """
    text = clean_text(value if isinstance(value, str) else str(value))
    return _MD.sub(lambda m: _MD_ESCAPES[m.group(0)], text)


_REASONS = {errno.ENOSPC: ("no space left on the device", "磁盘空间不足"),
            errno.EROFS: ("the file system is read-only", "文件系统只读"),
            errno.EACCES: ("permission denied", "没有权限"),
            errno.EPERM: ("permission denied", "没有权限"),
            errno.ENOENT: ("the directory does not exist", "目录不存在"),
            errno.EISDIR: ("it is a directory", "它是一个目录")}


def _describe(err: OSError, lang: str = "en") -> str:
    if err.errno in _REASONS:
        return _REASONS[err.errno][lang == "zh"]
    return err.strerror or str(err)


def _cannot_write(path, err: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {_describe(err)}",
                       f"无法写入 {path}：{_describe(err, 'zh')}")


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_write(path, mode: str = "w", *, encoding: str | None = "utf-8",
                 newline: str | None = None):
    """Yield a file object whose content replaces ``path`` only when the block completes.

    The temporary file lives beside the target (same file system, so the final
    ``os.replace`` is atomic) and is removed on any failure or interruption; an
    existing target keeps its permissions.  ``mode`` is ``"w"`` (text) or ``"wb"``.

    Raises
    ------
    OutputError
        The file cannot be written (full disk, read-only target, missing
        directory ...): one line naming the path and the reason.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['out.txt'])
    """
    path = Path(path)
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', not {mode!r}")
    binary = mode == "wb"
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".",
                                   prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise _cannot_write(path, err) from None
    try:
        try:
            handle = (os.fdopen(fd, "wb") if binary
                      else os.fdopen(fd, "w", encoding=encoding, newline=newline))
        except BaseException:
            os.close(fd)
            raise
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _umask_mode())
        except OSError:
            pass
        os.replace(tmp, path)
    except OSError as err:
        _unlink(tmp)
        raise _cannot_write(path, err) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_text(path, text: str, *, encoding: str = "utf-8") -> None:
    """Write text to ``path`` atomically (see :func:`atomic_write`).

    Text that cannot be encoded (a lone surrogate) is written as an escape
    rather than failing half-way.
    """
    with atomic_write(path, "w", encoding=encoding, newline="") as handle:
        try:
            handle.write(text)
        except UnicodeEncodeError:
            handle.write(clean_text(text, tabs=True))


def write_bytes(path, data: bytes) -> None:
    """Write bytes to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def _input_files(inputs) -> set[Path]:
    files: set[Path] = set()
    for item in inputs:
        if item is None:
            continue
        path = Path(item)
        try:
            if path.is_dir():
                files.add(path.resolve())
                files.update(p.resolve() for p in path.iterdir() if p.is_file())
            elif path.exists():
                files.add(path.resolve())
        except OSError:
            continue
    return files


def refuse_inputs(outputs, inputs) -> None:
    """Raise :class:`OutputError` when an output path resolves to an input file or directory.

    Symbolic links and ``..`` are resolved first, so ``-o data/../data/members.csv``
    is caught as well as a link to an input.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "members.csv").write_text("id")
    2
    >>> refuse_inputs([d / "sub" / ".." / "members.csv"], [d])
    Traceback (most recent call last):
    ...
    orgnet.graphmodel.outputs.OutputError: refusing to write .../members.csv: it is an input of this command; choose another output file
    """
    files = _input_files(inputs)
    if not files:
        return
    for output in outputs:
        if output is None or str(output) == "-":
            continue
        try:
            resolved = Path(output).resolve()
        except OSError:
            continue
        if resolved in files:
            raise OutputError(f"refusing to write {output}: it is an input of this command; "
                              f"choose another output file",
                              f"不会写入 {output}：它是本命令的输入；请另选输出文件")
