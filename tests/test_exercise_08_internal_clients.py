"""Exercise 08 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets), plus its hidden tests run in-process
against plausible mistakes and broken answers files.

The partial learner averages headcount the simplified way (start and end of the year), gives
the relative change as a fraction instead of percent, and sorts five of the eight records into
the right journey stage; the first alternative solution uses other pandas idioms and a loop, the
second rounds its numbers as far as the task text allows (one decimal place); the third fills
only the core track's blanks of the release, with other idioms, and writes the analyst's
function with a loop.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from exercise_harness import (
    Submission,
    hidden_score,
    source_answers,
    standard_tests,
)

pytestmark = pytest.mark.slow

ASSIGNMENT = "08_internal_clients"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_STAGES = {  # five right (r1, r2, r3, r4, r7), three wrong
    "r1": "work", "r2": "onboarding", "r3": "recognition", "r4": "vacancy",
    "r5": "work", "r6": "onboarding", "r7": "selection", "r8": "recognition",
}  # fmt: skip

# Simplified average (start and end of the year): wrong wherever a unit grew or shrank.
START_END = """def unit_turnover(df, unit, norm=7.0):
    rows = df[df["unit"] == unit].sort_values("month")
    average = (rows["headcount"].iloc[0] + rows["headcount"].iloc[-1]) / 2
    turnover = rows["left"].sum() / average * 100
    return {
        "average_headcount": average,
        "turnover": turnover,
        "gap_pp": turnover - norm,
        "above_norm": turnover > norm,
    }
"""
# The relative change as a fraction (-0.26) rather than percent (-26.4).
AS_FRACTION = """def turnover_change(df):
    ordered = df.sort_values("year")
    first, last = ordered["turnover"].iloc[0], ordered["turnover"].iloc[-1]
    whole = round(last)
    word = "более" if last > whole else "почти" if last < whole else ""
    return {
        "change_pp": last - first,
        "change_percent": (last - first) / first,
        "rounded": whole,
        "qualifier": word,
    }
"""

PARTIAL = Submission(
    base="release",
    cells={"unit_turnover": START_END, "turnover_change": AS_FRACTION},
    answers={"journey_stages": PARTIAL_STAGES},
    expected={
        "test_unit_turnover_format": 1.0,
        "test_unit_turnover": 1.0,  # only above_norm survives the simplified average
        "test_turnover_change_format": 1.0,
        "test_turnover_change": 3.0,
        "test_journey_stages_complete": 1.0,
        "test_journey_stages": 2.5,
    },
)
ALTERNATIVES = [
    Submission(
        base="source",
        cells={
            "unit_turnover": """import numpy as np


def unit_turnover(df, unit, norm=7.0):
    part = df.query("unit == @unit")
    months = part.groupby("month")["headcount"].sum()
    mean_staff = np.mean(months.to_numpy())
    rate = 100 * part["left"].to_numpy().sum() / mean_staff
    return dict(above_norm=rate > norm, gap_pp=rate - norm, turnover=rate,
                average_headcount=mean_staff)


pd.DataFrame({name: unit_turnover(staff, name) for name in staff["unit"].unique()}).T
""",
            "turnover_change": """def turnover_change(df):
    by_year = df.set_index("year")["turnover"]
    start = by_year.loc[by_year.index.min()]
    end = by_year.loc[by_year.index.max()]
    qualifier = ""
    for word, holds in (("более", end > int(end + 0.5)), ("почти", end < int(end + 0.5))):
        if holds:
            qualifier = word
    result = {"qualifier": qualifier, "rounded": int(end + 0.5)}
    result["change_pp"] = end - start
    result["change_percent"] = result["change_pp"] * 100 / start
    return result


turnover_change(history)
""",
        },
    ),
    # Rounded as the task text allows: the numbers to one decimal place, at the very end.
    Submission(
        base="source",
        cells={
            "unit_turnover": """def unit_turnover(df, unit, norm=7.0):
    rows = df[df["unit"] == unit]
    average = rows["headcount"].mean()
    turnover = rows["left"].sum() / average * 100
    return {
        "average_headcount": round(average, 1),
        "turnover": round(turnover, 1),
        "gap_pp": round(turnover - norm, 1),
        "above_norm": bool(turnover > norm),
    }
""",
            "turnover_change": """def turnover_change(df):
    ordered = df.sort_values("year")
    first, last = ordered["turnover"].iloc[0], ordered["turnover"].iloc[-1]
    whole = round(last)
    word = "более" if last > whole else "почти" if last < whole else ""
    return {
        "change_pp": round(last - first, 1),
        "change_percent": round((last - first) / first * 100, 1),
        "rounded": int(whole),
        "qualifier": word,
    }
""",
        },
    ),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "unit_turnover": [
                'average = rows["headcount"].sum() / len(rows)',
                'turnover = round(100 * rows["left"].sum() / average, 1)',
                "gap_pp = -(norm - turnover)",
                "above_norm = not turnover <= norm",
            ],
            "turnover_change": [
                'last = ordered["turnover"].tolist()[-1]',
                "change_pp = round(last - first, 1)",
                "change_percent = (last / first - 1) * 100",
                "rounded = int(round(last))",
                'qualifier = "более"',
                'qualifier = "почти"',
            ],
            "monthly_left_share": [
                """found = {}
for _, row in df.iterrows():
    left, count = found.get(row["month"], (0, 0))
    found[row["month"]] = (left + row["left"], count + row["headcount"])
return {month: left / count * 100 for month, (left, count) in found.items()}"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def test_feedback_names_what_to_reconsider_but_not_the_values(graded):
    """Does the partial learner's feedback name the keys to reconsider, her partial scores,
    and no reference value?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "средняя численность (average_headcount)" in text
    assert "изменение в процентах (change_percent)" in text
    assert "Баллы: 1 из 4." in text and "Баллы: 3 из 4." in text
    assert "Баллы: 2,5 из 4." in text  # five of the eight records, 0.5 each
    assert "Спросите себя, что человек делает в этот момент" in text  # the stages hint
    for value in ("16.08", "-26.4", "12.43"):  # the case's reference values
        assert value not in text


# -- the hidden tests in-process: plausible mistakes and broken answers files -------------


_UNIT_HEAD = "def unit_turnover(df, unit, norm=7.0):\n"
_UNIT_TAIL = """
    return {"average_headcount": average, "turnover": turnover,
            "gap_pp": turnover - norm, "above_norm": turnover > norm}
"""
UNIT_MISTAKES = {
    # name: (body computing `average` and `turnover`, expected hidden score out of 4)
    "end_of_year_headcount": (
        """    rows = df[df["unit"] == unit].sort_values("month")
    average = rows["headcount"].iloc[-1]
    turnover = rows["left"].sum() / average * 100""",
        1,
    ),
    "start_end_average": (
        """    rows = df[df["unit"] == unit].sort_values("month")
    average = (rows["headcount"].iloc[0] + rows["headcount"].iloc[-1]) / 2
    turnover = rows["left"].sum() / average * 100""",
        1,
    ),
    "fraction_not_percent": (
        """    rows = df[df["unit"] == unit]
    average = rows["headcount"].mean()
    turnover = rows["left"].sum() / average""",
        1,
    ),
    "no_unit_filter": (
        """    average = df["headcount"].mean()
    turnover = df["left"].sum() / average * 100""",
        0,
    ),
    "sum_not_mean_of_headcount": (
        """    rows = df[df["unit"] == unit]
    average = rows["headcount"].sum()
    turnover = rows["left"].sum() / average * 100""",
        0,
    ),
}


@pytest.mark.parametrize("mistake", sorted(UNIT_MISTAKES))
def test_part_1_hidden_test_catches_plausible_mistakes(mistake, tmp_path, monkeypatch):
    """Does the hidden turnover test take points from a plausible mistake, silently on stderr,
    with a hint that names what to reconsider?"""
    body, expected = UNIT_MISTAKES[mistake]
    score, printed = hidden_score(
        ASSIGNMENT, "test_unit_turnover", _UNIT_HEAD + body + _UNIT_TAIL, tmp_path, monkeypatch
    )
    assert score == expected
    assert "Пересмотрите:" in printed


def test_part_1_hidden_test_checks_the_norm_parameter_and_the_gap(tmp_path, monkeypatch):
    """Does a learner who ignores ``norm`` or gives the gap in percent of the norm lose exactly
    those keys?"""
    fixed_norm = _UNIT_HEAD + (
        """    rows = df[df["unit"] == unit]
    average = rows["headcount"].mean()
    turnover = rows["left"].sum() / average * 100
    return {"average_headcount": average, "turnover": turnover,
            "gap_pp": turnover - 7, "above_norm": turnover > 7}
"""
    )
    relative_gap = _UNIT_HEAD + (
        """    rows = df[df["unit"] == unit]
    average = rows["headcount"].mean()
    turnover = rows["left"].sum() / average * 100
    return {"average_headcount": average, "turnover": turnover,
            "gap_pp": (turnover - norm) / norm * 100, "above_norm": turnover > norm}
"""
    )
    score, printed = hidden_score(
        ASSIGNMENT, "test_unit_turnover", fixed_norm, tmp_path, monkeypatch
    )
    assert score == 2
    assert "(gap_pp)" in printed and "(above_norm)" in printed
    score, printed = hidden_score(
        ASSIGNMENT, "test_unit_turnover", relative_gap, tmp_path, monkeypatch
    )
    assert score == 3
    assert "(gap_pp)" in printed and "(turnover)" not in printed


_CHANGE_HEAD = """def turnover_change(df):
    ordered = df.sort_values("year")
    first, last = ordered["turnover"].iloc[0], ordered["turnover"].iloc[-1]
    whole = round(last)
"""
CHANGE_MISTAKES = {
    # name: (learner cell, expected hidden score out of 4)
    "rows_taken_in_table_order": (
        """def turnover_change(df):
    first, last = df["turnover"].iloc[0], df["turnover"].iloc[-1]
    whole = round(last)
    word = "более" if last > whole else "почти" if last < whole else ""
    return {"change_pp": last - first, "change_percent": (last - first) / first * 100,
            "rounded": whole, "qualifier": word}
""",
        0,
    ),
    "percent_equals_points": (
        _CHANGE_HEAD
        + """    word = "более" if last > whole else "почти" if last < whole else ""
    return {"change_pp": last - first, "change_percent": last - first,
            "rounded": whole, "qualifier": word}
""",
        3,
    ),
    "qualifiers_swapped": (
        _CHANGE_HEAD
        + """    word = "почти" if last > whole else "более" if last < whole else ""
    return {"change_pp": last - first, "change_percent": (last - first) / first * 100,
            "rounded": whole, "qualifier": word}
""",
        3,
    ),
    "sign_lost": (
        _CHANGE_HEAD
        + """    word = "более" if last > whole else "почти" if last < whole else ""
    return {"change_pp": abs(last - first), "change_percent": abs(last - first) / first * 100,
            "rounded": whole, "qualifier": word}
""",
        2,
    ),
    "always_a_qualifier": (
        _CHANGE_HEAD
        + """    word = "более" if last > whole else "почти"
    return {"change_pp": last - first, "change_percent": (last - first) / first * 100,
            "rounded": whole, "qualifier": word}
""",
        3,
    ),
    "raises": (
        """def turnover_change(df):
    raise KeyError("turnover_pct")
""",
        0,
    ),
}


@pytest.mark.parametrize("mistake", sorted(CHANGE_MISTAKES))
def test_part_2_hidden_test_catches_plausible_mistakes(mistake, tmp_path, monkeypatch):
    """Does the hidden change test take points from a plausible mistake (or an error), with
    nothing on stderr and a Russian hint?"""
    code, expected = CHANGE_MISTAKES[mistake]
    score, printed = hidden_score(ASSIGNMENT, "test_turnover_change", code, tmp_path, monkeypatch)
    assert score == expected
    assert "Пересмотрите:" in printed
    if mistake == "raises":
        assert "Ваш код завершился с ошибкой: KeyError" in printed


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"format": "cxlab-answers", "version": 1, "answers": []}),
        json.dumps({"answers": {"journey_stages": {"value": ["work"] * 8}}}),
        json.dumps({"answers": {"journey_stages": {"value": {"r1": ["work"], "r2": 7}}}}),
        json.dumps({"answers": {"journey_stages": "work"}}),
        None,  # no answers file at all
    ],
    ids=["not_json", "answers_list", "value_list", "wrong_types", "no_value", "missing"],
)
def test_broken_answers_file_scores_zero_without_an_error(content, tmp_path, monkeypatch):
    """Does a missing or malformed answers file give 0 on the stages test, not an error?"""
    score, _ = hidden_score(
        ASSIGNMENT, "test_journey_stages", "pass\n", tmp_path, monkeypatch, content
    )
    assert score == 0


@pytest.mark.parametrize(("digits", "expected"), [(1, 4), (0, 1)])
def test_hidden_tests_accept_exactly_the_rounding_the_task_allows(
    digits, expected, tmp_path, monkeypatch
):
    """Does a learner who rounds to one decimal place, as the task text allows, keep every
    point, while rounding to whole numbers costs the numeric keys?"""
    unit = _UNIT_HEAD + (
        f"""    rows = df[df["unit"] == unit]
    average = rows["headcount"].mean()
    turnover = rows["left"].sum() / average * 100
    return {{"average_headcount": round(average, {digits}),
            "turnover": round(turnover, {digits}),
            "gap_pp": round(turnover - norm, {digits}), "above_norm": turnover > norm}}
"""
    )
    change = _CHANGE_HEAD + (
        f"""    word = "более" if last > whole else "почти" if last < whole else ""
    return {{"change_pp": round(last - first, {digits}),
            "change_percent": round((last - first) / first * 100, {digits}),
            "rounded": whole, "qualifier": word}}
"""
    )
    score, _ = hidden_score(ASSIGNMENT, "test_unit_turnover", unit, tmp_path, monkeypatch)
    assert score == expected
    score, printed = hidden_score(ASSIGNMENT, "test_turnover_change", change, tmp_path, monkeypatch)
    assert score == (4 if digits == 1 else 2)
    assert ("Пересмотрите:" in printed) is (digits == 0)


def test_partly_right_stages_earn_half_a_point_each_with_the_hint(tmp_path, monkeypatch):
    """Do five right records of eight earn 2.5 points, with the hint and no right answer?"""
    doc = {"answers": {"journey_stages": {"value": PARTIAL_STAGES}}}
    score, printed = hidden_score(
        ASSIGNMENT, "test_journey_stages", "pass\n", tmp_path, monkeypatch, json.dumps(doc)
    )
    assert score == 2.5
    assert "Баллы: 2,5 из 4." in printed
    assert "Спросите себя, что человек делает в этот момент" in printed
    assert "exit" not in printed and "adaptation" not in printed
