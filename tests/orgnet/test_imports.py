"""Start-up: an embedded ``orgnet check PATH`` does not import the Neo4j driver.

The driver costs about 0.15 s of start-up; every command module imports
``orgnet._neo4j`` for its options, so the driver must be imported only by the
functions that connect.  Run in a fresh interpreter: the test session itself has
imported everything.
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
                                                 in ("neo4j", "orgnet"))}))
"""


def _modules_after(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROGRAM, *args], capture_output=True,
                          text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], result["modules"]


def test_embedded_check_does_not_import_the_driver(tmp_path):
    out = tmp_path / "out.json"
    code, modules = _modules_after("check", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert code in (0, None)
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert "orgnet.queries.runner" in modules          # the checks did run here
    assert [m for m in modules if m == "neo4j" or m.startswith("neo4j.")] == []
    assert "orgnet.graphmodel.neo4j_store" not in modules


def test_check_help_does_not_import_the_driver():
    code, modules = _modules_after("check", "--help")
    assert code in (0, None)
    assert "orgnet.cmd_check" in modules
    assert "neo4j" not in modules
