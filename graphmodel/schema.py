"""The one definition of orgnet's graph schema and vocabularies.

Everything that names a node label, a relationship type, a table, a column or a
vocabulary value imports it from here: the loaders, both stores, the checks and
the maps.  Nothing else spells a label.

The vocabularies follow ``dataset-format.md`` section 3 (English key or Chinese
alias accepted on input); the Chinese headers and sheet names follow section 4.

Examples
--------
>>> INSTITUTION_KINDS["village_clinic"].level
'village'
>>> canonical_value(INSTITUTION_KIND_ALIASES, "村卫生室")
'village_clinic'
>>> level_rank("county") > level_rank("township")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "REGION", "INSTITUTION", "PARTY_ORG", "MEMBER", "STAGE", "ENTITY_LABELS",
    "DATASET_LABEL",
    "TABLE_LABEL", "LABEL_TABLE",
    "REGION_PARENT", "INSTITUTION_PARENT", "ORG_PARENT", "IN_REGION", "COVERS",
    "MEMBER_OF", "WORKS_AT", "PROVIDES", "LINK_REL_TYPES", "STRUCTURE_REL_TYPES",
    "REL_TYPES", "link_rel_type", "link_type_of_rel",
    "InstitutionKind", "INSTITUTION_KINDS", "INSTITUTION_KIND_ALIASES",
    "HEALTH_KINDS", "LEVELS", "LEVEL_ALIASES", "level_rank",
    "ORG_KINDS", "ORG_KIND_ALIASES", "BRANCH_KINDS", "OWN_BRANCH_KINDS",
    "SECRETARY_KINDS", "EMPTY_CHECK_KINDS", "TOP_ORG_KINDS",
    "MEMBER_STATUSES", "MEMBER_STATUS_ALIASES", "STATUSES_WITH_ORG",
    "ROLES", "ROLE_ALIASES", "LINK_TYPES", "LINK_TYPE_ALIASES", "DIRECTED_LINK_TYPES",
    "STAGES", "STAGE_ALIASES", "LINK_TYPE_ZH", "TABLES", "TABLE_ORDER", "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS", "LIST_COLUMNS", "LIST_SEPARATORS", "HEADER_ALIASES",
    "TABLE_ALIASES", "ZH", "canonical_value", "Settings", "DEFAULT_SETTINGS",
    "FULL_STATUS", "PARTY_MEMBER_STATUSES", "SECRETARY_ROLE", "BRANCH_COMMITTEE_ROLES",
    "ORG_TIERS", "TOWNSHIP_LEVEL", "COUNTY_LEVEL", "REFERRAL_LINK", "LIAISON_LINK",
    "STAGE_PROVIDER_KINDS", "COUNTY_HOSPITAL_KIND", "JOINT_BRANCH_KIND",
    "UNITED_FRONT_KINDS", "UNITED_FRONT_STATION_KIND", "CONTACT_LINK", "UNIT_NETWORK_LINK_TYPES",
    "is_unit_network_kind", "REPRESENTATIVE_ROLE", "UNITED_FRONT_ROLES", "NON_PARTY_STATUSES",
    "CONTACT_SOURCE_STATUSES", "UNITED_FRONT_COMMITTEE_KINDS", "VILLAGE_LEVEL",
]

# ---------------------------------------------------------------------------
# Node labels
# ---------------------------------------------------------------------------
REGION = "Region"
INSTITUTION = "Institution"
PARTY_ORG = "PartyOrg"
MEMBER = "Member"
#: Life-cycle service stages are nodes in Neo4j only (one per stage and dataset);
#: the embedded graph keeps services as a graph attribute (see graphmodel.embedded).
STAGE = "Stage"
ENTITY_LABELS = (REGION, INSTITUTION, PARTY_ORG, MEMBER)
#: Neo4j only: one ``(:OrgnetDataset {name, graph})`` node per loaded dataset names
#: its live version (see graphmodel.neo4j_store).
DATASET_LABEL = "OrgnetDataset"

#: table name -> label of the entities it holds
TABLE_LABEL = MappingProxyType({
    "regions": REGION,
    "institutions": INSTITUTION,
    "party_orgs": PARTY_ORG,
    "members": MEMBER,
})
LABEL_TABLE = MappingProxyType({v: k for k, v in TABLE_LABEL.items()})

# ---------------------------------------------------------------------------
# Relationship types (direction: from the row's entity to what it names)
# ---------------------------------------------------------------------------
REGION_PARENT = "PART_OF_REGION"        # (:Region)-[:PART_OF_REGION]->(:Region)
INSTITUTION_PARENT = "BELONGS_TO"       # (:Institution)-[:BELONGS_TO]->(:Institution)
ORG_PARENT = "REPORTS_TO"               # (:PartyOrg)-[:REPORTS_TO]->(:PartyOrg)
IN_REGION = "IN_REGION"                 # (:Institution)-[:IN_REGION]->(:Region)
COVERS = "COVERS"                       # (:PartyOrg)-[:COVERS]->(:Institution)
MEMBER_OF = "MEMBER_OF"                 # (:Member)-[:MEMBER_OF]->(:PartyOrg)
WORKS_AT = "WORKS_AT"                   # (:Member)-[:WORKS_AT]->(:Institution)
PROVIDES = "PROVIDES"                   # (:Institution)-[:PROVIDES {coordinator_org_id}]->(:Stage)

#: link type key -> relationship type; a link row becomes one relationship
#: from source to target carrying count, period, note and its row number.
LINK_REL_TYPES = MappingProxyType({
    "referral": "REFERRAL",
    "pairing": "PAIRING",
    "liaison": "LIAISON",
    "assistance": "ASSISTANCE",
    "consultation": "CONSULTATION",
    "outreach": "OUTREACH",
    "contact": "CONTACT",
    "other": "OTHER_LINK",
})
STRUCTURE_REL_TYPES = (REGION_PARENT, INSTITUTION_PARENT, ORG_PARENT, IN_REGION,
                       COVERS, MEMBER_OF, WORKS_AT)
REL_TYPES = STRUCTURE_REL_TYPES + (PROVIDES,) + tuple(LINK_REL_TYPES.values())


def link_rel_type(link_type: str) -> str:
    """Return the relationship type for a link type key.

    Examples
    --------
    >>> link_rel_type("referral")
    'REFERRAL'
    """
    return LINK_REL_TYPES[link_type]


def link_type_of_rel(rel_type: str) -> str | None:
    """Return the link type key of a relationship type, or None if it is not a link.

    Examples
    --------
    >>> link_type_of_rel("OTHER_LINK")
    'other'
    >>> link_type_of_rel("COVERS") is None
    True
    """
    for key, rel in LINK_REL_TYPES.items():
        if rel == rel_type:
            return key
    return None


# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------
def _aliases(table: dict[str, tuple[str, ...]]) -> MappingProxyType:
    """Map every key and alias (lower-cased) to its key."""
    out: dict[str, str] = {}
    for key, aliases in table.items():
        out[key.lower()] = key
        for alias in aliases:
            out[alias.lower()] = key
    return MappingProxyType(out)


def canonical_value(aliases: MappingProxyType, value: str) -> str | None:
    """Return the canonical key for an input value, or None if it is unknown.

    Matching ignores case and surrounding whitespace; ``-`` and spaces count as ``_``.

    Examples
    --------
    >>> canonical_value(LINK_TYPE_ALIASES, "结对共建")
    'pairing'
    >>> canonical_value(LINK_TYPE_ALIASES, "Referral")
    'referral'
    >>> canonical_value(LINK_TYPE_ALIASES, "nonsense") is None
    True
    """
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in aliases:
        return aliases[text]
    return aliases.get(text.replace("-", "_").replace(" ", "_"))


LEVELS = ("village", "township", "county", "city", "province")
LEVEL_ALIASES = _aliases({
    "village": ("村", "社区"),
    "township": ("乡镇", "乡", "镇", "街道"),
    "county": ("县", "区", "县级"),
    "city": ("市", "地市"),
    "province": ("省",),
})


def level_rank(level: str | None) -> int:
    """Return the order of a level key (village 0 ... province 4); -1 if unknown.

    Examples
    --------
    >>> level_rank("village"), level_rank("city")
    (0, 3)
    """
    try:
        return LEVELS.index(level)
    except ValueError:
        return -1


@dataclass(frozen=True)
class InstitutionKind:
    """An institution kind: its key, default level and whether it is a health institution."""

    key: str
    level: str
    health: bool
    aliases: tuple[str, ...]


_KINDS = (
    InstitutionKind("health_bureau", "county", False, ("卫健局", "卫生健康局", "卫计局")),
    InstitutionKind("city_hospital", "city", True, ("市级医院", "市医院")),
    InstitutionKind("county_hospital", "county", True, ("县级医院", "县医院", "医共体总院", "县人民医院")),
    InstitutionKind("mch_hospital", "county", True, ("妇幼保健院", "妇幼保健所", "妇幼保健计划生育服务中心")),
    InstitutionKind("township_health_center", "township", True, ("乡镇卫生院", "卫生院", "分院")),
    InstitutionKind("community_health_center", "township", True, ("社区卫生服务中心",)),
    InstitutionKind("community_health_station", "village", True, ("社区卫生服务站",)),
    InstitutionKind("village_clinic", "village", True, ("村卫生室", "卫生室", "村卫生所", "卫生所")),
    InstitutionKind("street_office", "township", False, ("街道办事处", "街道")),
    InstitutionKind("party_service_station", "township", False, ("党群服务站", "党群服务中心")),
    InstitutionKind("school", "village", False, ("学校",)),
    InstitutionKind("other", "village", False, ("其他",)),
    # the united-front layer (section 7b): neither health institutions nor units of
    # the unit network (section 6)
    InstitutionKind("united_front_station", "township", False,
                    ("统战工作联络站", "统战联络站", "统战之家", "同心苑")),
    InstitutionKind("association", "county", False,
                    ("商会", "工商联", "新联会", "知联会", "行业协会", "社会组织")),
)
INSTITUTION_KINDS = MappingProxyType({k.key: k for k in _KINDS})
INSTITUTION_KIND_ALIASES = _aliases({k.key: k.aliases for k in _KINDS})
HEALTH_KINDS = frozenset(k.key for k in _KINDS if k.health)
#: the united-front institution kinds: neither nodes nor endpoints of the unit network
UNITED_FRONT_KINDS = frozenset({"united_front_station", "association"})
#: the kind of a united-front liaison station (统战工作联络站)
UNITED_FRONT_STATION_KIND = "united_front_station"


def is_unit_network_kind(kind) -> bool:
    """Return True when institutions of a kind are nodes of the unit network (section 6).

    Examples
    --------
    >>> is_unit_network_kind("village_clinic"), is_unit_network_kind("united_front_station")
    (True, False)
    """
    return kind not in UNITED_FRONT_KINDS

ORG_KINDS = ("committee", "working_committee", "general_branch", "branch",
             "joint_branch", "group", "temporary_group")
ORG_KIND_ALIASES = _aliases({
    "committee": ("党委", "基层党委"),
    "working_committee": ("党工委",),
    "general_branch": ("党总支",),
    "branch": ("党支部",),
    "joint_branch": ("联合党支部",),
    "group": ("党小组",),
    "temporary_group": ("临时党小组",),
})
#: kinds subject to the branch size / committee checks
BRANCH_KINDS = frozenset({"branch", "joint_branch"})
#: kinds that count as an institution's own organization (单独组建)
OWN_BRANCH_KINDS = frozenset({"committee", "general_branch", "branch"})
#: kinds that must have a secretary
SECRETARY_KINDS = frozenset({"committee", "general_branch", "branch", "joint_branch"})
#: kinds reported by coverage.empty_org
EMPTY_CHECK_KINDS = frozenset({"general_branch", "branch", "joint_branch", "group", "temporary_group"})
#: kinds that may stand without a parent
TOP_ORG_KINDS = frozenset({"committee", "working_committee"})

MEMBER_STATUSES = ("full", "probationary", "activist", "non_party",
                   "democratic_party", "independent")
MEMBER_STATUS_ALIASES = _aliases({
    "full": ("正式党员", "中共党员", "党员"),
    "probationary": ("预备党员", "中共预备党员"),
    "activist": ("入党积极分子",),
    "non_party": ("群众", "非党员"),
    "democratic_party": ("民主党派",),
    "independent": ("无党派人士",),
})
STATUSES_WITH_ORG = frozenset({"full", "probationary", "activist"})
#: statuses of people outside the party: a representative figure has one of them
NON_PARTY_STATUSES = frozenset({"non_party", "democratic_party", "independent"})
#: member statuses that may be the source of a ``contact`` link (a party org may too)
CONTACT_SOURCE_STATUSES = frozenset({"full", "probationary"})

ROLES = ("secretary", "deputy_secretary", "committee_member", "group_leader",
         "liaison", "family_doctor", "expert", "representative", "united_front_member",
         "united_front_officer")
ROLE_ALIASES = _aliases({
    "secretary": ("书记",),
    "deputy_secretary": ("副书记",),
    "committee_member": ("委员",),
    "group_leader": ("党小组长",),
    "liaison": ("联络员", "联点负责人"),
    "family_doctor": ("家庭医生",),
    "expert": ("专家",),
    "representative": ("党外代表人士", "代表人士"),
    "united_front_member": ("统战委员",),
    "united_front_officer": ("统战干事",),
})

LINK_TYPES = tuple(LINK_REL_TYPES)
LINK_TYPE_ALIASES = _aliases({
    "referral": ("转诊",),
    "pairing": ("结对", "共建", "结对共建"),
    "liaison": ("联点", "联系"),
    "assistance": ("帮扶", "技术帮扶"),
    "consultation": ("会诊", "远程会诊"),
    "outreach": ("下沉", "坐诊"),
    "contact": ("联谊交友", "联系交友", "挂点联系"),
    "other": ("其他",),
})
DIRECTED_LINK_TYPES = frozenset({"referral", "assistance", "outreach", "liaison", "contact"})
#: link types that make edges of the unit network (section 6): all but ``contact``
UNIT_NETWORK_LINK_TYPES = tuple(t for t in LINK_REL_TYPES if t != "contact")

STAGES = ("pre_pregnancy", "pregnancy_registration", "prenatal_care", "delivery",
          "postpartum_followup", "newborn_screening", "child_health")
STAGE_ALIASES = _aliases({
    "pre_pregnancy": ("孕前",),
    "pregnancy_registration": ("孕期登记",),
    "prenatal_care": ("产前检查",),
    "delivery": ("分娩",),
    "postpartum_followup": ("产后随访",),
    "newborn_screening": ("新生儿筛查",),
    "child_health": ("儿童保健",),
})

# ---------------------------------------------------------------------------
# Vocabulary values the checks name (section 7), so that no check spells them
# ---------------------------------------------------------------------------
#: "full members of an org" count this status
FULL_STATUS = "full"
#: members counted against the 50-member limit of a branch
PARTY_MEMBER_STATUSES = frozenset({"full", "probationary"})
SECRETARY_ROLE = "secretary"
JOINT_BRANCH_KIND = "joint_branch"
#: roles that make up a branch committee (支部委员会: 书记、副书记、委员)
BRANCH_COMMITTEE_ROLES = frozenset({"secretary", "deputy_secretary", "committee_member"})
#: place of each org kind in the party hierarchy (0 top): an org reports to one of a
#: lower tier number
ORG_TIERS = MappingProxyType({
    "committee": 0, "working_committee": 0, "general_branch": 1, "branch": 2,
    "joint_branch": 2, "group": 3, "temporary_group": 3,
})
TOWNSHIP_LEVEL = "township"
VILLAGE_LEVEL = "village"
COUNTY_LEVEL = "county"
REFERRAL_LINK = "referral"
LIAISON_LINK = "liaison"
#: the united-front contact (联谊交友) link type (section 7b)
CONTACT_LINK = "contact"
#: the role that makes a non-party member a representative figure (党外代表人士)
REPRESENTATIVE_ROLE = "representative"
#: roles a responsible committee needs one member with (统战委员, 统战干事)
UNITED_FRONT_ROLES = frozenset({"united_front_member", "united_front_officer"})
#: org kinds that are a representative's responsible committee
UNITED_FRONT_COMMITTEE_KINDS = frozenset({"committee", "working_committee"})
#: the kind named as the county hospital of an area (referral suggestions)
COUNTY_HOSPITAL_KIND = "county_hospital"
#: institution kinds suited to provide each life-cycle stage, most suitable first
#: (used to suggest a provider for service.stage_gap)
STAGE_PROVIDER_KINDS = MappingProxyType({
    "pre_pregnancy": ("mch_hospital", "township_health_center", "community_health_center",
                      "county_hospital", "city_hospital"),
    "pregnancy_registration": ("township_health_center", "community_health_center",
                               "mch_hospital", "county_hospital", "city_hospital"),
    "prenatal_care": ("mch_hospital", "county_hospital", "township_health_center",
                      "community_health_center", "city_hospital"),
    "delivery": ("mch_hospital", "county_hospital", "city_hospital",
                 "township_health_center"),
    "postpartum_followup": ("township_health_center", "community_health_center",
                            "village_clinic", "community_health_station", "mch_hospital"),
    "newborn_screening": ("mch_hospital", "county_hospital", "city_hospital",
                          "township_health_center"),
    "child_health": ("mch_hospital", "township_health_center", "community_health_center",
                     "village_clinic", "community_health_station", "county_hospital"),
})

# ---------------------------------------------------------------------------
# Tables and columns (section 2) and their Chinese names (section 4)
# ---------------------------------------------------------------------------
TABLE_ORDER = ("regions", "institutions", "party_orgs", "members", "links", "services")
TABLES = frozenset(TABLE_ORDER)
REQUIRED_COLUMNS = MappingProxyType({
    "regions": ("id", "name", "level"),
    "institutions": ("id", "name", "kind"),
    "party_orgs": ("id", "name", "kind"),
    "members": ("id", "name", "status"),
    "links": ("source_id", "target_id", "type"),
    "services": ("institution_id", "stage"),
})
OPTIONAL_COLUMNS = MappingProxyType({
    "regions": ("parent_id",),
    "institutions": ("level", "region_id", "parent_id"),
    "party_orgs": ("parent_id", "institution_ids"),
    "members": ("org_id", "institution_id", "roles", "affiliation"),
    "links": ("count", "period", "note"),
    "services": ("coordinator_org_id",),
})
LIST_COLUMNS = frozenset({"institution_ids", "roles"})
LIST_SEPARATORS = (";", "；", "、")

#: Chinese header -> column key.  名称 and 姓名 both mean name.
HEADER_ALIASES = MappingProxyType({
    "编号": "id", "名称": "name", "姓名": "name", "类型": "kind", "类别": "kind",
    "层级": "level", "所属区域": "region_id", "上级编号": "parent_id",
    "所在机构": "institution_ids", "所属党组织": "org_id", "工作单位": "institution_id",
    "机构编号": "institution_id", "政治面貌": "status", "职务": "roles",
    "所属党派": "affiliation", "起点": "source_id", "终点": "target_id",
    "关系类型": "type", "次数": "count", "时期": "period", "备注": "note",
    "服务环节": "stage", "协同党组织": "coordinator_org_id",
})
#: Chinese sheet / file name -> table name
TABLE_ALIASES = MappingProxyType({
    "区域": "regions", "机构": "institutions", "党组织": "party_orgs",
    "人员": "members", "党员": "members", "关系": "links", "服务": "services",
})

#: Chinese display names of every vocabulary key, for --lang zh output and maps.
ZH = MappingProxyType({
    **{k.key: k.aliases[0] for k in _KINDS},
    "association": "社会组织",
    "village": "村", "township": "乡镇", "county": "县", "city": "市", "province": "省",
    "committee": "党委", "working_committee": "党工委", "general_branch": "党总支",
    "branch": "党支部", "joint_branch": "联合党支部", "group": "党小组",
    "temporary_group": "临时党小组",
    "full": "正式党员", "probationary": "预备党员", "activist": "入党积极分子",
    "non_party": "群众", "democratic_party": "民主党派", "independent": "无党派人士",
    "secretary": "书记", "deputy_secretary": "副书记", "committee_member": "委员",
    "group_leader": "党小组长", "liaison": "联络员", "family_doctor": "家庭医生",
    "expert": "专家", "representative": "党外代表人士", "united_front_member": "统战委员",
    "united_front_officer": "统战干事",
    "referral": "转诊", "pairing": "结对共建", "assistance": "帮扶",
    "consultation": "会诊", "outreach": "下沉坐诊", "contact": "联谊交友",
    "pre_pregnancy": "孕前", "pregnancy_registration": "孕期登记",
    "prenatal_care": "产前检查", "delivery": "分娩", "postpartum_followup": "产后随访",
    "newborn_screening": "新生儿筛查", "child_health": "儿童保健",
    REGION: "区域", INSTITUTION: "机构", PARTY_ORG: "党组织", MEMBER: "人员",
    "high": "高", "medium": "中", "low": "低",
})


#: Chinese names of link types.  Kept apart from :data:`ZH` because the link type
#: ``liaison`` (联点联系) and the role ``liaison`` (联络员) share a key.
LINK_TYPE_ZH = MappingProxyType({
    "referral": "转诊", "pairing": "结对共建", "liaison": "联点联系",
    "assistance": "技术帮扶", "consultation": "会诊", "outreach": "下沉坐诊",
    "contact": "联谊交友", "other": "其他联系",
})


# ---------------------------------------------------------------------------
# Check thresholds (section 7)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """Thresholds of the structure and united-front checks.

    The structure defaults come from the 《中国共产党支部工作条例（试行）》 (2018): a branch is
    set up where there are 3 or more full members (第五条); a branch with 7 or more full
    members sets up a branch committee (第九条); a branch generally has no more than
    50 members (第六条); a joint branch generally covers no more than 5 units (第五条).
    ``united_front_contacts_per_member`` is a local-practice default (no regulation
    sets it): the settings named in :attr:`LOCAL_DEFAULTS` are listed apart.

    Examples
    --------
    >>> Settings().branch_min_full_members
    3
    >>> Settings(branch_max_members=40).branch_max_members
    40
    """

    #: 支部工作条例 第五条: 正式党员3人以上的，应当成立党支部
    branch_min_full_members: int = 3
    #: 支部工作条例 第九条: 正式党员7人以上的党支部，设立党支部委员会
    branch_committee_min_full_members: int = 7
    #: 支部工作条例 第六条: 党员人数一般不超过50人
    branch_max_members: int = 50
    #: 支部工作条例 第五条: 联合党支部覆盖单位一般不超过5个
    joint_branch_max_units: int = 5
    #: members of a branch committee (书记、副书记、委员) expected where a committee is due
    branch_committee_min_size: int = 3
    #: local-practice default, no regulation: distinct people or units one member or
    #: org keeps in touch with (联谊交友) before united_front.contact_overload
    united_front_contacts_per_member: int = 5

    REGULATION = "《中国共产党支部工作条例（试行）》"
    #: settings that are local-practice defaults, not from :attr:`REGULATION`
    LOCAL_DEFAULTS = ("united_front_contacts_per_member",)


DEFAULT_SETTINGS = Settings()
