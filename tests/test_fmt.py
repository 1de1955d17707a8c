"""Russian number, date and table formats (cxlab/fmt.py), and that charts and widget summaries
use them."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cxlab import data, fmt, plots
from cxlab.widgets import BlueprintEditor, CriteriaMatrix, SUSQuestionnaire, TestSessionLog

matplotlib.use("Agg")

G = "\u202f"  # the narrow no-break space between groups of digits
# A number written the programmer's way: a decimal point, or thousands with a comma.
ENGLISH_NUMBER = re.compile(r"\d\.\d|\d,\d{3}(?!\d)")


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234567.5, None, f"1{G}234{G}567,5"),
        (0.25, None, "0,25"),
        (2.0, None, "2"),
        (2017, None, "2017"),  # four digits stay whole
        (12345, None, f"12{G}345"),
        (-3, None, "−3"),
        (-0.001, 1, "0,0"),  # no «−0,0»
        (28.456, 1, "28,5"),
        (1300, 2, "1300,00"),
        (float("nan"), None, "—"),
        (None, None, "—"),
        (True, None, "True"),  # not a number to format
    ],
)
def test_number_is_written_the_russian_way(value, decimals, text):
    """Does a number get a decimal comma, grouped thousands and a real minus sign?"""
    assert fmt.number(value, decimals) == text


def test_percent_share_and_date():
    """Are percentages written «28,5%» and dates «6 декабря 2026»?"""
    assert fmt.percent(28.5) == "28,5%"
    assert fmt.share(0.285, 1) == "28,5%"
    assert fmt.share(0.93, 0) == "93%"
    assert fmt.date(dt.date(2026, 12, 6)) == "6 декабря 2026"
    assert fmt.date("2017-01-01T10:00") == "1 января 2017"


def test_a_table_has_russian_headers_and_numbers_and_scrolls_inside_itself():
    """Does a DataFrame shown to learners get Russian headers (with the code name below),
    Russian numbers, and a keyboard-reachable frame that scrolls sideways by itself?"""
    frame = pd.DataFrame({"idea_id": ["I01"], "c_value": [4.25], "votes": [12345]})
    shown = fmt.table(frame)._repr_html_()
    assert "№ идеи" in shown and "Ценность" in shown and "Голоса" in shown
    assert '<span class="cxlab-code">c_value</span>' in shown
    assert "4,25" in shown and f"12{G}345" in shown and "4.25" not in shown
    assert "class='cxlab-table' tabindex='0' role='region'" in shown
    assert "overflow-x:auto" in shown


def test_a_long_table_is_cut_to_its_first_and_last_rows():
    """Is a table longer than pandas' display limit shown as its head and tail with a note?"""
    shown = fmt.table(pd.DataFrame({"value": range(500)}))._repr_html_()
    assert "Показаны первые 5 и последние 5 строк из 500" in shown
    assert ">499<" in shown and ">250<" not in shown


def _texts(fig) -> list[str]:
    """Every text a figure shows (tick labels as drawn, titles, labels, annotations)."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_a_chart_and_widget_summaries_show_only_russian_numbers(tmp_path):
    """Do a rendered chart and the widgets' summaries write numbers only the Russian way?"""
    shares = pd.Series({"Онлайн-запись": 0.35, "Одна касса": 0.125, "Врачи на 1-м этаже": 0.9})
    ax = plots.bars(shares, "Доля", "Доля заявителей")
    chart = _texts(ax.figure)
    # a pandas chart drawn without cxlab.plots gets Russian ticks when a lecture shows it
    _fig, other = plt.subplots()
    pd.Series([0.5, 1.5, 2.25]).plot.bar(ax=other, title="Проба")
    html = fmt.figure_html(other.figure)
    assert 'alt="График. Проба' in html
    other_ticks = [t.get_text() for t in other.get_yticklabels()]
    chart += _texts(other.figure)

    log = TestSessionLog(None, None, ["Записаться"])
    for seconds, outcome in ((95, "success"), (120, "fail"), (100, "assisted")):
        log.add_row({"participant": "P", "task": "Записаться", "outcome": outcome})
        log.rows[-1]["seconds"].value = seconds
    matrix = CriteriaMatrix(None, None, ["А", "Б"], {"Ценность": 3, "Скорость": 1})
    for option, scores in (("А", (4, 5)), ("Б", (2, 3))):
        for criterion, score in zip(("Ценность", "Скорость"), scores, strict=True):
            matrix.scores[option][criterion].value = score
    sus = SUSQuestionnaire(None, None)
    for item, value in zip(sus.items, "5242524252", strict=True):
        item.value = value
    blueprint = BlueprintEditor(None, None, start_from="belgorod_journey_to_be")
    summaries = [
        log.summary.value,
        matrix.ranking.value,
        sus.result.value,
        blueprint.comparison.value,
    ]

    everything = "\n".join(chart + summaries)
    assert not ENGLISH_NUMBER.findall(everything), ENGLISH_NUMBER.findall(everything)
    # the check can fail: there are decimals, written with a comma
    assert "0,2" in [t.get_text() for t in ax.get_xticklabels()]
    assert "0,5" in other_ticks and "1,5" in other_ticks
    assert "33%" in log.summary.value  # one success in three attempts
    assert "2,25" in matrix.ranking.value and "4,25" in matrix.ranking.value
    assert "Балл SUS: 82,5 из 100" in sus.result.value
    assert "в 3,2 раза" in blueprint.comparison.value


def test_the_programmers_format_would_be_caught():
    """Would the check above see «28.5%» or «1,300»? (It is not a check that cannot fail.)"""
    assert ENGLISH_NUMBER.search("Доля: 28.5%")
    assert ENGLISH_NUMBER.search("Итого 1,300 руб.")
    assert not ENGLISH_NUMBER.search(f"Доля: 28,5%, итого 12{G}345 руб.")


def test_journey_data_as_a_learner_table():
    """Does the case's journey table show its columns under Russian headers?"""
    shown = fmt.table(data.load("belgorod_journey_as_is"))._repr_html_()
    for header in ("№ шага", "Очередь, мин", "Оплата, ₽", "«Боль»"):
        assert header in shown
