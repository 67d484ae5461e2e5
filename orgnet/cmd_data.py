"""Commands: ``validate`` (check a dataset against the format, load nothing)."""

from __future__ import annotations

import json

import click

from graphmodel.schema import TABLE_ORDER
from loaders import DatasetError, dataset_size, load_dataset
from orgnet._common import echo, errors_to_click, lang_option, progress, show_warnings

__all__ = ["validate", "COMMANDS", "summary_line"]

_NOUNS = {
    "en": {"regions": "regions", "institutions": "institutions", "party_orgs": "party orgs",
           "members": "members", "links": "links", "services": "services"},
    "zh": {"regions": "区域", "institutions": "机构", "party_orgs": "党组织",
           "members": "人员", "links": "关系", "services": "服务"},
}


def summary_line(dataset, lang: str = "en") -> str:
    """Return the one-line summary of a valid dataset.

    Examples
    --------
    >>> import pandas as pd
    >>> from loaders import Dataset
    >>> ds = Dataset("tiny", tables={"institutions": pd.DataFrame({"id": ["H1", "T1"]})})
    >>> summary_line(ds)
    'valid: 2 institutions (tiny)'
    >>> summary_line(ds, "zh")
    '有效：机构 2 个（tiny）'
    """
    counts = [(t, len(dataset.tables[t])) for t in TABLE_ORDER if t in dataset.tables]
    nouns = _NOUNS[lang]
    if lang == "zh":
        return "有效：" + "，".join(f"{nouns[t]} {n} 个" for t, n in counts) + f"（{dataset.name}）"
    return "valid: " + ", ".join(f"{n} {nouns[t]}" for t, n in counts) + f" ({dataset.name})"


@click.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="json: print {\"valid\": ..., \"problems\": [...]} on stdout.")
@lang_option
def validate(path, output_format, lang):
    """Check a dataset against the format; print every problem with its row.

    PATH is a directory of CSV files, an .xlsx workbook or a .json file.
    Exits 0 when the dataset is valid, 1 when it is not (errors on stderr).

    Example: orgnet validate examples/county-medical-community
    """
    with progress("reading" if lang == "en" else "读取", length=dataset_size(path)) as bar:
        try:
            with errors_to_click():
                dataset = load_dataset(path, progress=bar.update)
        except click.ClickException as err:
            if not isinstance(err.__cause__, DatasetError):
                raise
            problems = err.__cause__.problems
            dataset = None
    if dataset is not None:
        show_warnings(dataset)
        if output_format == "json":
            echo(json.dumps({"valid": True, "problems": [],
                                   "counts": {t: len(f) for t, f in dataset.tables.items()}},
                                  ensure_ascii=False))
        else:
            echo(summary_line(dataset, lang))
        return
    if output_format == "json":
        echo(json.dumps({"valid": False, "problems": [p.to_dict() for p in problems]},
                              ensure_ascii=False, indent=1))
    else:
        echo(DatasetError(problems).render(lang), err=True)
    n = len(problems)
    if lang == "zh":
        raise click.ClickException(f"{path}：发现 {n} 个问题，数据未载入")
    raise click.ClickException(f"{path}: {n} problem{'s' if n != 1 else ''}; nothing was loaded")


COMMANDS = [validate]
