"""``orgnet map --view resilience``: the units map with each institution sized by the
impact of its loss (:func:`queries.resilience.resilience`).

The impact of a unit is the number of findings its loss would cause plus the number
of institutions it would cut off; units whose loss causes nothing keep the smallest
size.  The map runs no checks: it takes the findings and the ranking it is given.

Examples
--------
>>> from graphmodel.embedded import new_graph, add_link
>>> G = new_graph("demo")
>>> for n in ("A", "B", "C"):
...     G.add_node(n, label="Institution", name=n, kind="township_health_center", level="township")
>>> add_link(G, "A", "B", link_type="pairing", link_index=0)
>>> add_link(G, "B", "C", link_type="pairing", link_index=1)
>>> unit_impacts(G)
{'B': 3}
>>> "<html" in resilience_map_html(G, lang="zh")
True
"""

from __future__ import annotations

import networkx as nx

__all__ = ["unit_impacts", "resilience_map_html"]


def unit_impacts(G: nx.MultiDiGraph, items=None) -> dict:
    """Return ``{institution: findings caused + institutions cut off}`` for units whose loss harms."""
    if items is None:
        from queries.resilience import resilience

        items = resilience(G, kinds=("unit",))
    return {i.id: len(i.hits) + len(i.cut_off) for i in items if i.kind == "unit"}


def resilience_map_html(G: nx.MultiDiGraph, findings=(), *, lang: str = "en", items=None,
                        **options) -> str:
    """Return the units map sized by impact (``options`` as for :func:`visualizations.maps.map_html`)."""
    from visualizations.maps import map_html

    impacts = unit_impacts(G, items)
    dataset = G.graph.get("dataset") or ""
    title = ("关键机构（按失去后的影响大小显示）" if lang == "zh"
             else "Key units (sized by the impact of their loss)")
    top = sorted(impacts.items(), key=lambda item: (-item[1], item[0]))[:3]
    names = "、".join(f"{G._node[n].get('name') or n}（{v}）" for n, v in top) if lang == "zh" \
        else ", ".join(f"{G._node[n].get('name') or n} ({v})" for n, v in top)
    note = (f"机构大小＝失去该机构将引发的问题数＋被切断的机构数。影响最大：{names}" if lang == "zh"
            else f"Size = findings its loss would cause + institutions it would cut off. "
                 f"Largest: {names}")
    return map_html(G, findings, view="units", lang=lang, sizes=impacts,
                    title=f"{title} · {dataset}".strip(" ·"),
                    notes=list(options.pop("notes", ())) + ([note] if impacts else []), **options)
