"""Command: ``whatif`` (change the graph, re-run the checks, print the difference)."""

from __future__ import annotations

from pathlib import Path

import click

from orgnet._common import (
    checks_and_settings, echo, errors_to_click, format_of, lang_option, redact_option,
    usage_error, write_output,
)
from orgnet._neo4j import neo4j_options
from orgnet._source import open_graph, source_argument
from orgnet.queries.export import FORMATS

__all__ = ["COMMANDS", "whatif"]


@click.command()
@source_argument
@click.option("--remove", multiple=True, metavar="ID",
              help="An entity goes: a member leaves, an institution closes, an org is dissolved "
                   "(repeatable).")
@click.option("--cut", multiple=True, metavar="SRC,TGT[,TYPE]",
              help="The link rows between two entities end (either direction; of TYPE only "
                   "when given).")
@click.option("--add-link", "add_links", multiple=True, metavar="SRC,TGT,TYPE[,COUNT]",
              help="A new link row (type in English or Chinese, count default 1).")
@click.option("--move", multiple=True, metavar="MEMBER,ORG",
              help="A member's membership moves to another party org.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: from the -o suffix, else table]; xlsx needs -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--only", multiple=True, metavar="ID|FAMILY",
              help="Run only these checks or families (repeat or comma-separate).")
@click.option("--skip", multiple=True, metavar="ID|FAMILY",
              help="Leave out these checks or families (repeat or comma-separate).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=N",
              help="Change a threshold, e.g. --set branch_max_members=40.")
@lang_option
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def whatif(path, remove, cut, add_links, move, fmt, output, only, skip, overrides, lang,
           redact, target):
    """Change the network, re-run the checks and print what appears and what goes away.

    Changes are made in this order: --add-link, --move, --cut, --remove.  The
    data is never written (with --neo4j the graph is only read).  An unknown id
    or a malformed change is one error line, exit 1.

    Example: orgnet whatif examples/county-medical-community --remove T-DB --lang zh
    """
    from orgnet.queries.whatif import parse_change, render_whatif, what_if

    only, skip, settings = checks_and_settings(only, skip, overrides)
    fmt = format_of(fmt, output)
    with errors_to_click():
        changes = [parse_change(kind, value)
                   for kind, values in (("add_link", add_links), ("move", move), ("cut", cut),
                                        ("remove", remove))
                   for value in values]
        if not changes:
            raise usage_error("give at least one change: --remove, --cut, --add-link or --move",
                              "请至少给出一项变更：--remove、--cut、--add-link 或 --move")
        G = open_graph(path, target, lang)
        result = what_if(G, changes, settings=settings, only=only, skip=skip, lang=lang)
        content = render_whatif(result, fmt)
        if redact:
            from orgnet.visualizations.redact import redact_output

            content = redact_output(content, G, lang=lang)
    if output is None:
        echo(content, nl=False)
    else:
        write_output(output, content, fmt=fmt, inputs=[path])
        n, m = len(result.diff.appeared), len(result.diff.resolved)
        click.echo(f"已写入 {output}：新出现 {n} 条，消除 {m} 条" if lang == "zh"
                   else f"wrote {output}: {n} appeared, {m} resolved", err=True)


COMMANDS = [whatif]
