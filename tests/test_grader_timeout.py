"""A learner's infinite loop at autograde: the cell is interrupted after the cell timeout,
scored as failed with a Russian explanation, the rest of the notebook is still graded, and
the other submissions of the batch are graded as usual (``grader autograde --timeout``).

The assignment is a tiny synthetic one (two tasks, one point each), built in the test's own
source folder, so that the test pays for two short submissions, not for a course module.
"""

from __future__ import annotations

import nbformat
import pytest

from grader.cli import main
from grader.cohort import Cohort
from grader.config import TIMEOUT_MESSAGE
from grader.course import Learner

pytestmark = pytest.mark.slow

ASSIGNMENT = "loop_demo"
TIMEOUT = 3

SOLUTION_1 = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
SOLUTION_2 = "def half(x):\n    ### BEGIN SOLUTION\n    return x / 2\n    ### END SOLUTION\n"
PROBE = (
    '"""Проверяем {name}."""\nfrom cxlab.probe import Probe as _Probe\n\n_p = _Probe()\n'
    '_p.call("r", {name}, {arg})\n_p.rule(1, "r", label="Проверьте {name}.")\n_p.emit()\n'
)
TEST_1 = PROBE.format(name="double", arg=21)
TEST_2 = PROBE.format(name="half", arg=42)

ROSTER = (
    "id,last name,first name,email,agency\n"
    "looper,Циклова,Анна,a@example.ru,МФЦ\n"
    "solver,Решетов,Борис,b@example.ru,МФЦ\n"
)


def _cell(source: str, grade_id: str, *, solution: bool) -> nbformat.NotebookNode:
    meta = {"grade_id": grade_id, "schema_version": 3, "solution": solution}
    if solution:
        meta.update(grade=False, locked=False)
    else:
        meta.update(grade=True, locked=True, points=1)
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def _source_tree(exercises):
    folder = exercises / ASSIGNMENT
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        _cell(SOLUTION_1, "double", solution=True),
        _cell(TEST_1, "test_double", solution=False),
        _cell(SOLUTION_2, "half", solution=True),
        _cell(TEST_2, "test_half", solution=False),
    ]
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("timeout")
    home, exercises = tmp / "home", tmp / "exercises"
    _source_tree(exercises)
    roster = tmp / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["--home", str(home), "cohort", "create", "t1", "--roster", str(roster)]) == 0
    # The cohort's source is the repository's exercises/: here, the test's own folder.
    cohort = Cohort.load(home, "t1")
    cohort.exercises = exercises
    course = cohort.course
    course.generate(ASSIGNMENT)
    course.release(ASSIGNMENT)
    for student in ("looper", "solver"):
        learner = Learner(student, tmp / student, course_id="t1", exchange_root=cohort.exchange)
        folder = learner.fetch(ASSIGNMENT)
        path = folder / f"{ASSIGNMENT}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id == "double":
                cell.source = (
                    "def double(x):\n    while True:\n        pass\n"
                    if student == "looper"
                    else "def double(x):\n    return x + x\n"
                )
            elif grade_id == "half":
                cell.source = "def half(x):\n    return x / 2\n"
        nbformat.write(nb, path)
        learner.submit(ASSIGNMENT)
    course.collect(ASSIGNMENT)
    from grader.parallel import autograde

    course.cell_timeout = TIMEOUT
    outcomes = autograde(course, ASSIGNMENT, jobs=2)
    return course, outcomes


def test_the_batch_is_graded_and_the_loop_costs_only_its_task(graded):
    """Is the looping submission graded (not failed), with 0 for the looping task and the
    point of the task after it, while the other learner gets full marks?"""
    course, outcomes = graded
    assert [(o.student, o.ok, o.reason) for o in outcomes] == [
        ("looper", True, ""),
        ("solver", True, ""),
    ]
    assert course.scores(ASSIGNMENT, "looper") == {"test_double": 0.0, "test_half": 1.0}
    assert course.scores(ASSIGNMENT, "solver") == {"test_double": 1.0, "test_half": 1.0}
    # The interrupted cell takes about the timeout, not the whole grading run.
    looper = next(o for o in outcomes if o.student == "looper")
    assert looper.seconds < TIMEOUT + 60


def test_the_learner_reads_why_in_russian(graded):
    """Does the graded notebook and the feedback say in Russian that the cell ran too long?"""
    course, _ = graded
    path = course.path("autograded", ASSIGNMENT, "looper") / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    test_cell = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "test_double")
    # The grader's verdict replaces the test cell's outputs and says why it got no answer.
    printed = "".join(o.get("text", "") for o in test_cell.outputs)
    message = TIMEOUT_MESSAGE.format(seconds=TIMEOUT)
    assert f"Проверка не получила ответа от тетради: CellTimeoutError: {message}" in printed
    course.feedback(ASSIGNMENT, "looper")
    html = (course.path("feedback", ASSIGNMENT, "looper") / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8"
    )
    assert f"дольше {TIMEOUT} с и была остановлена" in html


def test_a_timeout_below_one_second_is_refused(capsys):
    """Is ``--timeout 0`` refused as bad input (exit 2) before anything is touched?"""
    with pytest.raises(SystemExit) as exc:
        main(["autograde", "nosuchcohort", "--timeout", "0"])
    assert exc.value.code == 2
    assert "аргумент --timeout: нужно не меньше 1" in capsys.readouterr().err
