"""The README's instructor quick start, run verbatim: from the example roster through the
calendar, simulated learners (``grader demo``), autograde and feedback to the report, whose
numbers are then checked against the gradebook and against what the learners did.

The demo plays examples/roster.xlsx in order: ivanova the full solution, petrov the widget
answers only, sidorova a blank attempt (then withdrawn), smirnov nothing, kuznetsova the full
solution two days late but with a three-day extension, orlov the widget answers two days late
(10% per started day: 20% off).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess

import pytest
from conftest import REPO
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

COHORT = "spring-2027"
ASSIGNMENT = "02_empathy"


def _quick_start() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Running cohorts") :]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def _csv(path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no UTF-8 BOM"
    text = raw.decode("utf-8-sig")
    assert ";" in text.splitlines()[0] and "," not in text.splitlines()[0].replace(", ", "")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


def _num(text: str) -> float | None:
    return float(text.replace(",", ".")) if text else None


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    home = tmp_path_factory.mktemp("quickstart")
    script = home / "quickstart.sh"
    script.write_text("set -euo pipefail\n" + _quick_start(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CXLAB_HOME", "VIRTUAL_ENV")}
    done = subprocess.run(
        ["bash", str(script)], cwd=REPO, env={**env, "HOME": str(home)},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    root = home / "cxlab-cohorts" / COHORT
    return root, done.stdout


def _gradebook(root):
    """{student: (earned after penalty, graded max, pending max, penalty, seconds late,
    extension)} straight from nbgrader's gradebook, plus the assignment's due date and max."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COHORT) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        due, top = assignment.duedate, float(assignment.max_score)
        for sub in gb.assignment_submissions(ASSIGNMENT):
            grades = [g for nb in sub.notebooks for g in nb.grades if g.max_score]
            graded = [g for g in grades if not g.needs_manual_grade]
            penalty = float(sub.late_submission_penalty or 0)
            out[sub.student.id] = (
                sum(g.score for g in graded) - penalty,
                sum(g.max_score for g in graded),
                sum(g.max_score for g in grades if g.needs_manual_grade),
                penalty,
                sub.total_seconds_late,
                sub.extension,
            )
    return out, due, top


def test_commands_speak_russian(ran):
    """Did every step report in Russian, with the demo's learners and a released feedback?"""
    _, out = ran
    for line in ("02_empathy: выдано", "02_empathy: собрано работ: 5", "проверено 5, с ошибкой 0",
                 "smirnov: не сдаёт", "orlov: только ответы в виджетах, с опозданием",
                 "sidorova: отмечен(а) выбывшим(ей)",
                 "02_empathy: отзывы выданы"):  # fmt: skip
        assert line in out, out


def test_calendar_is_in_the_gradebook(ran):
    """Are the due date (18:00 Moscow = 15:00 UTC), the extension and the late penalty in
    nbgrader's gradebook, where the formgrader reads them?"""
    root, _ = ran
    book, due, _top = _gradebook(root)
    assert due == dt.datetime(2027, 3, 1, 15, 0)
    assert book["kuznetsova"][5] == dt.timedelta(days=3)
    assert book["kuznetsova"][4] == 0 and book["kuznetsova"][3] == 0  # in time, thanks to it
    assert book["orlov"][4] == 2 * 86400
    before = book["orlov"][0] + book["orlov"][3]
    assert before > 0 and book["orlov"][3] == pytest.approx(0.2 * before)  # 2 days × 10%


def test_learner_table_numbers(ran):
    """Does grades.csv give each learner's points out of what is graded and out of what is
    released, with «ожидает проверки», «не сдано»/withdrawn and lateness as statuses?"""
    root, _ = ran
    book, _due, top = _gradebook(root)
    rows = {r["Логин"]: r for r in _csv(root / "reports" / "grades.csv")}
    assert list(rows) == ["ivanova", "petrov", "sidorova", "smirnov", "kuznetsova", "orlov"]
    title = "Задание 2. Эмпатия"
    for student, (earned, graded_max, pending, *_rest) in book.items():
        row = rows[student]
        assert _num(row[f"{title}: баллы"]) == pytest.approx(earned, abs=0.01), student
        assert _num(row[f"{title}: из"]) == graded_max, student
        assert _num(row["% от проверенного"]) == pytest.approx(100 * earned / graded_max, abs=0.06)
        assert _num(row["% от выданного"]) == pytest.approx(100 * earned / top, abs=0.06)
        assert row[f"{title}: статус"].startswith("ожидает проверки" if pending else "проверено")
    # the full solution: every graded point, the written answers wait for the instructor
    assert rows["ivanova"]["% от проверенного"] == "100"
    assert rows["ivanova"][f"{title}: статус"] == "ожидает проверки"
    assert _num(rows["ivanova"]["% от выданного"]) < 100  # the pending points are not earned yet
    assert rows["sidorova"][f"{title}: баллы"] == "0"  # a blank attempt is graded: zero
    assert rows["sidorova"]["Статус слушателя"].startswith("выбыл(а)")  # kept, with the grade
    assert rows["sidorova"][f"{title}: статус"] == "проверено"
    assert rows["smirnov"][f"{title}: баллы"] == ""  # nothing submitted is not a zero
    assert rows["smirnov"][f"{title}: статус"] == "не сдано"
    assert rows["smirnov"]["Не сдано работ"] == "1" and rows["ivanova"]["Не сдано работ"] == "0"
    assert rows["ivanova"]["Ожидает проверки работ"] == "1"
    assert "опоздание 2 дн" in rows["orlov"][f"{title}: статус"].replace(",0", "")
    assert "опоздание" not in rows["kuznetsova"][f"{title}: статус"]


def test_agency_totals(ran):
    """Are agency totals the sums of their learners' graded points?"""
    root, _ = ran
    book, *_ = _gradebook(root)
    roster = {
        r["id"]: r["agency"] for r in csv.DictReader((REPO / "examples" / "roster.csv").open())
    }
    rows = {r["Ведомство"]: r for r in _csv(root / "reports" / "agencies.csv")}
    assert set(rows) == set(roster.values())
    for agency, row in rows.items():
        mine = [book[s] for s, a in roster.items() if a == agency and s in book]
        earned, graded = sum(m[0] for m in mine), sum(m[1] for m in mine)
        assert _num(row["Баллы (проверено)"]) == pytest.approx(earned, abs=0.01)
        assert _num(row["Из проверенного"]) == graded
        assert _num(row["% от проверенного"]) == pytest.approx(100 * earned / graded, abs=0.06)
    gibdd, mfc = rows["Госавтоинспекция"], rows["МФЦ Белгорода"]
    assert (gibdd["Слушателей"], gibdd["Выбыли"], gibdd["Не сдано работ"]) == ("2", "0", "1")
    assert (mfc["Слушателей"], mfc["Выбыли"], mfc["Ожидает проверки"]) == ("1", "1", "1")


def test_report_files(ran):
    """Are there the XLSX sheets, a scrolling HTML table with the plots, a page per learner,
    the feedback, and Russian question names instead of cell ids?"""
    root, _ = ran
    reports = root / "reports"
    book = load_workbook(reports / "grades.xlsx")
    assert book.sheetnames[:4] == ["Итоги", "Ведомства", "Задания", "Вопросы"]
    sheet = book[book.sheetnames[4]]
    header = [c.value for c in sheet[1]]
    assert "Часть 3. Вопросы для глубинного интервью" in header
    assert not any(str(h).startswith("test_") for h in header)
    page = (reports / "report.html").read_text(encoding="utf-8")
    assert 'lang="ru"' in page and "overflow-x:auto" in page
    assert page.count("data:image/png;base64,") == 4
    assert 'href="learners/orlov.html"' in page
    learner = (reports / "learners" / "kuznetsova.html").read_text(encoding="utf-8")
    assert "+3 дн" in learner and "2027-03-01 18:00" in learner
    for name in ("progress", "scores", "difficulty", "agencies"):
        assert (reports / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    assert (root / "feedback" / "ivanova" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


def test_moodle_export_round_trips_the_gradebook(ran):
    """Does moodle.csv carry, per email and idnumber, exactly the gradebook's points of fully
    graded work, and leave work still waiting for the instructor blank?"""
    root, _ = ran
    book, *_ = _gradebook(root)
    with (root / "reports" / "moodle.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["ID number"]: r for r in csv.DictReader(f)}
    emails = {
        r["id"]: r["email"] for r in csv.DictReader((REPO / "examples" / "roster.csv").open())
    }
    for student, row in rows.items():
        assert row["Email address"] == emails[student]
        value = row["Задание 2. Эмпатия"]
        if student not in book or book[student][2]:  # not submitted, or still pending
            assert value == ""
        else:
            assert float(value) == pytest.approx(book[student][0], abs=0.005)
