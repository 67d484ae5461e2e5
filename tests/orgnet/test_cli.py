"""Every command has help text, an example, and is documented in the README."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from orgnet.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_the_group_has_help_and_version():
    runner = CliRunner()
    assert runner.invoke(main, ["--help"]).exit_code == 0
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and "orgnet" in result.output


def test_the_contract_commands_exist():
    assert {"validate", "check", "map", "report", "load"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    summary = main.commands[name].get_short_help_str()
    assert summary.strip(), f"{name} has no help summary"
    assert f"orgnet {name}" in result.output, f"{name} --help shows no example command"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name):
    assert f"orgnet {name}" in README, f"README does not mention 'orgnet {name}'"
