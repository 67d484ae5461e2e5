"""Commands: ``map`` (an interactive network map) and ``report`` (the HTML report).

Both write one self-contained HTML file that works offline.  They run the checks
once (``orgnet.queries.runner.run_checks``) and hand the graph and the findings to
:mod:`visualizations`, which draws them.
"""

from __future__ import annotations

from pathlib import Path

import click

from orgnet.graphmodel.outputs import refuse_inputs
from orgnet._common import errors_to_click, lang_option, redact_option, say, write_output
from orgnet._neo4j import neo4j_options
from orgnet._source import graph_and_report, source_argument
from orgnet.visualizations.views import VIEWS

__all__ = ["COMMANDS", "map_command", "report"]


def _write(output: Path, page: str, inputs) -> None:
    write_output(output, page, inputs=[p for p in inputs if p])
    size = len(page.encode("utf-8")) // 1024
    say(f"Wrote {output} ({size} KiB)", f"已写入 {output}（{size} KiB）")


_output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True, help="The HTML file to write.")
_redact_option = redact_option


@click.command("map")
@source_argument
@_output_option
@click.option("--view", type=click.Choice(VIEWS + ("resilience",)),
              default="units", show_default=True,
              help="units: institutions and their ties; party: the party organization tree "
                   "and coverage; referral: referrals up and down; full: everything; "
                   "united_front: representative figures, contacts and liaison stations; "
                   "resilience: units sized by the impact of their loss.")
@click.option("--region", metavar="ID", help="Only this region (and the regions below it).")
@click.option("--community", metavar="ID",
              help="Only the medical community whose top institution has this id.")
@click.option("--check", "check_id", metavar="CHECK_ID",
              help="Only the entities named by this check's findings (a check id or a "
                   "family) and their neighbours.")
@lang_option
@_redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def map_command(path, output, view, region, community, check_id, lang, redact, target):
    """Draw an interactive network map as one self-contained HTML file.

    Example: orgnet map examples/county-medical-community -o map.html --view referral --lang zh
    """
    from orgnet.visualizations.maps import map_html

    with errors_to_click():
        refuse_inputs([output], [path] if path else [])
        G, report_ = graph_and_report(path, target, lang=lang)
        if view == "resilience":
            from orgnet.visualizations.resilience_map import resilience_map_html

            page = resilience_map_html(G, report_.findings, region=region, community=community,
                                       check=check_id, lang=lang, redact=redact)
        else:
            page = map_html(G, report_.findings, view=view, region=region, community=community,
                            check=check_id, lang=lang, redact=redact)
    _write(output, page, [path])


@click.command("report")
@source_argument
@_output_option
@lang_option
@_redact_option
@click.option("--baseline", metavar="PATH", type=click.Path(path_type=str),
              help="An earlier snapshot (dataset PATH): add 'changes since' it and mark the "
                   "new findings (★) in the table and on the map.")
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def report(path, output, lang, redact, baseline, target):
    """Write the HTML report: summary, coverage charts, findings table and the map.

    With --baseline BEFORE it also shows what changed since BEFORE; with dated
    links in two or more quarters, line charts per quarter.

    Example: orgnet report examples/county-medical-community-2026 --baseline examples/county-medical-community -o report.html
    """
    from orgnet.queries.periods import trend
    from orgnet.visualizations.report import report_html

    with errors_to_click():
        refuse_inputs([output], [path] if path else [])
        G, result = graph_and_report(path, target, lang=lang)
        comparison = before = None
        if baseline is not None:
            from orgnet.queries.compare import compare_reports
            from orgnet.queries.runner import run_checks
            from orgnet._source import open_graph

            before = open_graph(baseline, None, lang)
            comparison = compare_reports(run_checks(before, lang=lang), result, before, G)
        page = report_html(G, result, lang=lang, redact=redact, baseline=comparison,
                           trend=trend(G, "quarter"), baseline_graph=before)
    _write(output, page, [path, baseline])


COMMANDS = [map_command, report]
