"""Render the ranked key members, units and ties (:func:`orgnet.queries.resilience.resilience`).

Formats: table, json (``{"items": [...]}``, issue 10's shape), csv, markdown and
xlsx; headers and check names follow ``lang``.

Examples
--------
>>> from orgnet.queries.resilience import Item
>>> item = Item("T1", "unit", [], ["V1", "V2"], rank=1, name="东镇卫生院")
>>> print(render_resilience([item], "table", "zh"))
排名  类型  编号  名称        高  中  切断机构数  引发的问题
----  ----  ----  ----------  --  --  ----------  ----------
1     机构  T1    东镇卫生院  0   0   2
"""

from __future__ import annotations

from orgnet.graphmodel.outputs import append_row, safe_cell, safe_row
import csv
import io
import json

from orgnet.queries.catalog import QueryError
from orgnet.queries.export import _check_label, _md, _severity, _title, aligned_table

__all__ = ["render_resilience", "RESILIENCE_FORMATS"]

RESILIENCE_FORMATS = ("table", "json", "csv", "markdown", "xlsx")

_HEAD = {
    "en": {"rank": "Rank", "kind": "Kind", "id": "Id", "name": "Name", "high": "High",
           "medium": "Medium", "cut": "Cut off", "cut_ids": "Institutions cut off",
           "caused": "Findings caused", "none": "No single loss causes a finding.",
           "title": "Key members, units and ties", "severity": "Severity", "check": "Check",
           "subject": "Subject", "message": "Problem", "suggestion": "Suggestion",
           "member": "member", "unit": "unit", "tie": "tie", "sheet": "Ranking",
           "sheet2": "Findings caused"},
    "zh": {"rank": "排名", "kind": "类型", "id": "编号", "name": "名称", "high": "高",
           "medium": "中", "cut": "切断机构数", "cut_ids": "被切断的机构",
           "caused": "引发的问题", "none": "任何单一损失都不会引发问题。",
           "title": "关键人员、机构与联系", "severity": "严重程度", "check": "检查项",
           "subject": "对象", "message": "问题", "suggestion": "整改建议",
           "member": "人员", "unit": "机构", "tie": "联系", "sheet": "排名",
           "sheet2": "引发的问题"},
}


def _ident(item) -> str:
    return "–".join(item.id) if isinstance(item.id, tuple) else str(item.id)


def _caused_short(item, lang) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{_check_label(c, lang)} {','.join(s)}" for c, s, _ in item.hits)


def _rows(items, lang):
    h = _HEAD[lang]
    rows = []
    for item in items:
        counts = item.counts()
        rows.append([str(item.rank), h[item.kind], _ident(item), item.name or "",
                     str(counts["high"]), str(counts["medium"]), str(len(item.cut_off)),
                     _caused_short(item, lang)])
    return rows


def _header(lang):
    h = _HEAD[lang]
    return [h["rank"], h["kind"], h["id"], h["name"], h["high"], h["medium"], h["cut"],
            h["caused"]]


def _safe(text) -> str:
    """A CSV cell that no spreadsheet reads as a formula."""
    return safe_cell(str(text))


def render_resilience(items, fmt: str = "table", lang: str = "en"):
    """Return the ranked items in a format (bytes for xlsx, str otherwise)."""
    h = _HEAD[lang]
    if fmt == "json":
        return json.dumps({"items": [i.to_dict() for i in items]}, ensure_ascii=False,
                          indent=2) + "\n"
    if fmt == "table":
        if not items:
            return h["none"] + "\n"
        return aligned_table(_header(lang), _rows(items, lang)) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(safe_row(_header(lang)[:7] + [h["cut_ids"], h["caused"]]))
        for item, row in zip(items, _rows(items, lang)):
            writer.writerow([_safe(c) for c in row[:7] + [";".join(item.cut_off), row[7]]])
        return out.getvalue()
    if fmt == "markdown":
        lines = [f"# {h['title']}", ""]
        if not items:
            return "\n".join(lines + [h["none"]]) + "\n"
        lines += ["| " + " | ".join(_header(lang)) + " |", "|" + "---|" * 8]
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in _rows(items, lang)]
        return "\n".join(lines) + "\n"
    if fmt == "xlsx":
        return _xlsx(items, lang)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(RESILIENCE_FORMATS)}")


def _xlsx(items, lang) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    h = _HEAD[lang]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = h["sheet"]
    append_row(sheet, _header(lang)[:7] + [h["cut_ids"], h["caused"]])
    for item, row in zip(items, _rows(items, lang)):
        append_row(sheet, [item.rank] + row[1:4] + [int(row[4]), int(row[5]), int(row[6]),
                                               ";".join(item.cut_off), row[7]])
    page = book.create_sheet(h["sheet2"])
    append_row(page, [h["rank"], h["id"], h["severity"], h["check"], h["subject"], h["message"],
                 h["suggestion"]])
    for item in items:
        for f in item.caused():
            append_row(page, [item.rank, _ident(item), _severity(f.severity, lang),
                         _title(f.check, lang), ", ".join(f.subject), f.message, f.suggestion])
    for ws in (sheet, page):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
