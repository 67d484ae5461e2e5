"""Visual encoding of the graph: shapes, colours, edge styles and page texts.

Everything is keyed by the schema's constants (labels, kinds, statuses, link
types, relationship types), so a kind added to :mod:`orgnet.graphmodel.schema` shows
up here as a missing key in the tests, not as a silent default on a map.

Examples
--------
>>> node_style(INSTITUTION, "village_clinic")["shape"]
'dot'
>>> edge_style(link_rel_type("pairing"))["dashes"]
True
>>> referral_width(0, 10), referral_width(10, 10)
(1.0, 10.0)
>>> display_kind("village_clinic", "zh")
'村卫生室'
"""

from __future__ import annotations

import math
import unicodedata
from types import MappingProxyType

from orgnet.graphmodel.schema import (
    COVERS, IN_REGION, INSTITUTION, INSTITUTION_KINDS, INSTITUTION_PARENT, LINK_REL_TYPES,
    MEMBER, MEMBER_OF, MEMBER_STATUSES, ORG_KINDS, ORG_PARENT, PARTY_ORG, REGION,
    REGION_PARENT, WORKS_AT, ZH, LINK_TYPE_ZH, link_rel_type,
)

__all__ = [
    "LABEL_SHAPES", "INSTITUTION_COLOURS", "ORG_COLOURS", "STATUS_COLOURS", "REGION_COLOUR", "REGION_COLOURS",
    "COVERAGE_SCALE", "NO_RATE_COLOUR", "OVERVIEW_EDGE_COLOUR", "INACTIVE_DASHES", "coverage_colour", "coverage_bin_text",
    "EDGE_STYLES", "STRUCTURE_EDGE_TYPES", "UNIT_EDGE", "MIXED_EDGE",
    "REFERRAL_DIRECTION_COLOURS", "FINDING_MARKS", "BREAK_POINT_MARK", "MARK_ORDER",
    "node_style", "edge_style", "referral_width", "node_size", "text_width",
    "display_kind", "link_type_name", "text", "TEXTS",
]

#: shape per label (vis-network shape names)
LABEL_SHAPES = MappingProxyType({
    REGION: "square",
    INSTITUTION: "dot",
    PARTY_ORG: "triangle",
    MEMBER: "diamond",
})
#: health bureau and the non-health kinds get their own shape within institutions
_INSTITUTION_SHAPES = MappingProxyType({
    "health_bureau": "hexagon",
    "street_office": "hexagon",
    "party_service_station": "star",
    "school": "square",
    "other": "square",
    "united_front_station": "star",
    "association": "hexagon",
})

#: fill colour per institution kind.  All colours of this module differ from each other
#: (no two legend entries share one) and come from Paul Tol's colour-blind-safe schemes
#: (muted, bright, vibrant) and ColorBrewer's sequential Reds/Blues; kinds drawn with the
#: same shape are told apart under protanopia, deuteranopia and tritanopia
#: (tests/visualizations/test_encoding.py simulates them).
INSTITUTION_COLOURS = MappingProxyType({
    "health_bureau": "#332288",
    "city_hospital": "#882255",
    "county_hospital": "#CC6677",
    "mch_hospital": "#FFAABB",
    "township_health_center": "#117733",
    "community_health_center": "#44AA99",
    "community_health_station": "#99DDFF",
    "village_clinic": "#DDCC77",
    "street_office": "#AA4499",
    "party_service_station": "#EE7733",
    "school": "#999933",
    "other": "#DDDDDD",
    "united_front_station": "#66CCEE",
    "association": "#DDAA77",
})
#: party organizations in reds, darker the higher (ColorBrewer Reds)
ORG_COLOURS = MappingProxyType({
    "committee": "#67000D",
    "working_committee": "#A50F15",
    "general_branch": "#CB181D",
    "branch": "#EF3B2C",
    "joint_branch": "#FB6A4A",
    "group": "#FC9272",
    "temporary_group": "#FCBBA1",
})
#: members (diamonds): party members in magentas, others in greens and grey (ColorBrewer PiYG)
STATUS_COLOURS = MappingProxyType({
    "full": "#8E0152",
    "probationary": "#DE77AE",
    "activist": "#F1B6DA",
    "non_party": "#7FBC41",
    "democratic_party": "#276419",
    "independent": "#B8B8B8",
})
#: regions (squares) in blues, darker the higher (ColorBrewer Blues)
REGION_COLOURS = MappingProxyType({
    "province": "#08519C",
    "city": "#3182BD",
    "county": "#6BAED6",
    "township": "#BDD7E7",
    "village": "#EFF3FF",
})
REGION_COLOUR = REGION_COLOURS["county"]

#: relationship type -> vis edge style; ``structure`` edges sit on their own toggle.
#: Link types differ in colour and, where colours are close, in their dashes.
EDGE_STYLES = MappingProxyType({
    link_rel_type("referral"): {"color": "#000000", "dashes": False, "arrows": "to"},
    link_rel_type("pairing"): {"color": "#AA3377", "dashes": True, "arrows": ""},
    link_rel_type("liaison"): {"color": "#CC3311", "dashes": [2, 4], "arrows": "to"},
    link_rel_type("assistance"): {"color": "#33BBEE", "dashes": False, "arrows": "to"},
    link_rel_type("consultation"): {"color": "#DDAA33", "dashes": [8, 4], "arrows": ""},
    link_rel_type("outreach"): {"color": "#225522", "dashes": False, "arrows": "to"},
    link_rel_type("contact"): {"color": "#AA7744", "dashes": [6, 3], "arrows": "to"},
    link_rel_type("other"): {"color": "#888888", "dashes": False, "arrows": ""},
    INSTITUTION_PARENT: {"color": "#DADADA", "dashes": False, "arrows": "to"},
    ORG_PARENT: {"color": "#D08080", "dashes": False, "arrows": "to"},
    COVERS: {"color": "#F0A0A0", "dashes": [4, 4], "arrows": "to"},
    REGION_PARENT: {"color": "#9ECAE1", "dashes": False, "arrows": "to"},
    IN_REGION: {"color": "#C6DBEF", "dashes": [2, 6], "arrows": "to"},
    MEMBER_OF: {"color": "#F2B8B8", "dashes": False, "arrows": "to"},
    WORKS_AT: {"color": "#C8C8C8", "dashes": [2, 2], "arrows": "to"},
})
STRUCTURE_EDGE_TYPES = frozenset({INSTITUTION_PARENT, ORG_PARENT, COVERS, REGION_PARENT,
                                  IN_REGION, MEMBER_OF, WORKS_AT})
#: pseudo types used by the views: an edge of the unit network made of several link
#: types, and the colours of referrals by direction between levels
UNIT_EDGE = "UNIT"
MIXED_EDGE = "MIXED"
_EXTRA_STYLES = {
    MIXED_EDGE: {"color": "#6633AA", "dashes": False, "arrows": ""},
}
REFERRAL_DIRECTION_COLOURS = MappingProxyType({
    "up": "#0077BB", "down": "#EE3377", "same": "#44BB99", "inactive": "#BBBBBB",
})
#: the ties between two regions of the overview
OVERVIEW_EDGE_COLOUR = "#777777"
#: the dashes of a tie with no activity (count 0)
INACTIVE_DASHES = [1, 4]

#: findings drawn on the map: check id -> (mark key, colour) (Okabe-Ito colours).  Node
#: marks colour the node's border; the one-way mark colours the referral edge.
FINDING_MARKS = MappingProxyType({
    "coverage.uncovered_institution": ("uncovered", "#D55E00"),
    "connectivity.isolated_unit": ("isolated", "#E69F00"),
    "connectivity.cut_unit": ("cut", "#56B4E9"),
    "referral.broken_chain": ("broken", "#1A1A1A"),
    "referral.one_way": ("one_way", "#661100"),
    "united_front.uncontacted_representative": ("uncontacted", "#CC79A7"),
    "united_front.township_without_station": ("no_station", "#F0E442"),
})
#: the break points named in a broken chain's ``evidence.break_at``
BREAK_POINT_MARK = ("break_point", "#009E73")
#: order of precedence when a node has several marks (first wins the border)
MARK_ORDER = ("uncovered", "isolated", "break_point", "broken", "cut", "no_station",
              "uncontacted")
#: the overview's coverage scale: (lowest rate of the bin, colour), ColorBrewer RdYlBu
#: (colour-blind safe): red for low coverage, blue for full coverage
COVERAGE_SCALE = ((0.0, "#D7191C"), (0.5, "#FDAE61"), (0.7, "#FFFFBF"), (0.9, "#ABD9E9"),
                  (1.0, "#2C7BB6"))
#: an overview node with no health institution
NO_RATE_COLOUR = "#F7F7F7"


def coverage_colour(rate: float | None) -> str:
    """Return the overview colour of a coverage rate (``None``: no health institution).

    Examples
    --------
    >>> coverage_colour(0.95), coverage_colour(1.0), coverage_colour(None)
    ('#ABD9E9', '#2C7BB6', '#F7F7F7')
    """
    if rate is None:
        return NO_RATE_COLOUR
    colour = COVERAGE_SCALE[0][1]
    for lowest, value in COVERAGE_SCALE:
        if rate >= lowest:
            colour = value
    return colour


def coverage_bin_text(index: int) -> str:
    """Return the range of a coverage bin as text (``"50–70%"``, ``"100%"``).

    Examples
    --------
    >>> [coverage_bin_text(i) for i in range(5)]
    ['<50%', '50–70%', '70–90%', '90–<100%', '100%']
    """
    low = COVERAGE_SCALE[index][0]
    if index == 0:
        return f"<{COVERAGE_SCALE[1][0]:.0%}"
    if index == len(COVERAGE_SCALE) - 1:
        return f"{low:.0%}"
    high = COVERAGE_SCALE[index + 1][0]
    if high >= 1.0:
        return f"{low * 100:.0f}–<100%"
    return f"{low * 100:.0f}–{high:.0%}"


TEXTS = MappingProxyType({
    "en": MappingProxyType({
        "map_title": "orgnet map: {dataset}",
        "report_title": "orgnet report: {dataset}",
        "view.units": "Units and their working ties",
        "view.party": "Party organization tree and coverage",
        "view.referral": "Referral network (up and down)",
        "view.full": "Full network",
        "structure_toggle": "Show structure (parent, party hierarchy, coverage)",
        "legend": "Legend",
        "legend.nodes": "Entities",
        "legend.edges": "Ties",
        "legend.marks": "Findings on the map",
        "mark.uncovered": "Health institution with no party organization",
        "mark.isolated": "Isolated unit (no working tie)",
        "mark.cut": "Cut unit (its removal splits the network)",
        "mark.broken": "Referral chain breaks before the county",
        "mark.break_point": "Break point of a referral chain",
        "mark.one_way": "One-way referral (no referral back)",
        "mark.uncontacted": "Representative figure no one keeps in touch with",
        "mark.no_station": "Township with representative figures but no liaison station",
        "view.united_front": "United front: representative figures, contacts and liaison stations",
        "legend.hover": "Point at a unit or a tie to see its findings and suggestions.",
        "ref.up": "Referral up (to a higher level)",
        "ref.down": "Referral down (to a lower level)",
        "ref.same": "Referral within a level",
        "ref.inactive": "Tie with no activity (count 0)",
        "edge.MIXED": "Several kinds of working ties",
        "edge.UNIT": "Working tie between units",
        "findings": "Findings",
        "suggestion": "Suggestion",
        "members": "members",
        "count": "count",
        "kind": "kind",
        "level": "level",
        "id": "id",
        "region": "region",
        "aggregated": "This network has {before} nodes, more than {limit} can be shown "
                      "interactively; it is shown aggregated ({how}): {after} nodes. "
                      "For one county or medical community in full detail, draw the map "
                      "with --region ID or --community ID.",
        "agg.members": "members into their organization or workplace",
        "agg.villages": "village-level units into their township",
        "agg.truncated": "only the {after} most connected and flagged nodes kept",
        "agg.note_members": "+{n} members",
        "agg.note_villages": "+{n} village units",
        "no_findings_for_check": "No findings of check {check} in this selection.",
        "filtered": "Filtered: {what}",
        "empty": "Nothing to show for this selection.",
        "nodes_edges": "{nodes} nodes, {edges} edges",
        "redacted": "Member names are replaced by pseudonyms.",
        "severity": "Severity",
        "check": "Check",
        "subject": "Subject",
        "message": "Message",
        "family": "Family",
        "all": "All",
        "search": "Search",
        "summary": "Summary",
        "coverage_by_kind": "Coverage by institution kind",
        "coverage_by_region": "Coverage by region",
        "org_coverage": "Organizational coverage (组织覆盖率)",
        "own_branch_rate": "Own-branch rate (单独组建率)",
        "work_coverage": "Work coverage (covered or reached by a liaison)",
        "health_institutions": "Health institutions",
        "referral_balance": "Referral balance",
        "referrals_up": "Referrals up",
        "referrals_down": "Referrals down",
        "referrals_same": "Referrals within a level",
        "entities": "Entities",
        "representatives": "Representative non-party figures (党外代表人士)",
        "contact_rate": "Contacted (联系率)",
        "station_coverage": "Townships with a liaison station (联络站覆盖率)",
        "united_front_by_county": "United front by county",
        "county": "County",
        "all_counties": "All",
        "findings_by_severity": "Findings by severity",
        "map": "Map",
        "shown": "{shown} of {total} findings shown",
        "none": "none",
        "no_region": "(no region)",
        "generated": "Generated by orgnet from dataset {dataset}.",
        "print_hint": "Print this page for a paper copy; the map prints as shown.",
        "sort_hint": "Click a column header to sort.",
        "search_placeholder": "Find a unit: name or id",
        "no_match": "No unit matches.",
        "zoom_in": "Zoom in",
        "zoom_out": "Zoom out",
        "fit": "Whole map",
        "export_png": "Save PNG",
        "filters": "Filters",
        "filter.kind": "Kinds",
        "any": "Any",
        "filter.none_left": "No unit matches the filters.",
        "filter.reset": "Show all",
        "back_to_overview": "Back to the overview",
        "open_detail": "Click to open this region in detail.",
        "external": "In another region (tied to this one)",
        "legend.coverage": "Organizational coverage (组织覆盖率)",
        "no_health_institution": "No health institution",
        "edge.OVERVIEW": "Ties between the regions' units",
        "overview_ties": "{ties} ties, count {count}",
        "overview_title": "Overview by {level}",
        "overview_note": "{regions} regions ({level}), coloured by organizational coverage. "
                         "Click a region to open its units in detail; search finds any unit.",
        "page": "Page {page} of {pages}",
        "previous": "Previous",
        "next": "Next",
        "show_on_map": "Click a finding to show it on the map.",
        "not_on_map": "Not drawn on the map",
        "fold_expand": "Show the {count} findings of this line",
        "fold_collapse": "Hide the {count} findings of this line",
        "fold_count": "{count} findings",
        "fold_hint": "Lines marked ▸ group findings that restate the designed hierarchy; "
                     "open them with ▸ (or Enter on ▸).",
    }),
    "zh": MappingProxyType({
        "map_title": "orgnet 网络图：{dataset}",
        "report_title": "orgnet 分析报告：{dataset}",
        "view.units": "机构及其工作联系",
        "view.party": "党组织体系与覆盖",
        "view.referral": "双向转诊网络（上转与下转）",
        "view.full": "全网络",
        "structure_toggle": "显示结构关系（上级、党组织隶属、覆盖）",
        "legend": "图例",
        "legend.nodes": "主体",
        "legend.edges": "联系",
        "legend.marks": "图上标注的问题",
        "mark.uncovered": "未建立党组织的卫生机构",
        "mark.isolated": "孤立机构（无工作联系）",
        "mark.cut": "关键节点（移除后网络断开）",
        "mark.broken": "转诊链在县级之前中断",
        "mark.break_point": "转诊链断点",
        "mark.one_way": "单向转诊（无回转）",
        "mark.uncontacted": "无人联系的党外代表人士",
        "mark.no_station": "有党外代表人士但未建联络站的乡镇",
        "view.united_front": "统战工作：党外代表人士、联谊交友与统战联络站",
        "legend.hover": "鼠标指向机构或联系可查看其问题与建议。",
        "ref.up": "上转（转往更高层级）",
        "ref.down": "下转（转往更低层级）",
        "ref.same": "同级转诊",
        "ref.inactive": "无实际往来的联系（次数为0）",
        "edge.MIXED": "多种工作联系",
        "edge.UNIT": "机构间工作联系",
        "findings": "问题",
        "suggestion": "建议",
        "members": "人",
        "count": "次数",
        "kind": "类型",
        "level": "层级",
        "id": "编号",
        "region": "区域",
        "aggregated": "该网络共有 {before} 个节点，超过可交互显示的 {limit} 个；"
                      "已聚合显示（{how}）：{after} 个节点。"
                      "如需查看某个县或医共体的完整细节，请用 --region 或 --community 参数生成地图。",
        "agg.members": "人员并入所属党组织或工作单位",
        "agg.villages": "村级机构并入所属乡镇",
        "agg.truncated": "仅保留联系最多及有问题的 {after} 个节点",
        "agg.note_members": "另含 {n} 人",
        "agg.note_villages": "另含 {n} 个村级机构",
        "no_findings_for_check": "当前范围内没有检查项 {check} 的问题。",
        "filtered": "筛选：{what}",
        "empty": "当前范围内没有可显示的内容。",
        "nodes_edges": "{nodes} 个节点，{edges} 条联系",
        "redacted": "人员姓名已替换为化名。",
        "severity": "严重程度",
        "check": "检查项",
        "subject": "对象",
        "message": "问题说明",
        "family": "类别",
        "all": "全部",
        "search": "搜索",
        "summary": "概况",
        "coverage_by_kind": "按机构类型的覆盖情况",
        "coverage_by_region": "按区域的覆盖情况",
        "org_coverage": "组织覆盖率",
        "own_branch_rate": "单独组建率",
        "work_coverage": "工作覆盖率（已覆盖或有联点）",
        "health_institutions": "卫生机构",
        "referral_balance": "转诊平衡",
        "referrals_up": "上转",
        "referrals_down": "下转",
        "referrals_same": "同级转诊",
        "entities": "主体数量",
        "representatives": "党外代表人士",
        "contact_rate": "联系率",
        "station_coverage": "联络站覆盖率",
        "united_front_by_county": "统战工作（按县区）",
        "county": "县（区）",
        "all_counties": "合计",
        "findings_by_severity": "按严重程度的问题数",
        "map": "网络图",
        "shown": "显示 {shown} / {total} 条问题",
        "none": "无",
        "no_region": "（未填区域）",
        "generated": "由 orgnet 根据数据集 {dataset} 生成。",
        "print_hint": "可直接打印本页；网络图按当前显示打印。",
        "sort_hint": "点击表头可排序。",
        "search_placeholder": "查找机构：名称或编号",
        "no_match": "没有匹配的机构。",
        "zoom_in": "放大",
        "zoom_out": "缩小",
        "fit": "全图",
        "export_png": "导出 PNG",
        "filters": "筛选",
        "filter.kind": "类型",
        "any": "不限",
        "filter.none_left": "没有符合筛选条件的机构。",
        "filter.reset": "全部显示",
        "back_to_overview": "返回总览",
        "open_detail": "点击查看该区域的详细网络。",
        "external": "其他区域的机构（与本区域有联系）",
        "legend.coverage": "组织覆盖率",
        "no_health_institution": "无卫生机构",
        "edge.OVERVIEW": "区域之间的机构联系",
        "overview_ties": "{ties} 条联系，次数 {count}",
        "overview_title": "按{level}总览",
        "overview_note": "共 {regions} 个区域（{level}），颜色表示组织覆盖率。"
                         "点击区域查看其机构的详细网络；搜索可直接找到任一机构。",
        "page": "第 {page} / {pages} 页",
        "previous": "上一页",
        "next": "下一页",
        "show_on_map": "点击问题可在网络图上显示。",
        "not_on_map": "不在网络图上",
        "fold_expand": "展开本行的 {count} 条问题",
        "fold_collapse": "收起本行的 {count} 条问题",
        "fold_count": "{count} 条问题",
        "fold_hint": "标有 ▸ 的行合并了符合设计层级结构的问题，点击 ▸（或在 ▸ 上按回车）可展开。",
    }),
})

_FAMILY_ZH = {"coverage": "组织覆盖", "structure": "组织设置", "referral": "双向转诊",
              "service": "妇幼服务链", "connectivity": "网络连通"}
_LINK_EN = {"referral": "Referral", "pairing": "Pairing", "liaison": "Liaison",
            "assistance": "Assistance", "consultation": "Consultation",
            "outreach": "Outreach", "other": "Other tie"}
_LINK_ZH = LINK_TYPE_ZH
_STRUCTURE_NAMES = {
    INSTITUTION_PARENT: ("Belongs to (parent institution)", "隶属（上级机构）"),
    ORG_PARENT: ("Reports to (party hierarchy)", "党组织隶属"),
    COVERS: ("Covers (organization set up in)", "覆盖（党组织所在机构）"),
    REGION_PARENT: ("Part of region", "上级区域"),
    IN_REGION: ("In region", "所属区域"),
    MEMBER_OF: ("Member of", "所属党组织"),
    WORKS_AT: ("Works at", "工作单位"),
}


def text(key: str, lang: str = "en", **fields) -> str:
    """Return a page text in a language, formatted with ``fields``.

    Examples
    --------
    >>> text("nodes_edges", "zh", nodes=3, edges=2)
    '3 个节点，2 条联系'
    """
    return TEXTS[lang][key].format(**fields)


def display_kind(key: str | None, lang: str = "en") -> str:
    """Return how a vocabulary key (kind, status, link type, label) is shown.

    Examples
    --------
    >>> display_kind("township_health_center")
    'township health center'
    >>> display_kind("branch", "zh")
    '党支部'
    """
    if key is None:
        return ""
    if lang == "zh":
        if key in ZH:
            return ZH[key]
        if key in _FAMILY_ZH:
            return _FAMILY_ZH[key]
        if key in _STRUCTURE_NAMES:
            return _STRUCTURE_NAMES[key][1]
        return str(key)
    if key in _STRUCTURE_NAMES:
        return _STRUCTURE_NAMES[key][0]
    return str(key).replace("_", " ")


def link_type_name(link_type: str, lang: str = "en") -> str:
    """Return the display name of a link type key.

    Examples
    --------
    >>> link_type_name("pairing"), link_type_name("pairing", "zh")
    ('Pairing', '结对共建')
    """
    if lang == "zh":
        return _LINK_ZH.get(link_type, str(link_type))
    return _LINK_EN.get(link_type, str(link_type))


def node_style(label: str, kind: str | None = None, status: str | None = None) -> dict:
    """Return ``{"shape", "color"}`` of an entity from its label and kind or status.

    Examples
    --------
    >>> node_style(PARTY_ORG, "branch")
    {'shape': 'triangle', 'color': '#EF3B2C'}
    >>> node_style(MEMBER, status="non_party")["color"]
    '#7FBC41'
    """
    shape = LABEL_SHAPES.get(label, "dot")
    if label == INSTITUTION:
        return {"shape": _INSTITUTION_SHAPES.get(kind, shape),
                "color": INSTITUTION_COLOURS.get(kind, INSTITUTION_COLOURS["other"])}
    if label == PARTY_ORG:
        return {"shape": shape, "color": ORG_COLOURS.get(kind, ORG_COLOURS["branch"])}
    if label == MEMBER:
        return {"shape": shape, "color": STATUS_COLOURS.get(status, "#a6a6a6")}
    return {"shape": shape, "color": REGION_COLOURS.get(kind, REGION_COLOUR)}


def edge_style(rel_type: str) -> dict:
    """Return ``{"color", "dashes", "arrows"}`` of a relationship type or view edge type.

    Examples
    --------
    >>> edge_style("LIAISON")["dashes"]
    [2, 4]
    >>> edge_style("MIXED")["arrows"]
    ''
    """
    style = EDGE_STYLES.get(rel_type) or _EXTRA_STYLES.get(rel_type)
    if style is None:
        raise KeyError(f"no edge style for {rel_type!r}")
    return dict(style)


def referral_width(count: int, largest: int) -> float:
    """Return an edge width from 1 to 10, by the square root of count over the largest.

    Examples
    --------
    >>> referral_width(25, 100)
    5.5
    """
    if largest <= 0 or count <= 0:
        return 1.0
    return round(1.0 + 9.0 * math.sqrt(min(count, largest) / largest), 2)


def node_size(value: int, largest: int, *, smallest_size: float = 10.0,
              biggest_size: float = 40.0) -> float:
    """Return a node size between two bounds by the square root of ``value / largest``.

    Used with the degree of a unit or the number of members of an organization.

    Examples
    --------
    >>> node_size(0, 9), node_size(9, 9)
    (10.0, 40.0)
    """
    if largest <= 0 or value <= 0:
        return smallest_size
    share = math.sqrt(min(value, largest) / largest)
    return round(smallest_size + (biggest_size - smallest_size) * share, 2)


def text_width(value: str, font_size: float) -> float:
    """Return a generous estimate of the drawn width of one line of text, in pixels.

    A wide or fullwidth character (Chinese, Japanese, Korean, and ambiguous ones like
    ``■`` that CJK fonts draw wide) counts one em, any other character 0.62 em: an
    upper bound for proportional sans-serif fonts, so what is laid out with it does
    not overlap.  Combining marks count nothing.

    Examples
    --------
    >>> text_width("abcd", 10), text_width("组织覆盖率", 10)
    (24.8, 50.0)
    >>> text_width("", 12)
    0.0
    """
    total = 0.0
    for char in value:
        if unicodedata.combining(char):
            continue
        total += 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.62
    return round(total * font_size, 1)


def _check_keys() -> None:
    """Fail at import if a schema vocabulary has no encoding (a kind added without a colour)."""
    missing = (set(INSTITUTION_KINDS) - set(INSTITUTION_COLOURS)) \
        | (set(ORG_KINDS) - set(ORG_COLOURS)) | (set(MEMBER_STATUSES) - set(STATUS_COLOURS)) \
        | (set(LINK_REL_TYPES.values()) - set(EDGE_STYLES))
    if missing:
        raise RuntimeError(f"visual encoding misses {sorted(missing)}")


_check_keys()
