"""docs/dataset-format.md documents every table, header, value and problem code."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.graphmodel import schema
from orgnet.loaders.problems import TEMPLATES
from orgnet.loaders.raw import RESERVED_COLUMNS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "dataset-format.md").read_text(
    encoding="utf-8")

WORDS = sorted(
    set(schema.TABLES) | set(schema.TABLE_ALIASES) | set(schema.HEADER_ALIASES)
    | {c for t in schema.TABLES for c in schema.REQUIRED_COLUMNS[t] + schema.OPTIONAL_COLUMNS[t]}
    | {k for aliases in (schema.INSTITUTION_KIND_ALIASES, schema.LEVEL_ALIASES,
                         schema.ORG_KIND_ALIASES, schema.MEMBER_STATUS_ALIASES,
                         schema.ROLE_ALIASES, schema.LINK_TYPE_ALIASES, schema.STAGE_ALIASES)
       for k in aliases}
    | set(schema.LIST_SEPARATORS) | {c for c in RESERVED_COLUMNS}
)


@pytest.mark.parametrize("word", WORDS)
def test_every_name_and_value_is_documented(word):
    assert word in DOC


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_problem_code_is_documented_with_an_example(code):
    assert f"| `{code}` |" in DOC


def test_default_levels_are_documented():
    for kind in schema.INSTITUTION_KINDS.values():
        assert f"| `{kind.key}` | {'、'.join(kind.aliases)} | {kind.level} |" in DOC
