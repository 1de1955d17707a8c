"""Every `grader` command explains itself with --help, and the console script is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from grader.cli import main

COMMANDS = [
    [], ["cohort"], ["cohort", "create"], ["cohort", "list"], ["release"], ["collect"],
    ["autograde"], ["feedback"], ["report"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "grader")
def test_help(command, capsys):
    """Does `grader ... --help` exit 0 with a usage line and a description of the options?"""
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: grader")
    assert "--home" in out


def test_autograde_help_names_jobs_and_force(capsys):
    """Does the autograde help document --jobs and --force?"""
    with pytest.raises(SystemExit):
        main(["autograde", "--help"])
    out = capsys.readouterr().out
    assert "--jobs" in out and "--force" in out


def test_console_script_is_installed():
    """Is `grader` on PATH in the environment, and does it answer --help?"""
    exe = shutil.which("grader")
    assert exe, "the grader console script is missing: reinstall with pip install -e ."
    done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "cohort" in done.stdout
