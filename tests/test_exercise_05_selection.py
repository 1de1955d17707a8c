"""Exercise 05 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets).

The partial learner sorts the episodes with four of six right, sorts only four requirements
(three right), names the four criteria by hand in ``weighted_scores`` (so her function raises
on the weights for three criteria) and counts quadrants with ``value_counts`` (empty quadrants
missing) and sorts quick wins by votes alone (ties in row order). The alternatives compute the
same results with other idioms; one rounds the way the task text allows (weights to three
decimals, scores to hundredths). A few fast checks run the hidden test cells directly on
plausible wrong answers, on rounded answers and on malformed answers files. The last
alternative fills only the core track's blanks of the release, with other idioms, and writes the
analyst's function with a loop.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from exercise_harness import Submission, run_source_cell, source_answers, standard_tests

from cxlab import data

pytestmark = pytest.mark.slow

ASSIGNMENT = "05_selection"
ANSWERS = f"{ASSIGNMENT}.answers.json"

PARTIAL_STAGES = {  # four right (e1, e2, e4, e6), two wrong
    "e1": "diverge", "e2": "converge", "e3": "diverge",
    "e4": "diverge", "e5": "diverge", "e6": "diverge",
}  # fmt: skip
PARTIAL_CRITERIA = {"r1": "filter", "r2": "scored", "r3": "filter", "r4": "filter"}  # 3 right

PARTIAL = Submission(
    base="release",
    answers={"stages_sort": PARTIAL_STAGES, "criteria_sort": PARTIAL_CRITERIA},
    cells={
        "weighted_scores": """def weighted_scores(df, raw_weights):
    total = raw_weights["c_value"] + raw_weights["c_feasibility"]
    total = total + raw_weights["c_speed"] + raw_weights["c_cost"]
    score = (
        df["c_value"] * raw_weights["c_value"]
        + df["c_feasibility"] * raw_weights["c_feasibility"]
        + df["c_speed"] * raw_weights["c_speed"]
        + df["c_cost"] * raw_weights["c_cost"]
    ) / total
    return dict(zip(df["idea_id"], score))


weighted_scores(ideas, TEAM_WEIGHTS)
""",
        "impact_effort_summary": """def impact_effort_summary(df, impact_min, effort_min):
    high_i = df["impact"] >= impact_min
    high_e = df["effort"] >= effort_min
    quadrant = pd.Series("Мелочи", index=df.index)
    quadrant[high_i & ~high_e] = "Быстрые победы"
    quadrant[high_i & high_e] = "Крупные проекты"
    quadrant[~high_i & high_e] = "Пустая трата сил"
    wins = df[quadrant == "Быстрые победы"].sort_values("votes", ascending=False, kind="stable")
    return {"counts": quadrant.value_counts().to_dict(), "quick_wins": list(wins["idea_id"])}


impact_effort_summary(ideas, 4, 3)
""",
    },
    expected={
        "test_stages_sort_complete": 1.0,
        "test_stages_sort": 2.0,
        "test_criteria_sort_complete": 0.0,
        "test_criteria_sort": 1.5,
        "test_weighted_scores_format": 1.0,
        "test_weighted_scores": 2.0,
        "test_impact_effort_format": 1.0,
        "test_impact_effort_summary": 1.5,
    },
)
ALTERNATIVES = [
    Submission(  # loops over rows and criteria; a quadrant per row and Python's sorted()
        base="source",
        cells={
            "weighted_scores": """def weighted_scores(df, raw_weights):
    total = 0
    for value in raw_weights.values():
        total += value
    result = {}
    for _, row in df.iterrows():
        result[row["idea_id"]] = 0.0
        for criterion, importance in raw_weights.items():
            result[row["idea_id"]] += row[criterion] * importance / total
    return result


weighted_scores(ideas, TEAM_WEIGHTS)
""",
            "impact_effort_summary": """def impact_effort_summary(df, impact_min, effort_min):
    counts = {name: 0 for name in QUADRANTS}
    wins = []
    for row in df.itertuples():
        if row.impact >= impact_min:
            name = "Крупные проекты" if row.effort >= effort_min else "Быстрые победы"
        else:
            name = "Пустая трата сил" if row.effort >= effort_min else "Мелочи"
        counts[name] += 1
        if name == "Быстрые победы":
            wins.append((-row.votes, row.idea_id))
    return {"counts": counts, "quick_wins": [idea for _, idea in sorted(wins)]}


impact_effort_summary(ideas, 4, 3)
""",
        },
    ),
    Submission(  # a matrix product; numpy.select, value_counts with reindex, an index sort
        base="source",
        cells={
            "weighted_scores": """def weighted_scores(df, raw_weights):
    names = list(raw_weights)
    w = pd.Series(raw_weights)[names].to_numpy(dtype=float)
    values = df[names].to_numpy() @ (w / w.sum())
    return pd.Series(values, index=df["idea_id"].to_numpy()).to_dict()


weighted_scores(ideas, TEAM_WEIGHTS)
""",
            "impact_effort_summary": """import numpy as np


def impact_effort_summary(df, impact_min, effort_min):
    hi = df.impact.ge(impact_min)
    he = df.effort.ge(effort_min)
    quadrant = np.select(
        [hi & ~he, hi & he, ~hi & he], QUADRANTS[:2] + QUADRANTS[3:], default=QUADRANTS[2]
    )
    counts = pd.Series(quadrant).value_counts().reindex(QUADRANTS, fill_value=0)
    table = df.assign(q=quadrant).set_index("idea_id").sort_index()
    best = table[table.q == QUADRANTS[0]]["votes"].sort_values(ascending=False, kind="stable")
    return {"counts": counts.to_dict(), "quick_wins": best.index.tolist()}


impact_effort_summary(ideas, 4, 3)
""",
        },
    ),
]

ROUNDED_SCORES = """def weighted_scores(df, raw_weights):
    total = sum(raw_weights.values())
    shares = {name: round(points / total, 3) for name, points in raw_weights.items()}
    result = {}
    for _, row in df.iterrows():
        score = sum(row[name] * share for name, share in shares.items())
        result[row["idea_id"]] = round(score, 2)
    return result


weighted_scores(ideas, TEAM_WEIGHTS)
"""
ALTERNATIVES.append(  # the rounding the task text allows earns full marks
    Submission(base="source", cells={"weighted_scores": ROUNDED_SCORES})
)
ALTERNATIVES.append(  # only the blanks of the release, filled with other idioms
    Submission(
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "weighted_scores": [
                "weights = raw.div(raw.sum())",
                "scores = weighted.apply(sum, axis=1)",
            ],
            "impact_effort_summary": [
                'high_impact = df["impact"].ge(impact_min)',
                'high_effort = ~(df["effort"] < effort_min)',
                "quick = high_impact & (high_effort == False)  # noqa: E712",
            ],
            "vote_shares": [
                """result = {}
for _, row in df.iterrows():
    result[row["idea_id"]] = row["votes"] / df["votes"].sum()
return result"""
            ],
        },
    )
)

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


# -- what is particular to this assignment ---------------------------------------------------


def _learner(source: str) -> dict:
    namespace = {"pd": pd, "ideas": data.load("belgorod_ideas")}
    exec(source, namespace)
    return namespace


def _feedback_text(course) -> str:
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


def test_a_raising_function_loses_only_its_case_and_the_feedback_says_why(graded):
    """Does the partial learner, whose function raises KeyError on the three-criteria weights,
    keep the two other cases' points and read the error and her quadrant hints?"""
    course, scores = graded
    assert scores["partial"]["test_weighted_scores"] == 2
    text = _feedback_text(course)
    assert "Ваш код завершился с ошибкой: KeyError: 'c_speed'" in text
    assert "Пересмотрите: оценки с весами только для трёх критериев." in text
    assert "В «counts» не хватает квадрантов" in text  # value_counts drops empty quadrants
    # No tie rule: the right quick wins in another order on the altered table.
    assert "список быстрых побед (изменённая таблица, пороги 4 и 4)" in text
    assert "какие идеи попали в быстрые победы" not in text
    assert "при равенстве голосов — по номеру идеи" in text
    assert "Баллы: 1,5 из 3." in text  # the criteria sort (three of six) and the quadrants
    assert "Вспомните: фильтр — требование закона" in text


@pytest.mark.parametrize(
    ("wrong", "source", "expected", "hint"),
    [
        (
            "weights not normalised",
            """def weighted_scores(df, raw_weights):
    w = pd.Series(raw_weights)
    return dict(zip(df["idea_id"], (df[list(w.index)] * w).sum(axis=1)))
""",
            0,
            "Нормируйте веса",
        ),
        (
            "weights divided by the case's 12",
            """def weighted_scores(df, raw_weights):
    w = pd.Series(raw_weights) / 12
    return dict(zip(df["idea_id"], (df[list(w.index)] * w).sum(axis=1)))
""",
            1,
            "делите на их сумму (а не на 12)",
        ),
        (
            "a plain mean instead of weights",
            """def weighted_scores(df, raw_weights):
    return dict(zip(df["idea_id"], df[list(raw_weights)].mean(axis=1)))
""",
            0,
            "Пересмотрите: оценки на данных кейса с весами рабочей группы;",
        ),
        (
            "scores rounded to one decimal (coarser than the task allows)",
            """def weighted_scores(df, raw_weights):
    w = pd.Series(raw_weights, dtype=float)
    w = w / w.sum()
    return dict(zip(df["idea_id"], (df[list(w.index)] * w).sum(axis=1).round(1)))
""",
            2,  # the other cases' weights give scores with one decimal anyway
            "Пересмотрите: оценки на данных кейса с весами рабочей группы.",
        ),
    ],
    ids=["not-normalised", "divided-by-12", "plain-mean", "one-decimal"],
)
def test_hidden_weighted_test_fails_plausible_wrong_answers(wrong, source, expected, hint):
    """Does the hidden test of part 3 take points from a plausible wrong answer and name
    what to reconsider, without writing to stderr?"""
    score, out, err, _ = run_source_cell(ASSIGNMENT, "test_weighted_scores", _learner(source))
    assert score == expected, (wrong, out)
    assert hint in out
    assert err == ""


@pytest.mark.parametrize(
    "source",
    [
        ROUNDED_SCORES,
        """def weighted_scores(df, raw_weights):
    w = pd.Series(raw_weights, dtype=float)
    w = w / w.sum()
    return dict(zip(df["idea_id"], (df[list(w.index)] * w).sum(axis=1).round(3)))
""",
    ],
    ids=["weights-3-scores-2-decimals", "scores-3-decimals"],
)
def test_hidden_weighted_test_accepts_the_rounding_the_task_allows(source):
    """Does a learner who rounds the weights (shares) to three decimals and the scores to
    hundredths, or the scores to three decimals, as the task text allows, earn every point
    of the visible and the hidden test?"""
    namespace = _learner(source.replace("\nweighted_scores(ideas, TEAM_WEIGHTS)\n", ""))
    namespace["TEAM_WEIGHTS"] = {"c_value": 5, "c_feasibility": 4, "c_speed": 2, "c_cost": 1}
    for grade_id, points in (("test_weighted_scores_format", 1), ("test_weighted_scores", 3)):
        score, out, err, _ = run_source_cell(ASSIGNMENT, grade_id, dict(namespace))
        assert score == points, (grade_id, out)
        assert out.endswith(f"Баллы: {points} из {points}.\n"), out
        assert err == ""


@pytest.mark.parametrize(
    ("wrong", "compare", "expected"),
    [("strictly above the threshold", ">", 0.0), ("at least the threshold (right)", ">=", 3.0)],
)
def test_hidden_quadrant_test_checks_the_threshold_rule(wrong, compare, expected):
    """Does the hidden test of part 4 give nothing to a learner who reads «high» as strictly
    above the threshold, and everything to the stated rule?"""
    source = f"""def impact_effort_summary(df, impact_min, effort_min):
    hi = df["impact"] {compare} impact_min
    he = df["effort"] {compare} effort_min
    masks = {{
        "Быстрые победы": hi & ~he, "Крупные проекты": hi & he,
        "Мелочи": ~hi & ~he, "Пустая трата сил": ~hi & he,
    }}
    wins = df[masks["Быстрые победы"]].sort_values(["votes", "idea_id"], ascending=[False, True])
    return {{"counts": {{k: int(m.sum()) for k, m in masks.items()}},
             "quick_wins": wins["idea_id"].tolist()}}
"""
    score, out, err, _ = run_source_cell(ASSIGNMENT, "test_impact_effort_summary", _learner(source))
    assert score == expected, (wrong, out)
    assert err == ""


@pytest.mark.parametrize(
    "content",
    [
        "not json at all {",
        json.dumps([1, 2, 3]),
        json.dumps({"answers": []}),
        json.dumps({"answers": {"stages_sort": 5, "criteria_sort": "filter"}}),
        json.dumps({"answers": {"stages_sort": {"value": ["diverge"]}}}),
        json.dumps({"answers": {"criteria_sort": {"value": {"r1": ["filter"], "r2": None}}}}),
        None,  # no file at all
    ],
    ids=[
        "bad-json",
        "a-list",
        "answers-a-list",
        "entries-not-dicts",
        "value-a-list",
        "categories-not-strings",
        "no-file",
    ],
)
def test_hidden_sort_tests_score_zero_on_a_malformed_answers_file(content, tmp_path, monkeypatch):
    """Does a missing or malformed answers file score 0 in the hidden sort tests, with no
    error and nothing on stderr?"""
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / ANSWERS).write_text(content, encoding="utf-8")
    for grade_id in ("test_stages_sort", "test_criteria_sort"):
        score, _, err, _ = run_source_cell(ASSIGNMENT, grade_id, {})
        assert score == 0, grade_id
        assert err == ""
