"""Behaviour of the selection tools: CriteriaMatrix, quadrant() and ImpactEffort.

Expected totals are worked out by hand in the comments. The save/restore contract is in
test_widget_contract.py.
"""

from __future__ import annotations

import matplotlib.figure
import pytest

from cxlab import answers
from cxlab.answers import AnswerError
from cxlab.widgets import CriteriaMatrix, ImpactEffort
from cxlab.widgets.selection import quadrant

OPTIONS = ("Онлайн-запись", "Единая касса", "Указатели", "Памятка")
CRITERIA = {"Влияние": 3, "Стоимость": 1, "Скорость": 1}  # normalised: 0.6, 0.2, 0.2
SCORES = {
    "Онлайн-запись": {"Влияние": 5, "Стоимость": 2, "Скорость": 4},  # 3.0 + 0.4 + 0.8 = 4.2
    "Единая касса": {"Влияние": 4, "Стоимость": 4, "Скорость": 4},  # 2.4 + 0.8 + 0.8 = 4.0
    "Указатели": {"Влияние": 5, "Стоимость": 2, "Скорость": 3},  # 3.0 + 0.4 + 0.6 = 4.0
    "Памятка": {"Влияние": 1, "Стоимость": 3, "Скорость": 2},  # 0.6 + 0.6 + 0.4 = 1.6
}


def _store(tmp_path):
    return answers.open_store("t", tmp_path)


def _matrix(store=None, qid=None):
    return CriteriaMatrix(store, qid, OPTIONS, CRITERIA)


def _scored():
    matrix = _matrix()
    for option, row in SCORES.items():
        for criterion, score in row.items():
            matrix.scores[option][criterion].value = score
    return matrix


# -- CriteriaMatrix ------------------------------------------------------------------------


def test_weights_are_normalised_to_sum_to_one():
    """Are the weights 3, 1, 1 shown as 0.6, 0.2, 0.2?"""
    nw = _matrix().normalised_weights()
    assert nw == pytest.approx({"Влияние": 0.6, "Стоимость": 0.2, "Скорость": 0.2})


def test_criteria_given_as_a_list_weigh_the_same():
    """Do criteria given as a plain list start with equal weights?"""
    matrix = CriteriaMatrix(None, None, OPTIONS, ["А", "Б", "В", "Г"])
    assert matrix.normalised_weights() == pytest.approx(dict.fromkeys("АБВГ", 0.25))


def test_weighted_totals_match_the_hand_computation():
    """Is each option's total the weighted sum of its scores (worked out by hand)?"""
    totals = _scored().totals()
    assert totals == pytest.approx(
        {"Онлайн-запись": 4.2, "Единая касса": 4.0, "Указатели": 4.0, "Памятка": 1.6}
    )


def test_ranking_puts_equal_totals_on_one_place():
    """Do equal totals share a place, with the next option's place skipped (1, 2, 2, 4)?"""
    ranking = _scored().ranking_list()
    assert [(p, o) for p, o, _s in ranking] == [
        (1, "Онлайн-запись"),
        (2, "Единая касса"),
        (2, "Указатели"),
        (4, "Памятка"),
    ]
    assert [s for _p, _o, s in ranking] == pytest.approx([4.2, 4.0, 4.0, 1.6])


def test_ranking_table_uses_a_decimal_comma():
    """Is the ranking shown as a table with places and totals like «4,20»?"""
    text = _scored().ranking.value
    assert "<tr><td>1</td><td>Онлайн-запись</td><td>4,20</td></tr>" in text
    assert "<tr><td>2</td><td>Указатели</td><td>4,00</td></tr>" in text
    assert "<tr><td>4</td><td>Памятка</td><td>1,60</td></tr>" in text
    assert "Веса после нормировки: Влияние 0,60; Стоимость 0,20; Скорость 0,20." in text


def test_changing_weights_changes_the_ranking():
    """With equal weights, does «Единая касса» (4, 4, 4) overtake «Онлайн-запись» (5, 2, 4)?"""
    matrix = _scored()
    for box in matrix.weights.values():
        box.value = 1.0
    # (5+2+4)/3 = 3.667, (4+4+4)/3 = 4.0, (5+2+3)/3 = 3.333, (1+3+2)/3 = 2.0
    assert matrix.totals() == pytest.approx(
        {"Онлайн-запись": 3.667, "Единая касса": 4.0, "Указатели": 3.333, "Памятка": 2.0}
    )
    assert [o for _p, o, _s in matrix.ranking_list()] == [
        "Единая касса",
        "Онлайн-запись",
        "Указатели",
        "Памятка",
    ]


def test_an_option_is_ranked_only_when_fully_scored():
    """Is an option with an unscored criterion left out of the ranking (total None) and listed
    as waiting?"""
    matrix = _scored()
    matrix.scores["Памятка"]["Скорость"].value = None
    assert matrix.totals()["Памятка"] is None
    assert [o for _p, o, _s in matrix.ranking_list()] == [
        "Онлайн-запись",
        "Единая касса",
        "Указатели",
    ]
    assert "Ещё не оценены по всем критериям: Памятка." in matrix.ranking.value


def test_a_fresh_matrix_has_no_ranking_yet():
    """With nothing scored, is every total None and every option listed as waiting?"""
    matrix = _matrix()
    assert set(matrix.totals().values()) == {None}
    assert matrix.ranking_list() == []
    assert "<table>" not in matrix.ranking.value
    assert "Ещё не оценены по всем критериям: " + ", ".join(OPTIONS) in matrix.ranking.value


def test_all_zero_weights_give_a_message_not_a_ranking():
    """With every weight zero, is the learner told to set weights instead of shown a ranking?"""
    matrix = _scored()
    for box in matrix.weights.values():
        box.value = 0
    assert matrix.normalised_weights() == dict.fromkeys(CRITERIA, 0.0)
    assert "Все веса нулевые: задайте важность критериев." in matrix.ranking.value
    assert "<table>" not in matrix.ranking.value


def test_one_zero_weight_ignores_that_criterion():
    """With one weight zero, does that criterion stop counting?"""
    matrix = _scored()
    matrix.weights["Влияние"].value = 0
    # Стоимость and Скорость at 0.5 each: (2+4)/2, (4+4)/2, (2+3)/2, (3+2)/2
    assert matrix.totals() == pytest.approx(
        {"Онлайн-запись": 3.0, "Единая касса": 4.0, "Указатели": 2.5, "Памятка": 2.5}
    )


def test_scores_and_weights_are_saved_and_restored(tmp_path):
    """Are the weights and the scores saved together and restored with the same ranking?"""
    matrix = _matrix(_store(tmp_path), "matrix")
    matrix.weights["Скорость"].value = 2.5
    matrix.scores["Памятка"]["Влияние"].value = 3
    saved = _store(tmp_path).get("matrix")
    assert saved["weights"] == {"Влияние": 3.0, "Стоимость": 1.0, "Скорость": 2.5}
    assert saved["scores"]["Памятка"] == {"Влияние": 3, "Стоимость": None, "Скорость": None}
    again = _matrix(_store(tmp_path), "matrix")
    assert again.weights["Скорость"].value == 2.5
    assert again.scores["Памятка"]["Влияние"].value == 3


@pytest.mark.parametrize(
    "weight",
    [-1, 1000.5, "3", True, None, [1]],
    ids=["negative", "over-1000", "text", "bool", "none", "list"],
)
def test_a_bad_saved_weight_is_refused(tmp_path, weight):
    """Is a saved weight that is not a number from 0 to 1000 refused, naming the criterion?"""
    store = _store(tmp_path)
    store.set("matrix", {"weights": {"Стоимость": weight}, "scores": {}})
    with pytest.raises(AnswerError) as info:
        _matrix(store, "matrix")
    assert str(info.value) == "Вес критерия «Стоимость» должен быть числом от 0 до 1000."


@pytest.mark.parametrize("score", [0, 6, 2.5, "4", True], ids=["0", "6", "2.5", "text", "bool"])
def test_a_bad_saved_score_is_refused(tmp_path, score):
    """Is a saved score that is not a whole number from 1 to 5 refused, naming the cell?"""
    store = _store(tmp_path)
    store.set("matrix", {"scores": {"Указатели": {"Скорость": score}}})
    with pytest.raises(AnswerError) as info:
        _matrix(store, "matrix")
    assert "«Указатели», «Скорость»: оценка должна быть целым числом от 1 до 5." in str(info.value)


@pytest.mark.parametrize(
    ("options", "criteria"),
    [
        pytest.param((), CRITERIA, id="no-options"),
        pytest.param(("А", "А"), CRITERIA, id="duplicate-options"),
        pytest.param(("А", "  "), CRITERIA, id="blank-option"),
        pytest.param(OPTIONS, [], id="no-criteria"),
        pytest.param(OPTIONS, ["К", "К "], id="duplicate-criteria"),
    ],
)
def test_matrix_needs_unique_names(options, criteria):
    """Are missing, blank or repeated option and criterion names refused?"""
    with pytest.raises(ValueError):
        CriteriaMatrix(None, None, options, criteria)


def test_matrix_escapes_names():
    """Are option names shown as text in the ranking, not as HTML?"""
    matrix = CriteriaMatrix(None, None, ["<b>Жирно</b>"], ["К"])
    matrix.scores["<b>Жирно</b>"]["К"].value = 5
    assert "&lt;b&gt;Жирно&lt;/b&gt;" in matrix.ranking.value
    assert "<b>Жирно</b>" not in matrix.ranking.value


# -- quadrant() ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("impact", "effort", "name"),
    [
        pytest.param(5, 1, "Быстрые победы", id="quick-win"),
        pytest.param(5, 5, "Крупные проекты", id="big-project"),
        pytest.param(1, 1, "Мелочи", id="small-thing"),
        pytest.param(1, 5, "Пустая трата сил", id="waste"),
        pytest.param(3.5, 3.5, "Крупные проекты", id="both-at-threshold"),
        pytest.param(3.5, 3.49, "Быстрые победы", id="impact-at-effort-below"),
        pytest.param(3.49, 3.5, "Пустая трата сил", id="impact-below-effort-at"),
        pytest.param(3.49, 3.49, "Мелочи", id="both-just-below"),
        pytest.param(4, 3, "Быстрые победы", id="integer-4-is-high-3-is-low"),
    ],
)
def test_quadrant_at_the_threshold(impact, effort, name):
    """Is «high» at least 3.5, so that 3.5 itself is high and 3.49 low?"""
    assert quadrant(impact, effort) == name


def test_quadrant_with_another_threshold():
    """Does a custom threshold move the boundary (3 high at threshold 3, low at 3.5)?"""
    assert quadrant(3, 3, threshold=3) == "Крупные проекты"
    assert quadrant(3, 3) == "Мелочи"


# -- ImpactEffort --------------------------------------------------------------------------

RATINGS = {
    "Онлайн-запись": (5, 4),  # big project
    "Единая касса": (4, 2),  # quick win
    "Указатели": (2, 1),  # small thing
    "Памятка": (1, 5),  # waste of effort
}


def _rated(ratings=RATINGS):
    widget = ImpactEffort(None, None, [*RATINGS, "Лифт"])
    for option, (impact, effort) in ratings.items():
        widget.ratings[option]["impact"].value = impact
        widget.ratings[option]["effort"].value = effort
    return widget


def test_impact_effort_quadrants_of_the_rated_options():
    """Is every fully rated option put in its quadrant, and an unrated one left out?"""
    widget = _rated()
    widget.ratings["Лифт"]["impact"].value = 5  # effort still unrated
    assert widget.quadrants() == {
        "Онлайн-запись": "Крупные проекты",
        "Единая касса": "Быстрые победы",
        "Указатели": "Мелочи",
        "Памятка": "Пустая трата сил",
    }


def test_impact_effort_summary_lists_quadrants_in_a_fixed_order():
    """Does the summary list options by quadrant, quick wins first?"""
    widget = _rated({**RATINGS, "Лифт": (4, 1)})
    summary = widget.summary.value
    assert summary == (
        "<p><b>Быстрые победы:</b> Единая касса, Лифт</p>"
        "<p><b>Крупные проекты:</b> Онлайн-запись</p>"
        "<p><b>Мелочи:</b> Указатели</p>"
        "<p><b>Пустая трата сил:</b> Памятка</p>"
    )


def test_impact_effort_figure_plots_effort_against_impact():
    """Does the figure put each rated option at (effort, impact)?"""
    fig = _rated().figure()
    assert isinstance(fig, matplotlib.figure.Figure)
    points = [tuple(p) for p in fig.axes[0].collections[0].get_offsets()]
    assert points == [(effort, impact) for impact, effort in RATINGS.values()]
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert set(RATINGS) <= labels


def test_impact_effort_figure_is_none_until_something_is_rated():
    """With no option fully rated, is there no figure and an empty summary?"""
    widget = ImpactEffort(None, None, OPTIONS)
    widget.ratings["Памятка"]["impact"].value = 3
    assert widget.figure() is None
    assert widget.quadrants() == {}
    assert widget.summary.value == ""


def test_impact_effort_saves_each_rating(tmp_path):
    """Does each dropdown change save both axes of every option, None where unrated?"""
    widget = ImpactEffort(_store(tmp_path), "ie", OPTIONS[:2])
    widget.ratings["Единая касса"]["effort"].value = 2
    assert _store(tmp_path).get("ie") == {
        "Онлайн-запись": {"impact": None, "effort": None},
        "Единая касса": {"impact": None, "effort": 2},
    }


def test_matrix_keeps_scores_of_options_it_no_longer_shows(tmp_path):
    """If a notebook drops an option and later brings it back, are its scores still there?"""
    store = _store(tmp_path)
    first = CriteriaMatrix(store, "m", OPTIONS, CRITERIA)
    first.scores["Памятка"]["Влияние"].value = 2
    fewer = CriteriaMatrix(answers.open_store("t", tmp_path), "m", OPTIONS[:2], CRITERIA)
    fewer.scores["Единая касса"]["Скорость"].value = 5  # a save while «Памятка» is hidden
    assert "Памятка" not in fewer.totals()
    back = CriteriaMatrix(answers.open_store("t", tmp_path), "m", OPTIONS, CRITERIA)
    assert back.scores["Памятка"]["Влияние"].value == 2
    assert back.scores["Единая касса"]["Скорость"].value == 5


def test_impact_effort_keeps_ratings_of_options_it_no_longer_shows(tmp_path):
    """Are the ratings of a hidden option kept in the file and left out of the chart?"""
    store = _store(tmp_path)
    first = ImpactEffort(store, "ie", ["A", "B"])
    first.ratings["B"]["impact"].value = 4
    first.ratings["B"]["effort"].value = 1
    fewer = ImpactEffort(answers.open_store("t", tmp_path), "ie", ["A"])
    fewer.ratings["A"]["impact"].value = 1
    assert fewer.quadrants() == {}
    saved = answers.open_store("t", tmp_path).get("ie")
    assert saved["B"] == {"impact": 4, "effort": 1}


LONG = [
    "I01. Единая площадка: психиатр и нарколог принимают в поликлинике на первом этаже",
    "I02. Онлайн-запись ко всем врачам медосмотра на одно время",
    "Очень длинное название идеи без номера, которое не поместится на диаграмме",
]


def test_impact_effort_labels_long_options_by_number_inside_the_axes():
    """Are long options shown on the chart by their number (or place), with the numbers
    explained below, and does every label stay inside the axes?"""
    widget = ImpactEffort(None, None, LONG)
    for option, (impact, effort) in zip(LONG, ((5, 5), (5, 1), (1, 5)), strict=True):
        widget.ratings[option]["impact"].value = impact
        widget.ratings[option]["effort"].value = effort
    assert widget.short_labels() == dict(zip(LONG, ["I01", "I02", "3"], strict=True))
    assert f"3 — {LONG[2]}" in widget.summary.value
    fig = widget.figure()
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    annotations = [t for t in ax.texts if t.get_text() in {"I01", "I02", "3"}]
    assert len(annotations) == 3
    for text in annotations:
        box = text.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()
