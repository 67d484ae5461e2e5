"""Positions: distinct, trees together, labels apart, deterministic."""

import math
from pathlib import Path

from orgnet.loaders import load_graph
from orgnet.visualizations.layout import label_boxes, positions
from orgnet.visualizations.views import VIEWS, build_view


def test_positions_are_distinct_and_trees_stay_together(tiny_graph):
    for view in VIEWS:
        built = build_view(tiny_graph, view)
        pos = positions(built)
        assert set(pos) == set(built.nodes)
        assert len(set(pos.values())) == len(pos)
    party = positions(build_view(tiny_graph, "party"))
    assert party["O1"][1] < party["O2"][1] < party["T1"][1]        # top-down tree


def test_three_or_more_trees_form_a_wheel_around_the_loose_units():
    from orgnet.visualizations.views import View, ViewNode

    view = View("units")
    view.nodes["CITY"] = ViewNode("CITY", "Institution", "市医院", "city_hospital")
    for t in range(4):
        view.nodes[f"H{t}"] = ViewNode(f"H{t}", "Institution", "县医院", "county_hospital")
        for v in range(5):
            view.nodes[f"V{t}{v}"] = ViewNode(f"V{t}{v}", "Institution", "村", "village_clinic")
            view.parent[f"V{t}{v}"] = f"H{t}"
    pos = positions(view)
    assert pos["CITY"] == (0.0, 0.0)                       # the hub in the middle
    radii = {round((pos[f"H{t}"][0] ** 2 + pos[f"H{t}"][1] ** 2) ** 0.5) for t in range(4)}
    assert len(radii) == 1 and radii.pop() > 0              # the trees on one ring
    spread = [((pos[f"V{t}{v}"][0] - pos[f"H{t}"][0]) ** 2
               + (pos[f"V{t}{v}"][1] - pos[f"H{t}"][1]) ** 2) ** 0.5
              for t in range(4) for v in range(5)]
    gap = min(((pos[f"H{a}"][0] - pos[f"H{b}"][0]) ** 2
               + (pos[f"H{a}"][1] - pos[f"H{b}"][1]) ** 2) ** 0.5
              for a in range(4) for b in range(a + 1, 4))
    assert gap > 2 * max(spread)                            # neighbouring trees do not overlap


def overlapping_boxes(view, pos):
    boxes = label_boxes(view, pos)
    names = sorted(boxes)
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
            if boxes[a][0] < boxes[b][2] and boxes[b][0] < boxes[a][2]
            and boxes[a][1] < boxes[b][3] and boxes[b][1] < boxes[a][3]]


def hub_and_tree(trees=1):
    """Loose units with long Chinese names (bureau, MCH, party station) beside trees."""
    from orgnet.visualizations.views import View, ViewNode

    view = View("units")
    for node, name, kind in (("HB", "清河县卫生健康局", "health_bureau"),
                             ("MCH", "清河县妇幼保健计划生育服务中心", "mch_hospital"),
                             ("PS", "城关镇党群服务中心", "party_service_station")):
        view.nodes[node] = ViewNode(node, "Institution", name, kind)
    for t in range(trees):
        view.nodes[f"C{t}"] = ViewNode(f"C{t}", "Institution", "清河县人民医院（医共体总院）",
                                       "county_hospital")
        for k in range(3):
            town = f"T{t}{k}"
            view.nodes[town] = ViewNode(town, "Institution", "石桥镇卫生院（总院石桥分院）",
                                        "township_health_center")
            view.parent[town] = f"C{t}"
            for v in range(5):
                village = f"V{t}{k}{v}"
                view.nodes[village] = ViewNode(village, "Institution", "鹰岭村卫生室",
                                               "village_clinic")
                view.parent[village] = town
    return view


def test_units_outside_the_trees_are_spaced_for_their_labels():
    for trees in (1, 3):                                   # rows and wheel layouts
        view = hub_and_tree(trees)
        pos = positions(view)
        assert overlapping_boxes(view, pos) == []
        closest = min(math.dist(pos[a], pos[b]) for a in pos for b in pos if a < b)
        assert closest >= 40                               # two node diameters at least
        # the loose units: side by side at least half their two labels apart
        assert abs(pos["HB"][0] - pos["MCH"][0]) >= (8 + 15) * 14 / 2 \
            or abs(pos["HB"][1] - pos["MCH"][1]) >= 60
        assert positions(view) == pos                       # deterministic


def test_labels_of_every_view_do_not_overlap(tiny_graph):
    for view_name in VIEWS:
        view = build_view(tiny_graph, view_name)
        assert overlapping_boxes(view, positions(view)) == []
    example = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"
    if example.is_dir():
        G = load_graph(example)
        for view_name in VIEWS:
            view = build_view(G, view_name)
            assert overlapping_boxes(view, positions(view)) == [], view_name
