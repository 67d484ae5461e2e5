"""The planner's workbook: an empty template to fill in, and an annotated copy of a bad one.

:func:`template_workbook` builds the ``.xlsx`` template of ``orgnet template``: one
sheet per table with the headers of the format (Chinese by default), a frozen
header row, column widths, a dropdown (data validation) on every vocabulary
column, a three-row example that validates, and a 说明 (notes) sheet that
explains every column.  Everything is generated from :mod:`orgnet.graphmodel.schema`,
so a new kind or status shows up in the dropdowns by itself.

:func:`annotate_workbook` copies a workbook and marks every cell a validation
problem names: filled red, the message as a cell comment, and a first sheet
listing every problem.

Examples
--------
>>> import io
>>> book = template_workbook("zh")
>>> book.sheetnames
['说明', '区域', '机构', '党组织', '人员', '关系', '服务', '选项']
>>> [c.value for c in book["机构"][1]]
['编号', '名称', '类型', '层级', '所属区域', '上级编号']
>>> book["机构"].freeze_panes
'A2'
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from orgnet.graphmodel.outputs import append_row
from orgnet.graphmodel.schema import (
    HEADER_ALIASES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, ROLE_ALIASES, TABLE_ORDER,
)
from orgnet.loaders.validate import VOCABULARY_COLUMNS, vocabulary_values
from orgnet.loaders.xlsx import zh_table_name

__all__ = ["template_workbook", "template_bytes", "annotate_workbook", "column_header",
           "EXAMPLE_ROWS"]

#: rows 2 .. this row carry the dropdowns
_LAST_ROW = 2000
_NOTES = {"zh": "说明", "en": "notes"}
_LISTS = {"zh": "选项", "en": "values"}
#: (table, column) -> the Chinese header of the template when not the first alias
_ZH_HEADER_OF = {("members", "name"): "姓名", ("services", "institution_id"): "机构编号"}

#: What each column holds, for the notes sheet: key -> (zh, en).
_MEANING = {
    "id": ("唯一编号，所有表共用一个编号空间，不得重复", "unique id, shared by all tables: never used twice"),
    "name": ("名称或姓名", "name"),
    "kind": ("类型，从下拉列表中选择", "kind, from the dropdown"),
    "level": ("层级；机构可留空，按类型自动取默认层级", "level; for institutions blank means the kind's level"),
    "region_id": ("所属区域的编号（区域表）", "id of the region it lies in (regions table)"),
    "parent_id": ("上级的编号（同一张表）", "id of the parent in the same table"),
    "institution_ids": ("所覆盖机构的编号，多个用 ; 或 、 分隔", "ids of the institutions covered; several separated by ;"),
    "org_id": ("所属党组织的编号；只有正式党员、预备党员和入党积极分子填写",
               "id of the party organization; only full, probationary members and activists have one"),
    "institution_id": ("所在机构的编号", "id of the institution"),
    "status": ("政治面貌，从下拉列表中选择", "status, from the dropdown"),
    "roles": ("职务，可从下拉列表中选择；多个用 ; 或 、 分隔", "roles, from the dropdown; several separated by ;"),
    "affiliation": ("民主党派成员所属党派", "party of a democratic-party member"),
    "source_id": ("起点的编号（机构、党组织或人员）", "id the link starts from (institution, org or member)"),
    "target_id": ("终点的编号（机构、党组织或人员）", "id the link ends at"),
    "type": ("关系类型，从下拉列表中选择", "link type, from the dropdown"),
    "count": ("次数，非负整数；留空表示 1", "count, a whole number >= 0; blank means 1"),
    "period": ("时期：YYYY、YYYY-MM、YYYY-Qn 或 YYYY-MM-DD", "period: YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD"),
    "note": ("备注", "note"),
    "stage": ("服务环节，从下拉列表中选择", "life-cycle stage, from the dropdown"),
    "coordinator_org_id": ("负责协同的党组织编号", "id of the coordinating party organization"),
}

#: The three example rows of each table (canonical keys); they validate together.
EXAMPLE_ROWS = {
    "regions": [
        {"id": "R-C", "name": "清河县", "level": "county"},
        {"id": "R-T", "name": "东镇", "level": "township", "parent_id": "R-C"},
        {"id": "R-V", "name": "李村", "level": "village", "parent_id": "R-T"},
    ],
    "institutions": [
        {"id": "H1", "name": "清河县人民医院", "kind": "county_hospital", "region_id": "R-C"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "region_id": "R-T",
         "parent_id": "H1"},
        {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "region_id": "R-V",
         "parent_id": "T1"},
    ],
    "party_orgs": [
        {"id": "P-H1", "name": "清河县人民医院党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "P-T1", "name": "东镇卫生院党支部", "kind": "branch", "parent_id": "P-H1",
         "institution_ids": "T1"},
        {"id": "P-V1", "name": "李村卫生室党小组", "kind": "group", "parent_id": "P-T1",
         "institution_ids": "V1"},
    ],
    "members": [
        {"id": "M1", "name": "张明", "status": "full", "org_id": "P-H1", "institution_id": "H1",
         "roles": "secretary"},
        {"id": "M2", "name": "王芳", "status": "full", "org_id": "P-T1", "institution_id": "T1",
         "roles": "secretary"},
        {"id": "M3", "name": "李强", "status": "probationary", "org_id": "P-V1",
         "institution_id": "V1", "roles": "group_leader"},
    ],
    "links": [
        {"source_id": "V1", "target_id": "T1", "type": "referral", "count": "12", "period": "2025"},
        {"source_id": "T1", "target_id": "H1", "type": "referral", "count": "8", "period": "2025"},
        {"source_id": "H1", "target_id": "T1", "type": "referral", "count": "3", "period": "2025"},
    ],
    "services": [
        {"institution_id": "T1", "stage": "pregnancy_registration", "coordinator_org_id": "P-T1"},
        {"institution_id": "H1", "stage": "delivery", "coordinator_org_id": "P-H1"},
        {"institution_id": "V1", "stage": "postpartum_followup", "coordinator_org_id": "P-V1"},
    ],
}


def column_header(table: str, column: str, lang: str = "zh") -> str:
    """Return the header the template writes for a column.

    Examples
    --------
    >>> column_header("members", "name"), column_header("links", "source_id", "en")
    ('姓名', 'source_id')
    """
    if lang != "zh":
        return column
    if (table, column) in _ZH_HEADER_OF:
        return _ZH_HEADER_OF[(table, column)]
    return next((zh for zh, key in HEADER_ALIASES.items() if key == column), column)


def _vocabulary(table: str, column: str):
    """Return ``(aliases, strict)`` of a column with a dropdown, or None."""
    if (table, column) in VOCABULARY_COLUMNS:
        return VOCABULARY_COLUMNS[(table, column)][0], True
    if column == "roles":
        return ROLE_ALIASES, False   # a list cell: the dropdown offers, free text stays allowed
    return None


def _shown(table: str, column: str, value: str, lang: str) -> str:
    vocabulary = _vocabulary(table, column)
    if vocabulary is None or lang != "zh" or not value:
        return value
    aliases = vocabulary[0]
    keys = vocabulary_values(aliases)
    return vocabulary_values(aliases, "zh")[keys.index(value)]


def template_workbook(lang: str = "zh"):
    """Return the planner's template as an openpyxl Workbook.

    Parameters
    ----------
    lang : {"zh", "en"}
        Chinese sheet names, headers and values (default), or the English keys.

    Returns
    -------
    openpyxl.Workbook

    Examples
    --------
    >>> book = template_workbook("en")
    >>> [c.value for c in book["members"][2]][:3]
    ['M1', '张明', 'full']
    >>> book["values"].sheet_state
    'hidden'
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    from orgnet.queries.export import display_width

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = _NOTES[lang]
    lists = None
    list_columns = 0
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for table in TABLE_ORDER:
        title = zh_table_name(table) if lang == "zh" else table
        sheet = book.create_sheet(title)
        columns = list(REQUIRED_COLUMNS[table]) + list(OPTIONAL_COLUMNS[table])
        append_row(sheet, [column_header(table, c, lang) for c in columns])
        for row in EXAMPLE_ROWS.get(table, []):
            append_row(sheet, [_shown(table, c, row.get(c, ""), lang) or None for c in columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(vertical="center")
        sheet.freeze_panes = "A2"
        for position, column in enumerate(columns, start=1):
            letter = get_column_letter(position)
            texts = [str(c.value or "") for c in sheet[letter]]
            sheet.column_dimensions[letter].width = min(max(max(map(display_width, texts)) + 4, 10), 40)
            vocabulary = _vocabulary(table, column)
            if vocabulary is None:
                continue
            if lists is None:
                lists = book.create_sheet(_LISTS[lang])
            list_columns += 1
            values = vocabulary_values(vocabulary[0], lang)
            list_letter = get_column_letter(list_columns)
            lists.cell(1, list_columns, f"{title}.{column_header(table, column, lang)}")
            for i, value in enumerate(values, start=2):
                lists.cell(i, list_columns, value)
            source = f"{quote_sheetname(lists.title)}!${list_letter}$2:${list_letter}${len(values) + 1}"
            check = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                                   showErrorMessage=vocabulary[1])
            if vocabulary[1]:
                check.errorTitle = "不在列表中" if lang == "zh" else "Not in the list"
                check.error = ("请从下拉列表中选择" if lang == "zh"
                               else "Choose a value from the dropdown")
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{_LAST_ROW}")
    if lists is not None:
        lists.sheet_state = "hidden"
        book.move_sheet(lists, len(book.sheetnames) - 1 - book.index(lists))
    _notes_sheet(notes, lang, bold, head_fill)
    return book


def _notes_sheet(sheet, lang, bold, head_fill) -> None:
    from openpyxl.styles import Alignment

    zh = lang == "zh"
    if zh:
        intro = ["填写说明：每张工作表是一张表，第一行为表头（请勿修改），从第二行起每行一条记录。",
                 "示例为第 2-4 行，可直接覆盖或删除；带下拉列表的列请从列表中选择。",
                 "只有“机构”表必填；编号在所有表中唯一。填完后运行：orgnet validate 本文件.xlsx --lang zh",
                 ""]
        header = ["工作表", "列", "英文键", "必填", "含义", "示例", "可选值"]
    else:
        intro = ["One sheet per table; row 1 is the header (keep it), one record per row below.",
                 "Rows 2-4 are an example: overwrite or delete them. Columns with a dropdown take "
                 "a value from its list.",
                 "Only the institutions sheet is required; ids are unique across all sheets. "
                 "Then run: orgnet validate THIS.xlsx",
                 ""]
        header = ["sheet", "column", "key", "required", "meaning", "example", "values"]
    for line in intro:
        append_row(sheet, [line])
    append_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.fill = head_fill
    for table in TABLE_ORDER:
        title = zh_table_name(table) if zh else table
        example = (EXAMPLE_ROWS.get(table) or [{}])[0]
        for column in list(REQUIRED_COLUMNS[table]) + list(OPTIONAL_COLUMNS[table]):
            vocabulary = _vocabulary(table, column)
            values = "、".join(vocabulary_values(vocabulary[0], lang)) if vocabulary else ""
            meaning = _MEANING.get(column, ("", ""))[0 if zh else 1]
            required = column in REQUIRED_COLUMNS[table]
            append_row(sheet, [title, column_header(table, column, lang), column,
                          ("是" if required else "") if zh else ("yes" if required else ""),
                          meaning, _shown(table, column, example.get(column, ""), lang), values])
    for letter, width in zip("ABCDEFG", (10, 14, 20, 6, 48, 18, 60)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=len(intro) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_bytes(lang: str = "zh") -> bytes:
    """Return the template workbook as ``.xlsx`` bytes (same language, same bytes).

    Examples
    --------
    >>> template_bytes("zh")[:2]
    b'PK'
    """
    return _book_bytes(template_workbook(lang))


def _book_bytes(book) -> bytes:
    """Save a workbook to bytes with a fixed timestamp, so that equal books are equal bytes."""
    import datetime as dt
    import zipfile

    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    out = io.BytesIO()
    book.save(out)
    # zip entries carry the time they were written: set one fixed time
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":   # openpyxl stamps the save time
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(entry, data)
    return fixed.getvalue()


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_CELL = re.compile(r"^\[(?P<sheet>.+)\]!(?P<ref>[A-Z]+[0-9]+)$")
_SHEET_OF_FILE = re.compile(r"\[(?P<sheet>[^\[\]]+)\]$")


def _places(problem):
    """Yield ``(sheet, cell ref)`` of every cell a problem names."""
    for file, row, cell in ((problem.file, problem.row, problem.cell), *problem.also):
        match = _CELL.match(cell or "")
        if match:
            yield match["sheet"], match["ref"]
            continue
        sheet = _SHEET_OF_FILE.search(file or "")
        if sheet and row:
            yield sheet["sheet"], f"A{row}"


def annotate_workbook(source, problems, lang: str = "en") -> bytes:
    """Return a copy of a workbook with every problem's cells marked.

    Each cell a problem names (``problem.cell``, and those in ``problem.also``) is
    filled red and carries the message as a comment, in ``lang``; a problem about a
    whole row marks its first cell.  A first sheet lists every problem.

    Parameters
    ----------
    source : str or Path
        The ``.xlsx`` workbook that was validated.
    problems : list of loaders.problems.Problem
    lang : {"en", "zh"}

    Returns
    -------
    bytes
        The annotated ``.xlsx``.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.load_workbook(Path(source))
    red = PatternFill("solid", fgColor="FFC7CE")
    texts: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        for sheet, ref in _places(problem):
            if sheet in book.sheetnames:
                texts.setdefault((sheet, ref), []).append(problem.message_in(lang))
    for (sheet, ref), messages in texts.items():
        cell = _writable(book[sheet], ref)
        cell.fill = red
        comment = Comment("\n".join(dict.fromkeys(messages)), "orgnet")
        comment.width, comment.height = 320, 40 + 40 * len(messages)
        cell.comment = comment
    title = "orgnet 检查结果" if lang == "zh" else "orgnet problems"
    while title in book.sheetnames:
        title += "_"
    listing = book.create_sheet(title, 0)
    if lang == "zh":
        append_row(listing, ["位置", "单元格", "问题"])
    else:
        append_row(listing, ["where", "cell", "problem"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        where = problem.file if problem.row is None else f"{problem.file}:{problem.row}"
        message = problem.message_in(lang)
        if problem.column:
            message = (f"列“{problem.column}”：{message}" if lang == "zh"
                       else f"column '{problem.column}': {message}")
        append_row(listing, [where, problem.cell or "", message])
    if not problems:
        append_row(listing, ["", "", "未发现问题" if lang == "zh" else "no problems"])
    _no_formulas(listing)
    listing.column_dimensions["A"].width = 28
    listing.column_dimensions["B"].width = 14
    listing.column_dimensions["C"].width = 100
    listing.freeze_panes = "A2"
    book.active = 0
    return _book_bytes(book)


def _writable(sheet, ref):
    """The cell at ``ref``, or the top-left cell of the merged range holding it."""
    from openpyxl.cell.cell import MergedCell

    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if ref in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def _no_formulas(sheet) -> None:
    """Store every text of a sheet as text: data never becomes a spreadsheet formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
