"""The course calendar: due dates and extensions in nbgrader's gradebook, the cohort's late
penalty as nbgrader's late-submission plugin, and how the report shows them. The whole cycle
with real submissions runs in tests/test_readme_quickstart.py."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from traitlets.config import Config

from grader import deadlines
from grader.cli import main
from grader.cohort import Cohort
from grader.report import MISSING, collect_grades

MOSCOW = ZoneInfo("Europe/Moscow")
ROSTER = (
    "id,last name,first name,email,agency\n"
    "ivanova,Иванова,Анна,anna@example.ru,МФЦ\n"
    "petrov,Петров,Олег,oleg@example.ru,Минздрав\n"
)


@pytest.fixture
def cohort(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return Cohort.create(tmp_path / "home", "c1", roster)


def test_local_times_become_nbgraders_naive_utc():
    """Is «2027-03-01 18:00» Moscow stored as 15:00 UTC, and a bare date as the day's end?"""
    assert deadlines.parse_local("2027-03-01 18:00", MOSCOW) == dt.datetime(2027, 3, 1, 15, 0)
    assert deadlines.parse_local("2027-03-01", MOSCOW) == dt.datetime(2027, 3, 1, 20, 59, 59)
    assert deadlines.to_local(dt.datetime(2027, 3, 1, 15, 0), MOSCOW) == "2027-03-01 18:00"
    with pytest.raises(deadlines.DeadlineError, match="не понимаю дату"):
        deadlines.parse_local("1 марта", MOSCOW)


@pytest.mark.parametrize(
    ("seconds_late", "penalty"),
    [(0, 0.0), (1, 1.0), (86400, 1.0), (86401, 2.0), (3 * 86400, 3.0), (30 * 86400, 5.0)],
)
def test_penalty_per_started_day_up_to_the_cap(seconds_late, penalty):
    """Does each started day late take 10% of a 10-point score, never more than 50%?"""
    setting = {"per_day": 10.0, "max": 50.0}
    assert deadlines.late_penalty(setting, 10.0, seconds_late) == penalty
    assert deadlines.late_penalty(None, 10.0, seconds_late) == 0.0


def test_plugin_reads_the_cohorts_setting(cohort):
    """Does nbgrader's late-submission plugin take the penalty from the cohort folder, and
    fall back to nbgrader's own behaviour (no penalty) without a setting?"""
    config = Config()
    config.CourseDirectory.root = str(cohort.root)
    plugin = deadlines.CohortLatePenalty(config=config)
    assert plugin.late_submission_penalty("ivanova", 10.0, 86401) is None
    deadlines.set_penalty(cohort, 25, 40)
    assert json.loads((cohort.root / "cohort.json").read_text())["late_penalty"] == {
        "per_day": 25.0,
        "max": 40.0,
    }
    assert plugin.late_submission_penalty("ivanova", 10.0, 86401) == 4.0
    deadlines.set_penalty(cohort, 0)
    assert "late_penalty" not in cohort.settings()
    with pytest.raises(deadlines.DeadlineError):
        deadlines.set_penalty(cohort, 150)


def test_course_config_and_cohort_config_name_the_plugin(cohort):
    """Do both the grader's nbgrader config and the cohort's nbgrader_config.py (stock
    nbgrader) use the cohort's penalty plugin?"""
    assert (
        cohort.course.config.AssignLatePenalties.plugin_class
        == "grader.deadlines.CohortLatePenalty"
    )
    text = (cohort.root / "nbgrader_config.py").read_text(encoding="utf-8")
    assert 'c.AssignLatePenalties.plugin_class = "grader.deadlines.CohortLatePenalty"' in text


def test_due_date_and_extension_in_gradebook_and_report(cohort):
    """Are the due date and an extension (granted before anything is submitted) in the
    gradebook, and does the report show the learner as «не сдано» with the extended due date?"""
    from nbgrader.api import Gradebook

    deadlines.set_due(cohort, "02_empathy", "2027-03-01 18:00")
    deadlines.grant_extension(cohort, "02_empathy", "petrov", days=2, hours=12)
    with Gradebook(cohort.gradebook_url, "c1") as gb:
        assert gb.find_assignment("02_empathy").duedate == dt.datetime(2027, 3, 1, 15, 0)
        sub = gb.find_submission("02_empathy", "petrov")
        assert sub.extension == dt.timedelta(days=2, hours=12)
        assert sub.duedate == dt.datetime(2027, 3, 4, 3, 0)
    grades = collect_grades(cohort)
    table = grades.assignment_table("02_empathy").set_index("Логин")
    assert table.loc["petrov", "Статус"] == MISSING  # an extension is not a submission
    assert table.loc["petrov", "Срок с продлением"] == "2027-03-04 06:00"
    assert table.loc["ivanova", "Срок с продлением"] == "2027-03-01 18:00"
    assert grades.assignment_overview().loc[0, "Срок сдачи"] == "2027-03-01 18:00"


def test_cli_calendar_and_bad_input(cohort, capsys):
    """Do `grader deadline` commands report in Russian, and are a bad date, an unknown learner
    and an extension before release refused with exit status 2?"""
    home = str(cohort.root.parent)
    assert main(["--home", home, "deadline", "due", "c1", "02_empathy", "2027-13-01"]) == 2
    assert "не понимаю дату" in capsys.readouterr().err
    assert (
        main(["--home", home, "deadline", "extend", "c1", "02_empathy", "petrov", "--days", "1"])
        == 2
    )
    assert "ещё не выдано" in capsys.readouterr().err
    assert main(["--home", home, "deadline", "due", "c1", "02_empathy", "2027-03-01"]) == 0
    assert "срок сдачи 2027-03-01 23:59" in capsys.readouterr().out
    assert (
        main(["--home", home, "deadline", "extend", "c1", "02_empathy", "nobody", "--days", "1"])
        == 2
    )
    assert "нет слушателя «nobody»" in capsys.readouterr().err
    assert (
        main(["--home", home, "deadline", "penalty", "c1", "--per-day", "10", "--max", "30"]) == 0
    )
    assert main(["--home", home, "deadline", "show", "c1"]) == 0
    out = capsys.readouterr().out
    assert "02_empathy: 2027-03-01 23:59" in out and "не больше 30%" in out
