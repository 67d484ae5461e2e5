"""The report's "changes since" and per-period sections, and new/resolved marks on the map."""

import copy
import json

from click.testing import CliRunner

from conftest import write_csv_tables
from orgnet.loaders import load_graph
from orgnet.cli import main
from orgnet.queries.compare import compare_graphs
from orgnet.queries.periods import trend
from orgnet.queries.runner import run_checks
from orgnet.visualizations.changes import changes_section, trend_section
from orgnet.visualizations.report import report_html

EXAMPLE = "examples/county-medical-community"


def _pair(tmp_path, tiny_tables, v1_name=None):
    after = copy.deepcopy(tiny_tables)
    after["party_orgs"][1]["institution_ids"] = "T1;V2"          # V1 uncovered, V2 covered
    if v1_name:
        after["institutions"][3]["name"] = v1_name
    return (load_graph(write_csv_tables(tmp_path / "b", tiny_tables)),
            load_graph(write_csv_tables(tmp_path / "a", after)))


def test_changes_section_lists_counts_rates_and_new_high_findings_first(tmp_path, tiny_tables):
    before, after = _pair(tmp_path, tiny_tables, "<img src=x onerror=alert(1)>李村卫生室")
    comparison = compare_graphs(before, after, lang="zh")
    page = changes_section(comparison, "zh")
    assert "自 b 以来的变化" in page
    assert "组织覆盖率" in page and "单独组建率" in page and "工作覆盖率" in page
    assert "<img" not in page and "&lt;img" in page
    new_table = page[page.index('id="new-findings"'):]
    severities = [s for s in ("sev-high", "sev-medium", "sev-low") if s in new_table]
    positions = [new_table.index(s) for s in severities]
    assert severities[0] == "sev-high" and positions == sorted(positions)


def test_trend_section_draws_one_chart_per_figure():
    page = trend_section(trend(load_graph(EXAMPLE)), "en")
    assert page.count("<svg") == 7
    assert "2025-Q1" in page and "2025-Q4" in page and "43 links dated more coarsely" in page


def test_new_findings_are_marked_apart_in_the_report_model(tmp_path, tiny_tables):
    from orgnet.visualizations.report import report_context

    before, after = _pair(tmp_path, tiny_tables)
    comparison = compare_graphs(before, after)
    context = report_context(after, comparison.after, baseline=comparison)
    page = report_html(after, comparison.after, baseline=comparison)
    messages = {(f.check, f.subject): f.message for f in comparison.after.findings}
    new = {(f.check, f.subject) for f in comparison.new}
    uncovered = "coverage.uncovered_institution"
    assert (uncovered, ("V1",)) in new and (uncovered, ("V3",)) not in new
    model = json.loads(context["model_text"])
    marked = {entry["m"] for entry in model["findings"] if entry["m"].startswith("★ NEW ")}
    assert marked == {"★ NEW " + messages[s] for s in new}
    assert "★ NEW " + messages[(uncovered, ("V1",))] in page
    assert "★ NEW" not in report_html(after, comparison.after)


def test_report_with_a_baseline_and_redaction(tmp_path, tiny_tables):
    before, after = _pair(tmp_path, tiny_tables)
    comparison = compare_graphs(before, after)
    page = report_html(after, comparison.after, baseline=comparison, trend=trend(after),
                       redact=True, baseline_graph=before)
    assert 'id="changes"' in page
    assert "王伟" not in page and "李娜" not in page                 # member names redacted
    assert 'id="trend"' not in page                                  # one period only
    assert 'id="changes"' not in report_html(after, run_checks(after))


def test_report_command_with_baseline(tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", EXAMPLE + "-2026", "--baseline", EXAMPLE,
                                       "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "自 county-medical-community 以来的变化" in page
    assert page.index('id="changes"') < page.index('id="findings"')
    assert 'id="trend"' in page and "2026-Q4" in page
    bad = CliRunner().invoke(main, ["report", EXAMPLE, "--baseline", str(tmp_path / "nope"),
                                    "-o", str(tmp_path / "r.html")])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
