"""Exercise 01 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets), plus its hidden tests run directly on
plausible wrong answers.

The partial learner writes both functions with one slip each (a strict ``>`` for "reached",
the lowest criterion returned for "highest"), sorts six of the eight situations right and
leaves one observation of the principles task unsorted. The alternatives compute the same
results with a plain loop over periods and with other pandas idioms.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from exercise_harness import Submission, run_source_cell, standard_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_client_centricity"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_APPROACHES = {  # six right; s4 and s7 wrong
    "s1": "centric", "s2": "oriented", "s3": "agency", "s4": "centric",
    "s5": "centric", "s6": "oriented", "s7": "oriented", "s8": "centric",
}  # fmt: skip
PARTIAL_PRINCIPLES = {  # p6 left unsorted, p3 wrong: four right
    "p1": "sequencing", "p2": "user", "p3": "holistic", "p4": "co_creation", "p5": "user",
}  # fmt: skip

PARTIAL = Submission(
    base="release",
    cells={
        "satisfaction_vs_target": """def satisfaction_vs_target(df):
    shares = (df["satisfaction"] >= 4).groupby(df["period"]).mean()
    result = {}
    for period, share in shares.items():
        result[period] = {
            "share": float(share),
            "gap_pp": float(share * 100 - 90),
            "reached": bool(share > 0.9),
        }
    return result


satisfaction_vs_target(survey)
""",
        "criteria_summary": """def criteria_summary(df):
    means = df[list(CRITERIA)].mean()
    return {"means": means.to_dict(), "lowest": means.idxmin(), "highest": means.idxmin()}


criteria_summary(survey)
""",
    },
    answers={"approach_sort": PARTIAL_APPROACHES, "principles_sort": PARTIAL_PRINCIPLES},
    expected={
        "test_satisfaction_format": 1.0,
        "test_satisfaction": 2.0,  # "reached" is wrong for the period exactly at 90%
        "test_criteria_format": 1.0,
        "test_criteria": 1.5,  # means and lowest right, highest wrong
        "test_approach_sort_complete": 1.0,
        "test_approach_sort": 3.0,
        "test_principles_sort_complete": 0.0,
        "test_principles_sort": 2.0,
    },
)
ALTERNATIVES = [
    Submission(  # a loop over periods with numpy results; means rounded to hundredths
        base="source",
        cells={
            "satisfaction_vs_target": """def satisfaction_vs_target(df):
    result = {}
    for period in df["period"].unique():
        answers_of_period = df[df["period"] == period]
        happy = answers_of_period["satisfaction"].isin([4, 5]).sum()
        percent = happy / len(answers_of_period) * 100
        result[period] = {"reached": percent >= 90, "gap_pp": percent - 90, "share": percent / 100}
    return result


satisfaction_vs_target(survey)
""",
            "criteria_summary": """def criteria_summary(df):
    means = {}
    for column in CRITERIA:
        means[column] = round(df[column].mean(), 2)
    ordered = sorted(means, key=means.get)
    return {"means": means, "lowest": ordered[0], "highest": ordered[-1]}


criteria_summary(survey)
""",
        },
    ),
    Submission(  # pivot_table, a dict comprehension, filter + sort_values
        base="source",
        cells={
            "satisfaction_vs_target": """def satisfaction_vs_target(df):
    flagged = df.assign(ok=df["satisfaction"].between(4, 5))
    shares = flagged.pivot_table(index="period", values="ok", aggfunc="mean")["ok"]
    return {
        p: {"share": s, "gap_pp": (s - 0.9) * 100, "reached": s >= 0.9}
        for p, s in shares.to_dict().items()
    }


satisfaction_vs_target(survey)
""",
            "criteria_summary": """def criteria_summary(df):
    ranked = df.filter(like="vk_").mean().sort_values()
    return {"means": ranked.to_dict(), "lowest": ranked.index[0], "highest": ranked.index[-1]}


criteria_summary(survey)
""",
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


# -- hidden tests run directly on wrong answers (no nbgrader: fast, one case each) ---------


def _learner(tmp_path, monkeypatch, source: str) -> dict:
    """The namespace after the setup cell and the learner's cell (in a scratch folder)."""
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    run_source_cell(ASSIGNMENT, "setup", namespace)
    exec(source, namespace)
    return namespace


_COPIED = """def satisfaction_vs_target(df):
    return {
        "до": {"share": 0.285, "gap_pp": -61.5, "reached": False},
        "после": {"share": 0.93, "gap_pp": 3.0, "reached": True},
    }
"""
_WRONG_SATISFACTION = {
    "copied from the case": (_COPIED, 0, "периоды другие"),
    "3 counted as satisfied": (
        _COPIED.split("\n")[0]
        + """
    shares = (df["satisfaction"] >= 3).groupby(df["period"]).mean()
    return {p: {"share": s, "gap_pp": s * 100 - 90, "reached": s >= 0.9} for p, s in shares.items()}
""",
        0,
        "share",
    ),
    "percentages instead of fractions": (
        _COPIED.split("\n")[0]
        + """
    shares = (df["satisfaction"] >= 4).groupby(df["period"]).mean() * 100
    return {p: {"share": s, "gap_pp": s - 90, "reached": s >= 90} for p, s in shares.items()}
""",
        2,
        "share",
    ),
    "relative gap in % instead of points": (
        _COPIED.split("\n")[0]
        + """
    shares = (df["satisfaction"] >= 4).groupby(df["period"]).mean()
    return {
        p: {"share": s, "gap_pp": (s - 0.9) / 0.9 * 100, "reached": s >= 0.9}
        for p, s in shares.items()
    }
""",
        2,
        "gap_pp",
    ),
    "raises": (_COPIED.split("\n")[0] + "\n    raise KeyError('period')\n", 0, "ошибкой"),
}


@pytest.mark.parametrize("variant", list(_WRONG_SATISFACTION))
def test_wrong_satisfaction_answers_lose_points_without_an_error(variant, tmp_path, monkeypatch):
    """Does a plausible wrong answer to part 1 (copied case figures, 3 counted as satisfied,
    percentages, a relative gap, an exception) lose its points, with a hint and nothing on
    stderr?"""
    source, expected, hint = _WRONG_SATISFACTION[variant]
    namespace = _learner(tmp_path, monkeypatch, source)
    score, out, err, _ = run_source_cell(ASSIGNMENT, "test_satisfaction", namespace)
    assert score == expected, out
    assert hint in out
    assert err == ""


_WRONG_CRITERIA = {
    "median instead of mean": (
        """def criteria_summary(df):
    medians = df[list(CRITERIA)].median()
    return {"means": medians.to_dict(), "lowest": medians.idxmin(), "highest": medians.idxmax()}
""",
        0.0,
    ),
    "lowest and highest swapped": (
        """def criteria_summary(df):
    means = df[list(CRITERIA)].mean()
    return {"means": means.to_dict(), "lowest": means.idxmax(), "highest": means.idxmin()}
""",
        1.0,
    ),
    "columns by position": (
        """def criteria_summary(df):
    means = df.iloc[:, 3:8].mean()
    return {"means": means.to_dict(), "lowest": means.idxmin(), "highest": means.idxmax()}
""",
        0.0,
    ),
}


@pytest.mark.parametrize("variant", list(_WRONG_CRITERIA))
def test_wrong_criteria_answers_lose_points(variant, tmp_path, monkeypatch):
    """Does a plausible wrong answer to part 2 (medians, swapped names, columns picked by
    position) lose its points without writing to stderr?"""
    source, expected = _WRONG_CRITERIA[variant]
    namespace = _learner(tmp_path, monkeypatch, source)
    score, out, err, _ = run_source_cell(ASSIGNMENT, "test_criteria", namespace)
    assert score == expected, out
    assert err == ""


@pytest.mark.parametrize(
    "content",
    [
        None,
        "{not json",
        "[]",
        json.dumps({"answers": "approach_sort"}),
        json.dumps({"answers": {"approach_sort": {"value": ["centric"] * 8}}}),
        json.dumps({"answers": {"principles_sort": {"value": {"p1": ["sequencing"]}}}}),
    ],
    ids=["missing", "broken", "list", "answers-a-string", "value-a-list", "choice-a-list"],
)
def test_malformed_answers_file_scores_zero_without_an_error(content, tmp_path, monkeypatch):
    """Does a missing, broken or wrongly shaped answers file score 0 on both widget tasks,
    with no error and nothing on stderr?"""
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / ANSWERS).write_text(content, encoding="utf-8")
    for grade_id in ("test_approach_sort", "test_principles_sort"):
        score, _out, err, _ = run_source_cell(ASSIGNMENT, grade_id, {})
        assert score == 0
        assert err == ""


def test_feedback_shows_the_learners_hints_and_scores(graded):
    """Does the partial learner's feedback name what to reconsider (the verdict at exactly
    90%, the strongest criterion, the sorting) and show her partial scores?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "вывод (reached)" in text
    assert "Пересмотрите «highest»" in text
    assert "Верно отнесено 6 из 8" in text
    assert "Верно разобрано 4 из 6" in text
    assert "1.5" in text
