"""Exercise 09, the capstone, through the real nbgrader pipeline (see
``tests/exercise_harness.py`` for the standard submissions and checks every assignment gets).

Most of its points are manual; the autograder scores the dashboard of part 1 and checks that
every capstone widget of part 2 is filled. The partial learner's dashboard gets three of the
five indicators right (mean instead of the longest wait per applicant, 18 months taken for
granted), and she fills only some capstone parts, two of them saved in a shape the widgets
never write. The alternatives compute the dashboard with loops and with other pandas idioms,
the second with a capstone that has blank rows and zero weights where the widgets allow them,
the third rounding its shares and averages as far as the task text allows. The hidden dashboard
test and the capstone checks are also run in-process against rounding and broken answers. The
last alternative fills only the core track's blanks of the release, with other idioms, and
writes the analyst's function with a loop.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from exercise_harness import (
    Submission,
    analyst_points,
    auto_points,
    captured_probes,
    code_cells,
    inprocess_key,
    manual_points,
    run_cell,
    source_answers,
    standard_tests,
)

from grader.trust.verdict import decide

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
        # Four finalists (0.25) and positive weights (0.25); idea 4 is not fully scored (0.5).
        "test_capstone_selection": 0.5,
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
# Rounded as the task text allows: shares to three decimals, complaints per month to one.
ROUNDED_DASHBOARD = """def kpi_dashboard(survey, log, complaints):
    wait = (log["served_at"] - log["queued_at"]).dt.total_seconds() / 60
    longest = wait.groupby([log["period"], log["applicant_id"]]).max()
    late = complaints["month"] < CHANGE_MONTH
    result = {key: {} for key in ("satisfied", "waits_within_15", "applicants_within_15",
                                  "complaints_per_month", "top_topic")}
    for period in ("до", "после"):
        marks = survey.loc[survey["period"] == period, "satisfaction"]
        result["satisfied"][period] = round(float((marks >= 4).mean()), 3)
        mine = wait[log["period"] == period]
        result["waits_within_15"][period] = round(float((mine <= 15).mean()), 3)
        worst = longest.loc[period]
        result["applicants_within_15"][period] = round(float((worst <= 15).mean()), 3)
        rows = complaints[late if period == "до" else ~late]
        per_month = rows.groupby("month")["count"].sum().mean()
        result["complaints_per_month"][period] = round(float(per_month), 1)
        result["top_topic"][period] = rows.groupby("topic")["count"].sum().idxmax()
    return result


kpi_dashboard(survey, log, complaints)
"""  # fmt: skip
ALTERNATIVES = [
    Submission(base="source", cells={"kpi_dashboard": LOOPS_DASHBOARD}),
    Submission(base="source", cells={"kpi_dashboard": IDIOMS_DASHBOARD}, answers=WIDGET_LEFTOVERS),
    Submission(base="source", cells={"kpi_dashboard": ROUNDED_DASHBOARD}),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "kpi_dashboard": [
                'satisfied = survey["satisfaction"].isin([4, 5]).groupby(survey["period"]).mean()',
                'waits_ok = log.groupby("period")["wait"].apply(lambda w: (w <= 15).mean())',
                "people_ok = longest.le(15).groupby(level=0).mean()",
                "per_month = monthly.groupby(level=0).sum() / monthly.groupby(level=0).size()",
                "top_topic = topics.apply(lambda column: column.idxmax())",
            ],
            "complaints_by_topic": [
                """found = {}
for _, row in complaints.iterrows():
    key = (row["topic"], row["month"] >= change_month)
    found.setdefault(key, []).append(row["count"])
means = {key: sum(v) / len(v) for key, v in found.items()}
return {
    topic: means[(topic, True)] - means[(topic, False)]
    for topic, later in means
    if later and (topic, False) in means
}"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def _graded_notebook(course, student):
    path = course.path("autograded", ASSIGNMENT, student) / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def _stdout(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


def test_unfilled_capstone_parts_fail_with_a_russian_message_not_a_crash(graded):
    """Do the partial learner's empty, short and wrongly shaped capstone parts each get a
    Russian verdict naming what to fill in (the check reached the grader: no TypeError or
    KeyError on the way), and her dashboard verdict name only the two indicators she got
    wrong?"""
    course, _ = graded
    cells = _graded_notebook(course, "partial")
    points = auto_points(ASSIGNMENT)
    for gid in CAPSTONE_TESTS:
        if PARTIAL.expected.get(gid) == points[gid]:
            continue
        verdict = _stdout(cells[gid])
        assert verdict.startswith("Баллы: "), gid
        assert "Пересмотрите: " in verdict, gid
        assert "Проверка не получила ответа" not in verdict, gid
        assert "ошибкой" not in verdict, gid
    selection = _stdout(cells["test_capstone_selection"])
    assert "Баллы: 0,5 из 1." in selection
    assert "оценены по всем критериям" in selection and "вес критерия" not in selection
    hint = _stdout(cells["test_kpi_dashboard"])
    assert "applicants_within_15" in hint and "complaints_per_month" in hint
    assert "(satisfied)" not in hint and "(top_topic)" not in hint
    assert "Баллы: 3 из 5." in hint


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
    """Is the capstone's core track mostly graded by hand (at least 60% of its points; the
    optional analyst part is counted apart), with every manual answer cell preceded by its mark
    scheme?"""
    auto = sum(auto_points(ASSIGNMENT).values()) - analyst_points(ASSIGNMENT)
    manual = manual_points(ASSIGNMENT)
    assert manual / (auto + manual) >= 0.6
    nb = nbformat.read(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for before, cell in zip(nb.cells, nb.cells[1:], strict=False):
        flags = cell.metadata["nbgrader"]
        if flags.get("grade") and flags.get("solution"):
            assert before.metadata["nbgrader"].get("task"), flags["grade_id"]
            assert "=== BEGIN MARK SCHEME ===" in before.source, flags["grade_id"]


# -- the checks in-process: rounding, plausible mistakes and broken answers files ---------


def _verdict(gid: str, namespace: dict):
    """The grader's verdict on the cell ``gid`` of the source run in ``namespace`` (in the
    current folder). A visible check's failing assert, which only speaks to the learner, is
    let pass: the probe was sent before it."""
    run = None
    with captured_probes() as sent, contextlib.suppress(AssertionError):
        run = run_cell(code_cells(ASSIGNMENT)[gid], namespace, gid)
    assert run is None or run.stderr == ""  # a hidden test never asserts; it warns nothing
    key = inprocess_key(ASSIGNMENT)["cells"][gid]
    return decide(key, sent[0] if sent else None, auto_points(ASSIGNMENT)[gid])


def _dashboard_verdict(learner_code: str, folder, monkeypatch):
    monkeypatch.chdir(folder)
    namespace: dict = {}
    for source in (code_cells(ASSIGNMENT)["setup"], learner_code):
        assert run_cell(source, namespace).stderr == ""
    return _verdict("test_kpi_dashboard", namespace)


def _rounded_dashboard(shares: int, averages: int) -> str:
    return (
        ROUNDED_DASHBOARD.replace("), 3)", f"), {shares})")
        .replace("(per_month), 1)", f"(per_month), {averages})")
        .replace("\n\nkpi_dashboard(survey, log, complaints)\n", "\n")
    )


@pytest.mark.parametrize(
    ("shares", "averages", "expected"),
    [(3, 1, 5), (4, 2, 5), (2, 1, 2), (1, 1, 2), (3, 0, 4)],
)
def test_hidden_dashboard_accepts_exactly_the_rounding_the_task_allows(
    shares, averages, expected, tmp_path, monkeypatch
):
    """Does a learner who rounds shares to three decimals and complaints per month to one, as
    the task text allows, keep every point, while coarser rounding costs those indicators?"""
    verdict = _dashboard_verdict(_rounded_dashboard(shares, averages), tmp_path, monkeypatch)
    assert verdict.score == expected
    assert ("Пересмотрите:" in verdict.text) is (expected < 5)


def test_hidden_dashboard_still_tells_a_strict_limit_from_within_15(tmp_path, monkeypatch):
    """Does the rounding allowed still catch waits counted as shorter than 15 minutes
    (instead of not longer than 15), in both wait indicators only?"""
    strict = _rounded_dashboard(4, 2).replace("<= 15", "< 15")
    verdict = _dashboard_verdict(strict, tmp_path, monkeypatch)
    assert verdict.score == 3
    assert "(waits_within_15)" in verdict.text and "(applicants_within_15)" in verdict.text
    assert "(satisfied)" not in verdict.text


def _capstone_score(gid: str, content: str | None, folder, monkeypatch):
    monkeypatch.chdir(folder)
    if content is not None:
        Path(ANSWERS).write_text(content, encoding="utf-8")
    return _verdict(gid, {})


def _answers_doc(**values) -> str:
    answers = {**SOURCE_ANSWERS, **values}
    doc = {"format": "cxlab-answers", "version": 1,
           "answers": {q: {"value": v, "saved_at": "2026-11-22T10:00:00+00:00"}
                       for q, v in answers.items()}}  # fmt: skip
    return json.dumps(doc, ensure_ascii=False)


_SCORES = SOURCE_ANSWERS["capstone_selection"]["scores"]
CAPSTONE_CASES = {
    # name: (test cell, answers file, expected score)
    "frame_50_words": ("test_capstone_frame", _answers_doc(capstone_frame="слово " * 50), 0.5),
    "frame_49_words": ("test_capstone_frame", _answers_doc(capstone_frame="слово " * 49), 0),
    "empathy_one_part_short": (
        "test_capstone_empathy",
        _answers_doc(
            capstone_empathy={**SOURCE_ANSWERS["capstone_empathy"], "feels": "раз два " * 3}
        ),
        0,
    ),
    "journey_one_pain": (
        "test_capstone_journey_as_is",
        _answers_doc(
            capstone_journey_as_is=[_step(1, f"Шаг {i}") for i in range(5)]
            + [_step(2, "Шаг с болью", "Боль")]
        ),
        0.5,
    ),
    "journey_pain_without_step": (
        "test_capstone_journey_as_is",
        _answers_doc(
            capstone_journey_as_is=[_step(1, f"Шаг {i}", "Боль") for i in range(5)]
            + [_step(2, " ", "Боль")]
        ),
        0.5,
    ),
    "problem_short_insight": (
        "test_capstone_problem",
        _answers_doc(capstone_problem={"user": "Житель", "need": "справка", "insight": "мало"}),
        0.25,
    ),
    "problem_no_user": (
        "test_capstone_problem",
        _answers_doc(capstone_problem={"user": " ", "need": "справка", "insight": "а " * 5}),
        0.25,
    ),
    "hmw_two_and_a_number": (
        "test_capstone_hmw",
        _answers_doc(
            capstone_hmw=[
                {"statement": "Как мы могли бы…"},
                {"statement": 7},
                {"statement": "Как мы могли бы ещё…"},
            ]
        ),
        0,
    ),
    "ideas_15_with_a_repeat": (
        "test_capstone_ideas",
        _answers_doc(
            capstone_ideas=[{"idea": f"Идея {i}", "group": ""} for i in range(14)]
            + [{"idea": " идея   0 ", "group": ""}]
        ),
        0,
    ),
    "selection_zero_weights": (
        "test_capstone_selection",
        _answers_doc(
            capstone_selection={"scores": _SCORES, "weights": dict.fromkeys(_SCORES["Идея 1"], 0)}
        ),
        0.75,
    ),
    "selection_score_out_of_range": (
        "test_capstone_selection",
        _answers_doc(
            capstone_selection={
                **SOURCE_ANSWERS["capstone_selection"],
                "scores": {**_SCORES, "Идея 3": {**_SCORES["Идея 3"], "Реализуемость": 6}},
            }
        ),
        0.5,
    ),
    "journey_to_be_three_steps": (
        "test_capstone_journey_to_be",
        _answers_doc(capstone_journey_to_be=[_step(1, f"Шаг {i}") for i in range(3)]),
        0,
    ),
}


@pytest.mark.parametrize("case", sorted(CAPSTONE_CASES))
def test_capstone_checks_count_what_the_task_asks(case, tmp_path, monkeypatch):
    """Does each capstone check give its points exactly at the thresholds the task states,
    with a Russian «Пересмотрите» when a part falls short?"""
    gid, content, expected = CAPSTONE_CASES[case]
    verdict = _capstone_score(gid, content, tmp_path, monkeypatch)
    assert verdict.score == expected
    assert ("Пересмотрите:" in verdict.text) is (expected < auto_points(ASSIGNMENT)[gid])


def test_the_model_capstone_earns_every_capstone_point(tmp_path, monkeypatch):
    """Does the source's own answers file pass every capstone check in-process?"""
    for gid in CAPSTONE_TESTS:
        verdict = _capstone_score(gid, _answers_doc(), tmp_path, monkeypatch)
        assert verdict.score == auto_points(ASSIGNMENT)[gid], gid


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"format": "cxlab-answers", "version": 1, "answers": []}),
        json.dumps({"answers": {q: {"value": 7} for q in SOURCE_ANSWERS}}),
        json.dumps({"answers": {q: "text" for q in SOURCE_ANSWERS}}),
        json.dumps({"answers": {q: {"value": [None, 1, ""]} for q in SOURCE_ANSWERS}}),
        None,  # no answers file at all
    ],
    ids=["not_json", "answers_list", "value_number", "no_value", "value_list", "missing"],
)
def test_broken_answers_file_scores_zero_on_every_capstone_check(content, tmp_path, monkeypatch):
    """Does a missing or malformed answers file give 0 on every capstone check, with a
    Russian verdict rather than an error?"""
    for gid in CAPSTONE_TESTS:
        verdict = _capstone_score(gid, content, tmp_path, monkeypatch)
        assert verdict.score == 0, gid
        assert "Пересмотрите:" in verdict.text and "ошибкой" not in verdict.text, gid
