"""Command: ``resilience`` (the members, units and ties whose loss would do most harm)."""

from __future__ import annotations

from pathlib import Path

import click

from orgnet._common import (
    checks_and_settings, echo, errors_to_click, format_of, lang_option, progress,
    redact_option, write_output,
)
from orgnet._neo4j import neo4j_options
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
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def resilience(path, top, kinds, fmt, output, overrides, lang, redact, target):
    """Rank the members, units and ties whose single loss would cause the most findings.

    For each: the findings that would appear (an isolated unit, a group cut off, a
    branch below three full members, an org without its secretary, a missing upward
    referral or service stage) and the institutions cut off; most high findings
    first, then most institutions cut off.

    Example: orgnet resilience examples/county-medical-community --top 10 --lang zh
    """
    from orgnet.queries.export_resilience import render_resilience
    from orgnet.queries.resilience import KINDS, resilience as ranked

    settings = checks_and_settings((), (), overrides)[2]
    fmt = format_of(fmt, output)
    kinds = kinds or KINDS
    with errors_to_click():
        G = open_graph(path, target, lang)
        with progress("分析关键节点" if lang == "zh" else "analysing", length=len(kinds)) as bar:
            items = ranked(G, settings=settings, lang=lang, top=top, kinds=kinds,
                           progress=bar.update)
        content = render_resilience(items, fmt, lang)
        if redact:
            from orgnet.visualizations.redact import redact_output

            content = redact_output(content, G, lang=lang)
    if output is None:
        echo(content, nl=False)
    else:
        write_output(output, content, fmt=fmt, inputs=[path])
        click.echo(f"已写入 {output}：{len(items)} 项" if lang == "zh"
                   else f"wrote {output}: {len(items)} items", err=True)


COMMANDS = [resilience]
