"""Exercise 06 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets).

The partial learner leaves the journey comparison blank, computes the log summary with the
mean instead of the median (the shares right, the medians wrong) and sorts five of the eight
blueprint elements right. The first alternative solution computes both summaries with other
idioms (sets of pairs, a loop over columns, a loop over applicants); the second rounds the way
the task text allows (ratios to two decimals, medians to whole minutes, shares to three); the
third fills only the core track's blanks of the release, with other idioms, and writes the
analyst's function with a loop.

A few checks run a hidden test cell in this process, with a stand-in learner function or
answers file: what is particular to this assignment is a string answer (``biggest_cut``), an
answers file that learners could break by hand and the rounding the task text allows.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from exercise_harness import Submission, run_source_cell, source_answers, standard_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "06_prototyping"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_SORT = {  # five right (b1, b2, b4, b5, b7), three wrong
    "b1": "back", "b2": "customer", "b3": "back", "b4": "front",
    "b5": "evidence", "b6": "front", "b7": "front", "b8": "back",
}  # fmt: skip

PARTIAL = Submission(
    base="release",
    cells={
        "log_summary": """def log_summary(log):
    steps = log.copy()
    steps["minutes"] = (steps["finished_at"] - steps["queued_at"]).dt.total_seconds() / 60
    people = steps.groupby(["period", "applicant_id"]).agg(
        minutes=("minutes", "sum"), days=("visit_day", "nunique")
    )
    return {
        "median_before": people.loc["до", "minutes"].mean(),
        "median_after": people.loc["после", "minutes"].mean(),
        "one_day_before": (people.loc["до", "days"] == 1).mean(),
        "one_day_after": (people.loc["после", "days"] == 1).mean(),
    }


log_summary(log)
"""
    },
    answers={"blueprint_sort": PARTIAL_SORT},
    expected={
        "test_log_summary_format": 1.0,
        "test_log_summary": 2.0,
        "test_blueprint_sort_complete": 1.0,
        "test_blueprint_sort": 2.5,
    },
)
ALTERNATIVES = [
    Submission(
        base="source",
        cells={
            "compare_journeys": """def compare_journeys(before, after):
    def measures(df):
        place = df[df.institution != "Дом"]
        place = place[place.institution != "В пути"]
        return {
            "minutes": place.queue_min.sum() + place.service_min.sum(),
            "visits": len(set(zip(place.day, place.institution))),
            "payments": len(df.query("payment_rub > 0")),
        }

    b, a = measures(before), measures(after)
    best, best_ratio = None, 0
    for column in ["service_min", "queue_min", "travel_min"]:
        ratio = before[column].sum() / after[column].sum()
        if ratio > best_ratio:
            best, best_ratio = column, ratio
    return dict(
        biggest_cut=best,
        payments_ratio=b["payments"] / a["payments"],
        visits_ratio=b["visits"] / a["visits"],
        on_site_ratio=b["minutes"] / a["minutes"],
    )


compare_journeys(as_is, to_be)
""",
            "log_summary": """import pandas as pd


def log_summary(log):
    result = {}
    for period, name in (("после", "after"), ("до", "before")):
        rows = log[log["period"] == period]
        minutes, one_day = [], []
        for _applicant, part in rows.groupby("applicant_id"):
            spent = (part["finished_at"] - part["queued_at"]).sum()
            minutes.append(spent / pd.Timedelta(minutes=1))
            one_day.append(part["visit_day"].max() == 1)
        result["median_" + name] = pd.Series(minutes).median()
        result["one_day_" + name] = pd.Series(one_day).mean()
    return result


log_summary(log)
""",
        },
    ),
    Submission(
        base="source",
        cells={
            "compare_journeys": """def compare_journeys(before, after):
    home = ["Дом", "В пути"]
    kinds = ["travel_min", "queue_min", "service_min"]

    def measures(df):
        place = df[~df["institution"].isin(home)]
        return (
            place["queue_min"].sum() + place["service_min"].sum(),
            place.groupby(["day", "institution"]).ngroups,
            (df["payment_rub"] > 0).sum(),
        )

    b, a = measures(before), measures(after)
    cuts = before[kinds].sum() / after[kinds].sum()
    return {
        "on_site_ratio": round(float(b[0] / a[0]), 2),
        "visits_ratio": round(b[1] / a[1], 2),
        "payments_ratio": round(float(b[2] / a[2]), 2),
        "biggest_cut": cuts.sort_values().index[-1],
    }


compare_journeys(as_is, to_be)
""",
            "log_summary": """def log_summary(log):
    steps = log.assign(
        minutes=(log["finished_at"] - log["queued_at"]).dt.total_seconds() / 60
    )
    people = steps.groupby(["period", "applicant_id"]).agg(
        minutes=("minutes", "sum"), days=("visit_day", "nunique")
    )
    result = {}
    for period, name in (("до", "before"), ("после", "after")):
        part = people.loc[period]
        result["median_" + name] = round(part["minutes"].median())
        result["one_day_" + name] = round((part["days"] == 1).mean(), 3)
    return result


log_summary(log)
""",
        },
    ),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "compare_journeys": [
                'minutes_before = places_before[["queue_min", "service_min"]].to_numpy().sum()',
                'visits_before = places_before.groupby(["day", "institution"]).ngroups',
                'payments_before = int((before["payment_rub"] > 0).sum())\n'
                'payments_after = len(after.query("payment_rub > 0"))',
                "biggest_cut = cuts.sort_values().index[-1]",
                "on_site_ratio = round(minutes_before / minutes_after, 2)",
            ],
            "log_summary": [
                'median_before = before["minutes"].quantile(0.5)',
                'median_after = round(after["minutes"].median())',
                'one_day_before = (before["days"] == 1).sum() / len(before)',
                'one_day_after = round(after["days"].eq(1).mean(), 3)',
            ],
            "steps_per_applicant": [
                """found = {}
for (period, _applicant), rows in log.groupby(["period", "applicant_id"]):
    found.setdefault(period, []).append(len(rows))
return {period: sum(n) / len(n) for period, n in found.items()}"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def test_feedback_shows_the_learners_hints_and_score(graded):
    """Does the partial learner's feedback name what to reconsider (the medians, not the
    shares) and show her partial scores?"""
    course, scores = graded
    assert scores["partial"]["test_log_summary"] == 2
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "медиана «до» (median_before)" in text
    assert "доля «до» (one_day_before)" not in text  # her shares are right
    assert "Баллы: 2 из 4." in text
    assert "Баллы: 2,5 из 4." in text  # five of the eight elements right, 0.5 each
    assert "Спросите себя о каждом элементе" in text  # the hint of the sort


# -- hidden test cells run in this process --------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        None,  # no file at all
        "{ not json",
        json.dumps([1, 2, 3]),
        json.dumps({"format": "cxlab-answers", "version": 1, "answers": []}),
        json.dumps({"answers": {"blueprint_sort": {"value": ["back", "front"]}}}),
        json.dumps({"answers": {"blueprint_sort": {"value": {"b1": ["back"], "b2": 3}}}}),
        json.dumps({"answers": {"blueprint_sort": "back"}}),
    ],
    ids=["missing", "not-json", "list", "answers-list", "value-list", "odd-values", "no-value"],
)
def test_broken_answers_file_scores_zero_without_an_error(tmp_path, monkeypatch, content):
    """Does a missing or malformed answers file give 0 for the sort, with a verdict and a hint
    and nothing on stderr, instead of an error?"""
    if content is not None:
        (tmp_path / ANSWERS).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    score, out, err, _ = run_source_cell(ASSIGNMENT, "test_blueprint_sort", {})
    assert score == 0
    assert err == ""
    assert "Баллы: 0 из 4." in out
    assert "Пересмотрите: отнесение элементов к строкам блупринта." in out
    assert "Спросите себя о каждом элементе" in out


def _correct_compare():
    """A right answer on every pair of journeys, computed the reference way."""

    def compare_journeys(before, after):
        home = ["Дом", "В пути"]
        b, a = before[~before.institution.isin(home)], after[~after.institution.isin(home)]
        kinds = ["travel_min", "queue_min", "service_min"]
        cuts = before[kinds].sum() / after[kinds].sum()
        return {
            "on_site_ratio": (b.queue_min.sum() + b.service_min.sum())
            / (a.queue_min.sum() + a.service_min.sum()),
            "visits_ratio": len(b[["day", "institution"]].drop_duplicates())
            / len(a[["day", "institution"]].drop_duplicates()),
            "payments_ratio": (before.payment_rub > 0).sum() / (after.payment_rub > 0).sum(),
            "biggest_cut": str(cuts.idxmax()),
        }

    return compare_journeys


class _AlwaysEqualStr(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__


class _AlwaysEqualFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__


def test_string_and_float_impostors_earn_only_the_honest_keys():
    """Does a learner who returns right numbers but a str subclass equal to everything as
    ``biggest_cut``, or a float subclass equal to everything with a wrong value, lose exactly
    those keys (and does the reference learner get all four)?"""
    right = _correct_compare()
    score, out, err, _ = run_source_cell(
        ASSIGNMENT, "test_compare_journeys", {"compare_journeys": right}
    )
    assert (score, err) == (4, "")

    def impostor(before, after):
        result = right(before, after)
        result["biggest_cut"] = _AlwaysEqualStr("любой столбец")
        result["payments_ratio"] = _AlwaysEqualFloat(1.0)
        return result

    score, out, err, _ = run_source_cell(
        ASSIGNMENT, "test_compare_journeys", {"compare_journeys": impostor}
    )
    assert (score, err) == (2, "")
    assert "biggest_cut" in out and "payments_ratio" in out
    assert "on_site_ratio" not in out and "visits_ratio" not in out
    assert "обычным значением Python" in out  # why the impostors matched nothing


def test_a_function_that_fails_on_altered_journeys_costs_only_its_points():
    """Does a function that works on the case tables but raises on the altered ones score 0
    for the part, with a Russian message, instead of breaking the cell?"""
    right = _correct_compare()

    def case_only(before, after):
        if len(before) != 18 or len(after) != 10:
            raise KeyError("step_no")
        return right(before, after)

    score, out, err, _ = run_source_cell(
        ASSIGNMENT, "test_compare_journeys", {"compare_journeys": case_only}
    )
    assert (score, err) == (0, "")
    assert "Ваш код завершился с ошибкой: KeyError" in out
    assert "Баллы: 0 из 4." in out


def _rounded_log_summary(median_digits, share_digits):
    """The right log summary, rounded as a learner might."""

    def log_summary(log):
        steps = log.copy()
        steps["minutes"] = (steps["finished_at"] - steps["queued_at"]).dt.total_seconds() / 60
        people = steps.groupby(["period", "applicant_id"]).agg(
            minutes=("minutes", "sum"), days=("visit_day", "nunique")
        )
        result = {}
        for period, name in (("до", "before"), ("после", "after")):
            part = people.loc[period]
            result["median_" + name] = round(float(part["minutes"].median()), median_digits)
            result["one_day_" + name] = round(float((part["days"] == 1).mean()), share_digits)
        return result

    return log_summary


def test_rounding_the_task_allows_earns_full_marks_and_coarser_rounding_does_not():
    """Does the log summary rounded as the task text allows (whole minutes, shares to three
    decimals) earn all four points, while shares rounded to two decimals or medians to tens of
    minutes lose exactly those keys?"""
    run = run_source_cell(
        ASSIGNMENT, "test_log_summary", {"log_summary": _rounded_log_summary(0, 3)}
    )
    assert (run.value, run.stderr) == (4, "")
    run = run_source_cell(
        ASSIGNMENT, "test_log_summary", {"log_summary": _rounded_log_summary(0, 2)}
    )
    assert (run.value, run.stderr) == (3, "")  # the altered "до" share is 30 of 130
    assert "доля «до» (one_day_before)" in run.stdout
    assert "доля «после» (one_day_after)" not in run.stdout  # 0.9 needs no rounding
    run = run_source_cell(
        ASSIGNMENT, "test_log_summary", {"log_summary": _rounded_log_summary(-1, 3)}
    )
    assert (run.value, run.stderr) == (2, "")
    assert "медиана «до» (median_before)" in run.stdout
    assert "медиана «после» (median_after)" in run.stdout
