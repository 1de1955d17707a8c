"""Every `grader` command explains itself with --help, and the console script is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from grader.cli import main

COMMANDS = [
    [], ["cohort"], ["cohort", "create"], ["cohort", "add"], ["cohort", "remove"],
    ["cohort", "list"], ["release"], ["collect"], ["autograde"], ["feedback"], ["report"],
    ["deadline"], ["deadline", "due"], ["deadline", "extend"], ["deadline", "penalty"],
    ["deadline", "show"], ["demo"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "grader")
def test_help(command, capsys):
    """Does `grader ... --help` exit 0 with a Russian usage line and Russian descriptions?"""
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("использование: grader")
    assert "--home" in out and "параметры:" in out and "показать эту справку" in out
    for english in ("usage:", "options:", "positional arguments", "show this help", "default:"):
        assert english not in out, english


def test_home_default_is_shown_without_a_doubled_slash(monkeypatch, capsys):
    """With CXLAB_HOME set to an absolute path, does the help avoid `.//tmp/...` and does
    grader use that folder?"""
    from grader.cli import default_home

    monkeypatch.setenv("CXLAB_HOME", "/tmp/somewhere")
    with pytest.raises(SystemExit):
        main(["release", "--help"])
    out = capsys.readouterr().out
    assert ".//" not in out and "./cohorts" in out
    assert str(default_home()) == "/tmp/somewhere"
    monkeypatch.delenv("CXLAB_HOME")
    assert str(default_home()) == "cohorts"


def test_usage_errors_are_russian(capsys):
    """Are argparse's own errors (a missing argument, an unknown command) said in Russian,
    with exit status 2?"""
    with pytest.raises(SystemExit) as done:
        main(["cohort", "create", "c1"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "не хватает аргументов: --roster" in err and "required" not in err
    with pytest.raises(SystemExit) as done:
        main(["frobnicate"])
    err = capsys.readouterr().err
    assert "нет варианта 'frobnicate'" in err and "invalid choice" not in err
    with pytest.raises(SystemExit):
        main(["autograde", "c1", "--jobs", "0"])
    assert "нужно не меньше 1" in capsys.readouterr().err


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
