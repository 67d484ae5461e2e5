"""Validation problems and the error that carries them.

Validation is lazy: readers and the validator collect every :class:`Problem`,
then :class:`DatasetError` is raised once with all of them.  Each problem has a
stable ``code`` and a message rendered from the per-code template in
:data:`TEMPLATES`; ``str(problem)`` is the located line
``FILE:ROW: column 'COL': MESSAGE``.  Problems that are not about one cell leave
out the parts they do not have: ``FILE:ROW: MESSAGE`` (a whole row, or a line of
an unreadable file) and ``FILE: MESSAGE`` (a whole file or table).

Examples
--------
>>> p = Problem.make("unknown-value", "institutions.csv", 3, "kind", "villageclinic",
...                  what="kind", hint="; did you mean 'village_clinic'?")
>>> print(p)
institutions.csv:3: column 'kind': unknown kind 'villageclinic'; did you mean 'village_clinic'?
>>> err = DatasetError([p])
>>> err.problems[0].code
'unknown-value'
"""

from __future__ import annotations

from dataclasses import dataclass

from graphmodel.errors import OrgnetError

__all__ = ["Problem", "DatasetError", "TEMPLATES", "MAX_SHOWN"]

#: How many problems ``str(DatasetError)`` lists before "... and N more".
MAX_SHOWN = 200

#: code -> message template.  Fields: ``{value}`` and ``{column}`` of the problem,
#: plus the keyword arguments given to :meth:`Problem.make`.
TEMPLATES = {
    # containers and files
    "no-dataset": "no such file or directory",
    "unknown-container": "not a dataset: expected a directory of CSV files, an .xlsx workbook "
                         "or a .json file{hint}",
    "unreadable-file": "cannot read the file: {reason}",
    "empty-file": "the file or sheet is empty; its first row must be the header ({expected})",
    "bad-row": "this row has {got} cells but the header has {expected}; "
               "quote cells that contain commas",
    "duplicate-table": "table '{table}' is given twice: here and in {other}; keep one",
    "bad-json": "{reason}",
    # tables and headers
    "missing-table": "missing table 'institutions' (机构){hint}",
    "missing-column": "required column '{column}'{zh} is missing",
    "duplicate-header": "column '{column}' means the same as column '{other}'{where}; keep one",
    "missing-header": "{count} cell(s) in column {position} have no header; "
                      "add a header or delete the column",
    "reserved-column": "column name '{column}' is reserved by orgnet; rename the column",
    # cells
    "empty-cell": "required cell is empty",
    "bad-cell": "expected a single text or number, got {got}",
    "unknown-value": "unknown {what} '{value}'{hint}",
    "duplicate-id": "id '{value}' is used twice: also at {other}",
    "unknown-reference": "{column} '{value}' does not exist{hint}",
    "wrong-reference": "{column} '{value}' is {found}, not {expected}",
    "referral-endpoint": "a referral must join two institutions; '{value}' is {found}",
    "liaison-source": "a liaison starts from a member (person); '{value}' is {found}",
    "self-link": "link from '{value}' to itself",
    "parent-cycle": "parent_id '{value}' makes a cycle: {cycle}",
    "bad-count": "count '{value}' is not a non-negative whole number (blank means 1)",
    "bad-period": "period '{value}' is not YYYY, YYYY-MM, YYYY-Qn or a date YYYY-MM-DD",
    "status-org": "{column} '{value}' is set, but a member with status '{status}' has no "
                  "party organization; only full, probationary and activist members have one",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a dataset.

    Attributes
    ----------
    file : str
        How the source is named: ``institutions.csv``, ``county.xlsx[机构]``,
        ``data.json[institutions]``, or the dataset itself (``county.xlsx``).
    row : int or None
        Spreadsheet row (the header is row 1); for an unreadable text file, the line.
    column : str or None
        The header as written in the file (or the canonical key of a missing column).
    value : str or None
        The offending cell value.
    code : str
        Stable identifier, a key of :data:`TEMPLATES`.
    message : str
        Rendered from the code's template.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    message: str

    @classmethod
    def make(cls, code: str, file: str, row=None, column=None, value=None, **fields) -> "Problem":
        """Return a problem whose message is rendered from the template of ``code``.

        Examples
        --------
        >>> print(Problem.make("empty-cell", "members.csv", 7, "name"))
        members.csv:7: column 'name': required cell is empty
        """
        message = TEMPLATES[code].format(value=value, column=column, **fields)
        return cls(file, None if row is None else int(row), column, value, code, message)

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        if self.column is None:
            return f"{where}: {self.message}"
        return f"{where}: column '{self.column}': {self.message}"

    def to_dict(self) -> dict:
        """Return the problem as a JSON-serializable dict."""
        return {"file": self.file, "row": self.row, "column": self.column,
                "value": self.value, "code": self.code, "message": self.message}


class DatasetError(OrgnetError):
    """A dataset that cannot be loaded; ``.problems`` lists every problem found.

    ``str()`` gives one located line per problem, the first :data:`MAX_SHOWN`,
    then ``... and N more problems``.

    Examples
    --------
    >>> ps = [Problem.make("empty-cell", "x.csv", r, "id") for r in range(2, 205)]
    >>> text = str(DatasetError(ps))
    >>> text.splitlines()[-1]
    '... and 3 more problems'
    >>> len(text.splitlines())
    201
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_SHOWN]]
        rest = len(self.problems) - MAX_SHOWN
        if rest > 0:
            lines.append(f"... and {rest} more problem{'s' if rest > 1 else ''}")
        return "\n".join(lines)
