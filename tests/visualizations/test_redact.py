"""Pseudonyms are stable, keyed, unique, and replace names everywhere."""

from dataclasses import replace

from orgnet.graphmodel.embedded import new_graph
from orgnet.graphmodel.schema import MEMBER
from orgnet.visualizations.maps import map_html
from orgnet.visualizations.redact import (
    KEY_VARIABLE, pseudonym, pseudonyms, redact_findings, redact_graph, redact_text,
)

NAMES = ("王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊")


def test_pseudonyms_are_stable_and_keyed(monkeypatch):
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    first = pseudonym("M1", lang="zh")
    assert first == pseudonym("M1", lang="zh")
    assert first.startswith("党员-") and len(first) == len("党员-") + 4
    assert pseudonym("M2", lang="zh") != first
    monkeypatch.setenv(KEY_VARIABLE, "another key")
    assert pseudonym("M1", lang="zh") != first


def test_non_party_people_are_not_called_party_members():
    assert pseudonym("M6", lang="zh", key=b"k", status="non_party").startswith("人员-")
    assert pseudonym("M6", lang="en", key=b"k", status="non_party").startswith("Person-")
    assert pseudonym("M1", lang="en", key=b"k", status="probationary").startswith("Member-")


def test_pseudonyms_grow_until_unique():
    G = new_graph()
    for i in range(2000):                 # 2,000 ids in 65,536 4-digit codes: collisions
        G.add_node(f"M{i}", label=MEMBER, name=f"n{i}", status="full")
    names = pseudonyms(G, key=b"k")
    assert len(set(names.values())) == 2000
    assert len(names["M0"]) > len("Member-") + 4


def test_redact_graph_replaces_names_and_drops_extra_columns(tiny_graph):
    tiny_graph.nodes["M1"]["phone"] = "13900000000"
    H, names = redact_graph(tiny_graph, lang="zh", key=b"k")
    assert set(names) == set(NAMES)
    for member in ("M1", "M6"):
        alias = names.aliases[member]
        assert member not in H                                    # ids are personal data too
        assert H.nodes[alias]["name"] == alias == names[tiny_graph.nodes[member]["name"]]
    assert "phone" not in H.nodes[names.aliases["M1"]]
    assert H.nodes[names.aliases["M1"]]["roles"] == tiny_graph.nodes["M1"]["roles"]
    assert tiny_graph.nodes["M1"]["name"] == "王伟"              # the input is untouched
    assert H.nodes["H1"] == tiny_graph.nodes["H1"]                # only members change


def test_redact_text_prefers_the_longest_name_and_does_not_touch_pseudonyms():
    names = {"王伟": "党员-AAAA", "王伟华": "党员-BBBB", "党员": "党员-CCCC"}
    assert redact_text("王伟华与王伟", names) == "党员-BBBB与党员-AAAA"
    assert redact_text("no names", names) == "no names"
    assert redact_text("党员王伟", names) == "党员-CCCC党员-AAAA"


def test_redact_findings_reaches_message_suggestion_and_nested_evidence(tiny_report, tiny_graph):
    single = [f for f in tiny_report.findings if f.check == "connectivity.single_liaison"]
    assert single and "王伟" in single[0].message
    extra = replace(single[0], evidence={"people": [{"name": "王伟"}], "n": 1},
                    suggestion="ask 王伟")
    _, names = redact_graph(tiny_graph, key=b"k")
    out = redact_findings([single[0], extra], names)
    for f in out:
        assert "王伟" not in f.message + f.suggestion + str(f.evidence)
    assert out[1].evidence == {"people": [{"name": names["王伟"]}], "n": 1}


def test_a_redacted_map_holds_no_member_name(tiny_graph, tiny_report):
    page = map_html(tiny_graph, tiny_report.findings, view="full", redact=True)
    for name in NAMES:
        assert name not in page
    plain = map_html(tiny_graph, tiny_report.findings, view="full")
    assert all(name in plain for name in NAMES)                  # the near miss
