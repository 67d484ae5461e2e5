"""orgnet map --view resilience: units sized by the impact of their loss."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from graphmodel.embedded import add_link, new_graph
from orgnet.cli import main
from visualizations.resilience_map import resilience_map_html, unit_impacts


def _sizes(page):
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))
    return {n["id"]: n["size"] for n in nodes}


def test_the_unit_whose_loss_harms_most_is_the_biggest():
    G = new_graph("demo")
    for n in ("A", "B", "C", "D"):
        G.add_node(n, label="Institution", name=n, kind="township_health_center", level="township")
    for i, (a, b) in enumerate((("A", "B"), ("B", "C"), ("C", "D"), ("B", "D"))):
        add_link(G, a, b, link_type="pairing", link_index=i)
    assert unit_impacts(G) == {"B": 2}
    sizes = _sizes(resilience_map_html(G))
    assert sizes["B"] == max(sizes.values()) > sizes["C"] == sizes["A"]


def test_command(tiny_dir, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["map", str(tiny_dir), "--view", "resilience", "-o", str(out),
                                       "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "关键机构（按失去后的影响大小显示）" in out.read_text(encoding="utf-8")


def test_map_with_the_plan_dashes_the_proposed_ties(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"
    out = tmp_path / "p.html"
    result = CliRunner().invoke(main, ["map", str(example), "--plan", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))
    dashed = [e for e in edges if e.get("dashes") == [8, 6]]
    assert dashed and len(dashed) < len(edges)
    plain = tmp_path / "m.html"
    CliRunner().invoke(main, ["map", str(example), "-o", str(plain)])
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);",
                                 plain.read_text(encoding="utf-8"), re.S).group(1))
    assert not [e for e in edges if e.get("dashes") == [8, 6]]
