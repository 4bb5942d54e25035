"""The README's commands work as written: every `partrack` subcommand it shows exists and takes
the flags it shows, every script it names is there, every file it links to exists."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PARTRACK = re.compile(r"^(?:\S*/)?partrack$")  # partrack, .venv/bin/partrack, /opt/…/partrack


def shell_blocks():
    """Each command line of the README's ```sh blocks (continuations joined, comments dropped)."""
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            for command in line.split(" && "):
                words = shlex.split(command, comments=True)
                if words:
                    yield words


def inline_commands():
    """Each `partrack …` or `script/…` written in backquotes in the text and the tables."""
    for span in re.findall(r"`([^`\n]+)`", README):
        span = span.replace("\\|", "|")
        if span.startswith(("partrack ", ".venv/bin/partrack ", "script/")):
            yield span


def parser_of(name):
    commands = get_commands()
    assert name in commands, f"the README shows `partrack {name}`, which does not exist"
    return load_command_class(commands[name], name).create_parser("partrack", name)


SHELL = list(shell_blocks())
INLINE = list(inline_commands())


def test_the_readme_shows_the_commands_this_test_reads():
    shown = {words[1] for words in SHELL if PARTRACK.match(words[0]) and len(words) > 1}
    assert {"migrate", "demo", "collectstatic", "check"} <= shown
    assert any(span.startswith("partrack build_report") for span in INLINE)


@pytest.mark.parametrize(
    "words", [w for w in SHELL if PARTRACK.match(w[0])], ids=lambda w: " ".join(w)
)
def test_each_partrack_command_in_a_shell_block_parses_as_written(words):
    assert len(words) > 1, "a bare `partrack` line"
    parser = parser_of(words[1])
    parser.parse_args(words[2:])  # raises CommandError on an unknown flag or a bad value


@pytest.mark.parametrize(
    "span", [s for s in INLINE if not s.startswith("script/")], ids=lambda s: s
)
def test_each_partrack_command_in_the_text_exists_with_its_flags(span):
    words = span.split()
    parser = parser_of(words[1])
    known = set(parser._option_string_actions)
    for flag in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", span):
        assert flag in known, f"`{span}`: partrack {words[1]} has no {flag}"


def test_every_script_the_readme_names_is_there_and_runs():
    scripts = {span.split()[0] for span in INLINE if re.match(r"script/\w", span)}
    scripts |= {w[0] for w in SHELL if w[0].startswith("script/")}
    assert "script/test" in scripts
    for script in scripts:
        path = ROOT / script
        assert path.is_file(), f"the README names {script}, which does not exist"
        assert os.access(path, os.X_OK), f"{script} is not executable"


def test_the_partrack_command_is_where_the_readme_says():
    # "call it as .venv/bin/partrack": the console script sits beside the venv's python.
    assert (Path(sys.executable).parent / "partrack").exists()
    assert ".venv/bin/partrack" in README
    assert "source .venv/bin/activate" in README


def test_every_file_the_readme_links_to_is_in_the_repository():
    targets = re.findall(r"\]\(([^)#\s]+)\)", README)
    assert "docs/domain.md" in targets
    for target in targets:
        if "://" in target:
            continue
        assert (ROOT / target).exists(), f"the README links to {target}, which does not exist"


def test_nothing_points_outside_the_repository():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    outside = re.compile("|".join([r"\.\./shared", "/work/" + "shared"]))
    offenders = []
    for name in listed.stdout.splitlines():
        path = ROOT / name
        readable = path.suffix in (".md", ".py", ".html", ".toml", "") and path.is_file()
        if readable and outside.search(path.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(name)
    assert offenders == []
