"""Build the example datasets in this directory (run from the repository root).

    python examples/build_examples.py

writes

- ``county-medical-community/``: 清河县医共体, a county medical community on the
  three-level structure 总院党委 — 分院党支部 — 村卫生室党小组, with realistic blanks;
- ``county-medical-community.xlsx``: the same, with Chinese sheet names, headers and
  vocabulary values (as a planner would type it in Excel);
- ``county-medical-community-2026/``: the same county a year later (2026): some gaps
  closed, two new ones, a member moved (compare the two with ``orgnet compare``);
- ``city-mch-alliance/``: 江城市妇幼健康联盟, a city MCH hospital alliance: 8 party
  branches and 323 party members, 12 liaison cadres paired one-to-one with 12
  community health service centers, two-way referral 956 up and 422 down in 2025.

The networks are written out by hand below (the people's names come from a seeded
random draw); the output is deterministic, so rebuilding gives identical files.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from orgnet.loaders.generate import COLUMNS, _person, convert_csv_dataset  # noqa: E402

YEAR = 2025
QUARTERS = [f"{YEAR}-Q{q}" for q in range(1, 5)]


class Tables:
    """Rows of the six tables, written as CSV with the generator's columns."""

    def __init__(self, seed: int):
        self.rows = {table: [] for table in COLUMNS}
        self.rng = random.Random(seed)
        self.next_member = 1

    def add(self, table, **row):
        self.rows[table].append(row)

    def member(self, institution, org="", status="full", roles=(), name=None, affiliation=""):
        member_id = f"M{self.next_member:03d}"
        self.next_member += 1
        self.add("members", id=member_id, name=name or _person(self.rng), status=status,
                 org_id=org, institution_id=institution, roles=";".join(roles),
                 affiliation=affiliation)
        return member_id

    def branch(self, institution, org, full, probationary=0, *, secretary=True, officers=None,
               extra=()):
        """Add the members of a branch: officers first, then full, then probationary."""
        if officers is None:
            officers = (["secretary"] if secretary else []) + (
                ["deputy_secretary", "committee_member"] if full >= 7 else [])
        made = []
        for i in range(full):
            roles = [officers[i]] if i < len(officers) else []
            made.append(self.member(institution, org, "full", roles))
        for _ in range(probationary):
            made.append(self.member(institution, org, "probationary"))
        for index, role in extra:
            self._add_role(made[index], role)
        return made

    def _add_role(self, member_id, role):
        for row in self.rows["members"]:
            if row["id"] == member_id:
                row["roles"] = ";".join(filter(None, [row["roles"], role]))

    def link(self, source, target, link_type, count, period=str(YEAR), note=""):
        self.add("links", source_id=source, target_id=target, type=link_type, count=count,
                 period=period, note=note)

    def quarterly(self, source, target, link_type, total, note=""):
        """Split a yearly total over the four quarters of the year."""
        for period, count in zip(QUARTERS, split(total, 4, self.rng)):
            self.link(source, target, link_type, count, period, note)

    def write(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        for table, columns in COLUMNS.items():
            with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(columns)
                for row in self.rows[table]:
                    writer.writerow([row.get(c, "") for c in columns])


def split(total: int, parts: int, rng: random.Random, weights=None) -> list[int]:
    """Split a total into parts proportional to (random) weights, summing exactly."""
    weights = weights or [rng.uniform(0.7, 1.3) for _ in range(parts)]
    shares = [total * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(parts), key=lambda i: counts[i] - shares[i])
    for i in order[:total - sum(counts)]:
        counts[i] += 1
    return counts


# ---------------------------------------------------------------------------
# (a) 清河县医共体: county hospital - township branch hospitals - village clinics
# ---------------------------------------------------------------------------
#: Township branch hospitals (分院): code, township, branch members (full, probationary),
#: village clinics (name, party members, covered how: "group", "branch", "none", "isolated").
TOWNS = [
    ("CG", "城关镇", (9, 1), [("北街村", 2, "group"), ("南关村", 1, "group"),
                             ("河湾村", 0, "branch"), ("新民村", 1, "branch")]),
    ("DB", "东坝镇", (6, 1), [("东坝村", 1, "group"), ("杨柳村", 1, "group"),
                             ("石门村", 0, "branch"), ("何家庄村", 0, "branch")]),
    ("LX", "柳溪乡", (4, 0), [("柳溪村", 1, "group"), ("清水村", 0, "branch"),
                             ("桃园村", 1, "group")]),
    ("SQ", "石桥镇", (5, 1), [("石桥村", 1, "group"), ("马坪村", 0, "branch"),
                             ("高岭村", 0, "none"), ("红旗村", 1, "group")]),
    ("BY", "白云乡", (1, 1), [("白云村", 0, "branch"), ("深沟村", 0, "none"),
                             ("后山村", 1, "isolated")]),
    ("LQ", "龙泉镇", (5, 0), [("龙泉村", 1, "group"), ("金沙村", 0, "branch"),
                             ("凤凰村", 1, "group"), ("长乐村", 0, "branch")]),
]
#: 柳溪乡卫生院党支部 has no secretary (the post has been vacant since a transfer).
NO_SECRETARY = "LX"
#: 龙泉镇卫生院 sends no patients up to the county (its villages' chain breaks there).
BROKEN = "LQ"
#: 石桥镇卫生院 refers up, but the county hospital never refers patients back down to it.
ONE_WAY = "SQ"
#: 杨柳村卫生室 sends patients straight to the county hospital (越级转诊).
LEAPFROG = ("DB", "杨柳村")


def county_medical_community() -> Tables:
    t = Tables(seed=20250601)
    county = "清河县"
    t.add("regions", id="R-QH", name=county, level="county")
    t.add("institutions", id="H01", name="清河县人民医院（医共体总院）", kind="county_hospital",
          region_id="R-QH")
    t.add("institutions", id="F01", name="清河县妇幼保健计划生育服务中心", kind="mch_hospital",
          region_id="R-QH")
    t.add("institutions", id="B01", name="清河县卫生健康局", kind="health_bureau", region_id="R-QH")

    # The bureau's working committee and office branch.
    t.add("party_orgs", id="P-W01", name="清河县卫生健康局党工委", kind="working_committee",
          institution_ids="B01")
    t.add("party_orgs", id="P-B01", name="清河县卫生健康局机关党支部", kind="branch",
          parent_id="P-W01", institution_ids="B01")
    bureau_liaison = t.member("B01", "P-W01", roles=["secretary", "liaison"], name="赵志刚")
    t.member("B01", "P-W01", roles=["committee_member"])
    t.branch("B01", "P-B01", 6)
    t.member("B01", status="non_party")

    # 总院党委 and the hospital's internal branches.
    t.add("party_orgs", id="P-H01", name="清河县人民医院党委（医共体党委）", kind="committee",
          parent_id="P-W01", institution_ids="H01")
    t.member("H01", "P-H01", roles=["secretary"], name="王建国")
    t.member("H01", "P-H01", roles=["deputy_secretary"], name="李秀英")
    liaison_a = t.member("H01", "P-H01", roles=["committee_member", "liaison"], name="陈志强")
    liaison_b = t.member("H01", "P-H01", roles=["committee_member", "liaison"], name="刘海燕")
    station_liaison = t.member("H01", "P-H01", roles=["committee_member", "liaison"], name="孙明")
    experts = []
    for code, dept, full, probationary in [("NK", "内科", 12, 1), ("WK", "外科", 10, 1),
                                           ("YJ", "医技", 8, 0), ("HQ", "行政后勤", 7, 1)]:
        org = f"P-H01-{code}"
        t.add("party_orgs", id=org, name=f"清河县人民医院{dept}党支部", kind="branch",
              parent_id="P-H01", institution_ids="H01")
        made = t.branch("H01", org, full, probationary, extra=[(4, "expert")])
        experts.append(made[4])
    t.member("H01", status="activist", org="P-H01-NK")
    for _ in range(4):
        t.member("H01", status="non_party", roles=["expert"])
    nongong = t.member("H01", status="democratic_party", affiliation="中国农工民主党",
                       roles=["expert"])

    # The MCH center: one branch under the bureau's working committee.
    t.add("party_orgs", id="P-F01", name="清河县妇幼保健计划生育服务中心党支部", kind="branch",
          parent_id="P-W01", institution_ids="F01")
    t.branch("F01", "P-F01", 8, 1)
    t.member("F01", status="non_party")

    links_later = []
    liaisons = [liaison_a, liaison_a, liaison_a, liaison_b, liaison_b, bureau_liaison]
    for n, (code, town, (full, probationary), villages) in enumerate(TOWNS):
        region, center, org = f"R-{code}", f"T-{code}", f"P-T-{code}"
        t.add("regions", id=region, name=town, level="township", parent_id="R-QH")
        t.add("institutions", id=center, name=f"{town}卫生院（总院{town[:2]}分院）",
              kind="township_health_center", region_id=region, parent_id="H01")
        village_party = sum(party for _, party, _ in villages)
        officers = ["secretary"] if code != NO_SECRETARY else []
        if full + village_party >= 7:     # 7 full members or more: a branch committee
            officers = (officers or ["committee_member"]) + ["deputy_secretary", "committee_member"]
        t.branch(center, org, full, probationary, officers=officers,
                 extra=[(full - 1, "family_doctor")])
        t.member(center, status="non_party", roles=["family_doctor"])
        t.member(center, status="non_party")
        covered = [center]
        groups = []
        for v, (village, party, how) in enumerate(villages, 1):
            clinic = f"V-{code}-{v}"
            t.add("institutions", id=clinic, name=f"{village}卫生室", kind="village_clinic",
                  region_id=region, parent_id=center)
            if how in ("group", "isolated"):
                group = f"P-V-{code}-{v}"
                groups.append(dict(id=group, name=f"{village}卫生室党小组", kind="group",
                                   parent_id=org, institution_ids=clinic))
                t.member(clinic, group, roles=["group_leader", "family_doctor"])
                for _ in range(party - 1):
                    t.member(clinic, group, roles=["family_doctor"])
            else:
                if how == "branch":
                    covered.append(clinic)
                for _ in range(party):
                    t.member(clinic, org, roles=["family_doctor"])
            t.member(clinic, status="non_party", roles=["family_doctor"])
            if how != "isolated":
                links_later.append((code, village, clinic, center))
        t.add("party_orgs", id=org, name=f"{town}卫生院党支部（总院{town[:2]}分院党支部）",
              kind="branch", parent_id="P-H01", institution_ids=";".join(covered))
        for group in groups:
            t.add("party_orgs", **group)

        # Ties of the branch hospital with the county.
        rng = t.rng
        if code != BROKEN:
            t.quarterly(center, "H01", "referral", rng.randint(90, 260), "上转")
            if code != ONE_WAY:
                t.quarterly("H01", center, "referral", rng.randint(30, 90), "下转")
            t.link(center, "F01", "referral", rng.randint(6, 20), note="高危孕产妇转诊")
            t.link("F01", center, "referral", rng.randint(3, 12), note="产后随访下转")
        t.link("P-H01", org, "pairing", rng.randint(2, 4), note="总院党委与分院党支部结对共建")
        t.link(liaisons[n], center, "liaison", rng.randint(4, 12), note="联点指导")
        t.link(experts[n % len(experts)], center, "outreach", rng.randint(12, 48),
               note="专家下沉坐诊")
        if code in ("BY", "LX"):
            t.link("H01", center, "assistance", rng.randint(6, 15), note="技术帮扶")
        if code == "DB":
            t.link(center, "H01", "consultation", rng.randint(10, 30), note="远程心电会诊")

    # Village clinics refer up to their branch hospital, which refers back down.
    for code, village, clinic, center in links_later:
        t.quarterly(clinic, center, "referral", t.rng.randint(12, 60))
        t.quarterly(center, clinic, "referral", t.rng.randint(4, 20), "慢病下转随访")
        if (code, village) == LEAPFROG:
            t.link(clinic, "H01", "referral", 7, note="越级转诊")

    # 城关镇党群服务中心: reached only through one liaison cadre's visits.
    t.add("institutions", id="S-CG", name="城关镇党群服务中心", kind="party_service_station",
          region_id="R-CG")
    t.link(station_liaison, "S-CG", "liaison", 6, note="党员志愿服务健康宣讲")
    t.quarterly("H01", "F01", "referral", 64, "产科转妇幼")
    t.quarterly("F01", "H01", "referral", 38, "危重孕产妇转诊")
    t.link("B01", "H01", "other", 4, note="医共体建设督导")

    # Life-cycle services: no one provides pre-pregnancy care (孕前) in the county.
    for stage in ("pregnancy_registration", "prenatal_care", "delivery", "postpartum_followup",
                  "newborn_screening", "child_health"):
        t.add("services", institution_id="F01", stage=stage, coordinator_org_id="P-F01")
    for stage in ("prenatal_care", "delivery", "newborn_screening"):
        t.add("services", institution_id="H01", stage=stage, coordinator_org_id="P-H01")
    for code, *_ in TOWNS:
        for stage in ("pregnancy_registration", "postpartum_followup", "child_health"):
            coordinator = "" if (code, stage) == ("SQ", "child_health") else f"P-T-{code}"
            t.add("services", institution_id=f"T-{code}", stage=stage,
                  coordinator_org_id=coordinator)
    united_front_layer(t, nongong)
    return t


def united_front_layer(t: Tables, nongong: str) -> None:
    """The county's united-front layer (统战, spec 7b), with its planted gaps.

    Eight representative non-party figures (党外代表人士): four at the county hospital
    (the 农工党 expert among them), one at the MCH center, one each at the 城关, 东坝,
    龙泉 and 石桥 health centers.  The hospital committee has a 统战委员 (刘海燕); the
    bureau's working committee, responsible for the MCH center's figure, has none.
    Liaison stations: 城关镇 (with a village station under it), 东坝镇, and in 石桥镇
    only a village station hung under the health center; 龙泉镇 has none.  The hospital
    secretary 王建国 keeps in touch with six people and units himself; the MCH figure
    only has a contact record with count 0, and the 龙泉 figure none.
    """
    t._add_role(nongong, "representative")
    t._add_role(_by_name(t, "刘海燕"), "united_front_member")     # 总院党委委员
    zhou = t.member("H01", status="democratic_party", affiliation="中国民主同盟",
                    roles=["representative", "expert"], name="周立民")
    he = t.member("H01", status="independent", roles=["representative"], name="何静")
    mch = t.member("F01", status="democratic_party", affiliation="九三学社",
                   roles=["representative", "expert"], name="沈慧敏")
    towns = {code: t.member(f"T-{code}", status=status, affiliation=party,
                            roles=["representative", "family_doctor"], name=name)
             for code, status, party, name in [
                 ("CG", "independent", "", "韩文博"),
                 ("DB", "democratic_party", "中国民主促进会", "曹丽君"),
                 ("LQ", "non_party", "", "彭德华"),
                 ("SQ", "democratic_party", "中国民主建国会", "蒋玉兰")]}
    t.add("institutions", id="U-CG", name="城关镇统战工作联络站", kind="united_front_station",
          region_id="R-CG")
    t.add("institutions", id="U-CG-1", name="北街村统战联络点", kind="united_front_station",
          level="village", region_id="R-CG", parent_id="U-CG")
    t.add("institutions", id="U-DB", name="东坝镇统战工作联络站（同心苑）",
          kind="united_front_station", region_id="R-DB")
    t.add("institutions", id="U-SQ-1", name="马坪村统战联络点", kind="united_front_station",
          level="village", region_id="R-SQ", parent_id="T-SQ")
    t.add("institutions", id="A-QH", name="清河县新的社会阶层人士联合会（新联会）",
          kind="association", region_id="R-QH")
    secretary, deputy = _by_name(t, "王建国"), _by_name(t, "李秀英")
    for target, count in [(zhou, 4), (nongong, 2), (towns["CG"], 1), (towns["DB"], 2),
                          (towns["SQ"], 1), ("A-QH", 1)]:
        t.link(secretary, target, "contact", count, note="联谊交友")
    t.link(deputy, he, "contact", 3, note="联谊交友")
    t.link(_by_name(t, "赵志刚"), mch, "contact", 0, note="联谊交友（本年未开展）")
    t.link("P-W01", "A-QH", "contact", 2, note="联系新联会")


def _by_name(t: Tables, name: str) -> str:
    return next(row["id"] for row in t.rows["members"] if row["name"] == name)


def a_year_later(before: Tables) -> Tables:
    """Return 清河县医共体 one year on (2026), edited from the 2025 tables.

    Closed: 石桥镇高岭村卫生室 sets up a party group (a new member joins it);
    柳溪乡卫生院党支部 elects a secretary; 龙泉镇卫生院 refers patients up to the
    county hospital and gets referrals back, so its four clinics' chain reaches
    the county.  New: 东坝镇何家庄村卫生室 is left out of 东坝镇卫生院党支部's list
    when the branch is reorganized (uncovered again); the leader of 柳溪村卫生室党小组
    is transferred to 城关镇卫生院, leaving the group without members.  Every
    activity is counted in the quarters of 2026, with the 2025 figures.
    """
    import copy

    t = copy.deepcopy(before)
    year = YEAR + 1
    rows = t.rows
    for link in rows["links"]:
        link["period"] = link["period"].replace(str(YEAR), str(year))
    orgs = {row["id"]: row for row in rows["party_orgs"]}
    members = rows["members"]
    # closed: a party group at 高岭村卫生室 (V-SQ-3) with a newly admitted member
    t.add("party_orgs", id="P-V-SQ-3", name="高岭村卫生室党小组", kind="group",
          parent_id="P-T-SQ", institution_ids="V-SQ-3")
    t.member("V-SQ-3", "P-V-SQ-3", roles=["group_leader", "family_doctor"])
    # closed: 柳溪乡卫生院党支部 elects its first full member secretary
    first = next(m for m in members if m["org_id"] == "P-T-LX" and m["status"] == "full")
    first["roles"] = ";".join(["secretary"] + [r for r in first["roles"].split(";") if r])
    # closed: 龙泉镇卫生院 now refers up to the county hospital, and is referred back
    for period, up, down in zip([f"{year}-Q{q}" for q in range(1, 5)],
                                (28, 35, 41, 39), (9, 12, 14, 13)):
        t.link("T-LQ", "H01", "referral", up, period, "上转")
        t.link("H01", "T-LQ", "referral", down, period, "下转")
    # new: 何家庄村卫生室 (V-DB-4) left out of the reorganized 东坝镇 branch
    covered = orgs["P-T-DB"]["institution_ids"].split(";")
    orgs["P-T-DB"]["institution_ids"] = ";".join(u for u in covered if u != "V-DB-4")
    # new: the leader of 柳溪村卫生室党小组 moves to 城关镇卫生院's branch
    leader = next(m for m in members if m["org_id"] == "P-V-LX-1")
    leader.update(org_id="P-T-CG", institution_id="T-CG", roles="family_doctor")
    return t


# ---------------------------------------------------------------------------
# (b) 江城市妇幼健康联盟: a city MCH hospital and 12 community health service centers
# ---------------------------------------------------------------------------
#: The hospital's 8 branches: (code, name, full, probationary); with the committee's
#: 7 officers they hold exactly 323 party members.
MCH_BRANCHES = [
    ("FB", "妇女保健部", 45, 3), ("EB", "儿童保健部", 42, 3), ("CK", "产科", 40, 2),
    ("EK", "儿科", 38, 2), ("YJ", "医技", 36, 2), ("HL", "护理", 38, 3),
    ("XZ", "行政后勤", 30, 2), ("LT", "离退休", 29, 1),
]
MCH_COMMITTEE = 7
PARTY_MEMBERS = 323
assert MCH_COMMITTEE + sum(full + prob for _, _, full, prob in MCH_BRANCHES) == PARTY_MEMBERS
#: Streets (街道) and their two community health service centers each.
STREETS = [
    ("JN", "江南街道", ("江南", "滨江")), ("HX", "湖西街道", ("湖西", "荷塘")),
    ("DS", "东山街道", ("东山", "望月")), ("CX", "城西街道", ("城西", "柳巷")),
    ("BH", "北湖街道", ("北湖", "水岸")), ("XH", "新华街道", ("新华", "翠园")),
]
REFERRALS_UP, REFERRALS_DOWN = 956, 422


def city_mch_alliance() -> Tables:
    t = Tables(seed=20250901)
    rng = t.rng
    # 江城市 is a county-level city (县级市): its MCH hospital is one level above the
    # community health service centers of its streets.
    t.add("regions", id="R-JC", name="江城市", level="county")
    t.add("institutions", id="MCH", name="江城市妇幼保健院（妇幼健康联盟牵头单位）",
          kind="mch_hospital", region_id="R-JC")
    t.add("party_orgs", id="P-MCH", name="江城市妇幼保健院党委", kind="committee",
          institution_ids="MCH")
    t.branch("MCH", "P-MCH", MCH_COMMITTEE,
             officers=["secretary", "deputy_secretary", "deputy_secretary"]
             + ["committee_member"] * (MCH_COMMITTEE - 3))
    liaison_cadres = []
    for n, (code, dept, full, probationary) in enumerate(MCH_BRANCHES):
        org = f"P-MCH-{code}"
        t.add("party_orgs", id=org, name=f"江城市妇幼保健院{dept}党支部", kind="branch",
              parent_id="P-MCH", institution_ids="MCH")
        made = t.branch("MCH", org, full, probationary, officers=[
            "secretary", "deputy_secretary", "committee_member", "committee_member",
            "committee_member"])
        # 12 liaison cadres: two from each of the first four branches, one from the next four.
        for member in made[5:7] if n < 4 else made[5:6]:
            t._add_role(member, "liaison")
            liaison_cadres.append(member)
        t._add_role(made[7], "expert")
    assert len(liaison_cadres) == 12

    centers = []
    for code, street, communities in STREETS:
        region, office, working = f"R-{code}", f"J-{code}", f"P-J-{code}"
        t.add("regions", id=region, name=street, level="township", parent_id="R-JC")
        t.add("institutions", id=office, name=f"{street}办事处", kind="street_office",
              region_id=region)
        station = f"Z-{code}"
        t.add("institutions", id=station, name=f"{street}党群服务站", kind="party_service_station",
              region_id=region)
        covered = [office, station]
        for k, community in enumerate(communities, 1):
            center = f"C-{code}{k}"
            t.add("institutions", id=center, name=f"{community}社区卫生服务中心",
                  kind="community_health_center", region_id=region, parent_id="MCH")
            covered.append(center)
            centers.append((center, working))
        t.add("party_orgs", id=working, name=f"{street}党工委", kind="working_committee",
              institution_ids=";".join(covered))

    # One liaison cadre per center, one-to-one.
    for cadre, (center, _) in zip(liaison_cadres, centers):
        t.link(cadre, center, "liaison", rng.randint(6, 12), note="党员联络员联点社区")
    # Two-way referral: 956 up and 422 down in 2025, quarter by quarter.
    weights = [rng.uniform(0.5, 1.5) for _ in centers]
    ups = split(REFERRALS_UP, len(centers), rng, weights)
    downs = split(REFERRALS_DOWN, len(centers), rng, weights)
    for (center, _), up, down in zip(centers, ups, downs):
        t.quarterly(center, "MCH", "referral", up, "高危孕产妇、患儿上转")
        t.quarterly("MCH", center, "referral", down, "产后、儿保下转社区随访")
    # Branches pair with the streets' working committees; outreach at the stations.
    for n, (code, *_rest) in enumerate(MCH_BRANCHES):
        street = STREETS[n % len(STREETS)][0]
        t.link(f"P-MCH-{code}", f"P-J-{street}", "pairing", rng.randint(2, 6),
               note="支部共建：妇幼健康进社区")
    for code, street, _ in STREETS:
        t.link("MCH", f"Z-{code}", "outreach", rng.randint(4, 12), note="党群服务站妇幼健康义诊")

    # Life-cycle services: the hospital covers the chain, the centers the community stages.
    for stage in ("pre_pregnancy", "pregnancy_registration", "prenatal_care", "delivery",
                  "postpartum_followup", "newborn_screening", "child_health"):
        org = {"pre_pregnancy": "FB", "pregnancy_registration": "FB", "prenatal_care": "CK",
               "delivery": "CK", "postpartum_followup": "HL", "newborn_screening": "EK",
               "child_health": "EB"}[stage]
        t.add("services", institution_id="MCH", stage=stage, coordinator_org_id=f"P-MCH-{org}")
    for n, (center, working) in enumerate(centers):
        for stage in ("pregnancy_registration", "postpartum_followup", "child_health"):
            coordinator = "" if n in (3, 8) and stage == "child_health" else working
            t.add("services", institution_id=center, stage=stage, coordinator_org_id=coordinator)
    return t


def main(root: Path = HERE) -> None:
    county = county_medical_community()
    county.write(root / "county-medical-community")
    a_year_later(county).write(root / "county-medical-community-2026")
    with tempfile.TemporaryDirectory() as tmp:
        county.write(Path(tmp))
        convert_csv_dataset(tmp, root / "county-medical-community.xlsx", fmt="xlsx", chinese=True)
    city_mch_alliance().write(root / "city-mch-alliance")


if __name__ == "__main__":
    main()
