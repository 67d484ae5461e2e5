"""Writing a command's output file: atomically, never over one of its inputs.

Used by ``whatif``, ``resilience`` and ``plan``.  The content goes to a temporary
file beside the target, which then replaces the target in one step, so a reader
never sees half a file and a failed write leaves the old file in place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

__all__ = ["write_output", "OUTPUT_SUFFIX_FORMATS"]

#: ``-o`` suffix -> format, used when --format is not given
OUTPUT_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown",
                         ".markdown": "markdown", ".xlsx": "xlsx", ".txt": "table"}


def _same_file(a: Path, b) -> bool:
    try:
        return a.resolve() == Path(b).resolve()
    except OSError:
        return False


def write_output(output: Path, content, *, fmt: str = "", inputs=()) -> None:
    """Write text (utf-8; utf-8-sig for csv, for Excel) or bytes to ``output`` atomically.

    Raises ``click.ClickException`` when ``output`` is one of ``inputs`` or cannot be written.
    """
    for source in inputs:
        if source is not None and _same_file(output, source):
            raise click.ClickException(f"refusing to write over the input {output}")
    data = content if isinstance(content, bytes) else content.encode(
        "utf-8-sig" if fmt == "csv" else "utf-8")
    directory = output.parent if str(output.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, output)
        except BaseException:
            with _suppress():
                os.unlink(temporary)
            raise
    except OSError as err:
        raise click.ClickException(f"cannot write {output}: {err.strerror or err}") from err


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)
