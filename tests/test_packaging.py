"""Packaging: pyproject.toml and environment.yml install the same thing, and pip accepts
environment.yml's pip section as conda and repo2docker hand it over (a requirements file)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement


def _key(spec: str) -> tuple[str, str]:
    req = Requirement(spec)
    return re.sub(r"[-_.]+", "-", req.name).lower(), str(req.specifier)


def _pyproject() -> set[tuple[str, str]]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_key(s) for s in meta["dependencies"]}


def _environment() -> tuple[set[tuple[str, str]], list]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    specs, pip = set(), []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = dep["pip"]
        elif not dep.startswith(("python=", "pip")):
            specs.add(_key(dep))
    for line in pip:
        if not line.startswith("-"):
            specs.add(_key(line))
    return specs, pip


def test_environment_matches_pyproject():
    """Do environment.yml and pyproject.toml list the same dependencies and ranges?"""
    env, _pip = _environment()
    assert env == _pyproject()


def test_environment_installs_the_package_itself():
    """Does the conda environment install cxlab and grader from this checkout?"""
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    _specs, pip = _environment()
    assert "-e ." in pip
    assert "python=3.11" in env["dependencies"]


@pytest.mark.slow
def test_pip_accepts_and_resolves_the_pip_section(tmp_path):
    """Does pip install environment.yml's pip section, written to a requirements file the way
    conda does and run from the checkout? (A dry run: it parses every line, builds cxlab's
    metadata and resolves the whole set; "--no-deps -e ." was rejected here.)"""
    _specs, pip = _environment()
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(pip) + "\n", encoding="utf-8")
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report",
         str(report), "-r", str(requirements)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    planned = {item["metadata"]["name"] for item in json.loads(report.read_text())["install"]}
    assert "cxlab" in planned  # the checkout itself, editable


def test_python_floor():
    """Is Python 3.11 the declared floor, as the README promises?"""
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["requires-python"] == ">=3.11"
