"""Shared fixtures: writers that put tiny datasets on disk in each container."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

# The live Neo4j fixtures (neo4j_server, neo4j_driver, neo4j_database, neo4j_store,
# neo4j_env) live in tests/neo4j_server.py; with --import-mode=importlib the tests
# directory is not on sys.path, so put it there for the plugin import.
sys.path.append(str(Path(__file__).resolve().parent))
pytest_plugins = ["neo4j_server"]


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    """``--lang`` defaults from LANG: tests see an English locale unless they set one."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def write_csv_tables(directory: Path, tables: dict[str, list[dict]], encoding="utf-8") -> Path:
    """Write ``{table: [row dicts]}`` as one CSV per table; return the directory.

    The header is the union of the rows' keys in first-seen order.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        header: list[str] = []
        for row in rows:
            header += [k for k in row if k not in header]
        with open(directory / f"{table}.csv", "w", newline="", encoding=encoding) as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return directory


def write_json_tables(path: Path, tables: dict[str, list[dict]]) -> Path:
    """Write ``{table: [row dicts]}`` as one JSON file; return its path."""
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    return path


def write_xlsx_tables(path: Path, tables: dict[str, list[dict]], sheet_names=None) -> Path:
    """Write ``{table: [row dicts]}`` as a workbook, one sheet per table."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, rows in tables.items():
        sheet = book.create_sheet((sheet_names or {}).get(table, table))
        header: list[str] = []
        for row in rows:
            header += [k for k in row if k not in header]
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(k) for k in header])
    book.save(path)
    return path


#: A small county medical community used across the test suite: a county
#: hospital with its committee, two township centers with branches, three
#: village clinics (one uncovered), members, links both ways and services.
TINY = {
    "regions": [
        {"id": "R1", "name": "示范县", "level": "county"},
        {"id": "R2", "name": "东镇", "level": "township", "parent_id": "R1"},
    ],
    "institutions": [
        {"id": "H1", "name": "县人民医院", "kind": "county_hospital", "region_id": "R1"},
        {"id": "T1", "name": "东镇卫生院", "kind": "township_health_center", "region_id": "R2", "parent_id": "H1"},
        {"id": "T2", "name": "西镇卫生院", "kind": "township_health_center", "region_id": "R1", "parent_id": "H1"},
        {"id": "V1", "name": "李村卫生室", "kind": "village_clinic", "region_id": "R2", "parent_id": "T1"},
        {"id": "V2", "name": "王村卫生室", "kind": "village_clinic", "region_id": "R2", "parent_id": "T1"},
        {"id": "V3", "name": "张村卫生室", "kind": "village_clinic", "region_id": "R1", "parent_id": "T2"},
    ],
    "party_orgs": [
        {"id": "O1", "name": "县人民医院党委", "kind": "committee", "institution_ids": "H1"},
        {"id": "O2", "name": "东镇卫生院党支部", "kind": "branch", "parent_id": "O1", "institution_ids": "T1;V1"},
        {"id": "O3", "name": "西镇卫生院党支部", "kind": "branch", "parent_id": "O1", "institution_ids": "T2、V3"},
    ],
    "members": [
        {"id": "M1", "name": "王伟", "status": "full", "org_id": "O1", "institution_id": "H1", "roles": "书记"},
        {"id": "M2", "name": "李娜", "status": "full", "org_id": "O2", "institution_id": "T1", "roles": "secretary"},
        {"id": "M3", "name": "张敏", "status": "full", "org_id": "O2", "institution_id": "T1"},
        {"id": "M4", "name": "刘洋", "status": "full", "org_id": "O2", "institution_id": "V1"},
        {"id": "M5", "name": "陈静", "status": "probationary", "org_id": "O3", "institution_id": "T2"},
        {"id": "M6", "name": "杨磊", "status": "non_party", "institution_id": "V2"},
    ],
    "links": [
        {"source_id": "V1", "target_id": "T1", "type": "referral", "count": "12", "period": "2025"},
        {"source_id": "T1", "target_id": "H1", "type": "转诊", "count": "30", "period": "2025"},
        {"source_id": "H1", "target_id": "T1", "type": "referral", "count": "8", "period": "2025"},
        {"source_id": "V3", "target_id": "T2", "type": "referral", "count": "0", "period": "2025"},
        {"source_id": "M1", "target_id": "T2", "type": "liaison", "count": "", "note": "联点"},
    ],
    "services": [
        {"institution_id": "H1", "stage": "delivery", "coordinator_org_id": "O1"},
        {"institution_id": "T1", "stage": "产前检查"},
    ],
}


@pytest.fixture
def tiny_tables():
    """A deep copy of :data:`TINY` to modify in a test."""
    return json.loads(json.dumps(TINY))


@pytest.fixture
def tiny_dir(tmp_path, tiny_tables):
    """The tiny dataset as a CSV directory."""
    return write_csv_tables(tmp_path / "tiny", tiny_tables)
