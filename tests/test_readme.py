"""The README is the truth.

Every example in README.md — a fenced block whose first line is `$ sanshi …` — is run in order, in one
fresh folder holding the sample data (so a later example sees the history an earlier one imported), through
the real entry point at the terminal width the README states (100 columns), and what it prints, standard
output and standard error as a terminal interleaves them, must be the block. A line `...` alone stands for
any number of lines the README leaves out. The two commands .ci/run takes from the README are checked too.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COLUMNS = 100
SKIP = "..."


def _examples(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected lines) for every `$ sanshi` line of every example block, in README order."""
    examples = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M):
        if not block.startswith("$ "):
            continue
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.strip():
                command, *expected = chunk.rstrip("\n").split("\n")
                examples.append((command.removeprefix("$ "), expected))
    return examples


EXAMPLES = _examples(README)


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, trailing spaces ignored; `...` matches any run of lines, none included."""
    if not expected:
        return not actual
    if expected[0] == SKIP:
        return any(_matches(expected[1:], actual[at:]) for at in range(len(actual) + 1))
    return bool(actual) and expected[0].rstrip() == actual[0].rstrip() and _matches(expected[1:], actual[1:])


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Each example's exit code and output, run one after another in a folder with sample_data/ only (the
    document templates come with the package)."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "sample_data").symlink_to(ROOT / "sample_data")
    # This fixture is set up before the per-test isolation: it clears SANSHI_* and moves to the folder itself.
    env = {"COLUMNS": str(COLUMNS), **{key: None for key in os.environ if key.startswith("SANSHI_")}}
    here = Path.cwd()
    os.chdir(folder)
    try:
        results = []
        for command, _ in EXAMPLES:
            args = shlex.split(command)
            assert args[0] == "sanshi", command
            result = CliRunner().invoke(app, args[1:], env=env)
            results.append((result.exit_code, result.output))
        return results
    finally:
        os.chdir(here)


def test_the_readme_has_examples():
    commands = [command.split()[1] for command, _ in EXAMPLES]
    assert {"year", "awards", "demotions", "check", "notices"} <= set(commands), commands


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[c for c, _ in EXAMPLES])
def test_each_readme_example_prints_what_the_readme_shows(outputs, index):
    command, expected = EXAMPLES[index]
    code, output = outputs[index]
    # An example that shows an error shows a command that stops (exit 2); every other one completes.
    stops = any(line.startswith(("错误", "发现")) for line in expected)
    assert code == (2 if stops else 0), output
    assert _matches(expected, output.splitlines()), f"$ {command}\n{output}"


def test_skip_lines_match_any_run_of_lines():
    assert _matches(["a", SKIP, "d"], ["a", "b", "c", "d"])
    assert _matches(["a", SKIP, "b"], ["a", "b"])
    assert not _matches(["a", SKIP, "d"], ["a", "b", "c"])
    assert not _matches(["a", "b"], ["a", "b", "c"])


def _readme_command():
    spec = importlib.util.spec_from_file_location("readme_command", ROOT / ".ci" / "readme_command.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.readme_command


def test_ci_finds_exactly_one_main_and_one_test_command():
    readme_command = _readme_command()
    main, tests = readme_command("main"), readme_command("test")
    # The main job is the venv, the install and the one year-end command, on the sample data.
    assert main.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert main.count("&&") == 2 and " .venv/bin/sanshi year sample_data/2023.xlsx " in main
    assert tests.endswith(".venv/bin/python -m pytest")
    with pytest.raises(ValueError, match="found 2"):
        readme_command("main", README + "\n<!-- ci: main -->\n```\nsanshi year x\n```\n")
    with pytest.raises(ValueError, match="found 0"):
        readme_command("main", "no markers")


def test_every_image_the_readme_shows_is_in_the_repository():
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert len(images) == 5  # one page of each kind of document
    assert [image for image in images if not (ROOT / image).is_file()] == []
