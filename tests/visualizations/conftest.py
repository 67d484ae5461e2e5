"""Fixtures of the visualization tests: the tiny dataset as a graph, its findings, a payload."""

from __future__ import annotations

import json

import pytest

from conftest import TINY, write_csv_tables
from orgnet.loaders import load_graph
from orgnet.queries.finding import Finding
from orgnet.queries.runner import run_checks

#: A name that would run script if a page inserted it as HTML, and that holds "href",
#: which makes pyvis switch its tooltips to raw HTML.
XSS_NAME = ('<img src=x onerror="window.__xss=1;alert(1)"> '
            '<a href="javascript:alert(2)">x</a></script><script>window.__xss=2</script>')


@pytest.fixture
def tiny_graph(tmp_path):
    """The tiny dataset (tests/conftest.py) loaded into the embedded graph."""
    return load_graph(write_csv_tables(tmp_path / "tiny", json.loads(json.dumps(TINY))))


@pytest.fixture
def tiny_report(tiny_graph):
    """``run_checks`` of the tiny graph, in English."""
    return run_checks(tiny_graph)


@pytest.fixture
def xss_name():
    """The payload used as a name."""
    return XSS_NAME


@pytest.fixture
def xss_tables():
    """The tiny tables with the payload as the names of M1 (a liaison), V2 (uncovered,
    isolated) and O3 (a branch with findings)."""
    tables = json.loads(json.dumps(TINY))
    tables["members"][0]["name"] = XSS_NAME
    tables["institutions"][4]["name"] = XSS_NAME
    tables["party_orgs"][2]["name"] = XSS_NAME
    return tables


@pytest.fixture
def make_finding():
    """Return a maker of hand-made findings (the maps take findings; they never run checks)."""
    def make(check, subject, severity="high", evidence=None, message="m", suggestion="s"):
        return Finding(check, severity, tuple(subject), message, evidence or {}, suggestion)
    return make
