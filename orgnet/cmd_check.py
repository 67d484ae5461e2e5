"""Commands: ``check`` (run the gap checks), ``checks`` (list them), ``info`` (counts and coverage)."""

from __future__ import annotations

import dataclasses
import json

import click

from orgnet.graphmodel.outputs import refuse_inputs
from orgnet.loaders.graph import gc_paused
from orgnet.queries.catalog import CHECK_IDS, QueryError, load_checks
from orgnet.queries.export import FORMATS, info_text, iter_json, render_report
from orgnet.queries.finding import SEVERITIES
from orgnet._common import (
    bad_parameter, checks_and_settings, echo, errors_to_click, findings_options, format_of,
    lang_option, redact_option, write_output, write_output_parts,
)
from orgnet._neo4j import neo4j_options
from orgnet._source import open_graph, redacted_report, run_report, source_argument

__all__ = ["COMMANDS", "check", "checks", "info"]

def _terminal_width() -> int | None:
    """Columns of the terminal the table goes to (or $COLUMNS); None in a pipe."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, 60)
    return None


@click.command()
@source_argument
@findings_options(FORMATS, format_help="xlsx is an issue register (台账) and needs -o.")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="Exit 3 when a finding at or above this severity is reported.")
@click.option("--period", metavar="PERIOD",
              help="Only the links of this period (2025, 2025-Q4, 2025-11 or a date; finer "
                   "periods fall into coarser ones), plus the undated links.")
@click.option("--since", metavar="PERIOD", help="Only links dated from this period on (and undated ones).")
@click.option("--until", metavar="PERIOD", help="Only links dated up to this period (and undated ones).")
@lang_option
@redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
@click.pass_context
def check(ctx, path, fmt, output, only, skip, min_severity, fail_on, overrides, period, since,
          until, lang, redact, target):
    """Run the gap checks on a dataset and report the findings with suggestions.

    PATH is a directory of CSV files, an .xlsx workbook or a .json file; or, with
    --neo4j URI instead of PATH, the checks run in Neo4j on a loaded dataset and
    print exactly what the embedded run prints.  Exits 1
    when the dataset is invalid, 3 with --fail-on when a finding at or above that
    severity is reported, 0 otherwise.

    Example: orgnet check examples/county-medical-community --lang zh --fail-on high
    """
    only, skip, settings = checks_and_settings(only, skip, overrides)
    fmt = format_of(fmt, output)
    periods = None
    if period is not None or since is not None or until is not None:
        from orgnet.queries.periods import range_of

        try:
            periods = range_of(period, since, until)
        except QueryError as err:
            raise bad_parameter(str(err), f"时期写法有误：{err}（例如 2025、2025-Q4、2025-11 或日期）",
                                "'--period' / '--since' / '--until'") from err
    # The cyclic GC stays paused for the whole command: the tables, the graph and the
    # findings hold no cycles, and every collection after a pause would walk the
    # millions of objects just built (several seconds at a million entities).
    inputs = [path] if path else []
    with errors_to_click(), gc_paused():
        refuse_inputs([output], inputs)  # before any work
        if periods is None:
            report = run_report(path, target, settings=settings, only=only, skip=skip,
                                lang=lang, min_severity=min_severity, redact=redact,
                                arrange=fmt in ("table", "markdown", "xlsx"))
        else:
            report = _report_in_periods(path, target, periods, settings=settings, only=only,
                                        skip=skip, lang=lang, min_severity=min_severity,
                                        redact=redact)
        # JSON is streamed: at a province's size the whole text would double the memory
        content = None if fmt == "json" else \
            render_report(report, fmt, width=_terminal_width() if output is None else None)
    if output is None:
        if content is None:
            for part in iter_json(report):
                echo(part, nl=False)
        else:
            echo(content, nl=False)
    else:
        if content is None:
            write_output_parts(output, iter_json(report), inputs=inputs)
        else:
            write_output(output, content, fmt=fmt, inputs=inputs)
        total = len(report.findings)
        echo(f"已写入 {output}：问题 {total} 条" if lang == "zh"
             else f"wrote {output}: {total} finding{'s' if total != 1 else ''}", err=True)
    if fail_on is not None and report.has_findings_at_or_above(fail_on):
        ctx.exit(3)


def _report_in_periods(path, target, periods, *, lang, redact=False, **options):
    """Run the checks on the links of a period range; say so when no dated link is in it."""
    from orgnet.queries.periods import run_checks_in_periods

    since, until = periods
    G = open_graph(path, target, lang)
    report = run_checks_in_periods(G, since=since, until=until, lang=lang, **options)
    report.arranged(G)
    if redact:
        report = redacted_report(report, G, lang)
    counts = report.summary["periods"]
    if counts["dated_in"] == 0:
        span = (since.text if since is until else
                f"{since.text if since else '…'} – {until.text if until else '…'}")
        dated, undated = counts["dated_out"], counts["undated"]
        click.echo(f"提示：{dated} 条有时期的关系都不在 {span} 内；检查只用了 {undated} 条未注明时期的关系"
                   if lang == "zh" else
                   f"note: no link is dated in {span} (of {dated} dated links); the checks "
                   f"ran on the {undated} undated links only", err=True)
    return report


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: one object per check.")
@lang_option
def checks(fmt, lang):
    """List the checks: id, severity, family, description and the rule behind it.

    Example: orgnet checks --lang zh
    """
    from orgnet.queries.catalog import FAMILY_TITLES
    from orgnet.queries.export import aligned_table, wrapped_table

    catalog = load_checks()
    entries = [catalog[c] for c in CHECK_IDS if c in catalog]
    if fmt == "json":
        echo(json.dumps([{"id": e.id, "severity": e.severity, "family": e.family,
                                "title": e.title[lang], "regulation": e.regulation}
                               for e in entries], ensure_ascii=False, indent=2))
        return
    from orgnet.graphmodel.schema import DEFAULT_SETTINGS, ZH

    if lang == "zh":
        header = ["检查编号", "严重程度", "类别", "说明", "依据"]
    else:
        header = ["ID", "SEVERITY", "FAMILY", "DESCRIPTION", "REGULATION"]
    rows = [[e.id, ZH.get(e.severity, e.severity) if lang == "zh" else e.severity,
             FAMILY_TITLES[e.family][lang], e.title[lang], e.regulation or ""]
            for e in entries]
    width = _terminal_width()
    echo(aligned_table(header, rows) if width is None else
               wrapped_table(header, rows, width, flexible=(3, 4)))
    defaults = DEFAULT_SETTINGS
    local = set(defaults.LOCAL_DEFAULTS)
    values = ", ".join(f"{f.name}={getattr(defaults, f.name)}" for f in dataclasses.fields(defaults)
                       if f.name not in local)
    local_values = ", ".join(f"{name}={getattr(defaults, name)}" for name in defaults.LOCAL_DEFAULTS)
    if lang == "zh":
        echo(f"\n阈值（依据{defaults.REGULATION}，可用 --set 调整）：{values}")
        echo(f"地方工作惯例默认值（无条例规定，可用 --set 调整）：{local_values}")
    else:
        echo(f"\nThresholds (from {defaults.REGULATION}; change with --set): {values}")
        echo(f"Local-practice defaults (no regulation; change with --set): {local_values}")


@click.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: the summary object of 'orgnet check --format json'.")
@lang_option
def info(path, fmt, lang):
    """Print counts per label and kind and the coverage rates of a dataset.

    Example: orgnet info examples/county-medical-community --lang zh
    """
    from orgnet.queries.runner import summarize
    from orgnet.queries.tables import CheckTables
    from orgnet._source import embedded_dataset

    with errors_to_click():           # the summary reads the check tables: no graph built
        tables = CheckTables.from_dataset(embedded_dataset(path, lang))
    summary = summarize(tables, [], checks=[])
    summary.pop("findings")
    if fmt == "json":
        echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        echo(info_text(summary, lang), nl=False)


COMMANDS = [check, checks, info]
