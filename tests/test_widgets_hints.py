"""Tests for cxlab.widgets.hints: progressive hints, opened one at a time and recorded."""

from __future__ import annotations

import json

import pytest

from cxlab import answers
from cxlab.widgets import Hints

HINTS = ["Перечитайте таблицу ключей.", 'Пример из лекции: `df["day"].nunique()`.', "Почти ответ."]


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def test_hints_open_one_at_a_time_and_the_count_is_saved(tmp_path):
    """Does each click open exactly the next hint and save how many are open?"""
    hints = Hints(_store(tmp_path), "hints_q1", HINTS)
    assert hints.value == 0
    assert "Подсказка 1" not in hints.shown.value
    assert hints.button.description == "Показать подсказку 1 из 3"
    hints.button.click()
    assert hints.value == 1
    assert "Перечитайте таблицу ключей." in hints.shown.value
    assert "Подсказка 2" not in hints.shown.value
    assert _store(tmp_path).get("hints_q1") == 1
    hints.button.click()
    assert "<code>df[&quot;day&quot;].nunique()</code>" in hints.shown.value
    assert hints.button.description == "Показать подсказку 3 из 3"
    hints.button.click()
    assert hints.value == 3
    assert hints.button.disabled
    assert hints.button.description == "Все подсказки открыты"
    hints.button.click()  # a click on the disabled button changes nothing
    assert _store(tmp_path).get("hints_q1") == 3
    assert hints.count.value == "3 из 3"


def test_opened_hints_come_back_after_a_restart(tmp_path):
    """After a kernel restart, are the opened hints shown again (and not re-saved)?"""
    Hints(_store(tmp_path), "hints_q1", HINTS).button.click()
    again = Hints(_store(tmp_path), "hints_q1", HINTS)
    assert again.value == 1
    assert "Перечитайте таблицу ключей." in again.shown.value
    assert "Подсказка 2" not in again.shown.value
    assert "Ответ восстановлен из файла." in again.status.value


def test_the_count_lands_in_the_answers_file_beside_other_answers(tmp_path):
    """Does the instructor find the number of opened hints in the answers file, next to the
    learner's other answers?"""
    _store(tmp_path).set("empathy_sort", {"o1": "says"})
    Hints(_store(tmp_path), "hints_sort", HINTS[:2]).button.click()
    doc = json.loads((tmp_path / "t.answers.json").read_text(encoding="utf-8"))
    assert doc["answers"]["hints_sort"]["value"] == 1
    assert doc["answers"]["empathy_sort"]["value"] == {"o1": "says"}


@pytest.mark.parametrize("bad", [[], ["a"] * 6, ["", "b"], [5, "b"]])
def test_a_bad_list_of_hints_is_refused(tmp_path, bad):
    """Are an empty list, too many hints and empty or non-text hints refused?"""
    with pytest.raises(ValueError):
        Hints(_store(tmp_path), "hints_q1", bad)


def test_the_labels_are_russian_and_say_hints_cost_nothing(tmp_path):
    """Does the widget say in Russian that hints cost no points?"""
    hints = Hints(None, None, HINTS)
    text = hints.box.children[0].value
    assert "не снижают баллы" in text
