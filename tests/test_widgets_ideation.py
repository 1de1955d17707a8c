"""Behaviour of the ideation tools: ProblemStatement, HowMightWe, IdeaBoard.

The save/restore contract they share with every widget is in test_widget_contract.py.
"""

from __future__ import annotations

import pytest

from cxlab import answers
from cxlab.widgets import HowMightWe, IdeaBoard, ProblemStatement

USER = "Пожилой водитель из района"
NEED = "получить медицинскую справку за один визит"
INSIGHT = "каждая поездка в город стоит ему целого дня."
GOOD_HMW = (
    "Как мы могли бы помочь пожилым водителям из районов получить справку за один визит, "
    "потому что каждая поездка стоит им дня работы?"
)
NO_INSIGHT_HMW = "Как мы могли бы помочь пожилым водителям из районов получить справку?"
VAGUE_HMW = "Как мы могли бы улучшить здравоохранение?"
SOLUTION_HMW = (
    "Как мы могли бы создать мобильное приложение для пенсионеров, потому что они теряют "
    "время в очередях?"
)


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _saved(tmp_path, qid):
    """The answer as a fresh store (a restarted kernel) reads it from disk."""
    return _store(tmp_path).get(qid)


def _statement(user=USER, need=NEED, insight=INSIGHT):
    widget = ProblemStatement(None, None)
    widget.value = {"user": user, "need": need, "insight": insight}
    return widget


# -- ProblemStatement ----------------------------------------------------------------------


def test_problem_statement_assembles_one_sentence():
    """Are the three parts joined into one sentence, the insight's own full stop dropped?"""
    widget = _statement()
    assert widget.text() == (
        "Пожилой водитель из района нуждается в том, чтобы получить медицинскую справку за "
        "один визит, потому что каждая поездка в город стоит ему целого дня."
    )
    assert f"<i>{widget.text()}</i>" in widget.sentence.value
    assert "✔ Все три части на месте." in widget.feedback.value


def test_problem_statement_shows_empty_parts_as_ellipsis():
    """Does an empty part show as «…» in the sentence and as a «Не заполнено» warning?"""
    widget = _statement(user="  ", insight="")
    assert widget.text() == (
        "… нуждается в том, чтобы получить медицинскую справку за один визит, потому что …."
    )
    feedback = widget.feedback.value
    assert "Не заполнено: «Пользователь»." in feedback
    assert "Не заполнено: «Потому что… (инсайт)»." in feedback
    assert "Нуждается" not in feedback
    assert "Все три части" not in feedback


def test_a_fresh_problem_statement_warns_about_every_part():
    """Does an empty form list all three parts as missing (and nothing else)?"""
    widget = ProblemStatement(None, None)
    assert widget.feedback.value.count("Не заполнено") == 3
    assert "решение" not in widget.feedback.value
    assert widget.text() == "… нуждается в том, чтобы …, потому что …."


@pytest.mark.parametrize(
    "need",
    [
        "создать мобильное приложение для записи",
        "открыть ещё одно окно регистратуры",
        "установить терминал в холле",
    ],
    ids=["app", "window", "terminal"],
)
def test_problem_statement_warns_when_the_need_is_a_solution(need):
    """Is a need that is really a solution (app, window, terminal) flagged?"""
    widget = _statement(need=need)
    assert "Потребность похожа на готовое решение" in widget.feedback.value


@pytest.mark.parametrize(
    "user",
    [USER, "Пожилой водитель из района:", "водитель — пенсионер"],
    ids=["plain", "colon", "dash"],
)
def test_problem_statement_solution_warning_ignores_punctuation_in_the_user(user):
    """Is a solution-as-need flagged whatever punctuation the user part ends with?"""
    widget = _statement(user=user, need="создать мобильное приложение для записи")
    assert "Потребность похожа на готовое решение" in widget.feedback.value


@pytest.mark.parametrize(
    "need",
    [NEED, "установить терминал, чтобы записываться без очереди", "не ездить в город"],
    ids=["need", "means-with-purpose", "negative-need"],
)
def test_problem_statement_does_not_flag_a_real_need(need):
    """Is a real need (or a means with its purpose given) not called a solution?"""
    widget = _statement(need=need)
    assert "решение" not in widget.feedback.value


@pytest.mark.parametrize(
    ("insight", "short"),
    [
        pytest.param("очереди", True, id="one-word"),
        pytest.param("он много теряет", True, id="three-words"),
        pytest.param("он теряет целый день", False, id="four-words"),
    ],
)
def test_problem_statement_warns_about_a_short_insight(insight, short):
    """Is an insight under four words flagged as short?"""
    widget = _statement(insight=insight)
    assert ("Инсайт короткий" in widget.feedback.value) is short


def test_problem_statement_sentence_escapes_markup():
    """Is markup typed into a part shown as text in the sentence?"""
    widget = _statement(user="<img src=x onerror=alert(1)>")
    assert "<img" not in widget.sentence.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in widget.sentence.value


# -- HowMightWe ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "marks"),
    [
        pytest.param(GOOD_HMW, "✔ пользователь ✔ потребность ✔ инсайт", id="good"),
        pytest.param(NO_INSIGHT_HMW, "✔ пользователь ✔ потребность ✖ инсайт", id="no-insight"),
        pytest.param(VAGUE_HMW, "✖ пользователь ✖ потребность ✖ инсайт", id="vague"),
        pytest.param(SOLUTION_HMW, "✔ пользователь ✖ потребность ✔ инсайт", id="solution"),
    ],
)
def test_hmw_row_note_marks_user_need_insight(statement, marks):
    """Does each statement's note tick or cross the user, the need and the insight?"""
    widget = HowMightWe(None, None, statements=[statement])
    assert marks in widget.notes[0]


def test_hmw_note_colour_and_advice():
    """Is a complete statement green with praise, and an incomplete one amber with advice?"""
    widget = HowMightWe(None, None, statements=[GOOD_HMW, NO_INSIGHT_HMW])
    good, weak = widget.notes
    assert "#1b5e20" in good
    assert "хорошая формулировка" in good
    assert "#8d6e00" in weak
    assert "Добавьте инсайт" in weak


def test_hmw_notes_follow_edits_and_save(tmp_path):
    """Does rewriting a statement update its note and save the new text?"""
    widget = HowMightWe(_store(tmp_path), "hmw")
    assert widget.notes[0] == ""  # the empty starter row has no verdict
    widget.rows[0]["statement"].value = NO_INSIGHT_HMW
    assert "✖ инсайт" in widget.notes[0]
    widget.rows[0]["statement"].value = GOOD_HMW
    assert "✔ инсайт" in widget.notes[0]
    assert _saved(tmp_path, "hmw") == [{"statement": GOOD_HMW}]


def test_hmw_statements_skip_empty_rows():
    """Does statements() list only the non-empty statements, stripped, in order?"""
    widget = HowMightWe(None, None, statements=[f"  {GOOD_HMW} ", "", "   ", VAGUE_HMW])
    assert widget.statements() == [GOOD_HMW, VAGUE_HMW]
    assert list(widget.notes)[1:3] == ["", ""]


def test_hmw_starts_with_one_empty_row():
    """Does a fresh HowMightWe offer one empty row to type into?"""
    widget = HowMightWe(None, None)
    assert widget.value == [{"statement": ""}]
    assert widget.statements() == []


# -- IdeaBoard -----------------------------------------------------------------------------

IDEAS = [
    {"idea": "Онлайн-запись ко всем врачам", "group": "запись"},
    {"idea": "Одна касса", "group": "оплата"},
    {"idea": "Оплата по QR-коду", "group": " оплата "},
    {"idea": "Синие стрелки до кабинетов", "group": ""},
    {"idea": "Лифт для пожилых", "group": "   "},
    {"idea": "   ", "group": "запись"},  # no idea: not counted
    {"idea": "Табло очереди", "group": "навигация"},
]


def test_idea_board_counts_ideas_per_group():
    """Are ideas counted per group, blank groups as «Без группы», the largest group first?"""
    board = IdeaBoard(None, None)
    board.value = IDEAS
    counts = board.counts()
    assert counts == {"оплата": 2, "Без группы": 2, "запись": 1, "навигация": 1}
    # largest first; equal groups keep the order in which they first appear
    assert list(counts) == ["оплата", "Без группы", "запись", "навигация"]
    assert "Идей: 6, групп: 4." in board.summary.value
    assert "<li>оплата: 2</li>" in board.summary.value
    assert "<li>Без группы: 2</li>" in board.summary.value


def test_idea_board_ideas_are_stripped_with_their_group():
    """Does ideas() list the ideas with text, stripped, with «Без группы» for none?"""
    board = IdeaBoard(None, None)
    board.value = IDEAS[:4]
    assert board.ideas() == [
        {"idea": "Онлайн-запись ко всем врачам", "group": "запись"},
        {"idea": "Одна касса", "group": "оплата"},
        {"idea": "Оплата по QR-коду", "group": "оплата"},
        {"idea": "Синие стрелки до кабинетов", "group": "Без группы"},
    ]


def test_idea_board_suggests_given_groups_then_groups_in_use():
    """Does every row's group box suggest the notebook's groups, then the groups in use?"""
    board = IdeaBoard(None, None, groups=("оплата", "запись"))
    board.value = IDEAS
    for controls in board.rows:
        assert list(controls["group"].options) == ["оплата", "запись", "навигация"]
    board.rows[0]["group"].value = "Цифра 😀"
    assert list(board.rows[3]["group"].options) == ["оплата", "запись", "Цифра 😀", "навигация"]


def test_idea_board_empty_summary_encourages():
    """With no ideas yet, does the summary encourage writing rather than show zero counts?"""
    board = IdeaBoard(None, None)
    assert board.value == [{"idea": "", "group": ""}]
    assert board.counts() == {}
    assert "Пока нет идей" in board.summary.value


def test_idea_board_group_typed_in_saves(tmp_path):
    """Does typing a new group name save it and count the idea under it?"""
    board = IdeaBoard(_store(tmp_path), "ideas")
    board.rows[0]["idea"].value = "Памятка с перечнем врачей"
    board.rows[0]["group"].value = "информирование"
    assert _saved(tmp_path, "ideas") == [
        {"idea": "Памятка с перечнем врачей", "group": "информирование"}
    ]
    assert board.counts() == {"информирование": 1}


@pytest.mark.parametrize(
    "insight",
    [
        "нужно сделать онлайн-запись к врачам",
        "надо открыть единую кассу",
        "нет мобильного приложения для записи",
        "внедрить электронную очередь",
    ],
    ids=["need-to-make", "have-to-open", "no-app", "bare-verb"],
)
def test_problem_statement_recognises_a_solution_offered_as_the_insight(insight):
    """Is an insight that is really a solution named as such (not praised, not «короткий»)?"""
    widget = _statement(insight=insight)
    feedback = widget.feedback.value
    assert "Инсайт похож на готовое решение" in feedback
    assert "Все три части" not in feedback
    assert "Инсайт короткий" not in feedback


@pytest.mark.parametrize(
    "insight",
    [
        "каждая поездка в город отнимает у него целый день",
        "ему нужно успеть до конца рабочего дня, иначе он теряет отгул",
        "в поликлинике нет лифта, а врачи принимают на четвёртом этаже",
    ],
    ids=["reason", "the-users-own-need", "missing-lift"],
)
def test_problem_statement_accepts_a_real_insight(insight):
    """Is a reason learned in the interviews not called a solution?"""
    widget = _statement(insight=insight)
    assert "решение" not in widget.feedback.value
    assert "Все три части на месте" in widget.feedback.value
