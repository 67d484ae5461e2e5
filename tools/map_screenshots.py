"""Take the screenshots of docs/: a county map and the overview map, in headless Chromium.

Usage::

    python tools/map_screenshots.py                 # writes docs/map-county.png, docs/map-overview.png
    python tools/map_screenshots.py --out /tmp/shots --entities 100000

The county is one generated county medical community (``counties=1, seed=3``,
about 250 units); the overview is a generated dataset of ``--entities`` entities
(seed 1), whose map opens on one node per county.  Both maps are in Chinese.
Needs Debian's chromium and chromium-driver.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900", "--hide-scrollbars")


def write_maps(folder: Path, entities: int) -> tuple[Path, Path]:
    """Generate the two datasets and write their maps; return the two HTML paths."""
    from orgnet.loaders import load_graph
    from orgnet.loaders.generate import generate_dataset
    from orgnet.queries.runner import run_checks
    from orgnet.visualizations.maps import map_html

    out = []
    for name, options in (("county", {"counties": 1, "seed": 3}),
                          ("overview", {"entities": entities, "seed": 1})):
        generate_dataset(folder / name, **options)
        G = load_graph(folder / name)
        report = run_checks(G, lang="zh")
        path = folder / f"{name}.html"
        path.write_text(map_html(G, report.findings, lang="zh"), encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def screenshot(pages: list[tuple[Path, Path]]) -> None:
    """Open each page and save a screenshot of it once the map is drawn."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="orgnet-shots-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        for page, image in pages:
            driver.get(page.as_uri())
            deadline = time.time() + 60
            while not driver.execute_script("return !!window.orgnetMap"):
                if time.time() > deadline:
                    raise RuntimeError(f"{page} never drew its map")
                time.sleep(0.1)
            time.sleep(1.0)
            driver.save_screenshot(str(image))
            print(f"wrote {image}")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="orgnet-shots-"))
    try:
        county, overview = write_maps(folder, args.entities)
        screenshot([(county, args.out / "map-county.png"),
                    (overview, args.out / "map-overview.png")])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
