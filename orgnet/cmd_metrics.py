"""Command: ``metrics`` (research metrics per institution as CSV, whole-network metrics as JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orgnet._common import cannot_write, errors_to_click, lang_option
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
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def metrics(path, output, network_json, exact_limit, samples, lang, target):
    """Compute network metrics per institution (degree, betweenness, k-core, coverage, referrals).

    PATH is a directory of CSV files, an .xlsx workbook or a .json file.  With
    --lang zh the CSV has Chinese headers and values.

    Example: orgnet metrics examples/county-medical-community -o metrics.csv --network-json network.json
    """
    from orgnet.queries.metrics import column_titles, institution_metrics, network_metrics

    with errors_to_click():
        G = open_graph(path, target, lang)
        frame = institution_metrics(G, exact_limit=exact_limit, betweenness_k=samples, lang=lang)
        network = network_metrics(G, frame)
    titles = column_titles(lang)
    table = frame.rename(columns=titles)
    table.index.name = titles["id"]
    # utf-8-sig so that Excel on Chinese Windows opens the CSV correctly
    _write(output, lambda: table.to_csv(output, encoding="utf-8-sig"))
    if network_json is not None and str(network_json) != "-":
        text = json.dumps(network, ensure_ascii=False, indent=2) + "\n"
        _write(network_json, lambda: network_json.write_text(text, encoding="utf-8"))
    if network_json is not None and str(network_json) == "-":
        click.echo(json.dumps(network, ensure_ascii=False, indent=2))
    method = frame.attrs["betweenness"]
    if lang == "zh":
        note = "" if method["method"] == "exact" else f"（中介中心性为抽样估计：k={method['k']}，seed={method['seed']}）"
        click.echo(f"已写入 {output}：机构 {len(frame)} 家{note}", err=True)
    else:
        note = "" if method["method"] == "exact" else (
            f" (betweenness approximated from k={method['k']} samples, seed {method['seed']})")
        click.echo(f"wrote {output}: {len(frame)} institution{'s' if len(frame) != 1 else ''}{note}",
                   err=True)


def _write(path: Path, write) -> None:
    """Run ``write()``; turn a failure into a one-line error naming ``path``."""
    try:
        write()
    except OSError as err:
        raise cannot_write(path, err) from err


COMMANDS = [metrics]
