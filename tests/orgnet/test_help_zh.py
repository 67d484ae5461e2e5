"""`--help` under zh: every command description and option help from orgnet._help_zh."""

import re

import click
import pytest
from click.testing import CliRunner

from orgnet._click_zh import _width, zh_wrap
from orgnet._help_zh import COMMANDS, OPTIONS, examples_of
from orgnet.cli import main

#: an English locale, no Neo4j
ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8", "NEO4J_URI": ""}
CLICK_OWN = {"Show this message and exit.", "Show the version and exit."}
NAMES = sorted(main.commands)


def run(args, env=None):
    result = CliRunner().invoke(main, args, env={**ENGLISH, **(env or {})}, prog_name="orgnet")
    assert result.exit_code == 0, result.output
    return result.stdout


def helped_options(command):
    """(parameter name, English help) of the options of ``command`` that have help."""
    return [(p.name, p.help) for p in command.params
            if isinstance(p, click.Option) and p.help and not p.hidden and p.help not in CLICK_OWN]


def test_the_catalog_covers_every_command_and_option_and_nothing_else():
    tree = {"orgnet": main, **main.commands}
    assert set(COMMANDS) == set(tree), "commands missing from / stale in orgnet._help_zh.COMMANDS"
    wanted = {(name, param) for name, command in tree.items()
              for param, _ in helped_options(command)}
    missing = sorted(wanted - set(OPTIONS))
    assert not missing, f"options without Chinese help: {missing}"
    assert not set(OPTIONS) - wanted, f"stale entries: {sorted(set(OPTIONS) - wanted)}"
    for key, text in list(OPTIONS.items()) + [(k, s + b) for k, (s, b) in COMMANDS.items()]:
        assert re.search(r"[\u4e00-\u9fff]", text), key
        assert "Example:" not in text, key


@pytest.mark.parametrize("name", NAMES)
def test_each_help_page_is_chinese(name):
    command = main.commands[name]
    if any(p.name == "lang" for p in command.params):
        page = run([name, "--help", "--lang", "zh"])
    else:                                               # cypher: the locale's language
        page = run([name, "--help"], {"LANG": "zh_CN.UTF-8"})
    short = COMMANDS[name][0]
    assert page.startswith(f"用法：orgnet {name} ")
    assert short[:10] in page
    for example in examples_of(command.help):           # the example commands, as they are
        assert " ".join(f"示例：{example}".split()) in " ".join(page.split())
    assert "Example:" not in page
    assert command.help.strip().splitlines()[0][:30] not in page
    flat = "".join(page.split())
    for param, english in helped_options(command):
        assert "".join(OPTIONS[(name, param)].split()) in flat, param
        assert "".join(english.split())[:25] not in flat, (param, english)
    for line in page.splitlines():                      # wrapped by display width (80 columns)
        assert _width(line) <= 80 or " " not in line.strip(), line


def test_orgnet_help_lists_the_commands_in_chinese():
    for args, env in ((["--help", "--lang", "zh"], None), (["--lang", "zh", "--help"], None),
                      (["--help"], {"LANG": "zh_CN.UTF-8"})):
        page = run(args, env)
        assert page.startswith("用法：orgnet [OPTIONS] COMMAND [ARGS]...")
        assert "查找基层医疗卫生网络（医共体）中党组织覆盖的缺口。" in page
        assert "命令：" in page and "Commands:" not in page
        for name in NAMES:
            assert re.search(rf"^  {name} +{re.escape(COMMANDS[name][0])}$", page, re.M), name
        assert not re.search(r"^ +--lang", page, re.M)   # the group's --lang stays hidden


def test_check_help_in_chinese_by_option_and_by_locale():
    for args, env in ((["check", "--help", "--lang", "zh"], None),
                      (["check", "--help"], {"LANG": "zh_CN.UTF-8"}),
                      (["check", "-h"], {"LC_ALL": "zh_CN.UTF-8"})):
        page = run(args, env)
        flat = "".join(page.split())
        assert "对数据集运行缺口检查，列出问题和整改建议。" in page
        assert "报告了该严重程度及以上的问题时，以退出码3退出。" in flat
        assert "xlsx为问题台账，需要-o。" in flat
        assert "LANG为中文时为zh，否则为en" in flat
        for english in ("Run the gap checks", "Exit 3 when", "Write to this file", "else en"):
            assert english not in page


def test_english_help_is_unchanged():
    """Under en every page is exactly what click itself writes for the command."""
    with CliRunner().isolation(env=ENGLISH):            # the terminal width of run()
        root = click.Context(main, info_name="orgnet", help_option_names=["-h", "--help"])
        pages = {"": click.Group.get_help(main, root)}
        for name in NAMES:
            command = main.commands[name]
            ctx = click.Context(command, parent=root, info_name=name)
            pages[name] = click.Command.get_help(command, ctx)
    assert run(["--help"]) == pages[""] + "\n"
    for name in NAMES:
        expected = pages[name]
        assert run([name, "--help"]) == expected + "\n", name
        if name == "cypher":
            continue
        assert run([name, "--help", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}) == expected + "\n"


def test_group_lang_is_passed_on_to_the_command():
    example = str(__import__("pathlib").Path(__file__).resolve().parents[2]
                  / "examples" / "county-medical-community")
    assert run(["--lang", "zh", "info", example]).startswith("数据集")
    assert run(["--lang", "zh", "info", example, "--lang", "en"]).startswith("Dataset")


def test_zh_wrap_breaks_between_chinese_characters_not_before_punctuation():
    text = "只看该时期的联系记录（2025、2025-Q4、2025-11 或日期；较细的时期归入较粗的时期）。"
    for width in range(12, 60):
        lines = zh_wrap(text, width).splitlines()
        assert "".join("".join(lines).split()) == "".join(text.split())
        for line in lines:
            assert _width(line) <= width or " " not in line
            assert line[0] not in "，。、；：）" and line[-1] not in "（"
    assert zh_wrap("第一段。\n\n第二段。", 40, "  ") == "  第一段。\n\n  第二段。"
