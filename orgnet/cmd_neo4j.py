"""Commands: ``load`` (a dataset into Neo4j) and ``cypher`` (a read-only Cypher console)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import click

from orgnet.graphmodel.schema import ZH
from orgnet.graphmodel.outputs import clean_text, safe_cell
from orgnet._common import echo, errors_to_click, fail, lang_option, progress, show_warnings
from orgnet._common import say, usage_error
from orgnet._neo4j import (
    neo4j_options, open_driver, open_store, parse_param, read_only_refusal,
)

__all__ = ["COMMANDS", "load", "cypher", "format_rows", "load_summary"]


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@neo4j_options(required=True, dataset_help="Name to load the dataset under "
                                           "(default: the file or directory stem).")
@click.option("--replace", is_flag=True,
              help="Replace a different dataset already loaded under that name.")
@click.option("--batch-size", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Rows per write transaction.")
@lang_option
def load(path, target, replace, batch_size, lang):
    """Load a dataset into Neo4j (validated first; reloading the same data changes nothing).

    Example: orgnet load examples/county-medical-community --neo4j bolt://localhost:7687
    """
    from orgnet.loaders import load_dataset
    from orgnet.loaders.rows import dataset_rows

    with errors_to_click():
        dataset = load_dataset(path)
        show_warnings(dataset)
        rows = dataset_rows(dataset, source=str(path))
        with open_store(target) as store:
            label = "载入 Neo4j" if lang == "zh" else "Loading into Neo4j"
            with progress(label, rows.size) as bar:
                result = store.load(rows, name=target.dataset or dataset.name, replace=replace,
                                    batch_size=batch_size, progress=bar.update)
    echo(load_summary(result, target.database, lang))


def _counts(counts: dict[str, int], lang: str) -> str:
    parts = [f"{ZH.get(k, k) if lang == 'zh' else k} {v}" for k, v in counts.items() if v]
    return ("，" if lang == "zh" else ", ").join(parts)


def load_summary(result, database: str, lang: str = "en") -> str:
    """Return the one-paragraph summary ``orgnet load`` prints.

    Examples
    --------
    >>> from orgnet.graphmodel.neo4j_store import LoadResult
    >>> r = LoadResult("tiny", "tiny#1", "loaded", {"Institution": 2}, {"REFERRAL": 1},
    ...                seconds=0.25)
    >>> print(load_summary(r, "neo4j"))
    Loaded dataset 'tiny' into Neo4j database 'neo4j' as version tiny#1: 2 entities (Institution 2), 1 relationships (REFERRAL 1) in 0.2 s.
    >>> print(load_summary(r, "neo4j", "zh"))
    已将数据集“tiny”载入 Neo4j 数据库“neo4j”（版本 tiny#1）：实体 2 个（机构 2），关系 1 条（REFERRAL 1），用时 0.2 秒。
    """
    nodes, rels = result.number_of_nodes, result.number_of_relationships
    if lang == "zh":
        if result.status == "unchanged":
            return (f"数据集“{result.name}”已以相同内容载入 Neo4j 数据库“{database}”"
                    f"（版本 {result.graph}），无需改动。")
        verb = "替换" if result.status == "replaced" else "载入"
        return (f"已将数据集“{result.name}”{verb} Neo4j 数据库“{database}”（版本 {result.graph}）："
                f"实体 {nodes} 个（{_counts(result.nodes, lang)}），"
                f"关系 {rels} 条（{_counts(result.relationships, lang)}），"
                f"用时 {result.seconds:.1f} 秒。")
    if result.status == "unchanged":
        return (f"Dataset '{result.name}' is already loaded with the same content in Neo4j "
                f"database '{database}' (version {result.graph}): nothing to do.")
    verb = "Replaced" if result.status == "replaced" else "Loaded"
    return (f"{verb} dataset '{result.name}' into Neo4j database '{database}' as version "
            f"{result.graph}: {nodes} entities ({_counts(result.nodes, lang)}), "
            f"{rels} relationships ({_counts(result.relationships, lang)}) "
            f"in {result.seconds:.1f} s.")


@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False,
                                                            path_type=Path),
              help="Read the query from a .cypher file (UTF-8).")
@neo4j_options(required=True, dataset_help="Pass $dataset, $graph (its live version) and "
                                           "the check parameters the query uses "
                                           "(thresholds, vocabularies).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; VALUE is read as JSON when it parses, else as text.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output format.")
@click.option("--write", is_flag=True,
              help="Allow the query to write (default: read-only).")
def cypher(query, query_file, target, params, fmt, write):
    """Run a Cypher query against Neo4j, read-only unless --write is given.

    Example: orgnet cypher "MATCH (i:Institution) RETURN i.kind, count(*)" --neo4j bolt://localhost:7687
    """
    if (query is None) == (query_file is None):
        raise usage_error("give either a QUERY or -f FILE.cypher (one of them)",
                          "请给出 QUERY 或 -f FILE.cypher（二者之一）")
    if query_file is not None:
        try:
            query = query_file.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError) as err:
            raise fail(f"cannot read {query_file}: {err}", f"无法读取 {query_file}：{err}") from None
    query = query.strip().rstrip(";").strip()
    if not query:
        raise usage_error("the query is empty", "查询为空")
    parameters = dict(parse_param(text) for text in params)
    refusal = None if write else read_only_refusal(query)
    if refusal is not None:  # before connecting: nothing reaches the server
        raise fail(f"{refusal}; orgnet cypher is read-only by default: add --write to allow it",
                   f"{refusal}；orgnet cypher 默认只读：如需写入请加 --write")
    from orgnet.graphmodel.neo4j_store import ReadOnlyError, run_cypher  # the driver: lazily

    with errors_to_click():
        with open_driver(target, notifications=True) as driver:
            if target.dataset:
                parameters = {**_dataset_parameters(driver, target, query), **parameters}
            try:
                result = run_cypher(driver, target.database, query, parameters, write=write)
            except ReadOnlyError as err:
                raise fail(f"{err}; orgnet cypher is read-only by default: add --write to "
                           f"allow writes",
                           f"{err}；orgnet cypher 默认只读：如需写入请加 --write") from None
    echo(format_rows(result.keys, result.rows, fmt), nl=False)
    if result.counters:
        changes = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.counters.items())
        echo(changes, err=True)
    for line in result.notifications:
        say(f"notification: {line}", f"服务器提示：{line}")


def _dataset_parameters(driver, target, query: str) -> dict:
    """$dataset, $graph (its live version) and the check parameters the query uses."""
    from orgnet.graphmodel.neo4j_store import Neo4jStore
    from orgnet.queries.neo4j_checks import browser_parameters, parameter_names

    graph = Neo4jStore(driver, target.database).live_graph(target.dataset)
    used = set(parameter_names(query))
    known = browser_parameters(target.dataset)
    return {"dataset": target.dataset, "graph": graph,
            **{k: v for k, v in known.items() if k in used}}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_rows(keys: list[str], rows: list[list], fmt: str) -> str:
    """Return query rows as an aligned table, CSV or JSON (ending in a newline).

    Chinese text is aligned by display width in tables.

    Examples
    --------
    >>> print(format_rows(["id", "name"], [["H1", "县医院"], ["V1", None]], "table"), end="")
    id | name
    ---+-------
    H1 | 县医院
    V1 |
    >>> print(format_rows(["id", "ids"], [["O2", ["T1", "V1"]]], "csv"), end="")
    id,ids
    O2,"[""T1"", ""V1""]"
    >>> print(format_rows(["n"], [[3]], "json"), end="")
    [{"n": 3}]
    >>> format_rows([], [], "table")
    ''
    """
    if fmt == "json":
        return json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False) + "\n"
    if not keys:  # a statement that returns nothing (a write without RETURN)
        return ""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([safe_cell(k) for k in keys])
        # numbers stay numbers; text a spreadsheet would evaluate is made inert
        writer.writerows([v if isinstance(v, (int, float)) and not isinstance(v, bool)
                          else safe_cell(_cell(v)) for v in row] for row in rows)
        return buffer.getvalue()
    keys = [clean_text(k, newlines=False) for k in keys]
    cells = [[clean_text(_cell(v), newlines=False) for v in row] for row in rows]
    widths = [max([_width(k)] + [_width(row[i]) for row in cells]) for i, k in enumerate(keys)]
    lines = [" | ".join(_pad(k, w) for k, w in zip(keys, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


COMMANDS = [load, cypher]
