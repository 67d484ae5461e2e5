"""Benchmark the HTML report of a large dataset in headless Chromium: size and time to use.

Usage::

    python benchmarks/bench_report_browser.py                      # 100k entities, 5 runs
    python benchmarks/bench_report_browser.py --entities 100000 --runs 7 \\
        --out benchmarks/results/report_browser.md

The dataset comes from :func:`orgnet.loaders.generate.generate_dataset` (``entities=N``,
seed 1), its findings from ``run_checks`` (``--lang``, default zh); the report is
written with :func:`orgnet.visualizations.report.report_html`.  Each run opens the file
in a fresh tab of one headless Chromium (networking off, the flags of
tests/visualizations/test_browser.py) and reads:

- **ready**: ``performance.now()`` when the page's script has inflated the data,
  drawn the first page of the findings table and the map (``window.orgnetReport
  .readyAt``), counted from the start of navigation: from then on the page
  answers clicks;
- **load**: the browser's own ``loadEventEnd`` (HTML parsed, scripts run);
- **filter**: wall time of selecting "high" severity in the table (rows redrawn);
- **finding**: wall time of clicking a finding until the map has it selected
  (opening its region's detail from the overview when needed);
- **fold**: wall time of showing the low-severity lines and opening the first folded
  line (units restating the designed hierarchy) until its findings are listed.

Medians of ``--runs`` runs.  Needs Debian's chromium and chromium-driver.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_BYTES = 5 * 1024 ** 2
TARGET_SECONDS = 3.0
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900")


def build_report(entities: int, folder: Path, lang: str) -> tuple[Path, dict]:
    """Generate a dataset, check it and write its report; return the path and facts."""
    from orgnet.loaders import load_graph
    from orgnet.loaders.generate import generate_dataset
    from orgnet.queries.runner import run_checks
    from orgnet.visualizations.report import report_html

    data = folder / f"data-{entities}"
    if not data.exists():
        generate_dataset(data, entities=entities, seed=1)
    G = load_graph(data)
    report = run_checks(G, lang=lang)
    start = time.perf_counter()
    page = report_html(G, report, lang=lang)
    seconds = time.perf_counter() - start
    path = folder / f"report-{entities}.html"
    path.write_text(page, encoding="utf-8")
    from orgnet.queries.planner import planner_lines

    lines = planner_lines(report, G)
    return path, {"entities": G.number_of_nodes(), "findings": len(report.findings),
                  "lines": len(lines), "folded": sum(1 for line in lines if line.folded),
                  "bytes": path.stat().st_size, "render_s": seconds}


def measure(path: Path, runs: int) -> list[dict]:
    """Open the report ``runs`` times in headless Chromium; return each run's timings."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import Select

    profile = tempfile.mkdtemp(prefix="orgnet-bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    results = []
    try:
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(path.as_uri())
            deadline = time.time() + 60
            while not driver.execute_script("return !!window.orgnetReport"):
                if time.time() > deadline:
                    raise RuntimeError("the report never became ready")
                time.sleep(0.02)
            ready, load = driver.execute_script(
                "var t = performance.getEntriesByType('navigation')[0];"
                "return [window.orgnetReport.readyAt, t.loadEventEnd];")
            start = time.perf_counter()
            Select(driver.find_element("id", "filter-severity")).select_by_value("high")
            while not (rows := driver.execute_script(
                    "var r = document.querySelectorAll('#findings-table tbody tr');"
                    "return r.length && r[0].getAttribute('data-severity') === 'high'"
                    " ? r.length : 0")):
                if time.perf_counter() - start > 30:
                    break
                time.sleep(0.01)
            filtered = time.perf_counter() - start
            start = time.perf_counter()
            driver.execute_script(
                "document.querySelector('#findings-table tbody tr.on-map').click()")
            while not (selected := driver.execute_script(
                    "return network.getSelectedNodes().length")):
                if time.perf_counter() - start > 30:
                    break
                time.sleep(0.01)
            clicked = time.perf_counter() - start
            # open the first folded line (the designed hierarchy under one parent unit)
            Select(driver.find_element("id", "filter-severity")).select_by_value("low")
            start = time.perf_counter()
            opened = 0
            while time.perf_counter() - start < 30:
                opened = driver.execute_script(
                    "var b = document.querySelector('#findings-table tr.fold button');"
                    "if (b && b.getAttribute('aria-expanded') === 'false') { b.click(); }"
                    "return document.querySelectorAll('#findings-table tr.folded').length")
                if opened:
                    break
                time.sleep(0.01)
            folded = time.perf_counter() - start
            if not rows or not selected or not opened:
                raise RuntimeError("the table or the map did not answer")
            results.append({"ready_s": ready / 1000, "load_s": load / 1000,
                            "filter_s": filtered, "finding_s": clicked, "fold_s": folded})
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="zh", choices=["en", "zh"])
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where the dataset and the report go (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=None, help="write the results as Markdown")
    args = parser.parse_args(argv)
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="orgnet-bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path, facts = build_report(args.entities, folder, args.lang)
        load_before = os.getloadavg()[0]
        runs = measure(path, args.runs)
        load_after = os.getloadavg()[0]
    finally:
        if args.data_dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    worst = max(r["ready_s"] for r in runs)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python benchmarks/bench_report_browser.py --entities {args.entities} "
        f"--runs {args.runs}`.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores; {platform.platform()}; "
        f"Python {platform.python_version()}; Chromium headless.  Load average (1 min) "
        f"before / after: {load_before:.1f} / {load_after:.1f} (shared machine: upper bounds).",
        "",
        "| entities | findings | table lines | folded lines | report MB | render s "
        "| ready s (median / worst) | load s | filter s | finding s | fold s | runs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {facts['entities']:,} | {facts['findings']:,} | {facts['lines']:,} "
        f"| {facts['folded']:,} | {facts['bytes'] / 1024 ** 2:.2f} "
        f"| {facts['render_s']:.1f} | **{median['ready_s']:.2f}** / {worst:.2f} "
        f"| {median['load_s']:.2f} | {median['filter_s']:.2f} | {median['finding_s']:.2f} "
        f"| {median['fold_s']:.2f} | {len(runs)} |",
        "",
        f"Targets (issue 13): report ≤ {TARGET_BYTES / 1024 ** 2:.0f} MB "
        f"({'met' if facts['bytes'] <= TARGET_BYTES else 'NOT met'}), interactive within "
        f"{TARGET_SECONDS:.0f} s ({'met' if median['ready_s'] <= TARGET_SECONDS else 'NOT met'}).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
