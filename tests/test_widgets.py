"""Tests for cxlab.widgets, driven through their traits without a browser."""

from __future__ import annotations

import pytest

from cxlab import answers
from cxlab.answers import AnswerError
from cxlab.widgets import CategorySort, EmpathyMap, Quiz, TextAnswer
from cxlab.widgets.empathy import EMPATHY_QUADRANTS
from cxlab.widgets.quiz import Question

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TOO_LONG = "я" * 600_000  # 1.2 MB in UTF-8
LONG = "Длинный ответ. " * 7_000  # about 190 KB in UTF-8
SCRIPTS = "Спасибо 🙏🏽 👩‍👩‍👧 — Ça marche — 客户中心 — עברית"
ITEMS = {
    "o1": "«Опять очередь до самого выхода»",
    "o2": "Стоит у кабинета и смотрит на часы",
    "o3": "Боится не успеть до конца приёма",
}


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _saved(tmp_path, qid):
    """The answer as a fresh store (a restarted kernel) reads it from disk."""
    return _store(tmp_path).get(qid)


def _file_bytes(tmp_path) -> bytes:
    return (tmp_path / "t.answers.json").read_bytes()


def _forbid_saving(store):
    def refuse(qid, value):
        raise AssertionError(f"restoring must not save ({qid}={value!r})")

    store.set = refuse


def _text_answer(tmp_path):
    return TextAnswer(_store(tmp_path), "reflection", "Что вас удивило?", placeholder="…")


def _empathy_map(tmp_path):
    return EmpathyMap(_store(tmp_path), "emap", persona="Ирина К.")


def _sorter(tmp_path, categories=EMPATHY_QUADRANTS):
    return CategorySort(_store(tmp_path), "sort", ITEMS, categories, title="Разложите")


# -- TextAnswer ----------------------------------------------------------------------------


def test_text_answer_saves_what_is_typed(tmp_path):
    """Does typing into the text area save the answer to the file and say «Сохранено»?"""
    widget = _text_answer(tmp_path)
    widget.text.value = "Три чека в трёх кассах"
    assert _saved(tmp_path, "reflection") == "Три чека в трёх кассах"
    assert "Сохранено" in widget.status.value
    assert widget.value == "Три чека в трёх кассах"


def test_text_answer_is_restored_after_a_restart(tmp_path):
    """Does a new TextAnswer on the same file show the saved text and say «восстановлен»?"""
    _text_answer(tmp_path).text.value = "мой ответ"
    store = _store(tmp_path)
    _forbid_saving(store)
    again = TextAnswer(store, "reflection", "Что вас удивило?")
    assert again.text.value == "мой ответ"
    assert "восстановлен" in again.status.value


def test_a_fresh_text_answer_is_empty_and_silent(tmp_path):
    """With nothing saved, is the text area empty, the status blank and no file written?"""
    widget = _text_answer(tmp_path)
    assert widget.text.value == ""
    assert widget.status.value == ""
    assert list(tmp_path.iterdir()) == []


def test_text_answer_accepts_an_empty_answer(tmp_path):
    """Is clearing the text saved as an empty answer, and restored as such?"""
    widget = _text_answer(tmp_path)
    widget.text.value = "черновик"
    widget.text.value = ""
    assert _saved(tmp_path, "reflection") == ""
    assert "Сохранено" in widget.status.value
    again = _text_answer(tmp_path)
    assert again.text.value == ""
    assert "восстановлен" in again.status.value


@pytest.mark.parametrize("text", [LONG, SCRIPTS], ids=["100-kb", "emoji-and-scripts"])
def test_text_answer_round_trips_long_and_non_cyrillic_text(tmp_path, text):
    """Are a 100 KB text and text with emoji or other scripts saved and restored exactly?"""
    _text_answer(tmp_path).text.value = text
    assert _saved(tmp_path, "reflection") == text
    assert _text_answer(tmp_path).text.value == text


def test_text_answer_refuses_over_1_mb_and_keeps_the_saved_answer(tmp_path):
    """Is a text over 1 MB refused in Russian, with the earlier answer still on disk?"""
    widget = _text_answer(tmp_path)
    widget.text.value = "первый ответ"
    before = _file_bytes(tmp_path)

    widget.text.value = TOO_LONG

    assert "Не сохранено" in widget.status.value
    assert "длинный" in widget.status.value
    assert _file_bytes(tmp_path) == before
    assert _saved(tmp_path, "reflection") == "первый ответ"


def test_text_answer_refuses_a_saved_value_that_is_not_text(tmp_path):
    """If the file holds a non-text answer for this question, is that said clearly in Russian?"""
    _store(tmp_path).set("reflection", {"says": "x"})
    before = _file_bytes(tmp_path)
    with pytest.raises(AnswerError, match="текстом"):
        _text_answer(tmp_path)
    assert _file_bytes(tmp_path) == before


def test_status_html_escapes_the_message(tmp_path):
    """Is the status shown as escaped HTML, so an answer cannot inject markup?"""
    widget = TextAnswer(_store(tmp_path), "bad-id", "?")
    widget.text.value = "x"
    assert "Не сохранено" in widget.status.value
    assert "'bad-id'" not in widget.status.value
    assert "&#x27;bad-id&#x27;" in widget.status.value


# -- EmpathyMap ----------------------------------------------------------------------------


def test_empathy_map_saves_all_four_quadrants(tmp_path):
    """Does typing into one quadrant save the whole map, the others as empty text?"""
    widget = _empathy_map(tmp_path)
    widget.areas["says"].value = "«Три отгула — это очень много»"
    assert _saved(tmp_path, "emap") == {
        "says": "«Три отгула — это очень много»",
        "thinks": "",
        "does": "",
        "feels": "",
    }
    assert "Сохранено" in widget.status.value
    assert widget.filled() == ["says"]


def test_empathy_map_is_restored_after_a_restart(tmp_path):
    """Does a new EmpathyMap on the same file fill all four areas and say «восстановлен»?"""
    widget = _empathy_map(tmp_path)
    texts = {"says": "говорит", "thinks": "думает", "does": "делает", "feels": "чувствует"}
    for key, text in texts.items():
        widget.areas[key].value = text
    store = _store(tmp_path)
    _forbid_saving(store)
    again = EmpathyMap(store, "emap")
    assert {key: area.value for key, area in again.areas.items()} == texts
    assert "восстановлен" in again.status.value
    assert again.filled() == list(EMPATHY_QUADRANTS)


def test_empathy_map_value_setter_saves_the_whole_map(tmp_path):
    """Does assigning widget.value a dict fill the areas and save it?"""
    widget = _empathy_map(tmp_path)
    widget.value = {"feels": "тревогу", "does": "ждёт"}
    assert widget.areas["feels"].value == "тревогу"
    assert _saved(tmp_path, "emap") == {
        "says": "",
        "thinks": "",
        "does": "ждёт",
        "feels": "тревогу",
    }


def test_empathy_map_value_setter_refuses_a_non_dict(tmp_path):
    """Is a non-dict value for the map refused in Russian without writing anything?"""
    widget = _empathy_map(tmp_path)
    with pytest.raises(AnswerError, match="словар"):
        widget.value = "not a map"
    assert list(tmp_path.iterdir()) == []


def test_empathy_map_accepts_emptying_a_quadrant(tmp_path):
    """Is a quadrant cleared back to empty saved as empty?"""
    widget = _empathy_map(tmp_path)
    widget.areas["thinks"].value = "сомневается"
    widget.areas["thinks"].value = ""
    assert _saved(tmp_path, "emap")["thinks"] == ""
    assert widget.filled() == []


@pytest.mark.parametrize("text", [LONG, SCRIPTS], ids=["100-kb", "emoji-and-scripts"])
def test_empathy_map_round_trips_long_and_non_cyrillic_text(tmp_path, text):
    """Are a 100 KB text and text with emoji or other scripts saved and restored exactly?"""
    _empathy_map(tmp_path).areas["feels"].value = text
    assert _saved(tmp_path, "emap")["feels"] == text
    assert _empathy_map(tmp_path).areas["feels"].value == text


def test_empathy_map_refuses_over_1_mb_and_keeps_the_saved_map(tmp_path):
    """Is a quadrant over 1 MB refused in Russian, with the earlier map still on disk?"""
    widget = _empathy_map(tmp_path)
    widget.areas["says"].value = "сохранённая цитата"
    before = _file_bytes(tmp_path)

    widget.areas["does"].value = TOO_LONG

    assert "Не сохранено" in widget.status.value
    assert "длинный" in widget.status.value
    assert _file_bytes(tmp_path) == before
    assert _saved(tmp_path, "emap")["says"] == "сохранённая цитата"


# -- CategorySort --------------------------------------------------------------------------


def test_category_sort_saves_only_sorted_items(tmp_path):
    """Does choosing a category save {item: category} for the sorted items only?"""
    widget = _sorter(tmp_path)
    widget.dropdowns["o1"].value = "says"
    widget.dropdowns["o3"].value = "feels"
    assert _saved(tmp_path, "sort") == {"o1": "says", "o3": "feels"}
    assert "Сохранено" in widget.status.value


def test_category_sort_unsorting_an_item_removes_it(tmp_path):
    """Does re-selecting the empty option remove the item from the saved answer?"""
    widget = _sorter(tmp_path)
    widget.dropdowns["o1"].value = "says"
    widget.dropdowns["o2"].value = "does"
    widget.dropdowns["o1"].value = ""
    assert _saved(tmp_path, "sort") == {"o2": "does"}
    widget.dropdowns["o2"].value = ""
    assert _saved(tmp_path, "sort") == {}


def test_category_sort_is_restored_after_a_restart(tmp_path):
    """Does a new CategorySort on the same file set the dropdowns and say «восстановлен»?"""
    widget = _sorter(tmp_path)
    widget.dropdowns["o2"].value = "does"
    widget.dropdowns["o3"].value = "thinks"
    store = _store(tmp_path)
    _forbid_saving(store)
    again = CategorySort(store, "sort", ITEMS, EMPATHY_QUADRANTS)
    assert {k: dd.value for k, dd in again.dropdowns.items()} == {
        "o1": "",
        "o2": "does",
        "o3": "thinks",
    }
    assert "восстановлен" in again.status.value


KEY = {"o1": "says", "o2": "does", "o3": "feels"}
WHY = {"o1": "Это дословная цитата.", "o2": "Это наблюдаемое действие.", "o3": "Это эмоция."}


def _formative(tmp_path):
    return CategorySort(
        _store(tmp_path), "sort", ITEMS, EMPATHY_QUADRANTS, key=KEY, explanations=WHY
    )


def test_a_formative_sort_says_nothing_before_the_first_check(tmp_path):
    """Are right and wrong hidden until the learner presses «Проверить»?"""
    widget = _formative(tmp_path)
    widget.dropdowns["o1"].value = "thinks"
    assert all(mark.value == "" for mark in widget.marks.values())
    assert widget.result.value == ""


def test_a_formative_sort_marks_each_item_and_names_the_right_category(tmp_path):
    """After «Проверить», is each item marked, a wrong one given its right category and
    the reason, and the count shown?"""
    widget = _formative(tmp_path)
    widget.dropdowns["o1"].value = "says"
    widget.dropdowns["o2"].value = "thinks"
    widget.check_button.click()
    assert "✔ Верно." in widget.marks["o1"].value
    assert "Это дословная цитата." in widget.marks["o1"].value
    assert "✖ Правильно: «Делает»." in widget.marks["o2"].value
    assert "Это наблюдаемое действие." in widget.marks["o2"].value
    assert "Выберите категорию" in widget.marks["o3"].value
    assert "Верно: 1 из 3. Не выбрано: 1." in widget.result.value
    # the marks follow later changes, and the answer is saved as before
    widget.dropdowns["o2"].value = "does"
    widget.dropdowns["o3"].value = "feels"
    assert all("✔" in mark.value for mark in widget.marks.values())
    assert "Верно: 3 из 3." in widget.result.value
    assert _saved(tmp_path, "sort") == KEY


def test_a_graded_sort_has_no_check_and_stays_silent(tmp_path):
    """Without a key (the exercises' graded tasks), is there no «Проверить» and no verdict?"""
    widget = _sorter(tmp_path)
    widget.dropdowns["o1"].value = "feels"
    assert widget.check() is None
    assert not hasattr(widget, "check_button")
    assert widget.marks == {}
    assert "Верно" not in str([c.value for c in widget.box.children if hasattr(c, "value")])


@pytest.mark.parametrize(
    "key",
    [{"o1": "says"}, {"o1": "says", "o2": "does", "o3": "nowhere"}, {**KEY, "o9": "says"}],
    ids=["incomplete", "unknown-category", "unknown-item"],
)
def test_a_sort_key_must_fit_the_items(tmp_path, key):
    """Is a key that leaves out an item or names an unknown one refused?"""
    with pytest.raises(ValueError, match="key"):
        CategorySort(_store(tmp_path), "sort", ITEMS, EMPATHY_QUADRANTS, key=key)


def test_category_sort_with_listed_categories_round_trips_any_script(tmp_path):
    """With categories given as a list of labels (emoji, Chinese), are they saved and restored?"""
    categories = ["😀 радость", "客户", "Ça va"]
    widget = _sorter(tmp_path, categories)
    widget.dropdowns["o1"].value = "😀 радость"
    widget.dropdowns["o2"].value = "客户"
    assert _saved(tmp_path, "sort") == {"o1": "😀 радость", "o2": "客户"}
    again = _sorter(tmp_path, categories)
    assert again.dropdowns["o2"].value == "客户"


def test_category_sort_refuses_an_unknown_saved_category(tmp_path):
    """Does a saved answer with an unknown category raise a clear Russian AnswerError?"""
    _store(tmp_path).set("sort", {"o1": "says", "o2": "shouts"})
    before = _file_bytes(tmp_path)
    with pytest.raises(AnswerError) as info:
        _sorter(tmp_path)
    assert "Неизвестная категория" in str(info.value)
    assert "shouts" in str(info.value)
    assert _file_bytes(tmp_path) == before


def test_category_sort_ignores_saved_items_it_does_not_show(tmp_path):
    """Does a saved item that is no longer listed get ignored while the known ones restore?"""
    _store(tmp_path).set("sort", {"o1": "says", "gone": "does"})
    widget = _sorter(tmp_path)
    assert widget.dropdowns["o1"].value == "says"
    assert widget.value == {"o1": "says"}


def test_category_sort_needs_items(tmp_path):
    """Is a CategorySort without items refused?"""
    with pytest.raises(ValueError):
        CategorySort(_store(tmp_path), "sort", {}, EMPATHY_QUADRANTS)


# -- Quiz ----------------------------------------------------------------------------------

SINGLE = {
    "kind": "single",
    "text": "Сколько дней занимал путь до изменений?",
    "options": ["1", "2", "3"],
    "answer": 2,
    "explanation": "Три дня.",
}
MULTIPLE = {
    "kind": "multiple",
    "text": "Где платил заявитель?",
    "options": ["Поликлиника", "МФЦ", "ПНД", "НД"],
    "answer": [0, 2, 3],
    "explanation": "Три кассы.",
}
NUMERIC = {
    "kind": "numeric",
    "text": "Во сколько раз сократилось время?",
    "answer": 3.0,
    "tolerance": 0.1,
    "explanation": "Примерно втрое.",
}


def _quiz() -> Quiz:
    return Quiz([SINGLE, MULTIPLE, NUMERIC])


BAD_QUESTIONS = {
    "single-index-too-big": {**SINGLE, "answer": 3},
    "single-index-negative": {**SINGLE, "answer": -1},
    "single-answer-is-text": {**SINGLE, "answer": "3"},
    "multiple-index-too-big": {**MULTIPLE, "answer": [0, 4]},
    "multiple-answer-not-a-list": {**MULTIPLE, "answer": 0},
    "numeric-nan": {**NUMERIC, "answer": float("nan")},
    "numeric-text": {**NUMERIC, "answer": "3"},
    "unknown-kind": {**SINGLE, "kind": "essay"},
}


@pytest.mark.parametrize("spec", BAD_QUESTIONS.values(), ids=BAD_QUESTIONS.keys())
def test_quiz_refuses_an_answer_that_does_not_fit(spec):
    """Does a question whose answer does not fit its options or kind raise ValueError?"""
    with pytest.raises(ValueError):
        Quiz([SINGLE, spec])


def test_quiz_needs_questions():
    """Is an empty quiz refused?"""
    with pytest.raises(ValueError):
        Quiz([])


@pytest.mark.parametrize(
    ("spec", "response", "expected"),
    [
        pytest.param(SINGLE, 2, True, id="single-right"),
        pytest.param(SINGLE, 0, False, id="single-wrong"),
        pytest.param(MULTIPLE, (0, 2, 3), True, id="multiple-right"),
        pytest.param(MULTIPLE, (3, 2, 0), True, id="multiple-right-any-order"),
        pytest.param(MULTIPLE, (0, 2), False, id="multiple-too-few"),
        pytest.param(MULTIPLE, (0, 1, 2, 3), False, id="multiple-too-many"),
        pytest.param(NUMERIC, "3", True, id="numeric-integer"),
        pytest.param(NUMERIC, "3,0", True, id="numeric-comma-decimal"),
        pytest.param(NUMERIC, "3.05", True, id="numeric-within-tolerance"),
        pytest.param(NUMERIC, " 2,95 ", True, id="numeric-padded-comma"),
        pytest.param(NUMERIC, "3,2", False, id="numeric-outside-tolerance"),
        pytest.param(NUMERIC, "-3", False, id="numeric-wrong-sign"),
    ],
)
def test_question_check_judges_responses(spec, response, expected):
    """Does Question.check judge single, multiple and numeric responses, with Russian feedback?"""
    right, text = Question.from_dict(spec).check(response)
    assert right is expected
    if expected:
        assert text.startswith("Верно")
    else:
        assert "неверно" in text
    assert spec["explanation"] in text


def test_single_answer_zero_is_judged_not_taken_for_empty():
    """Is choosing the first option (index 0) judged, not mistaken for no answer?"""
    right, _ = Question.from_dict({**SINGLE, "answer": 0}).check(0)
    assert right is True


@pytest.mark.parametrize("response", ["три", "3 или 4", "3..0"])
def test_numeric_check_hints_on_text_that_is_not_a_number(response):
    """Does a non-number typed into a numeric question give a Russian hint and no verdict?"""
    right, text = Question.from_dict(NUMERIC).check(response)
    assert right is None
    assert "число" in text


@pytest.mark.parametrize("spec", [SINGLE, MULTIPLE, NUMERIC], ids=["single", "multiple", "numeric"])
@pytest.mark.parametrize("response", [None, (), ""], ids=["none", "empty-tuple", "empty-text"])
def test_question_check_hints_when_unanswered(spec, response):
    """Does an empty response give a hint and no verdict?"""
    right, text = Question.from_dict(spec).check(response)
    assert right is None
    assert "Сначала" in text


def test_quiz_check_single_through_the_radio_buttons():
    """After picking a radio button, does check() show «Верно» or «неверно» feedback?"""
    quiz = _quiz()
    quiz.inputs[0].index = 2
    assert quiz.check(0) is True
    assert "Верно" in quiz.feedback[0].value
    quiz.inputs[0].index = 1
    assert quiz.check(0) is False
    assert "неверно" in quiz.feedback[0].value


def test_quiz_check_multiple_through_the_checkboxes():
    """After ticking checkboxes, does check() judge the set of ticked options?"""
    quiz = _quiz()
    boxes = quiz.inputs[1].children
    boxes[0].value = True
    boxes[2].value = True
    assert quiz.check(1) is False
    assert "неверно" in quiz.feedback[1].value
    boxes[3].value = True
    assert quiz.check(1) is True
    assert "Верно" in quiz.feedback[1].value


def test_quiz_check_numeric_through_the_text_box():
    """After typing «3,0», does check() accept the comma decimal?"""
    quiz = _quiz()
    quiz.inputs[2].value = "3,0"
    assert quiz.check(2) is True
    assert "Верно" in quiz.feedback[2].value
    quiz.inputs[2].value = "пять"
    assert quiz.check(2) is None
    assert "Введите число" in quiz.feedback[2].value


@pytest.mark.parametrize("index", [0, 1, 2], ids=["single", "multiple", "numeric"])
def test_quiz_check_unanswered_gives_the_hint(index):
    """With nothing chosen or typed, does check() return None and show the hint?"""
    quiz = _quiz()
    assert quiz.check(index) is None
    assert "Сначала выберите или введите ответ" in quiz.feedback[index].value
    assert "Верно" not in quiz.feedback[index].value


def test_quiz_button_click_shows_feedback():
    """Does pressing «Проверить» under a question show its feedback?"""
    quiz = _quiz()
    quiz.inputs[0].index = 2
    block = quiz.box.children[1]
    button = block.children[2]
    assert button.description == "Проверить"
    button.click()
    assert "Верно" in quiz.feedback[0].value
    assert quiz.feedback[1].value == ""


def test_quiz_escapes_question_text():
    """Is question text shown as text, not as HTML?"""
    quiz = Quiz([{**SINGLE, "text": "<script>x</script>?"}])
    heading = quiz.box.children[1].children[0]
    assert "<script>" not in heading.value
    assert "&lt;script&gt;" in heading.value


# -- display -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [_text_answer, _empathy_map, _sorter, lambda _tmp: _quiz()],
    ids=["TextAnswer", "EmpathyMap", "CategorySort", "Quiz"],
)
def test_widgets_display_as_a_widget_view(tmp_path, make):
    """Does displaying each tool give Jupyter a widget view of its box?"""
    widget = make(tmp_path)
    bundle = widget._repr_mimebundle_()
    assert isinstance(bundle, dict)
    assert bundle[WIDGET_VIEW]["model_id"] == widget.box.model_id


# -- Quiz persistence ----------------------------------------------------------------------


def _stored_quiz(tmp_path) -> Quiz:
    return Quiz([SINGLE, MULTIPLE, NUMERIC], store=_store(tmp_path), qid="quiz")


def test_stored_quiz_saves_responses_as_they_are_chosen(tmp_path):
    """Are the chosen option, the ticked boxes and the typed number saved, unchecked?"""
    quiz = _stored_quiz(tmp_path)
    quiz.inputs[0].index = 1
    quiz.inputs[1].children[3].value = True
    quiz.inputs[1].children[0].value = True
    quiz.inputs[2].value = " 3,1 "
    assert _saved(tmp_path, "quiz") == [
        {"response": 1, "checked": False},
        {"response": [0, 3], "checked": False},
        {"response": "3,1", "checked": False},
    ]
    assert "Сохранено." in quiz.status.value


def test_stored_quiz_saves_which_questions_were_checked(tmp_path):
    """Does pressing «Проверить» save that the question was checked (right or wrong)?"""
    quiz = _stored_quiz(tmp_path)
    quiz.inputs[0].index = 2
    quiz.inputs[2].value = "7"
    quiz.box.children[1].children[2].click()  # «Проверить» under question 1
    quiz.check(2)
    assert [e["checked"] for e in _saved(tmp_path, "quiz")] == [True, False, True]


def test_checking_an_unanswered_question_is_not_saved_as_checked(tmp_path):
    """Does «Проверить» with no answer give the hint without marking the question checked?"""
    quiz = _stored_quiz(tmp_path)
    quiz.check(1)
    assert "Сначала" in quiz.feedback[1].value
    assert quiz.checked == [False, False, False]
    assert list(tmp_path.iterdir()) == []


def test_stored_quiz_is_restored_with_its_feedback(tmp_path):
    """After a restart, are the responses back and the checked questions' feedback shown?"""
    quiz = _stored_quiz(tmp_path)
    quiz.inputs[0].index = 2
    quiz.check(0)
    for i in (0, 1):
        quiz.inputs[1].children[i].value = True
    quiz.check(1)
    quiz.inputs[2].value = "3"  # typed, never checked
    before = _file_bytes(tmp_path)

    store = _store(tmp_path)
    _forbid_saving(store)
    again = Quiz([SINGLE, MULTIPLE, NUMERIC], store=store, qid="quiz")

    assert again.inputs[0].index == 2
    assert [box.value for box in again.inputs[1].children] == [True, True, False, False]
    assert again.inputs[2].value == "3"
    assert again.checked == [True, True, False]
    assert "Верно. Три дня." in again.feedback[0].value
    assert "Пока неверно. Три кассы." in again.feedback[1].value
    assert again.feedback[2].value == ""  # not checked: no verdict given away
    assert "Ответ восстановлен из файла." in again.status.value
    assert _file_bytes(tmp_path) == before


def test_assigning_quiz_value_clears_feedback_of_unchecked_questions(tmp_path):
    """When .value marks a question unchecked, is its old verdict cleared?"""
    quiz = _stored_quiz(tmp_path)
    quiz.inputs[0].index = 2
    quiz.check(0)
    quiz.value = [
        {"response": 0, "checked": False},
        {"response": [], "checked": False},
        {"response": "", "checked": False},
    ]
    assert quiz.feedback[0].value == ""
    assert quiz.checked == [False, False, False]
    assert _saved(tmp_path, "quiz")[0] == {"response": 0, "checked": False}


def test_a_bad_saved_quiz_leaves_the_controls_untouched(tmp_path):
    """Is a saved answer that fits the first question but not the second refused as a whole?"""
    quiz = _stored_quiz(tmp_path)
    quiz.inputs[0].index = 2
    with pytest.raises(AnswerError, match="Вопрос 2"):
        quiz.value = [{"response": 0}, {"response": [9]}, {"response": ""}]
    assert quiz.inputs[0].index == 2


def test_saved_answers_for_another_quiz_are_refused(tmp_path):
    """If the saved quiz had a different number of questions, is that said in Russian?"""
    Quiz([SINGLE], store=_store(tmp_path), qid="quiz").inputs[0].index = 1
    with pytest.raises(AnswerError, match="по числу вопросов"):
        _stored_quiz(tmp_path)


def test_an_unstored_quiz_still_works_and_writes_nothing(tmp_path, monkeypatch):
    """Without store and qid, do answering and checking work with no status and no file?"""
    monkeypatch.chdir(tmp_path)
    quiz = _quiz()
    quiz.inputs[0].index = 2
    assert quiz.check(0) is True
    assert quiz.checked == [True, False, False]
    assert quiz.value[0] == {"response": 2, "checked": True}
    assert quiz.status.value == ""
    assert list(tmp_path.iterdir()) == []


def test_quiz_needs_both_store_and_qid(tmp_path):
    """Is a quiz with a store but no question id refused?"""
    with pytest.raises(ValueError):
        Quiz([SINGLE], store=_store(tmp_path))


def test_changing_a_checked_answer_clears_its_verdict(tmp_path):
    """After «Проверить», does choosing another option clear the old verdict and save it?"""
    quiz = _stored_quiz(tmp_path)
    quiz.inputs[0].index = 2
    quiz.check(0)
    assert "Верно" in quiz.feedback[0].value
    quiz.inputs[0].index = 0
    assert quiz.feedback[0].value == ""
    assert _saved(tmp_path, "quiz")[0] == {"response": 0, "checked": False}
