"""Command: ``export`` (the graph as GraphML, GEXF or node and edge CSV for other tools)."""

from __future__ import annotations

from pathlib import Path

import click

from orgnet.graphmodel.interchange import GRAPH_FORMATS, write_graph
from orgnet._common import (
    cannot_write, errors_to_click, lang_option, redact_option, same_file, say, usage_error,
    write_bytes,
)
from orgnet._neo4j import neo4j_options
from orgnet._source import open_graph, source_argument

__all__ = ["COMMANDS", "export"]

_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf"}


@click.command()
@source_argument
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default=None,
              help="graphml or gexf (one file; Gephi, Cytoscape, networkx) or csv (a directory "
                   "with nodes.csv and edges.csv) [default: from the -o suffix].")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The file to write (for csv: the directory).")
@lang_option
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def export(path, fmt, output, lang, redact, target):
    """Write every entity and link, with its attributes, for other network tools.

    PATH is a directory of CSV files, an .xlsx workbook or a .json file; or, with
    --neo4j URI instead, a dataset loaded into Neo4j.  List attributes are joined
    with ';'; services become PROVIDES edges to one node per stage.  With --redact
    member nodes are renamed to their pseudonyms and keep only status, roles,
    organization and workplace; member names are replaced in every other text.

    Example: orgnet export examples/county-medical-community --format graphml -o county.graphml
    """
    if fmt is None:
        fmt = _SUFFIXES.get(output.suffix.lower())
        if fmt is None:
            raise usage_error("give --format graphml, gexf or csv (or an -o FILE.graphml "
                              "or FILE.gexf)",
                              "请给出 --format graphml、gexf 或 csv（或 -o FILE.graphml、FILE.gexf）")
    if path is not None and same_file(output, path):
        raise usage_error("-o would overwrite the dataset: give another path",
                          "-o 会覆盖数据集：请给出另一个路径")
    if fmt == "csv" and output.exists() and not output.is_dir():
        raise usage_error(f"{output} is a file; csv output is a directory",
                          f"{output} 是文件；csv 输出是一个目录")
    with errors_to_click():
        G = open_graph(path, target, lang)
        if redact:   # members become their pseudonyms; names inside other texts too
            from orgnet.visualizations.redact import redact_graph

            G = redact_graph(G, lang=lang)[0]
    try:
        files = write_graph(G, fmt, output, write=write_bytes)
    except OSError as err:
        raise cannot_write(output, err) from err
    nodes, edges = G.number_of_nodes(), G.number_of_edges()
    where = ", ".join(str(f) for f in files)
    say(f"wrote {where}: {nodes} entities, {edges} links and structure edges (plus services)",
        f"已写入 {where}：实体 {nodes} 个，关系及结构边 {edges} 条（另含服务）")


COMMANDS = [export]
