"""Whole ``orgnet check --format json`` reports against digests kept from before issue 15b.

The SHA-256 of the JSON (both languages) was recorded with the implementation the
checks had before they moved from the networkx graph to the validated tables
(commit 3e6af0e), on the bundled examples and on generated datasets of several
seeds and sizes.  Both entry points must still give those bytes: the graph
(``run_checks(load_graph(path))``, the library API and the other commands) and the
tables (``run_checks(load_tables(path))``, what ``orgnet check PATH`` runs).

When a change is meant to alter findings, regenerate the digests with
``python tests/queries/test_check_digests.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIGESTS = Path(__file__).with_name("data") / "check-json-sha256.json"
EXAMPLES = ["county-medical-community", "county-medical-community.xlsx", "city-mch-alliance",
            "county-medical-community-2026"]
#: name -> generate_dataset arguments (2 counties are about 2,500 entities)
GENERATED = {
    "seed3-2counties": {"counties": 2, "seed": 3},
    "seed7-2counties-isolated": {"counties": 2, "seed": 7, "isolated": 3, "links_per_entity": 0.6},
    "seed11-2counties-sparse": {"counties": 2, "seed": 11, "links_per_entity": 0.3},
    "seed5-20k": {"entities": 20_000, "seed": 5},
}


def _generated(name, base: Path) -> Path:
    from orgnet.loaders.generate import generate_dataset

    path = base / name
    if not path.exists():
        generate_dataset(path, **GENERATED[name])
    return path


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _report_texts(path: Path, via: str) -> dict:
    from orgnet.loaders import load_graph
    from orgnet.queries.export import to_json
    from orgnet.queries.runner import run_checks

    if via == "graph":
        source = load_graph(path)
    else:
        from orgnet.loaders import load_tables
        source = load_tables(path)
    return {lang: to_json(run_checks(source, lang=lang)) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def digests():
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("generated")


@pytest.mark.parametrize("via", ["graph", "tables"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_give_the_recorded_bytes(digests, name, via):
    texts = _report_texts(REPO / "examples" / name, via)
    assert {lang: _digest(t) for lang, t in texts.items()} == digests[name]


@pytest.mark.parametrize("via", ["graph", "tables"])
@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_datasets_give_the_recorded_bytes(digests, generated_dir, name, via):
    texts = _report_texts(_generated(name, generated_dir), via)
    assert {lang: _digest(t) for lang, t in texts.items()} == digests[name]


def main(out_dir: Path) -> None:
    """Record the digests (and keep the JSON texts in ``out_dir`` for diffs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    found = {}
    cases = [(n, REPO / "examples" / n) for n in EXAMPLES]
    cases += [(n, _generated(n, out_dir)) for n in GENERATED]
    for name, path in cases:
        texts = _report_texts(path, "graph")
        found[name] = {lang: _digest(t) for lang, t in texts.items()}
        for lang, text in texts.items():
            (out_dir / f"{name}.{lang}.json").write_text(text, encoding="utf-8")
    DIGESTS.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/orgnet-check-digests"))
