"""Exercise 02 through the real nbgrader pipeline: generate, release, fetch, submit,
collect, autograde, with a filesystem exchange in a temporary folder.

Learners: ``alice`` submits the source folder as it is (the reference full-marks
submission), ``bob`` submits the blank release, ``carol`` answers only the widget task and
gets five of the eight observations right.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import nbformat
import pytest
from conftest import REPO

from grader.course import Course, Learner

pytestmark = pytest.mark.slow

ASSIGNMENT = "02_empathy"
SOURCE = REPO / "exercises" / ASSIGNMENT
ANSWERS = f"{ASSIGNMENT}.answers.json"
CAROL_SORT = {  # five right (o1, o2, o3, o5, o6), three wrong
    "o1": "says", "o2": "does", "o3": "thinks", "o4": "says",
    "o5": "says", "o6": "does", "o7": "feels", "o8": "does",
}  # fmt: skip


def _auto_points() -> dict[str, float]:
    nb = nbformat.read(SOURCE / f"{ASSIGNMENT}.ipynb", as_version=4)
    return {
        c.metadata.nbgrader["grade_id"]: float(c.metadata.nbgrader["points"])
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("course02")
    exchange = tmp / "exchange"
    exchange.mkdir()
    course = Course(tmp / "course", exchange_root=exchange)
    course.generate(ASSIGNMENT)
    course.release(ASSIGNMENT)

    alice, bob, carol = (
        Learner(n, tmp / n, exchange_root=exchange) for n in ("alice", "bob", "carol")
    )
    for learner in (alice, bob, carol):
        learner.fetch(ASSIGNMENT)
    for item in SOURCE.iterdir():
        shutil.copy(item, alice.assignment_dir(ASSIGNMENT) / item.name)
    carol_answers = {
        "format": "cxlab-answers",
        "version": 1,
        "answers": {"empathy_sort": {"value": CAROL_SORT, "saved_at": "2026-11-22T10:00:00+00:00"}},
    }
    (carol.assignment_dir(ASSIGNMENT) / ANSWERS).write_text(
        json.dumps(carol_answers, ensure_ascii=False), encoding="utf-8"
    )
    for learner in (alice, bob, carol):
        learner.submit(ASSIGNMENT)
    course.collect(ASSIGNMENT)
    for name in ("alice", "bob", "carol"):
        course.autograde(ASSIGNMENT, name)
    course.feedback(ASSIGNMENT, "carol")
    return course, {n: course.scores(ASSIGNMENT, n) for n in ("alice", "bob", "carol")}


def test_release_holds_no_solution_hidden_test_or_answers(graded):
    """Does the released folder hide solutions, hidden tests, mark schemes and answer files?"""
    course, _ = graded
    release = course.path("release", ASSIGNMENT)
    assert sorted(p.name for p in release.iterdir()) == [f"{ASSIGNMENT}.ipynb"]
    text = (release / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    for secret in (
        "BEGIN SOLUTION",
        "HIDDEN TESTS",
        "MARK SCHEME",
        "medical.nunique()),",  # a line of the solution
        "def _reference(",  # the hidden test's reference computation
        '"o4": "feels"',  # the empathy-sort key
        "Пример сильного ответа",  # the mark scheme's model answer
        "Этими вопросами я проверяю",  # the model free-text answer
    ):
        assert secret not in text, secret
    assert "ВАШ КОД ЗДЕСЬ" in text and "ВАШ ОТВЕТ ЗДЕСЬ" in text


def test_solution_gets_full_autograded_marks(graded):
    """Does the source folder, submitted as it is, earn every autograded point?"""
    _, scores = graded
    assert scores["alice"] == _auto_points()


def test_blank_release_scores_zero(graded):
    """Does an untouched release score zero on every cell?"""
    _, scores = graded
    assert set(scores["bob"]) >= set(_auto_points())
    assert all(v == 0 for v in scores["bob"].values()), scores["bob"]


def test_widget_answers_travel_with_the_submission_and_are_graded(graded):
    """Is carol graded on her own widget answers file (not the solution's)?"""
    course, scores = graded
    submitted = course.path("submitted", ASSIGNMENT, "carol") / ANSWERS
    saved = json.loads(submitted.read_text(encoding="utf-8"))
    assert saved["answers"]["empathy_sort"]["value"] == CAROL_SORT
    autograded = course.path("autograded", ASSIGNMENT, "carol") / ANSWERS
    assert json.loads(autograded.read_text(encoding="utf-8")) == saved
    assert scores["carol"]["test_empathy_sort_complete"] == 1
    assert scores["carol"]["test_empathy_sort"] == 2.5
    assert scores["carol"]["test_journey_summary"] == 0


def test_blank_learner_has_no_answers_file_smuggled_in(graded):
    """Does a learner who never touched the widget get no answers file from the source?"""
    course, _ = graded
    assert not (course.path("submitted", ASSIGNMENT, "bob") / ANSWERS).exists()
    assert not (course.path("autograded", ASSIGNMENT, "bob") / ANSWERS).exists()


def _hidden_lines() -> list[str]:
    """Every substantial line of the source's hidden tests."""
    nb = nbformat.read(SOURCE / f"{ASSIGNMENT}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 12:
                lines.append(line.strip())
    return lines


def test_feedback_shows_results_but_not_hidden_tests(graded):
    """Does carol's feedback show her score and hints but none of the hidden tests' code?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "carol") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    hidden = _hidden_lines()
    assert len(hidden) > 20
    shown = [line for line in hidden if line in text]
    assert shown == []
    assert "Скрытые проверки: их код не показывается" in text
    assert "Верно отнесено 5 из 8" in text  # the hint the hidden test printed for her
    assert "2.5" in text  # her partial score on that test
