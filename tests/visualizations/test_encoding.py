"""The visual encoding covers every schema vocabulary and keeps its promises."""

import pytest

from graphmodel.schema import (
    ENTITY_LABELS, INSTITUTION, INSTITUTION_KINDS, LINK_REL_TYPES, MEMBER, MEMBER_STATUSES,
    ORG_KINDS, PARTY_ORG, REGION, STRUCTURE_REL_TYPES, link_rel_type,
)
from queries.catalog import CHECK_IDS
from visualizations import encoding as enc


def test_every_label_has_its_own_shape():
    shapes = [enc.LABEL_SHAPES[label] for label in ENTITY_LABELS]
    assert len(set(shapes)) == len(ENTITY_LABELS)


@pytest.mark.parametrize("label, kinds", [(INSTITUTION, INSTITUTION_KINDS),
                                          (PARTY_ORG, ORG_KINDS)])
def test_every_kind_has_a_distinct_colour(label, kinds):
    colours = [enc.node_style(label, kind)["color"] for kind in kinds]
    assert len(set(colours)) == len(kinds)


def test_every_member_status_has_a_distinct_colour():
    colours = [enc.node_style(MEMBER, status=s)["color"] for s in MEMBER_STATUSES]
    assert len(set(colours)) == len(MEMBER_STATUSES)


def test_unknown_kind_falls_back_to_the_label_shape():
    assert enc.node_style(INSTITUTION, "no_such_kind")["shape"] == enc.LABEL_SHAPES[INSTITUTION]
    assert enc.node_style(REGION)["color"] == enc.REGION_COLOUR


def test_every_relationship_type_has_an_edge_style():
    for rel in (*LINK_REL_TYPES.values(), *STRUCTURE_REL_TYPES):
        assert set(enc.edge_style(rel)) == {"color", "dashes", "arrows"}
    with pytest.raises(KeyError):
        enc.edge_style("NOT_A_TYPE")


def test_referral_is_an_arrow_pairing_dashed_liaison_dotted():
    assert enc.edge_style(link_rel_type("referral"))["arrows"] == "to"
    assert enc.edge_style(link_rel_type("referral"))["dashes"] is False
    assert enc.edge_style(link_rel_type("pairing"))["dashes"] is True
    dots = enc.edge_style(link_rel_type("liaison"))["dashes"]
    assert isinstance(dots, list) and dots[0] < dots[1]     # short dash, long gap: dotted


def test_structure_types_are_the_schema_structure_types():
    assert enc.STRUCTURE_EDGE_TYPES == set(STRUCTURE_REL_TYPES)


def test_widths_grow_with_count_within_bounds():
    widths = [enc.referral_width(c, 100) for c in (0, 1, 10, 50, 100, 500)]
    assert widths == sorted(widths)
    assert widths[0] == 1.0 and widths[-1] == 10.0
    assert enc.referral_width(5, 0) == 1.0                   # empty network: no division


def test_sizes_grow_with_value_within_bounds():
    sizes = [enc.node_size(v, 20) for v in (0, 1, 5, 20, 40)]
    assert sizes == sorted(sizes) and sizes[0] == 10.0 and sizes[-1] == 40.0


def test_finding_marks_name_real_checks_and_distinct_colours():
    assert set(enc.FINDING_MARKS) <= set(CHECK_IDS)
    colours = [c for _, c in enc.FINDING_MARKS.values()] + [enc.BREAK_POINT_MARK[1]]
    assert len(set(colours)) == len(colours)
    assert {k for k, _ in enc.FINDING_MARKS.values() if k != "one_way"} \
        | {enc.BREAK_POINT_MARK[0]} == set(enc.MARK_ORDER)


def test_both_languages_have_the_same_texts():
    assert set(enc.TEXTS["en"]) == set(enc.TEXTS["zh"])
    for key in enc.TEXTS["en"]:
        assert enc.TEXTS["zh"][key] != "" and enc.TEXTS["en"][key] != ""


@pytest.mark.parametrize("key, en, zh", [
    ("village_clinic", "village clinic", "村卫生室"),
    ("joint_branch", "joint branch", "联合党支部"),
    ("high", "high", "高"),
    (PARTY_ORG, PARTY_ORG, "党组织"),
    ("COVERS", "Covers (organization set up in)", "覆盖（党组织所在机构）"),
])
def test_display_names(key, en, zh):
    assert enc.display_kind(key, "en") == en
    assert enc.display_kind(key, "zh") == zh


def test_link_type_names_in_both_languages():
    for link_type in LINK_REL_TYPES:
        assert enc.link_type_name(link_type, "en") != enc.link_type_name(link_type, "zh")
    assert enc.link_type_name("liaison", "zh") == "联点联系"
