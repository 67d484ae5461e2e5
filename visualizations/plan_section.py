"""The action plan as a section of the HTML report (``orgnet report --plan``).

Everything from the data is escaped; the section holds the before/after figures, the
actions and the findings the plan cannot close.

Examples
--------
>>> from queries.plan import Action, Plan
>>> a = Action("A001", "join_org", ["V1"], {"en": "Bring <V1> under O1.", "zh": "将V1纳入O1。"},
...            "O1", [], 1)
>>> html = plan_section_html(Plan([a], [], {}, {}), "en")
>>> "&lt;V1&gt;" in html and "<V1>" not in html
True
"""

from __future__ import annotations

import html

__all__ = ["plan_section_html"]


def plan_section_html(plan, lang: str = "en") -> str:
    """Return ``<section id="plan">`` with the figures, the actions and what stays open."""
    from queries.catalog import load_checks
    from queries.export_diff import figure_label, figure_value
    from queries.export_plan import _W, _closes, _figures, _kind

    load_checks()
    esc = html.escape
    w = _W[lang]
    rows = "".join(
        f"<tr><td>{esc(a.id)}</td><td>{a.priority}</td><td>{esc(_kind(a.kind, lang))}</td>"
        f"<td>{esc(', '.join(a.subjects))}</td><td>{esc(a.text[lang])}</td>"
        f"<td>{esc(a.org or '')}</td><td>{esc(_closes(a, lang))}</td></tr>" for a in plan.actions)
    figures = "".join(
        f"<tr><td>{esc(figure_label(r['figure'], lang))}</td>"
        f"<td>{esc(figure_value(r['figure'], r['before']))}</td>"
        f"<td>{esc(figure_value(r['figure'], r['after']))}</td></tr>" for r in _figures(plan))
    before_after = ("整改前", "整改后") if lang == "zh" else ("Before", "After")
    parts = [f'<section id="plan"><h2>{esc(w["title"])}</h2>',
             f"<h3>{esc(w['figures'])}</h3><table><thead><tr><th></th><th>{before_after[0]}</th>"
             f"<th>{before_after[1]}</th></tr></thead><tbody>{figures}</tbody></table>"]
    if plan.actions:
        head = "".join(f"<th>{esc(w[k])}</th>" for k in ("id", "priority", "kind", "subjects", "text",
                                                          "org", "closes"))
        parts.append(f"<h3>{esc(w['actions'])}</h3><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    else:
        parts.append(f"<p>{esc(w['none'] if not plan.findings_before else w['no_actions'])}</p>")
    if plan.unclosable:
        from queries.export import _check_label

        body = "".join(f"<tr><td>{esc(_check_label(u['check'], lang))}</td>"
                       f"<td>{esc(', '.join(u['subject']))}</td><td>{esc(u['reason'])}</td></tr>"
                       for u in plan.unclosable)
        parts.append(f"<h3>{esc(w['unclosable'])}</h3><table><thead><tr><th>{esc(w['check'])}</th>"
                     f"<th>{esc(w['subject'])}</th><th>{esc(w['reason'])}</th></tr></thead>"
                     f"<tbody>{body}</tbody></table>")
    parts.append("</section>")
    return "".join(parts)
