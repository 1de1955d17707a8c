"""Behaviour of the testing tools: sus_score, SUSQuestionnaire and TestSessionLog.

SUS scores are worked out by hand in the comments; the ten statements are checked against the
table in lecture 07. The save/restore contract is in test_widget_contract.py.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import browser_says

from cxlab import answers
from cxlab.answers import AnswerError
from cxlab.widgets import SUSQuestionnaire, TestSessionLog
from cxlab.widgets.testing import SUS_ITEMS, sus_score

P01 = [4, 2, 4, 3, 4, 3, 4, 2, 4, 2]  # lecture 07: odd 3*5 = 15, even 3+2+2+3+3 = 13 -> 70


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _answer(widget, ratings):
    for buttons, rating in zip(widget.items, ratings, strict=True):
        buttons.value = None if rating is None else str(rating)


# -- sus_score -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("responses", "score"),
    [
        pytest.param([3] * 10, 50.0, id="all-neutral"),
        pytest.param([5, 1] * 5, 100.0, id="best"),
        pytest.param([1, 5] * 5, 0.0, id="worst"),
        pytest.param([5] * 10, 50.0, id="all-agree"),
        pytest.param(P01, 70.0, id="lecture-p01"),
        # odd 5,4,3,4,5 -> 4+3+2+3+4 = 16; even 2,1,3,2,1 -> 3+4+2+3+4 = 16; 32 * 2.5 = 80
        pytest.param([5, 2, 4, 1, 3, 3, 4, 2, 5, 1], 80.0, id="mixed-80"),
        # odd 4 x5 -> 15; even 2,2,2,2,1 -> 3+3+3+3+4 = 16; 31 * 2.5 = 77.5
        pytest.param([4, 2, 4, 2, 4, 2, 4, 2, 4, 1], 77.5, id="mixed-77.5"),
    ],
)
def test_sus_score_known_values(responses, score):
    """Does sus_score give the hand-computed score (odd: rating − 1, even: 5 − rating, × 2.5)?"""
    assert sus_score(responses) == score


def test_sus_score_is_none_while_incomplete():
    """Is there no score until all ten statements are answered?"""
    assert sus_score([None] * 10) is None
    assert sus_score([*P01[:9], None]) is None


@pytest.mark.parametrize(
    "responses",
    [
        pytest.param([3] * 9, id="nine"),
        pytest.param([3] * 11, id="eleven"),
        pytest.param([], id="none"),
        pytest.param([3] * 9 + [0], id="zero"),
        pytest.param([3] * 9 + [6], id="six"),
        pytest.param([3] * 9 + [3.0], id="float"),
        pytest.param([3] * 9 + [True], id="bool"),
        pytest.param([3] * 9 + ["3"], id="text"),
    ],
)
def test_sus_score_refuses_wrong_length_or_values(responses):
    """Are a wrong number of ratings or a rating that is not 1–5 refused?"""
    with pytest.raises(ValueError):
        sus_score(responses)


# -- the SUS statements --------------------------------------------------------------------


def _lecture_sus_items(repo) -> list[str]:
    """The ten statements of the SUS table in lecture 07 («| № | Утверждение |»)."""
    nb = nbformat.read(repo / "course" / "07_testing.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "| № | Утверждение |" in cell.source:
            rows = re.findall(r"^\| (\d+) \| (.+?) \|$", cell.source, flags=re.MULTILINE)
            assert [int(n) for n, _text in rows] == list(range(1, 11))
            return [text for _n, text in rows]
    raise AssertionError("lecture 07 has no SUS table")


def test_sus_items_are_the_lectures(repo):
    """Are the widget's ten statements word for word the ones in lecture 07's table?"""
    assert list(SUS_ITEMS) == _lecture_sus_items(repo)


def test_questionnaire_shows_the_statements_numbered():
    """Does the questionnaire show every statement with its number and a 1–5 scale?"""
    widget = SUSQuestionnaire(None, None, product="новый порядок медосмотра")
    assert len(widget.items) == 10
    labels = [row.children[0].value for row in widget.box.children[1:11]]
    assert labels == [f"{n}. {text}" for n, text in enumerate(SUS_ITEMS, 1)]
    assert all(list(b.options) == ["1", "2", "3", "4", "5"] for b in widget.items)
    assert "оцените новый порядок медосмотра" in widget.box.children[0].value


# -- SUSQuestionnaire ----------------------------------------------------------------------


def test_questionnaire_lists_unanswered_statements():
    """While incomplete, does it list the statements still to answer, and no score?"""
    widget = SUSQuestionnaire(None, None)
    _answer(widget, [*P01[:8], None, None])
    assert widget.score() is None
    assert "Осталось ответить: 9, 10." in widget.result.value
    assert "Балл" not in widget.result.value


def test_a_fresh_questionnaire_lists_all_ten():
    """Does an empty questionnaire ask for all ten statements?"""
    widget = SUSQuestionnaire(None, None)
    assert "Осталось ответить: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10." in widget.result.value


@pytest.mark.parametrize(
    ("ratings", "shown", "words"),
    [
        pytest.param(P01, "70,0", "выше среднего", id="70"),
        pytest.param([4, 2, 4, 2, 4, 2, 4, 2, 4, 1], "77,5", "выше среднего", id="77.5"),
        pytest.param([5, 2, 4, 1, 3, 3, 4, 2, 5, 1], "80,0", "выше среднего", id="80"),
        pytest.param([5, 1] * 5, "100,0", "отличное удобство", id="100"),
        pytest.param([3] * 10, "50,0", "плохое удобство", id="50"),
    ],
)
def test_questionnaire_shows_the_score_with_a_decimal_comma(ratings, shown, words):
    """Is the score shown «Балл SUS: 77,5 из 100» with a plain-language reading?"""
    widget = SUSQuestionnaire(None, None)
    _answer(widget, ratings)
    assert f"Балл SUS: {shown} из 100" in widget.result.value
    assert words in widget.result.value


def test_questionnaire_saves_ratings_as_numbers(tmp_path):
    """Are the ratings saved as numbers 1–5, None where not yet answered?"""
    widget = SUSQuestionnaire(_store(tmp_path), "sus")
    widget.items[0].value = "4"
    widget.items[9].value = "2"
    assert _store(tmp_path).get("sus") == [4, None, None, None, None, None, None, None, None, 2]


def test_questionnaire_restores_the_score(tmp_path):
    """After a restart, are the ratings and the score back?"""
    _answer(SUSQuestionnaire(_store(tmp_path), "sus"), P01)
    again = SUSQuestionnaire(_store(tmp_path), "sus")
    assert [b.value for b in again.items] == [str(r) for r in P01]
    assert again.score() == 70.0
    assert "Балл SUS: 70,0 из 100" in again.result.value


# -- TestSessionLog ------------------------------------------------------------------------

TASKS = ("Записаться к врачам", "Оплатить медосмотр", "Найти кабинет")


def _attempt(participant, task, outcome, seconds, errors=0, notes=""):
    return {
        "participant": participant,
        "task": task,
        "outcome": outcome,
        "seconds": seconds,
        "errors": errors,
        "notes": notes,
    }


LOG = [
    _attempt("P01", TASKS[0], "success", 60),
    _attempt("P02", TASKS[0], "assisted", 90, 1, "Не нашёл кнопку"),
    _attempt("P03", TASKS[0], "fail", 200, 3),
    _attempt("P04", TASKS[0], "success", 40),
    _attempt("P01", TASKS[1], "success", 30),
    _attempt("P02", TASKS[1], "assisted", 45, 1),
    _attempt("P03", TASKS[1], "assisted", 80, 2),
]


def _log(store=None, qid=None):
    return TestSessionLog(store, qid, TASKS)


def test_task_summary_counts_only_success_as_success():
    """Is the success rate the share of «успех» only, with «с подсказкой» counted apart?"""
    widget = _log()
    widget.value = LOG
    summary = widget.task_summary()
    # task 1: success 2/4, assisted 1/4, seconds 40, 60, 90, 200 -> median (60 + 90) / 2
    assert summary[TASKS[0]] == {
        "attempts": 4,
        "success_rate": 0.5,
        "assisted_rate": 0.25,
        "median_seconds": 75.0,
    }
    # task 2: success 1/3, assisted 2/3, seconds 30, 45, 80 -> median 45
    assert summary[TASKS[1]] == pytest.approx(
        {"attempts": 3, "success_rate": 1 / 3, "assisted_rate": 2 / 3, "median_seconds": 45.0}
    )
    assert TASKS[2] not in summary  # no attempts yet


def test_task_summary_table_in_percent():
    """Does the summary table show attempts, success, assisted and median time per task?"""
    widget = _log()
    widget.value = LOG
    html = widget.summary.value
    assert f"<tr><td>{TASKS[0]}</td><td>4</td><td>50%</td><td>25%</td><td>75</td></tr>" in html
    assert f"<tr><td>{TASKS[1]}</td><td>3</td><td>33%</td><td>67%</td><td>45</td></tr>" in html
    assert TASKS[2] not in html
    assert "смотрите на проблемы" in html


def test_an_empty_log_says_so():
    """With no attempts, does the summary say there are no records?"""
    assert "Пока нет записей." in _log().summary.value


def test_logging_an_attempt_through_the_controls_saves_it(tmp_path):
    """Does adding a row and choosing its task and outcome in the browser save the attempt
    (a choice arrives as the option's position)?"""
    widget = _log(_store(tmp_path), "log")
    browser_says(widget, action="add")
    browser_says(widget, action="edit", row=0, key="participant", value="P05")
    browser_says(widget, action="edit", row=0, key="task", value=2)
    browser_says(widget, action="edit", row=0, key="outcome", value=2)  # «неудача»
    browser_says(widget, action="edit", row=0, key="seconds", value=300)
    assert _store(tmp_path).get("log") == [_attempt("P05", TASKS[2], "fail", 300)]
    assert widget.task_summary()[TASKS[2]]["success_rate"] == 0.0


def test_a_new_row_starts_with_the_first_task_and_success():
    """Does a new row default to the first task, «успех» and zero seconds and errors?"""
    widget = _log()
    widget.add_row()
    assert widget.value == [_attempt("", TASKS[0], "success", 0)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param({"task": "Уволиться"}, "«Задание»: недопустимое значение", id="task"),
        pytest.param({"outcome": "maybe"}, "«Результат»: недопустимое значение", id="outcome"),
        pytest.param({"seconds": -1}, "«Время, с»: число -1 вне диапазона", id="seconds"),
        pytest.param({"errors": 0.5}, "«Ошибок»: ожидалось целое число", id="errors"),
    ],
)
def test_a_row_that_does_not_fit_is_refused(tmp_path, row, message):
    """Is a saved attempt with an unknown task or outcome or a bad number refused in Russian?"""
    store = _store(tmp_path)
    store.set("log", [{**_attempt("P01", TASKS[0], "success", 10), **row}])
    with pytest.raises(AnswerError, match=message):
        _log(store, "log")


def test_adding_a_row_with_an_unknown_task_is_refused():
    """Is add_row with a task not in the list refused, with no half-made row left behind?"""
    widget = _log()
    with pytest.raises(AnswerError, match="недопустимое значение"):
        widget.add_row({"task": "Уволиться"})
    assert len(widget) == 0


@pytest.mark.parametrize(
    "tasks", [(), ("Задание", "Задание"), ("Задание", "  ")], ids=["none", "repeated", "blank"]
)
def test_log_needs_unique_tasks(tasks):
    """Are missing, repeated or blank task names refused?"""
    with pytest.raises(ValueError):
        TestSessionLog(None, None, tasks)
