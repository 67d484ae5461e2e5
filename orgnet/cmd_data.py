"""Commands: ``validate`` (check a dataset against the format, load nothing) and
``template`` (the planner's empty workbook)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from orgnet.graphmodel.schema import TABLE_ORDER
from orgnet.loaders import DatasetError, dataset_size, load_dataset
from orgnet._common import (
    echo, errors_to_click, fail, lang_option, progress, same_file, say, show_warnings, write_bytes,
)
from orgnet._common import usage_error

__all__ = ["validate", "template", "COMMANDS", "summary_line"]

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
    >>> from orgnet.loaders import Dataset
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
@click.option("--annotate", type=click.Path(dir_okay=False, path_type=Path),
              help="For an .xlsx workbook: write a copy to this file with every problem's "
                   "cell filled red and the message as a comment.")
@lang_option
def validate(path, output_format, annotate, lang):
    """Check a dataset against the format; print every problem with its row.

    PATH is a directory of CSV files, an .xlsx workbook or a .json file.
    Exits 0 when the dataset is valid, 1 when it is not (errors on stderr).

    Example: orgnet validate county.xlsx --lang zh --annotate county-checked.xlsx
    """
    if annotate is not None:
        if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
            raise usage_error(f"--annotate marks cells of an .xlsx workbook; {path} is not one",
                              f"--annotate 只能标注 .xlsx 工作簿中的单元格；{path} 不是工作簿")
        if same_file(annotate, path):
            raise usage_error("--annotate writes a copy: give another file than PATH",
                              "--annotate 写出一份副本：请给出与 PATH 不同的文件")
    with progress("reading" if lang == "en" else "读取", length=dataset_size(path)) as bar:
        try:
            with errors_to_click():   # a domain error other than a bad dataset: one line
                dataset = load_dataset(path, progress=bar.update)
            problems, notes = [], dataset.notes
        except click.ClickException as err:
            if not isinstance(err.__cause__, DatasetError):
                raise
            problems, notes = err.__cause__.problems, err.__cause__.notes
            dataset = None
    for note in notes:
        echo(("注意：" if lang == "zh" else "note: ") + note.line(lang), err=True)
    if annotate is not None:
        from orgnet.loaders.template import annotate_workbook

        with errors_to_click():
            content = annotate_workbook(path, problems, lang)
        write_bytes(annotate, content)
        n = len(problems)
        say(f"wrote {annotate}: {n} problem{'s' if n != 1 else ''} marked",
            f"已写入 {annotate}：标出问题 {n} 个")
    if dataset is not None:
        show_warnings(dataset)
        if output_format == "json":
            echo(json.dumps({"valid": True, "problems": [],
                                   "notes": [p.to_dict() for p in notes],
                                   "counts": {t: len(f) for t, f in dataset.tables.items()}},
                                  ensure_ascii=False))
        else:
            echo(summary_line(dataset, lang))
        return
    if output_format == "json":
        echo(json.dumps({"valid": False, "problems": [p.to_dict() for p in problems],
                               "notes": [p.to_dict() for p in notes]},
                              ensure_ascii=False, indent=1))
    else:
        echo(DatasetError(problems).render(lang), err=True)
    n = len(problems)
    raise fail(f"{path}: {n} problem{'s' if n != 1 else ''}; nothing was loaded",
               f"{path}：发现 {n} 个问题，数据未载入")


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .xlsx workbook to write.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="zh: Chinese sheet names, headers and values; en: the English keys.")
def template(output, lang):
    """Write an empty workbook to fill in: one sheet per table, dropdowns, a notes sheet.

    Each table sheet has the headers of the format, a frozen header row, dropdowns
    on every vocabulary column and three example rows that validate; the 说明
    (notes) sheet explains every column.

    Example: orgnet template -o county.xlsx
    """
    from orgnet.loaders.template import template_bytes

    if output.suffix.lower() != ".xlsx":
        raise usage_error(f"the template is an .xlsx workbook: give -o FILE.xlsx, not {output}",
                          f"模板是 .xlsx 工作簿：请用 -o FILE.xlsx，而不是 {output}")
    write_bytes(output, template_bytes(lang))
    say(f"wrote {output}: fill in the sheets, then run: orgnet validate {output}",
        f"已写入 {output}：填写各工作表后运行 orgnet validate {output} --lang zh")


COMMANDS = [validate, template]
