"""The set-up scripts give learners a Russian JupyterLab and testers a complete toolset."""

from __future__ import annotations

import json
import re
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
