"""Exercise 09, the capstone, through the real nbgrader pipeline (see
``tests/exercise_harness.py`` for the standard submissions and checks every assignment gets).

Most of its points are manual; the autograder scores the dashboard of part 1 and checks that
every capstone widget of part 2 is filled. The partial learner's dashboard gets three of the
five indicators right (mean instead of the longest wait per applicant, 18 months taken for
granted), and she fills only some capstone parts, two of them saved in a shape the widgets
never write. The alternatives compute the dashboard with loops and with other pandas idioms,
the second with a capstone that has blank rows and zero weights where the widgets allow them.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import REPO
from exercise_harness import Submission, auto_points, manual_points, standard_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "09_metrics_and_capstone"
ANSWERS = f"{ASSIGNMENT}.answers.json"
CAPSTONE_TESTS = (
    "test_capstone_frame",
    "test_capstone_empathy",
    "test_capstone_journey_as_is",
    "test_capstone_problem",
    "test_capstone_hmw",
    "test_capstone_ideas",
    "test_capstone_selection",
    "test_capstone_journey_to_be",
)
SOURCE_ANSWERS = {
    qid: entry["value"]
    for qid, entry in json.loads(
        (REPO / "exercises" / ASSIGNMENT / ANSWERS).read_text(encoding="utf-8")
    )["answers"].items()
}


def _step(day, step, pain=""):
    return {"day": day, "stage": "Этап", "step": step, "touchpoint": "Окно", "emotion": 0,
            "pain": pain}  # fmt: skip


PARTIAL_DASHBOARD = """def kpi_dashboard(survey, log, complaints):
    survey_ok = survey["satisfaction"] >= 4
    log = log.copy()
    log["wait"] = (log["served_at"] - log["queued_at"]).dt.total_seconds() / 60
    mean_wait = log.groupby(["period", "applicant_id"])["wait"].mean()
    complaints = complaints.copy()
    complaints["period"] = "после"
    complaints.loc[complaints["month"] < CHANGE_MONTH, "period"] = "до"
    by_topic = complaints.groupby(["period", "topic"])["count"].sum().unstack()
    return {
        "satisfied": survey_ok.groupby(survey["period"]).mean().to_dict(),
        "waits_within_15": (log["wait"] <= 15).groupby(log["period"]).mean().to_dict(),
        "applicants_within_15": (mean_wait <= 15).groupby(level=0).mean().to_dict(),
        "complaints_per_month": (complaints.groupby("period")["count"].sum() / 18).to_dict(),
        "top_topic": by_topic.idxmax(axis=1).to_dict(),
    }


kpi_dashboard(survey, log, complaints)
"""
PARTIAL_SELECTION = {
    "weights": {"Ценность для клиента": 2.0, "Реализуемость": 1.0, "Скорость внедрения": 1.0,
                "Низкая стоимость": 1.0},
    "scores": {
        option: {"Ценность для клиента": 4, "Реализуемость": 3, "Скорость внедрения": 3,
                 "Низкая стоимость": 3 if option != "Идея 4" else None}
        for option in ("Идея 1", "Идея 2", "Идея 3", "Идея 4")
    },
}  # fmt: skip
PARTIAL = Submission(
    base="release",
    cells={"kpi_dashboard": PARTIAL_DASHBOARD},
    answers={
        # 17 words: too short for a project passport.
        "capstone_frame": "Услуга: оформление командировки сотрудника министерства. Клиенты: "
        "сотрудники, которые ездят в командировки чаще раза в квартал.",
        # A list, not the four quadrants: the check must fail cleanly, not crash.
        "capstone_empathy": ["Говорит: «Опять четыре подписи»", "Чувствует: раздражение"],
        "capstone_journey_as_is": [
            _step(1, "Узнаёт о командировке"),
            _step(1, "Ищет бланк приказа", "Бланк лежит в трёх версиях"),
            _step(2, "Собирает подписи", "Четыре подписи на бумаге"),
            _step(3, "Получает аванс"),
            _step(10, "Едет в командировку"),
            _step(12, "Сдаёт авансовый отчёт", "Теряются посадочные талоны"),
            _step(20, "Получает остаток денег"),
        ],
        "capstone_problem": {
            "user": "Сотрудник, который ездит в командировки чаще раза в квартал",
            "need": "оформить поездку, не бегая за подписями",
            "insight": "четыре бумажные подписи занимают у него два рабочих дня",
        },
        "capstone_hmw": [
            {"statement": "Как мы могли бы помочь сотруднику собрать согласования за час?"},
            {"statement": "  "},
            {"statement": "Как мы могли бы избавить сотрудника от бумажного отчёта?"},
        ],
        # A string, not the idea board's rows.
        "capstone_ideas": "электронное согласование, шаблон приказа, памятка",
        "capstone_finalists": "Идея 1 — электронное согласование\nИдея 2 — шаблон приказа\n"
        "Идея 3 — памятка\nИдея 4 — корпоративная карта",
        "capstone_selection": PARTIAL_SELECTION,  # idea 4 lacks one score
    },
    expected={
        "test_kpi_dashboard_format": 1.0,
        "test_kpi_dashboard": 3.0,
        "test_capstone_journey_as_is": 1.0,
        "test_capstone_problem": 0.5,
    },
)

LOOPS_DASHBOARD = """import pandas as pd


def kpi_dashboard(survey, log, complaints):
    result = {"satisfied": {}, "waits_within_15": {}, "applicants_within_15": {},
              "complaints_per_month": {}, "top_topic": {}}
    for period in ["после", "до"]:
        marks = survey[survey.period == period].satisfaction
        result["satisfied"][period] = marks.isin([4, 5]).sum() / len(marks)
        part = log[log.period == period]
        minutes = (part.served_at - part.queued_at) / pd.Timedelta(minutes=1)
        result["waits_within_15"][period] = float((minutes <= 15).mean())
        worst = minutes.groupby(part.applicant_id).max()
        result["applicants_within_15"][period] = (worst <= 15).sum() / worst.size
        rows = complaints[(complaints.month >= CHANGE_MONTH) == (period == "после")]
        result["complaints_per_month"][period] = rows["count"].sum() / rows.month.nunique()
        totals = {}
        for topic, n in zip(rows.topic, rows["count"]):
            totals[topic] = totals.get(topic, 0) + n
        result["top_topic"][period] = max(totals, key=totals.get)
    return result


kpi_dashboard(survey, log, complaints)
"""  # fmt: skip
IDIOMS_DASHBOARD = """import numpy as np


def kpi_dashboard(survey, log, complaints):
    ok = log.served_at.sub(log.queued_at).dt.seconds.div(60).le(15)
    c = complaints.assign(period=np.where(complaints.month.lt(CHANGE_MONTH), "до", "после"))
    monthly = c.pivot_table(index=["period", "month"], values="count", aggfunc="sum")["count"]
    topics = c.pivot_table(index="topic", columns="period", values="count", aggfunc="sum")
    everyone = ok.groupby([log.period, log.applicant_id]).all()
    return dict(
        top_topic=topics.idxmax().to_dict(),
        complaints_per_month=monthly.groupby(level=0).mean().to_dict(),
        applicants_within_15=everyone.groupby(level=0).mean().to_dict(),
        waits_within_15=ok.groupby(log.period).mean().to_dict(),
        satisfied=survey.satisfaction.ge(4).groupby(survey.period).mean().to_dict(),
    )


kpi_dashboard(survey, log, complaints)
"""
# What the widgets also save: blank rows, ideas without a group, a zero weight.
WIDGET_LEFTOVERS = {
    **SOURCE_ANSWERS,
    "capstone_hmw": [*SOURCE_ANSWERS["capstone_hmw"], {"statement": ""}],
    "capstone_ideas": [
        {"idea": row["idea"], "group": ""} for row in SOURCE_ANSWERS["capstone_ideas"]
    ]
    + [{"idea": "", "group": ""}],
    "capstone_finalists": SOURCE_ANSWERS["capstone_finalists"].replace("\n", "\n\n") + "\n",
    "capstone_selection": {
        **SOURCE_ANSWERS["capstone_selection"],
        "weights": {
            **SOURCE_ANSWERS["capstone_selection"]["weights"],
            "Низкая стоимость": 0.0,
        },
    },
    "capstone_journey_to_be": [
        *SOURCE_ANSWERS["capstone_journey_to_be"],
        _step(20, ""),
    ],
}
ALTERNATIVES = [
    Submission(base="source", cells={"kpi_dashboard": LOOPS_DASHBOARD}),
    Submission(base="source", cells={"kpi_dashboard": IDIOMS_DASHBOARD}, answers=WIDGET_LEFTOVERS),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def _graded_notebook(course, student):
    path = course.path("autograded", ASSIGNMENT, student) / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def _stdout(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


def test_unfilled_capstone_parts_fail_with_a_russian_message_not_a_crash(graded):
    """Do the partial learner's empty, short and wrongly shaped capstone parts each fail on
    a Russian assertion (no TypeError or KeyError), and her dashboard hint name only the two
    indicators she got wrong?"""
    course, _ = graded
    cells = _graded_notebook(course, "partial")
    for gid in CAPSTONE_TESTS:
        if gid in PARTIAL.expected:
            continue
        errors = [o for o in cells[gid].outputs if o.output_type == "error"]
        assert [e.ename for e in errors] == ["AssertionError"], gid
        assert any("а" <= ch <= "я" for ch in errors[0].evalue), gid
    hint = _stdout(cells["test_kpi_dashboard"])
    assert "applicants_within_15" in hint and "complaints_per_month" in hint
    assert "(satisfied)" not in hint and "(top_topic)" not in hint
    assert "Часть 1: 3 из 5." in hint


def test_capstone_summary_shows_the_project_to_the_instructor(graded):
    """Does the summary cell print the saved capstone for the instructor — the whole model
    project, the partial learner's parts with the broken ones flagged, and a Russian note when
    there is no answers file?"""
    course, _ = graded
    solution = _stdout(_graded_notebook(course, "solution")["capstone_summary"])
    assert "=== 2.8. Путь «как должно быть» ===" in solution
    assert "Работающий житель района 55–63 лет" in solution
    assert "Идея 1: Ценность для клиента 5" in solution
    assert "взвешенная оценка 4,00" in solution
    partial = _graded_notebook(course, "partial")["capstone_summary"]
    assert not [o for o in partial.outputs if o.output_type == "error"]
    text = _stdout(partial)
    assert "Сотрудник, который ездит в командировки" in text
    assert text.count("сохранено в неожиданном виде") == 2  # the empathy map and the ideas
    assert "(не заполнено)" in text  # the journey to be
    blank = _stdout(_graded_notebook(course, "blank")["capstone_summary"])
    assert f"Файл ответов {ANSWERS} не найден" in blank


def test_most_points_are_graded_by_the_teacher():
    """Is the capstone mostly graded by hand (at least 60% of the points), with every manual
    answer cell preceded by its mark scheme?"""
    auto = sum(auto_points(ASSIGNMENT).values())
    manual = manual_points(ASSIGNMENT)
    assert manual / (auto + manual) >= 0.6
    nb = nbformat.read(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for before, cell in zip(nb.cells, nb.cells[1:], strict=False):
        flags = cell.metadata["nbgrader"]
        if flags.get("grade") and flags.get("solution"):
            assert before.metadata["nbgrader"].get("task"), flags["grade_id"]
            assert "=== BEGIN MARK SCHEME ===" in before.source, flags["grade_id"]
