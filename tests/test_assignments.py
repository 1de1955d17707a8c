"""The Russian assignment panel (cxlab/assignments.py) against a real nbgrader exchange:
a learner fetches, checks, submits and fetches feedback through the panel's buttons."""

from __future__ import annotations

import re

import pytest
from traitlets.config import Config

from cxlab import assignments
from grader.course import Course

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_client_centricity"
LEARNER = "ivanova"


def _learner_config(exchange) -> Config:
    """The learner's nbgrader settings; the submission cache sits beside the exchange
    (nbgrader's default, in the account's data folder, would leak between tests)."""
    c = Config()
    c.Exchange.cache = str(exchange.parent / "nbgrader-cache")
    c.CourseDirectory.course_id = "cxlab"
    c.CourseDirectory.student_id = LEARNER
    c.Exchange.root = str(exchange)
    c.Exchange.path_includes_course = True
    return c


def _buttons(panel) -> dict[str, object]:
    row = panel.rows.children[0]
    return {b.description: b for b in row.children[1:]}


def _status(panel) -> str:
    return re.sub(r"<[^>]+>", " ", panel.rows.children[0].children[0].value)


def test_a_learner_fetches_checks_submits_and_reads_feedback_in_russian(tmp_path):
    """Can a learner do the whole round through the panel, with Russian statuses and
    messages, while the course runs stock nbgrader on the other side?"""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    course = Course(tmp_path / "course", exchange_root=exchange)
    home = tmp_path / LEARNER
    home.mkdir()
    panel = assignments.panel(home, _learner_config(exchange))
    assert panel.rows.children == ()  # nothing is asked of the exchange before a click
    assert "Нажмите «Обновить список»" in panel.message.value
    panel.box.children[1].click()
    assert "Заданий пока нет" in panel.rows.children[0].value

    course.generate(ASSIGNMENT)
    course.release(ASSIGNMENT)
    panel.refresh()
    assert "можно получить" in _status(panel)
    assert set(_buttons(panel)) == {"Получить"}

    _buttons(panel)["Получить"].click()
    folder = home / "cxlab" / ASSIGNMENT
    assert (folder / f"{ASSIGNMENT}.ipynb").is_file()
    assert "получено" in _status(panel)
    assert {"Проверить", "Отправить"} <= set(_buttons(panel))

    _buttons(panel)["Проверить"].click()  # nbgrader's validation of the blank release
    assert f"{ASSIGNMENT}.ipynb: не пройдено открытых проверок: 6." in panel.message.value
    assert "color:#b71c1c" in panel.message.value

    _buttons(panel)["Отправить"].click()
    assert "Отправлено." in panel.message.value
    assert re.search(r"отправлено \d{1,2} [а-я]+ \d{4}, \d\d:\d\d", _status(panel))

    course.collect(ASSIGNMENT)
    course.autograde(ASSIGNMENT, LEARNER)
    course.feedback(ASSIGNMENT, LEARNER)
    course.api.release_feedback(ASSIGNMENT, LEARNER)
    panel.refresh()
    assert "есть отзыв преподавателя" in _status(panel)
    _buttons(panel)["Получить отзыв"].click()
    assert "Отзыв: cxlab/01_client_centricity/feedback/" in panel.message.value
    assert list(folder.glob("feedback/*/*.html"))
    assert "отзыв получен" in _status(panel)
    assert not re.search(r"\b(?:Fetch|Submit|Validate|Feedback)\b", panel.box.children[0].value)


def test_an_exchange_problem_is_told_in_russian(tmp_path):
    """Does a missing exchange give a Russian message instead of a traceback?"""
    missing = tmp_path / "no-such-exchange"
    missing.touch()  # a file where the exchange folder should be: it cannot be created
    panel = assignments.panel(tmp_path, _learner_config(missing / "x"), load=True)
    assert panel.rows.children == ()
    assert "Не удалось получить список заданий." in panel.message.value
    assert "Папка обмена заданиями недоступна" in panel.message.value
