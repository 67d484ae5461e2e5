"""The planner's template workbook and the annotated copy of a bad workbook."""

from __future__ import annotations

import openpyxl
import pytest

from orgnet.graphmodel.schema import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TABLE_ORDER
from orgnet.loaders import DatasetError, load_dataset
from orgnet.loaders.template import annotate_workbook, template_bytes
from orgnet.loaders.validate import VOCABULARY_COLUMNS, vocabulary_values
from orgnet.loaders.xlsx import zh_table_name


@pytest.fixture(params=["zh", "en"])
def template(request, tmp_path):
    path = tmp_path / f"template-{request.param}.xlsx"
    path.write_bytes(template_bytes(request.param))
    return request.param, path


def _title(table, lang):
    return zh_table_name(table) if lang == "zh" else table


def test_the_template_example_validates_and_has_three_rows_per_table(template):
    lang, path = template
    dataset = load_dataset(path)
    assert {t: len(f) for t, f in dataset.tables.items()} == {t: 3 for t in TABLE_ORDER}
    assert dataset.notes == []


def test_every_table_sheet_has_its_headers_frozen_and_sized(template):
    lang, path = template
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == ("说明" if lang == "zh" else "notes")
    for table in TABLE_ORDER:
        sheet = book[_title(table, lang)]
        assert sheet.freeze_panes == "A2"
        headers = [c.value for c in sheet[1]]
        assert len(headers) == len(REQUIRED_COLUMNS[table]) + len(OPTIONAL_COLUMNS[table])
        assert all(c.font.bold for c in sheet[1])
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])


def test_every_vocabulary_column_has_a_dropdown_of_the_schema_values(template):
    lang, path = template
    book = openpyxl.load_workbook(path)
    lists = book[book.sheetnames[-1]]
    assert lists.sheet_state == "hidden"
    for (table, column), (aliases, _) in VOCABULARY_COLUMNS.items():
        sheet = book[_title(table, lang)]
        letter = openpyxl.utils.get_column_letter(
            (list(REQUIRED_COLUMNS[table]) + list(OPTIONAL_COLUMNS[table])).index(column) + 1)
        (check,) = [v for v in sheet.data_validations.dataValidation
                    if f"{letter}2:{letter}" in str(v.sqref)]
        assert check.type == "list" and check.showErrorMessage
        source = check.formula1.split("!")[1].replace("$", "")
        values = [c.value for row in lists[source] for c in row]
        assert values == vocabulary_values(aliases, lang)


def test_the_notes_sheet_explains_every_column(template):
    lang, path = template
    book = openpyxl.load_workbook(path)
    notes = book[book.sheetnames[0]]
    keys = {(row[0], row[2]) for row in notes.iter_rows(values_only=True) if row[2]}
    for table in TABLE_ORDER:
        for column in REQUIRED_COLUMNS[table] + OPTIONAL_COLUMNS[table]:
            assert (_title(table, lang), column) in keys


def test_the_template_is_the_same_bytes_every_time():
    assert template_bytes("zh") == template_bytes("zh")


def _bad_copy(tmp_path):
    book = openpyxl.load_workbook(_template_file(tmp_path))
    sheet = book["机构"]
    sheet["C3"] = "卫生站"          # ambiguous kind
    sheet["F4"] = "T9"              # unknown parent
    sheet["A5"] = "V2"
    sheet["B5"] = "新卫生室"
    sheet["C5"] = "村卫生室"
    sheet["F5"] = "T9"
    path = tmp_path / "bad.xlsx"
    book.save(path)
    return path


def _template_file(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_bytes("zh"))
    return path


def test_an_annotated_copy_marks_every_problem_cell_in_the_planners_language(tmp_path):
    path = _bad_copy(tmp_path)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    problems = info.value.problems
    content = annotate_workbook(path, problems, "zh")
    out = tmp_path / "marked.xlsx"
    out.write_bytes(content)
    book = openpyxl.load_workbook(out)
    sheet = book["机构"]
    marked = {c.coordinate for row in sheet.iter_rows() for c in row if c.comment}
    assert marked == {"C3", "F4", "F5"}
    assert "属于哪一级" in sheet["C3"].comment.text
    assert sheet["F5"].comment.text == sheet["F4"].comment.text   # one problem, two places
    assert sheet["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    listing = book[book.sheetnames[0]]
    assert listing.title == "orgnet 检查结果"
    assert [r[1] for r in listing.iter_rows(min_row=2, values_only=True)] == ["[机构]!C3",
                                                                              "[机构]!F4"]
    # the copy is still a dataset with the same problems (the listing sheet is not a table)
    with pytest.raises(DatasetError) as again:
        load_dataset(out)
    assert [(p.cell, p.code, p.value) for p in again.value.problems] == \
        [(p.cell, p.code, p.value) for p in problems]


def test_a_problem_in_a_merged_cell_is_marked_on_its_first_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "机构"
    for row in (["情况表"], ["编号", "名称", "类型", "备注"], ["H1", "县医院", "医院", "x"]):
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("C3:D3")
    path = tmp_path / "m.xlsx"
    book.save(path)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    out = tmp_path / "marked.xlsx"
    out.write_bytes(annotate_workbook(path, info.value.problems, "en"))
    assert "unknown kind" in openpyxl.load_workbook(out)["机构"]["C3"].comment.text
