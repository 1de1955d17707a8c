"""Tests for cxlab.steps: the learner's instant, Russian, form-only check of a step."""

from __future__ import annotations

import linecache
import re

import pandas as pd
import pytest

from cxlab import steps

SPEC = steps.Record(
    {
        "minutes": steps.Number("общее время", low=0),
        "days": steps.Number("число дней", low=1, whole=True),
        "share": steps.Number("доля ожидания", low=0, high=1),
    }
)
TABLE = pd.DataFrame({"day": [1, 1, 2], "queue_min": [10.0, 20.0, 5.0]})
CYRILLIC = re.compile("[а-яё]", re.I)


def _define(source: str, name: str):
    """Define a function from a "cell" whose source the traceback can show (as IPython does)."""
    filename = f"<cell-{name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


SCAFFOLD = """\
def summary(df):
    # Сколько минут ушло на очереди: сумма столбца queue_min.
    minutes = df["queue_min"].sum()
    # Пропуск 2. Сколько разных дней: число разных значений столбца day.
    # Запишите: days = ...
    # ВАШ КОД ЗДЕСЬ
    raise NotImplementedError("Замените эту строку своим решением")
    return {"minutes": minutes, "days": days, "share": 0.5}
"""


def test_a_well_formed_answer_passes_without_revealing_anything():
    """Does a right-shaped answer get «форма верна» for each part and no expected value?"""
    rep = steps.report("Часть 1", {"minutes": 35.0, "days": 2, "share": 0.25}, SPEC)
    assert rep.ok
    assert rep.text.count("✔") == 3
    assert "Форма ответа верна" in rep.text
    assert "35" not in rep.text and "0,25" not in rep.text


def test_a_blank_left_empty_is_named_with_the_comment_above_it():
    """Does an unfilled blank say so and point at the comment above the blank?"""
    rep = steps.report("Часть 1", steps.run(_define(SCAFFOLD, "summary"), TABLE), SPEC)
    assert not rep.ok
    assert "незаполненный пропуск «ВАШ КОД ЗДЕСЬ»" in rep.text
    assert "под комментарием «Пропуск 2. Сколько разных дней" in rep.text
    assert "Запишите: days = ...»" in rep.text
    assert "Пересмотрите: пропуски в коде." in rep.text


def test_each_misshaped_part_is_listed_to_reconsider():
    """Are the parts of a wrong form named (text for a number, a fraction of a day, a share
    above 1, a missing key), and only those?"""
    rep = steps.report("Часть 1", {"minutes": "35", "days": 1.5}, SPEC)
    assert rep.reconsider == ["minutes (общее время)", "days (число дней)", "share (доля ожидания)"]
    assert "уберите кавычки" in rep.text
    assert "целое" in rep.text
    assert "ключа нет" in rep.text
    rep = steps.report("Часть 1", {"minutes": 35, "days": 2, "share": 25.0}, SPEC)
    assert rep.reconsider == ["share (доля ожидания)"]
    assert "не может быть больше 1" in rep.text


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('return {"x": df["no_such_column"].sum()}', "нет столбца"),
        ("return {'days': dayz}", "не определено"),
        ("return None", "словарь"),
        ("return 1 / 0", "ZeroDivisionError"),
    ],
)
def test_errors_are_explained_in_russian(body, words):
    """Are a wrong column, a typo, a missing return and other errors explained in Russian,
    without raising?"""
    func = _define(f"def f(df):\n    {body}\n", "f")
    rep = steps.report("Шаг", steps.run(func, TABLE), SPEC)
    assert not rep.ok
    assert words in rep.text
    assert CYRILLIC.search(rep.text)


def test_run_gives_the_function_a_copy_of_the_table():
    """Does a learner function that changes its table leave the notebook's table intact?"""

    def spoil(df):
        df["day"] = 0
        return {}

    steps.run(spoil, TABLE)
    assert list(TABLE["day"]) == [1, 1, 2]


def test_a_widget_answer_names_the_unanswered_items():
    """Does a widget answer with items left out name how many and which ones?"""
    items = {"o1": "«Три дня отпрашивалась»", "o2": "Поднимается на этаж", "o3": "Сомневается"}
    spec = steps.Answered("отнесение записей", items, ("says", "does"))
    rep = steps.report("Часть 2", {"o1": "says", "o3": "shouts"}, spec)
    assert rep.reconsider == ["отнесение записей"]
    assert "без ответа: 2 из 3" in rep.text
    assert "Поднимается на этаж" in rep.text
    assert steps.report("Часть 2", {"o1": "says", "o2": "does", "o3": "does"}, spec).ok
    assert not steps.report("Часть 2", None, spec).ok


def test_check_prints_and_never_raises(capsys):
    """Does ``check`` print the report to stdout only, even for an answer it cannot read?"""

    class Weird(steps.Spec):
        def problems(self, value):
            raise RuntimeError("boom")

    steps.check("Шаг", 1, Weird())
    steps.check("Часть 1", {"minutes": 1, "days": 1, "share": 0.1}, SPEC)
    out = capsys.readouterr()
    assert out.err == ""
    assert "не смогла разобрать ответ" in out.out
    assert "Форма ответа верна" in out.out


def test_not_a_function_is_explained():
    """Is a name that is not a function (e.g. overwritten) explained instead of raising?"""
    assert isinstance(steps.run(5, TABLE), steps.Failure)


def test_a_map_of_numbers_is_checked_value_by_value():
    """Does a «number per key» answer flag a non-dict, an empty dict and a text value?"""
    spec = steps.NumberMap("минуты по дням", steps.Number("минуты", low=0))
    assert steps.report("Шаг", {1: 120, 2: 95.5}, spec).ok
    assert "нужен словарь" in steps.report("Шаг", [120], spec).text
    assert "пустой" in steps.report("Шаг", {}, spec).text
    assert "уберите кавычки" in steps.report("Шаг", {1: "120"}, spec).text


def test_at_autograde_the_learners_code_is_not_run_again(monkeypatch):
    """While nbgrader grades, does the step check leave the learner's code alone and say so?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    calls = []
    result = steps.run(lambda df: calls.append(1), TABLE)
    assert calls == []
    rep = steps.report("Часть 1", result, SPEC)
    assert "при сдаче работы баллы ставят проверки ниже" in rep.text


def test_a_choice_accepts_only_its_options():
    """Does a yes/no or a column-name answer accept only its options (not 1 for True, not a
    number for a name)?"""
    yes_no = steps.Choice("вывод", (True, False))
    assert steps.report("Шаг", True, yes_no).ok
    assert not steps.report("Шаг", 1, yes_no).ok
    assert not steps.report("Шаг", "True", yes_no).ok
    names = steps.Choice("критерий", ("vk_time", "vk_info"))
    assert steps.report("Шаг", "vk_info", names).ok
    assert "нужно одно из значений: vk_time, vk_info" in steps.report("Шаг", 3.2, names).text


def test_a_list_of_codes_is_checked_for_form_only():
    """Does a list of codes get flagged for unknown codes, repeats and order, and nothing
    else (an empty list has the right form)?"""
    spec = steps.Codes("коды", ("queues", "stairs_access", "unclear_route"))
    assert steps.report("Шаг", ["queues", "unclear_route"], spec).ok
    assert steps.report("Шаг", [], spec).ok
    assert "не коды из справочника: очереди" in steps.report("Шаг", ["очереди"], spec).text
    assert "повторяются" in steps.report("Шаг", ["queues", "queues"], spec).text
    assert "по алфавиту" in steps.report("Шаг", ["unclear_route", "queues"], spec).text
    assert "нужен список" in steps.report("Шаг", "queues", spec).text


def test_filled_parts_are_told_from_empty_ones():
    """Does a record of widget parts name the parts still empty (blank text, empty list)?"""
    spec = steps.Record({"frame": steps.Filled("паспорт"), "ideas": steps.Filled("идеи")})
    rep = steps.report("Часть 2", {"frame": "  ", "ideas": [{"idea": "x"}]}, spec)
    assert rep.reconsider == ["frame (паспорт)"]
    assert "не заполнено" in rep.text
    assert "ключа нет" in steps.report("Часть 2", {"frame": "текст"}, spec).text
