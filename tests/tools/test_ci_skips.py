"""Under CI a skipped ``neo4j`` test is a failure (tests/neo4j_server.py's report hook)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def suite(tmp_path):
    (tmp_path / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(TESTS)!r})\npytest_plugins = ['neo4j_server']\n",
        encoding="utf-8")
    (tmp_path / "test_skips.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.neo4j\n"
        "def test_needs_a_server():\n"
        "    pytest.skip('no server here')\n\n"
        "def test_other():\n"
        "    pytest.skip('skipping anything else is fine')\n", encoding="utf-8")
    return tmp_path


def run(directory: Path, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "neo4j or not neo4j",
         "-o", "markers=neo4j: a real server", "--rootdir", str(directory), str(directory)],
        capture_output=True, text=True, env=env, cwd=directory, timeout=120)


def test_a_skipped_neo4j_test_fails_under_ci(suite):
    result = run(suite, ci=True)
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 skipped" in result.stdout
    assert "a neo4j test was skipped under CI" in result.stdout


def test_outside_ci_it_is_a_skip(suite):
    result = run(suite, ci=False)
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout
