"""Render a :class:`~queries.compare.Comparison` as text, JSON, CSV, Markdown or XLSX.

Every format honours the comparison's language (``lang="zh"``: Chinese headers,
severities, figure names); the JSON keeps the canonical keys of
:meth:`Comparison.to_dict`.  Text from the data never reaches a terminal, a
spreadsheet or Markdown as control characters, a formula or a table break.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> from orgnet.queries.compare import compare_graphs
>>> G = new_graph("县")
>>> print(render_comparison(compare_graphs(G, G, lang="zh"), "table"), end="")
对比：县 → 县
编号匹配：0（前 0，后 0）
无变化
"""

from __future__ import annotations

import csv
import io
import json
import re

from orgnet.graphmodel.outputs import append_row, safe_cell
from orgnet.graphmodel.schema import ENTITY_LABELS, LINK_TYPE_ZH, ZH
from orgnet.queries.catalog import QueryError, load_checks, vocab
from orgnet.queries.compare import CHANGE_KINDS
from orgnet.queries.export import aligned_table

__all__ = ["COMPARE_FORMATS", "render_comparison", "figure_label", "format_value",
           "format_delta", "finding_rows", "comparison_json"]

#: Output formats of ``orgnet compare --format``; xlsx is bytes, the others text.
COMPARE_FORMATS = ("table", "json", "csv", "markdown", "xlsx")

_WORDS = {
    "en": {"comparing": "Comparing", "matched": "ids matched", "before": "before",
           "after": "after", "no_changes": "no changes", "findings": "Findings",
           "figures": "Figures", "regions": "Per region (county, township)",
           "kinds": "Per institution kind", "entities": "Entities",
           "figure": "Figure", "change": "Change", "region": "Region", "level": "Level",
           "kind": "Kind", "added": "added", "removed": "removed", "changed": "changed",
           "new": "new", "resolved": "resolved", "persisting": "persisting",
           "links": "links", "status": "Change", "severity": "Severity", "check": "Check",
           "subject": "Subject", "message": "Problem", "suggestion": "Suggestion",
           "check_id": "Check id", "what": "What", "id": "Id", "label": "Label",
           "property": "Property", "summary": "Summary", "warning": "Warning"},
    "zh": {"comparing": "对比", "matched": "编号匹配", "before": "前", "after": "后",
           "no_changes": "无变化", "findings": "问题", "figures": "指标",
           "regions": "分区域（县、乡镇）", "kinds": "分机构类型", "entities": "实体变化",
           "figure": "指标", "change": "变化", "region": "区域", "level": "层级",
           "kind": "类型", "added": "新增", "removed": "删除", "changed": "变更",
           "new": "新出现", "resolved": "已整改", "persisting": "仍存在",
           "links": "关系", "status": "变化", "severity": "严重程度", "check": "检查项",
           "subject": "对象", "message": "问题", "suggestion": "整改建议",
           "check_id": "检查编号", "what": "内容", "id": "编号", "label": "类别",
           "property": "属性", "summary": "概况", "warning": "提示"},
}
#: Names of the headline figures; others are shown by their path.
_FIGURES = {
    "coverage_rate": {"en": "organizational coverage (组织覆盖率)", "zh": "组织覆盖率"},
    "own_branch_rate": {"en": "own organization (单独组建率)", "zh": "单独组建率"},
    "work_coverage_rate": {"en": "work coverage", "zh": "工作覆盖率"},
    "institutions": {"en": "health institutions", "zh": "医疗卫生机构"},
    "covered": {"en": "covered", "zh": "已覆盖"},
    "own_branch": {"en": "own organization", "zh": "单独组建"},
    "work_covered": {"en": "work covered", "zh": "工作覆盖"},
    "up": {"en": "referrals up", "zh": "上转"},
    "down": {"en": "referrals down", "zh": "下转"},
    "same_level": {"en": "referrals same level", "zh": "同级转诊"},
    "referrals_up": {"en": "referrals up", "zh": "上转"},
    "referrals_down": {"en": "referrals down", "zh": "下转"},
    "referrals_same_level": {"en": "referrals same level", "zh": "同级转诊"},
    "total": {"en": "total", "zh": "合计"},
    "links": {"en": "links", "zh": "关系"},
    "services": {"en": "services", "zh": "服务"},
}
#: Names of whole figure paths that the parts would name ambiguously.
_PATHS = {
    "referrals.links": {"en": "referral links", "zh": "转诊关系"},
    "counts.links": {"en": "links", "zh": "关系"},
}
_GROUPS = {"counts": {"en": "", "zh": ""}, "coverage": {"en": "", "zh": ""},
           "overall": {"en": "", "zh": ""}, "by_kind": {"en": "", "zh": ""},
           "referrals": {"en": "", "zh": ""},
           "institution_kinds": {"en": "institutions", "zh": "机构"},
           "org_kinds": {"en": "orgs", "zh": "党组织"},
           "member_statuses": {"en": "members", "zh": "人员"},
           "link_types": {"en": "links", "zh": "关系"},
           "findings": {"en": "findings", "zh": "问题"},
           "by_severity": {"en": "", "zh": ""}, "by_check": {"en": "", "zh": ""}}
#: C0/C1 control characters (terminal escapes) and line breaks inside a cell
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(text) -> str:
    """Return text with control characters (terminal escapes, line breaks) as spaces."""
    return _CONTROL.sub(" ", "" if text is None else str(text))


def figure_label(path: str, lang: str = "en") -> str:
    """Return a readable name for a figure path of :func:`orgnet.queries.compare.figure_deltas`.

    Examples
    --------
    >>> figure_label("coverage.overall.coverage_rate", "zh")
    '组织覆盖率'
    >>> figure_label("coverage.by_kind.village_clinic.covered", "en")
    'village clinic: covered'
    >>> figure_label("institution_kinds.village_clinic", "zh")
    '机构: 村卫生室'
    >>> figure_label("findings.by_check.coverage.empty_org", "zh")
    '问题: 党组织无党员'
    """
    if path in _PATHS:
        return _PATHS[path][lang]
    prefix = "findings.by_check."
    if path.startswith(prefix):
        check_id = path[len(prefix):]
        return f"{_GROUPS['findings'][lang]}: " + (_title(check_id, lang) if lang == "zh"
                                                   else check_id)
    parts = path.split(".")
    words = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if last and part in _FIGURES:
            words.append(_FIGURES[part][lang])
        elif part in _GROUPS and not last:
            if _GROUPS[part][lang]:
                words.append(_GROUPS[part][lang])
        elif lang == "zh" and part in LINK_TYPE_ZH:
            words.append(LINK_TYPE_ZH[part])
        else:
            words.append(vocab(part, lang) if part in ZH or lang == "en" else part)
    return ": ".join(w for w in words if w)


def _is_rate(path: str) -> bool:
    return path.endswith("_rate")


def format_value(path: str, value) -> str:
    """Return a figure's value for display: rates as percentages, None as ``-``.

    Examples
    --------
    >>> format_value("coverage.overall.coverage_rate", 0.9333), format_value("x", None)
    ('93.3%', '-')
    """
    if value is None:
        return "-"
    if _is_rate(path):
        return f"{value * 100:.1f}%"
    return str(value)


def format_delta(path: str, delta, lang: str = "en") -> str:
    """Return a change with its sign and an arrow (rates in percentage points).

    Examples
    --------
    >>> format_delta("coverage.overall.coverage_rate", 0.0333), format_delta("referrals.up", -12)
    ('+3.3 pts ↑', '-12 ↓')
    >>> format_delta("x", 0), format_delta("x", None)
    ('0 →', '-')
    """
    if delta is None:
        return "-"
    arrow = "↑" if delta > 0 else "↓" if delta < 0 else "→"
    if _is_rate(path):
        unit = "个百分点" if lang == "zh" else " pts"
        return f"{delta * 100:+.1f}{unit} {arrow}" if delta else f"0.0{unit} {arrow}"
    return f"{delta:+d} {arrow}" if delta else f"0 {arrow}"


def _severity(severity: str, lang: str) -> str:
    return ZH.get(severity, severity) if lang == "zh" else severity


def _title(check_id: str, lang: str) -> str:
    spec = load_checks().get(check_id)
    return spec.title[lang] if spec is not None else check_id


def finding_rows(comparison) -> list[tuple[str, object, object]]:
    """Return ``(change, before, after)`` per finding: new, resolved, changed, persisting.

    ``before`` is None for new findings, ``after`` for resolved ones; new and
    changed findings come high severity first.
    """
    from orgnet.queries.finding import severity_rank

    def by_severity(pairs):
        return sorted(pairs, key=lambda p: severity_rank((p[2] or p[1]).severity))

    rows = {"new": by_severity([("new", None, f) for f in comparison.new]),
            "resolved": [("resolved", f, None) for f in comparison.resolved],
            "changed": by_severity([("changed", b, a) for b, a in comparison.changed]),
            "persisting": [("persisting", None, f) for f in comparison.persisting]}
    return [row for kind in CHANGE_KINDS for row in rows[kind]]


def _finding_cells(change, before, after, lang):
    w = _WORDS[lang]
    shown = after or before
    severity = _severity(shown.severity, lang)
    if before is not None and after is not None and before.severity != after.severity:
        severity = f"{_severity(before.severity, lang)} → {_severity(after.severity, lang)}"
    return [w[change], severity, _title(shown.check, lang), ", ".join(shown.subject),
            shown.message, shown.suggestion]


def _counts_line(comparison, lang) -> str:
    w = _WORDS[lang]
    before, after = len(comparison.before.findings), len(comparison.after.findings)
    sep = "；" if lang == "zh" else ", "
    colon = "：" if lang == "zh" else ": "
    parts = sep.join(f"{w[kind]} {n}" for kind, n in (
        ("resolved", len(comparison.resolved)), ("new", len(comparison.new)),
        ("changed", len(comparison.changed)), ("persisting", len(comparison.persisting))))
    return f"{w['findings']}{colon}{before} → {after} ({parts})"


def _matched_line(comparison, lang) -> str:
    w = _WORDS[lang]
    e = comparison.entities
    share = e.get("matched_share")
    shown = f"{e['matched']}" + (f" ({share:.0%})" if share is not None and share < 1 else "")
    if lang == "zh":
        return f"{w['matched']}：{shown}（前 {e['before']}，后 {e['after']}）"
    return f"{w['matched']}: {shown} of {e['before']} before, {e['after']} after"


def _entity_rows(comparison, lang) -> list[list[str]]:
    w = _WORDS[lang]
    rows = []
    for part in (*ENTITY_LABELS, "links"):
        entry = comparison.entities[part]
        name = w["links"] if part == "links" else (vocab(part, lang) if lang == "zh" else part)
        rows.append([name, str(len(entry["added"])), str(len(entry["removed"])),
                     str(len(entry["changed"]))])
    return rows


def _cells(row: dict, lang: str) -> list[str]:
    path = row["figure"]
    return [figure_label(path, lang), format_value(path, row["before"]),
            format_value(path, row["after"]), format_delta(path, row["change"], lang)]


def _region_rows(comparison, lang) -> list[list[str]]:
    return [[_clean(f"{entry.get('name', region)} ({region})"), vocab(entry.get("level"), lang),
             *_cells(row, lang)]
            for region, entry in comparison.regions.items() for row in entry["figures"]]


def _kind_rows(comparison, lang) -> list[list[str]]:
    return [[vocab(kind, lang), *_cells(row, lang)]
            for kind, entry in comparison.kinds.items() for row in entry["figures"]]


def _figure_rows(comparison, lang) -> list[list[str]]:
    """The headline figures, then every other figure that changed."""
    return [_cells(row, lang) for row in comparison.figures]


def _head(comparison, lang) -> list[str]:
    w = _WORDS[lang]
    colon = "：" if lang == "zh" else ": "
    names = (f"{_clean(comparison.before.summary.get('dataset', ''))} → "
             f"{_clean(comparison.after.summary.get('dataset', ''))}")
    lines = [f"{w['comparing']}{colon}{names}", _matched_line(comparison, lang)]
    if comparison.warning:
        lines.append(f"{w['warning']}{colon}{comparison.warning}")
    return lines


def _table_text(comparison) -> str:
    lang = comparison.lang
    w = _WORDS[lang]
    lines = _head(comparison, lang)
    if comparison.is_unchanged():
        return "\n".join(lines + [w["no_changes"]]) + "\n"
    lines.append(_counts_line(comparison, lang))
    blocks = ["\n".join(lines)]
    figure_header = [w["figure"], w["before"], w["after"], w["change"]]
    rows = _figure_rows(comparison, lang)
    if rows:
        blocks.append(f"{w['figures']}\n" + aligned_table(figure_header, rows))
    rows = _region_rows(comparison, lang)
    if rows:
        blocks.append(f"{w['regions']}\n" + aligned_table(
            [w["region"], w["level"]] + figure_header, rows))
    rows = _kind_rows(comparison, lang)
    if rows:
        blocks.append(f"{w['kinds']}\n" + aligned_table([w["kind"]] + figure_header, rows))
    blocks.append(f"{w['entities']}\n" + aligned_table(
        [w["label"], w["added"], w["removed"], w["changed"]], _entity_rows(comparison, lang)))
    rows = [[_clean(c) for c in _finding_cells(*row, lang)]
            for row in finding_rows(comparison) if row[0] != "persisting"]
    if rows:
        blocks.append(aligned_table([w["status"], w["severity"], w["check"], w["subject"],
                                     w["message"], w["suggestion"]], rows))
    return "\n\n".join(blocks) + "\n"


def comparison_json(comparison) -> str:
    """Return the JSON of :meth:`Comparison.to_dict` (indented, Chinese kept)."""
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run: a leading ``= + - @`` gets a quote."""
    return safe_cell(_clean(value))


def _to_csv(comparison) -> str:
    """One row per finding change (persisting included), in :func:`finding_rows` order."""
    lang = comparison.lang
    w = _WORDS[lang]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([w["status"], w["check_id"], w["check"], w["severity"], w["subject"],
                     w["message"], w["suggestion"], f"{w['before']}: {w['severity']}",
                     "evidence (before)" if lang == "en" else "依据数据（前）",
                     "evidence (after)" if lang == "en" else "依据数据（后）"])
    for change, before, after in finding_rows(comparison):
        shown = after or before
        writer.writerow([_csv_cell(v) for v in (
            w[change], shown.check, _title(shown.check, lang), _severity(shown.severity, lang),
            ";".join(shown.subject), shown.message, shown.suggestion,
            _severity(before.severity, lang) if before is not None else "",
            json.dumps(before.evidence, ensure_ascii=False, sort_keys=True) if before else "",
            json.dumps(after.evidence, ensure_ascii=False, sort_keys=True) if after else "")])
    return out.getvalue()


def _md(text) -> str:
    return _clean(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _md_table(header, rows) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _to_markdown(comparison) -> str:
    lang = comparison.lang
    w = _WORDS[lang]
    lines = [f"# {w['comparing']}", ""] + [f"- {_md(line)}" for line in _head(comparison, lang)]
    if comparison.is_unchanged():
        return "\n".join(lines + ["", w["no_changes"]]) + "\n"
    lines += [f"- {_md(_counts_line(comparison, lang))}", ""]
    figure_header = [w["figure"], w["before"], w["after"], w["change"]]
    for title, header, rows in (
            (w["figures"], figure_header, _figure_rows(comparison, lang)),
            (w["regions"], [w["region"], w["level"]] + figure_header,
             _region_rows(comparison, lang)),
            (w["kinds"], [w["kind"]] + figure_header, _kind_rows(comparison, lang)),
            (w["entities"], [w["label"], w["added"], w["removed"], w["changed"]],
             _entity_rows(comparison, lang))):
        if rows:
            lines += [f"## {title}", ""] + _md_table(header, rows)
    rows = [_finding_cells(*row, lang) for row in finding_rows(comparison)
            if row[0] != "persisting"]
    if rows:
        lines += [f"## {w['findings']}", ""] + _md_table(
            [w["status"], w["severity"], w["check"], w["subject"], w["message"],
             w["suggestion"]], rows)
    return "\n".join(lines).rstrip("\n") + "\n"


def _to_xlsx(comparison) -> bytes:
    """A workbook: summary and figures, regions, kinds, findings, entity changes."""
    import openpyxl
    from openpyxl.styles import Font

    lang = comparison.lang
    w = _WORDS[lang]
    book = openpyxl.Workbook()
    bold = Font(bold=True)

    def sheet_of(title, header, rows, sheet=None):
        page = sheet or book.create_sheet(title)
        if sheet is not None:
            page.title = title
        append_row(page, header)
        for cell in page[page.max_row]:
            cell.font = bold
        for row in rows:
            append_row(page, [_clean(c) if isinstance(c, str) else c for c in row])
            for cell in page[page.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"          # text, never a formula
        if sheet is None:
            page.freeze_panes = "A2"
        return page

    summary = book.active
    summary.title = w["summary"]
    for line in _head(comparison, lang) + [
            w["no_changes"] if comparison.is_unchanged() else _counts_line(comparison, lang)]:
        append_row(summary, [_clean(line)])
    append_row(summary, [])
    figure_header = [w["figure"], w["before"], w["after"], w["change"]]
    sheet_of(w["summary"], figure_header, [
        [figure_label(r["figure"], lang), r["before"], r["after"], r["change"]]
        for r in comparison.figures], sheet=summary)
    summary.column_dimensions["A"].width = 48
    sheet_of(w["regions"], ["id", w["region"], w["level"]] + figure_header, [
        [region, entry.get("name"), vocab(entry.get("level"), lang),
         figure_label(r["figure"], lang), r["before"], r["after"], r["change"]]
        for region, entry in comparison.regions.items() for r in entry["figures"]])
    sheet_of(w["kinds"], [w["kind"]] + figure_header, [
        [vocab(kind, lang), figure_label(r["figure"], lang), r["before"], r["after"],
         r["change"]]
        for kind, entry in comparison.kinds.items() for r in entry["figures"]])
    sheet_of(w["findings"], [w["status"], w["severity"], w["check"], w["subject"],
                             w["message"], w["suggestion"], w["check_id"]],
             [_finding_cells(*row, lang) + [(row[2] or row[1]).check]
              for row in finding_rows(comparison)])
    rows = []
    for part in (*ENTITY_LABELS, "links"):
        entry = comparison.entities[part]
        name = w["links"] if part == "links" else (vocab(part, lang) if lang == "zh" else part)
        if part == "links":
            for change in ("added", "removed", "changed"):
                rows += [[name, w[change], f"{e['source_id']} → {e['target_id']}",
                          e["type"], json.dumps({k: e[k] for k in e if k not in (
                              "source_id", "target_id", "type")}, ensure_ascii=False)]
                         for e in entry[change]]
            continue
        rows += [[name, w["added"], i, "", ""] for i in entry["added"]]
        rows += [[name, w["removed"], i, "", ""] for i in entry["removed"]]
        rows += [[name, w["changed"], e["id"], prop, json.dumps(values, ensure_ascii=False)]
                 for e in entry["changed"] for prop, values in e["changes"].items()]
    sheet_of(w["entities"], [w["label"], w["status"], w["id"], w["property"], w["what"]], rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_comparison(comparison, fmt: str = "table"):
    """Return a comparison in one of :data:`COMPARE_FORMATS` (bytes for xlsx).

    Raises
    ------
    QueryError
        An unknown format.
    """
    if fmt == "table":
        return _table_text(comparison)
    if fmt == "json":
        return comparison_json(comparison)
    if fmt == "csv":
        return _to_csv(comparison)
    if fmt == "markdown":
        return _to_markdown(comparison)
    if fmt == "xlsx":
        return _to_xlsx(comparison)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(COMPARE_FORMATS)}")
