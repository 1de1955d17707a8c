"""The set-up scripts give learners a Russian JupyterLab and testers a complete toolset."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_russian_language_pack_is_visible_to_jupyterlab():
    """Does JupyterLab's translation service find the ru_RU language pack?"""
    from jupyterlab_server.translation_utils import get_language_packs

    packs, _messages = get_language_packs()
    assert "ru_RU" in packs


def test_setup_makes_russian_the_default_locale():
    """Did the set-up script make ru_RU the default locale of this environment?"""
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.is_file(), "run the README's command (scripts/test.sh), it writes this file"
    settings = json.loads(overrides.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/translation-extension:plugin"]["locale"] == "ru_RU"


def test_setup_script_writes_the_same_overrides():
    """Does scripts/_setup.sh hold valid JSON with the ru_RU locale for overrides.json?"""
    script = (REPO / "scripts" / "_setup.sh").read_text(encoding="utf-8")
    block = re.search(r"<<'JSON'\n(.*?)\nJSON\n", script, re.S)
    assert block, "the overrides heredoc is missing"
    settings = json.loads(block.group(1))
    assert settings["@jupyterlab/translation-extension:plugin"]["locale"] == "ru_RU"


def test_scripts_are_valid_bash():
    """Do all set-up scripts and .ci/run parse as bash?"""
    for script in [*sorted((REPO / "scripts").glob("*.sh")), REPO / ".ci" / "run"]:
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_ci_runs_the_readme_test_command():
    """Is .ci/run the README's test command, so CI tests what a newcomer runs?"""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme and "bash scripts/course.sh" in readme
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_setup_reinstalls_only_when_pyproject_changes(tmp_path):
    """Does cxlab_setup skip `pip install -e .` when pyproject.toml is unchanged since the last
    install, and run it again when pyproject.toml changes?"""
    shutil.copy(REPO / "scripts" / "_setup.sh", tmp_path / "_setup.sh")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    log = tmp_path / "pip.log"
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    # A stand-in interpreter: records pip calls, "imports" cxlab and grader.
    fake.write_text(f'#!/bin/sh\n[ "$2" = pip ] && echo "$*" >> {log}\nexit 0\n')
    fake.chmod(0o755)

    def setup(extra=""):
        subprocess.run(
            ["bash", "-c", f"source _setup.sh && cxlab_setup {extra}"],
            cwd=tmp_path, check=True, capture_output=True, text=True,
            env={**os.environ, "PYTHON": sys.executable},
        )  # fmt: skip
        return log.read_text().count("install --quiet -e") if log.exists() else 0

    assert setup() == 1
    assert setup() == 1  # unchanged: skipped
    assert json.loads((tmp_path / ".venv/share/jupyter/lab/settings/overrides.json").read_text())
    assert setup("test") == 2  # another extra
    assert setup() == 2  # the test install has everything a plain start needs
    with (tmp_path / "pyproject.toml").open("a") as f:
        f.write("\n# changed\n")
    assert setup() == 3
    assert "-e .[test]" in log.read_text().splitlines()[-1]  # keeps the extra it had
