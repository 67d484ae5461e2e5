"""Render an action plan (:class:`orgnet.queries.plan.Plan`): table, json, markdown and the xlsx
整改台账 (rectification ledger) with empty 责任人 / 完成时限 / 进展 columns to fill in.

Examples
--------
>>> from orgnet.queries.plan import Action, Plan
>>> a = Action("A001", "join_org", ["V1"], {"en": "Bring V1 under O1.", "zh": "将V1纳入O1。"}, "O1",
...            [{"check": "coverage.uncovered_institution", "subject": ["V1"]}], 1)
>>> print(render_plan(Plan([a], [], {}, {}), "table", "zh").splitlines()[-1])
A001  1       纳入党组织覆盖  V1    将V1纳入O1。  O1          医疗卫生机构未被党组织覆盖 V1
"""

from __future__ import annotations

from orgnet.graphmodel.outputs import append_row
import io
import json

from orgnet.queries.catalog import QueryError
from orgnet.queries.diff import HEADLINE_FIGURES, diff_summaries
from orgnet.queries.export import _check_label, _md, aligned_table
from orgnet.queries.export_diff import figures_table

__all__ = ["render_plan", "PLAN_FORMATS"]

PLAN_FORMATS = ("table", "json", "markdown", "xlsx")

_W = {
    "en": {"id": "Id", "priority": "Priority", "kind": "Action", "subjects": "Subjects",
           "text": "What to do", "org": "Responsible org", "closes": "Closes",
           "check": "Check", "subject": "Subject", "reason": "Why it stays open",
           "actions": "Actions", "unclosable": "Findings the plan cannot close",
           "figures": "Figures before and after the plan (checks re-run on the changed data)",
           "none": "No findings: nothing to plan.", "no_actions": "No action can close the findings.",
           "title": "Action plan", "owner": "Person responsible", "due": "Due date",
           "progress": "Progress", "no": "No.", "ledger": "Ledger"},
    "zh": {"id": "编号", "priority": "优先级", "kind": "措施类型", "subjects": "对象",
           "text": "整改措施", "org": "责任党组织", "closes": "销号问题",
           "check": "检查项", "subject": "对象", "reason": "无法整改的原因",
           "actions": "整改措施", "unclosable": "本计划无法关闭的问题",
           "figures": "整改前后指标（对整改后数据重新运行检查）",
           "none": "未发现问题，无需整改。", "no_actions": "没有可关闭问题的措施。",
           "title": "整改计划", "owner": "责任人", "due": "完成时限", "progress": "进展",
           "no": "序号", "ledger": "整改台账"},
}


def _kind(kind, lang):
    from orgnet.queries.plan import ACTION_KINDS

    names = ACTION_KINDS.get(kind)
    return names[lang == "zh"] if names else kind


def _closes(action, lang):
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{_check_label(c['check'], lang)} {','.join(c['subject'])}" for c in action.closes)


def _rows(plan, lang):
    return [[a.id, str(a.priority), _kind(a.kind, lang), ", ".join(a.subjects), a.text[lang],
             a.org or "", _closes(a, lang)] for a in plan.actions]


def _header(lang):
    w = _W[lang]
    return [w["id"], w["priority"], w["kind"], w["subjects"], w["text"], w["org"], w["closes"]]


def _figures(plan):
    return diff_summaries(plan.before or {}, plan.after or plan.before or {}, always=HEADLINE_FIGURES)


def render_plan(plan, fmt: str = "table", lang: str = "en"):
    """Return the plan in a format (bytes for xlsx)."""
    w = _W[lang]
    if fmt == "json":
        return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"
    nothing = not plan.findings_before and not plan.actions and not plan.unclosable
    if fmt == "table":
        if nothing:
            return w["none"] + "\n"
        parts = [w["figures"], figures_table(_figures(plan), lang), "", w["actions"]]
        parts.append(aligned_table(_header(lang), _rows(plan, lang)) if plan.actions else w["no_actions"])
        if plan.unclosable:
            parts += ["", w["unclosable"], aligned_table(
                [w["check"], w["subject"], w["reason"]],
                [[_check_label(u["check"], lang), ", ".join(u["subject"]), u["reason"]]
                 for u in plan.unclosable])]
        return "\n".join(parts) + "\n"
    if fmt == "markdown":
        lines = [f"# {w['title']}", ""]
        if nothing:
            return "\n".join(lines + [w["none"]]) + "\n"
        lines += [f"## {w['figures']}", "", "```", figures_table(_figures(plan), lang), "```", "",
                  f"## {w['actions']}", ""]
        if plan.actions:
            lines += ["| " + " | ".join(_header(lang)) + " |", "|" + "---|" * 7]
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in _rows(plan, lang)]
        else:
            lines.append(w["no_actions"])
        if plan.unclosable:
            lines += ["", f"## {w['unclosable']}", "", f"| {w['check']} | {w['subject']} | {w['reason']} |",
                      "|---|---|---|"]
            lines += [f"| {_md(_check_label(u['check'], lang))} | {_md(', '.join(u['subject']))} | "
                      f"{_md(u['reason'])} |" for u in plan.unclosable]
        return "\n".join(lines) + "\n"
    if fmt == "xlsx":
        return _xlsx(plan, lang)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(PLAN_FORMATS)}")


def _xlsx(plan, lang) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from orgnet.queries.export_diff import figure_label, figure_value

    w = _W[lang]
    book = openpyxl.Workbook()
    ledger = book.active
    ledger.title = w["ledger"]
    append_row(ledger, [w["no"], w["id"], w["priority"], w["kind"], w["subjects"], w["text"], w["org"],
                   w["closes"], w["owner"], w["due"], w["progress"]])
    for number, (action, row) in enumerate(zip(plan.actions, _rows(plan, lang)), 1):
        append_row(ledger, [number, action.id, action.priority, row[2], row[3], row[4], row[5], row[6],
                       "", "", ""])
    for index, width in enumerate([6, 8, 8, 18, 24, 70, 16, 40, 12, 12, 16], 1):
        ledger.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    ledger.freeze_panes = "A2"
    open_sheet = book.create_sheet(w["unclosable"][:31])
    append_row(open_sheet, [w["check"], w["subject"], w["reason"]])
    for u in plan.unclosable:
        append_row(open_sheet, [_check_label(u["check"], lang), ", ".join(u["subject"]), u["reason"]])
    figures = book.create_sheet(w["figures"][:31] if lang == "zh" else "Figures")
    append_row(figures, ["", "before" if lang == "en" else "整改前", "after" if lang == "en" else "整改后"])
    for r in _figures(plan):
        append_row(figures, [figure_label(r["figure"], lang), figure_value(r["figure"], r["before"]),
                        figure_value(r["figure"], r["after"])])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
