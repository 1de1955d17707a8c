"""Answer keys (``grader.trust.keys``): built from the source notebook in the sandbox, cached
for graders only, and refused, in Russian, when a test cell cannot serve as a key."""

from __future__ import annotations

import stat

import nbformat
import pytest

from grader.trust.keys import KeyError_, load_key

pytestmark = pytest.mark.slow


def _source(folder, test_source: str, points: int = 1):
    meta = {"grade": True, "grade_id": "test_double", "locked": True, "points": points,
            "schema_version": 3, "solution": False}  # fmt: skip
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("def double(x):\n    return 2 * x"),
            nbformat.v4.new_code_cell(test_source, metadata={"nbgrader": meta}),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = folder / "demo" / "demo.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


PROBE = (
    '"""Проверка."""\nfrom cxlab.probe import Probe as _Probe\n\n_p = _Probe()\n'
    '_p.call("r", double, 21)\n_p.rule(1, "r", label="удвоение")\n_p.emit()\n'
)


def test_a_key_is_the_solutions_observations_kept_for_graders_only(tmp_path):
    """Does the key hold the solution's value and rules, in a file only its owner reads?"""
    key = load_key(tmp_path / "keys", _source(tmp_path, PROBE))
    assert key["cells"]["test_double"]["values"] == {"r": 42}
    (path,) = (tmp_path / "keys").glob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("source", "points", "reason"),
    [
        ('"""Старая проверка."""\nassert double(2) == 4', 1, "отправила 0 ответов вместо 1"),
        (PROBE, 2, "правила дают 1.0 баллов, а у ячейки 2.0"),
    ],
)
def test_a_test_cell_that_cannot_be_a_key_is_refused_in_russian(tmp_path, source, points, reason):
    """Is an assert-style test cell, or rules that do not add up to the cell's points,
    refused with the cell and the reason?"""
    with pytest.raises(KeyError_, match=reason):
        load_key(tmp_path / "keys", _source(tmp_path, source, points))
