"""The save/restore contract, checked for every stored widget through its traits (no browser).

Each widget of ``cxlab.widgets.__all__`` that saves has a :class:`Case`: how to make it, its
empty and a realistic full answer, one of its input controls, and saved values that do not fit.
A widget added to the package without a case fails ``test_every_stored_widget_has_a_case``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import pytest

from cxlab import answers, widgets
from cxlab.answers import AnswerError
from cxlab.widgets import (
    BlueprintEditor,
    CategorySort,
    CriteriaMatrix,
    EmpathyMap,
    Hints,
    HowMightWe,
    IdeaBoard,
    ImpactEffort,
    InterviewGuide,
    JourneyMapBuilder,
    PersonaCard,
    ProblemStatement,
    Quiz,
    SUSQuestionnaire,
    TestSessionLog,
    TextAnswer,
)
from cxlab.widgets.empathy import EMPATHY_QUADRANTS

NOT_STORED = {"StoredWidget", "TableEditor", "Field"}  # a base, a base and a column spec
SENTENCE = "Сначала регистратура, потом касса, потом снова очередь у кабинета на четвёртом этаже."
HUGE = " ".join([SENTENCE] * 650)  # a little over 100 KB in UTF-8, no edge spaces
TOO_LONG = "я" * 520_000  # 1.04 MB in UTF-8: just over the limit
EMOJI = "Спасибо 🙏🏽👍🏿 — семья 👩‍👩‍👧, мастер 🧑🏻‍💻, флаг 🇷🇺, сердце ❤️"
SCRIPTS = "Ça marche, naïve Ærø — Straße — 客户服务中心 — עברית — العربية — Ελληνικά"
TEXTS = {"100-kb-russian": HUGE, "emoji": EMOJI, "other-scripts": SCRIPTS}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)

ITEMS = {"o1": "«Опять очередь до выхода»", "o2": "Смотрит на часы", "o3": "Боится опоздать"}
OPTIONS = ("Онлайн-запись", "Единая касса", "Указатели")
CRITERIA = {"Влияние": 3, "Стоимость": 1, "Скорость": 1}
TASKS = ("Записаться к врачам", "Оплатить медосмотр")
QUESTIONS = [
    {
        "kind": "single",
        "text": "Сколько дней занимал путь?",
        "options": ["1", "2", "3"],
        "answer": 2,
        "explanation": "Три дня.",
    },
    {
        "kind": "multiple",
        "text": "Где платил заявитель?",
        "options": ["Поликлиника", "МФЦ", "ПНД", "НД"],
        "answer": [0, 2, 3],
        "explanation": "Три кассы.",
    },
    {
        "kind": "numeric",
        "text": "Во сколько раз сократилось время?",
        "answer": 3.2,
        "tolerance": 0.1,
        "explanation": "650 / 205.",
    },
]


ABSENT = object()  # a key the saved answer leaves out (an unsorted CategorySort item)


@dataclass(frozen=True)
class Case:
    """How the contract drives one widget class."""

    make: Callable[[Any, Any], Any]  # (store, qid) -> widget
    empty: Any  # the value of a fresh widget
    full: Any  # a realistic complete answer
    control: Callable[[Any], w.Widget]  # one input control, once ``full`` is shown
    path: tuple[Any, ...]  # where that control's value sits in the answer
    bad: dict[str, Any]  # saved values that do not fit, by id
    text: bool = True  # the control takes free text
    blank: tuple[Any, Any] = ("", "")  # the emptied control's value, and as saved
    other: tuple[Any, Any] = ("Новый ответ", "Новый ответ")  # another valid input, and as saved

    def pick(self, value: Any) -> Any:
        """The part of ``value`` that the control shows."""
        for key in self.path:
            value = value.get(key, ABSENT) if isinstance(value, dict) else value[key]
        return value

    def put(self, value: Any, new: Any) -> Any:
        """A copy of ``value`` with the control's part replaced by ``new`` (computed by hand)."""
        if not self.path:
            return new
        value = copy.deepcopy(value)
        parent = value
        for key in self.path[:-1]:
            parent = parent[key]
        if new is ABSENT:
            del parent[self.path[-1]]
        else:
            parent[self.path[-1]] = new
        return value


def _row(**values):
    return values


JOURNEY_ROW = _row(day=1, stage="Подготовка", step="Узнать порядок", touchpoint="Сайт")
BLUEPRINT_ROW = _row(
    day=1,
    place="МФЦ",
    customer="Сдаёт документы",
    front="Окно приёма",
    back="Проверка",
    support="ЕСИА",
    minutes=20.0,
    payment_rub=0.0,
)

CASES: dict[str, Case] = {
    "TextAnswer": Case(
        make=lambda s, q: TextAnswer(s, q, "Что вас удивило?"),
        empty="",
        full="Три чека в трёх кассах за один медосмотр.",
        control=lambda wd: wd.text,
        path=(),
        bad={"dict": {"says": "x"}, "list": ["a"], "number": 5},
    ),
    "EmpathyMap": Case(
        make=lambda s, q: EmpathyMap(s, q, persona="Ирина К."),
        empty=dict.fromkeys(EMPATHY_QUADRANTS, ""),
        full={
            "says": "«Три отгула — это очень много»",
            "thinks": "Может, проще заплатить посреднику?",
            "does": "Звонит в регистратуру с утра",
            "feels": "Раздражение и усталость",
        },
        control=lambda wd: wd.areas["feels"],
        path=("feels",),
        bad={"text": "говорит", "list": ["a", "b"], "number-in-part": {"says": 5}},
    ),
    "CategorySort": Case(
        make=lambda s, q: CategorySort(s, q, ITEMS, EMPATHY_QUADRANTS),
        empty={},
        full={"o1": "says", "o2": "does", "o3": "feels"},
        control=lambda wd: wd.dropdowns["o2"],
        path=("o2",),
        blank=("", ABSENT),
        other=("thinks", "thinks"),
        bad={
            "text": "says",
            "list": ["o1"],
            "unknown-choice": {"o1": "shouts"},
            "list-as-choice": {"o1": ["says"]},
        },
        text=False,
    ),
    "InterviewGuide": Case(
        make=lambda s, q: InterviewGuide(s, q),
        empty=[],
        full=[
            {"question": "Расскажите, как вы проходили медосмотр в последний раз."},
            {"question": "Сколько раз вы ездили в поликлинику?"},
        ],
        control=lambda wd: wd.rows[0]["question"],
        path=(0, "question"),
        bad={
            "text": "Расскажите…",
            "list-of-text": ["Расскажите…"],
            "number-as-question": [{"question": 5}],
            "too-many-rows": [{"question": "Почему?"}] * 61,
        },
    ),
    "PersonaCard": Case(
        make=lambda s, q: PersonaCard(s, q),
        empty=dict.fromkeys(
            ("name", "age", "occupation", "context", "goals", "pains", "behaviour", "quote"), ""
        ),
        full={
            "name": "Николай Т.",
            "age": "68 лет",
            "occupation": "пенсионер, бывший водитель автобуса",
            "context": "Продлевает права, живёт в районе",
            "goals": "Пройти всех врачей за один день",
            "pains": "Лестницы\nтри кассы",
            "behaviour": "Просит сына записать его",
            "quote": "Я же не на работу туда езжу",
        },
        control=lambda wd: wd.inputs["quote"],
        path=("quote",),
        bad={"text": "Николай", "number-as-age": {"age": 68}, "list": ["Николай"]},
    ),
    "JourneyMapBuilder": Case(
        make=lambda s, q: JourneyMapBuilder(s, q),
        empty=[],
        full=[
            {**JOURNEY_ROW, "emotion": -1, "pain": "Нет единого перечня"},
            _row(
                day=2,
                stage="Диспансеры",
                step="Приём психиатра",
                touchpoint="Кабинет",
                emotion=-2,
                pain="",
            ),
        ],
        control=lambda wd: wd.rows[0]["pain"],
        path=(0, "pain"),
        bad={
            "dict": {"day": 1},
            "day-out-of-range": [{**JOURNEY_ROW, "day": 0}],
            "unknown-emotion": [{**JOURNEY_ROW, "emotion": 3}],
            "fractional-day": [{**JOURNEY_ROW, "day": 1.5}],
            "bool-day": [{**JOURNEY_ROW, "day": True}],
        },
    ),
    "ProblemStatement": Case(
        make=lambda s, q: ProblemStatement(s, q),
        empty={"user": "", "need": "", "insight": ""},
        full={
            "user": "Пожилой водитель из района",
            "need": "получить медицинскую справку за один визит",
            "insight": "каждая поездка в город стоит ему целого дня",
        },
        control=lambda wd: wd.inputs["insight"],
        path=("insight",),
        bad={"text": "водитель", "number-as-need": {"need": 1}, "list": ["a", "b", "c"]},
    ),
    "HowMightWe": Case(
        make=lambda s, q: HowMightWe(s, q),
        empty=[{"statement": ""}],
        full=[
            {
                "statement": "Как мы могли бы помочь пожилым водителям из районов получить "
                "справку за один визит, потому что каждая поездка стоит им дня работы?"
            },
            {"statement": "Как мы могли бы убрать лишние кассы?"},
        ],
        control=lambda wd: wd.rows[1]["statement"],
        path=(1, "statement"),
        bad={"text": "Как мы могли бы…", "null-statement": [{"statement": None}]},
    ),
    "IdeaBoard": Case(
        make=lambda s, q: IdeaBoard(s, q, groups=("запись", "оплата")),
        empty=[{"idea": "", "group": ""}],
        full=[
            {"idea": "Онлайн-запись ко всем врачам сразу", "group": "запись"},
            {"idea": "Одна касса на все услуги", "group": "оплата"},
            {"idea": "Синие стрелки до кабинетов", "group": ""},
        ],
        control=lambda wd: wd.rows[2]["idea"],
        path=(2, "idea"),
        bad={"text": "идея", "number-as-group": [{"idea": "x", "group": 5}]},
    ),
    "CriteriaMatrix": Case(
        make=lambda s, q: CriteriaMatrix(s, q, OPTIONS, CRITERIA),
        empty={
            "weights": {c: float(v) for c, v in CRITERIA.items()},
            "scores": {o: dict.fromkeys(CRITERIA) for o in OPTIONS},
        },
        full={
            "weights": {"Влияние": 5.0, "Стоимость": 2.0, "Скорость": 0.5},
            "scores": {
                "Онлайн-запись": {"Влияние": 5, "Стоимость": 3, "Скорость": 4},
                "Единая касса": {"Влияние": 4, "Стоимость": 2, "Скорость": 3},
                "Указатели": {"Влияние": 2, "Стоимость": 5, "Скорость": 5},
            },
        },
        control=lambda wd: wd.scores["Единая касса"]["Стоимость"],
        path=("scores", "Единая касса", "Стоимость"),
        blank=(None, None),
        other=(5, 5),
        bad={
            "text": "матрица",
            "negative-weight": {"weights": {"Влияние": -1}},
            "weight-too-big": {"weights": {"Влияние": 1001}},
            "text-weight": {"weights": {"Влияние": "3"}},
            "weights-as-list": {"weights": [1, 2, 3]},
            "score-6": {"scores": {"Указатели": {"Влияние": 6}}},
            "fractional-score": {"scores": {"Указатели": {"Влияние": 2.5}}},
            "row-as-text": {"scores": {"Указатели": "5"}},
        },
        text=False,
    ),
    "ImpactEffort": Case(
        make=lambda s, q: ImpactEffort(s, q, OPTIONS),
        empty={o: {"impact": None, "effort": None} for o in OPTIONS},
        full={
            "Онлайн-запись": {"impact": 5, "effort": 4},
            "Единая касса": {"impact": 4, "effort": 2},
            "Указатели": {"impact": 2, "effort": 1},
        },
        control=lambda wd: wd.ratings["Указатели"]["effort"],
        path=("Указатели", "effort"),
        blank=(None, None),
        other=(5, 5),
        bad={
            "text": "быстрые победы",
            "impact-0": {"Указатели": {"impact": 0}},
            "text-effort": {"Указатели": {"effort": "3"}},
            "option-as-number": {"Указатели": 5},
        },
        text=False,
    ),
    "BlueprintEditor": Case(
        make=lambda s, q: BlueprintEditor(s, q),
        empty=[
            _row(
                day=1,
                place="Онлайн",
                customer="",
                front="",
                back="",
                support="",
                minutes=0.0,
                payment_rub=0.0,
            )
        ],
        full=[
            {**BLUEPRINT_ROW, "place": "Онлайн", "minutes": 10.0},
            {**BLUEPRINT_ROW, "payment_rub": 2600.0},
        ],
        control=lambda wd: wd.rows[1]["customer"],
        path=(1, "customer"),
        bad={
            "dict": {"rows": []},
            "negative-minutes": [{**BLUEPRINT_ROW, "minutes": -5}],
            "minutes-over-a-day": [{**BLUEPRINT_ROW, "minutes": 2000}],
            "text-payment": [{**BLUEPRINT_ROW, "payment_rub": "100"}],
        },
    ),
    "SUSQuestionnaire": Case(
        make=lambda s, q: SUSQuestionnaire(s, q, product="новый порядок медосмотра"),
        empty=[None] * 10,
        full=[4, 2, 4, 3, 4, 3, 4, 2, 4, 2],
        control=lambda wd: wd.items[4],
        path=(4,),
        blank=(None, None),
        other=("1", 1),
        bad={
            "nine-items": [3] * 9,
            "eleven-items": [3] * 11,
            "rating-6": [3] * 9 + [6],
            "rating-0": [0] + [3] * 9,
            "bool-rating": [3] * 9 + [True],
            "text-rating": [3] * 9 + ["3"],
            "text": "3333333333",
        },
        text=False,
    ),
    "TestSessionLog": Case(
        make=lambda s, q: TestSessionLog(s, q, TASKS),
        empty=[],
        full=[
            _row(
                participant="P01",
                task=TASKS[0],
                outcome="success",
                seconds=95,
                errors=0,
                notes="Сразу нашёл кнопку",
            ),
            _row(
                participant="P02",
                task=TASKS[1],
                outcome="assisted",
                seconds=240,
                errors=2,
                notes="Искал кассу",
            ),
        ],
        control=lambda wd: wd.rows[1]["notes"],
        path=(1, "notes"),
        bad={
            "unknown-task": [{"task": "Уволиться", "outcome": "success"}],
            "unknown-outcome": [{"task": TASKS[0], "outcome": "maybe"}],
            "negative-seconds": [{"task": TASKS[0], "seconds": -1}],
            "fractional-errors": [{"task": TASKS[0], "errors": 1.5}],
        },
    ),
    "Hints": Case(
        make=lambda s, q: Hints(s, q, ["Первая подсказка.", "Вторая.", "Почти ответ."]),
        empty=0,
        full=2,
        control=lambda wd: wd.opened,
        path=(),
        blank=(0, 0),
        other=(3, 3),
        bad={
            "text": "2",
            "too-many": 4,
            "negative": -1,
            "fraction": 1.5,
            "bool": True,
            "list": [1, 2],
        },
        text=False,
    ),
    "Quiz": Case(
        make=lambda s, q: Quiz(QUESTIONS, store=s, qid=q),
        empty=[
            {"response": None, "checked": False},
            {"response": [], "checked": False},
            {"response": "", "checked": False},
        ],
        full=[
            {"response": 2, "checked": True},
            {"response": [0, 2, 3], "checked": True},
            {"response": "3,1", "checked": False},
        ],
        control=lambda wd: wd.inputs[2],
        path=(2, "response"),
        bad={
            "too-few": [{"response": 2, "checked": True}],
            "entry-as-text": ["2", "0", "3"],
            "single-out-of-range": [{"response": 3}, {"response": []}, {"response": ""}],
            "single-bool": [{"response": True}, {"response": []}, {"response": ""}],
            "multiple-out-of-range": [{"response": 1}, {"response": [7]}, {"response": ""}],
            "numeric-as-number": [{"response": 1}, {"response": []}, {"response": 3.2}],
        },
    ),
}
TEXT_CASES = {name: case for name, case in CASES.items() if case.text}
BAD = [
    pytest.param(name, bad, id=f"{name}-{bad_id}")
    for name, case in CASES.items()
    for bad_id, bad in case.bad.items()
]

every_widget = pytest.mark.parametrize("name", CASES)
text_widgets = pytest.mark.parametrize("name", TEXT_CASES)
texts = pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _saved(tmp_path):
    """The answer as a fresh store (a restarted kernel) reads it from disk."""
    return _store(tmp_path).get("answer")


def _file_bytes(tmp_path) -> bytes:
    return (tmp_path / "t.answers.json").read_bytes()


def _make(name, tmp_path):
    return CASES[name].make(_store(tmp_path), "answer")


def _with_full_answer(name, tmp_path):
    """A widget showing (and having saved) its full answer."""
    widget = _make(name, tmp_path)
    widget.value = CASES[name].full
    return widget


def _russian(exc: BaseException) -> bool:
    return bool(CYRILLIC.search(str(exc)))


# -- the list of widgets -------------------------------------------------------------------


def test_every_stored_widget_has_a_case():
    """Does the contract cover exactly the public widget classes that save an answer?"""
    assert set(CASES) == set(widgets.__all__) - NOT_STORED


def test_the_huge_text_is_at_least_100_kb():
    """Is the «100 KB» text really that long in UTF-8, yet well under the 1 MB limit?"""
    assert 100_000 <= len(HUGE.encode("utf-8")) < answers.MAX_ANSWER_BYTES // 2
    assert len(TOO_LONG.encode("utf-8")) > answers.MAX_ANSWER_BYTES


@every_widget
def test_the_case_can_tell_answers_apart(name):
    """Do a case's full answer, emptied control and other input really differ?"""
    case = CASES[name]
    assert case.full != case.empty
    assert case.pick(case.full) not in (case.blank[1], case.other[1])


# -- (a) a fresh widget --------------------------------------------------------------------


@every_widget
def test_a_fresh_widget_is_empty_and_silent(tmp_path, name):
    """With nothing saved, does the widget show the empty answer, no status and write nothing?"""
    widget = _make(name, tmp_path)
    assert widget.value == CASES[name].empty
    assert widget.status.value == ""
    assert list(tmp_path.iterdir()) == []


@every_widget
def test_store_and_qid_come_together(tmp_path, name):
    """Is a widget given a store but no question id refused (it could not save)?"""
    with pytest.raises(ValueError, match="both"):
        CASES[name].make(_store(tmp_path), None)


# -- (b) saving ----------------------------------------------------------------------------


@every_widget
def test_setting_the_value_saves_exactly_that(tmp_path, name):
    """Does assigning .value save exactly that answer to disk and say «Сохранено.»?"""
    widget = _with_full_answer(name, tmp_path)
    assert _saved(tmp_path) == CASES[name].full
    assert widget.value == CASES[name].full
    assert "Сохранено." in widget.status.value
    assert "Не сохранено" not in widget.status.value


@every_widget
def test_changing_a_control_saves_the_whole_answer(tmp_path, name):
    """Does changing one control save the whole answer, with only that part changed?"""
    case = CASES[name]
    widget = _with_full_answer(name, tmp_path)
    case.control(widget).value = case.other[0]
    assert _saved(tmp_path) == case.put(case.full, case.other[1])
    assert widget.value == _saved(tmp_path)
    assert "Сохранено." in widget.status.value


# -- (c) restoring -------------------------------------------------------------------------


@every_widget
def test_a_new_widget_restores_the_answer_without_writing(tmp_path, name):
    """Does re-creating the widget show the saved answer, say «восстановлен» and not write?"""
    _with_full_answer(name, tmp_path)
    before = _file_bytes(tmp_path)
    store = _store(tmp_path)

    def refuse(qid, value):
        raise AssertionError(f"restoring must not save ({qid}={value!r})")

    store.set = refuse
    again = CASES[name].make(store, "answer")
    assert again.value == CASES[name].full
    assert "Ответ восстановлен из файла." in again.status.value
    assert _file_bytes(tmp_path) == before


@every_widget
def test_other_answers_in_the_file_are_kept(tmp_path, name):
    """Does saving one widget keep the other questions' answers in the same file?"""
    _store(tmp_path).set("other", {"kept": "ответ соседа 👍"})
    _with_full_answer(name, tmp_path)
    assert _store(tmp_path).all() == {
        "other": {"kept": "ответ соседа 👍"},
        "answer": CASES[name].full,
    }


# -- (d) no store --------------------------------------------------------------------------


@every_widget
def test_a_widget_without_a_store_works_and_writes_nothing(tmp_path, monkeypatch, name):
    """With store=None and qid=None, do the controls work, with no status and no file?"""
    monkeypatch.chdir(tmp_path)
    case = CASES[name]
    widget = case.make(None, None)
    assert widget.value == case.empty
    widget.value = case.full
    assert widget.value == case.full
    case.control(widget).value = case.other[0]
    assert widget.value == case.put(case.full, case.other[1])
    assert widget.status.value == ""
    assert list(tmp_path.iterdir()) == []


# -- (e) long text, emoji, other scripts ---------------------------------------------------


@text_widgets
@texts
def test_text_round_trips_exactly(tmp_path, name, text):
    """Are a 100 KB text, emoji (ZWJ, skin tones) and other scripts saved and restored exactly?"""
    case = CASES[name]
    widget = _with_full_answer(name, tmp_path)
    case.control(widget).value = text
    assert "Сохранено." in widget.status.value
    assert _saved(tmp_path) == case.put(case.full, text)
    again = _make(name, tmp_path)
    assert case.control(again).value == text
    assert again.value == case.put(case.full, text)


# -- (f) over 1 MB -------------------------------------------------------------------------


@text_widgets
def test_over_1_mb_is_refused_and_nothing_is_lost(tmp_path, name):
    """Is a text over 1 MB refused in Russian, the saved answer kept and the text left shown?"""
    case = CASES[name]
    widget = _with_full_answer(name, tmp_path)
    before = _file_bytes(tmp_path)

    case.control(widget).value = TOO_LONG

    assert "Не сохранено: " in widget.status.value
    assert "слишком длинный (больше 1 МБ)" in widget.status.value
    assert _file_bytes(tmp_path) == before
    assert _saved(tmp_path) == case.full
    assert case.control(widget).value == TOO_LONG
    assert widget.value == case.put(case.full, TOO_LONG)


@text_widgets
def test_after_a_refusal_a_shorter_text_saves_again(tmp_path, name):
    """After a refused 1 MB text, does shortening it save again and say «Сохранено.»?"""
    case = CASES[name]
    widget = _with_full_answer(name, tmp_path)
    case.control(widget).value = TOO_LONG
    case.control(widget).value = TOO_LONG[:1000]
    assert "Сохранено." in widget.status.value
    assert "Не сохранено" not in widget.status.value
    assert _saved(tmp_path) == case.put(case.full, TOO_LONG[:1000])


# -- (g) saved values that do not fit ------------------------------------------------------


@pytest.mark.parametrize(("name", "bad"), BAD)
def test_a_saved_value_that_does_not_fit_is_refused_in_russian(tmp_path, name, bad):
    """Does a saved answer of the wrong shape stop re-creation with a Russian AnswerError,
    leaving the file untouched?"""
    _store(tmp_path).set("answer", bad)
    before = _file_bytes(tmp_path)
    with pytest.raises(AnswerError) as info:
        _make(name, tmp_path)
    assert _russian(info.value), str(info.value)
    assert _file_bytes(tmp_path) == before


@pytest.mark.parametrize(("name", "bad"), BAD)
def test_assigning_a_value_that_does_not_fit_changes_nothing(tmp_path, name, bad):
    """Is a wrong-shaped .value refused in Russian with the controls and the file unchanged?"""
    widget = _with_full_answer(name, tmp_path)
    before = _file_bytes(tmp_path)
    with pytest.raises(AnswerError) as info:
        widget.value = bad
    assert _russian(info.value), str(info.value)
    assert widget.value == CASES[name].full
    assert _file_bytes(tmp_path) == before


# -- (h) empty input -----------------------------------------------------------------------


@every_widget
def test_emptying_a_control_is_saved(tmp_path, name):
    """Is a control emptied by the learner saved as empty, and restored as empty?"""
    case = CASES[name]
    widget = _with_full_answer(name, tmp_path)
    case.control(widget).value = case.blank[0]
    assert "Сохранено." in widget.status.value
    expected = case.put(case.full, case.blank[1])
    assert _saved(tmp_path) == expected
    again = _make(name, tmp_path)
    assert again.value == expected
    assert case.control(again).value == case.blank[0]


@every_widget
def test_an_empty_answer_is_saved_and_restored(tmp_path, name):
    """Is the empty answer, assigned after a full one, saved and restored as it is?"""
    widget = _with_full_answer(name, tmp_path)
    widget.value = CASES[name].empty
    assert "Сохранено." in widget.status.value
    assert _saved(tmp_path) == CASES[name].empty
    again = _make(name, tmp_path)
    assert again.value == CASES[name].empty
    assert "Ответ восстановлен из файла." in again.status.value


# -- the static snapshot -------------------------------------------------------------------


@every_widget
def test_the_display_carries_a_static_snapshot_of_the_answer(tmp_path, name):
    """Does displaying the widget give the live view and, beside it, a static HTML snapshot
    (what a notebook stored without widget state shows) that follows the answer?"""
    widget = _make(name, tmp_path)
    empty = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in empty
    assert empty["text/html"].startswith('<div class="cxlab-snapshot">')
    widget.value = CASES[name].full
    assert widget._repr_mimebundle_()["text/html"] != empty["text/html"]


@text_widgets
def test_the_snapshot_escapes_what_the_learner_typed(tmp_path, name):
    """Is a learner's text shown in the snapshot as text, never as markup?"""
    widget = _with_full_answer(name, tmp_path)
    CASES[name].control(widget).value = "<i>Ответ</i> & <script>x</script>"
    snapshot = widget.snapshot()
    assert "&lt;i&gt;Ответ&lt;/i&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in snapshot
    assert "<script>" not in snapshot
    assert "<i>Ответ" not in snapshot
