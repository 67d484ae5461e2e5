"""orgnet report --plan: the plan as a report section, escaped, redacted with --redact."""

from __future__ import annotations

from click.testing import CliRunner

from orgnet.cli import main


def test_report_with_plan(tiny_dir, tiny_tables, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(tiny_dir), "--plan", "--lang", "zh",
                                       "--redact", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    section = page[page.index('<section id="plan">'):page.index('<section id="map">')]
    assert "<h2>整改计划</h2>" in section and "A001" in section and "纳入党组织覆盖" in section
    for member in tiny_tables["members"]:
        assert member["name"] not in page


def test_report_without_plan_has_no_section(tiny_dir, tmp_path):
    out = tmp_path / "r.html"
    assert CliRunner().invoke(main, ["report", str(tiny_dir), "-o", str(out)]).exit_code == 0
    assert 'id="plan"' not in out.read_text(encoding="utf-8")
