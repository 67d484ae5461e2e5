"""Property-based fuzzing: mutated datasets in every container load, or fail located.

Each example takes the tiny county of ``conftest.TINY``, mutates it (a cell replaced by
hostile text or a number, a row duplicated or dropped, a column dropped, or bytes of the
written file flipped, cut or inserted), writes it as a CSV directory (UTF-8 or GBK), a
workbook or a JSON file, then runs ``orgnet validate`` and ``orgnet check -o``.  The
property: exit 0, or exit 1 with located lines (``FILE...: message``), no traceback,
and nothing written when it fails.

The budget is small by default (CI); run a larger one by hand with
``ORGNET_FUZZ_EXAMPLES=2000 python -m pytest tests/hostile/test_fuzz.py``.
"""

import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY, write_xlsx_tables
from orgnet.cli import main

EXAMPLES = int(os.environ.get("ORGNET_FUZZ_EXAMPLES", "15"))
CONTAINERS = ("csv", "gbk", "xlsx", "json")
TABLES = sorted(TINY)

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "#N/A", "", " ", "H1", "ｈ１",
                     "H\u200b1", "\ufeffH1", "\x00", "\x1b[2J", "\ud800", "9" * 5000,
                     "村卫生室", "branch", "full", "referral", "2025-Q5", "-1", "1e999",
                     '"', "a,b", "a\nb", "[]", "{}", "null"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)


@st.composite
def mutated(draw):
    tables = json.loads(json.dumps(TINY))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        table = draw(st.sampled_from(TABLES))
        rows = tables[table]
        action = draw(st.sampled_from(["cell", "cell", "cell", "duplicate", "drop-row",
                                       "drop-column", "new-column"]))
        if not rows:
            continue
        index = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        if action == "cell":
            column = draw(st.sampled_from(sorted(rows[index])))
            rows[index][column] = draw(hostile_text)
        elif action == "duplicate":
            rows.append(dict(rows[index]))
        elif action == "drop-row":
            rows.pop(index)
        elif action == "drop-column":
            column = draw(st.sampled_from(sorted(rows[index])))
            for row in rows:
                row.pop(column, None)
        else:
            rows[index][draw(st.text(min_size=1, max_size=12))] = draw(hostile_text)
    damage = draw(st.one_of(st.none(), st.tuples(
        st.sampled_from(["flip", "cut", "insert"]), st.integers(min_value=0, max_value=10**6),
        st.binary(min_size=1, max_size=8))))
    return tables, damage


def _damage(path, damage):
    if damage is None or not path.is_file():
        return
    data = bytearray(path.read_bytes())
    kind, where, payload = damage
    where %= max(len(data), 1)
    if kind == "flip":
        data[where:where + len(payload)] = payload
    elif kind == "cut":
        del data[where:]
    else:
        data[where:where] = payload
    path.write_bytes(bytes(data))


def _write(base, container, tables, damage):
    base.mkdir(parents=True)
    if container in ("csv", "gbk"):
        import csv

        directory = base / "data"
        directory.mkdir()
        for table, rows in tables.items():
            header = []
            for row in rows:
                header += [k for k in row if k not in header]
            encoding = "gbk" if container == "gbk" else "utf-8"
            with open(directory / f"{table}.csv", "w", newline="", encoding=encoding,
                      errors="replace" if container == "gbk" else "surrogatepass") as fh:
                writer = csv.DictWriter(fh, fieldnames=header)
                writer.writeheader()
                writer.writerows(rows)
        _damage(directory / "institutions.csv", damage)
        return directory
    if container == "json":
        path = base / "data.json"
        path.write_bytes(json.dumps(tables, ensure_ascii=True).encode())
        _damage(path, damage)
        return path
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def legal(text):   # what openpyxl can store at all
        return ILLEGAL_CHARACTERS_RE.sub("", str(text).encode("utf-8", "replace").decode("utf-8"))

    clean = {t: [{legal(k) or "x": legal(v) for k, v in row.items()} for row in rows]
             for t, rows in tables.items()}
    try:
        path = write_xlsx_tables(base / "data.xlsx", clean)
    except ValueError:   # e.g. a header openpyxl refuses: nothing to test
        return None
    _damage(path, damage)
    return path


def _check(result, path):
    assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert "Error: " in result.output


@pytest.mark.parametrize("container", CONTAINERS)
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(case=mutated())
def test_mutated_datasets_load_or_fail_located(tmp_path_factory, container, case):
    tables, damage = case
    base = tmp_path_factory.mktemp(container)
    path = _write(base / "in", container, tables, damage)
    if path is None:
        return
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", str(path)])
    _check(validated, path)
    out = base / "findings.json"
    checked = runner.invoke(main, ["check", str(path), "-o", str(out)])
    _check(checked, path)
    assert (checked.exit_code == 0) == (validated.exit_code == 0), checked.output[-2000:]
    if checked.exit_code == 1:
        assert not out.exists()
        located = [line for line in validated.output.splitlines()
                   if not line.startswith(("Error: ", "Warning: "))]
        name = path.name
        assert all(line.startswith(name) or line.split(":")[0].endswith((".csv", "/"))
                   or line.startswith(("data/", "data.")) for line in located), located[:5]
    else:
        json.loads(out.read_text())
    assert not [p for p in base.rglob(".*.tmp")]
