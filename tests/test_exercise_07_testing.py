"""Exercise 07 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets).

The partial learner takes the mean time of all attempts instead of the median of the
successful ones, forgets to reverse the even SUS items, writes a survey function that raises,
and sorts five of the eight session notes right. The alternatives compute every part with
loops, with other pandas and numpy idioms, and rounded as the task texts allow; the last fills
only the core track's blanks of the release, with other idioms, and writes the analyst's
function with a loop. The hidden
tests are also run in-process on a table of plausible wrong answers (and of rounding finer and
coarser than allowed) and of malformed answers files: each wrong answer loses exactly the
points of its key, and nothing reaches stderr.
"""

from __future__ import annotations

import html
import re

import pytest
from exercise_harness import Submission, run_source_cell, source_answers, standard_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "07_testing"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_SORT = {  # five right (s1, s2, s3, s5, s7), three wrong
    "s1": "neutral", "s2": "hint", "s3": "neutral", "s4": "neutral",
    "s5": "judge", "s6": "hint", "s7": "neutral", "s8": "hint",
}  # fmt: skip

PARTIAL = Submission(
    base="release",
    cells={
        # Mean time of all attempts (pivot_table's default aggfunc), not the successful median.
        "task_metrics": """def task_metrics(df):
    rate = df.pivot_table(index="task", columns="round", values="success")
    time = df.pivot_table(index="task", columns="round", values="time_sec")
    errors = df.pivot_table(index="task", columns="round", values="errors")
    return {"success_rate": rate.to_dict(), "median_time": time.to_dict(),
            "mean_errors": errors.to_dict()}


task_metrics(sessions)
""",
        # The classic SUS mistake: every item scored as "answer - 1", even items not reversed.
        "sus_summary": """def sus_summary(df):
    items = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"]
    score = (df[items] - 1).sum(axis=1) * 2.5
    return {
        "scores": dict(zip(df["participant_id"], score)),
        "round_means": score.groupby(df["round"]).mean().to_dict(),
    }


sus_summary(sus)
""",
        # A column that does not exist: the function raises.
        "survey_metrics": """def survey_metrics(df):
    by_period = df.groupby("period")
    return {"csat": (by_period["CSAT"].mean() * 100).to_dict()}


survey_metrics(survey)
""",
    },
    answers={"session_sort": PARTIAL_SORT},
    expected={
        "test_task_metrics_format": 1.0,
        "test_task_metrics": 2.0,
        "test_sus_summary_format": 1.0,
        "test_sus_summary": 0.0,
        "test_survey_metrics_format": 0.0,
        "test_survey_metrics": 0.0,
        "test_session_sort_complete": 1.0,
        "test_session_sort": 2.5,
    },
)

LOOPS = Submission(
    base="source",
    cells={
        "task_metrics": """def task_metrics(df):
    result = {"success_rate": {}, "median_time": {}, "mean_errors": {}}
    for (rnd, task), group in df.groupby(["round", "task"]):
        result["success_rate"].setdefault(rnd, {})[task] = group["success"].mean()
        result["mean_errors"].setdefault(rnd, {})[task] = group["errors"].mean()
        good = group.loc[group["success"] == 1, "time_sec"]
        result["median_time"].setdefault(rnd, {})[task] = good.median()
    return result


task_metrics(sessions)
""",
        "sus_summary": """def sus_summary(df):
    scores = {}
    for _, row in df.iterrows():
        total = 0
        for i in range(1, 11):
            answer = row[f"q{i}"]
            total += answer - 1 if i % 2 == 1 else 5 - answer
        scores[row["participant_id"]] = total * 2.5
    means = {}
    for rnd in sorted(df["round"].unique()):
        ids = df.loc[df["round"] == rnd, "participant_id"]
        means[int(rnd)] = sum(scores[p] for p in ids) / len(ids)
    return {"round_means": means, "scores": scores}


sus_summary(sus)
""",
        "survey_metrics": """def survey_metrics(df):
    out = {"csat": {}, "ces": {}, "nps": {}, "weakest": {}}
    criteria = ["vk_time", "vk_queue", "vk_staff", "vk_comfort", "vk_info"]
    for period, part in df.groupby("period"):
        n = len(part)
        out["csat"][period] = 100 * part["satisfaction"].isin([4, 5]).sum() / n
        out["ces"][period] = part["ces"].mean()
        promoters = (part["nps"] >= 9).sum()
        detractors = (part["nps"] <= 6).sum()
        out["nps"][period] = 100 * (promoters - detractors) / n
        out["weakest"][period] = part[criteria].mean().sort_values().index[0]
    return out


survey_metrics(survey)
""",
    },
)

IDIOMS = Submission(
    base="source",
    cells={
        "task_metrics": """def task_metrics(df):
    table = (
        df.assign(ok_time=df["time_sec"].where(df["success"] == 1))
        .groupby(["round", "task"])
        .agg(
            success_rate=("success", "mean"),
            median_time=("ok_time", "median"),
            mean_errors=("errors", "mean"),
        )
    )
    rounds = table.index.get_level_values("round").unique()
    return {m: {r: table.loc[r, m].to_dict() for r in rounds} for m in table.columns}


task_metrics(sessions)
""",
        "sus_summary": """import numpy as np
import pandas as pd


def sus_summary(df):
    answers = df[[f"q{i}" for i in range(1, 11)]].to_numpy()
    contrib = np.where(np.arange(10) % 2 == 0, answers - 1, 5 - answers)
    scores = pd.Series(contrib.sum(axis=1) * 2.5, index=df.index)
    return {
        "scores": scores.set_axis(df["participant_id"]).to_dict(),
        "round_means": scores.groupby(df["round"]).mean().to_dict(),
    }


sus_summary(sus)
""",
        "survey_metrics": """import pandas as pd


def survey_metrics(df):
    vk = [c for c in df.columns if c.startswith("vk_")]
    result = {"csat": {}, "ces": {}, "nps": {}, "weakest": {}}
    for period in df["period"].unique():
        part = df.query("period == @period")
        result["csat"][period] = part["satisfaction"].between(4, 5).mean() * 100
        result["ces"][period] = float(part["ces"].mean())
        groups = pd.cut(part["nps"], [-1, 6, 8, 10], labels=["critic", "passive", "promoter"])
        shares = groups.value_counts(normalize=True) * 100
        result["nps"][period] = shares["promoter"] - shares["critic"]
        result["weakest"][period] = min(vk, key=lambda c: part[c].mean())
    return result


survey_metrics(survey)
""",
    },
)

# Rounded as the task texts allow: shares and mean errors to three decimals, times to whole
# seconds, SUS scores to one decimal, CSAT and NPS to one decimal, CES to two.
ROUNDED_TASK_METRICS = """def task_metrics(df):
    digits = {"success_rate": 3, "median_time": 0, "mean_errors": 3}
    done = df[df["success"] == 1]
    tables = {
        "success_rate": df.pivot_table(index="task", columns="round", values="success"),
        "median_time": done.pivot_table(
            index="task", columns="round", values="time_sec", aggfunc="median"
        ),
        "mean_errors": df.pivot_table(index="task", columns="round", values="errors"),
    }
    return {m: t.round(digits[m]).to_dict() for m, t in tables.items()}
"""
ROUNDED_SUS_SUMMARY = """def sus_summary(df):
    odd = df[["q1", "q3", "q5", "q7", "q9"]] - 1
    even = 5 - df[["q2", "q4", "q6", "q8", "q10"]]
    score = (odd.sum(axis=1) + even.sum(axis=1)) * 2.5
    return {
        "scores": {p: round(float(s), 1) for p, s in zip(df["participant_id"], score)},
        "round_means": score.groupby(df["round"]).mean().round(1).to_dict(),
    }
"""
ROUNDED_SURVEY_METRICS = """def survey_metrics(df):
    g = df.groupby("period")
    vk = ["vk_time", "vk_queue", "vk_staff", "vk_comfort", "vk_info"]
    nps = g["nps"].apply(lambda s: ((s >= 9).mean() - (s <= 6).mean()) * 100)
    return {
        "csat": g["satisfaction"].apply(lambda s: round((s >= 4).mean() * 100, 1)).to_dict(),
        "ces": g["ces"].mean().round(2).to_dict(),
        "nps": nps.round(1).to_dict(),
        "weakest": g[vk].mean().idxmin(axis=1).to_dict(),
    }
"""
ROUNDED = Submission(
    base="source",
    cells={
        "task_metrics": ROUNDED_TASK_METRICS + "\n\ntask_metrics(sessions)\n",
        "sus_summary": ROUNDED_SUS_SUMMARY + "\n\nsus_summary(sus)\n",
        "survey_metrics": ROUNDED_SURVEY_METRICS + "\n\nsurvey_metrics(survey)\n",
    },
)

BLANKS = Submission(  # only the blanks of the release, filled with other idioms
    base="release",
    answers=source_answers(ASSIGNMENT),
    blanks={
        "task_metrics": [
            'rate = df.groupby(["task", "round"])["success"].mean().unstack()',
            'time = done.groupby(["task", "round"])["time_sec"].median().unstack()',
            'errors = df.pivot_table(index="task", columns="round", values="errors")',
        ],
        "sus_summary": [
            "score = positive.sum(axis=1).add(negative.sum(axis=1)).mul(2.5)",
            'round_means = score.groupby(df["round"]).mean().round(1)',
        ],
        "survey_metrics": [
            'promoters = df["nps"].ge(9).groupby(df["period"]).mean() * 100',
            'detractors = df["nps"].isin(range(0, 7)).groupby(df["period"]).mean() * 100',
            'ces = by_period["ces"].mean().round(2)',
            "weakest = means.apply(lambda row: row.idxmin(), axis=1)",
        ],
        "participant_success": [
            """found = {}
for _, row in df.iterrows():
    found.setdefault(row["participant_id"], []).append(row["success"])
return {person: sum(v) / len(v) for person, v in found.items()}"""
        ],
    },
)

ALTERNATIVES = [LOOPS, IDIOMS, ROUNDED, BLANKS]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def test_feedback_names_what_to_reconsider(graded):
    """Does the partial learner's feedback name the keys to reconsider (median time, the SUS
    scores), report her survey function's error, and show her widget score?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Пересмотрите: медианное время (median_time)." in text
    assert "Медианное время — медиана, а не среднее" in text  # its hint
    assert "Пересмотрите: баллы участников (scores); средние баллы раундов" in text
    assert "как учитываются чётные, отрицательные утверждения" in text
    assert "Ваш код завершился с ошибкой: KeyError" in text
    assert "Баллы: 2 из 3." in text  # the task metrics: rate and errors right
    assert "Баллы: 2,5 из 4." in text  # five of the eight notes right, 0.5 each
    assert "Вспомните правила: ведущий не подсказывает" in text


# -- the hidden tests, in-process, on plausible wrong answers -----------------------------------


PIVOT = 'df.pivot_table(index="task", columns="round", values="{v}", aggfunc="{f}").to_dict()'
TASK_METRICS = """def task_metrics(df):
    done = df[df["success"] == 1]
    return {{
        "success_rate": {rate},
        "median_time": {time},
        "mean_errors": {errors},
    }}
"""
RATE = PIVOT.format(v="success", f="mean")
TIME = "done." + PIVOT.format(v="time_sec", f="median")[3:]
ERRORS = PIVOT.format(v="errors", f="mean")
RATE_PERCENT = "(" + RATE.replace(".to_dict()", " * 100).to_dict()")
ERRORS_OF_FAILURES = ERRORS.replace("df.", 'df[df["success"] == 0].', 1)

SUS = """def sus_summary(df):
    odd = df[["q1", "q3", "q5", "q7", "q9"]]
    even = df[["q2", "q4", "q6", "q8", "q10"]]
    score = ({score}) * {factor}
    return {{
        "scores": dict(zip(df["participant_id"], score)),
        "round_means": score.groupby(df["round"]).{average}().to_dict(),
    }}
"""
SUS_RIGHT = {"score": "(odd - 1).sum(axis=1) + (5 - even).sum(axis=1)", "factor": "2.5"}

SURVEY = """def survey_metrics(df):
    g = df.groupby("period")
    vk = ["vk_time", "vk_queue", "vk_staff", "vk_comfort", "vk_info"]
    return {{
        "csat": g["satisfaction"].apply(lambda s: {csat}).to_dict(),
        "ces": g["ces"].mean().to_dict(),
        "nps": g["nps"].apply(lambda s: {nps}).to_dict(),
        "weakest": {weakest},
    }}
"""
SURVEY_RIGHT = {
    "csat": "(s >= 4).mean() * 100",
    "nps": "((s >= 9).mean() - (s <= 6).mean()) * 100",
    "weakest": "g[vk].mean().idxmin(axis=1).to_dict()",
}

WRONG_ANSWERS = {
    # name: (hidden test, learner's cell, expected score, words the printed hint must contain)
    "task_metrics_right": (
        "test_task_metrics",
        TASK_METRICS.format(rate=RATE, time=TIME, errors=ERRORS),
        3,
        "",
    ),
    "success_in_percent": (
        "test_task_metrics",
        TASK_METRICS.format(rate=RATE_PERCENT, time=TIME, errors=ERRORS),
        2,
        "доля успеха (success_rate)",
    ),
    "mean_time_not_median": (
        "test_task_metrics",
        TASK_METRICS.format(rate=RATE, time=TIME.replace("median", "mean"), errors=ERRORS),
        2,
        "медианное время (median_time)",
    ),
    "time_of_all_attempts": (
        "test_task_metrics",
        TASK_METRICS.format(rate=RATE, time=TIME.replace("done.", "df."), errors=ERRORS),
        2,
        "медианное время (median_time)",
    ),
    "errors_of_failures_only": (
        "test_task_metrics",
        TASK_METRICS.format(rate=RATE, time=TIME, errors=ERRORS_OF_FAILURES),
        2,
        "среднее число ошибок (mean_errors)",
    ),
    "task_metrics_of_the_case_table": (  # answers copied from the case, whatever the data
        "test_task_metrics",
        "from cxlab import data\n\n"
        + TASK_METRICS.format(rate=RATE, time=TIME, errors=ERRORS).replace(
            "    done =", '    df = data.load("belgorod_usability_tests")\n    done ='
        ),
        0,
        "Пересмотрите",
    ),
    "task_metrics_raises": (
        "test_task_metrics",
        'def task_metrics(df):\n    return df["Success"]\n',
        0,
        "Ваш код завершился с ошибкой: KeyError",
    ),
    "sus_right": ("test_sus_summary", SUS.format(**SUS_RIGHT, average="mean"), 2, ""),
    "sus_even_items_not_reversed": (
        "test_sus_summary",
        SUS.format(
            score="(odd - 1).sum(axis=1) + (even - 1).sum(axis=1)", factor="2.5", average="mean"
        ),
        0,
        "чётные, отрицательные утверждения",
    ),
    "sus_not_times_2_5": (
        "test_sus_summary",
        SUS.format(score=SUS_RIGHT["score"], factor="1", average="mean"),
        0,
        "на что умножается сумма",
    ),
    "sus_round_median": (
        "test_sus_summary",
        SUS.format(**SUS_RIGHT, average="median"),
        1,
        "средние баллы раундов (round_means)",
    ),
    "sus_of_the_case_table": (
        "test_sus_summary",
        "from cxlab import data\n\n"
        + SUS.format(**SUS_RIGHT, average="mean").replace(
            "    odd =", '    df = data.load("belgorod_sus")\n    odd ='
        ),
        0,
        "баллы участников (scores)",
    ),
    "survey_right": ("test_survey_metrics", SURVEY.format(**SURVEY_RIGHT), 3, ""),
    "nps_detractors_0_to_5": (
        "test_survey_metrics",
        SURVEY.format(**{**SURVEY_RIGHT, "nps": "((s >= 9).mean() - (s <= 5).mean()) * 100"}),
        2.25,
        "NPS (nps)",
    ),
    "nps_as_a_fraction": (
        "test_survey_metrics",
        SURVEY.format(**{**SURVEY_RIGHT, "nps": "(s >= 9).mean() - (s <= 6).mean()"}),
        2.25,
        "NPS (nps)",
    ),
    "csat_from_3": (
        "test_survey_metrics",
        SURVEY.format(**{**SURVEY_RIGHT, "csat": "(s >= 3).mean() * 100"}),
        2.25,
        "CSAT (csat)",
    ),
    "csat_as_mean_score": (
        "test_survey_metrics",
        SURVEY.format(**{**SURVEY_RIGHT, "csat": "s.mean() / 5 * 100"}),
        2.25,
        "CSAT (csat)",
    ),
    "weakest_is_the_strongest": (
        "test_survey_metrics",
        SURVEY.format(**{**SURVEY_RIGHT, "weakest": "g[vk].mean().idxmax(axis=1).to_dict()"}),
        2.25,
        "самый слабый критерий (weakest)",
    ),
    "weakest_copied_from_the_case": (
        "test_survey_metrics",
        SURVEY.format(**{**SURVEY_RIGHT, "weakest": "{p: 'vk_queue' for p in g.groups}"}),
        2.25,
        "самый слабый критерий (weakest)",
    ),
    "only_the_two_case_periods": (
        "test_survey_metrics",
        SURVEY.format(**SURVEY_RIGHT).replace(
            '    g = df.groupby("period")',
            '    g = df[df["period"].isin(["до", "после"])].groupby("period")',
        ),
        0,
        "Пересмотрите",
    ),
}


ROUNDING = {
    # name: (hidden test, learner's cell, expected score, words the printed hint must contain)
    "task_metrics_rounded_as_allowed": ("test_task_metrics", ROUNDED_TASK_METRICS, 3, ""),
    "success_rate_to_two_decimals": (  # 7 of 12 is 0.583, not 0.58
        "test_task_metrics",
        ROUNDED_TASK_METRICS.replace('"success_rate": 3', '"success_rate": 2'),
        2,
        "доля успеха (success_rate)",
    ),
    "median_time_to_tens_of_seconds": (
        "test_task_metrics",
        ROUNDED_TASK_METRICS.replace('"median_time": 0', '"median_time": -1'),
        2,
        "медианное время (median_time)",
    ),
    "sus_rounded_as_allowed": ("test_sus_summary", ROUNDED_SUS_SUMMARY, 2, ""),
    "sus_round_means_to_whole_points": (  # 54.17 is not 54
        "test_sus_summary",
        ROUNDED_SUS_SUMMARY.replace(".round(1)", ".round(0)"),
        1,
        "средние баллы раундов (round_means)",
    ),
    "survey_rounded_as_allowed": ("test_survey_metrics", ROUNDED_SURVEY_METRICS, 3, ""),
    "ces_to_one_decimal": (  # 4.025 is not 4.0
        "test_survey_metrics",
        ROUNDED_SURVEY_METRICS.replace(".round(2)", ".round(1)"),
        2.25,
        "CES (ces)",
    ),
    "nps_to_whole_points": (  # -42.5 is not -42
        "test_survey_metrics",
        ROUNDED_SURVEY_METRICS.replace("nps.round(1)", "nps.round(0)"),
        2.25,
        "NPS (nps)",
    ),
}
WRONG_ANSWERS.update(ROUNDING)


@pytest.mark.parametrize("name", list(WRONG_ANSWERS))
def test_a_wrong_answer_loses_exactly_the_points_of_its_key(name):
    """Does each plausible wrong answer (percentages, mean for median, no reversal of the even
    SUS items, NPS critics cut at 5, answers copied from the case…) lose exactly its key's
    points, with a hint naming the key and nothing on stderr, while the right answer scores in
    full?"""
    grade_id, learner, expected, hint = WRONG_ANSWERS[name]
    namespace: dict = {}
    exec(compile(learner, "<learner>", "exec"), namespace)
    score, out, err, caught = run_source_cell(ASSIGNMENT, grade_id, namespace)
    assert score == expected, out
    assert hint in out
    assert err == ""
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize(
    "content",
    [
        None,  # no answers file at all
        "{not json",
        '["session_sort"]',
        '{"answers": {"session_sort": {"value": ["neutral", "hint"]}}}',
        '{"answers": {"session_sort": {"value": {"s1": ["neutral"], "s2": 2, "s3": null}}}}',
        '{"answers": {"session_sort": "neutral"}}',
    ],
    ids=["missing", "not-json", "a-list", "value-a-list", "values-not-strings", "no-value"],
)
def test_a_malformed_answers_file_scores_zero_not_an_error(content, tmp_path, monkeypatch):
    """Does the hidden widget test give 0, with no error and nothing on stderr, when the
    answers file is missing or has the wrong shape?"""
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / ANSWERS).write_text(content, encoding="utf-8")
    score, out, err, caught = run_source_cell(ASSIGNMENT, "test_session_sort", {})
    assert score == 0
    assert "Баллы: 0 из 4." in out
    assert "Пересмотрите: отнесение записей к группам." in out
    assert err == ""
    assert caught == []
