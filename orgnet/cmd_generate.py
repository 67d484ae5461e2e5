"""Commands: ``generate`` (a synthetic dataset) and ``demo`` (the whole job on the bundled example).

Both are thin: ``generate`` calls :func:`orgnet.loaders.generate.generate_dataset`;
``demo`` finds the example (or generates a small county), then validates it, runs
the checks and writes the report, the map and the findings.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from orgnet._common import (
    echo, errors_to_click, is_terminal, lang_option, progress, redact_option, show_warnings,
    usage_error, write_output,
)
from orgnet._source import redacted_report

__all__ = ["COMMANDS", "generate", "demo", "example_path", "generate_summary", "demo_summary",
           "snapshot_lines"]

#: The example the demo runs, relative to the repository root.
DEMO_EXAMPLE = Path("examples") / "county-medical-community"

_SUMMARY = {
    "en": ("wrote {out}: {counties} counties, {entities:,} entities ({regions:,} regions, "
           "{institutions:,} institutions, {party_orgs:,} party orgs, {members:,} members), "
           "{links:,} links, {services:,} services; planted: {uncovered_clinics:,} uncovered "
           "clinics, {isolated_units:,} isolated units, {one_way_referrals:,} one-way referrals, "
           "{broken_chains:,} broken chains; united front: {representatives:,} representative "
           "figures, {uncontacted_representatives:,} uncontacted, {townships_without_station:,} "
           "townships without a station"),
    "zh": ("已写入 {out}：{counties} 个县，{entities:,} 个实体（区域 {regions:,}，机构 "
           "{institutions:,}，党组织 {party_orgs:,}，人员 {members:,}），关系 {links:,} 条，"
           "服务 {services:,} 条；预设问题：未覆盖卫生室 {uncovered_clinics:,} 个，孤立单位 "
           "{isolated_units:,} 个，单向转诊 {one_way_referrals:,} 对，转诊链断裂 {broken_chains:,} 处；"
           "统战：党外代表人士 {representatives:,} 名，无人联系 {uncontacted_representatives:,} 名，"
           "未建联络站乡镇 {townships_without_station:,} 个"),
}


def generate_summary(out, counts: dict, lang: str = "en") -> str:
    """Return the one-line summary of a generated dataset.

    Examples
    --------
    >>> counts = dict(counties=1, entities=10, regions=1, institutions=3, party_orgs=2,
    ...               members=4, links=6, services=2, uncovered_clinics=1, isolated_units=0,
    ...               one_way_referrals=2, broken_chains=0, representatives=3,
    ...               uncontacted_representatives=1, townships_without_station=1)
    >>> generate_summary("out", counts).split(";")[0]
    'wrote out: 1 counties, 10 entities (1 regions, 3 institutions, 2 party orgs, 4 members), 6 links, 2 services'
    """
    return _SUMMARY[lang].format(out=out, **counts)


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--counties", type=click.IntRange(min=1),
              help="Number of county medical communities [default: 1].")
@click.option("--entities", type=click.IntRange(min=1),
              help="Instead of --counties: add counties until there are this many entities.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed (same seed, same files).")
@click.option("--uncovered", type=click.IntRange(min=0),
              help="Village clinics per county with no party organization [default: 5% of clinics].")
@click.option("--one-way", "one_way", type=click.IntRange(min=0),
              help="Village clinics per county never referred back down [default: 10% of clinics].")
@click.option("--isolated", type=click.IntRange(min=0), default=1, show_default=True,
              help="Village clinics per county with no working tie at all.")
@click.option("--links-per-entity", type=click.FloatRange(min=0), default=1.5, show_default=True,
              help="Link rows per entity (referral counts are split over quarters or months).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True,
              help="csv: a directory (any size); xlsx, json: one file, small datasets only.")
@click.option("--headers", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="zh: Chinese headers, sheet names and vocabulary values (as planners type them).")
@click.option("--periods", type=click.IntRange(min=1),
              help="Write this many quarterly snapshots OUT/2025-Q1, ... of the same network, "
                   "each with planted fixes and new gaps (listed in OUT/planted.json).")
@click.option("--force", is_flag=True,
              help="Write into a non-empty directory (or over an existing file), replacing "
                   "the dataset files there.")
@lang_option
def generate(out, counties, entities, seed, uncovered, one_way, isolated, links_per_entity,
             fmt, headers, periods, lang, force):
    """Write a synthetic network of county medical communities (医共体) with planted gaps.

    With --periods N: N quarterly snapshots of one network in which some planted
    gaps are fixed and new ones appear each quarter (compare them with
    'orgnet compare OUT/2025-Q1 OUT/2025-Q2').

    Example: orgnet generate big --entities 1000000 --seed 1
    """
    from orgnet.loaders.generate import (
        convert_csv_dataset, entities_per_county, generate_dataset, generate_small,
    )

    if counties is not None and entities is not None:
        raise usage_error("give --counties or --entities, not both",
                          "请给出 --counties 或 --entities，不要同时给出")
    if fmt == "csv" and out.exists() and not out.is_dir():
        raise usage_error(f"{out} is a file; csv output is a directory",
                          f"{out} 是文件；csv 输出是一个目录")
    if fmt == "csv" and out.is_dir():
        from orgnet.graphmodel.schema import TABLE_ALIASES, TABLE_ORDER

        other = ([f"{zh}.csv" for zh, table in TABLE_ALIASES.items() if zh != "党员"]
                 if headers == "en" else [f"{table}.csv" for table in TABLE_ORDER])
        clash = sorted(name for name in other if (out / name).exists())
        if clash:
            raise usage_error(
                f"{out} already holds {', '.join(clash)} (a dataset with "
                f"{'Chinese' if headers == 'en' else 'English'} file names); use another directory",
                f"{out} 中已有 {'、'.join(clash)}（文件名为{'中文' if headers == 'en' else '英文'}的数据集）；"
                f"请换一个目录")
    if fmt != "csv" and out.is_dir():
        raise usage_error(f"{out} is a directory; {fmt} output is one file (e.g. {out}/county.{fmt})",
                          f"{out} 是目录；{fmt} 输出是一个文件（例如 {out}/county.{fmt}）")
    if not force and _is_occupied(out):
        raise usage_error(f"{out} already exists and is not empty; add --force to write "
                          f"over the dataset there, or choose another "
                          f"{'directory' if fmt == 'csv' else 'file'}",
                          f"{out} 已存在且不为空；加 --force 覆盖其中的数据集，或另选"
                          f"{'目录' if fmt == 'csv' else '文件'}")
    knobs = dict(seed=seed, uncovered=uncovered, one_way=one_way, isolated=isolated,
                 links_per_entity=links_per_entity)
    if periods is not None:
        if fmt != "csv" or headers != "en":
            raise usage_error("--periods writes CSV directories with English headers; "
                              "convert a snapshot afterwards if needed",
                              "--periods 只写英文表头的 CSV 目录；如有需要，之后再转换某一期")
        from orgnet.loaders.snapshots import generate_snapshots

        with errors_to_click():
            result = generate_snapshots(out, periods=periods, counties=counties,
                                        entities=entities, **knobs)
        echo(generate_summary(out / result["periods"][0], result["counts"], lang))
        for line in snapshot_lines(result, lang):
            echo(line)
        return
    with errors_to_click():
        if fmt != "csv":
            counts = generate_small(out, fmt=fmt, chinese=headers == "zh", counties=counties,
                                    entities=entities, **knobs)
        else:
            total = entities
            if total is None and is_terminal():
                total = round((counties or 1) * entities_per_county(seed))
            with progress("Generating", length=total) as bar:
                counts = generate_dataset(out, counties=counties, entities=entities,
                                          progress=bar.update, **knobs)
            if headers == "zh":
                _to_chinese_files(out, convert_csv_dataset)
    echo(generate_summary(out, counts, lang))


def _is_occupied(out: Path) -> bool:
    """True when ``out`` is an existing file or a directory holding anything."""
    if out.is_dir():
        return any(out.iterdir())
    return out.exists() or out.is_symlink()


def _to_chinese_files(out: Path, convert) -> None:
    """Rewrite a generated CSV directory with Chinese file names, headers and values."""
    from orgnet.graphmodel.schema import TABLE_ORDER

    convert(out, out, fmt="csv", chinese=True)
    for table in TABLE_ORDER:
        (out / f"{table}.csv").unlink(missing_ok=True)


def snapshot_lines(result: dict, lang: str = "en") -> list[str]:
    """Return one line per later snapshot: how many fixes and new gaps were planted.

    Examples
    --------
    >>> planted = {"2025-Q2": {"fixed": {"coverage.uncovered_institution": [["V1"]],
    ...                                  "referral.one_way": []},
    ...                        "new": {"coverage.uncovered_institution": [],
    ...                                "referral.one_way": [["V2", "T1"], ["V3", "T1"]]}}}
    >>> snapshot_lines({"planted": planted})
    ['2025-Q2: planted 1 fix (1 coverage.uncovered_institution, 0 referral.one_way), 2 new gaps (0 coverage.uncovered_institution, 2 referral.one_way)']
    """
    lines = []
    for period, planted in result["planted"].items():
        fixed, new = planted["fixed"], planted["new"]
        n_fixed = sum(len(v) for v in fixed.values())
        n_new = sum(len(v) for v in new.values())
        if lang == "zh":
            detail = lambda part: "，".join(f"{k} {len(v)}" for k, v in part.items())  # noqa: E731
            lines.append(f"{period}：预设整改 {n_fixed} 处（{detail(fixed)}），"
                         f"新问题 {n_new} 处（{detail(new)}）")
        else:
            detail = lambda part: ", ".join(f"{len(v)} {k}" for k, v in part.items())  # noqa: E731
            lines.append(f"{period}: planted {n_fixed} fix{'es' if n_fixed != 1 else ''} "
                         f"({detail(fixed)}), {n_new} new gap{'s' if n_new != 1 else ''} "
                         f"({detail(new)})")
    return lines


def example_path() -> Path | None:
    """Return the bundled county example directory, or None when it is not installed.

    Looks next to the package (a source checkout or an editable install).

    Examples
    --------
    >>> path = example_path()
    >>> path is None or (path / "institutions.csv").exists()
    True
    """
    root = Path(__file__).resolve().parents[1]
    path = root / DEMO_EXAMPLE
    return path if (path / "institutions.csv").exists() else None


_DEMO_TEXT = {
    "en": {
        "generated": "The bundled example was not found; generated a small county into {path}",
        "checked": "Checked {path}: {institutions} institutions, {orgs} party orgs, "
                   "{members} members, {links} links.",
        "findings": "{total} findings: {high} high, {medium} medium, {low} low. "
                    "Organizational coverage {coverage}, own-branch rate {own}.",
        "top": "Most serious: {top}",
        "files": "Report:   {report}\nMap:      {map}\nFindings: {findings}",
    },
    "zh": {
        "generated": "未找到随附示例，已在 {path} 生成一个县的合成数据",
        "checked": "已检查 {path}：机构 {institutions} 个，党组织 {orgs} 个，人员 {members} 名，"
                   "关系 {links} 条。",
        "findings": "发现问题 {total} 项：高 {high}，中 {medium}，低 {low}。"
                    "组织覆盖率 {coverage}，单独组建率 {own}。",
        "top": "最突出：{top}",
        "files": "报告：{report}\n地图：{map}\n问题清单：{findings}",
    },
}


def _percent(rate) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def demo_summary(path, report, out: Path, lang: str = "en") -> str:
    """Return the lines the demo prints: what was checked, what was found, where the files are.

    Examples
    --------
    >>> from orgnet.queries.runner import Report
    >>> from orgnet.queries.finding import Finding
    >>> report = Report({"counts": {"Institution": 3}}, [Finding(
    ...     "coverage.uncovered_institution", "high", ("V1",), "V1 is not covered")])
    >>> print(demo_summary("county", report, Path("out")))  # doctest: +ELLIPSIS
    Checked county: 3 institutions, 0 party orgs, 0 members, 0 links.
    1 findings: 1 high, 0 medium, 0 low. Organizational coverage n/a, own-branch rate n/a.
    Most serious: ... (1)
    Report:   out/report.html
    Map:      out/map.html
    Findings: out/findings.json
    """
    from orgnet.graphmodel.schema import INSTITUTION, MEMBER, PARTY_ORG
    from orgnet.queries.catalog import CATALOG
    from orgnet.queries.finding import severity_rank

    text = _DEMO_TEXT[lang]
    summary = report.summary
    counts = summary.get("counts", {})
    severities = {"high": 0, "medium": 0, "low": 0}
    by_check: dict[str, int] = {}
    for finding in report.findings:
        severities[finding.severity] += 1
        by_check[finding.check] = by_check.get(finding.check, 0) + 1
    overall = summary.get("coverage", {}).get("overall", {})
    severity_of = {f.check: severity_rank(f.severity) for f in report.findings}
    top = sorted(by_check.items(), key=lambda item: (severity_of[item[0]], -item[1], item[0]))[:3]
    sep = "，" if lang == "zh" else ", "
    lines = [
        text["checked"].format(path=path, institutions=counts.get(INSTITUTION, 0),
                               orgs=counts.get(PARTY_ORG, 0), members=counts.get(MEMBER, 0),
                               links=counts.get("links", 0)),
        text["findings"].format(total=len(report.findings), **severities,
                                coverage=_percent(overall.get("coverage_rate")),
                                own=_percent(overall.get("own_branch_rate"))),
    ]
    if top:
        lines.append(text["top"].format(top=sep.join(
            (f"{_check_title(CATALOG, check, lang)}（{n}）" if lang == "zh"
             else f"{_check_title(CATALOG, check, lang)} ({n})") for check, n in top)))
    lines.append(text["files"].format(report=out / "report.html", map=out / "map.html",
                                      findings=out / "findings.json"))
    return "\n".join(lines)


def _check_title(catalog, check_id: str, lang: str) -> str:
    spec = catalog.get(check_id)
    return spec.title.get(lang, check_id) if spec is not None else check_id


@click.command()
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("orgnet-demo"), show_default=True,
              help="Directory for report.html, map.html and findings.json.")
@lang_option
@redact_option
def demo(out, lang, redact):
    """Run the whole job on the bundled county example: validate, check, report, map.

    Example: orgnet demo -o demo --lang zh
    """
    from orgnet.loaders import load_dataset
    from orgnet.loaders.generate import generate_dataset
    from orgnet.loaders.graph import build_graph
    from orgnet.queries.catalog import select_checks
    from orgnet.queries.runner import run_checks
    from orgnet.visualizations.maps import map_html
    from orgnet.visualizations.report import report_html

    with errors_to_click():
        out.mkdir(parents=True, exist_ok=True)
        path = example_path()
        if path is None:
            path = out / "data"
            generate_dataset(path, counties=1, seed=0)
            echo(_DEMO_TEXT[lang]["generated"].format(path=path), err=True)
        dataset = load_dataset(path)
        show_warnings(dataset)
        G = build_graph(dataset)
        with progress("运行检查" if lang == "zh" else "Checking",
                      length=len(select_checks())) as bar:
            result = run_checks(G, lang=lang, progress=bar.update).arranged(G)
        shown = redacted_report(result, G, lang) if redact else result
        files = {
            "report.html": report_html(G, result, lang=lang, redact=redact),
            "map.html": map_html(G, result.findings, lang=lang, redact=redact),
            "findings.json": json.dumps(shown.to_dict(), ensure_ascii=False, indent=1) + "\n",
        }
        for name, content in files.items():
            write_output(out / name, content, inputs=[path])
    echo(demo_summary(path, shown, out, lang))


COMMANDS = [generate, demo]
