"""The visual encoding covers every schema vocabulary and keeps its promises."""

import pytest

from orgnet.graphmodel.schema import (
    ENTITY_LABELS, INSTITUTION, INSTITUTION_KINDS, LINK_REL_TYPES, MEMBER, MEMBER_STATUSES,
    ORG_KINDS, PARTY_ORG, REGION, STRUCTURE_REL_TYPES, link_rel_type,
)
from orgnet.queries.catalog import CHECK_IDS
from orgnet.visualizations import encoding as enc


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


# ---------------------------------------------------------------------------
# Colour-blind safety: every colour distinct, and colours that can stand side by
# side in one legend stay apart under simulated colour vision deficiencies
# ---------------------------------------------------------------------------
#: Machado, Oliveira & Fernandes (2009) matrices, severity 1.0, on linear RGB
_CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _lab(colour, deficiency=None):
    """CIELAB (D65) of a hex colour, as seen with a colour vision deficiency."""
    rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    rgb = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    if deficiency:
        m = _CVD[deficiency]
        rgb = [min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3)]
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _closest_pair(colours):
    """The smallest CIE76 difference of two colours, over normal vision and the three
    simulated deficiencies."""
    import itertools
    import math

    return min(math.dist(_lab(a, d), _lab(b, d))
               for a, b in itertools.combinations(colours, 2)
               for d in (None, *_CVD))


def _every_colour():
    return ([*enc.INSTITUTION_COLOURS.values(), *enc.ORG_COLOURS.values(),
             *enc.STATUS_COLOURS.values(), *enc.REGION_COLOURS.values()]
            + [s["color"] for s in enc.EDGE_STYLES.values()]
            + [enc.edge_style(enc.MIXED_EDGE)["color"]]
            + list(enc.REFERRAL_DIRECTION_COLOURS.values())
            + [c for _, c in enc.FINDING_MARKS.values()] + [enc.BREAK_POINT_MARK[1]]
            + [c for _, c in enc.COVERAGE_SCALE] + [enc.NO_RATE_COLOUR, enc.OVERVIEW_EDGE_COLOUR])


def test_no_two_encodings_share_a_colour():
    colours = [c.lower() for c in _every_colour()]
    assert len(set(colours)) == len(colours)


def _same_shape_kinds():
    shapes = {}
    for kind in INSTITUTION_KINDS:
        style = enc.node_style(INSTITUTION, kind)
        shapes.setdefault(style["shape"], []).append(style["color"])
    return [colours for colours in shapes.values() if len(colours) > 1]


@pytest.mark.parametrize("name, colours, least", [
    *[(f"institutions drawn as one shape ({len(c)})", c, 10) for c in _same_shape_kinds()],
    ("solid ties", [enc.REFERRAL_DIRECTION_COLOURS[k] for k in ("up", "down", "same")]
     + [enc.edge_style(link_rel_type(t))["color"] for t in ("referral", "assistance",
                                                           "outreach", "other")]
     + [enc.edge_style(enc.MIXED_EDGE)["color"], enc.FINDING_MARKS["referral.one_way"][1]], 9),
    ("marks", [c for _, c in enc.FINDING_MARKS.values()] + [enc.BREAK_POINT_MARK[1]], 15),
    ("coverage scale", [c for _, c in enc.COVERAGE_SCALE], 15),
])
def test_colours_shown_together_stay_apart_for_colour_blind_readers(name, colours, least):
    assert _closest_pair(colours) >= least, name


def test_referral_up_and_down_are_far_apart_for_everyone():
    up, down = enc.REFERRAL_DIRECTION_COLOURS["up"], enc.REFERRAL_DIRECTION_COLOURS["down"]
    assert _closest_pair([up, down]) >= 30


def test_the_coverage_scale_runs_from_red_to_blue():
    assert [enc.coverage_colour(r) for r in (0.0, 0.49, 0.5, 0.75, 0.95, 1.0)] == [
        "#D7191C", "#D7191C", "#FDAE61", "#FFFFBF", "#ABD9E9", "#2C7BB6"]
