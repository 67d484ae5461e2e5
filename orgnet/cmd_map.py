"""Commands: ``map`` (an interactive network map) and ``report`` (the HTML report).

Both write one self-contained HTML file that works offline.  They run the checks
once (``queries.runner.run_checks``) and hand the graph and the findings to
:mod:`visualizations`, which draws them.
"""

from __future__ import annotations

from pathlib import Path

import click

from orgnet._common import errors_to_click, lang_option
from orgnet._neo4j import neo4j_options
from orgnet._source import graph_and_report, source_argument

__all__ = ["COMMANDS", "map_command", "report"]


def _write(output: Path, page: str) -> None:
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as err:
        raise click.ClickException(f"cannot write {output}: {err.strerror or err}") from err
    click.echo(f"Wrote {output} ({len(page.encode('utf-8')) // 1024} KiB)", err=True)


_output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True, help="The HTML file to write.")
_redact_option = click.option(
    "--redact", is_flag=True,
    help="Replace member names by stable pseudonyms (keyed by ORGNET_REDACT_KEY).")


@click.command("map")
@source_argument
@_output_option
@click.option("--view", type=click.Choice(["units", "party", "referral", "full", "united_front",
                                          "resilience"]),
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
@click.option("--plan", "with_plan", is_flag=True,
              help="Draw the network with the actions of 'orgnet plan' made: proposed ties "
                   "dashed, proposed joint branches (PLAN-JB-...) as new orgs with their units.")
@lang_option
@_redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def map_command(path, output, view, region, community, check_id, with_plan, lang, redact, target):
    """Draw an interactive network map as one self-contained HTML file.

    Example: orgnet map examples/county-medical-community -o map.html --view referral --lang zh
    """
    from visualizations.maps import map_html

    with errors_to_click():
        G, report_ = graph_and_report(path, target, lang=lang)
        if view == "resilience":
            from visualizations.resilience_map import resilience_map_html

            page = resilience_map_html(G, report_.findings, region=region, community=community,
                                       check=check_id, lang=lang, redact=redact)
        elif with_plan:
            from queries.plan import apply_plan, make_plan, proposed_rows

            H = apply_plan(G, make_plan(G, lang=lang, report=report_))
            note = ("虚线为整改计划建议新建的联系；PLAN-JB-… 为建议组建的联合党支部。" if lang == "zh"
                    else "Dashed: ties the plan proposes; PLAN-JB-...: joint branches it proposes.")
            page = map_html(H, report_.findings, view=view, region=region, community=community,
                            check=check_id, lang=lang, redact=redact, notes=[note],
                            proposed_rows=proposed_rows(H))
        else:
            page = map_html(G, report_.findings, view=view, region=region, community=community,
                            check=check_id, lang=lang, redact=redact)
    _write(output, page)


@click.command("report")
@source_argument
@_output_option
@click.option("--plan", "with_plan", is_flag=True,
              help="Add the action plan of 'orgnet plan' as a section.")
@lang_option
@_redact_option
@neo4j_options(dataset_help="Dataset name in Neo4j (default: the only one loaded).")
def report(path, output, with_plan, lang, redact, target):
    """Write the HTML report: summary, coverage charts, findings table and the map.

    Example: orgnet report examples/county-medical-community -o report.html --lang zh
    """
    from visualizations.report import report_html

    with errors_to_click():
        G, result = graph_and_report(path, target, lang=lang)
        sections = [_plan_section(G, result, lang, redact)] if with_plan else []
        page = report_html(G, result, lang=lang, redact=redact, sections=sections)
    _write(output, page)


def _plan_section(G, result, lang, redact) -> str:
    """The plan section, made on the redacted graph when names must not show."""
    from queries.plan import make_plan, prove_plan
    from queries.runner import Report
    from visualizations.plan_section import plan_section_html

    if redact:
        from visualizations.redact import redact_findings, redact_graph

        G, names = redact_graph(G, lang=lang)
        result = Report(result.summary, redact_findings(result.findings, names), lang)
    return plan_section_html(prove_plan(G, make_plan(G, lang=lang, report=result)), lang)


COMMANDS = [map_command, report]
