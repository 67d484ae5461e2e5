"""Commands: ``map`` (an interactive network map) and ``report`` (the HTML report).

Both write one self-contained HTML file that works offline.  They run the checks
once (``queries.runner.run_checks``) and hand the graph and the findings to
:mod:`visualizations`, which draws them.
"""

from __future__ import annotations

from pathlib import Path

import click

from orgnet._common import errors_to_click, lang_option, progress

__all__ = ["COMMANDS", "map_command", "report", "open_graph"]


def open_graph(path):
    """Return the embedded graph of a dataset, with a progress bar on a terminal.

    The one place the map and report commands open a graph (a ``--neo4j`` source
    would be read here with ``graphmodel.neo4j_store.read_graph``).
    """
    from loaders import dataset_size, load_graph

    total = dataset_size(path)
    with progress("Reading", length=max(total, 1)) as bar:
        return load_graph(path, progress=lambda n: bar.update(n))


def _findings(G, lang):
    from queries.catalog import select_checks
    from queries.runner import run_checks

    with progress("Checking", length=len(select_checks())) as bar:
        return run_checks(G, lang=lang, progress=bar.update)


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
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_output_option
@click.option("--view", type=click.Choice(["units", "party", "referral", "full"]),
              default="units", show_default=True,
              help="units: institutions and their ties; party: the party organization tree "
                   "and coverage; referral: referrals up and down; full: everything.")
@click.option("--region", metavar="ID", help="Only this region (and the regions below it).")
@click.option("--community", metavar="ID",
              help="Only the medical community whose top institution has this id.")
@click.option("--check", "check_id", metavar="CHECK_ID",
              help="Only the entities named by this check's findings (a check id or a "
                   "family) and their neighbours.")
@lang_option
@_redact_option
def map_command(path, output, view, region, community, check_id, lang, redact):
    """Draw an interactive network map as one self-contained HTML file.

    Example: orgnet map examples/county-medical-community -o map.html --view referral --lang zh
    """
    from visualizations.maps import map_html

    with errors_to_click():
        G = open_graph(path)
        report_ = _findings(G, lang)
        page = map_html(G, report_.findings, view=view, region=region, community=community,
                        check=check_id, lang=lang, redact=redact)
    _write(output, page)


@click.command("report")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_output_option
@lang_option
@_redact_option
def report(path, output, lang, redact):
    """Write the HTML report: summary, coverage charts, findings table and the map.

    Example: orgnet report examples/county-medical-community -o report.html --lang zh
    """
    from visualizations.report import report_html

    with errors_to_click():
        G = open_graph(path)
        result = _findings(G, lang)
        page = report_html(G, result, lang=lang, redact=redact)
    _write(output, page)


COMMANDS = [map_command, report]
