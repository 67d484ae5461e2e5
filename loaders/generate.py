"""Synthetic county medical community networks, streamed to a dataset directory.

:func:`generate_dataset` writes a CSV directory in the dataset format
(``dataset-format.md``: English headers and vocabulary keys, UTF-8, ``\\n`` line
ends) describing one province: cities of ten counties each, every county a
medical community (医共体) of

- a county general hospital (医共体总院) with its party committee (党委) and
  several internal branches, an MCH hospital (妇幼保健院) with its branch, and
  the health bureau (卫健局) with its working committee (党工委) and office branch;
- 8 to 25 township health centers (community health centers in urban districts),
  each with its branch, some too small, some without a secretary;
- 5 to 20 village clinics per township, with party groups (党小组), a joint branch
  (联合党支部) here and there, or covered by the township branch, and planted
  coverage blanks;
- members with Chinese names, statuses and roles; referrals up and down with
  counts and periods (planted one-way referrals, leapfrogs and broken chains);
  liaison cadres, pairing, assistance, outreach and consultation; services along
  the maternal and child life-cycle chain (a stage missing in some counties).

Output is streamed county by county: only one county is held in memory, so
millions of entities generate in bounded memory.  The same arguments give
byte-identical files.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> counts = generate_dataset(out, counties=1, seed=7, uncovered=2, isolated=1)
>>> counts["counties"], counts["uncovered_clinics"], counts["isolated_units"]
(1, 2, 1)
>>> sorted(p.name for p in Path(out).iterdir())[:3]
['institutions.csv', 'links.csv', 'members.csv']
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import math
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from orgnet.graphmodel.errors import OrgnetError
from orgnet.graphmodel.outputs import atomic_write, write_text
from orgnet.graphmodel.schema import (
    HEADER_ALIASES, INSTITUTION_KIND_ALIASES, LEVEL_ALIASES,
    LINK_TYPE_ALIASES, LIST_SEPARATORS, MEMBER_STATUS_ALIASES, OPTIONAL_COLUMNS,
    ORG_KIND_ALIASES, REQUIRED_COLUMNS, ROLE_ALIASES, STAGE_ALIASES, STAGES,
    TABLE_ALIASES, TABLE_ORDER, ZH, canonical_value, level_rank,
)

__all__ = [
    "generate_dataset", "counties_for_entities", "convert_csv_dataset",
    "generate_small", "entities_per_county", "GenerateError", "COLUMNS", "COUNTIES_PER_CITY", "DEFAULT_LINKS_PER_ENTITY",
    "MAX_SMALL_ENTITIES",
]

#: Column order of every generated table (required, then optional columns).
COLUMNS = {table: REQUIRED_COLUMNS[table] + OPTIONAL_COLUMNS[table] for table in TABLE_ORDER}
#: Counties sharing one city hospital.
COUNTIES_PER_CITY = 10
#: Link rows per entity: 1.5 gives the benchmark shape (1M entities, 1.5M links).
DEFAULT_LINKS_PER_ENTITY = 1.5
#: Largest dataset written as a workbook or JSON file (both are held in memory).
MAX_SMALL_ENTITIES = 50_000

#: Fewer entities than any county has (8 townships of 5 clinics and their people).
_SMALLEST_COUNTY = 300
#: The year the generated referral counts belong to.
_YEAR = 2025

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰玉萍红霞建文辉力鹏飞宇浩然欣怡梓涵子轩雨婷"
    "佳琪晓燕海波志春梅丹凤玲淑珍国庆荣俊峰晨阳雪莉慧颖思远嘉鑫凯琳瑶博睿"
)
_PLACE = "安平清河东西南北龙凤桃李杨柳青石白云金马长乐永宁新华太和丰泰兴隆福寿康庄红旗光明沙溪岭湾坪桥"
_HOSPITAL_BRANCHES = (
    "内科", "外科", "妇产儿科", "医技", "护理", "行政后勤", "门急诊", "中医科", "公共卫生", "离退休",
)
_PARTIES = ("中国农工民主党", "九三学社", "中国民主同盟", "中国民主促进会")


class GenerateError(OrgnetError):
    """A generator request that cannot be met (bad knob, too big for the format)."""


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------
def generate_dataset(out_dir, *, counties: int | None = None, entities: int | None = None,
                     seed: int = 0,
                     uncovered: int | None = None, uncovered_share: float = 0.05,
                     one_way: int | None = None, one_way_share: float = 0.1,
                     isolated_units: int | None = None, isolated: int | None = None,
                     broken_share: float = 0.04, leapfrog_share: float = 0.02,
                     gap_share: float = 0.1,
                     links_per_entity: float = DEFAULT_LINKS_PER_ENTITY,
                     progress: Callable[[int], None] | None = None) -> dict:
    """Write a synthetic dataset as a CSV directory and return its counts.

    Parameters
    ----------
    out_dir : str or Path
        Directory to write ``regions.csv`` ... ``services.csv`` into (created if
        missing; those six files are overwritten).
    counties : int, optional
        Number of county medical communities (default 1).
    entities : int, optional
        Instead of ``counties``: add counties until the dataset has at least this
        many entities (regions, institutions, party orgs and members).
    seed : int
        Random seed; the same arguments give byte-identical files.
    uncovered, uncovered_share : int or None, float
        Village clinics per county left without any party organization: exactly
        ``uncovered`` if given, else ``round(uncovered_share * clinics)``.
    one_way, one_way_share : int or None, float
        Village clinics per county whose township never refers patients back
        down (a one-way referral): exactly ``one_way`` if given, else a share.
    isolated_units, isolated : int or None
        Village clinics per county with no working tie at all (default 1; the
        two names are synonyms).
    broken_share : float
        Share of townships per county with no referral to or from the county
        level, so that their villages' referral chain breaks.
    leapfrog_share : float
        Share of village clinics that also refer straight to the county hospital.
    gap_share : float
        Probability that a county has a life-cycle service stage nobody provides.
    links_per_entity : float
        Link rows per entity; referral counts are split over more periods
        (quarters, months) to reach it.  Below about 0.4 only one row per tie.
    progress : callable, optional
        Called after each county with the number of entities it added.

    Returns
    -------
    dict
        Rows per table, ``entities``, ``counties``, ``cities`` and the planted
        gaps: ``uncovered_clinics``, ``isolated_units``, ``one_way_referrals``
        (every referral pair between levels without a reverse referral),
        ``leapfrog_referrals``, ``broken_chains`` (townships), ``stage_gaps``
        (counties), ``unattached_members``.

    Raises
    ------
    GenerateError
        If a count or share is out of range.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> c = generate_dataset(out, counties=2, seed=1, one_way=3)
    >>> c["counties"], c["cities"], c["one_way_referrals"] >= 2 * 3
    (2, 1, True)
    >>> open(Path(out) / "institutions.csv", encoding="utf-8").readline()
    'id,name,kind,level,region_id,parent_id\\n'
    """
    if isolated is not None and isolated_units is not None and isolated != isolated_units:
        raise GenerateError("give isolated or isolated_units, not both")
    knobs = _Knobs(
        uncovered=_count_knob("uncovered", uncovered),
        uncovered_share=_share_knob("uncovered_share", uncovered_share),
        one_way=_count_knob("one_way", one_way),
        one_way_share=_share_knob("one_way_share", one_way_share),
        isolated=_count_knob("isolated", isolated if isolated is not None else isolated_units),
        broken_share=_share_knob("broken_share", broken_share),
        leapfrog_share=_share_knob("leapfrog_share", leapfrog_share),
        gap_share=_share_knob("gap_share", gap_share),
        links_per_entity=_rate_knob("links_per_entity", links_per_entity),
    )
    if knobs.isolated is None:
        knobs.isolated = 1
    if counties is not None and entities is not None:
        raise GenerateError("give counties or entities, not both")
    if entities is not None:
        if isinstance(entities, bool) or not isinstance(entities, int) or entities < 1:
            raise GenerateError(f"entities must be a positive integer, got {entities!r}")
        planned = entities // _SMALLEST_COUNTY + 1
    else:
        counties = 1 if counties is None else counties
        if isinstance(counties, bool) or not isinstance(counties, int) or counties < 1:
            raise GenerateError(f"counties must be a positive integer, got {counties!r}")
        planned = counties
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(2 * planned)))
    counts = {table: 0 for table in TABLE_ORDER}
    counts.update(counties=0, cities=0, uncovered_clinics=0, isolated_units=0,
                  one_way_referrals=0, leapfrog_referrals=0, broken_chains=0,
                  stage_gaps=0, unattached_members=0, representatives=0,
                  uncontacted_representatives=0, contact_overloads=0,
                  committees_without_united_front_member=0, townships_without_station=0,
                  broken_station_chains=0)
    with _TableWriter(out) as writer:
        province = _province_block(seed)
        writer.write_block(province)
        made = province.number_of_entities()
        index = 0
        while (index == 0 or made < entities) if entities is not None else (index < counties):
            index += 1
            city = (index - 1) // COUNTIES_PER_CITY + 1
            block = _county_block(seed, index, width, knobs, _CityRef.of(city))
            if (index - 1) % COUNTIES_PER_CITY == 0:
                block.merge_front(_city_block(seed, city))
                counts["cities"] += 1
            _fill_links(block, knobs.links_per_entity)
            writer.write_block(block)
            made += block.number_of_entities()
            counts["counties"] += 1
            for key, value in block.planted.items():
                counts[key] += value
            if progress is not None:
                progress(block.number_of_entities())
        counts.update(writer.rows)
    counts["entities"] = sum(counts[t] for t in ("regions", "institutions", "party_orgs", "members"))
    return counts


def counties_for_entities(entities: int, *, seed: int = 0) -> int:
    """Return the number of counties giving about ``entities`` entities.

    Uses :func:`entities_per_county`, so the result is deterministic and lands
    within several percent of the target at scale (``generate_dataset(entities=n)``
    is exact to one county).

    Examples
    --------
    >>> counties_for_entities(1)
    1
    >>> 500 < counties_for_entities(1_000_000) < 1000
    True
    """
    if isinstance(entities, bool) or not isinstance(entities, int) or entities < 1:
        raise GenerateError(f"entities must be a positive integer, got {entities!r}")
    return max(1, round(entities / entities_per_county(seed)))


@functools.lru_cache(maxsize=8)
def entities_per_county(seed: int = 0, *, sample: int = 32) -> float:
    """Return the average number of entities of a county (with its share of the city).

    Measured on the first ``sample`` counties of the seed with default knobs.

    Examples
    --------
    >>> 800 < entities_per_county() < 3000
    True
    """
    knobs = _Knobs()
    sizes = [_county_block(seed, index, 4, knobs, _CityRef.of(1)).number_of_entities()
             for index in range(1, sample + 1)]
    city = _city_block(seed, 1).number_of_entities()
    return sum(sizes) / len(sizes) + city / COUNTIES_PER_CITY


def convert_csv_dataset(csv_dir, dest, *, fmt: str, chinese: bool = False) -> Path:
    """Convert a CSV dataset directory into an ``xlsx`` workbook, ``json`` file or CSV directory.

    Parameters
    ----------
    csv_dir : str or Path
        A directory of ``<table>.csv`` files with English headers (as written by
        :func:`generate_dataset`).
    dest : str or Path
        The workbook, JSON file or directory to write.
    fmt : {"xlsx", "json", "csv"}
    chinese : bool
        Use Chinese headers, table/sheet names (机构, 党组织, 人员, 关系, 服务, 区域)
        and Chinese vocabulary values (村卫生室, 党支部, 正式党员, 转诊 ...); Chinese
        CSV files start with a UTF-8 BOM, which Excel needs to read them.

    Returns
    -------
    Path
        ``dest``.

    Examples
    --------
    >>> import tempfile, json
    >>> src = Path(tempfile.mkdtemp())
    >>> _ = generate_dataset(src, counties=1, seed=3)
    >>> dest = convert_csv_dataset(src, src / "zh.json", fmt="json", chinese=True)
    >>> data = json.loads(dest.read_text(encoding="utf-8"))
    >>> sorted(data)
    ['人员', '党组织', '关系', '区域', '服务', '机构']
    >>> data["机构"][0]["类型"]
    '市级医院'
    """
    if fmt not in ("xlsx", "json", "csv"):
        raise GenerateError(f"unknown format {fmt!r}; use csv, xlsx or json")
    src = Path(csv_dir)
    dest = Path(dest)
    present = [t for t in TABLE_ORDER if (src / f"{t}.csv").exists()]
    if fmt == "csv":
        dest.mkdir(parents=True, exist_ok=True)
        for table in present:
            name = _TABLE_ZH[table] if chinese else table
            if dest / f"{name}.csv" == src / f"{table}.csv":
                continue
            # Chinese files carry a BOM so that Excel on Chinese Windows reads them as UTF-8.
            encoding = "utf-8-sig" if chinese else "utf-8"
            with atomic_write(dest / f"{name}.csv", "w", newline="", encoding=encoding) as fh:
                csv.writer(fh, lineterminator="\n").writerows(_table_rows(src, table, chinese))
        return dest
    tables = {(_TABLE_ZH[t] if chinese else t): list(_table_rows(src, t, chinese)) for t in present}
    if fmt == "json":
        data = {
            name: [{h: v for h, v in zip(rows[0], row) if v != ""} for row in rows[1:]]
            for name, rows in tables.items()
        }
        write_text(dest, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        for name, rows in tables.items():
            sheet = book.create_sheet(name)
            count_columns = {i for i, h in enumerate(rows[0]) if h in ("count", "次数")}
            for number, row in enumerate(rows):
                sheet.append([
                    int(v) if number and i in count_columns and v.isdigit() else (v or None)
                    for i, v in enumerate(row)
                ])
        with atomic_write(dest, "wb") as fh:
            book.save(fh)
    return dest


def _table_rows(src: Path, table: str, chinese: bool):
    """Yield the rows of one CSV table (header first), in Chinese if asked."""
    with open(src / f"{table}.csv", newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if not chinese:
            yield header
            yield from reader
            return
        yield from _to_chinese(table, header, reader)


def generate_small(dest, *, fmt: str, chinese: bool = False, **kwargs) -> dict:
    """Generate a dataset as a workbook or JSON file (at most :data:`MAX_SMALL_ENTITIES`).

    Takes the keyword arguments of :func:`generate_dataset` besides the format.

    Raises
    ------
    GenerateError
        If the dataset would be larger than about :data:`MAX_SMALL_ENTITIES` entities.

    Examples
    --------
    >>> import tempfile
    >>> dest = Path(tempfile.mkdtemp()) / "county.xlsx"
    >>> generate_small(dest, fmt="xlsx", counties=1)["counties"]
    1
    >>> generate_small(dest, fmt="xlsx", counties=100)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    GenerateError: xlsx output is for small datasets ...
    """
    per_county = entities_per_county(kwargs.get("seed", 0))
    if kwargs.get("entities") is not None:
        size, what = kwargs["entities"], f"{kwargs['entities']:,} entities"
    else:
        counties = kwargs.get("counties") or 1
        size = counties * per_county
        what = f"{counties} counties make about {round(size):,} entities"
    if size > MAX_SMALL_ENTITIES:
        raise GenerateError(
            f"{fmt} output is for small datasets (at most about {MAX_SMALL_ENTITIES:,} entities, "
            f"{int(MAX_SMALL_ENTITIES // per_county)} counties); {what}: use --format csv")
    with tempfile.TemporaryDirectory(prefix="orgnet-gen-") as tmp:
        counts = generate_dataset(tmp, **kwargs)
        convert_csv_dataset(tmp, dest, fmt=fmt, chinese=chinese)
    return counts


# ---------------------------------------------------------------------------
# Knobs and blocks
# ---------------------------------------------------------------------------
class _Knobs:
    def __init__(self, uncovered=None, uncovered_share=0.05, one_way=None, one_way_share=0.1,
                 isolated=1, broken_share=0.04, leapfrog_share=0.02, gap_share=0.1,
                 links_per_entity=DEFAULT_LINKS_PER_ENTITY):
        self.uncovered = uncovered
        self.uncovered_share = uncovered_share
        self.one_way = one_way
        self.one_way_share = one_way_share
        self.isolated = isolated
        self.broken_share = broken_share
        self.leapfrog_share = leapfrog_share
        self.gap_share = gap_share
        self.links_per_entity = links_per_entity


def _count_knob(name, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GenerateError(f"{name} must be a non-negative integer, got {value!r}")
    return value


def _rate_knob(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < 0:
        raise GenerateError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def _share_knob(name, value):
    if not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise GenerateError(f"{name} must be a share between 0 and 1, got {value!r}")
    return float(value)


class _Block:
    """The rows of one part of the dataset (a county, a city, the province)."""

    def __init__(self):
        self.regions: list[tuple] = []
        self.institutions: list[tuple] = []
        self.party_orgs: list[tuple] = []
        self.members: list[tuple] = []
        self.services: list[tuple] = []
        #: working ties: (source, target, type, total count, note)
        self.ties: list[tuple] = []
        self.links: list[tuple] = []
        self.planted: dict[str, int] = {}

    def number_of_entities(self) -> int:
        return len(self.regions) + len(self.institutions) + len(self.party_orgs) + len(self.members)

    def merge_front(self, other: _Block) -> None:
        for table in ("regions", "institutions", "party_orgs", "members", "services", "ties"):
            setattr(self, table, getattr(other, table) + getattr(self, table))


class _CityRef:
    """The ids a county needs from its city (the city block is written once)."""

    def __init__(self, region, hospital):
        self.region = region
        self.hospital = hospital

    @classmethod
    def of(cls, city):
        return cls(f"RC{city:03d}", f"HC{city:03d}")


class _TableWriter:
    """Six CSV files open at once; blocks are written as they are made."""

    def __init__(self, out: Path):
        self.out = out
        self.rows = {table: 0 for table in TABLE_ORDER}

    def __enter__(self):
        self._stack = contextlib.ExitStack()
        self._writers = {}
        with self._stack as stack:
            for table in TABLE_ORDER:
                # each file appears only when complete (graphmodel.outputs.atomic_write)
                fh = stack.enter_context(atomic_write(self.out / f"{table}.csv", "w",
                                                      newline=""))
                self._writers[table] = csv.writer(fh, lineterminator="\n")
                self._writers[table].writerow(COLUMNS[table])
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)

    def write_block(self, block: _Block) -> None:
        for table in TABLE_ORDER:
            rows = getattr(block, table)
            self._writers[table].writerows(rows)
            self.rows[table] += len(rows)


def _person(rng: random.Random) -> str:
    surname = _SURNAMES[min(int(rng.expovariate(1 / 18)), len(_SURNAMES) - 1)]
    given = rng.choice(_GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(_GIVEN)
    return surname + given


def _place_names(rng: random.Random, k: int) -> list[str]:
    n = len(_PLACE)
    return [_PLACE[i // n] + _PLACE[i % n] for i in rng.sample(range(n * n), k)]


def _party_status(rng: random.Random) -> str:
    r = rng.random()
    return "full" if r < 0.88 else "probationary" if r < 0.95 else "activist"


def _staff_status(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if r < 0.05:
        return "democratic_party", rng.choice(_PARTIES)
    if r < 0.07:
        return "independent", ""
    return "non_party", ""


class _People:
    """Adds member rows with sequential ids to a block and remembers roles."""

    def __init__(self, block: _Block, rng: random.Random, prefix: str):
        self.block = block
        self.rng = rng
        self.prefix = prefix
        self.next = 1
        #: (institution, role) -> member ids, for choosing link endpoints
        self.with_role: dict[tuple[str, str], list[str]] = {}

    def add(self, institution, org, status, roles=(), affiliation="") -> str:
        member = f"{self.prefix}{self.next:05d}"
        self.next += 1
        self.block.members.append((member, _person(self.rng), status, org or "",
                                   institution, ";".join(roles), affiliation))
        for role in roles:
            self.with_role.setdefault((institution, role), []).append(member)
        return member

    def branch(self, institution, org, size, *, secretary=True, extra_roles=()) -> list[str]:
        """Add ``size`` party members of an organization with its committee roles.

        The first is the secretary (unless ``secretary`` is false); an organization of
        7 or more gets a deputy secretary and committee members too.
        """
        rng = self.rng
        made = []
        for i in range(size):
            roles = []
            status = _party_status(rng)
            if i == 0 and secretary:
                roles, status = ["secretary"], "full"
            elif i == 1 and size >= 7:
                roles, status = ["deputy_secretary"], "full"
            elif 2 <= i <= 3 and size >= 7:
                roles, status = ["committee_member"], "full"
            for role, share in extra_roles:
                if rng.random() < share:
                    roles.append(role)
            made.append(self.add(institution, org, status, roles))
        return made

    def committee(self, institution, org, size, *, liaison_share=0.0) -> list[str]:
        """Add a party committee's officers: secretary, deputy secretary, members."""
        made = []
        for i in range(size):
            roles = ["secretary" if i == 0 else "deputy_secretary" if i == 1 else "committee_member"]
            if i >= 1 and self.rng.random() < liaison_share:
                roles.append("liaison")
            made.append(self.add(institution, org, "full", roles))
        return made

    def staff(self, institution, size, roles=()) -> list[str]:
        """Add ``size`` staff who are not in a party organization."""
        made = []
        for _ in range(size):
            status, affiliation = _staff_status(self.rng)
            picked = [r for r, share in roles if self.rng.random() < share]
            made.append(self.add(institution, "", status, picked, affiliation))
        return made


def _province_block(seed: int) -> _Block:
    rng = random.Random(f"orgnet-province:{seed}")
    block = _Block()
    block.regions.append(("RP", "示范省", "province", ""))
    block.institutions.append(("HP", "省人民医院", "city_hospital", "province", "RP", ""))
    block.party_orgs.append(("OP", "省人民医院党委", "committee", "", "HP"))
    people = _People(block, rng, "MP-")
    people.committee("HP", "OP", 9)
    return block


def _city_block(seed: int, city: int) -> _Block:
    rng = random.Random(f"orgnet-city:{seed}:{city}")
    block = _Block()
    ref = _CityRef.of(city)
    name = _place_names(rng, 1)[0]
    committee = f"OC{city:03d}"
    block.regions.append((ref.region, f"{name}市", "city", "RP"))
    block.institutions.append((ref.hospital, f"{name}市人民医院", "city_hospital", "", ref.region, ""))
    block.party_orgs.append((committee, f"{name}市人民医院党委", "committee", "", ref.hospital))
    people = _People(block, rng, f"MC{city:03d}-")
    people.committee(ref.hospital, committee, 5)
    for i, dept in enumerate(_HOSPITAL_BRANCHES[:rng.randint(3, 6)], 1):
        org = f"{committee}-B{i}"
        block.party_orgs.append((org, f"{name}市人民医院{dept}党支部", "branch", committee, ref.hospital))
        people.branch(ref.hospital, org, rng.randint(10, 40), extra_roles=(("expert", 0.1),))
    block.ties += [(ref.hospital, "HP", "referral", rng.randint(50, 400), ""),
                   ("HP", ref.hospital, "referral", rng.randint(10, 120), "")]
    return block


def _planted_count(exact, share, n):
    return min(n, exact if exact is not None else round(share * n))


def _county_block(seed: int, index: int, width: int, knobs: _Knobs, city) -> _Block:
    """Return the rows of one county medical community (ties not yet split into links)."""
    rng = random.Random(f"orgnet-county:{seed}:{index}")
    block = _Block()
    code = f"{index:0{width}d}"
    urban = rng.random() < 0.2
    county_name = _place_names(rng, 1)[0] + ("区" if urban else "县")
    region = f"R{code}"
    hospital, mch, bureau = f"H{code}", f"F{code}", f"B{code}"
    committee, working = f"O{code}", f"O{code}-W"
    people = _People(block, rng, f"M{code}-")
    block.regions.append((region, county_name, "county", city.region))
    block.institutions += [
        (hospital, f"{county_name}人民医院", "county_hospital", "", region, ""),
        (mch, f"{county_name}妇幼保健院", "mch_hospital", "", region, ""),
        (bureau, f"{county_name}卫生健康局", "health_bureau", "", region, ""),
    ]
    levels = {hospital: "county", mch: "county", bureau: "county", city.hospital: "city"}

    # Health bureau: working committee and its office branch; its cadres liaise.
    block.party_orgs += [
        (working, f"{county_name}卫生健康局党工委", "working_committee", "", bureau),
        (f"{working}B", f"{county_name}卫生健康局机关党支部", "branch", working, bureau),
    ]
    bureau_officers = people.committee(bureau, working, rng.randint(2, 4), liaison_share=1.0)
    people.branch(bureau, f"{working}B", rng.randint(5, 12))
    people.staff(bureau, rng.randint(2, 5))

    # County general hospital (医共体总院): committee and internal branches.
    block.party_orgs.append((committee, f"{county_name}人民医院党委", "committee", working, hospital))
    hospital_officers = people.committee(hospital, committee, rng.randint(5, 8), liaison_share=0.6)
    for i, dept in enumerate(_HOSPITAL_BRANCHES[:rng.randint(4, 9)], 1):
        org = f"{committee}-B{i}"
        size = rng.randint(51, 58) if rng.random() < 0.03 else rng.randint(8, 40)
        block.party_orgs.append((org, f"{county_name}人民医院{dept}党支部", "branch", committee, hospital))
        people.branch(hospital, org, size, extra_roles=(("expert", 0.08),))
    people.staff(hospital, rng.randint(10, 30), roles=(("expert", 0.15), ("family_doctor", 0.1)))
    cadres = (people.with_role.get((bureau, "liaison"), [])
              + people.with_role.get((hospital, "liaison"), []))
    experts = people.with_role.get((hospital, "expert"), [])

    # MCH hospital: one branch under the bureau's working committee.
    mch_org = f"O{code}-F"
    block.party_orgs.append((mch_org, f"{county_name}妇幼保健院党支部", "branch", working, mch))
    people.branch(mch, mch_org, rng.randint(8, 30))
    people.staff(mch, rng.randint(3, 10))

    # Townships and villages.
    n_towns = rng.randint(8, 25)
    town_names = _place_names(rng, n_towns)
    villages: list[tuple[str, str, int]] = []      # (village id, town id, town index)
    town_ids = []
    town_plan = []
    for t in range(1, n_towns + 1):
        tcode = f"{code}-{t:02d}"
        town_ids.append(f"T{tcode}")
        n_villages = rng.randint(5, 20)
        town_plan.append(n_villages)
        for v in range(1, n_villages + 1):
            villages.append((f"V{tcode}-{v:02d}", f"T{tcode}", t))

    # Planted village gaps: isolated, uncovered, one-way, leapfrog (disjoint sets).
    order = list(range(len(villages)))
    rng.shuffle(order)
    n_isolated = _planted_count(knobs.isolated, 0.0, len(villages))
    isolated = set(order[:n_isolated])
    rest = order[n_isolated:]
    n_uncovered = _planted_count(knobs.uncovered, knobs.uncovered_share, len(villages))
    n_uncovered = min(n_uncovered, len(rest))
    uncovered = set(rest[:n_uncovered])
    rest = rest[n_uncovered:]
    rng.shuffle(rest)
    n_one_way = min(len(rest), _planted_count(knobs.one_way, knobs.one_way_share, len(villages)))
    one_way = set(rest[:n_one_way])
    leapfrog = {i for i in order if i not in isolated and rng.random() < knobs.leapfrog_share}
    n_broken = round(knobs.broken_share * n_towns)
    broken = set(rng.sample(range(1, n_towns + 1), n_broken))
    unattached = rng.random() < 0.2

    village_index = 0
    stations = []
    for t in range(1, n_towns + 1):
        tcode = f"{code}-{t:02d}"
        town, town_region, town_org = f"T{tcode}", f"R{tcode}", f"O{tcode}"
        kind = "community_health_center" if urban else "township_health_center"
        suffix = "街道" if urban else rng.choice(("镇", "镇", "乡"))
        town_name = town_names[t - 1] + suffix
        block.regions.append((town_region, town_name, "township", region))
        block.institutions.append((
            town, town_name + ("社区卫生服务中心" if urban else "卫生院"), kind, "", town_region, hospital))
        levels[town] = "township"
        secretary = rng.random() >= 0.08
        # A weak township: one or two party members and none in its villages.
        weak = rng.random() < 0.08
        people.branch(town, town_org, rng.randint(1, 2) if weak else rng.randint(3, 14),
                      secretary=secretary, extra_roles=(("family_doctor", 0.4),))
        people.staff(town, rng.randint(2, 6), roles=(("family_doctor", 0.5),))
        if unattached and t == 1:
            people.add(town, "", "full", ["family_doctor"])
            block.planted["unattached_members"] = 1
        covered_by_town = [town]
        orgs_after = []
        # A joint branch for a run of 3-5 villages in some townships.
        n_villages = town_plan[t - 1]
        first = village_index
        joint = set()
        if not weak and rng.random() < 0.2:
            eligible = [i for i in range(first, first + n_villages)
                        if i not in isolated and i not in uncovered]
            joint = set(eligible[:rng.randint(3, 5)]) if len(eligible) >= 3 else set()
        joint_org = f"O{tcode}-J"
        joint_members = []
        if joint:
            orgs_after.append((joint_org, f"{town_name}{'社区卫生服务站' if urban else '村卫生室'}联合党支部",
                               "joint_branch", committee,
                               ";".join(villages[i][0] for i in sorted(joint))))
        village_names = _place_names(rng, n_villages)
        for v in range(1, n_villages + 1):
            i = village_index
            village_index += 1
            village = villages[i][0]
            vname = village_names[v - 1] + ("社区卫生服务站" if urban else "村卫生室")
            vkind = "community_health_station" if urban else "village_clinic"
            block.institutions.append((village, vname, vkind, "", town_region, town))
            levels[village] = "village"
            doctors = rng.randint(1, 3)
            if i in uncovered:
                people.staff(village, doctors, roles=(("family_doctor", 0.6),))
                continue
            if i in joint:
                party = rng.randint(1, 2)
                for _ in range(party):
                    roles = ["secretary"] if not joint_members else []
                    status = "full" if not joint_members else _party_status(rng)
                    joint_members.append(people.add(village, joint_org, status, roles + ["family_doctor"]))
                people.staff(village, max(0, doctors - party))
                continue
            party = 0 if weak else min(2, sum(rng.random() < 0.35 for _ in range(doctors)))
            if i in isolated:
                party = max(party, 1)
            if party and (i in isolated or rng.random() < 0.7):
                group = f"O{tcode}-G{v:02d}"
                orgs_after.append((group, f"{vname}党小组", "group", town_org, village))
                people.add(village, group, "full", ["group_leader", "family_doctor"])
                if party == 2:
                    people.add(village, group, _party_status(rng), ["family_doctor"])
            else:
                covered_by_town.append(village)
                for _ in range(party):
                    people.add(village, town_org, _party_status(rng), ["family_doctor"])
            people.staff(village, doctors - party, roles=(("family_doctor", 0.6),))
        block.party_orgs.append((town_org, f"{town_name}卫生院党支部" if not urban else
                                 f"{town_name}社区卫生服务中心党支部", "branch", committee,
                                 ";".join(covered_by_town)))
        block.party_orgs += orgs_after
        # A party-mass service station in urban streets and some rural townships.
        if urban or rng.random() < 0.3:
            station = f"S{tcode}"
            block.institutions.append((station, f"{town_name}党群服务中心", "party_service_station",
                                       "", town_region, ""))
            stations.append((town, station))

    # Ties: referrals along the chain, then institutional ties per township.
    ties = block.ties
    r = rng.randint
    ties += [(hospital, city.hospital, "referral", r(20, 200), ""),
             (city.hospital, hospital, "referral", r(5, 80), ""),
             (hospital, mch, "referral", r(10, 80), ""), (mch, hospital, "referral", r(5, 60), "")]
    for t, town in enumerate(town_ids, 1):
        if t not in broken:
            ties += [(town, hospital, "referral", r(20, 300), ""),
                     (hospital, town, "referral", r(5, 120), "")]
            if rng.random() < 0.5:
                ties += [(town, mch, "referral", r(5, 60), "高危孕产妇转诊"),
                         (mch, town, "referral", r(2, 30), "")]
        ties.append((hospital, town, "pairing", r(1, 4), "医共体结对共建"))
        ties.append((cadres[(t - 1) % len(cadres)], town, "liaison", r(2, 12), "联点"))
        if rng.random() < 0.5:
            ties.append((hospital, town, "assistance", r(1, 20), "技术帮扶"))
        if experts and rng.random() < 0.6:
            ties.append((rng.choice(experts), town, "outreach", r(4, 48), "专家下沉坐诊"))
        if rng.random() < 0.3:
            ties.append((town, hospital, "consultation", r(1, 30), "远程会诊"))
    for town, station in stations:
        ties.append((town, station, "outreach", r(2, 24), "家庭医生进站服务"))
    for i, (village, town, t) in enumerate(villages):
        if i in isolated:
            continue
        ties.append((village, town, "referral", r(3, 80), ""))
        if i not in one_way:
            ties.append((town, village, "referral", r(1, 40), ""))
        if i in leapfrog:
            ties.append((village, hospital, "referral", r(1, 10), "越级转诊"))

    # Services along the life-cycle chain; a stage missing in some counties.
    gap = rng.choice(("pre_pregnancy", "newborn_screening")) if rng.random() < knobs.gap_share else None
    for stage in STAGES:
        if stage != gap:
            block.services.append((mch, stage, mch_org))
    for stage in ("prenatal_care", "delivery", "newborn_screening"):
        if stage != gap:
            block.services.append((hospital, stage, committee))
    for t, town in enumerate(town_ids, 1):
        offered = [s for s in ("pregnancy_registration", "prenatal_care", "postpartum_followup",
                               "child_health") if rng.random() < 0.7]
        for stage in offered:
            coordinator = "" if rng.random() < 0.1 else f"O{code}-{t:02d}"
            block.services.append((town, stage, coordinator))

    block.planted.update(
        uncovered_clinics=len(uncovered), isolated_units=len(isolated),
        one_way_referrals=_number_of_one_way(ties, levels), broken_chains=len(broken),
        leapfrog_referrals=len(leapfrog), stage_gaps=1 if gap else 0,
    )
    _united_front_layer(block, people, random.Random(f"orgnet-united-front:{seed}:{index}"),
                        index=index, code=code, county_name=county_name, region=region,
                        hospital=hospital, mch=mch, hospital_officers=hospital_officers,
                        bureau_officers=bureau_officers, towns=town_ids)
    return block


def _united_front_layer(block: _Block, people: _People, rng: random.Random, *, index, code,
                        county_name, region, hospital, mch, hospital_officers, bureau_officers,
                        towns) -> None:
    """Add a county's united-front layer (spec 7b) with its planted gaps.

    Representative non-party figures (党外代表人士) at the county hospital, sometimes the
    MCH hospital, and about half of the township centers; a township united-front
    liaison station (统战工作联络站) in the townships with representatives, some with
    village stations below; a 新联会 (association); contacts (联谊交友) from the
    committees' cadres and the township branch secretaries.  Planted: a few
    uncontacted figures (one with a count-0 contact only), the last township with
    representatives left without a station, one village station hanging under a
    health center or nothing, a secretary with too many contacts (every third county)
    and a hospital committee without a united-front member (every fourth county).
    It runs on its own random stream after everything else, so the rest of the
    county is the same with or without the layer.
    """
    saved, people.rng = people.rng, rng
    try:
        figures: list[str] = []
        place_of: dict[str, str] = {}

        def figure(institution, *, expert=False):
            r = rng.random()
            status, party = ("democratic_party", rng.choice(_PARTIES)) if r < 0.5 else \
                ("independent", "") if r < 0.7 else ("non_party", "")
            roles = ["representative"] + (["expert"] if expert else [])
            figures.append(people.add(institution, "", status, roles, party))
            place_of[figures[-1]] = institution
            return figures[-1]

        county_figures = [figure(hospital, expert=rng.random() < 0.6)
                          for _ in range(rng.randint(2, 5))]
        mch_figure = rng.random() < 0.5
        if mch_figure:
            county_figures.append(figure(mch, expert=True))
        town_figures: dict[str, list[str]] = {}
        for town in towns:
            r = rng.random()
            k = 0 if r < 0.5 else 1 if r < 0.85 else 2
            if k:
                town_figures[town] = [figure(town) for _ in range(k)]
    finally:
        people.rng = saved

    # united-front member / officer of the responsible committees
    lacking = index % 4 == 1
    roles_added = {}
    if not lacking:
        roles_added[hospital_officers[min(2, len(hospital_officers) - 1)]] = "united_front_member"
    officer = rng.random() < 0.5
    if officer:
        roles_added[bureau_officers[-1]] = "united_front_officer"
    if roles_added:
        for i, row in enumerate(block.members):
            if row[0] in roles_added:
                roles = ";".join(r for r in (row[5], roles_added[row[0]]) if r)
                block.members[i] = row[:5] + (roles,) + row[6:]

    # stations: one per township with figures but the last; village stations below some
    town_name = {r[0]: r[1] for r in block.regions}
    with_figures = [t for t in towns if t in town_figures]
    without_station = with_figures[-1] if with_figures else None
    township_stations = []
    for t, town in enumerate(towns, 1):
        if town == without_station or (town not in town_figures and rng.random() >= 0.2):
            continue
        tcode = town[1:]
        station = f"U{tcode}"
        block.institutions.append((station, f"{town_name[f'R{tcode}']}统战工作联络站",
                                   "united_front_station", "", f"R{tcode}", ""))
        township_stations.append(station)
        for j in range(1, (rng.randint(1, 2) if rng.random() < 0.4 else 0) + 1):
            block.institutions.append((f"{station}-{j}", f"{town_name[f'R{tcode}']}第{j}村统战联络点",
                                       "united_front_station", "village", f"R{tcode}", station))
    broken = 0
    if township_stations:
        host = rng.choice(township_stations)
        tcode = host[1:]
        parent = f"T{tcode}" if index % 2 else ""
        block.institutions.append((f"{host}-X", f"{town_name[f'R{tcode}']}网格统战联络点",
                                   "united_front_station", "village", f"R{tcode}", parent))
        broken = 1
    association = f"A{code}"
    block.institutions.append((association, f"{county_name}新的社会阶层人士联合会（新联会）",
                               "association", "", region, ""))

    # contacts: county cadres in turn; township figures by their branch secretary
    cadres = hospital_officers + bureau_officers
    uncontacted = 0
    ties = block.ties
    for n, person in enumerate(county_figures + [p for t in with_figures for p in town_figures[t]]):
        if n == 0:
            ties.append((cadres[0], person, "contact", 0, "联谊交友（本年未开展）"))
            uncontacted += 1
            continue
        if rng.random() < 0.1:
            uncontacted += 1
            continue
        place = place_of[person]
        local = people.with_role.get((place, "secretary"), []) if place in town_figures else []
        source = local[0] if local else cadres[n % len(cadres)]
        ties.append((source, person, "contact", rng.randint(1, 12), "联谊交友"))
    ties.append((f"O{code}-W", association, "contact", rng.randint(1, 6), "联系新联会"))
    overload = index % 3 == 1
    if overload:
        for town in towns[:6]:
            ties.append((hospital_officers[0], town, "contact", rng.randint(1, 4), "挂点联系"))
    block.planted.update(
        representatives=len(figures), uncontacted_representatives=uncontacted,
        committees_without_united_front_member=int(lacking) + int(mch_figure and not officer),
        contact_overloads=int(overload), townships_without_station=int(without_station is not None),
        broken_station_chains=broken,
    )


def _number_of_one_way(ties, levels) -> int:
    pairs = {(s, t) for s, t, kind, total, _ in ties if kind == "referral" and total > 0}
    return sum(1 for s, t in pairs
               if levels.get(s) != levels.get(t) and (t, s) not in pairs)


def _fill_links(block: _Block, links_per_entity: float) -> None:
    """Turn ties into link rows, splitting referral counts over periods to reach the target."""
    target = round(links_per_entity * block.number_of_entities())
    referrals = [i for i, tie in enumerate(block.ties) if tie[2] == "referral"]
    extra = max(0, target - len(block.ties))
    rows_of = {}
    if referrals:
        each, more = divmod(extra, len(referrals))
        for n, i in enumerate(referrals):
            rows_of[i] = 1 + each + (1 if n < more else 0)
    links = block.links
    for i, (source, target_id, kind, total, note) in enumerate(block.ties):
        k = rows_of.get(i, 1)
        if k == 1:
            links.append((source, target_id, kind, str(total), str(_YEAR), note))
            continue
        base, rest = divmod(total, k)
        for j in range(k):
            links.append((source, target_id, kind, str(base + (1 if j < rest else 0)),
                          _period(j, k), note))


def _period(j: int, k: int) -> str:
    """The period of the j-th of k rows: quarters of the year, else months going back."""
    if k <= 4:
        return f"{_YEAR}-Q{j + 1}"
    year, month = _YEAR - j // 12, 12 - j % 12
    return f"{year}-{month:02d}"


# ---------------------------------------------------------------------------
# Chinese headers and values
# ---------------------------------------------------------------------------
_TABLE_ZH = {"regions": "区域", "institutions": "机构", "party_orgs": "党组织",
             "members": "人员", "links": "关系", "services": "服务"}
if any(TABLE_ALIASES.get(zh) != table for table, zh in _TABLE_ZH.items()):
    raise AssertionError("Chinese table names drifted from schema.TABLE_ALIASES")


def _zh_header(table: str, column: str) -> str:
    if column == "name":
        return "姓名" if table == "members" else "名称"
    if column == "institution_id":
        return "工作单位" if table == "members" else "机构编号"
    for zh, key in HEADER_ALIASES.items():
        if key == column:
            return zh
    return column


def _zh_value(aliases, key: str) -> str:
    """The Chinese word for a vocabulary key that reads back as that key."""
    word = ZH.get(key)
    if word and canonical_value(aliases, word) == key:
        return word
    for alias, value in aliases.items():
        if value == key and alias != key:
            return alias
    return key


_VOCAB_COLUMNS = {
    ("regions", "level"): LEVEL_ALIASES,
    ("institutions", "kind"): INSTITUTION_KIND_ALIASES,
    ("institutions", "level"): LEVEL_ALIASES,
    ("party_orgs", "kind"): ORG_KIND_ALIASES,
    ("members", "status"): MEMBER_STATUS_ALIASES,
    ("members", "roles"): ROLE_ALIASES,
    ("links", "type"): LINK_TYPE_ALIASES,
    ("services", "stage"): STAGE_ALIASES,
}


def _to_chinese(table: str, header: list[str], rows):
    """Yield the Chinese header, then each row with Chinese vocabulary values."""
    converters = {i: _VOCAB_COLUMNS[(table, c)] for i, c in enumerate(header)
                  if (table, c) in _VOCAB_COLUMNS}
    lists = [i for i, c in enumerate(header) if c in ("roles", "institution_ids")]
    yield [_zh_header(table, c) for c in header]
    list_sep = LIST_SEPARATORS[2]           # 、
    for row in rows:
        row = list(row)
        for i, aliases in converters.items():
            if row[i]:
                row[i] = ";".join(_zh_value(aliases, v) for v in row[i].split(";"))
        for i in lists:
            if row[i]:
                row[i] = list_sep.join(row[i].split(";"))
        yield row


def _check_vocabulary() -> None:
    """Fail at import if a vocabulary value written above left the schema."""
    used = (
        (INSTITUTION_KIND_ALIASES, ("county_hospital", "mch_hospital", "health_bureau",
                                   "township_health_center", "village_clinic",
                                   "community_health_center", "community_health_station",
                                   "party_service_station", "city_hospital")),
        (LEVEL_ALIASES, ("village", "township", "county", "city", "province")),
        (ORG_KIND_ALIASES, ("committee", "working_committee", "branch", "joint_branch", "group")),
        (MEMBER_STATUS_ALIASES, ("full", "probationary", "activist", "non_party",
                                "democratic_party", "independent")),
        (ROLE_ALIASES, ("secretary", "deputy_secretary", "committee_member", "group_leader",
                       "liaison", "family_doctor", "expert")),
        (LINK_TYPE_ALIASES, ("referral", "pairing", "liaison", "assistance", "outreach",
                            "consultation")),
        (STAGE_ALIASES, STAGES),
    )
    for aliases, keys in used:
        for key in keys:
            if canonical_value(aliases, key) != key:
                raise AssertionError(f"generator uses {key!r}, which the schema no longer has")
    if not level_rank("village") < level_rank("township") < level_rank("county") < level_rank("city"):
        raise AssertionError("the generator assumes village < township < county < city")


_check_vocabulary()
