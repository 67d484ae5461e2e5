"""Problems render as located lines; DatasetError lists them."""

from __future__ import annotations

import pytest

from orgnet.loaders.problems import MAX_SHOWN, TEMPLATES, TEMPLATES_ZH, DatasetError, Problem
from orgnet.graphmodel.errors import OrgnetError


def test_the_shapes_of_a_located_line():
    cell = Problem.make("empty-cell", "members.csv", 7, "姓名")
    row = Problem.make("bad-row", "links.csv", 9, got=4, expected=3)
    whole = Problem.make("missing-table", "county.xlsx", hint="")
    assert str(cell) == "members.csv:7: column '姓名': required cell is empty"
    assert str(row) == ("links.csv:9: this row has 4 cells but the header has 3; "
                        "quote cells that contain commas")
    assert str(whole) == "county.xlsx: missing table 'institutions' (机构)"


def test_a_problem_is_a_plain_record():
    p = Problem.make("bad-count", "links.csv", 3, "count", "-1")
    assert p.to_dict() == {"file": "links.csv", "row": 3, "column": "count", "value": "-1",
                           "code": "bad-count", "message": p.message}


def test_the_error_is_an_orgnet_error_with_every_problem():
    problems = [Problem.make("empty-cell", "x.csv", r, "id") for r in range(2, MAX_SHOWN + 3)]
    err = DatasetError(problems)
    assert isinstance(err, OrgnetError)
    assert err.problems == problems
    lines = str(err).splitlines()
    assert lines[0] == "x.csv:2: column 'id': required cell is empty"
    assert lines[-1] == "... and 1 more problem"
    assert len(lines) == MAX_SHOWN + 1


def test_no_problems_no_lines():
    assert str(DatasetError([])) == ""


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_names_its_fields_in_both_languages(code):
    fields = {"hint": "", "reason": "r", "reason_zh": "原因", "expected": "e", "got": "g", "table": "t",
              "other": "o", "zh": "", "where": "", "count": 1, "position": 2, "what": "w",
              "found": "f", "cycle": "c", "status": "s", "limit": "1 MB",
              "variable": "ORGNET_MAX_FILE_MB"}
    problem = Problem.make(code, "f.csv", 2, "col", "val", **fields)
    assert problem.message and "{" not in problem.message
    assert code in TEMPLATES_ZH
    chinese = problem.message_in("zh")
    assert chinese and "{" not in chinese and chinese != problem.message


def test_chinese_lines_translate_the_words_of_a_message():
    p = Problem.make("wrong-reference", "links.csv", 6, "终点", "R1", found="a region",
                     expected="an institution or a party organization or a member (person)")
    assert p.line("zh") == "links.csv:6: 列“终点”：终点“R1”是区域，不是机构 或 党组织 或 人员"
    assert DatasetError([p] * 201).render("zh").splitlines()[-1] == "……另有 1 个问题"
