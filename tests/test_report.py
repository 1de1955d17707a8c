"""The report's arithmetic on a gradebook written directly through nbgrader's API (fast: no
pipeline): statuses instead of zeros, points out of graded and released work, difficulty from
graded answers only, agencies, the CSV for Russian Excel and the Moodle file. The same report
on real submissions: tests/test_readme_quickstart.py and tests/test_grader_cli.py."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from grader.cohort import Cohort
from grader.report import GRADED, MISSING, PENDING, UNGRADED, collect_grades, write_report

ROSTER = (
    "id,last name,first name,email,agency\n"
    "anna,Аннова,Анна,anna@example.ru,МФЦ\n"
    "boris,Борисов,Борис,boris@example.ru,МФЦ\n"
    "vera,Верова,Вера,vera@example.ru,ФНС\n"
    "gleb,Глебов,Глеб,gleb@example.ru,ФНС\n"
    "dina,Динова,Дина,dina@example.ru,ФНС\n"
)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Assignment a1 (auto 6 + manual 4 points), a2 (2 points, nobody submitted):
    anna: auto 6/6, written answer not graded yet -> «ожидает проверки», 6 of 6 graded;
    boris: auto 3/6, written answer graded 2/4 by the instructor -> 5 of 10;
    vera: collected but not autograded -> «сдано, не проверено»; gleb: nothing -> «не сдано»;
    dina: auto 6/6 + 4/4, a day late with a 1-point penalty -> 9 of 10, late."""
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("report")
    roster = tmp / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cohort = Cohort.create(tmp / "home", "c1", roster)
    due = dt.datetime(2027, 3, 1, 15, 0)
    with Gradebook(cohort.gradebook_url, "c1") as gb:
        gb.update_or_create_assignment("a1", duedate=due)
        gb.add_notebook("a1", "a1")
        gb.add_grade_cell("test_sum", "a1", "a1", max_score=6, cell_type="code")
        gb.add_grade_cell("essay", "a1", "a1", max_score=4, cell_type="markdown")
        gb.update_or_create_assignment("a2")
        gb.add_notebook("a2", "a2")
        gb.add_grade_cell("test_x", "a2", "a2", max_score=2, cell_type="code")
        for student, auto, manual, late in (
            ("anna", 6, None, 0), ("boris", 3, 2, 0), ("dina", 6, 4, 1),
        ):  # fmt: skip
            gb.add_submission("a1", student, timestamp=due + dt.timedelta(hours=-2 + 26 * late))
            test = gb.find_grade("test_sum", "a1", "a1", student)
            test.auto_score, test.needs_manual_grade = auto, False
            essay = gb.find_grade("essay", "a1", "a1", student)
            essay.auto_score, essay.manual_score = None, manual
            essay.needs_manual_grade = manual is None
            if late:
                gb.find_submission_notebook("a1", "a1", student).late_submission_penalty = 1.0
            gb.db.commit()
            (cohort.root / "autograded" / student / "a1").mkdir(parents=True)
    (cohort.root / "submitted" / "vera" / "a1").mkdir(parents=True)
    return cohort


def test_statuses_and_points(cohort):
    """Are statuses never zeros, and points counted over graded questions only, the late
    penalty taken off?"""
    grades = collect_grades(cohort)
    status = {
        s: grades.record("a1", s)["status"] for s in ("anna", "boris", "vera", "gleb", "dina")
    }
    assert status == {"anna": PENDING, "boris": GRADED, "vera": UNGRADED, "gleb": MISSING,
                      "dina": GRADED}  # fmt: skip
    anna, boris, dina = (grades.record("a1", s) for s in ("anna", "boris", "dina"))
    assert (anna["earned"], anna["graded_max"], anna["pending_max"]) == (6, 6, 4)
    assert (boris["earned"], boris["graded_max"]) == (5, 10)
    assert (dina["earned"], dina["graded_max"], dina["penalty"]) == (9, 10, 1)
    assert dina["seconds_late"] == 24 * 3600


def test_percentages_against_graded_and_released_points(cohort):
    """Is «% от проверенного» out of graded points and «% от выданного» out of the released
    assignments' 12 points, not out of the whole course?"""
    summary = collect_grades(cohort).summary().set_index("Логин")
    assert summary.loc["anna", "% от проверенного"] == 100.0
    assert summary.loc["anna", "% от выданного"] == 50.0  # 6 of 10 + 2
    assert summary.loc["boris", "% от проверенного"] == 50.0
    assert summary.loc["dina", "% от выданного"] == 75.0
    assert pd_isna(summary.loc["gleb", "% от проверенного"])  # nothing graded: no percentage
    assert summary.loc["gleb", "Не сдано работ"] == 2
    assert summary.loc["anna", "Ожидает проверки работ"] == 1
    assert "опоздание" in summary.loc["dina", "a1: статус"]


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_difficulty_uses_graded_answers_only(cohort):
    """Is anna's ungraded written answer left out of the essay's difficulty (it is not a 0)?"""
    diff = collect_grades(cohort).difficulty().set_index("question")
    assert diff.loc["essay", "n"] == 2 and diff.loc["essay", "mean_share"] == pytest.approx(0.75)
    assert diff.loc["test_sum", "n"] == 3


def test_agencies(cohort):
    """Are agency totals the sums of their learners' graded points and counts?"""
    agencies = collect_grades(cohort).agencies().set_index("Ведомство")
    assert (
        agencies.loc["МФЦ", "Баллы (проверено)"] == 11
        and agencies.loc["МФЦ", "Из проверенного"] == 16
    )
    assert agencies.loc["ФНС", "Не сдано работ"] == 4  # gleb ×2, vera and dina a2
    assert agencies.loc["ФНС", "Сдано работ"] == 2  # vera (collected) and dina


def test_written_files(cohort, tmp_path):
    """Is grades.csv `;`-separated with a BOM and decimal commas, and does moodle.csv hold
    fully graded work only, keyed by email and login?"""
    write_report(cohort, tmp_path)
    raw = (tmp_path / "grades.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {
        r["Логин"]: r for r in csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";")
    }
    assert rows["boris"]["% от проверенного"] == "50" and rows["dina"]["% от выданного"] == "75"
    assert rows["gleb"]["a1: баллы"] == "" and rows["gleb"]["a1: статус"] == MISSING
    with (tmp_path / "moodle.csv").open(encoding="utf-8", newline="") as f:
        moodle = {r["ID number"]: r for r in csv.DictReader(f)}
    assert moodle["boris"]["a1"] == "5.0" and moodle["dina"]["a1"] == "9.0"
    assert moodle["anna"]["a1"] == "" and moodle["gleb"]["a1"] == ""
    assert moodle["anna"]["Email address"] == "anna@example.ru"
    page = (tmp_path / "learners" / "dina.html").read_text(encoding="utf-8")
    assert "2027-03-01 18:00" in page and "Штраф" in page


@pytest.mark.browser
@pytest.mark.slow
def test_html_tables_scroll_inside_the_page(cohort, tmp_path):
    """In Chromium at 1400 px, does the wide learners table scroll inside its box while the
    page itself never gets wider than the window?"""
    from lab import chromium

    write_report(cohort, tmp_path)
    with chromium() as page:
        page.goto((tmp_path / "report.html").as_uri())
        widths = page.evaluate(
            """() => {
                const boxes = [...document.querySelectorAll('.table-box')];
                return {page: document.documentElement.scrollWidth, window: window.innerWidth,
                        wide: boxes.filter(b => b.scrollWidth > b.clientWidth).length,
                        boxes: boxes.length};
            }"""
        )
    assert widths["page"] <= widths["window"], widths
    assert widths["boxes"] >= 4 and widths["wide"] >= 1, widths  # the summary is wider
