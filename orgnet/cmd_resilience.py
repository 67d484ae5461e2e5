"""Command: ``resilience`` (the members, units and ties whose loss would do most harm)."""

from __future__ import annotations

from pathlib import Path

import click

from orgnet._common import errors_to_click, lang_option, progress
from orgnet._neo4j import neo4j_options
from orgnet._output import OUTPUT_SUFFIX_FORMATS, write_output
from orgnet._source import open_graph, source_argument
from orgnet.queries.export_resilience import RESILIENCE_FORMATS

__all__ = ["COMMANDS", "resilience"]


@click.command()
@source_argument
@click.option("--top", type=click.IntRange(min=1), metavar="N",
              help="Only the N items whose loss does most harm.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["member", "unit", "tie"]),
              help="Only these kinds of candidates (repeatable; default all).")
@click.option("--format", "fmt", type=click.Choice(RESILIENCE_FORMATS), default=None,
              help="Output format [default: from the -o suffix, else table]; xlsx needs -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=N",
              help="Change a threshold, e.g. --set branch_min_full_members=3.")
@lang_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def resilience(path, top, kinds, fmt, output, overrides, lang, target):
    """Rank the members, units and ties whose single loss would cause the most findings.

    For each: the findings that would appear (an isolated unit, a group cut off, a
    branch below three full members, an org without its secretary, a missing upward
    referral or service stage) and the institutions cut off; most high findings
    first, then most institutions cut off.

    Example: orgnet resilience examples/county-medical-community --top 10 --lang zh
    """
    from orgnet.queries.catalog import QueryError, settings_with
    from orgnet.queries.export_resilience import render_resilience
    from orgnet.queries.resilience import KINDS, resilience as ranked

    try:
        settings = settings_with(overrides)
    except QueryError as err:
        raise click.BadParameter(str(err), param_hint="'--set'") from err
    if fmt is None:
        fmt = OUTPUT_SUFFIX_FORMATS.get(output.suffix.lower(), "table") if output else "table"
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
    kinds = kinds or KINDS
    with errors_to_click():
        G = open_graph(path, target, lang)
        with progress("分析关键节点" if lang == "zh" else "analysing", length=len(kinds)) as bar:
            items = ranked(G, settings=settings, lang=lang, top=top, kinds=kinds,
                           progress=bar.update)
        content = render_resilience(items, fmt, lang)
    if output is None:
        click.echo(content, nl=False)
    else:
        write_output(output, content, fmt=fmt, inputs=[path])
        click.echo(f"已写入 {output}：{len(items)} 项" if lang == "zh"
                   else f"wrote {output}: {len(items)} items", err=True)


COMMANDS = [resilience]
