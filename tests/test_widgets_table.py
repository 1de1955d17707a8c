"""Tests for cxlab.widgets.table: the Field column spec and the TableEditor rows."""

from __future__ import annotations

import pytest
from conftest import browser_says
from ipywidgets.widgets.widget import _instances

from cxlab import answers
from cxlab.answers import AnswerError
from cxlab.widgets import Field, TableEditor

FIELDS = (
    Field("step", "Шаг"),
    Field("day", "День", kind="int", minimum=1, maximum=60),
    Field("minutes", "Минут", kind="float", minimum=0, maximum=1440),
    Field("mood", "Эмоция", kind="choice", options=(("плохо", -1), ("нейтрально", 0))),
    Field("group", "Группа", kind="combo", options=("запись", "оплата")),
)
EMPTY_ROW = {"step": "", "day": 1, "minutes": 0.0, "mood": -1, "group": ""}


class Steps(TableEditor):
    """A small table for the tests, built the way the real tools build theirs."""

    FIELDS = FIELDS
    ADD_LABEL = "Добавить шаг"
    MAX_ROWS = 3

    def __init__(self, store, qid, *, rows=()):
        super().__init__(store, qid, title="Шаги", rows=rows)
        self._build()


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _saved(tmp_path, qid="steps"):
    """The answer as a fresh store (a restarted kernel) reads it from disk."""
    return _store(tmp_path).get(qid)


def _file_bytes(tmp_path) -> bytes:
    return (tmp_path / "t.answers.json").read_bytes()


def _steps(tmp_path, **kwargs):
    return Steps(_store(tmp_path), "steps", **kwargs)


def _named(*names):
    return [{**EMPTY_ROW, "step": n} for n in names]


def _focus(sent):
    """Where the kernel asked the browser to put the keyboard focus (its last answer)."""
    return sent[-1]["focus"]


# -- Field ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "empty"),
    [
        pytest.param(Field("a", "А"), "", id="text"),
        pytest.param(Field("a", "А", kind="combo", options=("x",)), "", id="combo"),
        pytest.param(Field("a", "А", kind="int", minimum=1, maximum=5), 1, id="int-from-1"),
        pytest.param(Field("a", "А", kind="float", minimum=-5, maximum=5), 0, id="float-over-0"),
        pytest.param(Field("a", "А", kind="choice", options=(("x", 7), ("y", 8))), 7, id="choice"),
        pytest.param(Field("a", "А", kind="int", default=4, maximum=9), 4, id="default"),
    ],
)
def test_field_empty_value(field, empty):
    """Does a new row start with the default, the minimum if positive, 0, the first choice or
    empty text?"""
    assert field.empty() == empty


def test_field_refuses_an_unknown_kind_or_a_choice_without_options():
    """Are a field of unknown kind and a choice with no options refused at definition?"""
    with pytest.raises(ValueError, match="kind"):
        Field("a", "А", kind="date")
    with pytest.raises(ValueError, match="options"):
        Field("a", "А", kind="choice")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param(1, 1, id="minimum"),
        pytest.param(60, 60, id="maximum"),
        pytest.param(7.0, 7, id="whole-float"),
    ],
)
def test_int_field_accepts_whole_numbers_in_range(value, stored):
    """Does an int field accept whole numbers from its minimum to its maximum, as int?"""
    checked = FIELDS[1].check(value, 1)
    assert checked == stored
    assert type(checked) is int


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param(FIELDS[1], 0, "число 0 вне диапазона 1…60", id="int-below"),
        pytest.param(FIELDS[1], 61, "число 61 вне диапазона 1…60", id="int-above"),
        pytest.param(FIELDS[1], 2.5, "ожидалось целое число", id="int-fraction"),
        pytest.param(FIELDS[1], True, "ожидалось число", id="int-bool"),
        pytest.param(FIELDS[2], False, "ожидалось число", id="float-bool"),
        pytest.param(FIELDS[1], "5", "ожидалось число", id="int-text"),
        pytest.param(FIELDS[2], None, "ожидалось число", id="float-none"),
        pytest.param(FIELDS[2], float("nan"), "конечным", id="float-nan"),
        pytest.param(FIELDS[2], float("inf"), "конечным", id="float-inf"),
        pytest.param(FIELDS[2], -0.5, "вне диапазона 0…1440", id="float-below"),
        pytest.param(FIELDS[3], 1, "недопустимое значение 1", id="unknown-choice"),
        pytest.param(FIELDS[3], "плохо", "недопустимое значение", id="choice-label"),
        pytest.param(FIELDS[0], 5, "ожидался текст", id="text-number"),
        pytest.param(FIELDS[4], None, "ожидался текст", id="combo-none"),
    ],
)
def test_field_check_refuses_in_russian_with_row_and_column(field, value, message):
    """Is a value that does not fit the column refused, naming the row and the column?"""
    with pytest.raises(AnswerError) as info:
        field.check(value, 4)
    assert message in str(info.value)
    assert f"строка 4, «{field.label}»" in str(info.value)


def test_float_field_stores_a_float_and_choice_its_value():
    """Does a float field turn 3 into 3.0, and a choice field keep the option's value?"""
    assert type(FIELDS[2].check(3, 1)) is float
    assert FIELDS[2].check(1440, 1) == 1440.0
    assert FIELDS[3].check(0, 1) == 0
    assert FIELDS[4].check("новая группа", 1) == "новая группа"  # combo: free text


def test_field_specs_tell_the_browser_kind_bounds_and_options():
    """Does each column reach the browser view with its kind, bounds and options (a choice
    as [label, value] pairs, a combo's suggestions as text)?"""
    text, day, minutes, mood, group = (f.spec() for f in FIELDS)
    assert (text["kind"], text["label"], text["header"]) == ("text", "Шаг", "<b>Шаг</b>")
    assert (day["kind"], day["minimum"], day["maximum"]) == ("int", 1, 60)
    assert (minutes["kind"], minutes["minimum"], minutes["maximum"]) == ("float", 0, 1440)
    assert mood["options"] == [["плохо", -1], ["нейтрально", 0]]
    assert (group["kind"], group["options"]) == ("combo", ["запись", "оплата"])


def test_a_table_of_many_rows_is_one_widget_model(tmp_path):
    """Is a table one widget model however many rows it has (not a control, a layout and a
    style per cell): does a 3-row and a 60-row journey build the same number of models?"""

    class Long(Steps):
        MAX_ROWS = 200

    def models(rows):
        before = set(_instances)
        table = Long(None, None, rows=_named(*(f"шаг {i}" for i in range(rows))))
        assert len(table) == rows
        return [type(m).__name__ for k, m in _instances.items() if k not in before]

    models(1)  # the kernel's shared layouts and styles are made by the first table, once
    few, many = models(3), models(60)
    assert len(few) == len(many)
    assert many.count("TableView") == 1
    assert len(many) <= 8  # the box, the title, the view and its layout, status, extra


# -- rows ----------------------------------------------------------------------------------


def test_add_row_appends_an_empty_row_and_saves(tmp_path):
    """Does «Добавить» append a row of empty values and save the table?"""
    table = _steps(tmp_path)
    assert len(table) == 0
    sent = browser_says(table, action="add")
    assert len(table) == 1
    assert _saved(tmp_path) == [EMPTY_ROW]
    assert "Сохранено." in table.status.value
    assert table.view.rows == [EMPTY_ROW]
    assert _focus(sent) == {"row": 0, "part": "cell"}  # the learner types straight on


def test_add_row_with_values_fills_them_in(tmp_path):
    """Does add_row(values) fill in the given cells and leave the rest empty?"""
    table = _steps(tmp_path)
    table.add_row({"step": "Касса", "minutes": 25})
    assert _saved(tmp_path) == [{**EMPTY_ROW, "step": "Касса", "minutes": 25.0}]


def test_typing_into_a_cell_saves_the_table(tmp_path):
    """Does a cell the learner changed in the browser (a choice sent as the option's
    position) save the new value in its row, and reach the view?"""
    table = _steps(tmp_path)
    table.value = _named("Регистратура", "Касса")
    browser_says(table, action="edit", row=1, key="day", value=2)
    browser_says(table, action="edit", row=1, key="mood", value=1)  # «нейтрально»
    browser_says(table, action="edit", row=0, key="group", value="новая группа")
    expected = [
        {**EMPTY_ROW, "step": "Регистратура", "group": "новая группа"},
        {**EMPTY_ROW, "step": "Касса", "day": 2, "mood": 0},
    ]
    assert _saved(tmp_path) == expected
    assert table.view.rows == expected
    table.rows[1]["step"].value = "Касса №2"  # the same path, from Python
    assert _saved(tmp_path)[1]["step"] == "Касса №2"


@pytest.mark.parametrize(
    ("key", "sent", "stored"),
    [
        pytest.param("day", 99, 60, id="int-above-max"),
        pytest.param("day", -5, 1, id="int-below-min"),
        pytest.param("day", 2.6, 3, id="int-fraction"),
        pytest.param("minutes", 1e9, 1440.0, id="float-above-max"),
    ],
)
def test_a_number_out_of_range_is_brought_into_it(tmp_path, key, sent, stored):
    """Is a number typed beyond the column's range saved at the nearest bound, as a bounded
    number field does, and the cell drawn again with it?"""
    table = _steps(tmp_path, rows=[{"step": "А", "day": 5}])
    answer = browser_says(table, action="edit", row=0, key=key, value=sent)
    assert _saved(tmp_path)[0][key] == stored
    assert answer[-1]["redraw"] is True


@pytest.mark.parametrize(
    "content",
    [
        pytest.param({"action": "edit", "row": 0, "key": "day", "value": "пять"}, id="text-int"),
        pytest.param({"action": "edit", "row": 0, "key": "step", "value": 5}, id="number-text"),
        pytest.param({"action": "edit", "row": 0, "key": "mood", "value": 7}, id="no-option"),
        pytest.param({"action": "edit", "row": 0, "key": "colour", "value": "x"}, id="no-key"),
        pytest.param({"action": "edit", "row": 5, "key": "step", "value": "x"}, id="no-row"),
        pytest.param({"action": "delete", "row": True}, id="bool-row"),
        pytest.param({"action": "explode"}, id="no-action"),
    ],
)
def test_a_message_that_does_not_fit_changes_nothing(tmp_path, content):
    """Is a browser message that does not fit the table ignored or refused in Russian,
    with nothing saved and nothing raised?"""
    table = _steps(tmp_path)
    table.value = _named("А")
    before = _file_bytes(tmp_path)
    browser_says(table, **content)
    assert table.value == _named("А")
    assert _file_bytes(tmp_path) == before


def test_remove_row_deletes_that_row_and_saves(tmp_path):
    """Does «Удалить» on the middle row remove only it, and save?"""
    table = _steps(tmp_path)
    table.value = _named("А", "Б", "В")
    sent = browser_says(table, action="delete", row=1)
    assert _saved(tmp_path) == _named("А", "В")
    assert [r["step"].value for r in table.rows] == ["А", "В"]
    assert [r["step"] for r in table.view.rows] == ["А", "В"]
    assert _focus(sent) == {"row": 1, "part": "delete"}  # the next row's «Удалить»
    assert _focus(browser_says(table, action="delete", row=1)) == {"part": "add"}


def test_move_up_reorders_and_saves(tmp_path):
    """Does «↑» swap a row with the one above it and save the new order?"""
    table = _steps(tmp_path)
    table.value = _named("А", "Б", "В")
    sent = browser_says(table, action="up", row=2)
    assert _saved(tmp_path) == _named("А", "В", "Б")
    assert _focus(sent) == {"row": 1, "part": "up"}  # the focus follows the moved row
    table.move_up(1)
    assert _saved(tmp_path) == _named("В", "А", "Б")
    assert [r["step"].value for r in table.rows] == ["В", "А", "Б"]


def test_buttons_follow_the_rows_after_a_move(tmp_path):
    """After a move, does each row's «Удалить» still delete the row it is shown beside?"""
    table = _steps(tmp_path)
    table.value = _named("А", "Б", "В")
    table.move_up(2)  # А, В, Б
    browser_says(table, action="delete", row=2)
    assert _saved(tmp_path) == _named("А", "В")


def test_move_up_of_the_first_row_changes_nothing(tmp_path):
    """Does «↑» on the first row leave the table and the file as they are?"""
    table = _steps(tmp_path)
    table.value = _named("А", "Б")
    before = _file_bytes(tmp_path)
    table.move_up(0)
    assert table.value == _named("А", "Б")
    assert _file_bytes(tmp_path) == before


def test_notes_move_with_their_rows(tmp_path):
    """Does the feedback note beside a row travel with it when rows are reordered?"""

    class Noted(Steps):
        def _row_note(self, row):
            return f"note:{row['step']}"

    table = Noted(_store(tmp_path), "steps")
    table.value = _named("А", "Б")
    table.move_up(1)
    assert list(table.notes) == ["note:Б", "note:А"]
    table.rows[0]["step"].value = "Б2"
    assert table.notes[0] == "note:Б2"


def test_max_rows_refuses_another_row_in_russian(tmp_path):
    """At MAX_ROWS, is «Добавить» refused with a Russian message and nothing changed?"""
    table = _steps(tmp_path)
    for name in "АБВ":
        table.add_row({"step": name})
    before = _file_bytes(tmp_path)
    browser_says(table, action="add")
    assert len(table) == 3
    assert "Не добавлено: в таблице не может быть больше 3 строк." in table.status.value
    assert _file_bytes(tmp_path) == before
    assert _saved(tmp_path) == _named("А", "Б", "В")


def test_a_saved_table_over_max_rows_is_refused(tmp_path):
    """Is a saved table with more than MAX_ROWS rows refused in Russian on re-creation?"""
    _store(tmp_path).set("steps", _named("А", "Б", "В", "Г"))
    with pytest.raises(AnswerError, match="больше 3 строк"):
        _steps(tmp_path)


def test_a_saved_table_with_one_bad_row_changes_nothing(tmp_path):
    """Is a table value with a bad last row refused before any row is changed?"""
    table = _steps(tmp_path)
    table.value = _named("А", "Б")
    with pytest.raises(AnswerError, match="строка 2, «День»"):
        table.value = [{"step": "В"}, {"step": "Г", "day": 99}]
    assert table.value == _named("А", "Б")


@pytest.mark.parametrize(
    "value", [{"step": "А"}, ["А", "Б"], "А"], ids=["dict", "list-of-text", "text"]
)
def test_a_table_that_is_not_a_list_of_rows_is_refused(tmp_path, value):
    """Is a saved table that is not a list of dicts refused in Russian?"""
    _store(tmp_path).set("steps", value)
    with pytest.raises(AnswerError, match="список строк"):
        _steps(tmp_path)


def test_missing_and_unknown_keys_in_a_saved_row(tmp_path):
    """Does a saved row without some keys get the empty values, and unknown keys get dropped?"""
    _store(tmp_path).set("steps", [{"step": "А", "colour": "red"}])
    assert _steps(tmp_path).value == [{**EMPTY_ROW, "step": "А"}]


def test_a_table_needs_fields(tmp_path):
    """Is a table without columns refused?"""
    with pytest.raises(ValueError, match="field"):
        TableEditor(_store(tmp_path), "steps")


# -- initial rows --------------------------------------------------------------------------


def test_initial_rows_are_shown_when_nothing_is_saved(tmp_path):
    """With nothing saved, are the notebook's initial rows shown (and not yet saved)?"""
    table = _steps(tmp_path, rows=[{"step": "Пример"}])
    assert table.value == _named("Пример")
    assert table.status.value == ""
    assert list(tmp_path.iterdir()) == []


def test_a_saved_table_wins_over_initial_rows(tmp_path):
    """With a table saved, are the initial rows ignored in favour of the saved ones?"""
    _steps(tmp_path).value = _named("Мой шаг")
    table = _steps(tmp_path, rows=[{"step": "Пример"}, {"step": "Ещё пример"}])
    assert table.value == _named("Мой шаг")
    assert "Ответ восстановлен из файла." in table.status.value


def test_a_saved_empty_table_stays_empty(tmp_path):
    """When the learner deleted every row, does the table stay empty instead of refilling?"""
    table = _steps(tmp_path, rows=[{"step": "Пример"}])
    table.remove_row(0)
    assert _saved(tmp_path) == []
    again = _steps(tmp_path, rows=[{"step": "Пример"}])
    assert again.value == []
    assert again.view.rows == []


def test_initial_rows_without_a_store(tmp_path, monkeypatch):
    """Without a store, are the initial rows shown and nothing written?"""
    monkeypatch.chdir(tmp_path)
    table = Steps(None, None, rows=[{"step": "Пример"}])
    table.add_row({"step": "Ещё"})
    assert table.value == _named("Пример", "Ещё")
    assert list(tmp_path.iterdir()) == []


def test_table_header_shows_the_labels_escaped(tmp_path):
    """Are the column labels shown as headers, escaped as text?"""
    table = TableEditor(None, None, fields=[Field("a", "<b>Шаг</b>")], title="Т & Т")
    assert table.view.fields[0]["header"] == "<b>&lt;b&gt;Шаг&lt;/b&gt;</b>"
    assert table.view.fields[0]["label"] == "<b>Шаг</b>"  # an aria-label: text, not HTML
    assert table.box.children[0].value == "<b>Т &amp; Т</b>"


def test_snapshot_is_a_plain_html_table_with_russian_headers(tmp_path):
    """Does the table's static snapshot (what a notebook stored without widget state shows)
    hold the headers, every row with choices by their label, all escaped?"""
    table = _steps(tmp_path, rows=[{"step": "<script>x</script>", "minutes": 2.5, "mood": 0}])
    bundle = table._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert "<th>Шаг</th><th>День</th><th>Минут</th><th>Эмоция</th><th>Группа</th>" in page
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td><td>1</td><td>2,5</td>" in page
    assert "<td>нейтрально</td>" in page
    assert "<script>" not in page
    assert "Таблица пуста." in _steps(tmp_path / "x").snapshot()


def test_combo_suggestions_change_without_touching_the_rows(tmp_path):
    """Do a combo column's suggestions change for the view, and is a non-combo refused?"""
    table = _steps(tmp_path, rows=_named("а"))
    table.set_options("group", ["запись", "касса"])
    assert table.view.fields[4]["options"] == ["запись", "касса"]
    assert table.rows[0]["group"].options == ["запись", "касса"]
    with pytest.raises(ValueError, match="combo"):
        table.set_options("mood", ["x"])


def test_a_column_is_never_narrower_than_its_headers_longest_word():
    """Is a column's minimum width at least its header's longest word (so headers cannot
    run into each other), with a very long word hyphenated in the header?"""
    field = Field("support", "Поддерживающие процессы", width="13em")
    assert field.header() == "<b>Поддержи-<br>вающие процессы</b>"
    assert float(field.spec()["min_width"].removesuffix("em")) >= len("Поддержи-") * 0.8
    short = Field("minutes", "Минут", kind="float", width="6em")
    assert short.spec()["min_width"] == "4.6em"  # «Минут», not half of 6em
    wide = Field("step", "Шаг", width="16em")
    assert wide.spec()["min_width"] == "8em"  # half of its width
