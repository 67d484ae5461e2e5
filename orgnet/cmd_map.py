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
_plan_option = click.option(
    "--plan", "with_plan", is_flag=True,
    help="Add the action plan (orgnet plan, proved by re-running the checks on the "
         "changed data).")
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
@click.option("--plan", "with_plan", is_flag=True,
              help="Draw the data with the action plan applied: proposed ties dashed, "
                   "the units of each proposed joint branch ringed as a group.")
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def map_command(path, output, view, region, community, check_id, lang, redact, with_plan, target):
    """Draw an interactive network map as one self-contained HTML file.

    Example: orgnet map examples/county-medical-community -o map.html --view referral --lang zh
    """
    from orgnet.visualizations.maps import map_html

    with errors_to_click():
        refuse_inputs([output], [path] if path else [])
        G, report_ = graph_and_report(path, target, lang=lang)
        if with_plan:
            from orgnet.queries.plan import make_plan
            from orgnet.visualizations.plan_overlay import plan_map_html

            if view == "resilience":
                raise click.UsageError("--plan draws the units, party, referral, full or "
                                       "united_front view, not resilience")
            plan = make_plan(G, lang=lang, report=report_)
            page = plan_map_html(G, plan, report_.findings, view=view, region=region,
                                 community=community, check=check_id, lang=lang, redact=redact)
        elif view == "resilience":
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
@_plan_option
@click.option("--baseline", metavar="PATH", type=click.Path(path_type=str),
              help="An earlier snapshot (dataset PATH): add 'changes since' it and mark the "
                   "new findings (★) in the table and on the map.")
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def report(path, output, lang, redact, with_plan, baseline, target):
    """Write the HTML report: summary, coverage charts, findings table and the map.

    With --baseline BEFORE it also shows what changed since BEFORE; with dated
    links in two or more quarters, line charts per quarter; with --plan, the
    action plan and its proved effect.

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
        plan = None
        if with_plan:
            from orgnet.queries.plan import make_plan, prove_plan

            plan = prove_plan(G, make_plan(G, lang=lang, report=result))
        page = report_html(G, result, lang=lang, redact=redact, baseline=comparison,
                           trend=trend(G, "quarter"), baseline_graph=before, plan=plan)
    _write(output, page, [path, baseline])


COMMANDS = [map_command, report]
