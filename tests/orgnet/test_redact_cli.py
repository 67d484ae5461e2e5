"""--redact on every command that prints or writes member data: nothing personal leaks.

The dataset plants the hard cases: two members with the same name, a name inside
another member's name, names inside an org name, an institution name and a link
note, and member ids that look like prefixes of other ids.
"""

import json
import re
import zipfile

import pytest
from click.testing import CliRunner

from conftest import write_csv_tables
from orgnet.cli import main

NAMES = ["王伟", "王伟华", "李娜", "张敏", "刘洋", "陈静", "杨磊"]
IDS = ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def planted(tmp_path, tiny_tables):
    members = tiny_tables["members"]
    members.append({"id": "M7", "name": "王伟", "status": "full", "org_id": "O3",
                    "institution_id": "T2"})                     # same name as M1
    members.append({"id": "M8", "name": "王伟华", "status": "full", "org_id": "O3",
                    "institution_id": "T2", "roles": "secretary"})  # a name inside a name
    tiny_tables["party_orgs"][1]["name"] = "李娜张敏联合党支部"        # names inside an org name
    tiny_tables["institutions"][4]["name"] = "杨磊诊所"               # the uncovered clinic V2
    tiny_tables["links"][4]["note"] = "王伟华联系刘洋，M1 负责"
    return write_csv_tables(tmp_path / "planted", tiny_tables)


def _leaks(text: str) -> list[str]:
    found = [name for name in NAMES if name in text]
    found += [i for i in IDS if re.search(rf"(?<![A-Za-z0-9_-]){i}(?![A-Za-z0-9_-])", text)]
    return found


def _xlsx_text(path) -> str:
    with zipfile.ZipFile(path) as book:
        return "".join(book.read(n).decode("utf-8") for n in book.namelist()
                       if n.endswith(".xml"))


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_check_output_names_nobody(planted, fmt):
    plain = run("check", planted, "--format", fmt)
    assert plain.exit_code == 0
    assert _leaks(plain.output)                                  # the near miss: names shown
    result = run("check", planted, "--format", fmt, "--redact", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert _leaks(result.output) == []


def test_check_xlsx_register_names_nobody(planted, tmp_path):
    out = tmp_path / "register.xlsx"
    assert run("check", planted, "-o", out, "--redact").exit_code == 0
    assert _leaks(_xlsx_text(out)) == []


def test_metrics_name_nobody(planted, tmp_path):
    out, network = tmp_path / "m.csv", tmp_path / "n.json"
    result = run("metrics", planted, "-o", out, "--network-json", network, "--redact")
    assert result.exit_code == 0, result.output
    assert _leaks(out.read_text(encoding="utf-8-sig") + network.read_text()) == []


@pytest.mark.parametrize("command", ["map", "report"])
def test_pages_name_nobody(planted, tmp_path, command):
    out = tmp_path / f"{command}.html"
    extra = ["--view", "full"] if command == "map" else []
    result = run(command, planted, "-o", out, "--redact", *extra)
    assert result.exit_code == 0, result.output
    assert _leaks(out.read_text()) == []


def test_same_name_members_keep_their_own_pseudonyms(planted):
    from orgnet.loaders import load_graph
    from orgnet.visualizations.redact import Redactor

    G = load_graph(planted)
    redactor = Redactor(G)
    assert redactor.aliases["M1"] != redactor.aliases["M7"]
    assert redactor.text("王伟 (M7)", {"M7"}) == f"{redactor.aliases['M7']} ({redactor.aliases['M7']})"
    assert redactor.text("王伟") == f"{redactor.aliases['M1']}/{redactor.aliases['M7']}"
    assert redactor.text("王伟华") == redactor.aliases["M8"]
    H = redactor.graph(G)
    assert H.nodes[redactor.aliases["M7"]]["name"] == redactor.aliases["M7"]


def test_findings_resolve_a_shared_name_by_their_subject(planted):
    result = run("check", planted, "--format", "json", "--redact")
    findings = json.loads(result.output)["findings"]
    assert findings and not _leaks(json.dumps(findings, ensure_ascii=False))


def test_demo_redacts_every_file(tmp_path):
    from orgnet.loaders import load_graph
    from orgnet.cmd_generate import example_path
    from orgnet.graphmodel.schema import MEMBER

    example = example_path()
    if example is None:
        pytest.skip("the bundled example is not installed next to the package")
    G = load_graph(example)
    names = {d["name"] for _, d in G.nodes(data=True) if d.get("label") == MEMBER}
    result = run("demo", "-o", tmp_path / "demo", "--redact")
    assert result.exit_code == 0, result.output
    for name in ("report.html", "map.html", "findings.json"):
        text = (tmp_path / "demo" / name).read_text()
        assert not [n for n in names if n in text], name


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_export_names_nobody(planted, tmp_path, fmt):
    out = tmp_path / f"graph-{fmt}"
    plain = run("export", planted, "--format", fmt, "-o", out)
    assert plain.exit_code == 0, plain.output
    texts = lambda: "".join(p.read_text(encoding="utf-8") for p in  # noqa: E731
                            ([out] if out.is_file() else sorted(out.iterdir())))
    assert _leaks(texts())                                       # the near miss
    result = run("export", planted, "--format", fmt, "-o", out, "--redact")
    assert result.exit_code == 0, result.output
    assert _leaks(texts()) == []


def test_compare_names_nobody(planted, tmp_path, tiny_tables):
    after = dict(tiny_tables)
    after["members"] = [dict(m) for m in tiny_tables["members"]]
    after["members"][0]["status"] = "probationary"           # a member changes
    after["members"][-1]["roles"] = ""                       # 王伟华's branch loses its secretary
    later = write_csv_tables(tmp_path / "later", after)
    for fmt in ("table", "json", "csv", "markdown"):
        plain = run("compare", planted, later, "--format", fmt)
        assert plain.exit_code == 0, plain.output
        if fmt != "table":                                    # the table shows counts only
            assert _leaks(plain.output), fmt                  # the near miss
        result = run("compare", planted, later, "--format", fmt, "--redact")
        assert result.exit_code == 0, result.output
        assert _leaks(result.output) == [], fmt


_FORMATS = {"whatif": ["table", "json", "csv", "markdown", "xlsx"],
            "resilience": ["table", "json", "csv", "markdown", "xlsx"],
            "plan": ["table", "json", "markdown", "xlsx"]}           # plan: no csv


@pytest.mark.parametrize("command, fmt", [
    (command, fmt) for command in (["whatif", "--remove", "T2"], ["resilience"], ["plan"])
    for fmt in _FORMATS[command[0]]])
def test_whatif_resilience_and_plan_name_nobody(planted, tmp_path, command, fmt):
    def output(*extra):
        if fmt == "xlsx":
            out = tmp_path / "out.xlsx"
            flag = "--save" if command[0] == "plan" else "-o"
            result = run(*command[:1], planted, *command[1:], "--format", fmt, flag, out, *extra)
            assert result.exit_code == 0, result.output
            return _xlsx_text(out)
        result = run(*command[:1], planted, *command[1:], "--format", fmt, *extra)
        assert result.exit_code == 0, result.output
        return result.output

    assert _leaks(output())                                      # the near miss
    assert _leaks(output("--redact")) == []
