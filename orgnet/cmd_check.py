"""Commands: ``check`` (run the gap checks), ``checks`` (list them), ``info`` (counts and coverage)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from graphmodel.outputs import refuse_inputs
from queries.catalog import CHECK_IDS, QueryError, load_checks, select_checks, settings_with
from queries.export import FORMATS, info_text, render_report
from queries.finding import SEVERITIES
from orgnet._common import echo, errors_to_click, lang_option, redact_option, write_output
from orgnet._neo4j import neo4j_options
from orgnet._source import open_graph, run_report, source_argument

__all__ = ["COMMANDS", "check", "checks", "info"]

#: ``-o`` suffix -> format, used when --format is not given
_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
                   ".xlsx": "xlsx", ".txt": "table"}


def _names(values) -> list[str]:
    """Split repeated and comma-separated --only/--skip values."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.command()
@source_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: from the -o suffix, else table]. "
                   "xlsx is an issue register (台账) and needs -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--only", multiple=True, metavar="ID|FAMILY",
              help="Run only these checks or families (repeat or comma-separate).")
@click.option("--skip", multiple=True, metavar="ID|FAMILY",
              help="Leave out these checks or families (repeat or comma-separate).")
@click.option("--min-severity", type=click.Choice(SEVERITIES),
              help="Report only findings at or above this severity.")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="Exit 3 when a finding at or above this severity is reported.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=N",
              help="Change a threshold, e.g. --set branch_max_members=40 "
                   "(names and defaults: 'orgnet checks').")
@lang_option
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
@click.pass_context
def check(ctx, path, fmt, output, only, skip, min_severity, fail_on, overrides, lang, redact,
          target):
    """Run the gap checks on a dataset and report the findings with suggestions.

    PATH is a directory of CSV files, an .xlsx workbook or a .json file; or, with
    --neo4j URI instead of PATH, the checks run in Neo4j on a loaded dataset and
    print exactly what the embedded run prints.  Exits 1
    when the dataset is invalid, 3 with --fail-on when a finding at or above that
    severity is reported, 0 otherwise.

    Example: orgnet check examples/county-medical-community --lang zh --fail-on high
    """
    only, skip = _names(only), _names(skip)
    try:
        select_checks(only, skip)  # unknown names fail before any data is read
    except QueryError as err:
        raise click.BadParameter(str(err), param_hint="'--only' / '--skip'") from err
    try:
        settings = settings_with(overrides)
    except QueryError as err:
        raise click.BadParameter(str(err), param_hint="'--set'") from err
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), "table") if output else "table"
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
    inputs = [path] if path else []
    with errors_to_click():
        refuse_inputs([output], inputs)  # before any work
        report = run_report(path, target, settings=settings, only=only, skip=skip,
                            lang=lang, min_severity=min_severity, redact=redact)
        content = render_report(report, fmt)
    if output is None:
        echo(content, nl=False)
    else:
        # utf-8-sig so that Excel on Chinese Windows opens CSV files correctly
        write_output(output, content, encoding="utf-8-sig" if fmt == "csv" else "utf-8",
                     inputs=inputs)
        total = len(report.findings)
        echo(f"已写入 {output}：问题 {total} 条" if lang == "zh"
                   else f"wrote {output}: {total} finding{'s' if total != 1 else ''}", err=True)
    if fail_on is not None and report.has_findings_at_or_above(fail_on):
        ctx.exit(3)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: one object per check.")
@lang_option
def checks(fmt, lang):
    """List the checks: id, severity, family, description and the rule behind it.

    Example: orgnet checks --lang zh
    """
    from queries.catalog import FAMILY_TITLES
    from queries.export import aligned_table

    catalog = load_checks()
    entries = [catalog[c] for c in CHECK_IDS if c in catalog]
    if fmt == "json":
        echo(json.dumps([{"id": e.id, "severity": e.severity, "family": e.family,
                                "title": e.title[lang], "regulation": e.regulation}
                               for e in entries], ensure_ascii=False, indent=2))
        return
    from graphmodel.schema import DEFAULT_SETTINGS, ZH

    if lang == "zh":
        header = ["检查编号", "严重程度", "类别", "说明", "依据"]
    else:
        header = ["ID", "SEVERITY", "FAMILY", "DESCRIPTION", "REGULATION"]
    rows = [[e.id, ZH.get(e.severity, e.severity) if lang == "zh" else e.severity,
             FAMILY_TITLES[e.family][lang], e.title[lang], e.regulation or ""]
            for e in entries]
    echo(aligned_table(header, rows))
    defaults = DEFAULT_SETTINGS
    values = ", ".join(f"{f.name}={getattr(defaults, f.name)}" for f in dataclasses.fields(defaults))
    if lang == "zh":
        echo(f"\n阈值（依据{defaults.REGULATION}，可用 --set 调整）：{values}")
    else:
        echo(f"\nThresholds (from {defaults.REGULATION}; change with --set): {values}")


@click.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: the summary object of 'orgnet check --format json'.")
@lang_option
def info(path, fmt, lang):
    """Print counts per label and kind and the coverage rates of a dataset.

    Example: orgnet info examples/county-medical-community --lang zh
    """
    from queries.runner import summarize

    with errors_to_click():
        G = open_graph(path, None, lang)
    summary = summarize(G, [], checks=[])
    summary.pop("findings")
    if fmt == "json":
        echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        echo(info_text(summary, lang), nl=False)


COMMANDS = [check, checks, info]
