"""Every notebook is committed clean, and every course notebook runs from top to bottom."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

COURSE = sorted((REPO / "course").glob("*.ipynb"))
ALL = sorted(
    p
    for folder in ("course", "exercises")
    for p in (REPO / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


def test_there_are_notebooks():
    """Does the course have lecture notebooks and exercises at all?"""
    assert COURSE, "course/ has no notebooks"
    assert any("exercises" in p.parts for p in ALL), "exercises/ has no notebooks"


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_notebook_is_committed_without_outputs(path):
    """Is the notebook stored with no outputs, no execution counts and the usual kernel?"""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]  # fmt: skip
    assert not dirty, f"cells with outputs: {dirty}"
    assert nb.metadata.get("kernelspec") == KERNELSPEC


@pytest.mark.slow
@pytest.mark.parametrize("path", COURSE, ids=_ids(COURSE))
def test_course_notebook_executes_cleanly(path, tmp_path):
    """Does the lecture run headless with no error and nothing written to stderr?"""
    work = tmp_path / path.name
    shutil.copy(path, work)  # run in a scratch folder: answers files must not land in course/
    nb = nbformat.read(work, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    stderr = [
        (i, o.get("text", "")[:300])
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not stderr, f"stderr output: {stderr}"
