"""The schema module is the one source of labels, types and vocabularies."""

import re
from pathlib import Path

import pytest

from orgnet.graphmodel import schema

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "dataset-format.md"


def test_every_kind_has_a_default_level_and_known_aliases():
    for kind in schema.INSTITUTION_KINDS.values():
        assert kind.level in schema.LEVELS
        for alias in kind.aliases:
            assert schema.canonical_value(schema.INSTITUTION_KIND_ALIASES, alias) == kind.key


@pytest.mark.parametrize("aliases, value, key", [
    (schema.INSTITUTION_KIND_ALIASES, "医共体总院", "county_hospital"),
    (schema.INSTITUTION_KIND_ALIASES, "Village Clinic", "village_clinic"),
    (schema.LEVEL_ALIASES, "街道", "township"),
    (schema.LEVEL_ALIASES, "社区", "village"),
    (schema.ORG_KIND_ALIASES, "联合党支部", "joint_branch"),
    (schema.MEMBER_STATUS_ALIASES, "群众", "non_party"),
    (schema.ROLE_ALIASES, "联点负责人", "liaison"),
    (schema.LINK_TYPE_ALIASES, "远程会诊", "consultation"),
    (schema.STAGE_ALIASES, "新生儿筛查", "newborn_screening"),
])
def test_chinese_aliases(aliases, value, key):
    assert schema.canonical_value(aliases, value) == key


def test_unknown_value_is_none():
    assert schema.canonical_value(schema.LEVEL_ALIASES, "planet") is None


def test_levels_are_ordered():
    ranks = [schema.level_rank(level) for level in schema.LEVELS]
    assert ranks == sorted(ranks) == list(range(5))
    assert schema.level_rank("nowhere") == -1


def test_health_kinds_follow_the_spec_table():
    assert schema.HEALTH_KINDS == {
        "city_hospital", "county_hospital", "mch_hospital", "township_health_center",
        "community_health_center", "community_health_station", "village_clinic"}


def test_relationship_types_are_unique_and_link_types_round_trip():
    assert len(set(schema.REL_TYPES)) == len(schema.REL_TYPES)
    for link_type in schema.LINK_TYPES:
        assert schema.link_type_of_rel(schema.link_rel_type(link_type)) == link_type


def test_thresholds_come_from_the_branch_work_regulation():
    settings = schema.DEFAULT_SETTINGS
    assert (settings.branch_min_full_members, settings.branch_committee_min_full_members,
            settings.branch_max_members, settings.joint_branch_max_units) == (3, 7, 50, 5)
    assert "支部工作条例" in settings.REGULATION


@pytest.mark.skipif(not SPEC.exists(), reason="shared spec not beside the repository")
def test_every_chinese_header_of_the_spec_is_known():
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## 4.")[1].split("## 5.")[0]
    headers = section.split("Headers:")[1].split("Sheets")[0]
    for key, names in re.findall(r"(\w+) ([^;\n]+)", headers):
        for name in re.split(r",\s*", names.strip().rstrip(".")):
            if name:
                assert schema.HEADER_ALIASES.get(name) == key, (name, key)


def test_link_types_have_their_own_chinese_names():
    assert set(schema.LINK_TYPE_ZH) == set(schema.LINK_TYPES)
    # the role 'liaison' and the link type 'liaison' read differently in Chinese
    assert schema.ZH["liaison"] == "联络员" and schema.LINK_TYPE_ZH["liaison"] == "联点联系"
