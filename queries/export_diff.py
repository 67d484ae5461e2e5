"""Render a difference between two check runs (what-if, plan, compare) in every output format.

The input is what :mod:`orgnet.queries.diff` computes: the changed summary figures and a
:class:`~queries.diff.FindingDiff`; ``lines`` are a few header lines the caller
adds (the changes made, the datasets compared).  Formats are those of ``orgnet
check``: table, json (the caller's own dict), csv, markdown and xlsx.

Examples
--------
>>> from orgnet.queries.diff import FindingDiff
>>> rows = [{"figure": "coverage.overall.coverage_rate", "before": 0.5, "after": 0.75, "change": 0.25}]
>>> print(figures_table(rows, "zh"))
指标        变化前  变化后  变化
----------  ------  ------  ------
组织覆盖率  50.0%   75.0%   +25.0%
"""

from __future__ import annotations

import csv
import io

from orgnet.graphmodel.outputs import append_row, safe_row
from orgnet.graphmodel.schema import LINK_TYPE_ZH
from orgnet.queries.catalog import vocab
from orgnet.queries.diff import FindingDiff
from orgnet.queries.export import _HEADERS, _check_label, _md, _severity, _title, aligned_table, findings_table

__all__ = ["figure_label", "figure_value", "figures_table", "difference_text",
           "difference_csv", "difference_markdown", "difference_xlsx"]

_FIGURE_NAMES = {
    "coverage.overall.coverage_rate": ("Organizational coverage (组织覆盖率)", "组织覆盖率"),
    "coverage.overall.own_branch_rate": ("Own organization (单独组建率)", "单独组建率"),
    "coverage.overall.work_coverage_rate": ("Work coverage", "工作覆盖率"),
    "referrals.up": ("Referrals up", "上转人次"),
    "referrals.down": ("Referrals down", "下转人次"),
    "referrals.same_level": ("Referrals same level", "同级转诊人次"),
    "referrals.links": ("Referral links", "转诊关系数"),
    "findings.total": ("Findings", "问题总数"),
    "findings.by_severity.high": ("Findings: high", "问题·高"),
    "findings.by_severity.medium": ("Findings: medium", "问题·中"),
    "findings.by_severity.low": ("Findings: low", "问题·低"),
}
_PARTS_ZH = {
    "counts": "数量", "coverage": "覆盖", "overall": "全部", "by_kind": "按类型",
    "institutions": "机构数", "covered": "已覆盖", "own_branch": "单独组建",
    "work_covered": "工作覆盖", "coverage_rate": "组织覆盖率", "own_branch_rate": "单独组建率",
    "work_coverage_rate": "工作覆盖率", "findings": "问题", "by_severity": "按严重程度",
    "by_check": "按检查项", "institution_kinds": "机构类型", "org_kinds": "党组织类型",
    "member_statuses": "政治面貌", "link_types": "关系类型", "referrals": "转诊",
    "links": "关系", "services": "服务",
}
_WORDS = {
    "en": {"figure": "Figure", "before": "Before", "after": "After", "change": "Change",
           "appeared": "Findings that appear", "resolved": "Findings that go away",
           "changed": "Findings that change", "none": "none", "kind": "Change",
           "figures": "Figures"},
    "zh": {"figure": "指标", "before": "变化前", "after": "变化后", "change": "变化",
           "appeared": "新出现的问题", "resolved": "消除的问题", "changed": "证据变化的问题",
           "none": "无", "kind": "变化", "figures": "指标变化"},
}


def figure_label(path: str, lang: str = "en") -> str:
    """Return a display name of a summary figure path.

    Examples
    --------
    >>> figure_label("findings.by_severity.high", "zh"), figure_label("referrals.up")
    ('问题·高', 'Referrals up')
    >>> figure_label("findings.by_check.coverage.empty_org", "zh")
    '问题·按检查项·党组织无党员'
    """
    if path in _FIGURE_NAMES:
        return _FIGURE_NAMES[path][lang == "zh"]
    if lang != "zh":
        return path
    if path.startswith("findings.by_check."):
        return f"问题·按检查项·{_check_label(path[len('findings.by_check.'):], 'zh')}"
    if path.startswith("link_types."):
        return f"关系类型·{LINK_TYPE_ZH.get(path[len('link_types.'):], path[len('link_types.'):])}"
    return "·".join(_PARTS_ZH.get(part) or vocab(part, "zh") for part in path.split("."))


def figure_value(path: str, value, signed: bool = False) -> str:
    """Return a figure for display: rates as percentages, None as ``-``.

    Examples
    --------
    >>> figure_value("coverage.overall.coverage_rate", 0.1234), figure_value("x.y", 3, signed=True)
    ('12.3%', '+3')
    """
    if value is None:
        return "-"
    if path.endswith("_rate"):
        text = f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"
    else:
        text = f"{value:+d}" if signed and isinstance(value, int) else str(value)
    return text


def _figure_rows(figures, lang):
    return [[figure_label(r["figure"], lang), figure_value(r["figure"], r["before"]),
             figure_value(r["figure"], r["after"]),
             figure_value(r["figure"], r["change"], signed=True)] for r in figures]


def figures_table(figures, lang: str = "en") -> str:
    """Return the figure changes as an aligned text table."""
    w = _WORDS[lang]
    return aligned_table([w["figure"], w["before"], w["after"], w["change"]],
                         _figure_rows(figures, lang))


def difference_text(figures, diff: FindingDiff, lang: str = "en", lines=()) -> str:
    """Return the header lines, the figure table and the findings that appear and go away."""
    w = _WORDS[lang]
    colon = "：" if lang == "zh" else ":"
    parts = [*lines, "", figures_table(figures, lang), ""]
    for key in ("appeared", "resolved"):
        found = getattr(diff, key)
        parts.append(f"{w[key]}{colon} {len(found)}" if lang == "en" else f"{w[key]}{colon}{len(found)}")
        if found:
            parts.append(findings_table(found, lang))
        parts.append("")
    if diff.changed:
        parts.append(f"{w['changed']}{colon} {len(diff.changed)}" if lang == "en"
                     else f"{w['changed']}{colon}{len(diff.changed)}")
        parts.append(findings_table([after for _, after in diff.changed], lang))
        parts.append("")
    return "\n".join(parts).lstrip("\n")


def difference_csv(figures, diff: FindingDiff, lang: str = "en") -> str:
    """Return one CSV row per finding that appears, goes away or changes, then per figure.

    Columns: change (appeared / resolved / changed / figure), check id, check,
    severity, subject (ids joined with ``;``), message, suggestion, before, after.
    """
    h = _HEADERS[lang]
    w = _WORDS[lang]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(safe_row([w["kind"], h["check_id"], h["check"], h["severity"], h["subject"],
                     h["message"], h["suggestion"], w["before"], w["after"]]))
    rows = [("appeared", f) for f in diff.appeared] + [("resolved", f) for f in diff.resolved] \
        + [("changed", after) for _, after in diff.changed]
    for key, f in rows:
        writer.writerow(safe_row([w[key], f.check, _title(f.check, lang), _severity(f.severity, lang),
                         ";".join(f.subject), f.message, f.suggestion, "", ""]))
    for r in figures:
        writer.writerow(safe_row([w["figures"], r["figure"], figure_label(r["figure"], lang),
                                  "", "", "", "", figure_value(r["figure"], r["before"]),
                                  figure_value(r["figure"], r["after"])]))
    return out.getvalue()


def difference_markdown(figures, diff: FindingDiff, lang: str = "en", lines=(),
                        title: str = "") -> str:
    """Return a Markdown section: header lines, figure table, findings that appear and go away."""
    w = _WORDS[lang]
    h = _HEADERS[lang]
    out = [f"# {_md(title)}", ""] if title else []
    out += [f"- {_md(line)}" for line in lines]
    out += ["", f"## {w['figures']}", "",
            f"| {w['figure']} | {w['before']} | {w['after']} | {w['change']} |", "|---|---|---|---|"]
    out += [f"| {' | '.join(_md(c) for c in row)} |" for row in _figure_rows(figures, lang)]
    for key in ("appeared", "resolved", "changed"):
        found = getattr(diff, key)
        if key == "changed":
            found = [after for _, after in found]
        out += ["", f"## {w[key]} ({len(found)})", ""]
        if not found:
            out.append(w["none"])
            continue
        out += [f"| {h['severity']} | {h['check']} | {h['subject']} | {h['message']} | "
                f"{h['suggestion']} |", "|---|---|---|---|---|"]
        out += [f"| {_severity(f.severity, lang)} | {_md(_check_label(f.check, lang))} | "
                f"{_md(', '.join(f.subject))} | {_md(f.message)} | {_md(f.suggestion)} |"
                for f in found]
    return "\n".join(out).strip("\n") + "\n"


def difference_xlsx(figures, diff: FindingDiff, lang: str = "en", lines=()) -> bytes:
    """Return a workbook: a figures sheet (with the header lines) and one sheet per finding list."""
    import openpyxl
    from openpyxl.styles import Font

    w = _WORDS[lang]
    h = _HEADERS[lang]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = w["figures"]
    for line in lines:
        append_row(sheet, [_cell(line)])
    if lines:
        append_row(sheet, [])
    append_row(sheet, [w["figure"], w["before"], w["after"], w["change"]])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for r in figures:
        append_row(sheet, [_cell(figure_label(r["figure"], lang)), r["before"], r["after"], r["change"]])
    sheet.column_dimensions["A"].width = 40
    for key in ("appeared", "resolved", "changed"):
        found = getattr(diff, key)
        if key == "changed":
            found = [after for _, after in found]
        page = book.create_sheet(w[key])
        append_row(page, [h["severity"], h["check"], h["check_id"], h["subject"], h["message"],
                     h["suggestion"]])
        for cell in page[1]:
            cell.font = Font(bold=True)
        for f in found:
            append_row(page, [_cell(v) for v in (_severity(f.severity, lang), _title(f.check, lang),
                                            f.check, ", ".join(f.subject), f.message,
                                            f.suggestion)])
    _as_text(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    return str(value)


def _as_text(book) -> None:
    """Keep every cell a value: text that looks like a formula stays text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
