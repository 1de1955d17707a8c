"""The table of assignments in ``exercises/README.md`` tells the truth about the notebooks.

Each row gives the outcomes assessed, the autograded and manual points, the core and analyst
tracks' points («—» for an assignment not yet converted to the two tracks) and the learner's
time; the notebooks' headers and nbgrader metadata are the source of truth.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import REPO
from exercise_harness import analyst_points, auto_points, is_two_track, manual_points

EXERCISES = REPO / "exercises"
# Lecture modules whose assignment is not written yet; every other lecture module needs one.
PENDING: set[str] = set()
ASSIGNMENTS = sorted(p.parent.name for p in EXERCISES.glob("*/*.ipynb") if p.stem == p.parent.name)
ROW = re.compile(
    r"^\|\s*`(?P<name>\d\d_[a-z_]+)`\s*\|[^|]*\|\s*(?P<outcomes>[\d, ]+)\s*\|"
    r"\s*(?P<auto>[\d.]+)\s*\|\s*(?P<manual>[\d.]+)\s*\|\s*(?P<total>[\d.]+)\s*\|"
    r"\s*(?P<core>[\d.]+|—)\s*\|\s*(?P<analyst>[\d.]+|—)\s*\|"
    r"\s*(?P<minutes>\d+) min\s*\|\s*$"
)
TIME = re.compile(r"^\*\*Время выполнения:\*\* около (\d+) минут\.$", re.M)
OUTCOMES = re.compile(r"^\*\*Проверяемые результаты обучения модуля (\d+):\*\* ([\d, ]+)\.$", re.M)


def _table() -> dict[str, dict[str, str]]:
    text = (EXERCISES / "README.md").read_text(encoding="utf-8")
    return {m["name"]: m.groupdict() for m in map(ROW.match, text.splitlines()) if m}


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _header(name: str) -> str:
    nb = nbformat.read(EXERCISES / name / f"{name}.ipynb", as_version=4)
    return nb.cells[0].source


def _lecture_outcomes(name: str) -> list[int]:
    """Numbers of the learning outcomes listed in the module's lecture notebook."""
    nb = nbformat.read(REPO / "course" / f"{name}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells[:3] if c.cell_type == "markdown")
    block = text.split("## Результаты обучения", 1)[1].split("\n## ", 1)[0]
    return [int(n) for n in re.findall(r"^(\d+)\. ", block, re.M)]


def test_every_assignment_has_a_row_and_every_row_an_assignment():
    """Does the table list exactly the assignments in exercises/?"""
    assert ASSIGNMENTS, "exercises/ has no assignments"
    assert sorted(_table()) == ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_row_matches_the_notebook(name):
    """Do the points, outcomes and time in the row match the notebook's metadata and header?"""
    row = _table()[name]
    header = _header(name)
    time = TIME.search(header)
    outcomes = OUTCOMES.search(header)
    assert time and outcomes, f"{name}: the header lacks the time or the outcomes line"
    assert outcomes[1] == name[:2].lstrip("0"), f"{name}: the outcomes line names another module"
    auto = sum(auto_points(name).values())
    manual = manual_points(name)
    if is_two_track(name):
        analyst = analyst_points(name)
        tracks = (f"{auto + manual - analyst:g}", f"{analyst:g}")
    else:
        tracks = ("—", "—")
    expected = (
        f"| `{name}` | … | {outcomes[2]} | {auto:g} | {manual:g} | {auto + manual:g} "
        f"| {tracks[0]} | {tracks[1]} | {time[1]} min |"
    )
    assert _numbers(row["outcomes"]) == _numbers(outcomes[2]), expected
    assert float(row["auto"]) == auto, expected
    assert float(row["manual"]) == manual, expected
    assert float(row["total"]) == auto + manual, expected
    assert (row["core"], row["analyst"]) == tracks or (
        "—" not in tracks
        and tuple(map(float, (row["core"], row["analyst"]))) == tuple(map(float, tracks))
    ), expected
    assert row["minutes"] == time[1], expected
    assert int(time[1]) % 5 == 0, f"{name}: give the time in multiples of 5 minutes"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_outcomes_exist_in_the_lecture_and_all_are_assessed(name):
    """Is every outcome the lecture promises assessed by its assignment, and no other?"""
    header_outcomes = _numbers(OUTCOMES.search(_header(name))[2])
    assert header_outcomes == sorted(set(header_outcomes))
    assert header_outcomes == _lecture_outcomes(name)


def test_every_lecture_module_has_an_assignment_or_is_pending():
    """Does every lecture module after 00 have its assignment, except those listed as pending?"""
    lectures = sorted(p.stem for p in (REPO / "course").glob("[0-9][0-9]_*.ipynb"))
    modules = [name for name in lectures if not name.startswith("00_")]
    missing = [name for name in modules if name not in ASSIGNMENTS and name not in PENDING]
    assert not missing, f"lecture modules without an assignment: {missing}"
    done = sorted(PENDING & set(ASSIGNMENTS))
    assert not done, f"assignments no longer pending (remove them from PENDING): {done}"
    assert PENDING <= set(modules), "PENDING names a module that has no lecture"
