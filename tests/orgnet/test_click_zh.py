"""Click's own words follow --lang (and LANG / LC_ALL): usage errors, help, Error: lines."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from orgnet._click_zh import zh_message
from orgnet.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "county-medical-community")
#: the environment of a run that names no language: an English locale (and no Neo4j)
ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", "NEO4J_URI": ""}

#: (arguments, the error line in zh, the error line in en); each exits 2
USAGE_ERRORS = [
    (["check", "--nope"], "错误：没有选项 '--nope'。", "Error: No such option '--nope'."),
    (["check", EXAMPLE, "--format", "xml"],
     "错误：'--format' 的值无效：'xml' 不是可选值 'table', 'json'",
     "Error: Invalid value for '--format': 'xml' is not one of 'table', 'json'"),
    (["info"], "错误：缺少参数 'PATH'。", "Error: Missing argument 'PATH'."),
    (["nosuch"], "错误：没有命令 'nosuch'。", "Error: No such command 'nosuch'."),
    (["check", EXAMPLE, "extra"], "错误：多余的参数：extra",
     "Error: Got unexpected extra argument (extra)"),
    (["check", EXAMPLE, "-o"], "错误：选项 '-o' 需要一个值。",
     "Error: Option '-o' requires an argument."),
    (["check", EXAMPLE, "--only", "nosuchcheck"],
     "错误：'--only' / '--skip' 的值无效：未知的检查或类别：nosuchcheck",
     "Error: Invalid value for '--only' / '--skip': unknown check or family: nosuchcheck"),
    (["compare", EXAMPLE, "--set", "branch_max_members=many"],
     "错误：'--set' 的值无效：阈值 branch_max_members 应为非负整数，而不是 'many'",
     "Error: Invalid value for '--set': threshold branch_max_members needs a non-negative"),
    (["check", EXAMPLE, "--format", "xlsx"], "错误：--format xlsx 输出工作簿：请用 -o 指定 FILE.xlsx",
     "Error: --format xlsx writes a workbook: give -o FILE.xlsx"),
    (["compare", EXAMPLE], "错误：请给出两个数据集：orgnet compare BEFORE AFTER",
     "Error: give two datasets: orgnet compare BEFORE AFTER"),
    (["check"], "错误：缺少数据集 PATH（或用 --neo4j URI 从 Neo4j 读取）",
     "Error: missing dataset PATH (or --neo4j URI to read from Neo4j)"),
    (["generate", "--counties", "1", "--entities", "9", "out"],
     "错误：请给出 --counties 或 --entities，不要同时给出",
     "Error: give --counties or --entities, not both"),
    (["plan", EXAMPLE, "-o", "fixed"], "错误：-o FIXED 是 --apply 写出整改后数据集的位置：请加 --apply",
     "Error: -o FIXED is where --apply writes the fixed dataset: add --apply"),
    (["whatif", EXAMPLE], "错误：请至少给出一项变更：--remove、--cut、--add-link 或 --move",
     "Error: give at least one change: --remove, --cut, --add-link or --move"),
    (["resilience", EXAMPLE, "--set", "nosuch=1"], "错误：'--set' 的值无效：未知的阈值 'nosuch'",
     "Error: Invalid value for '--set': unknown threshold 'nosuch'"),
    (["export", EXAMPLE, "-o", "out.txt"],
     "错误：请给出 --format graphml、gexf 或 csv（或 -o FILE.graphml、FILE.gexf）",
     "Error: give --format graphml, gexf or csv"),
    (["template", "-o", "t.csv"], "错误：模板是 .xlsx 工作簿：请用 -o FILE.xlsx，而不是 t.csv",
     "Error: the template is an .xlsx workbook: give -o FILE.xlsx, not t.csv"),
    (["validate", EXAMPLE, "--annotate", "a.xlsx"], "错误：--annotate 只能标注 .xlsx 工作簿中的单元格",
     "Error: --annotate marks cells of an .xlsx workbook"),
    (["load", EXAMPLE], "错误：没有指定 Neo4j 服务器：请给出 --neo4j URI 或设置 NEO4J_URI",
     "Error: no Neo4j server given: pass --neo4j URI or set NEO4J_URI"),
]


def run(args, env=None):
    return CliRunner().invoke(main, args, env={**ENGLISH, **(env or {})}, prog_name="orgnet")


@pytest.mark.parametrize("args, zh, en", USAGE_ERRORS,
                         ids=["option", "choice", "missing", "command", "extra", "value",
                              "only", "set", "xlsx", "compare", "path", "generate", "plan",
                              "whatif", "resilience", "export", "template", "annotate", "load"])
def test_usage_errors_speak_the_language_asked_for(args, zh, en):
    english = run(args[:1] + ["--lang", "en"] + args[1:])
    assert english.exit_code == 2, english.output
    assert en in english.stderr
    chinese = run(args[:1] + ["--lang", "zh"] + args[1:])
    assert chinese.exit_code == 2, chinese.output
    assert zh in chinese.stderr
    for english_word in ("Usage:", "Error:", "Try '", "for help", "Invalid value", "Missing"):
        assert english_word not in chinese.stderr, chinese.stderr
    if "-o" not in args[-1:]:               # click shows no usage for an option's missing value
        assert chinese.stderr.startswith(f"用法：orgnet {args[0] if args[0] != 'nosuch' else ''}")
        command = "orgnet" if args[0] == "nosuch" else f"orgnet {args[0]}"
        assert f"请运行 '{command} --help' 查看帮助。" in chinese.stderr


def test_cypher_follows_the_locale():
    """cypher has no --lang: its messages follow LANG / LC_ALL."""
    result = run(["cypher", "--neo4j", "bolt://127.0.0.1:9"], {"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2 and "错误：请给出 QUERY 或 -f FILE.cypher（二者之一）" in result.stderr
    result = run(["cypher", "--neo4j", "bolt://127.0.0.1:9"])
    assert "Error: give either a QUERY or -f FILE.cypher (one of them)" in result.stderr


@pytest.mark.parametrize("env", [{"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8"},
                                 {"LANG": "zh_TW.UTF-8"}])
def test_a_chinese_locale_makes_zh_the_default(env):
    result = run(["check", "--nope"], env)
    assert result.exit_code == 2 and "错误：没有选项 '--nope'。" in result.stderr
    # --lang en still wins, wherever it stands
    result = run(["check", "--lang", "en", "--nope"], env)
    assert "Error: No such option '--nope'." in result.stderr
    # and the default of --lang follows the locale: the findings table is in Chinese
    result = run(["check", EXAMPLE], env)
    assert result.exit_code == 0 and result.stdout.startswith("数据集 ")


def test_an_english_locale_keeps_english():
    result = run(["check", "--nope"])
    assert result.stderr.startswith("Usage: orgnet check") and "错误" not in result.stderr
    assert run(["check", EXAMPLE]).stdout.startswith("Dataset ")


def test_help_pages_in_chinese():
    result = run(["check", "--help", "--lang", "zh"])
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：orgnet check [OPTIONS] [PATH]")
    assert "选项：" in result.stdout and "显示本帮助并退出。" in result.stdout
    assert "Usage:" not in result.stdout and "Options:" not in result.stdout
    group = run(["--help"], {"LANG": "zh_CN.UTF-8"})
    assert group.stdout.startswith("用法：orgnet") and "命令：" in group.stdout
    assert run(["--help"]).stdout.startswith("Usage: orgnet")


def test_orgnet_errors_start_with_the_languages_error_word(tmp_path):
    missing = str(tmp_path / "nothing-here")
    chinese = run(["check", missing, "--lang", "zh"])
    assert chinese.exit_code == 1 and chinese.stderr.startswith("错误：")
    english = run(["check", missing, "--lang", "en"])
    assert english.exit_code == 1 and english.stderr.startswith("Error: ")
    # a plain click.ClickException raised by a command gets the zh word too
    chinese = run(["plan", EXAMPLE, "--apply", "-o", EXAMPLE, "--lang", "zh"])
    assert chinese.exit_code == 1 and chinese.stderr.startswith("错误："), chinese.stderr


@pytest.mark.parametrize("args, zh, en", [
    (["check", EXAMPLE, "-o", "{out}/c.json"], "已写入 {out}/c.json：问题", "wrote {out}/c.json: "),
    (["compare", EXAMPLE, EXAMPLE, "-o", "{out}/d.md"], "已写入 {out}/d.md：无变化",
     "wrote {out}/d.md: no changes"),
    (["map", EXAMPLE, "-o", "{out}/m.html"], "已写入 {out}/m.html（", "Wrote {out}/m.html ("),
    (["report", EXAMPLE, "-o", "{out}/r.html"], "已写入 {out}/r.html（", "Wrote {out}/r.html ("),
    (["metrics", EXAMPLE, "-o", "{out}/me.csv"], "已写入 {out}/me.csv：机构", "wrote {out}/me.csv: "),
    (["export", EXAMPLE, "--format", "gexf", "-o", "{out}/g.gexf"], "已写入 {out}/g.gexf：实体",
     "wrote {out}/g.gexf: "),
    (["template", "-o", "{out}/t.xlsx"], "已写入 {out}/t.xlsx：", "wrote {out}/t.xlsx: "),
], ids=["check", "compare", "map", "report", "metrics", "export", "template"])
def test_wrote_lines_speak_the_language(tmp_path, args, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        out = tmp_path / lang
        out.mkdir()
        result = run([a.format(out=out) for a in args] + ["--lang", lang])
        assert result.exit_code == 0, result.output
        assert expected.format(out=out) in result.stderr
        if lang == "zh":
            assert "rote " not in result.stderr


def test_zh_message_passes_unknown_messages_through():
    import click

    assert zh_message(click.UsageError("something new")) == "something new"
    assert zh_message(click.ClickException("plain")) == "plain"


def test_aborted_in_chinese(monkeypatch):
    """click's "Aborted!" (here: end of input at a confirmation prompt) is 已中止！ under zh."""
    import click

    from orgnet._click_zh import OrgnetGroup

    @click.group(cls=OrgnetGroup)
    def group():
        pass

    @group.command()
    @click.option("--lang", default="en")
    def ask(lang):
        click.confirm("sure?", abort=True)

    runner = CliRunner()
    chinese = runner.invoke(group, ["ask", "--lang", "zh"], input="n\n", env=ENGLISH)
    assert chinese.exit_code == 1 and "已中止！" in chinese.stderr
    assert "Aborted!" not in chinese.output
    english = runner.invoke(group, ["ask"], input="n\n", env=ENGLISH)
    assert english.exit_code == 1 and "Aborted!" in english.stderr


def test_output_errors_in_both_languages(tmp_path):
    """The writer layer's errors (an output over an input, a missing directory) in zh."""
    over = str(Path(EXAMPLE) / "links.csv")
    chinese = run(["check", EXAMPLE, "-o", over, "--lang", "zh"])
    assert chinese.exit_code == 1
    assert chinese.stderr.startswith(f"错误：不会写入 {over}：它是本命令的输入")
    english = run(["check", EXAMPLE, "-o", over, "--lang", "en"])
    assert english.stderr.startswith(f"Error: refusing to write {over}: it is an input")
    missing = str(tmp_path / "no-such-dir" / "x.json")
    chinese = run(["check", EXAMPLE, "-o", missing, "--lang", "zh"])
    assert chinese.exit_code == 1 and chinese.stderr.startswith(f"错误：无法写入 {missing}：目录不存在")
    chinese = run(["template", "-o", str(tmp_path / "no-such-dir" / "t.xlsx"), "--lang", "zh"])
    assert chinese.exit_code == 1 and "错误：无法写入 " in chinese.stderr and "目录不存在" in chinese.stderr
