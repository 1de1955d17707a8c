"""The ``grader`` command end to end on a real exchange and gradebook: a cohort is created,
exercise 02 released, learners submit (full, blank, widget-only, broken), the instructor
collects, autogrades in parallel, releases feedback and writes the report.

Parallel grading must give the scores stock sequential ``nbgrader autograde`` gives on the
same submissions, and a broken submission must not stop the others.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO
from openpyxl import load_workbook

from grader.cli import main
from grader.cohort import Cohort
from grader.course import Learner

pytestmark = pytest.mark.slow

ASSIGNMENT = "02_empathy"
SOURCE = REPO / "exercises" / ASSIGNMENT
ROSTER = (
    "id,last name,first name,email,agency\n"
    "full,Полнова,Анна,a@example.ru,МФЦ\n"
    "blank,Пустов,Борис,b@example.ru,МФЦ\n"
    "widget,Виджетова,Вера,v@example.ru,Минздрав\n"
    "broken,Ломов,Глеб,g@example.ru,ФНС\n"
    "absent,Нетов,Дмитрий,d@example.ru,ФНС\n"
)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    home = tmp / "home"
    roster = tmp / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["--home", str(home), "cohort", "create", "c1", "--roster", str(roster)]) == 0
    assert main(["--home", str(home), "release", "c1", ASSIGNMENT]) == 0
    cohort = Cohort.load(home, "c1")
    for student in ("full", "blank", "widget", "broken"):
        learner = Learner(student, tmp / student, course_id="c1", exchange_root=cohort.exchange)
        folder = learner.fetch(ASSIGNMENT)
        if student == "full":
            shutil.copy(SOURCE / f"{ASSIGNMENT}.ipynb", folder)
        if student in ("full", "widget"):
            shutil.copy(SOURCE / f"{ASSIGNMENT}.answers.json", folder)
        if student == "broken":
            (folder / f"{ASSIGNMENT}.ipynb").write_text("{not json", encoding="utf-8")
        learner.submit(ASSIGNMENT)
    assert main(["--home", str(home), "collect", "c1"]) == 0
    return home, cohort, tmp


@pytest.fixture(scope="module")
def graded(cohort):
    home, cohort_, _ = cohort
    # Stock nbgrader first, sequential, from the cohort folder (its nbgrader_config.py).
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    stock = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT],
        cwd=cohort_.root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert stock.returncode != 0  # nbgrader fails the batch because of the broken notebook
    sequential = cohort_.auto_scores(ASSIGNMENT)
    shutil.rmtree(cohort_.root / "autograded")
    code = main(["--home", str(home), "autograde", "c1", "--jobs", "2", "--quiet"])
    return code, sequential, cohort_.auto_scores(ASSIGNMENT)


def test_parallel_scores_equal_stock_sequential_nbgrader(graded):
    """Does `grader autograde --jobs 2` give every learner exactly the scores of stock
    sequential `nbgrader autograde`?"""
    _, sequential, parallel = graded
    assert set(sequential) >= {"full", "blank", "widget"}
    for student in ("full", "blank", "widget"):
        assert parallel[student] == sequential[student], student
    assert sum(v for v in parallel["full"].values() if v is not None) == 14
    assert sum(v for v in parallel["blank"].values() if v is not None) == 0
    assert parallel["full"]["interview_questions"] is None  # left to the instructor
    assert parallel["widget"]["test_empathy_sort"] == 4


def test_broken_submission_is_reported_and_the_batch_goes_on(graded, cohort, capsys):
    """Is the broken notebook named with its reason while the others are graded (exit 1)?"""
    home, cohort_, _ = cohort
    code = main(["--home", str(home), "autograde", "c1", "--jobs", "2", "--force", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    assert "проверено 3, с ошибкой 1" in out
    assert "broken: NotJSONError: Notebook does not appear to be JSON" in out
    for student in ("full", "blank", "widget"):
        assert (cohort_.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()


def test_only_new_submissions_are_graded_without_force(graded, cohort, capsys):
    """Does a second `grader autograde` skip what is already graded (only the broken one is
    tried again)?"""
    home, _, _ = cohort
    capsys.readouterr()
    main(["--home", str(home), "autograde", "c1", "--jobs", "2", "--quiet"])
    assert "проверено 0, с ошибкой 1" in capsys.readouterr().out


def test_feedback_is_refused_while_written_answers_are_ungraded(graded, cohort, capsys):
    """Does `grader feedback` refuse, in Russian and English, while written answers wait for
    the instructor (they would show as zeros)?"""
    home, cohort_, _ = cohort
    capsys.readouterr()
    assert main(["--home", str(home), "feedback", "c1", ASSIGNMENT]) == 1
    out = capsys.readouterr().out
    assert "не проверены" in out and "--partial" in out
    assert not (cohort_.root / "feedback" / "full" / ASSIGNMENT).exists()


def test_feedback_reaches_the_learners_exchange(graded, cohort):
    """Is partial feedback generated without hidden tests and released to the exchange?"""
    home, cohort_, _ = cohort
    assert main(["--home", str(home), "feedback", "c1", ASSIGNMENT, "--partial"]) == 0
    page = cohort_.root / "feedback" / "full" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    text = page.read_text(encoding="utf-8")
    assert "Скрытые проверки" in text
    assert '<html lang="ru">' in text and "(баллы: 14" in text  # the Russian frame
    assert "Score:" not in text and "Student's answer" not in text
    # The graded notebook keeps no live widget state; each widget shows its answer as the
    # static snapshot it printed (the learner's quadrant sort, here).
    graded_nb = json.loads(
        (cohort_.root / "autograded" / "full" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    )
    assert "widgets" not in graded_nb["metadata"]
    assert text.count('class="cxlab-snapshot"') >= 3
    released = list((cohort_.exchange / "c1" / "feedback").glob("*.html"))
    assert len(released) >= 3


def test_report_tables_and_plots(graded, cohort, tmp_path):
    """Does the report give a ;-separated summary CSV, an XLSX with a sheet per assignment and
    an HTML page with the four plots, with the learners' real scores and statuses?"""
    home, _, _ = cohort
    assert main(["--home", str(home), "report", "c1", "--out", str(tmp_path), "--png"]) == 0
    lines = (tmp_path / "grades.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    rows = {
        line.split(";")[0]: dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]
    }
    assert header[:5] == ["Логин", "Фамилия", "Имя", "Ведомство", "Статус слушателя"]
    points, status = "Задание 2. Эмпатия: баллы", "Задание 2. Эмпатия: статус"
    assert rows["full"][points] == "14" and rows["full"][status] == "ожидает проверки"
    # the optional analyst part is counted apart from the core track (issue 15)
    assert rows["full"]["Основной трек: баллы"] == "11"
    assert rows["full"]["Трек аналитика: баллы"] == "3"
    assert rows["widget"]["Трек аналитика: баллы"] == "0"
    assert rows["blank"][points] == "0" and rows["blank"][status] == "проверено"
    assert rows["absent"][points] == "" and rows["absent"][status] == "не сдано"
    # collected, but autograde failed on it: not a zero either
    assert rows["broken"][points] == "" and rows["broken"][status] == "сдано, не проверено"
    book = load_workbook(tmp_path / "grades.xlsx")
    assert book.sheetnames == ["Итоги", "Ведомства", "Задания", "Вопросы", "Задание 2. Эмпатия"]
    columns = [c.value for c in book["Задание 2. Эмпатия"][1]]
    assert "Скрытая проверка: каждая запись отнесена к верному квадранту" in columns
    assert "test_empathy_sort" not in columns and "Статус" in columns
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 4
    for name in ("progress", "scores", "difficulty", "agencies"):
        assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((cohort[1].root / "cohort.json").read_text())["id"] == "c1"


def test_difficulty_counts_graded_answers_only(graded, cohort):
    """Are answers waiting for the instructor left out of the question difficulty (they used
    to count as zeros and top the «hardest» list)?"""
    from grader.report import collect_grades

    grades = collect_grades(cohort[1])
    diff = grades.difficulty().set_index("question")
    # the full solution's written answers are not graded yet; the blank ones are ("no answer")
    assert diff.loc["interview_questions", "n"] == 2  # blank, widget: zero; full: pending
    assert diff.loc["test_empathy_sort", "n"] == 3
