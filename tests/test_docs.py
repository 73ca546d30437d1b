"""Everything a user can type or configure is documented in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import cli
from generator.overrides import load_yaml_tree, validate
from generator.plugin import CorroborateConfig
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def test_every_cli_command_and_option_is_documented() -> None:
    commands = _subcommands()
    assert set(commands) == {"build", "export", "check", "schema"}
    for name, parser in commands.items():
        assert f"corroborate {name}" in README, name
        for action in parser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"{name} {flag}"


def test_every_plugin_option_is_documented() -> None:
    for option in CorroborateConfig._schema:
        assert f"{option[0]}:" in README, option[0]


def test_the_first_two_commands_are_make_site_and_make_test() -> None:
    blocks = [line.strip() for line in README.splitlines() if line.strip().startswith("make ")]
    assert blocks[:2] == ["make site", "make test"]


def test_the_readme_overrides_example_is_valid() -> None:
    """The README's overrides example is what an editor copies: it must pass the schema."""
    start = README.index("Everything the file can say:")
    block = README[start:].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "entities:" in block and "boilerplate:" in block
    data, marks, problems = load_yaml_tree(Path("overrides.yaml"), block)
    assert problems == []
    assert validate(Path("overrides.yaml"), data, marks) == []
