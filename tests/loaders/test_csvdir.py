"""CSV directories: encodings, damaged files, headers, row numbers."""

from __future__ import annotations

import pytest

from conftest import TINY, write_csv_tables
from orgnet.loaders import DatasetError, load_dataset, load_graph
from orgnet.loaders.csvdir import read_csv_dir

HEADER = "id,name,kind\n"


def _dir(tmp_path, files: dict[str, bytes | str], encoding="utf-8"):
    directory = tmp_path / "d"
    directory.mkdir()
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (directory / name).write_bytes(data)
    return directory


def _error(path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return str(info.value).splitlines()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_give_the_same_graph(tmp_path, encoding):
    G = load_graph(write_csv_tables(tmp_path / encoding, TINY, encoding=encoding), name="t")
    H = load_graph(write_csv_tables(tmp_path / "ref", TINY), name="t")
    assert sorted(G.nodes(data="name")) == sorted(H.nodes(data="name"))
    assert G.nodes["V1"]["name"] == "李村卫生室"
    assert sorted(G.edges(keys=True), key=str) == sorted(H.edges(keys=True), key=str)


def test_a_gbk_file_whose_first_lines_are_ascii(tmp_path):
    rows = "".join(f"X{i},clinic {i},other\n" for i in range(5000)) + "V1,李村卫生室,村卫生室\n"
    directory = _dir(tmp_path, {"机构.csv": HEADER + rows}, encoding="gbk")
    assert load_dataset(directory).tables["institutions"]["name"].iloc[-1] == "李村卫生室"


def test_damaged_utf8_is_located(tmp_path):
    good = "".join(f"V{i},村卫生室{i},村卫生室\n" for i in range(20)).encode("utf-8")
    data = HEADER.encode() + good + b"V99,\xff\xfe,village_clinic\n"
    directory = _dir(tmp_path, {"institutions.csv": data})
    assert _error(directory) == [
        f"institutions.csv:22: cannot read the file: not valid UTF-8 at byte {len(HEADER) + len(good) + 4} "
        "(the rest of the file is UTF-8); the file is damaged there, or was pieced together "
        "from files in different encodings; save it again as 'CSV UTF-8'"]


def test_the_bom_is_not_part_of_the_first_header(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": "\ufeff" + HEADER + "H1,县医院,县医院\n"})
    assert load_dataset(directory).tables["institutions"]["id"].tolist() == ["H1"]


def test_an_empty_file(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": ""})
    assert _error(directory) == [
        "institutions.csv: the file or sheet is empty; its first row must be the header "
        "(id, name, kind)"]


def test_an_empty_optional_file_is_an_error_too(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER, "links.csv": "\ufeff \n"})
    assert _error(directory) == [
        "links.csv: the file or sheet is empty; its first row must be the header "
        "(source_id, target_id, type)"]


def test_a_header_only_file_is_an_empty_table(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER, "members.csv": "id,name,status\n"})
    dataset = load_dataset(directory)
    assert len(dataset.tables["institutions"]) == 0 and len(dataset.tables["members"]) == 0


def test_a_binary_file_named_csv(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": bytes(range(256)) * 4})
    assert _error(directory) == [
        "institutions.csv: cannot read the file: binary data, not CSV text (UTF-16 'Unicode "
        "text' files are not accepted either); save it as 'CSV UTF-8' from Excel"]


def test_a_workbook_named_csv(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": b"PK\x03\x04" + b"x" * 100})
    assert _error(directory) == [
        "institutions.csv: cannot read the file: this is an Excel workbook named .csv; "
        "save it as CSV, or give orgnet the workbook renamed to .xlsx"]


def test_text_in_no_known_encoding(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER.encode() + b"H1,\x80\xff,x\n"})
    assert _error(directory) == [
        "institutions.csv:2: cannot read the file: the text is neither UTF-8 nor GB18030/GBK "
        "(bad byte at 16); save it as 'CSV UTF-8' from Excel"]


def test_a_row_with_too_many_cells(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER + "H1,县医院,县医院\nV1,李村,卫生室,extra\n"})
    assert _error(directory) == [
        "institutions.csv:3: this row has 4 cells but the header has 3; "
        "quote cells that contain commas"]


def test_every_row_with_too_many_cells_is_reported(tmp_path):
    rows = 'H1,"县医院,门诊",县医院\nV1,a,b,c\n\nV2,"李村\n卫生室",卫生室\nV3,a,b,c,d\n'
    directory = _dir(tmp_path, {"institutions.csv": HEADER + rows})
    assert _error(directory) == [
        "institutions.csv:3: this row has 4 cells but the header has 3; "
        "quote cells that contain commas",
        "institutions.csv:6: this row has 5 cells but the header has 3; "
        "quote cells that contain commas"]


def test_short_rows_are_padded(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER + "H1,县医院\n"})
    assert _error(directory) == ["institutions.csv:2: column 'kind': required cell is empty"]


def test_duplicate_headers(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": "id,name,名称,kind\nH1,a,b,县医院\n"})
    assert _error(directory) == [
        "institutions.csv:1: column '名称': column '名称' means the same as column 'name' "
        "(column 2); keep one"]


def test_the_same_header_twice(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": "id,name,kind,tel,tel\nH1,a,县医院,1,2\n"})
    assert _error(directory) == [
        "institutions.csv:1: column 'tel': column 'tel' means the same as column 'tel' "
        "(column 4); keep one"]


def test_cells_without_a_header(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": "id,name,kind,\nH1,a,县医院,x\nV1,b,卫生室,\n"})
    assert _error(directory) == [
        "institutions.csv:1: 1 cell(s) in column 4 have no header; "
        "add a header or delete the column"]


def test_an_empty_column_without_header_is_dropped(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": "id,name,kind,,\nH1,a,县医院,,\n"})
    assert list(load_dataset(directory).tables["institutions"].columns[:3]) == [
        "id", "name", "kind"]


def test_a_reserved_column_name(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": "id,name,kind,label\nH1,a,县医院,x\n"})
    assert _error(directory) == [
        "institutions.csv:1: column 'label': column name 'label' is reserved by orgnet; "
        "rename the column"]


def test_the_same_table_in_two_files(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER, "机构.csv": HEADER})
    assert _error(directory) == [
        "机构.csv: table 'institutions' is given twice: here and in institutions.csv; keep one"]


def test_other_files_are_ignored_and_names_match_without_case(tmp_path):
    directory = _dir(tmp_path, {"Institutions.CSV": HEADER + "H1,a,县医院\n",
                                "notes.csv": "whatever\n", "readme.txt": "x"})
    assert load_dataset(directory).files == {"institutions": "Institutions.CSV"}


def test_cells_are_text_trimmed_and_never_na(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv":
                                "id , name,kind,code\n 007 ,NA,县医院, null \n"})
    table = load_dataset(directory).tables["institutions"]
    assert table.loc[0, "id"] == "007" and table.loc[0, "name"] == "NA"
    assert table.loc[0, "code"] == "null"


def test_blank_lines_keep_the_row_numbers(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER + "H1,a,县医院\n\n,,\nV1,b,卫生室x\n"})
    assert _error(directory) == [
        "institutions.csv:5: column 'kind': unknown kind '卫生室x'; did you mean '卫生室' "
        "(village_clinic)?"]


def test_a_missing_institutions_file_lists_what_was_found(tmp_path):
    directory = _dir(tmp_path, {"members.csv": "id,name,status\n"})
    assert _error(directory) == [
        "d/: missing table 'institutions' (机构): no institutions.csv or 机构.csv in d/ "
        "(CSV files found: members.csv)"]


def test_read_csv_dir_reports_progress_in_bytes(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER + "H1,a,县医院\n"})
    seen = []
    raw = read_csv_dir(directory, progress=seen.append)
    assert sum(seen) == (directory / "institutions.csv").stat().st_size
    assert raw.tables["institutions"].headers == {"id": "id", "name": "name", "kind": "kind"}


@pytest.mark.slow
def test_a_50_mb_file_with_one_bad_row_near_the_end(tmp_path):
    directory = tmp_path / "big"
    directory.mkdir()
    path = directory / "institutions.csv"
    line = "V{0},某某县某某镇某某村卫生室第{0}号,village_clinic,village,,\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,name,kind,level,region_id,parent_id\n")
        i = 0
        while fh.tell() < 50_000_000:
            fh.write("".join(line.format(i + k) for k in range(1000)))
            i += 1000
        bad_row = i + 2 - 10                     # ten rows before the end
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows[bad_row - 1] = rows[bad_row - 1].replace("village_clinic", "villageclinic")
    path.write_text("".join(rows), encoding="utf-8")
    del rows
    assert path.stat().st_size >= 50_000_000
    with pytest.raises(DatasetError) as info:
        load_dataset(directory)
    assert str(info.value) == (
        f"institutions.csv:{bad_row}: column 'kind': unknown kind 'villageclinic'; "
        "did you mean 'village_clinic'?")


@pytest.mark.parametrize("data, needed", [
    (b"a,b\nc,d\n", False), (b"a,b\r\nc,d\r\n", False), ("a,中文\n".encode(), False),
    (b"\xef\xbb\xbfa,b\n", False), (b"a, b\n", True), (b"a ,b\n", True), (b"a,b \n", True),
    (b"a,b \r\n", True), (b"a\n b\n", True), (b" a,b", True), (b"a,b ", True),
    (b"a,b\tc\n", True), (b'a,"b"\n', True), ("a,\u3000b\n".encode(), True),
    ("a,b\u00a0\n".encode(), True), (b"\xef\xbb\xbf a,b", True),
])
def test_trimming_is_skipped_only_when_nothing_can_need_it(data, needed):
    from orgnet.loaders.csvdir import _needs_trim
    assert _needs_trim(data, "utf-8-sig") is needed
    assert _needs_trim(data, "gb18030") is True


def test_full_width_spaces_are_trimmed(tmp_path):
    directory = _dir(tmp_path, {"institutions.csv": HEADER + "H1,\u3000县医院\u3000,县医院\n"})
    assert load_dataset(directory).tables["institutions"]["name"].tolist() == ["县医院"]


def _big_rows(count: int, breaks: bool) -> list[list[str]]:
    """Rows of an institutions table with what a large file may hold: quoted cells with
    commas, quotes and (``breaks``) line breaks, padded cells, blank cells, a short row,
    a blank row."""
    rows = []
    line_break = "\n" if breaks else ""
    for i in range(count):
        name = f"某某县某某镇第{i}号卫生室"
        if i % (13 if breaks else 997) == 0:
            name = f'多行{line_break}名称, "引号" {i}'
        elif i % 991 == 0:
            name = f"  {name}\u3000"
        rows.append([f"V{i}", name, "village_clinic", "village" if i % 3 else "", "", ""])
    rows[count // 2] = ["V-short", "短行"]
    rows[count // 3] = [""] * 6
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("bom, newline, breaks", [(False, "\n", False), (True, "\r\n", False),
                                                 (False, "\n", True), (True, "\r\n", True)])
def test_a_large_file_reads_as_the_csv_module_reads_it(tmp_path, bom, newline, breaks):
    import csv
    import io

    from orgnet.loaders.csvdir import _PATH_PARSE_BYTES

    rows = _big_rows(150_000, breaks)
    text = io.StringIO()
    csv.writer(text, lineterminator=newline).writerows(
        [["id", "name", "kind", "level", "region_id", "parent_id"]] + rows)
    data = ("\ufeff" if bom else "").encode() + text.getvalue().encode()
    assert len(data) >= _PATH_PARSE_BYTES    # parsed from its path (in threads)
    directory = _dir(tmp_path, {"institutions.csv": data})
    table = read_csv_dir(directory).tables["institutions"]
    kept = [(number, row + [""] * (6 - len(row))) for number, row in enumerate(rows, start=2)
            if any(row)]
    frame = table.frame
    assert frame["_row"].tolist() == [number for number, _ in kept]
    for position, column in enumerate(["id", "name", "kind", "level", "region_id", "parent_id"]):
        assert frame[column].tolist() == [row[position].strip() for _, row in kept], column
        assert frame[column].dtype == object


@pytest.mark.slow
def test_a_large_file_with_long_rows_reports_each_of_them(tmp_path):
    from orgnet.loaders.csvdir import _PATH_PARSE_BYTES

    lines = ["id,name,kind\n"] + [f"V{i},某某县某某镇第{i}号卫生室,village_clinic\n"
                                  for i in range(150_000)]
    lines[100_000] = "V-long,a,b,c\n"
    lines[140_000] = "V-long2,a,b,c,d\n"
    directory = _dir(tmp_path, {"institutions.csv": "".join(lines)})
    assert (directory / "institutions.csv").stat().st_size >= _PATH_PARSE_BYTES
    assert _error(directory) == [
        "institutions.csv:100001: this row has 4 cells but the header has 3; quote cells "
        "that contain commas",
        "institutions.csv:140001: this row has 5 cells but the header has 3; quote cells "
        "that contain commas"]


def test_a_file_that_changes_while_read_is_parsed_from_the_bytes_checked(tmp_path, monkeypatch):
    from orgnet.loaders import csvdir

    directory = _dir(tmp_path, {"institutions.csv": HEADER + "H1,县医院,county_hospital\n"})
    monkeypatch.setattr(csvdir, "_PATH_PARSE_BYTES", 1)
    stamps = iter([(1, 2, 3, 4), (5, 6, 7, 8)])
    monkeypatch.setattr(csvdir, "_stamp", lambda path: next(stamps))
    parsed = []
    original = csvdir.pd.read_csv
    monkeypatch.setattr(csvdir.pd, "read_csv", lambda source, **kw: parsed.append(
        type(source).__name__) or original(source, **kw))
    table = read_csv_dir(directory).tables["institutions"]
    assert parsed == ["str", "BytesIO"]
    assert table.frame["name"].tolist() == ["县医院"]
