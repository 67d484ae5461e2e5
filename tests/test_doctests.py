"""The Examples in the docstrings of every orgnet module run as doctests.

The packages sit at the repository's top level (graphmodel/, loaders/, queries/,
visualizations/) but are installed and imported as ``orgnet.graphmodel`` ...
(setup.cfg ``package_dir``).  pytest's ``--doctest-modules`` would import those
folders a second time under their bare names; here each module is imported once,
by its installed name, and each docstring with examples is one test.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("orgnet", "orgnet.graphmodel", "orgnet.loaders", "orgnet.queries",
            "orgnet.visualizations")
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _module_names() -> list[str]:
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names += [info.name for info in pkgutil.iter_modules(package.__path__, package_name + ".")
                  if not info.name.endswith("__main__")]
    return sorted(set(names))


def _doctests():
    finder = doctest.DocTestFinder(exclude_empty=True)
    for name in _module_names():
        module = importlib.import_module(name)
        for test in sorted(finder.find(module, name), key=lambda t: t.name):
            if test.examples and test.name.startswith(name):
                yield pytest.param(test, id=test.name)


@pytest.mark.parametrize("test", list(_doctests()))
def test_docstring_examples(test):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    result = runner.run(test, out=report.append, clear_globs=True)
    assert result.failed == 0, "".join(report)


def test_every_package_module_is_found():
    names = _module_names()
    assert {"orgnet.cli", "orgnet.graphmodel.schema", "orgnet.loaders.validate",
            "orgnet.queries.runner", "orgnet.visualizations.maps"} <= set(names)


def test_nothing_is_imported_by_its_bare_folder_name():
    """Every import goes through ``orgnet.``: the bare folders would be second copies.

    Run from the repository root, where ``queries/`` ... are importable by their
    bare names too: a stray ``import queries.x`` would load a second copy of a
    module (with its own registries and caches) without failing.
    """
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, orgnet.cli, orgnet.visualizations.report, orgnet.queries.neo4j_checks\n"
            "from orgnet.queries.catalog import load_checks; load_checks()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'graphmodel', 'loaders', 'queries', 'visualizations'}))")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"
