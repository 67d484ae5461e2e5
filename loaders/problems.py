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

from dataclasses import dataclass, field

from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel.outputs import clean_text

__all__ = ["Problem", "DatasetError", "TEMPLATES", "TEMPLATES_ZH", "MAX_SHOWN", "NOTE_CODES"]

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
    "over-limit": "{what}, over the limit of {limit}; if the file is genuine, set {variable} "
                  "higher",
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
    "bad-character": "{what} at character {position}; delete it (it is invisible, often "
                     "left over from copying)",
    "unknown-value": "unknown {what} '{value}'{hint}",
    "duplicate-id": "id '{value}' is used twice: also at {other}",
    "unknown-reference": "{column} '{value}' does not exist{hint}{refs}",
    "wrong-reference": "{column} '{value}' is {found}, not {expected}",
    "referral-endpoint": "a referral must join two institutions; '{value}' is {found}",
    "liaison-source": "a liaison starts from a member (person); '{value}' is {found}",
    "contact-source": "a contact (联谊交友) starts from a party organization or a full or "
                      "probationary member; '{value}' is {found}",
    "contact-target": "a contact (联谊交友) ends at a member (person) or an institution; "
                      "'{value}' is {found}",
    "representative-status": "the role 'representative' (党外代表人士) is for people outside "
                             "the party, but this member's status is '{status}'; remove the "
                             "role or correct the status",
    "self-link": "link from '{value}' to itself",
    "parent-cycle": "parent_id '{value}' makes a cycle: {cycle}",
    "bad-count": "count '{value}' is not a non-negative whole number (blank means 1)",
    "bad-period": "period '{value}' is not YYYY, YYYY-MM, YYYY-Qn or a date YYYY-MM-DD",
    "status-org": "{column} '{value}' is set, but a member with status '{status}' has no "
                  "party organization; only full, probationary and activist members have one",
    # notes: said once, never make a dataset invalid
    "title-row": "row {skipped} above the header looks like a title ({title}); it was skipped "
                 "and row {header} read as the header",
    "sheet-like-table": "sheet '{sheet}' is not read: its columns match table '{table}'; "
                        "rename it to {name}",
}


#: code -> Chinese message template (``--lang zh``).  A field ``x`` is taken from
#: ``x_zh`` when the problem has one, else translated through :data:`_ZH_WORDS`.
TEMPLATES_ZH = {
    "no-dataset": "文件或目录不存在",
    "unknown-container": "不是数据集：应为 CSV 文件所在目录、.xlsx 工作簿或 .json 文件{hint}",
    "unreadable-file": "无法读取文件：{reason}",
    "empty-file": "文件或工作表为空；第一行应为表头（{expected}）",
    "bad-row": "本行有 {got} 个单元格，表头只有 {expected} 列；含逗号的单元格请加英文引号",
    "duplicate-table": "表“{table}”出现两次：此处和 {other}；请只保留一个",
    "bad-json": "{reason}",
    "over-limit": "{what}，超过上限 {limit}；如文件无误，请调高环境变量 {variable}",
    "missing-table": "缺少“机构”表（institutions）{hint}",
    "missing-column": "缺少必填列“{column}”{zh}",
    "duplicate-header": "列“{column}”与列“{other}”{where}含义相同；请只保留一个",
    "missing-header": "第 {position} 列有 {count} 个单元格没有表头；请补上表头或删除该列",
    "reserved-column": "列名“{column}”为 orgnet 保留名；请改名",
    "empty-cell": "必填单元格为空",
    "bad-cell": "应为单个文字或数字，实际为{got}",
    "bad-character": "第 {position} 个字符是{what}；请删除（不可见，多为复制粘贴残留）",
    "unknown-value": "未知的{what}“{value}”{hint}",
    "duplicate-id": "编号“{value}”重复使用：另见 {other}",
    "unknown-reference": "{column}“{value}”不存在{hint}{refs}",
    "wrong-reference": "{column}“{value}”是{found}，不是{expected}",
    "referral-endpoint": "转诊的起点和终点都必须是机构；“{value}”是{found}",
    "liaison-source": "联点关系应从人员出发；“{value}”是{found}",
    "contact-source": "联谊交友关系应从党组织或正式党员、预备党员出发；“{value}”是{found}",
    "contact-target": "联谊交友关系的对象应为人员或机构；“{value}”是{found}",
    "representative-status": "“党外代表人士”只用于党外人士，但该人员的政治面貌为“{status}”；"
                             "请删除该职务或更正政治面貌",
    "self-link": "“{value}”指向自身",
    "parent-cycle": "上级编号“{value}”形成循环：{cycle}",
    "bad-count": "次数“{value}”不是非负整数（留空表示 1）",
    "bad-period": "时期“{value}”格式不对，应为 YYYY、YYYY-MM、YYYY-Qn 或日期 YYYY-MM-DD",
    "status-org": "{column}“{value}”已填写，但政治面貌为“{status}”的人员不能有所属党组织；"
                  "只有正式党员、预备党员和入党积极分子可以填写",
    "title-row": "表头上方第 {skipped} 行像是标题（{title}），已跳过；第 {header} 行作为表头读取",
    "sheet-like-table": "工作表“{sheet}”未被读取：其列与“{name}”表相符；请将其重命名为“{name}”",
}

#: codes of notes: said once, they do not make a dataset invalid
NOTE_CODES = frozenset({"title-row", "sheet-like-table"})

#: English words used as field values -> Chinese
_ZH_WORDS = {
    "kind": "机构类型", "level": "层级", "party organization kind": "党组织类型",
    "status": "政治面貌", "link type": "关系类型", "stage": "服务环节",
    "a region": "区域", "an institution": "机构", "a party organization": "党组织",
    "a member (person)": "人员", "a list": "列表", "an object": "对象",
}


class _Fields(dict):
    """Template fields; an optional field not given renders as nothing."""

    def __missing__(self, key):
        return ""


def _render(template: str, **fields) -> str:
    value = fields.get("value")
    if isinstance(value, str):   # a located message is one line: a value's newline shows as \x0a
        fields["value"] = clean_text(value, newlines=False)
    return template.format_map(_Fields(fields))


def _zh_fields(params: dict) -> dict:
    out = {}
    for key, value in params.items():
        if key.endswith("_zh"):
            continue
        if f"{key}_zh" in params:
            out[key] = params[f"{key}_zh"]
        elif isinstance(value, str):
            out[key] = " 或 ".join(_ZH_WORDS.get(part, part) for part in value.split(" or "))
        else:
            out[key] = value
    return out


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
    cell : str or None
        For a workbook, the cell as a spreadsheet user looks it up: ``[机构]!C9``.
    also : tuple
        Further ``(file, row, cell)`` places the same problem stands for (the other
        references to one unknown id are reported once, on the first of them).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    message: str
    params: tuple = field(default=(), compare=False, repr=False)
    cell: str | None = None
    also: tuple = field(default=(), compare=False, repr=False)

    @classmethod
    def make(cls, code: str, file: str, row=None, column=None, value=None, **fields) -> "Problem":
        """Return a problem whose message is rendered from the template of ``code``.

        Examples
        --------
        >>> print(Problem.make("empty-cell", "members.csv", 7, "name"))
        members.csv:7: column 'name': required cell is empty
        """
        message = _render(TEMPLATES[code], value=value, column=column, **fields)
        return cls(file, None if row is None else int(row), column, value, code, message,
                   tuple(fields.items()))

    def with_fields(self, **fields) -> "Problem":
        """Return a copy with template fields added or changed (message re-rendered).

        Examples
        --------
        >>> p = Problem.make("unknown-reference", "x.csv", 3, "parent_id", "T9", hint="")
        >>> print(p.with_fields(hint="; see row 2"))
        x.csv:3: column 'parent_id': parent_id 'T9' does not exist; see row 2
        """
        params = {**dict(self.params), **fields}
        message = _render(TEMPLATES[self.code], value=self.value, column=self.column, **params)
        return Problem(self.file, self.row, self.column, self.value, self.code, message,
                       tuple(params.items()), self.cell, self.also)

    def message_in(self, lang: str = "en") -> str:
        """Return the message in English (``en``) or Chinese (``zh``).

        Examples
        --------
        >>> p = Problem.make("bad-count", "links.csv", 2, "次数", "-1")
        >>> p.message_in("zh")
        '次数“-1”不是非负整数（留空表示 1）'
        """
        if lang != "zh":
            return self.message
        fields = _zh_fields(dict(self.params))
        return _render(TEMPLATES_ZH[self.code], value=self.value, column=self.column, **fields)

    def line(self, lang: str = "en") -> str:
        """Return the located line ``FILE:ROW: column 'COL': MESSAGE`` in a language.

        Examples
        --------
        >>> print(Problem.make("empty-cell", "机构.csv", 6, "名称").line("zh"))
        机构.csv:6: 列“名称”：必填单元格为空
        """
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        if self.cell:
            where += f" ({self.cell})"
        message = self.message_in(lang)
        column = None if self.column is None else clean_text(self.column, newlines=False)
        if lang == "zh":
            return f"{where}: {message}" if column is None else \
                f"{where}: 列“{column}”：{message}"
        if column is None:
            return f"{where}: {message}"
        return f"{where}: column '{column}': {message}"

    def __str__(self) -> str:
        return self.line("en")

    def to_dict(self) -> dict:
        """Return the problem as a JSON-serializable dict."""
        out = {"file": self.file, "row": self.row, "column": self.column,
               "value": self.value, "code": self.code, "message": self.message}
        if self.cell:
            out["cell"] = self.cell
        if self.also:
            out["also"] = [{"file": f, "row": r, **({"cell": c} if c else {})}
                           for f, r, c in self.also]
        return out

    @property
    def is_note(self) -> bool:
        """True for a note (a skipped title row ...): said once, not an error."""
        return self.code in NOTE_CODES


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

    def __init__(self, problems, notes=()):
        self.problems = list(problems)
        #: notes met on the way (a skipped title row ...), not errors
        self.notes = list(notes)
        super().__init__(self.render())

    def render(self, lang: str = "en") -> str:
        """Return the located lines of the first problems, in English or Chinese."""
        lines = [p.line(lang) for p in self.problems[:MAX_SHOWN]]
        rest = len(self.problems) - MAX_SHOWN
        if rest > 0:
            lines.append(f"……另有 {rest} 个问题" if lang == "zh" else
                         f"... and {rest} more problem{'s' if rest > 1 else ''}")
        return "\n".join(lines)
