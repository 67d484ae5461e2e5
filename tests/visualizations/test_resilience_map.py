"""orgnet map --view resilience: units sized by the impact of their loss."""

from __future__ import annotations

from click.testing import CliRunner

from orgnet.graphmodel.embedded import add_link, new_graph
from orgnet.cli import main
from orgnet.visualizations.resilience_map import resilience_map_model, unit_impacts


def test_the_unit_whose_loss_harms_most_is_the_biggest():
    G = new_graph("demo")
    for n in ("A", "B", "C", "D"):
        G.add_node(n, label="Institution", name=n, kind="township_health_center", level="township")
    for i, (a, b) in enumerate((("A", "B"), ("B", "C"), ("C", "D"), ("B", "D"))):
        add_link(G, a, b, link_type="pairing", link_index=i)
    assert unit_impacts(G) == {"B": 2}
    model = resilience_map_model(G)
    sizes = {n["id"]: n["z"] for layer in model["layers"].values() for n in layer["nodes"]}
    assert sizes["B"] == max(sizes.values()) > sizes["C"] == sizes["A"]


def test_command(tiny_dir, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["map", str(tiny_dir), "--view", "resilience", "-o", str(out),
                                       "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "关键机构" in out.read_text(encoding="utf-8")
