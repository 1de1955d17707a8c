"""Binder (repo2docker): ``postBuild`` and ``start`` give the lab ``scripts/course.sh`` gives.

The steps run as repo2docker runs them, in a fresh environment: a new virtual environment
(its prefix plays the image's ``NB_PYTHON_PREFIX``) that sees the installed packages through
a ``.pth`` file, as conda's would be; JupyterLab's built assets are linked in. ``postBuild``
must make the interface Russian in *that* prefix, and ``start`` must serve the course folder
(00_start, no exercises with solutions) with nbgrader's instructor tools off.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO
from lab import free_port, stop_process_tree, tail

pytestmark = pytest.mark.slow


def _fresh_env(tmp: Path) -> Path:
    env = tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site = next((env / "lib").glob("python3*/site-packages"))
    (site / "installed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    lab = env / "share" / "jupyter" / "lab"
    lab.mkdir(parents=True)
    built = Path(sys.prefix) / "share" / "jupyter"
    for name in ("static", "schemas", "themes"):
        (lab / name).symlink_to(built / "lab" / name)
    (env / "share" / "jupyter" / "labextensions").symlink_to(built / "labextensions")
    return env


def _get(url: str) -> tuple[int, str]:
    """Status and body; 0 while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def test_binder_steps_give_the_russian_course_rooted_lab(tmp_path):
    """After postBuild, does `start jupyter lab` serve course/ (not exercises/) in Russian,
    open at 00_start, with nbgrader's instructor tools off?"""
    env = _fresh_env(tmp_path)
    base_env = {
        **os.environ,
        "NB_PYTHON_PREFIX": str(env),
        "PATH": f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "0",
    }
    base_env.pop("JUPYTER_CONFIG_PATH", None)
    base_env.pop("JUPYTER_PATH", None)
    subprocess.run(["bash", str(REPO / "postBuild")], cwd=REPO, env=base_env, check=True)
    overrides = env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    locale = json.loads(overrides.read_text())["@jupyterlab/translation-extension:plugin"]
    assert locale == {"locale": "ru_RU"}

    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    command = [str(env / "bin" / "python"), "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}",
               f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["bash", str(REPO / "start"), *command],
            cwd=REPO, env=base_env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while _get(f"{base}/api/status?token={token}")[0] != 200:
            assert server.poll() is None and time.monotonic() < deadline, tail(log, 4000)
            time.sleep(0.3)
        status, listing = _get(f"{base}/api/contents?token={token}")
        names = {item["name"] for item in json.loads(listing)["content"]}
        assert "00_start.ipynb" in names, names
        assert not names & {"exercises", "grader", "postBuild"}, names
        assert _get(f"{base}/api/contents/../exercises?token={token}")[0] in (400, 403, 404)
        # The first page is the course's start, as with scripts/course.sh.
        request = urllib.request.Request(f"{base}/?token={token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.url.split("?")[0].endswith("/lab/tree/00_start.ipynb")
            page = response.read().decode("utf-8")
        config = json.loads(
            re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1)
        )
        disabled = config.get("disabledExtensions", [])
        assert "@jupyter/nbgrader:formgrader" in disabled, disabled
        status, settings = _get(
            f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={token}"
        )
        assert status == 200
        schema = json.loads(settings)["schema"]  # overrides.json replaces the defaults
        assert schema["properties"]["locale"]["default"] == "ru_RU", schema
    finally:
        stop_process_tree(server)
