"""Shared fixtures. Tests find the repository from here, never from the cwd."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# nbgrader's gradebook runs the `alembic` command: make this interpreter's scripts findable
# even when the tests are started without activating the virtual environment.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the matplotlib figures a test left open (widgets draw charts as they update)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")  # never import matplotlib just to close
    if pyplot is not None:
        pyplot.close("all")
