"""The united-front view: representatives, contacts and stations, the two marks, --redact."""

from __future__ import annotations

import html
import json

import pytest

from conftest import TINY, write_csv_tables
from orgnet.loaders import load_graph
from orgnet.queries.runner import run_checks
from orgnet.visualizations import encoding as enc
from orgnet.visualizations.maps import map_html
from orgnet.visualizations.report import report_html
from orgnet.visualizations.views import build_view


@pytest.fixture
def uf_graph(tmp_path):
    tables = json.loads(json.dumps(TINY))
    tables["regions"].append({"id": "R3", "name": "南镇", "level": "township", "parent_id": "R1"})
    tables["institutions"] += [
        {"id": "T3", "name": "南镇卫生院", "kind": "township_health_center", "region_id": "R3",
         "parent_id": "H1"},
        {"id": "S1", "name": "东镇统战工作联络站", "kind": "统战工作联络站", "region_id": "R2"},
    ]
    tables["members"] += [
        {"id": "D1", "name": "周立民", "status": "民主党派", "institution_id": "T1",
         "roles": "党外代表人士", "affiliation": "民盟"},
        {"id": "D2", "name": "吴秀兰", "status": "无党派人士", "institution_id": "T3",
         "roles": "党外代表人士"},
    ]
    tables["links"].append({"source_id": "M1", "target_id": "D1", "type": "联谊交友"})
    return load_graph(write_csv_tables(tmp_path / "uf", tables))


def test_the_view_holds_the_layer(uf_graph):
    view = build_view(uf_graph, "united_front")
    assert {"D1", "D2", "M1", "S1", "T1", "T3", "R2", "R3", "R1"} <= set(view.nodes)
    assert "V1" not in view.nodes and "M2" not in view.nodes     # not part of the layer
    contacts = [e for e in view.edges if not e.structure]
    assert [(e.source, e.target, e.type) for e in contacts] == [("M1", "D1", "CONTACT")]
    assert view.parent["D1"] == "T1" and view.parent["S1"] == "R2"


def test_uncontacted_figures_and_townships_without_station_are_marked(uf_graph):
    report = run_checks(uf_graph, only=["united_front"], lang="zh")
    assert {(f.check, f.subject) for f in report.findings} == {
        ("united_front.uncontacted_representative", ("D2",)),
        ("united_front.township_without_station", ("R3",)),
        ("united_front.no_united_front_member", ("O1",)),
    }
    page = map_html(uf_graph, report.findings, view="united_front", lang="zh")
    data = html.unescape(page)
    for check in ("united_front.uncontacted_representative", "united_front.township_without_station"):
        key, colour = enc.FINDING_MARKS[check]
        assert colour in data
        assert enc.text(f"mark.{key}", "zh") in data
    assert "南镇" in data and enc.text("view.united_front", "zh") in data


def test_redact_covers_the_representatives(uf_graph):
    report = run_checks(uf_graph, lang="zh")
    for page in (map_html(uf_graph, report.findings, view="united_front", lang="zh", redact=True),
                 report_html(uf_graph, report, lang="zh", redact=True,
                             map_view="united_front")):
        text = html.unescape(page)
        for name in ("周立民", "吴秀兰", "王伟"):
            assert name not in text
        assert "人员-" in text                       # the non-party figures' pseudonyms


def test_the_report_shows_the_united_front_figures(uf_graph):
    report = run_checks(uf_graph, lang="zh")
    text = html.unescape(report_html(uf_graph, report, lang="zh"))
    assert "联系率" in text and "联络站覆盖率" in text
    assert "50.0%" in text                          # one of two representatives contacted
