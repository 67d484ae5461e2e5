"""Resource limits of the readers: a hostile file is refused, never read until memory runs out.

A workbook is measured before it is opened (file size, the uncompressed size of
its parts: zip bombs and shared-string bombs), then while it is read (rows per
table, columns per table: a far-away cell such as ``XFD1048576``; characters of
text in its cells).  JSON tables are held to the same row and column counts.  CSV
directories need no such limits: their memory is proportional to the bytes on disk.

Each limit can be changed with an environment variable (a whole number):

========================  ===================================  ==========
variable                  limit                                 default
========================  ===================================  ==========
ORGNET_MAX_FILE_MB        size of an .xlsx or .json file        512
ORGNET_MAX_UNZIPPED_MB    uncompressed size of an .xlsx         1024
ORGNET_MAX_ROWS           rows of one table (.xlsx, .json)      2000000
ORGNET_MAX_COLUMNS        columns of one table (.xlsx, .json)   500
ORGNET_MAX_TEXT_MB        millions of characters in the cells   256
                          of one workbook
========================  ===================================  ==========

Examples
--------
>>> limits = current_limits({"ORGNET_MAX_COLUMNS": "50"})
>>> limits.columns, limits.rows
(50, 2000000)
>>> current_limits({"ORGNET_MAX_ROWS": "many"})
Traceback (most recent call last):
...
orgnet.loaders.limits.LimitError: ORGNET_MAX_ROWS must be a whole number above 0, not 'many'
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from orgnet.graphmodel.errors import OrgnetError
from orgnet.loaders.problems import Problem

__all__ = ["Limits", "LimitError", "current_limits", "over_limit", "VARIABLES"]

_MB = 1 << 20


class LimitError(OrgnetError):
    """A limit variable is set to something that is not a positive whole number."""


@dataclass(frozen=True)
class Limits:
    """The resource limits in force (see the module docstring)."""

    file_bytes: int = 512 * _MB
    unzipped_bytes: int = 1024 * _MB
    rows: int = 2_000_000
    columns: int = 500
    text_chars: int = 256 * 1_000_000


#: field -> (environment variable, unit factor)
VARIABLES = {
    "file_bytes": ("ORGNET_MAX_FILE_MB", _MB),
    "unzipped_bytes": ("ORGNET_MAX_UNZIPPED_MB", _MB),
    "rows": ("ORGNET_MAX_ROWS", 1),
    "columns": ("ORGNET_MAX_COLUMNS", 1),
    "text_chars": ("ORGNET_MAX_TEXT_MB", 1_000_000),
}


def current_limits(environ=None) -> Limits:
    """Return the limits, with any set by environment variables.

    Raises
    ------
    LimitError
        A variable is not a whole number above 0.
    """
    environ = os.environ if environ is None else environ
    values = {}
    for name, (variable, unit) in VARIABLES.items():
        text = environ.get(variable)
        if text is None or not text.strip():
            continue
        try:
            number = int(text.strip())
        except ValueError:
            number = 0
        if number <= 0:
            raise LimitError(f"{variable} must be a whole number above 0, not {text!r}")
        values[name] = number * unit
    return Limits(**values)


def over_limit(file, row, what, what_zh, limit, unit, field) -> Problem:
    """An ``over-limit`` problem naming the environment variable that raises the limit."""
    variable = VARIABLES[field][0]
    return Problem.make("over-limit", file, row, what=what, what_zh=what_zh,
                        limit=f"{limit:,} {unit}", variable=variable)
