"""Benchmark ``orgnet check`` phase by phase on generated datasets (100k and 1M entities).

Usage::

    python benchmarks/bench_checks.py                          # 100k and 1M, 3 runs each
    python benchmarks/bench_checks.py --sizes 100000 --runs 5
    python benchmarks/bench_checks.py --data-dir /tmp/orgnet-bench --out benchmarks/results/checks.md

Datasets come from :func:`orgnet.loaders.generate.generate_dataset` (``entities=N``,
seed 3, the issue's datasets; cached under ``--data-dir``).  Every run is a fresh
subprocess, so that its peak RSS is its own.  A run measures, in the order
``orgnet check --format json`` does them:

- ``read`` (:func:`orgnet.loaders.read_raw`), ``validate`` (``validate_dataset``),
  ``build`` (:meth:`orgnet.queries.tables.CheckTables.from_dataset`, the check tables; the
  validated frames are dropped after it: no networkx graph is built);
- each check family as inside :func:`orgnet.queries.runner.run_checks` (cyclic GC paused;
  connectivity includes building the unit network arrays), then the summary, then
  ``output`` (:func:`orgnet.queries.export.write_json`, streamed, as ``orgnet check`` does);
- for each phase: wall seconds, CPU seconds (user + system: the machine is shared,
  CPU time is what the phase itself costs) and the peak RSS reached by its end.

Per size it also times the algorithmic core (articulation points + bridges +
connected components) on the very same unit network in networkx, in rustworkx,
in orgnet's own path (:mod:`orgnet.queries.unitnet`: blocks from rustworkx, block-cut tree,
cut-off facts, bridge sides, components from scipy) and in igraph when it is
installed; and ``orgnet check`` end to end (wall, CPU, peak RSS).  ``--neo4j-client
DATASET`` times the client-side part of ``check --neo4j`` alone (see
:func:`neo4j_client_worker`).  The Markdown with the
medians goes to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 15
TARGET_BYTES = 2 * 1024 ** 3
PHASES = ("read", "validate", "build")


def _peak_rss() -> int:
    """Peak resident set size of this process in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Clock:
    """Collects (phase, wall, cpu, peak RSS) rows."""

    def __init__(self):
        self.rows: dict[str, dict] = {}

    def measure(self, phase: str, function, *args):
        wall, cpu = time.perf_counter(), _cpu()
        result = function(*args)
        row = self.rows.setdefault(phase, {"wall": 0.0, "cpu": 0.0, "rss": 0})
        row["wall"] += time.perf_counter() - wall
        row["cpu"] += _cpu() - cpu
        row["rss"] = _peak_rss()
        return result


def worker(path: Path) -> dict:
    """One run of the check pipeline in this process, phase by phase (as ``orgnet check``)."""
    from orgnet.graphmodel.schema import DEFAULT_SETTINGS
    from orgnet.loaders import read_raw
    from orgnet.loaders.graph import gc_paused
    from orgnet.loaders.validate import validate_dataset
    from orgnet.queries.catalog import CHECK_IDS, load_checks, family_of
    from orgnet.queries.export import write_json
    from orgnet.queries.runner import Report, findings_from_hits, summarize
    from orgnet.queries.tables import CheckTables

    clock = _Clock()
    catalog = load_checks()
    findings = []
    with gc_paused():
        raw = clock.measure("read", read_raw, path)
        dataset = clock.measure("validate", validate_dataset, raw)
        del raw
        tables = clock.measure("build", CheckTables.from_dataset, dataset)
        del dataset
        for check_id in CHECK_IDS:
            findings += clock.measure(
                family_of(check_id),
                lambda c: findings_from_hits(c, catalog[c].function(tables, DEFAULT_SETTINGS), "en"),
                check_id)
        summary = clock.measure("summary", summarize, tables, findings)
        entities = tables.size
        del tables
        with open(os.devnull, "w", encoding="utf-8") as sink:
            counted = _Counting(sink)
            clock.measure("output", write_json, Report(summary, findings, "en"), counted)
    return {"entities": entities, "findings": len(findings), "bytes": counted.bytes,
            "phases": clock.rows, "rss_peak": _peak_rss()}


class _Counting:
    """A text sink that counts the UTF-8 bytes written to it."""

    def __init__(self, stream):
        self.stream, self.bytes = stream, 0

    def write(self, text):
        self.bytes += len(text.encode("utf-8"))
        self.stream.write(text)


def core_worker(path: Path, runs: int) -> dict:
    """Time the connectivity core on the unit network of a dataset in each library."""
    import networkx as nx

    from orgnet.loaders import load_tables
    from orgnet.queries import connectivity, unitnet

    tables = load_tables(path)
    net = connectivity.cached_unit_arrays(tables)
    pairs = list(zip(net.eu.tolist(), net.ev.tolist()))
    n = net.number_of_nodes
    del tables
    timings: dict[str, list[float]] = {}
    counts: dict[str, tuple] = {}

    def timed(name, function):
        for _ in range(runs):
            started = time.perf_counter()
            counts[name] = function()
            timings.setdefault(name, []).append(time.perf_counter() - started)

    U = nx.Graph()
    U.add_nodes_from(range(n))
    U.add_edges_from(pairs)
    timed("networkx", lambda: (len(list(nx.articulation_points(U))), len(list(nx.bridges(U))),
                               nx.number_connected_components(U)))
    import rustworkx as rx
    R = rx.PyGraph(multigraph=False)
    R.add_nodes_from(range(n))
    R.add_edges_from_no_data(pairs)
    timed("rustworkx", lambda: (len(rx.articulation_points(R)), len(rx.bridges(R)),
                                len(rx.connected_components(R))))

    def orgnet_path():
        net._memo.clear()
        facts = unitnet.cut_facts(net)
        return len(facts), len(unitnet.bridge_sides(net)), unitnet.components(net)["count"]
    orgnet_path()                     # once untimed: the first call imports scipy's modules
    timed("orgnet (queries.unitnet: block-cut tree + cut-off facts + sides)", orgnet_path)
    try:
        import igraph
    except ImportError:
        igraph = None
    if igraph is not None:
        I = igraph.Graph(n=n, edges=pairs)
        timed("igraph", lambda: (len(I.articulation_points()), len(I.bridges()),
                                 len(I.connected_components())))
    return {"institutions": n, "edges": len(pairs),
            "timings": timings, "counts": {k: list(v) for k, v in counts.items()}}


def neo4j_client_worker(path: Path, runs: int) -> dict:
    """Time the client-side part of ``check --neo4j``: projection rows -> connectivity hits.

    The rows are what ``unit_network.nodes.cypher`` and ``unit_network.cypher`` return,
    made here from the embedded graph (no server needed): the reference path
    (``unit_network_from_rows`` + the networkx functions) against the array path
    (``unit_arrays_from_rows`` + :mod:`orgnet.queries.unitnet`) that ``run_checks_neo4j`` uses.
    CPU seconds, median of ``runs``; both must give the same hits.
    """
    from orgnet.graphmodel.embedded import link_institutions
    from orgnet.graphmodel.schema import MEMBER
    from orgnet.loaders import load_graph
    from orgnet.loaders.graph import gc_paused
    from orgnet.queries import connectivity, neo4j_checks as nc

    G = load_graph(path)
    nodes = G._node
    node_rows = [{"id": n, "properties": {"id": n, **d}} for n, d in connectivity.institution_nodes(G)]
    cache: dict = {}

    def units(end):
        if end not in cache:
            cache[end] = link_institutions(G, end)
        return cache[end]

    link_rows = [{"link_index": d["link_index"], "source_units": units(a), "target_units": units(b),
                  "members": [{"id": e, "name": nodes[e].get("name")} for e in (a, b)
                              if nodes[e].get("label") == MEMBER]}
                 for a, b, d in connectivity.active_links(G)]
    del G, cache

    def client(build):
        network = build(node_rows, link_rows)
        members, names = nc.link_members_from_rows(link_rows)
        if hasattr(network, "link_members"):
            members = network.link_members
        return {c: nc.client_side_hits(c, network, members, names) for c in nc.CLIENT_SIDE_CHECKS}

    timings: dict[str, list[float]] = {}
    found = {}
    for name, build in (("networkx (reference)", nc.unit_network_from_rows),
                        ("arrays (queries.unitnet)", nc.unit_arrays_from_rows)):
        client(build)                 # once untimed (imports)
        for _ in range(runs):
            with gc_paused():
                started = time.process_time()
                found[name] = client(build)
                timings.setdefault(name, []).append(time.process_time() - started)
    same = len({json.dumps(v, sort_keys=True, ensure_ascii=False) for v in found.values()}) == 1
    return {"rows": len(link_rows), "institutions": len(node_rows), "timings": timings, "same": same}


def end_to_end(path: Path) -> dict:
    """``orgnet check PATH --format json`` in a subprocess: wall seconds and its own peak RSS."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "orgnet", "check", str(path), "--format", "json"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 3):
        raise RuntimeError(f"orgnet check exited {child.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024}


def ensure_dataset(data_dir: Path, entities: int) -> tuple[Path, dict]:
    """Generate (once) the dataset of about ``entities`` entities, seed 3."""
    from orgnet.loaders.generate import generate_dataset

    path = data_dir / f"entities-{entities}-seed3"
    marker = path / "counts.json"
    if marker.exists():
        return path, json.loads(marker.read_text())
    started = time.perf_counter()
    counts = generate_dataset(path, entities=entities, seed=3)
    counts["generate_seconds"] = time.perf_counter() - started
    marker.write_text(json.dumps(counts))
    return path, counts


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    import networkx
    import numpy
    import pandas
    import rustworkx
    import scipy
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory / 1024 ** 3,
        "python": platform.python_version(), "networkx": networkx.__version__,
        "pandas": pandas.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__,
        "rustworkx": rustworkx.__version__, "os": platform.platform(),
        "load_average": os.getloadavg(),
    }


def _mib(n: float) -> str:
    return f"{n / 1024 ** 2:,.0f} MiB"


def _median(rows, phase, key):
    return statistics.median(r["phases"][phase][key] for r in rows)


def markdown(results: list[dict], info: dict, runs: int) -> str:
    from orgnet.queries.catalog import FAMILIES

    phases = [*PHASES, *FAMILIES, "summary", "output"]
    lines = [
        "# Check benchmark",
        "",
        "Produced by `python benchmarks/bench_checks.py` "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}); median of {runs} runs, "
        "each in a fresh process.",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; RAM {info['memory_gib']:.0f} GiB; {info['os']}",
        f"- Python {info['python']}, networkx {info['networkx']}, pandas {info['pandas']}, "
        f"numpy {info['numpy']}, scipy {info['scipy']}, rustworkx {info['rustworkx']}",
        f"- load average when the run started: {', '.join(f'{x:.1f}' for x in info['load_average'])}. "
        "The machine is shared with other engineers' tests and servers: wall times are upper "
        "bounds; CPU seconds (user + system of the process) are what each phase costs.",
        "",
        "## orgnet check end to end (`orgnet check DATASET --format json`)",
        "",
        "| entities | findings | JSON | wall, median | CPU, median | peak RSS | target ≤ 15 s, ≤ 2 GiB |",
        "|---:|---:|---:|---:|---:|---:|:--|",
    ]
    for r in results:
        wall = statistics.median(e["wall"] for e in r["end_to_end"])
        rss = max(e["rss"] for e in r["end_to_end"])
        ok = wall <= TARGET_SECONDS and rss <= TARGET_BYTES
        cpu = statistics.median(e["cpu"] for e in r["end_to_end"])
        lines.append(f"| {r['entities']:,} | {r['findings']:,} | {r['bytes'] / 1e6:.0f} MB | "
                     f"{wall:.1f} s | {cpu:.1f} s | {_mib(rss)} | {'met' if ok else 'not met'} |")
    lines += [
        "",
        "## Per phase (wall s / CPU s / peak RSS at the end of the phase)",
        "",
        "`build` makes the check tables (no networkx graph); connectivity includes building "
        "the unit network arrays; the validated frames are dropped after `build`, the tables "
        "before `output` (streamed JSON).",
        "",
        "| phase | " + " | ".join(f"{r['entities']:,} entities" for r in results) + " |",
        "|:--|" + "---:|" * len(results),
    ]
    for phase in phases:
        cells = []
        for r in results:
            rows = r["runs"]
            cells.append(f"{_median(rows, phase, 'wall'):.2f} / {_median(rows, phase, 'cpu'):.2f} / "
                         f"{_mib(_median(rows, phase, 'rss'))}")
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    cells = []
    for r in results:
        total_wall = statistics.median(sum(p["wall"] for p in x["phases"].values()) for x in r["runs"])
        total_cpu = statistics.median(sum(p["cpu"] for p in x["phases"].values()) for x in r["runs"])
        cells.append(f"**{total_wall:.2f} / {total_cpu:.2f} / "
                     f"{_mib(statistics.median(x['rss_peak'] for x in r['runs']))}**")
    lines.append("| total | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Connectivity core on the same unit network (articulation points + bridges + "
        f"connected components; median of {runs} runs, graph construction excluded)",
        "",
        "| library | " + " | ".join(f"{r['core']['institutions']:,} nodes, "
                                    f"{r['core']['edges']:,} edges" for r in results) + " |",
        "|:--|" + "---:|" * len(results),
    ]
    for name in results[-1]["core"]["timings"]:
        cells = []
        for r in results:
            t = r["core"]["timings"].get(name)
            cells.append(f"{statistics.median(t):.3f} s" if t else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    for r in results:
        lines.append(f"- {r['entities']:,} entities: (cut points, bridges, components) per library: "
                     + "; ".join(f"{k.split(' ')[0]} {tuple(v)}" for k, v in r["core"]["counts"].items()))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/orgnet-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "checks.md")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--core", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--neo4j-client", type=Path, metavar="DATASET",
                        help="only time the client-side part of check --neo4j on DATASET "
                             "(projection rows made from the embedded graph) and print JSON")
    args = parser.parse_args(argv)
    if args.neo4j_client is not None:
        print(json.dumps(neo4j_client_worker(args.neo4j_client, args.runs)))
        return 0
    if args.worker is not None:
        print(json.dumps(worker(args.worker)))
        return 0
    if args.core is not None:
        print(json.dumps(core_worker(args.core, args.runs)))
        return 0
    info = machine()
    results = []

    def child(*extra):
        done = subprocess.run([sys.executable, __file__, *extra], capture_output=True, text=True,
                              cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    for size in args.sizes:
        path, counts = ensure_dataset(args.data_dir, size)
        print(f"[{size:,}] {counts['entities']:,} entities: measuring ...", file=sys.stderr, flush=True)
        runs = [child("--worker", str(path)) for _ in range(args.runs)]
        result = {"target": size, "entities": runs[0]["entities"], "findings": runs[0]["findings"],
                  "bytes": runs[0]["bytes"], "runs": runs,
                  "end_to_end": [end_to_end(path) for _ in range(args.runs)],
                  "core": child("--core", str(path), "--runs", str(args.runs))}
        results.append(result)
        print(f"[{size:,}] end to end {statistics.median(e['wall'] for e in result['end_to_end']):.1f} s",
              file=sys.stderr, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(results, info, args.runs), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
