"""Writing a command's output file: atomically, never over one of its inputs.

Used by ``whatif``, ``resilience`` and ``plan``.  The content goes to a temporary
file beside the target, which then replaces the target in one step, so a reader
never sees half a file and a failed write leaves the old file in place.
"""

from __future__ import annotations

from pathlib import Path

from orgnet import _common

__all__ = ["write_output", "OUTPUT_SUFFIX_FORMATS"]

#: ``-o`` suffix -> format, used when --format is not given
OUTPUT_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown",
                         ".markdown": "markdown", ".xlsx": "xlsx", ".txt": "table"}


def write_output(output: Path, content, *, fmt: str = "", inputs=()) -> None:
    """Write text (utf-8; utf-8-sig for csv, for Excel) or bytes to ``output`` atomically.

    The writer layer of :mod:`orgnet.graphmodel.outputs` does it (see
    :func:`orgnet._common.write_output`); a failure is one ``click.ClickException`` line.
    """
    _common.write_output(output, content, encoding="utf-8-sig" if fmt == "csv" else "utf-8",
                         inputs=inputs)
