"""Render a :class:`~queries.runner.Report` as text, JSON, CSV, Markdown or an XLSX issue register.

Every format honours the report's language: with ``lang="zh"`` headers, severities,
check titles and vocabulary names are Chinese (schema.ZH); the JSON keeps the
canonical keys of spec section 8 (only messages and suggestions are translated).

Examples
--------
>>> from queries.finding import Finding
>>> from queries.runner import Report
>>> report = Report({}, [Finding("coverage.empty_org", "medium", ("O9",), "空支部", {"name": "空支部"}, "撤销")])
>>> print(findings_table(report.findings, "zh"))
严重程度  检查项        对象  问题    整改建议
--------  ------------  ----  ------  --------
中        党组织无党员  O9    空支部  撤销
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from graphmodel.outputs import append_row, clean_text, md_cell, safe_cell
from graphmodel.schema import ENTITY_LABELS, LINK_TYPE_ZH, ZH
from queries.catalog import (
    CATALOG, FAMILIES, FAMILY_TITLES, QueryError, family_of, load_checks, vocab,
)

__all__ = [
    "FORMATS", "aligned_table", "render_report", "findings_table", "summary_lines", "info_text", "to_json",
    "to_csv", "to_markdown", "to_xlsx", "display_width",
]

#: Output formats of ``orgnet check --format``; xlsx is bytes, the others text.
FORMATS = ("table", "json", "csv", "markdown", "xlsx")

_HEADERS = {
    "en": {"no": "No.", "severity": "Severity", "check": "Check", "check_id": "Check id",
           "subject": "Subject", "name": "Name", "message": "Problem",
           "suggestion": "Suggestion", "regulation": "Regulation", "evidence": "Evidence",
           "owner": "Responsible unit", "due": "Due date", "status": "Progress"},
    "zh": {"no": "序号", "severity": "严重程度", "check": "检查项", "check_id": "检查编号",
           "subject": "对象", "name": "对象名称", "message": "问题",
           "suggestion": "整改建议", "regulation": "依据", "evidence": "依据数据",
           "owner": "责任单位", "due": "完成时限", "status": "整改情况"},
}
_WORDS = {
    "en": {"summary": "Summary", "dataset": "Dataset", "coverage": "Organizational coverage (组织覆盖率)",
           "own": "Own organization (单独组建率)", "work": "Work coverage",
           "referrals": "Referrals", "up": "up", "down": "down", "same": "same level",
           "findings": "Findings", "none": "No findings.", "kind": "Kind",
           "institutions": "Health institutions", "counts": "Entities", "label": "Label",
           "count": "Count", "institution_kinds": "Institutions by kind",
           "org_kinds": "Party organizations by kind", "member_statuses": "Members by status",
           "link_types": "Active links by type", "overall": "All health institutions",
           "by_check": "Findings per check", "rate": "Rate", "covered": "Covered",
           "own_short": "Own organization", "work_short": "Work coverage"},
    "zh": {"summary": "概况", "dataset": "数据集", "coverage": "组织覆盖率", "own": "单独组建率",
           "work": "工作覆盖率", "referrals": "转诊", "up": "上转", "down": "下转",
           "same": "同级", "findings": "问题", "none": "未发现问题。", "kind": "类型",
           "institutions": "医疗卫生机构", "counts": "实体数量", "label": "类别",
           "count": "数量", "institution_kinds": "机构（按类型）",
           "org_kinds": "党组织（按类型）", "member_statuses": "人员（按政治面貌）",
           "link_types": "有效关系（按类型）", "overall": "全部医疗卫生机构",
           "by_check": "各检查项问题数", "rate": "比率", "covered": "已覆盖",
           "own_short": "单独组建", "work_short": "工作覆盖"},
}


def display_width(text: str) -> int:
    """Return the terminal width of a string (CJK wide characters count 2).

    Examples
    --------
    >>> display_width("abc"), display_width("卫生室")
    (3, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - display_width(text))


def aligned_table(header: list[str], rows: list[list[str]]) -> str:
    """Return rows as text columns padded to their display width, under a dashed rule.

    Examples
    --------
    >>> print(aligned_table(["id", "名称"], [["V1", "李村卫生室"]]))
    id  名称
    --  ----------
    V1  李村卫生室
    """
    rows = [[clean_text(c, newlines=False) for c in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows])
              for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _check_label(check_id: str, lang: str) -> str:
    spec = load_checks().get(check_id)
    if lang == "zh" and spec is not None:
        return spec.title["zh"]
    return check_id


def _title(check_id: str, lang: str) -> str:
    spec = load_checks().get(check_id)
    return spec.title[lang] if spec is not None else check_id


def _severity(severity: str, lang: str) -> str:
    return ZH.get(severity, severity) if lang == "zh" else severity


def _subject_name(finding) -> str:
    evidence = finding.evidence or {}
    return str(evidence.get("name") or evidence.get("area_name") or "")


def findings_table(findings, lang: str = "en") -> str:
    """Return the findings as an aligned text table (CJK-width aware)."""
    h = _HEADERS[lang]
    header = [h["severity"], h["check"], h["subject"], h["message"], h["suggestion"]]
    rows = [[_severity(f.severity, lang), _check_label(f.check, lang), ", ".join(f.subject),
             f.message, f.suggestion] for f in findings]
    return aligned_table(header, rows)


def _pct(entry: dict, rate: str, part: str) -> str:
    value = entry.get(rate)
    if value is None:
        return "-"
    return f"{value * 100:.1f}% ({entry[part]}/{entry['institutions']})"


def summary_lines(summary: dict, lang: str = "en") -> list[str]:
    """Return the headline figures of a summary as short lines.

    Examples
    --------
    >>> from graphmodel.embedded import new_graph
    >>> from queries.runner import summarize
    >>> summary_lines(summarize(new_graph("x"), []), "zh")[1]
    '组织覆盖率：-；单独组建率：-；工作覆盖率：-'
    """
    w = _WORDS[lang]
    counts = summary.get("counts", {})
    overall = summary.get("coverage", {}).get("overall", {})
    referrals = summary.get("referrals", {})
    findings = summary.get("findings", {})
    sep = "；" if lang == "zh" else "; "
    entities = sep.join(f"{vocab(label, lang) if lang == 'zh' else label} {counts.get(label, 0)}"
                        for label in ENTITY_LABELS)
    severities = sep.join(f"{_severity(s, lang)} {n}"
                          for s, n in findings.get("by_severity", {}).items())
    colon = "：" if lang == "zh" else ": "
    return [
        f"{w['dataset']} {summary.get('dataset', '')}{colon}{entities}",
        f"{w['coverage']}{colon}{_pct(overall, 'coverage_rate', 'covered')}{sep}"
        f"{w['own']}{colon}{_pct(overall, 'own_branch_rate', 'own_branch')}{sep}"
        f"{w['work']}{colon}{_pct(overall, 'work_coverage_rate', 'work_covered')}",
        f"{w['referrals']}{colon}{w['up']} {referrals.get('up', 0)}{sep}{w['down']} "
        f"{referrals.get('down', 0)}{sep}{w['same']} {referrals.get('same_level', 0)}",
        f"{w['findings']}{colon}{findings.get('total', 0)} ({severities})",
    ]


def _table_text(report) -> str:
    lang = report.lang
    parts = ["\n".join(summary_lines(report.summary, lang)), ""]
    if report.findings:
        parts.append(findings_table(report.findings, lang))
    else:
        parts.append(_WORDS[lang]["none"])
    return "\n".join(parts) + "\n"


def _coverage_rows(summary: dict, lang: str) -> list[list[str]]:
    w = _WORDS[lang]
    coverage = summary.get("coverage", {})
    rows = [[w["overall"], coverage.get("overall", {})]]
    rows += [[vocab(kind, lang), entry] for kind, entry in coverage.get("by_kind", {}).items()]
    return [[name, str(e.get("institutions", 0)), _pct(e, "coverage_rate", "covered"),
             _pct(e, "own_branch_rate", "own_branch"),
             _pct(e, "work_coverage_rate", "work_covered")] for name, e in rows]


def info_text(summary: dict, lang: str = "en") -> str:
    """Return the counts per label and kind and the coverage table of a summary (``orgnet info``).

    Examples
    --------
    >>> from graphmodel.embedded import new_graph
    >>> from queries.runner import summarize
    >>> "Institution" in info_text(summarize(new_graph("x"), []))
    True
    """
    w = _WORDS[lang]
    counts = summary.get("counts", {})
    blocks = [f"{w['dataset']}: {summary.get('dataset', '')}"]
    rows = [[vocab(label, lang) if lang == "zh" else label, str(counts.get(label, 0))]
            for label in ENTITY_LABELS]
    blocks.append(aligned_table([w["counts"], w["count"]], rows))
    for key in ("institution_kinds", "org_kinds", "member_statuses", "link_types"):
        values = summary.get(key, {})
        if values:
            names = (lambda k: LINK_TYPE_ZH.get(k, k)) if key == "link_types" and lang == "zh" \
                else (lambda k: vocab(k, lang))
            blocks.append(aligned_table([w[key], w["count"]],
                                   [[names(k), str(n)] for k, n in values.items()]))
    blocks.append(aligned_table([w["institutions"], w["count"], w["coverage"], w["own"], w["work"]],
                           _coverage_rows(summary, lang)))
    referrals = summary.get("referrals", {})
    blocks.append(f"{w['referrals']}: {w['up']} {referrals.get('up', 0)}, {w['down']} "
                  f"{referrals.get('down', 0)}, {w['same']} {referrals.get('same_level', 0)}")
    return "\n\n".join(blocks) + "\n"


def to_json(report) -> str:
    """Return the JSON of spec section 8 (canonical keys; messages in the report's language)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(report) -> str:
    """Return one CSV row per finding: check, severity, subject, name, message, suggestion, evidence.

    ``subject`` joins the ids with ``;``; ``evidence`` is the JSON object.
    """
    lang = report.lang
    h = _HEADERS[lang]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h["check_id"], h["check"], h["severity"], h["subject"], h["name"],
                     h["message"], h["suggestion"], h["evidence"]])
    for f in report.findings:
        writer.writerow([safe_cell(v) for v in (
            f.check, _title(f.check, lang), _severity(f.severity, lang), ";".join(f.subject),
            _subject_name(f), f.message, f.suggestion,
            json.dumps(f.evidence, ensure_ascii=False, sort_keys=True))])
    return out.getvalue()


_md = md_cell


def to_markdown(report) -> str:
    """Return a Markdown report: the summary figures, then one table per family."""
    lang = report.lang
    w = _WORDS[lang]
    h = _HEADERS[lang]
    lines = [f"# {w['summary']}", ""]
    lines += [f"- {_md(line)}" for line in summary_lines(report.summary, lang)]
    lines.append("")
    if not report.findings:
        lines.append(w["none"])
    for family in FAMILIES:
        found = [f for f in report.findings if family_of(f.check) == family]
        if not found:
            continue
        lines += [f"## {FAMILY_TITLES[family][lang]}", "",
                  f"| {h['severity']} | {h['check']} | {h['subject']} | {h['message']} "
                  f"| {h['suggestion']} |", "|---|---|---|---|---|"]
        lines += [f"| {_severity(f.severity, lang)} | {_md(_check_label(f.check, lang))} | "
                  f"{_md(', '.join(f.subject))} | {_md(f.message)} | {_md(f.suggestion)} |"
                  for f in found]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_xlsx(report) -> bytes:
    """Return an XLSX issue register (台账): a summary sheet, then one sheet per family.

    Each family sheet lists its findings with number, severity, check, ids, name,
    problem, suggestion and regulation, plus empty columns for the responsible
    unit, the due date and the progress that planners fill in.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font

    lang = report.lang
    w = _WORDS[lang]
    h = _HEADERS[lang]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = w["summary"]
    bold = Font(bold=True)
    for line in summary_lines(report.summary, lang):
        append_row(sheet, [line])
    sheet.append([])
    append_row(sheet, [w["institutions"], w["count"], w["coverage"], w["own"], w["work"]])
    sheet.cell(sheet.max_row, 1).font = bold
    for row in _coverage_rows(report.summary, lang):
        append_row(sheet, [row[0], int(row[1])] + row[2:])
    sheet.append([])
    append_row(sheet, [w["by_check"], w["count"]])
    sheet.cell(sheet.max_row, 1).font = bold
    for check_id, n in report.summary.get("findings", {}).get("by_check", {}).items():
        append_row(sheet, [_check_label(check_id, lang) if lang == "zh" else check_id, n])
    sheet.column_dimensions["A"].width = 40
    columns = ["no", "severity", "check", "check_id", "subject", "name", "message",
               "suggestion", "regulation", "owner", "due", "status"]
    widths = [6, 10, 28, 32, 14, 18, 50, 60, 30, 16, 12, 16]
    for family in FAMILIES:
        page = book.create_sheet(FAMILY_TITLES[family][lang])
        append_row(page, [h[c] for c in columns])
        for cell in page[1]:
            cell.font = bold
        page.freeze_panes = "A2"
        found = [f for f in report.findings if family_of(f.check) == family]
        for number, f in enumerate(found, 1):
            spec = CATALOG.get(f.check)
            append_row(page, [number, _severity(f.severity, lang), _title(f.check, lang), f.check, ", ".join(f.subject),
                         _subject_name(f), f.message, f.suggestion,
                         (spec.regulation or "") if spec else "", "", "", ""])
        for index, width in enumerate(widths):
            page.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = width
        for row in page.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_report(report, fmt: str = "table"):
    """Return a report in one of :data:`FORMATS` (bytes for xlsx, str otherwise).

    Examples
    --------
    >>> from queries.runner import Report
    >>> render_report(Report({}, []), "json")
    '{\\n  "summary": {},\\n  "findings": []\\n}\\n'
    """
    if fmt == "table":
        return _table_text(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "markdown":
        return to_markdown(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
