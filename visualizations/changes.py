"""Report sections about change: "changes since" a baseline, and trend charts per period.

:func:`changes_section` draws a :class:`~queries.compare.Comparison` (resolved and
new counts, every rate with its change and an arrow, the new findings with the
high ones first); :func:`trend_section` draws :func:`orgnet.queries.periods.trend` as
small multiples, one inline-SVG line chart per figure (offline, printable).
Both return HTML fragments that :func:`orgnet.visualizations.report.report_html`
places after the summary; every data string is escaped.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph
>>> from orgnet.queries.compare import compare_graphs
>>> G = new_graph("<b>x</b>")
>>> html_text = changes_section(compare_graphs(G, G), "zh")
>>> "<b>x</b>" in html_text, "自" in html_text
(False, True)
"""

from __future__ import annotations

import html

from orgnet.queries.compare_export import figure_label, format_delta, format_value
from orgnet.queries.finding import severity_rank
from orgnet.queries.periods import TREND_FIGURES

__all__ = ["changes_section", "trend_section", "CHANGES_CSS"]

_TEXT = {
    "en": {"changes": "Changes since {baseline}", "resolved": "resolved", "new": "new",
           "changed": "changed", "persisting": "persisting", "figure": "Figure",
           "before": "before", "after": "now", "change": "change",
           "new_findings": "New findings", "none": "No new findings.",
           "severity": "Severity", "subject": "Subject", "problem": "Problem",
           "suggestion": "Suggestion", "matched": "{matched} ids matched",
           "trend": "By period ({by})", "quarter": "quarter", "month": "month", "year": "year",
           "coarser": "{n} links dated more coarsely than a {by} are in no period.",
           "referrals_up": "Referrals up", "referrals_down": "Referrals down",
           "referrals_same_level": "Referrals at the same level",
           "one_way_pairs": "One-way referral pairs", "broken_chains": "Broken chains",
           "liaison_ties": "Active liaison ties", "pairing_ties": "Active pairing ties",
           "high": "high", "medium": "medium", "low": "low"},
    "zh": {"changes": "自 {baseline} 以来的变化", "resolved": "已整改", "new": "新出现",
           "changed": "有变化", "persisting": "仍存在", "figure": "指标", "before": "基线",
           "after": "现在", "change": "变化", "new_findings": "新出现的问题",
           "none": "没有新出现的问题。", "severity": "严重程度", "subject": "对象",
           "problem": "问题", "suggestion": "整改建议", "matched": "编号匹配 {matched} 个",
           "trend": "分时期（{by}）", "quarter": "季度", "month": "月", "year": "年",
           "coarser": "另有 {n} 条关系的时期比{by}粗，未计入任何时期。",
           "referrals_up": "上转", "referrals_down": "下转", "referrals_same_level": "同级转诊",
           "one_way_pairs": "单向转诊对数", "broken_chains": "转诊链断裂",
           "liaison_ties": "有效联点联系", "pairing_ties": "有效结对共建",
           "high": "高", "medium": "中", "low": "低"},
}

#: Styles of the sections (added to the report's own).
CHANGES_CSS = """
.delta-up { color: #1a7f37; } .delta-down { color: #c00000; }
.multiples { display: flex; flex-wrap: wrap; gap: 1rem; }
.multiples figure { margin: 0; } .multiples figcaption { font-size: .85rem; font-weight: bold; }
svg.trend text { font-family: inherit; }
@media print { .multiples { gap: .4rem; } }
"""


def _t(key: str, lang: str, **fields) -> str:
    return _TEXT[lang][key].format(**fields)


def _rate_rows(comparison) -> list[dict]:
    """Every rate of the comparison (headline first), then the other headline figures."""
    rows = [r for r in comparison.figures if r["figure"].endswith("_rate")]
    shown = {r["figure"] for r in rows}
    return rows + [r for r in comparison.figures[:9] if r["figure"] not in shown]


def changes_section(comparison, lang: str = "en", baseline: str | None = None) -> str:
    """Return the "changes since" section of the report.

    Parameters
    ----------
    comparison : queries.compare.Comparison
        BEFORE = the baseline, AFTER = the report's dataset.
    lang : {"en", "zh"}
    baseline : str, optional
        How to name the baseline (default: its dataset name).
    """
    esc = html.escape
    name = baseline or comparison.before.summary.get("dataset", "")
    counts = "".join(
        f'<div class="card"><div class="figure">{n}</div>'
        f'<div class="caption">{esc(_t(key, lang))}</div></div>'
        for key, n in (("resolved", len(comparison.resolved)), ("new", len(comparison.new)),
                       ("changed", len(comparison.changed)),
                       ("persisting", len(comparison.persisting))))
    rows = []
    for row in _rate_rows(comparison):
        path, delta = row["figure"], row["change"]
        better = (delta or 0) > 0
        if path.startswith("findings."):
            better = not better
        css = "" if not delta else ("delta-up" if better else "delta-down")
        rows.append(f"<tr><th>{esc(figure_label(path, lang))}</th>"
                    f"<td>{esc(format_value(path, row['before']))}</td>"
                    f"<td>{esc(format_value(path, row['after']))}</td>"
                    f'<td class="{css}">{esc(format_delta(path, delta, lang))}</td></tr>')
    figures = (f'<table class="small"><tr><th>{esc(_t("figure", lang))}</th>'
               f'<th>{esc(_t("before", lang))}</th><th>{esc(_t("after", lang))}</th>'
               f'<th>{esc(_t("change", lang))}</th></tr>{"".join(rows)}</table>')
    new = sorted(comparison.new, key=lambda f: severity_rank(f.severity))
    if new:
        items = "".join(
            f'<tr><td><span class="sev sev-{esc(f.severity)}">{esc(_t(f.severity, lang))}'
            f"</span></td><td>{esc(', '.join(f.subject))}</td><td>{esc(f.message)}</td>"
            f"<td>{esc(f.suggestion)}</td></tr>" for f in new)
        table = (f'<table id="new-findings" class="small"><tr><th>{esc(_t("severity", lang))}'
                 f'</th><th>{esc(_t("subject", lang))}</th><th>{esc(_t("problem", lang))}</th>'
                 f'<th>{esc(_t("suggestion", lang))}</th></tr>{items}</table>')
    else:
        table = f"<p>{esc(_t('none', lang))}</p>"
    warning = (f'<p class="note">{esc(comparison.warning)}</p>' if comparison.warning else "")
    matched = esc(_t("matched", lang, matched=comparison.entities.get("matched", 0)))
    return (f'<section id="changes"><h2>{esc(_t("changes", lang, baseline=name))}</h2>'
            f'{warning}<p class="meta">{matched}</p><div class="cards">{counts}</div>'
            f'<div class="tables">{figures}</div>'
            f'<h3>{esc(_t("new_findings", lang))}</h3>{table}</section>')


def _line_chart(title: str, periods: list[str], values: list[int]) -> str:
    esc = html.escape
    width, height, left, bottom, top = 260, 140, 36, 22, 10
    inner_w, inner_h = width - left - 26, height - bottom - top
    most = max(values + [1])
    step = inner_w / max(len(values) - 1, 1)
    points = [(left + i * step, top + inner_h * (1 - v / most)) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    marks = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#c00000">'
                    f"<title>{esc(p)}: {v}</title></circle>"
                    for (x, y), p, v in zip(points, periods, values))
    labels = "".join(f'<text x="{x:.1f}" y="{height - 6}" font-size="9" text-anchor="middle">'
                     f"{esc(p)}</text>" for (x, _), p in zip(points, periods)
                     if len(periods) <= 8 or periods.index(p) % max(len(periods) // 6, 1) == 0)
    axis = (f'<line x1="{left}" y1="{top + inner_h}" x2="{left + inner_w}" y2="{top + inner_h}" '
            f'stroke="#999"/><text x="{left - 4}" y="{top + 8}" font-size="9" '
            f'text-anchor="end">{most}</text><text x="{left - 4}" y="{top + inner_h}" '
            f'font-size="9" text-anchor="end">0</text>')
    return (f"<figure><figcaption>{esc(title)}</figcaption>"
            f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
            f' role="img" aria-label="{esc(title)}">{axis}'
            f'<polyline points="{path}" fill="none" stroke="#c00000" stroke-width="2"/>'
            f"{marks}{labels}</svg></figure>")


def trend_section(result: dict, lang: str = "en") -> str:
    """Return small multiples of :func:`orgnet.queries.periods.trend`: one line chart per figure.

    Returns an empty string when fewer than two periods have dated links.

    Examples
    --------
    >>> rows = [dict(period=p, **{f: i for f in TREND_FIGURES}) for i, p in
    ...         enumerate(["2025-Q1", "2025-Q2"])]
    >>> "<svg" in trend_section({"by": "quarter", "periods": rows, "coarser": 0})
    True
    >>> trend_section({"by": "quarter", "periods": rows[:1], "coarser": 0})
    ''
    """
    esc = html.escape
    rows = result["periods"]
    if len(rows) < 2:
        return ""
    periods = [r["period"] for r in rows]
    charts = "".join(_line_chart(_t(f, lang), periods, [int(r[f]) for r in rows])
                     for f in TREND_FIGURES)
    by = _t(result["by"], lang)
    note = (f'<p class="hint">{esc(_t("coarser", lang, n=result["coarser"], by=by))}</p>'
            if result["coarser"] else "")
    return (f'<section id="trend"><h2>{esc(_t("trend", lang, by=by))}</h2>'
            f'<div class="multiples">{charts}</div>{note}</section>')

