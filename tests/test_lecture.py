"""The lectures' configured widgets (cxlab/lecture.py, cxlab/lectures/*.json)."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import REPO

from cxlab import answers, lecture
from cxlab.widgets import CategorySort, Quiz

CALL = re.compile(r'lecture\.widget\(store, "([a-z_]+)"\)')
LECTURES = sorted(p.stem for p in (REPO / "course").glob("[0-9][0-9]_*.ipynb"))


def _calls(name: str) -> list[str]:
    nb = nbformat.read(REPO / "course" / f"{name}.ipynb", as_version=4)
    return [q for c in nb.cells if c.cell_type == "code" for q in CALL.findall(c.source)]


@pytest.mark.parametrize("name", LECTURES)
def test_every_configured_widget_of_a_lecture_is_built_and_used(name, tmp_path):
    """Does each task the notebook calls exist, build with the lecture's store, and is
    every configured task used by the notebook?"""
    store = answers.open_store(f"{name}_lecture", tmp_path)
    calls = _calls(name)
    assert calls, "the lecture shows no configured widget"
    assert sorted(calls) == sorted(lecture.config(name)), "configured and used tasks differ"
    for qid in calls:
        widget = lecture.widget(store, qid)
        assert widget.qid == qid and widget.store is store


def test_lecture_sorting_tasks_are_formative():
    """Does every sorting task of a lecture carry a key and an explanation per item?"""
    sorts = [
        (name, qid, task)
        for name in LECTURES
        for qid, task in lecture.config(name).items()
        if task["widget"] == "CategorySort"
    ]
    assert sorts, "the lectures have sorting tasks"
    for name, qid, task in sorts:
        assert set(task["key"]) == set(task["items"]), (name, qid)
        assert set(task["explanations"]) == set(task["items"]), (name, qid)


def test_a_formative_lecture_task_says_what_is_right(tmp_path):
    """Does 01's sorting task, after «Проверить», mark a wrong choice with the right one?"""
    store = answers.open_store("01_client_centricity_lecture", tmp_path)
    widget = lecture.widget(store, "lecture_centric_vs_oriented")
    assert isinstance(widget, CategorySort)
    widget.dropdowns["polite_registrar"].value = "centric"
    widget.check_button.click()
    assert "Правильно: «Клиентоориентированность»" in widget.marks["polite_registrar"].value


def test_the_self_check_is_a_quiz(tmp_path):
    """Is 00's self-check the Quiz with its questions from the configuration?"""
    store = answers.open_store("00_start_lecture", tmp_path)
    quiz = lecture.widget(store, "lecture_self_check")
    assert isinstance(quiz, Quiz)
    assert len(quiz.questions) == len(lecture.config("00_start")["lecture_self_check"]["questions"])


def test_unknown_lecture_task_or_store_is_refused(tmp_path):
    """Are a task that is not configured and a store that is not a lecture's refused?"""
    with pytest.raises(LookupError, match="no configured task"):
        lecture.widget(answers.open_store("00_start_lecture", tmp_path), "nothing")
    with pytest.raises(ValueError, match="not a lecture's answers file"):
        lecture.widget(answers.open_store("02_empathy", tmp_path), "lecture_self_check")


def test_configuration_files_are_valid_json_with_known_widgets():
    """Does every configuration file parse and name only widgets the module can build?"""
    for path in lecture.FOLDER.glob("*.json"):
        tasks = json.loads(path.read_text("utf-8"))
        assert {t["widget"] for t in tasks.values()} <= set(lecture.WIDGETS), path.name
