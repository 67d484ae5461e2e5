"""Read a directory of CSV files, one per table.

Files are named after the tables (``institutions.csv``) or with their Chinese
names (``机构.csv``); other files are ignored.  Text is UTF-8 with or without a
BOM, or GB18030/GBK (what Excel on Chinese Windows writes).  Every cell is read
as text (no number or NA conversion) and trimmed.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "机构.csv").write_text("编号,名称,类型\\nH1, 县医院 ,县医院\\n", encoding="gbk")
>>> raw = read_csv_dir(d)
>>> t = raw.tables["institutions"]
>>> t.file, t.frame["name"].tolist(), t.frame["_row"].tolist(), raw.problems
('机构.csv', ['县医院'], [2], [])
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from orgnet.graphmodel.schema import REQUIRED_COLUMNS
from orgnet.loaders.dataset import ROW_COLUMN
from orgnet.loaders.problems import Problem
from orgnet.loaders.raw import (
    RawDataset, RawTable, ReadWarning, map_headers, strip_cells, table_name, text_column,
)

__all__ = ["read_csv_dir", "csv_files"]

#: a file that is UTF-8 up to a bad byte is taken as damaged UTF-8 (not GBK) when at
#: least this many non-ASCII characters decoded cleanly before it
_UTF8_EVIDENCE = 16
#: every byte but the C0 controls and DEL: deleting them leaves only control bytes
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 or b == 127))
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
#: a byte that bytes.strip() keeps: the file has more than blank lines
_NOT_BLANK = re.compile(rb"[^ \t\n\r\x0b\x0c]")
#: bytes given to the UTF-8 decoder at a time when checking a file (see _is_utf8)
_UTF8_BLOCK = 1 << 20
#: a UTF-8 file at least this big is parsed from its path: pandas (3.1 and later) then
#: splits it over threads; smaller files are parsed from the bytes already read
_PATH_PARSE_BYTES = 4 << 20
#: read_csv options: every cell as text, as written (no NA, no blank-line skipping)
_READ_CSV = {"header": None, "dtype": object, "keep_default_na": False, "na_filter": False,
             "skip_blank_lines": False, "index_col": False, "engine": "c"}
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
#: ASCII whitespace bytes that are never inside an untrimmed-safe cell (tab, VT, FF,
#: the separator characters str.strip() removes)
_ODD_SPACES = (b"\t", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
#: a space at the edge of a cell: next to a separator or a line end
_EDGE_SPACES = (b", ", b" ,", b" \n", b" \r", b"\n ")
#: UTF-8 lead byte -> the non-ASCII characters str.strip() removes (NBSP, U+0085,
#: U+1680, U+2000-U+205F, U+3000); the U+20xx prefix also matches curly quotes and
#: dashes, which only costs a trim that was not needed
_UNICODE_SPACES = ((b"\xc2", (b"\xc2\x85", b"\xc2\xa0")), (b"\xe1", (b"\xe1\x9a\x80",)),
                   (b"\xe2", (b"\xe2\x80", b"\xe2\x81\x9f")), (b"\xe3", (b"\xe3\x80\x80",)))


def csv_files(directory) -> list[tuple[str, Path]]:
    """Return ``(table, path)`` for the table files of a directory, in name order."""
    found = []
    for path in sorted(Path(directory).iterdir()):
        if path.is_file() and path.suffix.lower() == ".csv" and not path.name.startswith("~$"):
            table = table_name(path.stem)
            if table is not None:
                found.append((table, path))
    return found


def read_csv_dir(directory, *, progress=None) -> RawDataset:
    """Read every table file of a CSV directory.

    Parameters
    ----------
    directory : str or Path
    progress : callable, optional
        Called with the number of bytes read, as reading goes.

    Returns
    -------
    RawDataset
    """
    directory = Path(directory)
    raw = RawDataset(str(directory), f"{directory.name}/")
    found = set()
    for table, path in csv_files(directory):
        found.add(table)
        result, problems = _read_table(table, path, path.name, progress, raw.warnings)
        if result is None:
            raw.problems.extend(problems)
        else:
            raw.add(result, problems)
    if "institutions" not in found:
        names = sorted(p.name for p in directory.iterdir() if p.suffix.lower() == ".csv")
        hint = f": no institutions.csv or 机构.csv in {directory.name}/"
        hint_zh = f"：{directory.name}/ 中没有 institutions.csv 或 机构.csv"
        if names:
            hint += f" (CSV files found: {', '.join(names[:10])})"
            hint_zh += f"（已有 CSV 文件：{'、'.join(names[:10])}）"
        raw.problems.append(Problem.make("missing-table", raw.label, hint=hint,
                                         hint_zh=hint_zh))
    return raw


class _Counting(io.BytesIO):
    """A bytes buffer that reports how much has been read."""

    def __init__(self, data: bytes, progress):
        super().__init__(data)
        self._progress = progress

    def read(self, size=-1):
        chunk = super().read(size)
        if chunk:
            self._progress(len(chunk))
        return chunk

    def read1(self, size=-1):
        chunk = super().read1(size)
        if chunk:
            self._progress(len(chunk))
        return chunk


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


#: encodings a detector may name that orgnet reads (Chinese text other than GB18030)
_DETECTED = {"big5": "Big5"}
_SAMPLE = 1 << 18


def _detected(data: bytes) -> str | None:
    """``big5`` when charset-normalizer finds a sample of the bytes clearly Big5, not GB18030.

    The detector compares the two readings; a tie (short or plain text) goes to
    GB18030, what Excel on mainland Chinese Windows writes.
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # the detector is a dependency; without it GB18030 is assumed
        return None
    chaos = {m.encoding.lower().replace("-", "_"): m.chaos
             for m in from_bytes(data[:_SAMPLE], cp_isolation=["big5", "gb18030"])}
    big5 = chaos.get("big5")
    if big5 is None:
        return None
    gb = chaos.get("gb18030")
    return "big5" if gb is None or big5 < gb else None


def _encoding(data: bytes, file: str) -> tuple[str | None, Problem | None, str | None]:
    """Choose the encoding of a file's bytes: ``(encoding, problem, note)``.

    UTF-8 (with or without BOM) is taken as is.  Otherwise the text is detected
    (charset-normalizer): Big5 is read as Big5 (it would decode as GB18030 into
    nonsense), anything else Chinese as GB18030/GBK; ``note`` says which was used.
    """
    if _is_utf8(data):
        return "utf-8-sig", None, None
    try:
        data.decode("utf-8")   # again, whole, for the position of the bad byte
        return "utf-8-sig", None, None
    except UnicodeDecodeError as err:
        bad = err.start
    clean = data[:bad].decode("utf-8")
    if sum(1 for ch in clean if ord(ch) > 127) >= _UTF8_EVIDENCE:
        return None, Problem.make(
            "unreadable-file", file, _line_of(data, bad),
            reason=f"not valid UTF-8 at byte {bad} (the rest of the file is UTF-8); "
                   "the file is damaged there, or was pieced together from files in "
                   "different encodings; save it again as 'CSV UTF-8'",
            reason_zh=f"第 {bad} 字节不是有效的 UTF-8（文件其余部分是 UTF-8）；文件在此处损坏，"
                      "或由不同编码的文件拼接而成；请重新另存为“CSV UTF-8”"), None
    detected = _detected(data)
    if detected is not None:
        try:
            data.decode(detected)
            return detected, None, ReadWarning(
                f"{file}: read as {_DETECTED[detected]} (detected; not UTF-8); save it as "
                f"'CSV UTF-8' to be sure",
                f"{file}：按 {_DETECTED[detected]} 编码读取（自动识别，不是 UTF-8）；"
                "稳妥起见请另存为“CSV UTF-8”")
        except UnicodeDecodeError:
            pass
    try:
        data.decode("gb18030")
        return "gb18030", None, ReadWarning(f"{file}: read as GB18030/GBK (not UTF-8)",
                                         f"{file}：按 GB18030/GBK 编码读取（不是 UTF-8）")
    except UnicodeDecodeError as err:
        return None, Problem.make(
            "unreadable-file", file, _line_of(data, err.start),
            reason=f"the text is neither UTF-8 nor GB18030/GBK (bad byte at {err.start}); "
                   "save it as 'CSV UTF-8' from Excel",
            reason_zh=f"文字既不是 UTF-8 也不是 GB18030/GBK（第 {err.start} 字节出错）；"
                      "请在 Excel 中另存为“CSV UTF-8”"), None


def _is_utf8(data: bytes) -> bool:
    """Return whether the bytes are valid UTF-8, decoding them a block at a time.

    Decoding a 60 MB file at once makes a string of up to 240 MB only to drop it;
    block by block the same memory is reused, which halves the time.  The
    incremental decoder carries a character cut at a block's end to the next.

    Examples
    --------
    >>> _is_utf8("县医院".encode() * 500_000), _is_utf8("县".encode()[:2])
    (True, False)
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _UTF8_BLOCK):
            decoder.decode(view[start:start + _UTF8_BLOCK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_table(table: str, path: Path, file: str, progress, notes=None):
    """Return ``(RawTable or None, problems)`` for one CSV file."""
    try:
        stamp = _stamp(path)
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem.make("unreadable-file", file, reason=err.strerror or str(err),
                                   reason_zh=f"系统错误：{err.strerror or err}")]
    expected = ", ".join(REQUIRED_COLUMNS[table])
    if data.startswith(b"PK\x03\x04"):
        return None, [Problem.make(
            "unreadable-file", file,
            reason="this is an Excel workbook named .csv; save it as CSV, "
                   "or give orgnet the workbook renamed to .xlsx",
            reason_zh="这是改名为 .csv 的 Excel 工作簿；请另存为 CSV，或把扩展名改回 .xlsx")]
    nul = data.find(b"\x00")
    if 0 <= nul < 65536:
        return None, [Problem.make(
            "unreadable-file", file,
            reason="binary data, not CSV text (UTF-16 'Unicode text' files are not "
                   "accepted either); save it as 'CSV UTF-8' from Excel",
            reason_zh="是二进制数据而不是 CSV 文字（也不接受 UTF-16“Unicode 文本”）；"
                      "请在 Excel 中另存为“CSV UTF-8”")]
    if nul >= 0:
        line = _line_of(data, nul)
        return None, [Problem.make(
            "unreadable-file", file, line,
            reason=f"a NUL byte (binary data) at byte {nul}; the file is damaged from line "
                   f"{line} on: save it again as 'CSV UTF-8'",
            reason_zh=f"第 {nul} 字节为 NUL（二进制数据）；文件自第 {line} 行起已损坏："
                      "请重新另存为“CSV UTF-8”")]
    # no data[3:] or strip(): each would copy the whole file
    if _NOT_BLANK.search(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0) is None:
        return None, [Problem.make("empty-file", file, expected=expected)]
    encoding, problem, note = _encoding(data, file)
    if problem is not None:
        return None, [problem]
    if note is not None and notes is not None:
        notes.append(note)
    # the control bytes of the file (newlines mostly), found in one pass and used twice
    controls = data.translate(None, _NOT_CONTROL) if encoding == "utf-8-sig" else None
    trim = _needs_trim(data, encoding, controls)
    # one bytes scan of the file proves most files free of control characters (UTF-8:
    # C0 but tab/LF/CR, DEL, and the C1 range U+0080-U+009F as \xc2\x80-\xc2\x9f)
    clean = (encoding == "utf-8-sig"
             and not controls.translate(None, b"\t\n\r")
             and (b"\xc2" not in data or _C1_BYTES.search(data) is None))
    del controls
    frame = None
    if encoding == "utf-8-sig" and len(data) >= _PATH_PARSE_BYTES:
        frame = _parse_path(path, stamp, len(data))
        if frame is not None and progress:
            progress(len(data))
    if frame is not None:
        del data
        result, problems = _table_of(table, file, frame, trim=trim)
        result.clean = clean
        return result, problems
    source = _Counting(data, progress) if progress else io.BytesIO(data)
    del data
    try:
        frame = pd.read_csv(source, encoding=encoding, **_READ_CSV)
    except pd.errors.ParserError as err:
        match = _FIELDS.search(str(err))
        if match:
            want, line, got = match.groups()
            rows = _long_rows(source.getvalue(), encoding, int(want))
            return None, [Problem.make("bad-row", file, row, got=cells, expected=want)
                          for row, cells in rows] or \
                [Problem.make("bad-row", file, int(line), got=got, expected=want)]
        return None, [Problem.make("unreadable-file", file, reason=str(err).strip(),
                                   reason_zh=f"CSV 格式错误（{str(err).strip()}）")]
    except (ValueError, UnicodeDecodeError) as err:
        return None, [Problem.make("unreadable-file", file, reason=str(err).strip(),
                                   reason_zh=f"CSV 格式错误（{str(err).strip()}）")]
    result, problems = _table_of(table, file, frame, trim=trim)
    result.clean = clean
    return result, problems


def _stamp(path: Path) -> tuple:
    """What tells that a file changed: its size, modification time and inode."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def _parse_path(path: Path, stamp: tuple, size: int) -> pd.DataFrame | None:
    """Parse a large UTF-8 file from its path, or return None to parse its bytes instead.

    Given a path, pandas 3.1 parses a large UTF-8 file in threads, which takes less
    time (and less CPU time: no chunk of the parse is copied twice) than one parse
    of the same bytes in memory.  The bytes of the file were read and checked
    already (encoding, trimming, control characters); this is the same file only
    when it has not changed since: otherwise, and on any error (a bad row, whose
    rows and message come from the parse of the bytes), the caller parses the bytes.
    """
    try:
        frame = pd.read_csv(str(path), encoding="utf-8-sig", **_READ_CSV)
        same = _stamp(path) == stamp and stamp[0] == size
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return frame if same else None


def _long_rows(data: bytes, encoding: str, width: int) -> list[tuple[int, int]]:
    """Return ``(row, cells)`` of every row with more cells than the header.

    The C parser stops at the first such row; this slower pass (only run on a file
    that has one) finds them all so that they are reported together.
    """
    text = io.StringIO(data.decode(encoding), newline="")
    return [(number, len(cells)) for number, cells in enumerate(csv.reader(text), start=1)
            if len(cells) > width]


def _needs_trim(data, encoding: str, controls: bytes | None = None) -> bool:
    """Return False only when no cell can have whitespace around it (skip trimming).

    Trimming millions of cells one by one is the slowest part of reading; most
    files have nothing to trim, which a few byte searches can prove for unquoted
    UTF-8 text.  ``controls``, when given, is ``data`` without its bytes outside
    the C0 controls and DEL (the odd spaces are searched in it, a much shorter text).
    """
    if encoding != "utf-8-sig" or b'"' in data:
        return True
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0   # no data[3:]: a copy
    if data[start:start + 1].isspace() or (len(data) > start and data[-1:] == b" "):
        return True
    # single bytes first: a byte search is fast, a two-byte one much slower
    if any(mark in (data if controls is None else controls) for mark in _ODD_SPACES):
        return True
    if b" " in data and any(mark in data for mark in _EDGE_SPACES):
        return True
    return any(lead in data and any(mark in data for mark in marks)
               for lead, marks in _UNICODE_SPACES)


def _own(values: np.ndarray) -> np.ndarray:
    """Return the array writable, as a copy would be, without copying it.

    pandas 3 hands its arrays out read-only (copy-on-write); the frame read_csv made
    is dropped once its columns are taken, so they are the raw table's own.
    """
    if not values.flags.writeable:
        try:
            values.flags.writeable = True
        except ValueError:   # NumPy refuses (memory it does not own): copy
            values = values.copy()
    return values


def _table_of(table: str, file: str, frame: pd.DataFrame, trim: bool = True):
    """Turn the all-text frame (header in its first row) into a RawTable."""
    headers = [str(h) for h in frame.iloc[0].tolist()]
    size = len(frame) - 1
    tidy = strip_cells if trim else (lambda values: values)
    columns = [_own(tidy(frame.iloc[1:, p].to_numpy(dtype=object))) for p in range(frame.shape[1])]
    del frame
    # a row is kept when any of its cells has text.  When every first cell has text
    # (the common case) no other column is compared (the validator compares them all
    # anyway); numpy's comparison of object arrays is several times faster than pandas'
    every = bool(columns) and bool((columns[0] != "").all())
    if every:
        keep = np.ones(size, dtype=bool)
        counts = [None if h.strip() else int((c != "").sum()) for h, c in zip(headers, columns)]
    else:
        filled = [c != "" for c in columns]
        counts = [int(f.sum()) for f in filled]
        keep = np.logical_or.reduce(filled) if filled else np.zeros(size, dtype=bool)
        every = bool(keep.all())
    names, problems = map_headers(headers, file, counts)
    out = {}
    header_of = {}
    for position, name in enumerate(names):
        if name is None:
            continue
        out[name] = text_column(columns[position] if every else columns[position][keep])
        header_of[name] = headers[position].strip()
    rows = np.arange(2, size + 2, dtype=np.int64)
    out[ROW_COLUMN] = pd.Series(rows if every else rows[keep], copy=False)
    # copy=False: one block per column.  pandas would otherwise stack the text columns
    # into one 2-D block, a full copy of the table (slow on fresh memory at 1M rows)
    result = pd.DataFrame(out, index=pd.RangeIndex(int(keep.sum())), copy=False)
    return RawTable(table, file, result, header_of), problems
