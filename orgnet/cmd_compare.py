"""Commands: ``compare`` (what changed between two snapshots) and ``trend`` (figures per period).

Thin: parses options, reads both snapshots (two dataset paths, or two datasets
loaded in Neo4j), calls :func:`orgnet.queries.compare.compare_graphs` (or
:func:`orgnet.queries.compare.compare_neo4j`) and renders the result with
:func:`orgnet.queries.compare_export.render_comparison`.
"""

from __future__ import annotations

import click

from orgnet.queries.catalog import select_checks
from orgnet.queries.compare_export import COMPARE_FORMATS, render_comparison
from orgnet.queries.finding import SEVERITIES
from orgnet._common import (
    checks_and_settings, echo, errors_to_click, findings_options, format_of, lang_option,
    progress, redact_option, usage_error, write_output,
)
from orgnet._neo4j import neo4j_options

__all__ = ["COMMANDS", "compare", "trend"]

def _redacted_graph(G, lang):
    from orgnet.visualizations.redact import redact_graph

    return redact_graph(G, lang=lang)[0]


def _run_embedded(before, after, lang, options, redact=False):
    from orgnet.queries.compare import compare_sources
    from orgnet._source import open_graph

    def opener(path):
        if redact:
            return lambda: _redacted_graph(open_graph(path, None, lang), lang)
        return lambda: open_graph(path, None, lang)

    return compare_sources(opener(before), opener(after), lang=lang, **options)


def _run_neo4j(target, lang, options, redact=False):
    from orgnet.graphmodel.neo4j_store import Neo4jStore
    from orgnet.queries.compare import compare_graphs, compare_neo4j
    from orgnet._neo4j import open_driver

    before, after = target.dataset
    with open_driver(target) as driver:
        length = 2 * len(select_checks(options["only"], options["skip"]))
        with progress("运行检查" if lang == "zh" else "checking", length=length) as bar:
            if redact:   # the same findings as in the database, on redacted copies
                store = Neo4jStore(driver, target.database)
                return compare_graphs(_redacted_graph(store.read_graph(before), lang),
                                      _redacted_graph(store.read_graph(after), lang),
                                      lang=lang, progress=bar.update, **options)
            return compare_neo4j(driver, target.database, before, after, lang=lang,
                                 progress=bar.update, **options)


@click.command()
@click.argument("before", required=False, type=click.Path(path_type=str))
@click.argument("after", required=False, type=click.Path(path_type=str))
@findings_options(COMPARE_FORMATS, verb="Compare")
@click.option("--fail-on-new", type=click.Choice(SEVERITIES),
              help="Exit 3 when a new finding at or above this severity appeared.")
@lang_option
@redact_option
@neo4j_options(several_datasets=True,
               dataset_help="With --neo4j: give --dataset twice, BEFORE then AFTER.")
@click.pass_context
def compare(ctx, before, after, fmt, output, only, skip, min_severity, fail_on_new, overrides,
            lang, redact, target):
    """Compare two snapshots: findings resolved, new and persisting, figure and entity changes.

    BEFORE and AFTER are datasets in any container (CSV directory, .xlsx, .json);
    or, with --neo4j URI and --dataset BEFORE --dataset AFTER instead, two
    datasets loaded in Neo4j.  Findings are matched by check id and subject.
    Prints "no changes" and exits 0 when nothing differs; exits 3 with
    --fail-on-new when a new finding at or above that severity appeared, 1 on
    invalid data.  With --redact both snapshots are compared as redacted graphs:
    a member keeps one pseudonym in both (it is keyed by the member id).

    Example: orgnet compare examples/county-medical-community examples/county-medical-community-2026 --lang zh
    """
    only, skip, settings = checks_and_settings(only, skip, overrides)
    datasets = tuple(target.dataset) if target is not None else ()
    explicit = ctx.get_parameter_source("neo4j_uri")
    use_neo4j = before is None and after is None and target is not None
    if before is not None and after is None:
        raise usage_error("give two datasets: orgnet compare BEFORE AFTER",
                          "请给出两个数据集：orgnet compare BEFORE AFTER")
    if before is not None and explicit is not None and explicit.name == "COMMANDLINE" \
            and target is not None:
        raise usage_error("give BEFORE AFTER paths or --neo4j URI, not both",
                          "请给出 BEFORE AFTER 两个路径或 --neo4j URI，不要同时给出")
    if before is None and not use_neo4j:
        raise usage_error("missing BEFORE AFTER (or --neo4j URI --dataset A --dataset B)",
                          "缺少 BEFORE AFTER（或 --neo4j URI --dataset A --dataset B）")
    if use_neo4j and len(datasets) != 2:
        raise usage_error("with --neo4j give --dataset twice: the BEFORE dataset, "
                          "then the AFTER dataset",
                          "使用 --neo4j 时请给出两次 --dataset：先 BEFORE 数据集，再 AFTER 数据集")
    fmt = format_of(fmt, output)
    options = dict(settings=settings, only=only, skip=skip, min_severity=min_severity)
    with errors_to_click():
        result = (_run_neo4j(target, lang, options, redact) if use_neo4j
                  else _run_embedded(before, after, lang, options, redact))
        content = render_comparison(result, fmt)
    if output is None:
        echo(content, nl=False)
    else:
        write_output(output, content, fmt=fmt, inputs=[p for p in (before, after) if p])
        message = ("无变化" if result.is_unchanged() else
                   f"新出现 {len(result.new)}，已整改 {len(result.resolved)}") if lang == "zh" \
            else ("no changes" if result.is_unchanged() else
                  f"{len(result.new)} new, {len(result.resolved)} resolved")
        echo(f"已写入 {output}：{message}" if lang == "zh"
                   else f"wrote {output}: {message}", err=True)
    if result.warning and (output is not None or fmt != "table"):
        echo(("提示：" if lang == "zh" else "warning: ") + result.warning, err=True)
    if fail_on_new is not None and result.has_new_at_or_above(fail_on_new):
        ctx.exit(3)


_TREND_HEADERS = {
    "en": ["Period", "Referrals up", "Down", "Same level", "One-way pairs", "Broken chains",
           "Liaison ties", "Pairing ties"],
    "zh": ["时期", "上转", "下转", "同级", "单向转诊", "转诊链断裂", "联点联系", "结对共建"],
}


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--by", type=click.Choice(["quarter", "month", "year"]), default="quarter",
              show_default=True, help="One row per quarter, month or year.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@lang_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def trend(path, by, fmt, lang, target):
    """Show referral figures and active liaison/pairing ties per period of a dataset.

    Each row holds what 'orgnet check --period P' sees: the links of that period
    plus the undated ones: referrals up, down and at the same level, one-way
    referral pairs, broken referral chains, and the active liaison and pairing ties.

    Example: orgnet trend examples/county-medical-community --by quarter --lang zh
    """
    import json

    from orgnet.queries.export import aligned_table
    from orgnet.queries.periods import TREND_FIGURES
    from orgnet.queries.periods import trend as trend_of
    from orgnet._source import open_graph

    with errors_to_click():
        result = trend_of(open_graph(path, target, lang), by)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    rows = [[row["period"]] + [str(row[f]) for f in TREND_FIGURES] for row in result["periods"]]
    if rows:
        click.echo(aligned_table(_TREND_HEADERS[lang], rows))
    else:
        click.echo("没有可按时期统计的关系" if lang == "zh" else "no link is dated by " + by)
    if result["coarser"]:
        n = result["coarser"]
        unit = {"quarter": "季度", "month": "月", "year": "年"}[by]
        click.echo(f"另有 {n} 条关系的时期比{unit}粗（如整年），未计入任何一行"
                   if lang == "zh" else
                   f"{n} link{'s' if n != 1 else ''} dated more coarsely than a {by} "
                   f"(e.g. a whole year) {'are' if n != 1 else 'is'} in no row")


COMMANDS = [compare, trend]
