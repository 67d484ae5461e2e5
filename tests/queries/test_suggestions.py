"""Following a suggestion creates no other finding: each one is applied and the checks rerun.

The ties a suggestion names are in the evidence (``link_from``/``link_to``,
``target``, ``missing_hops``); the suggestion's text says of which type (a pairing;
referrals both ways).  Applying them must add no finding of any check, except a
``single_link_unit`` of the same unit whose one neighbour is its own parent: the
designed hierarchy, which the planner's view folds away (queries.planner).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from orgnet.graphmodel.embedded import add_link
from orgnet.loaders import load_graph
from orgnet.loaders.generate import generate_dataset
from orgnet.queries.runner import run_checks

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"


def _ties(f):
    """The links a finding's suggestion asks for: (source, target, type)."""
    e = f.evidence
    if f.check in ("connectivity.cut_unit", "connectivity.bridge_link",
                   "connectivity.disconnected_component") and e.get("link_from"):
        return [(e["link_from"], e["link_to"], "pairing")]
    if f.check in ("connectivity.single_link_unit", "connectivity.isolated_unit") \
            and e.get("link_to"):
        return [(f.subject[0], e["link_to"], "pairing")]
    if f.check == "referral.no_upward_referral" and e.get("target") \
            and e.get("target_reason") == "parent":
        return [(f.subject[0], e["target"], "referral"), (e["target"], f.subject[0], "referral")]
    if f.check == "referral.broken_chain":
        return [t for a, b in e.get("missing_hops", [])
                for t in ((a, b, "referral"), (b, a, "referral"))]
    if f.check == "referral.one_way":
        return [(f.subject[1], f.subject[0], "referral")]
    return []


def _words(f):
    """What the suggestion text says the tie is."""
    if f.check.startswith("connectivity."):
        return "结对共建"
    return "双向转诊" if f.check == "referral.one_way" else "上转并回转"


@pytest.fixture(scope="module", params=["example", "generated"])
def graph(request, tmp_path_factory):
    if request.param == "example":
        return load_graph(EXAMPLE)
    path = tmp_path_factory.mktemp("gen") / "county"
    generate_dataset(path, counties=1, seed=3)
    return load_graph(path)


def test_following_each_suggestion_creates_no_other_finding(graph):
    before = run_checks(graph, lang="zh")
    seen = {(f.check, f.subject) for f in before.findings}
    applied = 0
    for number, f in enumerate(before.findings):
        ties = _ties(f)
        if not ties:
            continue
        assert _words(f) in f.suggestion, f.suggestion
        G = copy.deepcopy(graph)
        for k, (a, b, kind) in enumerate(ties):
            add_link(G, a, b, link_type=kind, link_index=10**6 + 100 * number + k, count=1)
        new = [x for x in run_checks(G).findings if (x.check, x.subject) not in seen]
        designed = [x for x in new if x.check == "connectivity.single_link_unit"
                    and x.subject == f.subject[:1]
                    and G.nodes[x.subject[0]].get("parent_id") == x.evidence["neighbour"]]
        assert [(x.check, x.subject) for x in new if x not in designed] == [], \
            (f.check, f.subject, ties)
        applied += 1
    assert applied >= 10


def test_a_village_clinic_is_never_told_to_refer_straight_to_the_county(graph):
    report = run_checks(graph, lang="zh")
    for f in report.findings:
        if f.check == "referral.no_upward_referral" and f.evidence.get("level") == "village" \
                and f.evidence.get("target_reason") not in (None, "parent"):
            assert "经乡镇卫生院" in f.suggestion and "不越级" in f.suggestion
        if f.check.startswith("connectivity."):
            assert "转诊" not in f.suggestion
