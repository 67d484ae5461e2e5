"""Where a command's data comes from: a dataset PATH (embedded graph) or ``--neo4j``.

``check``, ``map``, ``report`` and ``metrics`` take either a PATH or a Neo4j server.
:func:`open_graph` returns the graph of either; :func:`run_report` runs the checks
where the data lives (networkx for a PATH, Cypher in the database for Neo4j), so
both backends print the same findings.

A ``NEO4J_URI`` in the environment is used only when no PATH is given; giving
both a PATH and ``--neo4j`` on the command line is a usage error.
"""

from __future__ import annotations

import contextlib

import click

from orgnet._common import progress, show_warnings, usage_error

__all__ = ["source_argument", "open_graph", "embedded_dataset", "run_report", "graph_and_report",
           "provenance", "redacted_report"]

#: PATH is optional: commands can read from Neo4j instead.
source_argument = click.argument("path", required=False, type=click.Path(path_type=str))


def _use_neo4j(path, target) -> bool:
    """Decide the backend; raise a usage error when the choice is unclear."""
    explicit = False
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        source = ctx.get_parameter_source("neo4j_uri")
        explicit = source is not None and source.name == "COMMANDLINE"
    if path is not None and target is not None and explicit:
        raise usage_error("give a dataset PATH or --neo4j URI, not both",
                          "请给出数据集 PATH 或 --neo4j URI，不要同时给出")
    if path is not None:
        return False
    if target is None:
        raise usage_error("missing dataset PATH (or --neo4j URI to read from Neo4j)",
                          "缺少数据集 PATH（或用 --neo4j URI 从 Neo4j 读取）")
    return True


def _embedded_graph(path, lang):
    from orgnet.loaders import build_graph

    return build_graph(embedded_dataset(path, lang))


def embedded_dataset(path, lang):
    """Read and validate a dataset PATH (with a progress bar on a terminal; warnings printed)."""
    from orgnet.loaders import dataset_size, load_dataset

    label = "读取数据" if lang == "zh" else "reading"
    with progress(label, length=max(dataset_size(path), 1)) as bar:
        dataset = load_dataset(path, progress=bar.update)
    show_warnings(dataset)
    return dataset


@contextlib.contextmanager
def _neo4j(target):
    """Yield ``(driver, database, dataset name)`` for a Neo4j target."""
    from orgnet.graphmodel.neo4j_store import Neo4jStore
    from orgnet._neo4j import open_driver, resolve_dataset

    with open_driver(target) as driver:
        name = resolve_dataset(Neo4jStore(driver, target.database), target.dataset)
        yield driver, target.database, name


def open_graph(path, target=None, lang: str = "en"):
    """Return the embedded graph of a dataset PATH, or of the dataset loaded in Neo4j.

    Raises ``loaders.DatasetError`` or ``orgnet.graphmodel.neo4j_store.StoreError`` (both
    OrgnetErrors: wrap the call in :func:`orgnet._common.errors_to_click`).
    """
    if not _use_neo4j(path, target):
        return _embedded_graph(path, lang)
    from orgnet.graphmodel.neo4j_store import Neo4jStore

    with _neo4j(target) as (driver, database, name):
        return Neo4jStore(driver, database).read_graph(name)


def _checks_bar(lang, only=(), skip=()):
    from orgnet.queries.catalog import select_checks

    return progress("运行检查" if lang == "zh" else "checking",
                    length=len(select_checks(only, skip)))


def provenance(path, target=None, *, settings=None, only=(), skip=(), min_severity=None,
               lang: str = "en", dataset_info=None) -> dict:
    """Return where a report comes from: orgnet version, settings, SHA-256 of the inputs.

    Nothing in it depends on the time or the machine, so two runs on the same input
    give the same bytes.
    """
    import dataclasses

    from orgnet.graphmodel.schema import DEFAULT_SETTINGS
    from orgnet import __version__

    settings = settings or DEFAULT_SETTINGS
    out = {"orgnet": __version__,
           "settings": {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)},
           "regulation": settings.REGULATION,
           "checks": {"only": list(only), "skip": list(skip), "min_severity": min_severity},
           "lang": lang}
    if path is not None:
        from orgnet.loaders import input_digests

        out["inputs"] = input_digests(path)
    elif dataset_info is not None:
        out["neo4j"] = {"database": target.database, "dataset": dataset_info.name,
                        "content_sha256": dataset_info.hash, "source": dataset_info.source}
    return out


def _dataset_info(driver, database, name):
    from orgnet.graphmodel.neo4j_store import Neo4jStore

    return next((d for d in Neo4jStore(driver, database).datasets() if d.name == name), None)


def run_report(path, target=None, *, lang: str = "en", arrange: bool = True,
               redact: bool = False, **options):
    """Run the checks where the data lives and return the ``orgnet.queries.runner.Report``.

    ``options`` are those of :func:`orgnet.queries.runner.run_checks` (settings, only,
    skip, min_severity).  ``arrange`` sets ``report.lines`` (the planner's view,
    which needs the graph: with Neo4j it is read back); the JSON and CSV formats do
    without.  ``report.provenance`` is always set.  With ``redact`` the report's
    member names and ids are pseudonyms (:class:`orgnet.visualizations.redact.Redactor`),
    in its findings and in its planner lines alike.
    """
    if not _use_neo4j(path, target):
        from orgnet.loaders import build_graph
        from orgnet.queries.runner import run_checks
        from orgnet.queries.tables import CheckTables

        # The checks run on the check tables, built column-wise from the validated
        # tables: no networkx graph unless the planner's view (arrange) needs one.
        dataset = embedded_dataset(path, lang)
        tables = CheckTables.from_dataset(dataset)
        if not (arrange or redact):
            dataset = None            # the frames go; the tables keep what the checks read
        with _checks_bar(lang, options.get("only", ()), options.get("skip", ())) as bar:
            report = run_checks(tables, lang=lang, progress=bar.update, **options)
        if redact or arrange:         # the planner's view and the pseudonyms read the graph
            del tables
            G = build_graph(dataset)
            if arrange:
                report.arranged(G)
            if redact:
                report = redacted_report(report, G, lang)
        report.provenance = provenance(path, lang=lang, **options)
        return report
    from orgnet.graphmodel.neo4j_store import Neo4jStore
    from orgnet.queries.neo4j_checks import run_checks_neo4j

    with _neo4j(target) as (driver, database, name):
        with _checks_bar(lang, options.get("only", ()), options.get("skip", ())) as bar:
            report = run_checks_neo4j(driver, database, name, lang=lang,
                                      progress=bar.update, **options)
        report.provenance = provenance(None, target, lang=lang,
                                       dataset_info=_dataset_info(driver, database, name),
                                       **options)
        if redact or arrange:   # the planner's view reads where each finding lies: the graph
            G = Neo4jStore(driver, database).read_graph(name)
            if arrange:
                report.arranged(G)
            if redact:
                report = redacted_report(report, G, lang)
        return report


def redacted_report(report, G, lang):
    """Return the report with member names and ids replaced (findings, summary, planner
    lines): arrange it on the real graph first."""
    from orgnet.visualizations.redact import Redactor

    return Redactor(G, lang=lang).report(report)


def graph_and_report(path, target=None, *, lang: str = "en"):
    """Return ``(graph, report)`` for the maps: both from the same source."""
    if not _use_neo4j(path, target):
        from orgnet.queries.runner import run_checks

        G = _embedded_graph(path, lang)
        with _checks_bar(lang) as bar:
            return G, run_checks(G, lang=lang, progress=bar.update).arranged(G)
    from orgnet.graphmodel.neo4j_store import Neo4jStore
    from orgnet.queries.neo4j_checks import run_checks_neo4j

    with _neo4j(target) as (driver, database, name):
        G = Neo4jStore(driver, database).read_graph(name)
        with _checks_bar(lang) as bar:
            return G, run_checks_neo4j(driver, database, name, lang=lang,
                                       progress=bar.update).arranged(G)
