"""Command: ``metrics`` (research metrics per institution as CSV, whole-network metrics as JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orgnet.graphmodel.outputs import refuse_inputs, safe_cell
from orgnet._common import echo, errors_to_click, lang_option, redact_option, write_output
from orgnet._neo4j import neo4j_options
from orgnet._source import open_graph, source_argument

__all__ = ["COMMANDS", "metrics"]


@click.command()
@source_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write, one row per institution (UTF-8 with BOM, opens in Excel).")
@click.option("--network-json", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write whole-network metrics (density, components, referral balance ...) "
                   "as JSON; '-' prints them.")
@click.option("--exact-limit", type=click.IntRange(min=0), default=2000, show_default=True,
              help="Exact betweenness up to this many institutions, sampled above.")
@click.option("--samples", type=click.IntRange(min=1), default=200, show_default=True,
              help="Sample size (fixed seed) of approximate betweenness.")
@lang_option
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def metrics(path, output, network_json, exact_limit, samples, lang, redact, target):
    """Compute network metrics per institution (degree, betweenness, k-core, coverage, referrals).

    PATH is a directory of CSV files, an .xlsx workbook or a .json file.  With
    --lang zh the CSV has Chinese headers and values.

    Example: orgnet metrics examples/county-medical-community -o metrics.csv --network-json network.json
    """
    from orgnet.queries.metrics import column_titles, institution_metrics, network_metrics

    inputs = [path] if path else []
    with errors_to_click():
        refuse_inputs([output, network_json], inputs)
        G = open_graph(path, target, lang)
        frame = institution_metrics(G, exact_limit=exact_limit, betweenness_k=samples, lang=lang)
        network = network_metrics(G, frame)
    if redact:
        from orgnet.visualizations.redact import Redactor

        frame, network = _redacted(Redactor(G, lang=lang), frame, network)
    titles = column_titles(lang)
    table = frame.rename(columns=titles)
    table.index.name = titles["id"]
    # utf-8-sig so that Excel on Chinese Windows opens the CSV correctly
    write_output(output, csv_text(table), encoding="utf-8-sig", inputs=inputs)
    if network_json is not None and str(network_json) != "-":
        text = json.dumps(network, ensure_ascii=False, indent=2) + "\n"
        write_output(network_json, text, inputs=inputs)
    if network_json is not None and str(network_json) == "-":
        echo(json.dumps(network, ensure_ascii=False, indent=2))
    method = frame.attrs["betweenness"]
    if lang == "zh":
        note = "" if method["method"] == "exact" else f"（中介中心性为抽样估计：k={method['k']}，seed={method['seed']}）"
        echo(f"已写入 {output}：机构 {len(frame)} 家{note}", err=True)
    else:
        note = "" if method["method"] == "exact" else (
            f" (betweenness approximated from k={method['k']} samples, seed {method['seed']})")
        echo(f"wrote {output}: {len(frame)} institution{'s' if len(frame) != 1 else ''}{note}",
                   err=True)


def _redacted(redactor, frame, network):
    """The metrics table and network metrics with member names and ids replaced."""
    from pandas.api.types import is_numeric_dtype

    frame = frame.copy()
    for column in frame.columns:
        if not is_numeric_dtype(frame[column].dtype):
            frame[column] = frame[column].map(redactor.value).astype(object)
    if not is_numeric_dtype(frame.index.dtype):
        frame.index = frame.index.map(redactor.text).rename(frame.index.name)
    return frame, redactor.value(network)


def csv_text(table) -> str:
    """Return a metrics table as CSV text whose text cells no spreadsheet evaluates.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"name": ["=1+1"], "degree": [2]}, index=pd.Index(["@H1"], name="id"))
    >>> print(csv_text(table), end="")
    id,name,degree
    '@H1,'=1+1,2
    """
    from pandas.api.types import is_numeric_dtype

    table = table.copy()
    for column in table.columns:
        if not is_numeric_dtype(table[column].dtype):
            table[column] = table[column].map(safe_cell, na_action="ignore").astype(object)
    if not is_numeric_dtype(table.index.dtype):
        table.index = table.index.map(safe_cell).rename(table.index.name)
    return table.to_csv(lineterminator="\n")


COMMANDS = [metrics]
