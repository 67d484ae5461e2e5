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
