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


def browser_says(table, **content) -> list[dict]:
    """Deliver ``content`` to a table's view as the browser's ``table.js`` sends it (the
    comm's custom message: ``action="add"``, ``"up"``/``"delete"`` with ``row``, ``"edit"``
    with ``row``, ``key``, ``value``) and return the messages the kernel sent back."""
    sent: list[dict] = []
    original = table.view.send
    table.view.send = lambda message, buffers=None: sent.append(message)
    try:
        table.view._handle_custom_msg(content, [])
    finally:
        table.view.send = original
    return sent
