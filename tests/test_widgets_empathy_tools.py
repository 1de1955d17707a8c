"""Behaviour of the empathy-stage tools: InterviewGuide, PersonaCard, JourneyMapBuilder.

The save/restore contract they share with every widget is in test_widget_contract.py.
"""

from __future__ import annotations

import matplotlib.figure
import pandas as pd
import pytest
from conftest import browser_says

from cxlab import answers
from cxlab.widgets import InterviewGuide, JourneyMapBuilder, PersonaCard

OPEN = "Расскажите, как вы проходили медосмотр в последний раз."
OPEN_2 = "Почему вы решили ехать сами?"
CLOSED = "Сколько раз вы ездили в поликлинику?"
LEADING = "Ведь очереди были ужасные, правда?"


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _saved(tmp_path, qid):
    """The answer as a fresh store (a restarted kernel) reads it from disk."""
    return _store(tmp_path).get(qid)


def _guide(*questions):
    return InterviewGuide(None, None, questions=questions)


@pytest.fixture(scope="module")
def as_is(repo) -> pd.DataFrame:
    """The as-is journey read straight from its CSV (not through cxlab.data)."""
    return pd.read_csv(repo / "datasets" / "belgorod_journey_as_is.csv")


# -- InterviewGuide ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "mark", "kind"),
    [
        pytest.param(OPEN, "✔", "открытый", id="open"),
        pytest.param(CLOSED, "⚠", "закрытый", id="closed"),
        pytest.param(LEADING, "✖", "наводящий", id="leading"),
    ],
)
def test_guide_row_note_shows_the_kind(question, mark, kind):
    """Does each question's note show its kind with the matching mark and a tip?"""
    guide = _guide(question)
    note = guide.notes[0]
    assert f"{mark} {kind}" in note
    assert "<small" in note  # the tip under the verdict
    other = {"открытый", "закрытый", "наводящий"} - {kind}
    assert not any(f" {k}</span>" in note for k in other)


def test_guide_notes_follow_edits():
    """When a question is rewritten, does its note change to the new kind?"""
    guide = _guide(CLOSED)
    assert "закрытый" in guide.notes[0]
    guide.rows[0]["question"].value = OPEN
    assert "✔ открытый" in guide.notes[0]


def test_guide_kinds_and_questions():
    """Do kinds() and questions() list the verdicts and the non-empty questions in order?"""
    guide = _guide(OPEN, "", CLOSED, "   ", LEADING)
    assert guide.kinds() == ["open", None, "closed", None, "leading"]
    assert guide.questions() == [OPEN, CLOSED, LEADING]


def test_guide_summary_counts_each_kind():
    """Does the summary count questions of each kind and ask for more open ones?"""
    guide = _guide(OPEN, CLOSED, LEADING, OPEN_2)
    summary = guide.summary.value
    assert "Вопросов: 4 (открытый: 2, закрытый: 1, наводящий: 1)." in summary
    assert "Сделайте большинство вопросов открытыми и уберите наводящие." in summary
    assert "подсказка, не отметка" in summary


@pytest.mark.parametrize(
    ("questions", "good"),
    [
        pytest.param([OPEN] * 7 + [CLOSED] * 3, True, id="70-percent-open"),
        pytest.param([OPEN] * 2 + [CLOSED], False, id="67-percent-open"),
        pytest.param([OPEN] * 9 + [LEADING], False, id="one-leading"),
        pytest.param([OPEN], True, id="all-open"),
    ],
)
def test_guide_verdict_needs_70_percent_open_and_no_leading(questions, good):
    """Is the guide praised only with at least 70% open questions and none leading?"""
    summary = _guide(*questions).summary.value
    assert ("Гайд опирается на открытые вопросы — хорошо." in summary) is good


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        pytest.param("", "Пустая строка: напишите вопрос.", id="empty"),
        pytest.param("   ", "Пустая строка: напишите вопрос.", id="spaces"),
        pytest.param("???", "Напишите вопрос словами.", id="punctuation"),
        pytest.param("123?", "Напишите вопрос словами.", id="digits"),
        pytest.param("🤔🙏🏽", "Напишите вопрос словами.", id="emoji-only"),
    ],
)
def test_guide_empty_or_letterless_row_gets_a_hint(tmp_path, text, hint):
    """Does a row with no words get a hint (not a crash), and still get saved?"""
    guide = InterviewGuide(_store(tmp_path), "guide", questions=[OPEN])
    guide.add_row()
    guide.rows[1]["question"].value = text
    assert guide.notes[1].endswith(f">{hint}</span>")
    assert _saved(tmp_path, "guide") == [{"question": OPEN}, {"question": text}]
    assert "Вопросов: 1 (открытый: 1, закрытый: 0, наводящий: 0)." in guide.summary.value


def test_guide_summary_is_empty_without_questions():
    """With no worded question, is the summary empty rather than «Вопросов: 0»?"""
    assert _guide().summary.value == ""
    assert _guide("", "?").summary.value == ""


def test_guide_note_carries_the_full_advice_as_a_tooltip():
    """Does the note keep the whole advice (verdict and tip) in its tooltip?"""
    note = _guide(LEADING).notes[0]
    title = note.split('title="', 1)[1].split('"', 1)[0]
    assert title.startswith("Наводящий вопрос: он подсказывает ответ")
    assert "«ведь»" in title
    assert "<" not in title


# -- PersonaCard ---------------------------------------------------------------------------


def test_persona_lists_the_empty_fields_in_order():
    """Does the card list the fields still empty, by their Russian names, in form order?"""
    card = PersonaCard(None, None)
    card.inputs["name"].value = "Николай Т."
    card.inputs["quote"].value = "Я же не на работу туда езжу"
    card.inputs["goals"].value = "   "  # only spaces: still empty
    assert card.empty_fields() == ["age", "occupation", "context", "goals", "pains", "behaviour"]
    assert "Не заполнено: возраст, занятие, ситуация, цели, боли, поведение." in card.missing.value


def test_persona_says_when_every_field_is_filled():
    """With every field filled, does the card say «Все поля заполнены»?"""
    card = PersonaCard(None, None)
    for control in card.inputs.values():
        control.value = "заполнено"
    assert card.empty_fields() == []
    assert "Все поля заполнены." in card.missing.value
    assert "Не заполнено" not in card.missing.value


def test_persona_preview_shows_the_card():
    """Does the preview show the name, «age, occupation», the quote in «» and line breaks?"""
    card = PersonaCard(None, None)
    card.value = {
        "name": "Николай Т.",
        "age": "68 лет",
        "occupation": "пенсионер",
        "goals": "Пройти врачей\nза один день",
        "quote": "Я же не на работу туда езжу",
    }
    preview = card.preview.value
    assert "Николай Т.</h3>" in preview
    assert ">68 лет, пенсионер</p>" in preview
    assert "«Я же не на работу туда езжу»" in preview
    assert "<b>Цели:</b> Пройти врачей<br>за один день" in preview
    assert "Боли:" not in preview  # empty parts are left out


@pytest.mark.parametrize("key", ["name", "occupation", "quote", "pains"])
def test_persona_preview_escapes_markup(key):
    """Is markup typed into any field shown as text, never run as HTML?"""
    card = PersonaCard(None, None)
    card.inputs[key].value = "<script>alert('x')</script> & <b>жирный</b>"
    preview = card.preview.value
    assert "<script>" not in preview
    assert "<b>жирный</b>" not in preview
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in preview


def test_persona_fresh_preview_has_a_placeholder_name():
    """Does an empty card show «…» for the name and list every field as missing?"""
    card = PersonaCard(None, None)
    assert "…</h3>" in card.preview.value
    assert len(card.empty_fields()) == 8


# -- JourneyMapBuilder ---------------------------------------------------------------------


def test_journey_from_the_as_is_dataset(as_is):
    """Does start_from give the 18 as-is steps, 13 of them with a pain, over 3 days?"""
    journey = JourneyMapBuilder(None, None, start_from="belgorod_journey_as_is")
    assert len(journey) == len(as_is) == 18
    df = journey.frame()
    assert len(df) == 18
    assert int(df["pain"].notna().sum()) == int(as_is["pain"].notna().sum()) == 13
    assert df["day"].nunique() == 3
    assert "Шагов: 18, из них с «болью»: 13, дней: 3." in journey.summary.value
    assert list(df["step"]) == list(as_is["step"])
    assert list(df["emotion"]) == list(as_is["emotion"])


def test_journey_start_from_is_not_saved_until_changed(tmp_path):
    """Are the dataset's steps shown without being saved, and saved at the first change?"""
    journey = JourneyMapBuilder(_store(tmp_path), "cjm", start_from="belgorod_journey_as_is")
    assert list(tmp_path.iterdir()) == []
    journey.rows[0]["emotion"].value = 1
    saved = _saved(tmp_path, "cjm")
    assert len(saved) == 18
    assert saved[0]["emotion"] == 1


def test_a_saved_map_wins_over_start_from(tmp_path):
    """With a map saved, does start_from leave it alone instead of loading the dataset?"""
    mine = [
        {
            "day": 1,
            "stage": "Запись",
            "step": "Записаться онлайн",
            "touchpoint": "Сайт",
            "emotion": 2,
            "pain": "",
        }
    ]
    JourneyMapBuilder(_store(tmp_path), "cjm").value = mine
    again = JourneyMapBuilder(_store(tmp_path), "cjm", start_from="belgorod_journey_as_is")
    assert again.value == mine
    assert "Шагов: 1, из них с «болью»: 0, дней: 1." in again.summary.value


def test_frame_drops_unnamed_steps_and_blank_pains():
    """Does frame() leave out steps with no name and read a blank pain as no pain?"""
    journey = JourneyMapBuilder(None, None)
    journey.value = [
        {"day": 1, "step": "Регистратура", "emotion": -1, "pain": "Очередь"},
        {"day": 1, "step": "   ", "emotion": -2, "pain": "без шага"},
        {"day": 2, "step": "Касса", "emotion": 0, "pain": "  "},
    ]
    df = journey.frame()
    assert list(df["step"]) == ["Регистратура", "Касса"]
    assert list(df["pain"].notna()) == [True, False]
    assert list(df.columns) == ["day", "stage", "step", "touchpoint", "emotion", "pain"]
    assert "Шагов: 2, из них с «болью»: 1, дней: 2." in journey.summary.value


def test_figure_is_none_without_steps():
    """With no named step, is there no figure (rather than an empty chart or a crash)?"""
    journey = JourneyMapBuilder(None, None)
    assert journey.figure() is None
    journey.add_row({"step": "", "pain": "боль без шага"})
    assert journey.figure() is None
    assert "Шагов: 0, из них с «болью»: 0, дней: 0." in journey.summary.value


def test_figure_plots_the_rows_emotions(as_is):
    """Does the emotion curve plot exactly the rows' emotions, with the pains marked?"""
    journey = JourneyMapBuilder(None, None, start_from="belgorod_journey_as_is")
    journey.rows[17]["emotion"].value = -2  # a learner's change shows in the chart
    fig = journey.figure()
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    expected = [*as_is["emotion"][:17], -2]
    assert list(ax.lines[0].get_ydata()) == expected
    assert list(ax.lines[0].get_xdata()) == list(range(1, 19))
    pains = ax.collections[0].get_offsets()
    pain_rows = as_is.index[as_is["pain"].notna()]
    assert [int(x) for x, _y in pains] == [i + 1 for i in pain_rows]
    assert [int(y) for _x, y in pains] == list(as_is.loc[pain_rows, "emotion"])


def test_the_chart_is_redrawn_and_figures_are_closed():
    """Does every change redraw the chart without leaving matplotlib figures open?"""
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    journey = JourneyMapBuilder(None, None, start_from="belgorod_journey_as_is")
    journey.rows[0]["emotion"].value = 2
    journey.rows[1]["pain"].value = "Пробка"
    assert len(plt.get_fignums()) == before


def test_a_new_step_continues_on_the_last_steps_day(as_is):
    """Does «Добавить шаг» give the new step the day of the last step, not day 1?"""
    widget = JourneyMapBuilder(None, None, start_from="belgorod_journey_as_is")
    last_day = int(as_is["day"].iloc[-1])
    assert last_day > 1
    browser_says(widget, action="add")
    assert widget.rows[-1]["day"].value == last_day
    empty = JourneyMapBuilder(None, None)
    browser_says(empty, action="add")
    assert empty.rows[-1]["day"].value == 1


def test_day_labels_are_drawn_once_per_run_of_days():
    """Is a step added for day 1 after day 2 labelled on its own, not over «День 2»?"""
    widget = JourneyMapBuilder(None, None)
    widget.value = [
        {"day": d, "stage": "", "step": s, "touchpoint": "", "emotion": 0, "pain": ""}
        for d, s in ((1, "Запись"), (2, "Приём"), (2, "Оплата"), (1, "Звонок"))
    ]
    ax = widget.figure().axes[0]
    days = [(t.get_text(), round(t.get_position()[0], 2)) for t in ax.texts]
    assert days == [("День 1", 1.0), ("День 2", 2.5), ("День 1", 4.0)]


def test_step_labels_wrap_between_words_only():
    """Are long step names on the emotion curve wrapped at spaces, never inside a word?"""
    step = "Получение медицинского заключения психиатра-нарколога в диспансерном корпусе"
    widget = JourneyMapBuilder(None, None)
    widget.value = [
        {"day": 1, "stage": "", "step": step, "touchpoint": "", "emotion": 0, "pain": ""}
    ]
    label = widget.figure().axes[0].get_xticklabels()[0].get_text()
    assert "\n" in label
    assert label.split() == step.split()
