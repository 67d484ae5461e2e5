"""Start-up: an embedded ``orgnet check PATH`` imports neither the Neo4j driver nor networkx.

Each costs about 0.15 s of start-up.  Every command module imports ``orgnet._neo4j``
for its options, so the driver is imported only by the functions that connect; the
checks run on the check tables, so networkx is imported only where a graph is built
(the table, Markdown and XLSX formats, which arrange the findings on the graph, do).
Run in a fresh interpreter: the test session itself has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "county-medical-community"

_PROGRAM = """
import json, sys
from orgnet.cli import main
try:
    main(sys.argv[1:], prog_name="orgnet")
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.split(".")[0]
                                                 in ("neo4j", "orgnet", "networkx"))}))
"""


def _modules_after(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROGRAM, *args], capture_output=True,
                          text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], result["modules"]


def test_embedded_check_imports_neither_the_driver_nor_networkx(tmp_path):
    out = tmp_path / "out.json"
    code, modules = _modules_after("check", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert code in (0, None)
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert "orgnet.queries.runner" in modules          # the checks did run here
    assert [m for m in modules if m == "neo4j" or m.startswith("neo4j.")] == []
    assert "orgnet.graphmodel.neo4j_store" not in modules
    assert "networkx" not in modules


def test_check_help_imports_neither_the_driver_nor_networkx():
    code, modules = _modules_after("check", "--help")
    assert code in (0, None)
    assert "orgnet.cmd_check" in modules
    assert "neo4j" not in modules and "networkx" not in modules
