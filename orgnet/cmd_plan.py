"""Command: ``plan`` (an ordered action plan, proved by re-running the checks)."""

from __future__ import annotations

from pathlib import Path

import click

from orgnet._common import (
    cannot_write, checks_and_settings, echo, errors_to_click, fail, lang_option,
    redact_option, usage_error, write_output,
)
from orgnet._neo4j import neo4j_options
from orgnet._source import open_graph, source_argument
from orgnet.queries.export_plan import PLAN_FORMATS

__all__ = ["COMMANDS", "plan"]

_SUFFIX = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".xlsx": "xlsx",
           ".txt": "table"}


@click.command()
@source_argument
@click.option("--apply", "apply_", is_flag=True,
              help="Write the dataset with every action applied to -o FIXED (same container "
                   "as PATH); the after figures are the checks of FIXED.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FIXED",
              help="With --apply: where the fixed dataset goes (a directory for a CSV "
                   "dataset, else a file with the input's suffix).")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the plan to FILE instead of standard output (format from the suffix).")
@click.option("--format", "fmt", type=click.Choice(PLAN_FORMATS), default=None,
              help="Plan format [default: from --save's suffix, else table]; xlsx is a "
                   "整改台账 and needs --save.")
@click.option("--max-liaison-units", type=click.IntRange(min=1), default=5, show_default=True,
              help="No backup liaison is given more liaison units than this.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=N",
              help="Change a threshold, e.g. --set joint_branch_max_units=4.")
@lang_option
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def plan(path, apply_, output, save, fmt, max_liaison_units, overrides, lang, redact, target):
    """Propose an ordered action plan that closes the findings, and prove its effect.

    The actions are applied to a copy of the data and the checks re-run: each
    action claims only the findings that are really gone, and the figures after
    are those of the changed data (of FIXED with --apply).  --redact replaces member
    names and ids in the plan as printed or saved; FIXED itself is the planner's own
    data and keeps them.

    Example: orgnet plan examples/county-medical-community --apply -o fixed --lang zh
    """
    from orgnet.queries.export_plan import render_plan
    from orgnet.queries.plan import apply_plan, make_plan, prove_plan, write_dataset

    settings = checks_and_settings((), (), overrides)[2]
    if apply_ and output is None:
        raise usage_error("--apply writes the fixed dataset: give -o FIXED",
                          "--apply 写出整改后的数据集：请用 -o FIXED 指定位置")
    if output is not None and not apply_:
        raise usage_error("-o FIXED is where --apply writes the fixed dataset: add --apply",
                          "-o FIXED 是 --apply 写出整改后数据集的位置：请加 --apply")
    if apply_ and path is None:
        raise usage_error("--apply needs a dataset PATH (the data in Neo4j is never changed)",
                          "--apply 需要数据集 PATH（Neo4j 中的数据从不修改）")
    if fmt is None:
        fmt = _SUFFIX.get(save.suffix.lower(), "table") if save else "table"
    if fmt == "xlsx" and save is None:
        raise usage_error("--format xlsx writes a workbook: give --save FILE.xlsx",
                          "--format xlsx 输出工作簿：请用 --save 指定 FILE.xlsx")
    if apply_ and Path(output).resolve() == Path(path).resolve():
        raise fail(f"refusing to write over the input {path}", f"不会覆盖输入 {path}")
    with errors_to_click():
        G = open_graph(path, target, lang)
        result = make_plan(G, settings=settings, lang=lang, max_liaison_units=max_liaison_units)
        fixed = None
        if apply_:
            from orgnet.loaders import load_graph

            try:
                write_dataset(apply_plan(G, result), output, like=path)
            except OSError as err:
                raise cannot_write(output, err) from err
            fixed = load_graph(output)
        result = prove_plan(G, result, fixed=fixed, settings=settings)
        content = render_plan(result, fmt, lang)
        if redact:
            from orgnet.visualizations.redact import redact_output

            content = redact_output(content, G, lang=lang)
    if save is None:
        echo(content, nl=False)
    else:
        write_output(save, content, fmt=fmt, inputs=[path])
    if apply_:
        n = len(result.actions)
        click.echo(f"已写入 {output}：已落实 {n} 项措施" if lang == "zh"
                   else f"wrote {output}: {n} action{'s' if n != 1 else ''} applied", err=True)


COMMANDS = [plan]
