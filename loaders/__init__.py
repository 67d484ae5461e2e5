"""Read datasets (CSV directory, XLSX workbook, JSON file), validate them and build the graph.

The public API:

- :func:`load_dataset` reads any container and validates it, returning the
  canonical :class:`Dataset` or raising :class:`DatasetError` with every
  :class:`Problem` found;
- :func:`load_graph` is ``build_graph(load_dataset(...))``;
- :func:`read_raw` reads without validating (what ``orgnet validate`` and the
  tests use to look at the raw tables).

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp()) / "demo"; d.mkdir()
>>> _ = (d / "institutions.csv").write_text(
...     "id,name,kind,parent_id\\nH1,县医院,county_hospital,\\nV1,李村卫生室,村卫生室,H1\\n",
...     encoding="utf-8")
>>> G = load_graph(d)
>>> G.nodes["V1"]["kind"], G.nodes["V1"]["level"], list(G.successors("V1"))
('village_clinic', 'village', ['H1'])
>>> _ = (d / "institutions.csv").write_text("id,name,kind\\nH1,县医院,hospital\\n")
>>> try:
...     load_dataset(d)
... except DatasetError as err:
...     print(err)
institutions.csv:2: column 'kind': unknown kind 'hospital'; did you mean 'mch_hospital'?
"""

from __future__ import annotations

from pathlib import Path

from orgnet.loaders.dataset import ROW_COLUMN, Dataset
from orgnet.loaders.graph import build_graph
from orgnet.loaders.problems import DatasetError, Problem
from orgnet.loaders.raw import RawDataset

__all__ = ["load_dataset", "load_graph", "load_tables", "read_raw", "dataset_size", "input_digests", "build_graph",
           "Dataset", "DatasetError", "Problem", "ROW_COLUMN"]

_XLSX = (".xlsx", ".xlsm", ".xls")


def read_raw(path, *, progress=None) -> RawDataset:
    """Read a dataset's tables without validating them.

    The container is chosen from the path: a directory is read as CSV files, an
    ``.xlsx`` file as a workbook, a ``.json`` file as JSON.  Problems met while
    reading (unreadable files, duplicate headers, ...) are in ``.problems``.

    Parameters
    ----------
    path : str or Path
    progress : callable, optional
        ``progress(n)`` is called with the number of bytes read so far, in steps;
        the total is :func:`dataset_size`.

    Returns
    -------
    loaders.raw.RawDataset
    """
    # each reader is imported when its container is met: the workbook reader pulls in
    # openpyxl, which a CSV directory does not need
    path = Path(path)
    if path.is_dir():
        from orgnet.loaders.csvdir import read_csv_dir

        return read_csv_dir(path, progress=progress)
    if not path.exists():
        raw = RawDataset(str(path), str(path))
        raw.problems.append(Problem.make("no-dataset", str(path)))
        return raw
    suffix = path.suffix.lower()
    if suffix in _XLSX:
        from orgnet.loaders.xlsx import read_xlsx

        return read_xlsx(path, progress=progress)
    if suffix == ".json":
        from orgnet.loaders.jsonfile import read_json

        return read_json(path, progress=progress)
    raw = RawDataset(str(path), path.name)
    hint = hint_zh = ""
    if suffix == ".csv":
        hint = f"; a CSV dataset is the directory holding the table files ({path.parent})"
        hint_zh = f"；CSV 数据集是存放各表文件的目录（{path.parent}）"
    raw.problems.append(Problem.make("unknown-container", path.name, hint=hint,
                                     hint_zh=hint_zh))
    return raw


def dataset_size(path) -> int:
    """Return the number of bytes :func:`read_raw` will read (the progress total)."""
    from orgnet.loaders.csvdir import csv_files

    path = Path(path)
    if path.is_dir():
        return sum(p.stat().st_size for _, p in csv_files(path))
    try:
        return path.stat().st_size
    except OSError:
        return 0


def input_digests(path) -> list[dict]:
    """Return the SHA-256 of every input file of a dataset (its provenance).

    A CSV directory gives one entry per table file (``table``, ``file``,
    ``sha256``); a workbook or JSON file one entry for the file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "机构.csv").write_bytes(b"id,name,kind\\n")
    >>> import hashlib
    >>> entry = input_digests(d)[0]
    >>> entry["table"], entry["file"], entry["sha256"] == hashlib.sha256(b"id,name,kind\\n").hexdigest()
    ('institutions', '机构.csv', True)
    """
    import hashlib

    from orgnet.loaders.csvdir import csv_files

    def sha(file: Path) -> str:
        digest = hashlib.sha256()
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    path = Path(path)
    if path.is_dir():
        return [{"table": table, "file": file.name, "sha256": sha(file)}
                for table, file in csv_files(path)]
    return [{"file": path.name, "sha256": sha(path)}] if path.is_file() else []


def load_dataset(path, *, name: str | None = None, progress=None) -> Dataset:
    """Read and validate a dataset in any container.

    Parameters
    ----------
    path : str or Path
        A directory of CSV files, an ``.xlsx`` workbook or a ``.json`` file.
    name : str, optional
        Dataset name; default the file or directory stem.
    progress : callable, optional
        Called with numbers of bytes read (see :func:`dataset_size`).

    Returns
    -------
    Dataset
        The canonical tables (see :class:`orgnet.loaders.dataset.Dataset`).

    Raises
    ------
    DatasetError
        With every problem found; nothing is returned for a dataset with any error.
    """
    from orgnet.loaders.graph import gc_paused
    from orgnet.loaders.validate import validate_dataset

    with gc_paused():
        return validate_dataset(read_raw(path, progress=progress), name=name)


def load_tables(path, **kw):
    """Return the check tables of a dataset, built column-wise (no networkx graph).

    ``orgnet.queries.tables.CheckTables.from_dataset(load_dataset(path, **kw))``: what
    ``orgnet check PATH`` runs the checks on (``orgnet.queries.runner.run_checks`` takes
    it as it takes a graph).

    Raises
    ------
    DatasetError
        When the dataset is not valid.

    Examples
    --------
    >>> from pathlib import Path
    >>> tables = load_tables(Path(__file__).parents[1] / "examples" / "county-medical-community")
    >>> tables.dataset, int(tables.is_institution.sum()) > 0
    ('county-medical-community', True)
    """
    from orgnet.queries.tables import CheckTables

    return CheckTables.from_dataset(load_dataset(path, **kw))


def load_graph(path, **kw):
    """Return the embedded graph of a dataset: ``build_graph(load_dataset(path, **kw))``.

    Raises
    ------
    DatasetError
        When the dataset is not valid.
    """
    return build_graph(load_dataset(path, **kw))
