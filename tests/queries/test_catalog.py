"""The catalog: every spec check registered once, bilingual, rendering from evidence only."""

import pytest

from orgnet.graphmodel.schema import DEFAULT_SETTINGS
from orgnet.queries.catalog import (
    CATALOG, CHECK_IDS, FAMILIES, QueryError, load_checks, register, render, select_checks,
)
from orgnet.queries.finding import SEVERITIES

MINE = [c for c in CHECK_IDS if c.split(".")[0] in ("coverage", "structure", "service")]
SPEC_SEVERITY = {
    "coverage.uncovered_institution": "high", "coverage.empty_org": "medium",
    "coverage.unattached_member": "medium", "structure.branch_too_small": "medium",
    "structure.branch_too_large": "low", "structure.no_secretary": "medium",
    "structure.unit_without_branch": "medium", "structure.no_branch_committee": "low",
    "structure.joint_branch_too_wide": "low", "structure.orphan_org": "low",
    "structure.community_not_unified": "high", "service.stage_gap": "high",
    "service.no_coordinator": "low",
}


def test_every_check_of_my_families_is_registered_with_the_spec_severity():
    catalog = load_checks()
    assert {c: catalog[c].severity for c in MINE} == SPEC_SEVERITY


@pytest.mark.parametrize("check_id", MINE)
def test_entries_are_bilingual(check_id):
    spec = load_checks()[check_id]
    assert spec.severity in SEVERITIES and spec.family in FAMILIES
    assert spec.title["en"] and spec.title["zh"] and spec.title["en"] != spec.title["zh"]


def test_structure_thresholds_cite_the_regulation():
    catalog = load_checks()
    for check_id in ("structure.branch_too_small", "structure.branch_too_large",
                     "structure.no_branch_committee", "structure.joint_branch_too_wide"):
        assert catalog[check_id].regulation.startswith(DEFAULT_SETTINGS.REGULATION)


def test_select_checks_by_family_and_id():
    assert select_checks(only=["structure"], skip=["structure.orphan_org"])[-1] == \
        "structure.community_not_unified"
    with pytest.raises(QueryError, match="unknown check or family: bogus"):
        select_checks(only=["bogus"])


def test_register_rejects_unknown_ids():
    with pytest.raises(QueryError):
        register("coverage.bogus", severity="low", title={}, message={}, suggestion={})


def test_render_uses_only_the_evidence():
    load_checks()
    evidence = {"name": "空支部", "kind": "branch", "parent": None, "parent_name": None,
                "institutions": []}
    en = render("coverage.empty_org", ["O9"], evidence, "en")
    assert en.subject == ("O9",) and en.severity == "medium"
    assert en.message == "Branch 空支部 (O9) has no members at or below it."
    assert render("coverage.empty_org", ["O9"], evidence, "zh").message == \
        "空支部（O9）（含下级组织）没有任何党员。"
    assert CATALOG["coverage.empty_org"].function.__name__ == "empty_orgs"


def test_settings_with_overrides():
    from orgnet.queries.catalog import settings_with
    settings = settings_with({"joint_branch_max_units": "4"})
    assert settings.joint_branch_max_units == 4 and settings.branch_max_members == 50
    with pytest.raises(QueryError, match="unknown threshold 'x'"):
        settings_with(["x=1"])
    with pytest.raises(QueryError, match="non-negative integer"):
        settings_with(["branch_max_members=-1"])
