"""``orgnet map --view resilience``: the units map with each institution sized by the
impact of its loss (:func:`orgnet.queries.resilience.resilience`).

The impact of a unit is the number of findings its loss would cause plus the number
of institutions it would cut off; units whose loss causes nothing keep the smallest
size.  The map runs no checks: it takes the findings and the ranking it is given.

Examples
--------
>>> from orgnet.graphmodel.embedded import new_graph, add_link
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

__all__ = ["unit_impacts", "resilience_map_model", "resilience_map_html"]


def unit_impacts(G: nx.MultiDiGraph, items=None) -> dict:
    """Return ``{institution: findings caused + institutions cut off}`` for units whose loss harms."""
    if items is None:
        from orgnet.queries.resilience import resilience

        items = resilience(G, kinds=("unit",))
    return {i.id: len(i.hits) + len(i.cut_off) for i in items if i.kind == "unit"}


def resilience_map_html(G: nx.MultiDiGraph, findings=(), *, lang: str = "en", **options) -> str:
    """Return the page of :func:`resilience_map_model`."""
    from orgnet.visualizations.maps import map_context
    from orgnet.visualizations.templating import render

    return render("map.html.j2", **map_context(resilience_map_model(G, findings, lang=lang,
                                                                    **options), lang))


def resilience_map_model(G: nx.MultiDiGraph, findings=(), *, lang: str = "en", items=None,
                         region=None, community=None, check=None, redact: bool = False) -> dict:
    """Return the units map model with each institution sized by the impact of its loss.

    Built on :func:`orgnet.visualizations.maps.map_model`: the units view, then the size of
    every institution of every layer set from :func:`unit_impacts` (no edit of the
    map code).
    """
    from orgnet.visualizations import encoding as enc
    from orgnet.visualizations.maps import map_model
    from orgnet.visualizations.redact import redacted_view

    impacts = unit_impacts(G, items)
    findings = list(findings)
    notes = []
    if redact:
        G, findings, _ = redacted_view(G, findings, lang=lang)
        notes.append(enc.text("redacted", lang))
    dataset = G.graph.get("dataset") or ""
    title = ("关键机构（按失去后的影响大小显示）" if lang == "zh"
             else "Key units (sized by the impact of their loss)")
    top = sorted(impacts.items(), key=lambda item: (-item[1], item[0]))[:3]
    names = "、".join(f"{G._node[n].get('name') or n}（{v}）" for n, v in top) if lang == "zh" \
        else ", ".join(f"{G._node[n].get('name') or n} ({v})" for n, v in top)
    if impacts:
        notes.append(f"机构大小＝失去该机构将引发的问题数＋被切断的机构数。影响最大：{names}" if lang == "zh"
                     else f"Size = findings its loss would cause + institutions it would cut off. "
                          f"Largest: {names}")
    model = map_model(G, findings, view="units", region=region, community=community, check=check,
                      lang=lang, title=f"{title} · {dataset}".strip(" ·"), notes=notes)
    most = max(impacts.values(), default=0)
    for layer in model.get("layers", {}).values():
        for node in layer.get("nodes", ()):
            if G._node.get(node.get("id"), {}).get("label") == "Institution":
                node["z"] = enc.node_size(impacts.get(node["id"], 0), most,
                                          smallest_size=10, biggest_size=30)
    return model
