"""Quarterly snapshots of one synthetic network, with planted fixes and new gaps.

:func:`generate_snapshots` writes the first quarter with
:func:`orgnet.loaders.generate.generate_dataset`, then derives each next quarter from
the one before by streaming its CSV files (bounded memory at any size) and
planting, in every county at random:

- **fixes**: an uncovered village clinic is taken into its township's branch
  (``coverage.uncovered_institution`` resolved); a one-way referral gets its
  referral back down, dated in the new quarter (``referral.one_way`` resolved);
- **new gaps**: a clinic the township branch covered is dropped from it
  (``coverage.uncovered_institution`` new); the referrals back down to a
  clinic stop (``referral.one_way`` new).

Each change touches nothing else any check reads (party orgs are never link
endpoints in generated data), so ``orgnet compare`` of two consecutive
quarters reports exactly the planted fixes as resolved and the planted gaps as
new.  The truth is returned and written to ``OUT/planted.json``.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> result = generate_snapshots(out, periods=2, counties=1, seed=3, uncovered=3)
>>> result["periods"]
['2025-Q1', '2025-Q2']
>>> planted = result["planted"]["2025-Q2"]
>>> sorted(planted["fixed"]), sorted(planted["new"])
(['coverage.uncovered_institution', 'referral.one_way'], ['coverage.uncovered_institution', 'referral.one_way'])
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from orgnet.graphmodel.schema import TABLE_ORDER
from orgnet.loaders.generate import GenerateError, generate_dataset

__all__ = ["generate_snapshots", "quarter_names", "PLANTED_FILE", "FIX_SHARE", "GAP_SHARE"]

#: The file beside the snapshots that lists every planted fix and gap.
PLANTED_FILE = "planted.json"
#: Share of the open gaps of each kind fixed per quarter (at least one when any).
FIX_SHARE = 0.3
#: Share of the places that could break that break per quarter (at least one).
GAP_SHARE = 0.03
#: The checks whose findings the planted changes resolve or create.
UNCOVERED = "coverage.uncovered_institution"
ONE_WAY = "referral.one_way"
_VILLAGE_KINDS = ("village_clinic", "community_health_station")
_FIRST_YEAR = 2025


def quarter_names(periods: int, first_year: int = _FIRST_YEAR) -> list[str]:
    """Return ``periods`` quarter names from Q1 of ``first_year``.

    Examples
    --------
    >>> quarter_names(5)
    ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']
    """
    return [f"{first_year + q // 4}-Q{q % 4 + 1}" for q in range(periods)]


def _rows(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        yield next(reader)
        yield from reader


def _pick(rng: random.Random, candidates: list, share: float) -> list:
    if not candidates:
        return []
    count = max(1, round(share * len(candidates)))
    return sorted(rng.sample(candidates, min(count, len(candidates))))


def _survey(src: Path) -> dict:
    """Read what the planting needs: clinics, their townships and branches, coverage, referrals."""
    villages = {}                       # clinic -> its township center
    rows = _rows(src / "institutions.csv")
    header = next(rows)
    i_id, i_kind, i_parent = (header.index(c) for c in ("id", "kind", "parent_id"))
    for row in rows:
        if row[i_kind] in _VILLAGE_KINDS and row[i_parent]:
            villages[row[i_id]] = row[i_parent]
    branch_of = {}                      # township center -> the branch covering it first
    covered = set()
    listed_by_branch = {}               # clinic -> township branch listing it
    rows = _rows(src / "party_orgs.csv")
    header = next(rows)
    o_id, o_kind, o_list = (header.index(c) for c in ("id", "kind", "institution_ids"))
    for row in rows:
        units = [u for u in row[o_list].split(";") if u]
        covered.update(units)
        if row[o_kind] == "branch" and units and units[0] not in villages:
            branch_of.setdefault(units[0], row[o_id])
            for unit in units[1:]:
                if villages.get(unit) == units[0]:
                    listed_by_branch[unit] = row[o_id]
    up, down, towns_up = set(), set(), set()
    towns = set(villages.values())
    rows = _rows(src / "links.csv")
    header = next(rows)
    l_src, l_tgt, l_type, l_count = (header.index(c) for c in ("source_id", "target_id",
                                                                "type", "count"))
    for row in rows:
        if row[l_type] != "referral" or row[l_count] in ("0",):
            continue
        if villages.get(row[l_src]) == row[l_tgt]:
            up.add(row[l_src])
        elif villages.get(row[l_tgt]) == row[l_src]:
            down.add(row[l_tgt])
        elif row[l_src] in towns and row[l_tgt] not in villages:
            towns_up.add(row[l_src])
    # a township without upward referrals is itself a finding whose evidence counts
    # its referrals out: its clinics' referrals are left alone
    up = {v for v in up if villages[v] in towns_up}
    return {"villages": villages, "branch_of": branch_of, "covered": covered,
            "listed": listed_by_branch, "up": up, "down": down}


def _plan(survey: dict, rng: random.Random) -> dict:
    villages = survey["villages"]
    uncovered = [v for v in villages if v not in survey["covered"]
                 and villages[v] in survey["branch_of"]]
    fix_cover = _pick(rng, sorted(uncovered), FIX_SHARE)
    break_cover = _pick(rng, sorted(survey["listed"]), GAP_SHARE)
    one_way = sorted(v for v in survey["up"] if v not in survey["down"])
    two_way = sorted(v for v in survey["up"] if v in survey["down"])
    fix_referral = _pick(rng, one_way, FIX_SHARE)
    break_referral = _pick(rng, two_way, GAP_SHARE)
    return {"fix_cover": fix_cover, "break_cover": break_cover,
            "fix_referral": fix_referral, "break_referral": break_referral}


def _write_next(src: Path, dest: Path, survey: dict, plan: dict, period: str,
                rng: random.Random) -> None:
    villages = survey["villages"]
    dest.mkdir(parents=True, exist_ok=True)
    add_to = {}
    for village in plan["fix_cover"]:
        add_to.setdefault(survey["branch_of"][villages[village]], []).append(village)
    drop = {survey["listed"][v]: set() for v in plan["break_cover"]}
    for village in plan["break_cover"]:
        drop[survey["listed"][village]].add(village)
    stop_down = {(villages[v], v) for v in plan["break_referral"]}
    for table in TABLE_ORDER:
        path = src / f"{table}.csv"
        if not path.exists():
            continue
        with open(dest / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            rows = _rows(path)
            header = next(rows)
            writer.writerow(header)
            if table == "party_orgs":
                o_id, o_list = header.index("id"), header.index("institution_ids")
                for row in rows:
                    if row[o_id] in add_to or row[o_id] in drop:
                        units = [u for u in row[o_list].split(";")
                                 if u and u not in drop.get(row[o_id], ())]
                        row[o_list] = ";".join(units + add_to.get(row[o_id], []))
                    writer.writerow(row)
            elif table == "links":
                l_src, l_tgt, l_type = (header.index(c) for c in ("source_id", "target_id",
                                                                   "type"))
                for row in rows:
                    if row[l_type] == "referral" and (row[l_src], row[l_tgt]) in stop_down:
                        continue
                    writer.writerow(row)
                for village in plan["fix_referral"]:
                    row = dict.fromkeys(header, "")
                    row.update(source_id=villages[village], target_id=village, type="referral",
                               count=str(rng.randint(1, 20)), period=period, note="恢复下转")
                    writer.writerow([row[c] for c in header])
            else:
                writer.writerows(rows)


def generate_snapshots(out_dir, *, periods: int, seed: int = 0, **options) -> dict:
    """Write ``periods`` quarterly snapshots of one network: ``OUT/2025-Q1``, ...

    Parameters
    ----------
    out_dir : str or Path
        Directory to create the snapshot directories (and ``planted.json``) in.
    periods : int
        Number of quarters, at least 1.
    seed : int
        Random seed; the same arguments give byte-identical files.
    **options
        Passed to :func:`orgnet.loaders.generate.generate_dataset` for the first quarter
        (``counties``, ``entities``, ``uncovered``, ``progress`` ...).

    Returns
    -------
    dict
        ``periods`` (names), ``counts`` (the first quarter's counts), and
        ``planted``: per later quarter ``{"fixed": {check: [subject, ...]},
        "new": {check: [subject, ...]}}``, subjects as lists of ids: what
        ``orgnet compare`` of that quarter against the one before reports as
        resolved and new.

    Raises
    ------
    GenerateError
        ``periods`` below 1, or an option out of range.
    """
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise GenerateError(f"periods must be a positive integer, got {periods!r}")
    out = Path(out_dir)
    names = quarter_names(periods)
    counts = generate_dataset(out / names[0], seed=seed, **options)
    rng = random.Random(f"orgnet-snapshots:{seed}")
    planted = {}
    for before, after in zip(names, names[1:]):
        survey = _survey(out / before)
        plan = _plan(survey, rng)
        _write_next(out / before, out / after, survey, plan, after, rng)
        villages = survey["villages"]
        planted[after] = {
            "fixed": {UNCOVERED: [[v] for v in plan["fix_cover"]],
                      ONE_WAY: [[v, villages[v]] for v in plan["fix_referral"]]},
            "new": {UNCOVERED: [[v] for v in plan["break_cover"]],
                    ONE_WAY: [[v, villages[v]] for v in plan["break_referral"]]},
        }
    result = {"periods": names, "counts": counts, "planted": planted}
    (out / PLANTED_FILE).write_text(json.dumps({"periods": names, "planted": planted},
                                               ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    return result
