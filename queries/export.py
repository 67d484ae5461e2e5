"""Render a :class:`~queries.runner.Report` as text, JSON, CSV, Markdown or an XLSX issue register.

Every format honours the report's language: with ``lang="zh"`` headers, severities,
check titles and vocabulary names are Chinese (schema.ZH); the JSON keeps the
canonical keys of spec section 8 (only messages and suggestions are translated).

Examples
--------
>>> from orgnet.queries.finding import Finding
>>> from orgnet.queries.runner import Report
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

from orgnet.graphmodel.outputs import append_row, clean_text, md_cell, safe_cell
from orgnet.graphmodel.schema import ENTITY_LABELS, LINK_TYPE_ZH, ZH
from orgnet.queries.catalog import CATALOG, QueryError, load_checks, vocab

__all__ = [
    "FORMATS", "aligned_table", "render_report", "findings_table", "summary_lines", "info_text", "to_json",
    "to_csv", "to_markdown", "to_xlsx", "display_width", "united_front_figures",
    "dumps_indented",
]

#: Output formats of ``orgnet check --format``; xlsx is bytes, the others text.
FORMATS = ("table", "json", "csv", "markdown", "xlsx")

_HEADERS = {
    "en": {"no": "No.", "severity": "Severity", "check": "Check", "check_id": "Check id",
           "subject": "Subject", "name": "Name", "message": "Problem",
           "suggestion": "Suggestion", "regulation": "Regulation", "evidence": "Evidence",
           "owner": "Responsible unit", "due": "Due date", "status": "Progress",
           "region": "Region"},
    "zh": {"no": "序号", "severity": "严重程度", "check": "检查项", "check_id": "检查编号",
           "subject": "对象", "name": "对象名称", "message": "问题",
           "suggestion": "整改建议", "regulation": "依据", "evidence": "依据数据",
           "owner": "责任单位", "due": "完成时限", "status": "整改情况",
           "region": "区域"},
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
           "own_short": "Own organization", "work_short": "Work coverage",
           "united_front": "United front", "representatives": "representatives (党外代表人士)",
           "contact_rate": "contacted (联系率)",
           "station_rate": "townships with a liaison station (联络站覆盖率)",
           "county": "County", "uf_overall": "All counties"},
    "zh": {"summary": "概况", "dataset": "数据集", "coverage": "组织覆盖率", "own": "单独组建率",
           "work": "工作覆盖率", "referrals": "转诊", "up": "上转", "down": "下转",
           "same": "同级", "findings": "问题", "none": "未发现问题。", "kind": "类型",
           "institutions": "医疗卫生机构", "counts": "实体数量", "label": "类别",
           "count": "数量", "institution_kinds": "机构（按类型）",
           "org_kinds": "党组织（按类型）", "member_statuses": "人员（按政治面貌）",
           "link_types": "有效关系（按类型）", "overall": "全部医疗卫生机构",
           "by_check": "各检查项问题数", "rate": "比率", "covered": "已覆盖",
           "own_short": "单独组建", "work_short": "工作覆盖",
           "united_front": "统战", "representatives": "党外代表人士", "contact_rate": "联系率",
           "station_rate": "联络站覆盖率", "county": "县（区）", "uf_overall": "全部"},
}


def display_width(text: str) -> int:
    """Return the terminal width of a string (CJK wide characters count 2).

    Examples
    --------
    >>> display_width("abc"), display_width("卫生室")
    (3, 6)
    """
    text = str(text)
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_wide, text))


_WIDTHS: dict[str, int] = {}


def _wide(ch: str) -> int:
    """1 for a wide (W, F) character, else 0 (cached per character)."""
    try:
        return _WIDTHS[ch]
    except KeyError:
        _WIDTHS[ch] = 1 if unicodedata.east_asian_width(ch) in "WF" else 0
        return _WIDTHS[ch]


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


def _lines_of(items) -> list:
    """Planner lines of a list of lines or findings (findings keep their order)."""
    from orgnet.queries.planner import Line

    return [item if isinstance(item, Line) else Line.of(item) for item in items]


def report_lines(report) -> list:
    """Return the lines the human formats list: ``report.lines``, else ordered findings."""
    if getattr(report, "lines", None) is not None:
        return report.lines
    from orgnet.queries.planner import planner_lines

    return planner_lines(report)


def findings_table(findings, lang: str = "en", width: int | None = None) -> str:
    """Return findings (or planner lines) as an aligned text table (CJK-width aware).

    With ``width`` (a terminal's columns) long cells wrap so that no line is wider.

    Examples
    --------
    >>> from orgnet.queries.finding import Finding
    >>> f = Finding("coverage.empty_org", "medium", ("O9",), "空支部没有任何党员，需要处理", {}, "撤销或合并")
    >>> print(findings_table([f], "zh", width=50))
    严重程度  检查项        对象  问题        整改建议
    --------  ------------  ----  ----------  --------
    中        党组织无党员  O9    空支部没有  撤销或合
                                  任何党员，  并
                                  需要处理
    """
    lines = _lines_of(findings)
    h = _HEADERS[lang]
    regions = any(line.region for line in lines)
    header = [h["severity"], h["check"]] + ([h["region"]] if regions else []) + \
        [h["subject"], h["message"], h["suggestion"]]
    rows = [[_severity(line.severity, lang), _check_label(line.check, lang)]
            + ([line.region] if regions else [])
            + [_subject_text(line, lang), line.message, line.suggestion] for line in lines]
    if width is None:
        return aligned_table(header, rows)
    return wrapped_table(header, rows, width, flexible=(len(header) - 2, len(header) - 1))


def _subject_text(line, lang) -> str:
    subject = ", ".join(line.subject)
    if line.folded:
        n = len(line.findings)
        return f"{subject} 下属 {n} 家" if lang == "zh" else f"{subject}: {n} below"
    return subject


def wrap_text(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` display columns (CJK counts 2).

    Latin words are kept whole where they fit.

    Examples
    --------
    >>> wrap_text("a county hospital", 8)
    ['a county', 'hospital']
    >>> wrap_text("村卫生室", 5)
    ['村卫', '生室']
    """
    text = str(text)
    width = max(width, 2)
    lines, current, size = [], "", 0
    for token in _tokens(text):
        w = display_width(token)
        if size + w <= width:
            current, size = current + token, size + w
            continue
        if token == " ":
            lines.append(current)
            current, size = "", 0
            continue
        if w <= width and current:
            lines.append(current.rstrip())
            current, size = token, w
            continue
        for ch in token:
            cw = display_width(ch)
            if size + cw > width and current:
                lines.append(current.rstrip())
                current, size = "", 0
            current, size = current + ch, size + cw
    if current or not lines:
        lines.append(current.rstrip())
    return lines


def _tokens(text: str):
    """Latin words and spaces as whole tokens, every other character alone."""
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            yield word
            word = ""
        yield " " if ch.isspace() else ch
    if word:
        yield word


def wrapped_table(header: list[str], rows: list[list[str]], width: int, *,
                  flexible=(), cap: int = 18) -> str:
    """Return :func:`aligned_table` wrapped to ``width`` columns.

    When the table is too wide, the ``flexible`` columns (default: those wider than
    ``cap``) share what the others, at most ``cap`` wide, leave; cells wrap.

    Examples
    --------
    >>> print(wrapped_table(["id", "text"], [["V1", "one two three"]], 12))
    id  text
    --  --------
    V1  one two
        three
    """
    gap = 2
    natural = [max([display_width(h)] + [display_width(r[i]) for r in rows])
               for i, h in enumerate(header)]
    widths = list(natural)
    budget = width - gap * (len(header) - 1)
    floor = [max(display_width(h), 4) for h in header]
    if sum(widths) > budget:
        # other columns at most `cap` wide; the flexible ones share the rest
        flexible = list(flexible) if flexible else [i for i, w in enumerate(natural) if w > cap]
        for i in range(len(widths)):
            if i not in flexible:
                widths[i] = min(natural[i], max(cap, floor[i]))
        rest = budget - sum(w for i, w in enumerate(widths) if i not in flexible)
        total = sum(natural[i] for i in flexible)
        for i in flexible:
            widths[i] = max(floor[i], min(natural[i], rest * natural[i] // total)) \
                if total else natural[i]
    while sum(widths) > budget:
        # still too wide (a very narrow terminal): shrink the widest column
        i = max(range(len(widths)), key=lambda k: (widths[k] - floor[k], k))
        if widths[i] <= floor[i]:
            break
        widths[i] -= 1
    out = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for row in rows:
        cells = [wrap_text(c, w) for c, w in zip(row, widths)]
        for k in range(max(len(c) for c in cells)):
            out.append("  ".join(_pad(c[k] if k < len(c) else "", w)
                                 for c, w in zip(cells, widths)).rstrip())
    return "\n".join(out)


def _pct(entry: dict, rate: str, part: str) -> str:
    value = entry.get(rate)
    if value is None:
        return "-"
    return f"{value * 100:.1f}% ({entry[part]}/{entry['institutions']})"


def _ratio(value, part, whole) -> str:
    return "-" if value is None else f"{value * 100:.1f}% ({part}/{whole})"


def united_front_figures(entry: dict, lang: str = "en") -> list[str]:
    """Return the three united-front figures of a summary entry (spec 7b) as texts.

    Examples
    --------
    >>> united_front_figures({"representatives": 4, "contacted": 3, "contact_rate": 0.75,
    ...                       "townships": 2, "townships_with_station": 1,
    ...                       "station_coverage_rate": 0.5}, "zh")
    ['党外代表人士 4', '联系率 75.0% (3/4)', '联络站覆盖率 50.0% (1/2)']
    """
    w = _WORDS[lang]
    names = (w["representatives"], w["contact_rate"], w["station_rate"])
    return [f"{name} {cell}" for name, cell in zip(names, _united_front_cells(entry))]


def _united_front_cells(entry: dict) -> list[str]:
    return [str(entry.get("representatives", 0)),
            _ratio(entry.get("contact_rate"), entry.get("contacted", 0),
                   entry.get("representatives", 0)),
            _ratio(entry.get("station_coverage_rate"), entry.get("townships_with_station", 0),
                   entry.get("townships", 0))]


def summary_lines(summary: dict, lang: str = "en") -> list[str]:
    """Return the headline figures of a summary as short lines.

    The united-front line (spec 7b) shows when the dataset has representative figures.

    Examples
    --------
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.queries.runner import summarize
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
        *_united_front_line(summary, lang),
        f"{w['findings']}{colon}{findings.get('total', 0)} ({severities})",
    ]


def _united_front_line(summary: dict, lang: str) -> list[str]:
    overall = summary.get("united_front", {}).get("overall", {})
    if not overall.get("representatives"):
        return []
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    return [f"{_WORDS[lang]['united_front']}{colon}" + sep.join(united_front_figures(overall, lang))]


def _table_text(report, width: int | None = None) -> str:
    lang = report.lang
    heads = summary_lines(report.summary, lang)
    if width is not None:
        heads = [part for line in heads for part in wrap_text(line, width)]
    parts = ["\n".join(heads), ""]
    if report.findings:
        parts.append(findings_table(report_lines(report), lang, width))
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
    >>> from orgnet.graphmodel.embedded import new_graph
    >>> from orgnet.queries.runner import summarize
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
    united = summary.get("united_front", {})
    if united.get("overall", {}).get("representatives"):
        rows = [[w["uf_overall"], united["overall"]]]
        rows += [[f"{e.get('name') or county} ({county})" if lang != "zh"
                  else f"{e.get('name') or county}（{county}）", e]
                 for county, e in united.get("by_county", {}).items()]
        blocks.append(aligned_table(
            [w["county"], w["representatives"], w["contact_rate"], w["station_rate"]],
            [[name, *_united_front_cells(e)] for name, e in rows]))
    return "\n\n".join(blocks) + "\n"


def to_json(report) -> str:
    """Return the JSON of spec section 8 (canonical keys; messages in the report's language).

    The text is ``json.dumps(report.to_dict(), ensure_ascii=False, indent=2)``
    plus a newline, written by :func:`dumps_indented` (the same characters, about
    three times faster: with ``indent`` the standard library falls back to its
    pure-Python encoder, which took seconds on the findings of a province).
    ``"".join(iter_json(report))``; :func:`write_json` streams the same text.
    """
    return "".join(iter_json(report))


def write_json(report, stream) -> None:
    """Write :func:`to_json` to a text stream piece by piece (never the whole text at once).

    Examples
    --------
    >>> import io
    >>> from orgnet.queries.runner import Report
    >>> out = io.StringIO(); write_json(Report({"n": 1}, []), out); out.getvalue() == to_json(Report({"n": 1}, []))
    True
    """
    for part in iter_json(report):
        stream.write(part)


def iter_json(report, batch: int = 2000):
    """Yield the text of :func:`to_json` in parts (the findings ``batch`` at a time)."""
    findings = report.findings
    if not findings:
        yield dumps_indented(report.to_dict()) + "\n"
        return
    provenance = getattr(report, "provenance", None)
    yield '{\n  "summary": ' + dumps_indented(report.summary, level=1) + ',\n  "findings": [\n    '
    for start in range(0, len(findings), batch):
        text = ",\n    ".join(map(_finding_json, findings[start:start + batch]))
        yield text if start == 0 else ",\n    " + text
    tail = "" if provenance is None else \
        ',\n  "provenance": ' + dumps_indented(provenance, level=1)
    yield "\n  ]" + tail + "\n}\n"


#: The C string encoder of the standard library (``ensure_ascii=False``): the leaves
#: of the findings go through it, so that no string is escaped in Python.
_encode = json.encoder.encode_basestring

#: ``"check"`` and ``"severity"`` lines of a finding, per (check, severity): a few
#: dozen distinct pairs, encoded once instead of once per finding.
_FINDING_HEADS: dict[tuple, str] = {}
#: the rest of a finding (level 2 in the report), filled by one ``%`` operation
#: rather than a chain of concatenations that copies the growing text each time
_FINDING_BODY = ('%s%s,\n      "message": %s,\n      "evidence": %s,\n'
                 '      "suggestion": %s\n    }')
#: The key lines of an evidence object, per tuple of keys: a check writes the
#: same keys in the same order for every finding, so they are encoded once.
_EVIDENCE_HEADS: dict[tuple, tuple] = {}
_EVIDENCE_HEADS_MAX = 512     # evidence with data-dependent keys is not cached beyond this


def _finding_json(finding) -> str:
    """``dumps_indented(finding.to_dict(), level=2)`` without the intermediate dict.

    A finding has a fixed shape, so its text is a template whose holes are the
    C-encoded strings, the subject and the evidence (:func:`_evidence_json`):
    about three times faster than walking the dict (a province has 250,000
    findings).  The characters are those of ``json.dumps(..., indent=2)``.
    """
    check, severity, message, suggestion = (finding.check, finding.severity, finding.message,
                                            finding.suggestion)
    if not (type(check) is type(severity) is type(message) is type(suggestion) is str):
        return dumps_indented(finding.to_dict(), level=2)
    head = _FINDING_HEADS.get((check, severity))
    if head is None:
        head = _FINDING_HEADS[check, severity] = (
            '{\n      "check": ' + _encode(check) + ',\n      "severity": ' + _encode(severity)
            + ',\n      "subject": ')
    subject = finding.subject
    try:
        subject = "[\n        " + ",\n        ".join(map(_encode, subject)) + "\n      ]" \
            if subject else "[]"
    except TypeError:         # an id that is not a string
        subject = dumps_indented(list(subject), level=3)
    return _FINDING_BODY % (head, subject, _encode(message), _evidence_json(finding.evidence),
                            _encode(suggestion))


def _evidence_json(evidence) -> str:
    """The evidence object of a finding (level 3), its key lines cached per key tuple."""
    if type(evidence) is not dict or not evidence:
        return dumps_indented(evidence, level=3)
    keys = tuple(evidence)
    heads = _EVIDENCE_HEADS.get(keys)
    if heads is None:
        if not all(type(key) is str for key in keys):
            return dumps_indented(evidence, level=3)
        heads = ("{\n        " + _encode(keys[0]) + ": ",
                 *(",\n        " + _encode(key) + ": " for key in keys[1:]))
        if len(_EVIDENCE_HEADS) < _EVIDENCE_HEADS_MAX:
            _EVIDENCE_HEADS[keys] = heads
    # strings, integers and None (most values) are written inline: a function call
    # per value would cost more than the encoding itself
    return "".join([head + (_encode(value) if (kind := type(value)) is str
                            else int.__repr__(value) if kind is int
                            else "null" if value is None
                            else _json_at(value, "        "))
                    for head, value in zip(heads, evidence.values())]) + "\n      }"


def _json_at(value, pad: str) -> str:
    """``dumps_indented(value)`` for a value written on a line indented by ``pad``.

    The shapes evidence holds (strings, integers, None, lists of ids or of link
    indices, ``names`` objects of strings) are written at once; anything else
    goes through :func:`dumps_indented`.
    """
    kind = type(value)
    if kind is str:
        return _encode(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is list and value:
        kinds = set(map(type, value))
        if len(kinds) == 1:
            inner = pad + "  "
            if str in kinds:
                return "[\n" + inner + (",\n" + inner).join(map(_encode, value)) + "\n" + pad + "]"
            if int in kinds:  # int exactly: bool is a subclass that JSON writes as true/false
                return "[\n" + inner + (",\n" + inner).join(map(int.__repr__, value)) \
                    + "\n" + pad + "]"
    elif kind is dict and value:
        inner = pad + "  "
        try:                  # names: {id: name}, strings only
            body = (",\n" + inner).join([_encode(key) + ": " + _encode(item)
                                         for key, item in value.items()])
        except TypeError:     # a key or a value that is not a string
            pass
        else:
            return "{\n" + inner + body + "\n" + pad + "}"
    return dumps_indented(value, level=len(pad) // 2)


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == json.encoder.INFINITY:
        return "Infinity"
    if value == -json.encoder.INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _json_key(key) -> str:
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, float):
        return _json_float(key)
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def dumps_indented(value, level: int = 0) -> str:
    """Return ``json.dumps(value, ensure_ascii=False, indent=2)``, built faster.

    ``level`` > 0 writes the value as it reads nested that many containers deep
    (its inner lines indented by ``2 * level`` more spaces).

    Strings go through the standard library's C string encoder and containers
    are joined in one list of parts, with lists of strings (subjects, id lists)
    joined at once; the output is the same character for character (the tests
    compare it with ``json.dumps`` on every kind of value).  Raises TypeError for
    a value JSON cannot hold, as ``json.dumps`` does.

    Examples
    --------
    >>> print(dumps_indented({"subject": ["V1"], "evidence": {"n": 2, "x": None, "e": []}}))
    {
      "subject": [
        "V1"
      ],
      "evidence": {
        "n": 2,
        "x": null,
        "e": []
      }
    }
    """
    encode = json.encoder.encode_basestring
    parts: list[str] = []
    add = parts.append

    def write(item, pad: str) -> None:
        kind = type(item)
        if kind is str:
            add(encode(item))
        elif kind is dict or (isinstance(item, dict)):
            if not item:
                add("{}")
                return
            inner = pad + "  "
            separator = ",\n" + inner
            add("{\n" + inner)
            first = True
            for key, entry in item.items():
                if first:
                    first = False
                else:
                    add(separator)
                name = encode(key if type(key) is str else _json_key(key))
                entry_kind = type(entry)
                if entry_kind is str:
                    add(name + ": " + encode(entry))
                elif entry_kind is int:
                    add(name + ": " + int.__repr__(entry))
                elif entry is None:
                    add(name + ": null")
                else:
                    add(name + ": ")
                    write(entry, inner)
            add("\n" + pad + "}")
        elif kind is list or kind is tuple or isinstance(item, (list, tuple)):
            if not item:
                add("[]")
                return
            inner = pad + "  "
            separator = ",\n" + inner
            kinds = set(map(type, item))
            if kinds == {str}:        # ids, subjects: one join
                add("[\n" + inner + separator.join(map(encode, item)) + "\n" + pad + "]")
                return
            if kinds == {int}:        # link indices, sizes
                add("[\n" + inner + separator.join(map(int.__repr__, item)) + "\n" + pad + "]")
                return
            add("[\n" + inner)
            first = True
            for entry in item:
                if first:
                    first = False
                else:
                    add(separator)
                write(entry, inner)
            add("\n" + pad + "]")
        elif item is None:
            add("null")
        elif item is True:
            add("true")
        elif item is False:
            add("false")
        elif isinstance(item, int):
            add(int.__repr__(item))
        elif isinstance(item, float):
            add(_json_float(item))
        elif isinstance(item, str):
            add(encode(item))
        else:
            raise TypeError(f"Object of type {item.__class__.__name__} is not JSON serializable")

    try:
        write(value, "  " * level)
    finally:
        # `write` refers to itself through its closure: drop that reference, or the cycle
        # (with the parts) waits for the cyclic GC, which orgnet check keeps paused
        del write
    return "".join(parts)


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
    """Return a Markdown report: the summary figures, then the findings by severity,
    region and check (one section per severity; the designed hierarchy folded)."""
    lang = report.lang
    w = _WORDS[lang]
    h = _HEADERS[lang]
    lines = [f"# {w['summary']}", ""]
    lines += [f"- {_md(line)}" for line in summary_lines(report.summary, lang)]
    lines.append("")
    if not report.findings:
        lines.append(w["none"])
    found = report_lines(report)
    for severity in ("high", "medium", "low"):
        rows = [line for line in found if line.severity == severity]
        if not rows:
            continue
        title = f"{w['findings']}：{_severity(severity, lang)}" if lang == "zh" \
            else f"{w['findings']}: {severity}"
        lines += [f"## {title}", "",
                  f"| {h['region']} | {h['check']} | {h['subject']} | {h['message']} "
                  f"| {h['suggestion']} |", "|---|---|---|---|---|"]
        lines += [f"| {_md(line.region)} | {_md(_check_label(line.check, lang))} | "
                  f"{_md(_subject_text(line, lang))} | {_md(line.message)} | "
                  f"{_md(line.suggestion)} |" for line in rows]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


#: the progress values of the register's 整改情况 dropdown (first: prefilled)
PROGRESS = {"zh": ("未整改", "整改中", "已整改"), "en": ("open", "in progress", "done")}
_REGISTER = {"zh": "问题台账", "en": "Register"}
_OVERVIEW = {"zh": "概况", "en": "Summary"}
_SOURCE = {"zh": "数据来源", "en": "Provenance"}


def to_xlsx(report) -> bytes:
    """Return the XLSX issue register (台账) a county office prints and fills in.

    Sheets: the register (one row per line of :func:`report_lines`: by severity,
    region, check; 对象名称 and 责任单位 filled), the summary (figures as numbers, rates
    with a percent format) and, when the report has one, the provenance.  Every
    sheet has an autofilter and a frozen header row and prints on A4 (the register
    landscape, the long narrow summary and provenance portrait), fit to the page
    width, the header repeated on every page.  整改情况 has a dropdown
    (未整改 / 整改中 / 已整改, prefilled 未整改).  Text is stored as text: nothing from
    the data becomes a formula.

    Examples
    --------
    >>> import io, openpyxl
    >>> from orgnet.queries.finding import Finding
    >>> from orgnet.queries.runner import Report
    >>> f = Finding("coverage.empty_org", "medium", ("O9",), "空支部", {"name": "=空支部"}, "撤销")
    >>> book = openpyxl.load_workbook(io.BytesIO(to_xlsx(Report({}, [f], lang="zh"))))
    >>> book.sheetnames
    ['问题台账', '概况']
    >>> [c.value for c in book["问题台账"][2]][:6]
    [1, '中', None, '党组织无党员', 'O9', '=空支部']
    >>> book["问题台账"]["F2"].data_type, book["问题台账"].auto_filter.ref
    ('s', 'A1:L2')
    """
    import openpyxl

    lang = report.lang
    book = openpyxl.Workbook()
    _register_sheet(book.active, report, lang)
    _overview_sheet(book.create_sheet(_OVERVIEW[lang]), report.summary or {}, lang)
    if getattr(report, "provenance", None):
        _provenance_sheet(book.create_sheet(_SOURCE[lang]), report.provenance, lang)
    from orgnet.loaders.template import _book_bytes

    return _book_bytes(book)


def _register_sheet(sheet, report, lang) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    h = _HEADERS[lang]
    sheet.title = _REGISTER[lang]
    columns = ["no", "severity", "region", "check", "subject", "name", "message",
               "suggestion", "regulation", "owner", "due", "status"]
    widths = [5, 6, 12, 14, 11, 14, 34, 34, 12, 16, 9, 8]
    rows = []
    for number, line in enumerate(report_lines(report), 1):
        spec = CATALOG.get(line.check)
        name = line.name or ", ".join(line.subject)
        rows.append([number, _severity(line.severity, lang), line.region,
                     _title(line.check, lang), _subject_text(line, lang), name,
                     line.message, line.suggestion,
                     ((spec.regulation or "") if spec else ""), line.responsible, None,
                     PROGRESS[lang][0]])
    _table(sheet, [h[c] for c in columns], rows, widths)
    if rows:
        status = openpyxl_letter(len(columns))
        check = DataValidation(type="list", formula1='"' + ",".join(PROGRESS[lang]) + '"',
                               allow_blank=True, showErrorMessage=True)
        sheet.add_data_validation(check)
        check.add(f"{status}2:{status}{len(rows) + 1}")
        due = openpyxl_letter(columns.index("due") + 1)
        for cell in sheet[due][1:]:
            cell.number_format = "yyyy-mm-dd"


def openpyxl_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _overview_sheet(sheet, summary, lang) -> None:
    """The summary as a table of numbers: counts as integers, rates as percentages."""
    w = _WORDS[lang]
    zh = lang == "zh"
    header = ["类别", "项目", "机构数", "数量", "比率"] if zh else \
        ["Group", "Item", "Institutions", "Count", "Rate"]
    rows = []
    nouns = {"links": "关系", "services": "服务"} if zh else {}
    for label, n in summary.get("counts", {}).items():
        rows.append([w["counts"], nouns.get(label) or (vocab(label, lang) if zh else label),
                     None, n, None])
    coverage = summary.get("coverage", {})
    entries = [(w["overall"], coverage.get("overall", {}))]
    entries += [(vocab(k, lang), e) for k, e in coverage.get("by_kind", {}).items()]
    for name, entry in entries:
        for title, part, rate in ((w["coverage"], "covered", "coverage_rate"),
                                  (w["own"], "own_branch", "own_branch_rate"),
                                  (w["work"], "work_covered", "work_coverage_rate")):
            rows.append([title, name, entry.get("institutions", 0), entry.get(part, 0),
                         entry.get(rate)])
    referrals = summary.get("referrals", {})
    for key, word in (("up", "up"), ("down", "down"), ("same_level", "same")):
        rows.append([w["referrals"], w[word], None, referrals.get(key, 0), None])
    united = summary.get("united_front", {}).get("overall", {})
    if united.get("representatives"):
        title = w["united_front"]
        rows.append([title, w["representatives"], None, united.get("representatives", 0), None])
        rows.append([title, w["contact_rate"], united.get("representatives", 0),
                     united.get("contacted", 0), united.get("contact_rate")])
        rows.append([title, w["station_rate"], united.get("townships", 0),
                     united.get("townships_with_station", 0),
                     united.get("station_coverage_rate")])
    findings = summary.get("findings", {})
    for severity, n in findings.get("by_severity", {}).items():
        rows.append([w["findings"], _severity(severity, lang), None, n, None])
    for check_id, n in findings.get("by_check", {}).items():
        if n:
            rows.append([w["by_check"], _title(check_id, lang), None, n, None])
    _table(sheet, header, rows, [16, 30, 10, 10, 10], "portrait")   # a long narrow table
    for cell in sheet["E"][1:]:
        cell.number_format = "0.0%"


def _provenance_sheet(sheet, provenance, lang) -> None:
    header = ["项目", "值"] if lang == "zh" else ["Item", "Value"]
    rows = [[key, value] for key, value in _flat(provenance)]
    _table(sheet, header, rows, [36, 80], "portrait")


def _flat(value, prefix=""):
    """``(dotted key, scalar)`` pairs of a nested dict/list, in order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flat(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _flat(item, f"{prefix}[{i}]")
    else:
        yield prefix, value


def _table(sheet, header, rows, widths, orientation: str = "landscape") -> None:
    """Write a header and rows with the register's layout and print setup."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from copy import copy

    append_row(sheet, header)
    for row in rows:
        append_row(sheet, row)
    shared = {}   # one shared style per kind of cell: setting it per cell is slow
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":      # data never becomes a formula
                cell.data_type = "s"
            kind = bool(cell.quotePrefix)  # formula-like text keeps its text mark
            if kind not in shared:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                shared[kind] = cell._style
            else:
                cell._style = copy(shared[kind])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[openpyxl_letter(index)].width = width
    # wrapped rows get their height: neither Excel nor LibreOffice sizes them on opening
    for number, row in enumerate(sheet.iter_rows(), 1):
        lines = max((-(-display_width(str(c.value)) // max(w - 1, 1)) if c.value is not None else 1
                     for c, w in zip(row, widths)), default=1)
        sheet.row_dimensions[number].height = 15 * max(lines, 1)
    last = openpyxl_letter(len(header))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.gridLines = True


def render_report(report, fmt: str = "table", *, width: int | None = None):
    """Return a report in one of :data:`FORMATS` (bytes for xlsx, str otherwise).

    Examples
    --------
    >>> from orgnet.queries.runner import Report
    >>> render_report(Report({}, []), "json")
    '{\\n  "summary": {},\\n  "findings": []\\n}\\n'
    """
    if fmt == "table":
        return _table_text(report, width)
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "markdown":
        return to_markdown(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
