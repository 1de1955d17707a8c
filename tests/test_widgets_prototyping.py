"""Behaviour of the prototyping tools: journey_measures and the BlueprintEditor comparison.

The as-is and to-be numbers are the case's known figures, cross-checked against the CSV files
read with pandas. The save/restore contract is in test_widget_contract.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cxlab import answers
from cxlab.widgets import BlueprintEditor
from cxlab.widgets.prototyping import journey_measures

AS_IS = {"minutes": 650, "days": 3, "visits": 3, "offices": 2, "payments": 3, "rubles": 2600}
TO_BE = {"minutes": 205, "days": 1, "visits": 1, "offices": 1, "payments": 1, "rubles": 2600}


def _csv(repo, name) -> pd.DataFrame:
    return pd.read_csv(repo / "datasets" / f"{name}.csv")


def _row(day=1, place="МФЦ", minutes=0.0, payment_rub=0.0):
    return {"day": day, "place": place, "minutes": minutes, "payment_rub": payment_rub}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("belgorod_journey_as_is", AS_IS, id="as-is"),
        pytest.param("belgorod_journey_to_be", TO_BE, id="to-be"),
    ],
)
def test_measures_of_the_case_journeys(name, expected):
    """Does the editor started from a journey measure the case's known minutes, days, visits,
    offices, payments and rubles?"""
    editor = BlueprintEditor(None, None, start_from=name)
    assert editor.measures() == expected


@pytest.mark.parametrize("name", ["belgorod_journey_as_is", "belgorod_journey_to_be"])
def test_measures_agree_with_the_csv(repo, name):
    """Do minutes, days and payments agree with the CSV summed by pandas?"""
    df = _csv(repo, name)
    measures = BlueprintEditor(None, None, start_from=name).measures()
    assert measures["minutes"] == (df["travel_min"] + df["queue_min"] + df["service_min"]).sum()
    assert measures["days"] == df["day"].nunique()
    assert measures["payments"] == int((df["payment_rub"] > 0).sum())
    assert measures["rubles"] == df["payment_rub"].sum()
    offices = df[~df["institution"].isin(["Дом", "В пути"])]
    assert measures["visits"] == len(offices[["day", "institution"]].drop_duplicates())
    assert measures["offices"] == offices["institution"].nunique()


def test_the_baseline_is_the_as_is_journey():
    """Is the comparison's baseline the as-is journey unless told otherwise?"""
    assert BlueprintEditor(None, None).baseline == AS_IS


def test_ratio_of_as_is_to_to_be():
    """Is the to-be 650 / 205 times shorter, said with a decimal comma («3,2»)?"""
    editor = BlueprintEditor(None, None, start_from="belgorod_journey_to_be")
    assert editor.ratio() == pytest.approx(650 / 205)
    assert "Путь «как должно быть» занимает в 3,2 раза меньше времени заявителя." in (
        editor.comparison.value
    )


def test_a_longer_to_be_is_called_longer():
    """If the new journey takes longer than the baseline, is that said (also with a comma)?"""
    editor = BlueprintEditor(
        None, None, baseline="belgorod_journey_to_be", start_from="belgorod_journey_as_is"
    )
    assert editor.ratio() == pytest.approx(205 / 650)
    assert "Путь «как должно быть» длиннее прежнего в 3,2 раза: проверьте шаги." in (
        editor.comparison.value
    )


def test_no_minutes_asks_for_steps():
    """With no minutes yet, is there no ratio and a request to add steps?"""
    editor = BlueprintEditor(None, None)
    assert editor.ratio() is None
    assert "Добавьте шаги с минутами, чтобы сравнить пути." in editor.comparison.value


def test_comparison_table_shows_both_journeys():
    """Does the table show each measure for «как есть» and «как должно быть» side by side?"""
    editor = BlueprintEditor(None, None, start_from="belgorod_journey_to_be")
    html = editor.comparison.value
    assert (
        "<tr><td>Время заявителя, мин</td><td style='text-align:right'>650</td>"
        "<td style='text-align:right'>205</td></tr>"
    ) in html
    assert "<td>Визитов в учреждения</td><td style='text-align:right'>3</td>" in html
    assert "<td>Сумма оплат, ₽</td><td style='text-align:right'>2600</td>" in html


def test_the_comparison_follows_edits(tmp_path):
    """When a step's minutes change, are the measures, the verdict and the file updated?"""
    store = answers.open_store("t", tmp_path)
    editor = BlueprintEditor(store, "bp", start_from="belgorod_journey_to_be")
    editor.rows[0]["minutes"].value = 10 + 120  # online booking now takes two hours more
    assert editor.measures()["minutes"] == 325
    assert "в 2,0 раза меньше" in editor.comparison.value
    assert sum(r["minutes"] for r in answers.open_store("t", tmp_path).get("bp")) == 325


NOT_VISITS = {
    "home": "Дом",
    "home-lower": "дом",
    "at-home-upper": "ДОМА",
    "on-the-way": "В пути",
    "on-the-way-mixed": "в ПУТИ",
    "on-the-way-padded": " в пути ",
    "online": "Онлайн",
    "online-lower": "онлайн",
    "online-upper": "ОНЛАЙН",
    "blank": "",
}


@pytest.mark.parametrize("place", NOT_VISITS.values(), ids=NOT_VISITS.keys())
def test_home_road_and_online_are_not_visits(place):
    """Are home, the road and online never counted as visits, whatever their case?"""
    measures = journey_measures([_row(place=place, minutes=30), _row(place="МФЦ", minutes=20)])
    assert measures["visits"] == 1
    assert measures["offices"] == 1
    assert measures["minutes"] == 50


def test_visits_are_distinct_day_and_place_pairs():
    """Is a place counted once a day (any case), and again on another day?"""
    measures = journey_measures(
        [
            _row(day=1, place="МФЦ"),
            _row(day=1, place="мфц "),
            _row(day=1, place="Поликлиника"),
            _row(day=2, place="МФЦ"),
        ]
    )
    assert measures["visits"] == 3
    assert measures["offices"] == 2
    assert measures["days"] == 2


def test_payments_count_rows_with_money():
    """Are payments the rows with a positive sum, and rubles their total?"""
    measures = journey_measures(
        [_row(payment_rub=1300), _row(payment_rub=0), _row(payment_rub=600.5)]
    )
    assert measures["payments"] == 2
    assert measures["rubles"] == 1900.5


def test_measures_of_no_steps_are_zero():
    """Does an empty journey measure zero everywhere rather than fail?"""
    assert journey_measures([]) == dict.fromkeys(AS_IS, 0)


def test_an_unchanged_journey_is_called_unchanged_not_one_times_shorter():
    """Does the as-is journey, before any edit, say the time has not changed yet?"""
    editor = BlueprintEditor(None, None, start_from="belgorod_journey_as_is")
    assert "пока не изменился" in editor.comparison.value
    assert "1,0 раза" not in editor.comparison.value
