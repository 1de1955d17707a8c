"""Exercise 01 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets), plus its hidden tests run directly on
plausible wrong answers.

The partial learner writes both functions with one slip each (a strict ``>`` for "reached",
the lowest criterion returned for "highest"), sorts six of the eight situations right and
leaves one observation of the principles task unsorted. The alternatives compute the same
results with a plain loop over periods, with other pandas idioms and rounded as far as the task
text allows (the share to three decimals, the gap to one, the means to two). The last
alternative fills only the core track's blanks of the release, with other idioms, and writes the
analyst's function with a loop.

The hidden tests only report what the learner's functions return; the score and the Russian
verdict are decided outside the kernel from the answer key (``run_source_cell`` returns both).
"""

from __future__ import annotations

import html
import json
import re

import pytest
from exercise_harness import Submission, run_source_cell, source_answers, standard_tests

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
    Submission(  # rounded as the task text allows: share 3 decimals, gap 1, means 2
        base="source",
        cells={
            "satisfaction_vs_target": """def satisfaction_vs_target(df):
    result = {}
    for period, answers_of_period in df.groupby("period"):
        share = (answers_of_period["satisfaction"] >= 4).mean()
        result[period] = {
            "share": round(float(share), 3),
            "gap_pp": round(float(share) * 100 - 90, 1),
            "reached": bool(share >= 0.9),
        }
    return result


satisfaction_vs_target(survey)
""",
            "criteria_summary": """def criteria_summary(df):
    means = df[list(CRITERIA)].mean()
    return {
        "means": {column: round(float(value), 2) for column, value in means.items()},
        "lowest": str(means.idxmin()),
        "highest": str(means.idxmax()),
    }


criteria_summary(survey)
""",
        },
    ),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "satisfaction_vs_target": [
                'satisfied = df["satisfaction"].isin([4, 5])',
                "gap_pp = round((share - 0.9) * 100, 1)",
                "reached = not share < 0.9",
            ],
            "criteria_summary": [
                'means = df.filter(like="vk_").mean()',
                "lowest = means.sort_values().index[0]",
                "highest = means.sort_values().index[-1]",
            ],
            "criteria_growth": [
                """result = {}
for column in CRITERIA:
    result[column] = after[column].mean() - before[column].mean()
return result"""
            ],
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
    "rounded coarser than allowed": (
        _COPIED.split("\n")[0]
        + """
    shares = (df["satisfaction"] >= 4).groupby(df["period"]).mean()
    return {
        p: {"share": round(s, 2), "gap_pp": round(s * 100 - 90), "reached": bool(s >= 0.9)}
        for p, s in shares.items()
    }
""",
        1,
        "share",
    ),
    "raises": (_COPIED.split("\n")[0] + "\n    raise KeyError('period')\n", 0, "ошибкой"),
}


@pytest.mark.parametrize("variant", list(_WRONG_SATISFACTION))
def test_wrong_satisfaction_answers_lose_points_without_an_error(variant, tmp_path, monkeypatch):
    """Does a plausible wrong answer to part 1 (copied case figures, 3 counted as satisfied,
    percentages, a relative gap, rounding coarser than the task allows, an exception) lose its
    points, with a hint and nothing on stderr?"""
    source, expected, hint = _WRONG_SATISFACTION[variant]
    namespace = _learner(tmp_path, monkeypatch, source)
    score, out, err, _ = run_source_cell(ASSIGNMENT, "test_satisfaction", namespace)
    assert score == expected, out
    assert f"Баллы: {expected} из 3." in out
    assert hint in out
    assert err == ""


def test_rounding_the_task_allows_earns_full_marks(tmp_path, monkeypatch):
    """Does a learner who rounds exactly as far as the task text allows (the share to three
    decimals, the gap to one, the means to two) keep every point of parts 1 and 2?"""
    source = """def satisfaction_vs_target(df):
    shares = (df["satisfaction"] >= 4).groupby(df["period"]).mean()
    return {
        p: {"share": round(s, 3), "gap_pp": round(round(s, 3) * 100 - 90, 1), "reached": s >= 0.9}
        for p, s in shares.items()
    }


def criteria_summary(df):
    means = df[list(CRITERIA)].mean()
    rounded = {c: round(m, 2) for c, m in means.items()}
    return {"means": rounded, "lowest": means.idxmin(), "highest": means.idxmax()}
"""
    namespace = _learner(tmp_path, monkeypatch, source)
    for grade_id, points in (("test_satisfaction", 3), ("test_criteria", 2)):
        score, out, err, _ = run_source_cell(ASSIGNMENT, grade_id, namespace)
        assert score == points, out
        assert "Пересмотрите" not in out
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
    "means rounded coarser than allowed": (
        """def criteria_summary(df):
    means = df[list(CRITERIA)].mean()
    rounded = {c: round(m, 1) for c, m in means.items()}
    return {"means": rounded, "lowest": means.idxmin(), "highest": means.idxmax()}
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
    """Does a plausible wrong answer to part 2 (medians, swapped names, means rounded coarser
    than the task allows, columns picked by position) lose its points without writing to
    stderr?"""
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
    90%, the strongest criterion, the sorting, the unsorted observation) with the grader's
    hints, and show her partial scores?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "Пересмотрите: вывод (reached)." in text
    assert "Баллы: 2 из 3." in text  # part 1 (the verdict wrong) and part 4 (four of six right)
    assert "Пересмотрите: самый сильный критерий (highest)." in text
    assert "Баллы: 1,5 из 2." in text
    assert "Спросите себя: что изменилось" in text  # the approach sorting hint
    assert "Баллы: 3 из 4." in text  # six of the eight situations right
    assert "Спросите себя о каждом наблюдении" in text  # the principles hint
    assert "Пересмотрите: принцип для каждого наблюдения." in text  # p6 left unsorted
    assert "Баллы: 0 из 1." in text
