"""report --plan and map --plan: the plan section and the overlay (proposed ties dashed,
proposed joint branches framed), escaped, in both languages."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from conftest import write_csv_tables
from orgnet.loaders import load_graph
from orgnet.queries.plan import make_plan, prove_plan
from orgnet.queries.runner import run_checks
from orgnet.visualizations.maps import external_resources, page_model
from orgnet.visualizations.plan_overlay import plan_map_html, plan_map_model, plan_section
from orgnet.visualizations.report import report_html

from .conftest import XSS_NAME


def plan_tables(name=XSS_NAME):
    """A county: a hospital, an uncovered township center without members, six uncovered
    clinics with full members (two joint branches: five clinics and one), clinics tied
    to the center only by one referral each (cut units and bridges: pairing ties)."""
    clinics = [{"id": f"V{i}", "name": name if i == 2 else f"{i}村卫生室", "kind": "village_clinic",
                "parent_id": "T", "region_id": "R"} for i in range(1, 7)]
    return {
        "regions": [{"id": "R", "name": "县", "level": "county"}],
        "institutions": [{"id": "H", "name": "县医院", "kind": "county_hospital", "region_id": "R"},
                         {"id": "T", "name": "镇卫生院", "kind": "township_health_center",
                          "parent_id": "H", "region_id": "R"}] + clinics,
        "members": [{"id": f"M{i}", "name": f"党员{i}", "status": "full", "institution_id": f"V{i}"}
                    for i in range(1, 7)],
        "links": [{"source_id": "T", "target_id": "H", "type": "referral"},
                  {"source_id": "H", "target_id": "T", "type": "referral"}]
        + [{"source_id": f"V{i}", "target_id": "T", "type": "referral"} for i in range(1, 7)]
        + [{"source_id": "T", "target_id": f"V{i}", "type": "referral"} for i in range(1, 7)],
    }


@pytest.fixture
def planned(tmp_path):
    G = load_graph(write_csv_tables(tmp_path / "plan", plan_tables()))
    report = run_checks(G, lang="zh")
    plan = prove_plan(G, make_plan(G, lang="zh", report=report))
    return G, report, plan


def test_report_plan_section_lists_every_action_escaped(planned):
    G, report, plan = planned
    page = report_html(G, report, lang="zh", plan=plan)
    assert external_resources(page) == []
    section = page[page.index('<section id="plan">'):]
    section = section[:section.index("</section>")]
    assert "<h2>整改计划</h2>" in section
    assert section.count('<tr id="plan-A') == len(plan.actions) > 0
    for action in plan.actions:
        assert str(escape(action.text["zh"])) in section
    assert XSS_NAME not in section and str(escape(XSS_NAME)) in section
    # the figures are those of the checks re-run on the changed data
    assert "整改前" in section and "整改后" in section
    high_after = plan.after["findings"]["by_severity"]["high"]
    assert plan_section(plan, "zh")["summary"].endswith(f"→ {high_after}）。")
    # without --plan there is no section
    assert '<section id="plan">' not in report_html(G, report, lang="zh")


def test_report_plan_section_in_english_and_when_there_is_nothing_to_plan(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "institutions.csv").write_text("id,name,kind\n", encoding="utf-8")
    G = load_graph(empty)
    report = run_checks(G)
    page = report_html(G, report, plan=prove_plan(G, make_plan(G, report=report)))
    assert "<h2>Action plan</h2>" in page and "No findings: nothing to plan." in page


def test_map_plan_dashes_proposed_ties_and_frames_joint_branches(planned):
    G, report, plan = planned
    model = plan_map_model(G, plan, report.findings, lang="zh")
    layer = model["layers"]["main"]
    ties = {frozenset(op[1:3]) for a in plan.actions if a.kind == "pairing" for op in a.ops}
    assert ties, "the county has cut units and bridges: the plan proposes ties"
    dashed = {frozenset((e["a"], e["b"])) for e in layer["edges"]
              if model["edgeStyles"][e["s"]]["dashes"] == [10, 6]}
    assert dashed == ties
    for e in layer["edges"]:
        if frozenset((e["a"], e["b"])) in dashed:
            assert "计划新增" in model["edgeStyles"][e["s"]]["text"]
            assert any(line.startswith("计划新增: A") for line in e["t"])
    joints = [a for a in plan.actions if a.kind == "joint_branch"]
    assert [sorted(g["nodes"]) for g in layer["groups"]] == [sorted(a.subjects) for a in joints]
    assert [len(g["nodes"]) for g in layer["groups"]] == [5, 1]
    assert model["texts"]["legend.group"].startswith("计划组建的联合党支部")
    # existing ties keep their look; the page is offline and escaped
    page = plan_map_html(G, plan, report.findings, lang="zh")
    assert external_resources(page) == [] and XSS_NAME not in page
    assert page_model(page)["layers"]["main"]["groups"] == layer["groups"]


def test_map_plan_and_report_plan_redact_member_names_and_ids(planned):
    G, report, plan = planned
    page = plan_map_html(G, plan, report.findings, lang="zh", view="full", redact=True)
    model = page_model(page)
    text = json.dumps(model, ensure_ascii=False)
    assert "党员1" not in text and '"M1"' not in text
    assert any(s["dashes"] == [10, 6] for s in model["edgeStyles"])       # still drawn
    assert model["layers"]["main"]["groups"]
    page = report_html(G, report, lang="zh", plan=plan, redact=True)
    section = page[page.index('<section id="plan">'):]
    section = section[:section.index("</section>")]
    assert any("党员1" in a.text["zh"] for a in plan.actions)       # the plan names them...
    assert "党员1" not in section and "（M1）" not in section          # ...the page does not
