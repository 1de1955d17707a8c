"""Exercise 10 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets), plus its hidden tests run in-process
against plausible mistakes and broken answers files.

The partial learner gives the satisfied share as a fraction instead of percent (so only the
time and visits changes survive), computes the group changes on the lecture's table ``rollout``
instead of the argument ``df`` (wrong on altered data), makes four of the six pilot decisions
right and leaves the concepts unsorted; the first alternative solution uses other pandas
idioms, the second rounds its numbers exactly as far as the task text allows, the third fills
only the marked blanks of the release (and the analyst part) in other idioms.
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

ASSIGNMENT = "10_rollout_and_culture"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_DECISIONS = {  # four right (m1, m3, m4, m5), two wrong: trusted the overall column
    "m1": "scale", "m2": "scale", "m3": "drop", "m4": "revert", "m5": "scale", "m6": "drop",
}  # fmt: skip

# The satisfied share as a fraction (0.15) rather than percentage points (15.0).
AS_FRACTION = """def phase_change(df, before, after):
    old = df[df["phase"] == before]
    new = df[df["phase"] == after]
    return {
        "satisfied_pp": (new["satisfaction"] >= 4).mean() - (old["satisfaction"] >= 4).mean(),
        "time_min": new["time_min"].mean() - old["time_min"].mean(),
        "visits": new["visits"].mean() - old["visits"].mean(),
    }
"""
# Right on the case table, but the groups are cut from the global `rollout`, not from `df`.
GLOBAL_TABLE = """def group_changes(df, column, before, after):
    changes = {}
    for group in df[column].unique():
        rows = rollout[rollout[column] == group]
        old = rows[rows["phase"] == before]
        new = rows[rows["phase"] == after]
        changes[group] = ((new["satisfaction"] >= 4).mean() - (old["satisfaction"] >= 4).mean()) * 100
    return changes
"""  # noqa: E501

PARTIAL = Submission(
    base="release",
    cells={"phase_change": AS_FRACTION, "group_changes": GLOBAL_TABLE},
    answers={"pilot_decisions": PARTIAL_DECISIONS},
    expected={
        "test_phase_change_format": 1.0,
        "test_phase_change": 2.0,  # time_min and visits right, satisfied_pp a fraction
        "test_group_changes_format": 1.0,
        "test_group_changes": 2.0,  # the case table right, the altered table not
        "test_pilot_decisions_complete": 1.0,
        "test_pilot_decisions": 2.0,  # four of the six, 0.5 each
        "test_service_concepts_complete": 0.0,
        "test_service_concepts": 0.0,
    },
)
ALTERNATIVES = [
    Submission(
        base="source",
        cells={
            "phase_change": """def phase_change(df, before, after):
    table = df.assign(happy=df["satisfaction"].ge(4) * 100)
    means = table.groupby("phase")[["happy", "time_min", "visits"]].mean()
    delta = means.loc[after] - means.loc[before]
    return {"satisfied_pp": delta["happy"], "time_min": delta["time_min"],
            "visits": delta["visits"]}


STEPS = list(zip(PHASES[:-1], PHASES[1:], strict=True))
pd.DataFrame([phase_change(rollout, *pair) for pair in STEPS], index=PHASES[1:])
""",
            "group_changes": """def group_changes(df, column, before, after):
    result = {}
    for name, part in df.groupby(column):
        happy = part.query("phase in [@before, @after]").pivot_table(
            index="phase", values="satisfaction", aggfunc=lambda s: (s > 3).sum() / len(s)
        )["satisfaction"]
        result[name] = 100 * (happy[after] - happy[before])
    return result


group_changes(rollout, "age_group", "памятка", "только онлайн-запись")
""",
        },
    ),
    # Rounded as the task text allows, at the very end: one decimal, visits two decimals.
    Submission(
        base="source",
        cells={
            "phase_change": """def phase_change(df, before, after):
    old = df[df["phase"] == before]
    new = df[df["phase"] == after]
    share_old = (old["satisfaction"] >= 4).mean() * 100
    share_new = (new["satisfaction"] >= 4).mean() * 100
    return {
        "satisfied_pp": round(share_new - share_old, 1),
        "time_min": round(new["time_min"].mean() - old["time_min"].mean(), 1),
        "visits": round(new["visits"].mean() - old["visits"].mean(), 2),
    }
""",
            "group_changes": """def group_changes(df, column, before, after):
    changes = {}
    for group in df[column].unique():
        rows = df[df[column] == group]
        changes[group] = round(phase_change(rows, before, after)["satisfied_pp"], 1)
    return changes
""",
        },
    ),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "phase_change": [
                'satisfied_new = 100 * new["satisfaction"].ge(4).sum() / len(new)',
                "satisfied_pp = round(-(satisfied_old - satisfied_new), 1)",
                "time_min = new.time_min.mean() - old.time_min.mean()",
                'visits = sum(new["visits"]) / len(new) - sum(old["visits"]) / len(old)',
            ],
            "group_changes": [
                "rows = df.loc[df[column].eq(group)]",
                'changes[group] = round(phase_change(rows, before, after).get("satisfied_pp"), 1)',
            ],
            "satisfied_by_phase": [
                """found = {}
for phase, score in zip(df["phase"], df["satisfaction"]):
    happy, count = found.get(phase, (0, 0))
    found[phase] = (happy + (score > 3), count + 1)
return {phase: 100 * happy / count for phase, (happy, count) in found.items()}"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def test_feedback_names_what_to_reconsider_but_not_the_values(graded):
    """Does the partial learner's feedback name the keys to reconsider, her partial scores,
    the pilot hint and no reference value?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "изменение доли удовлетворённых (satisfied_pp)" in text
    assert "считайте по аргументу df, а не по таблице rollout" in text
    assert "Баллы: 2 из 3." in text
    assert "Смотрите на каждую группу, а не только на столбец «Все заявители»" in text
    for value in ("-24.1", "-24,1", "15.0", "15,0"):  # reference values her output lacks
        assert value not in text


def test_widget_answers_travel_with_the_submission(graded):
    """Is partial graded on her own answers file, and does a blank learner get none?"""
    course, _ = graded
    submitted = course.path("submitted", ASSIGNMENT, "partial") / ANSWERS
    saved = json.loads(submitted.read_text(encoding="utf-8"))
    assert saved["answers"]["pilot_decisions"]["value"] == PARTIAL_DECISIONS
    assert "service_concepts" not in saved["answers"]
    assert not (course.path("submitted", ASSIGNMENT, "blank") / ANSWERS).exists()
    assert not (course.path("autograded", ASSIGNMENT, "blank") / ANSWERS).exists()


# -- the hidden tests in-process: plausible mistakes and broken answers files -------------


_PHASE_HEAD = """def phase_change(df, before, after):
    old = df[df["phase"] == before]
    new = df[df["phase"] == after]
"""
_PHASE_RIGHT = (
    _PHASE_HEAD
    + """    share_old = (old["satisfaction"] >= 4).mean() * 100
    share_new = (new["satisfaction"] >= 4).mean() * 100
    return {"satisfied_pp": share_new - share_old,
            "time_min": new["time_min"].mean() - old["time_min"].mean(),
            "visits": new["visits"].mean() - old["visits"].mean()}
"""
)
PHASE_MISTAKES = {
    # name: (learner cell, expected hidden score out of 3, a label the hint must name)
    "mean_score_not_share": (
        _PHASE_HEAD
        + """    return {"satisfied_pp": new["satisfaction"].mean() - old["satisfaction"].mean(),
            "time_min": new["time_min"].mean() - old["time_min"].mean(),
            "visits": new["visits"].mean() - old["visits"].mean()}
""",
        2,
        "(satisfied_pp)",
    ),
    "satisfied_from_three": (
        _PHASE_HEAD
        + """    share_old = (old["satisfaction"] >= 3).mean() * 100
    share_new = (new["satisfaction"] >= 3).mean() * 100
    return {"satisfied_pp": share_new - share_old,
            "time_min": new["time_min"].mean() - old["time_min"].mean(),
            "visits": new["visits"].mean() - old["visits"].mean()}
""",
        2,
        "(satisfied_pp)",
    ),
    "relative_percent_change": (
        _PHASE_HEAD
        + """    share_old = (old["satisfaction"] >= 4).mean()
    share_new = (new["satisfaction"] >= 4).mean()
    return {"satisfied_pp": (share_new - share_old) / share_old * 100,
            "time_min": new["time_min"].mean() - old["time_min"].mean(),
            "visits": new["visits"].mean() - old["visits"].mean()}
""",
        2,
        "(satisfied_pp)",
    ),
    "median_time": (
        _PHASE_HEAD
        + """    share_old = (old["satisfaction"] >= 4).mean() * 100
    share_new = (new["satisfaction"] >= 4).mean() * 100
    return {"satisfied_pp": share_new - share_old,
            "time_min": new["time_min"].median() - old["time_min"].median(),
            "visits": new["visits"].mean() - old["visits"].mean()}
""",
        2,
        "(time_min)",
    ),
    "before_minus_after": (
        _PHASE_HEAD
        + """    share_old = (old["satisfaction"] >= 4).mean() * 100
    share_new = (new["satisfaction"] >= 4).mean() * 100
    return {"satisfied_pp": share_old - share_new,
            "time_min": old["time_min"].mean() - new["time_min"].mean(),
            "visits": old["visits"].mean() - new["visits"].mean()}
""",
        0,
        "(visits)",
    ),
    "global_table_not_df": (
        _PHASE_RIGHT.replace('df[df["phase"]', 'rollout[rollout["phase"]'),
        0,
        "(time_min)",
    ),
    "phases_hard_coded": (
        _PHASE_RIGHT.replace("== before]", '== "исходный"]').replace(
            "== after]", '== "единая касса"]'
        ),
        0,
        "(satisfied_pp)",
    ),
}


@pytest.mark.parametrize("mistake", sorted(PHASE_MISTAKES))
def test_part_1_hidden_test_catches_plausible_mistakes(mistake, tmp_path, monkeypatch):
    """Does the hidden phase test take points from a plausible mistake, silently on stderr,
    with a hint that names what to reconsider?"""
    code, expected, label = PHASE_MISTAKES[mistake]
    score, printed = hidden_score(ASSIGNMENT, "test_phase_change", code, tmp_path, monkeypatch)
    assert score == expected
    assert "Пересмотрите:" in printed and label in printed


_GROUP_HEAD = """def group_changes(df, column, before, after):
    changes = {}
    for group in df[column].unique():
"""
GROUP_MISTAKES = {
    # name: (the two lines in the loop, expected hidden score out of 3)
    "whole_table_not_group": (
        """        rows = df
        changes[group] = phase_change(rows, before, after)["satisfied_pp"]""",
        0,
    ),
    "age_group_hard_coded": (
        """        rows = df[df["age_group"] == group]
        changes[group] = phase_change(rows, before, after)["satisfied_pp"]""",
        1,
    ),
    "global_table_not_df": (
        """        rows = rollout[rollout[column] == group]
        changes[group] = phase_change(rows, before, after)["satisfied_pp"]""",
        2,
    ),
    "time_not_satisfied": (
        """        rows = df[df[column] == group]
        changes[group] = phase_change(rows, before, after)["time_min"]""",
        0,
    ),
    "share_after_not_change": (
        """        rows = df[df[column] == group]
        changes[group] = (rows[rows["phase"] == after]["satisfaction"] >= 4).mean() * 100""",
        0,
    ),
}


@pytest.mark.parametrize("mistake", sorted(GROUP_MISTAKES))
def test_part_2_hidden_test_catches_plausible_mistakes(mistake, tmp_path, monkeypatch):
    """Does the hidden group test take points from a plausible mistake (with a right part 1),
    with nothing on stderr and a Russian hint?"""
    lines, expected = GROUP_MISTAKES[mistake]
    code = _PHASE_RIGHT + "\n\n" + _GROUP_HEAD + lines + "\n    return changes\n"
    score, printed = hidden_score(ASSIGNMENT, "test_group_changes", code, tmp_path, monkeypatch)
    assert score == expected
    assert "Пересмотрите:" in printed


def test_part_2_errors_cost_points_with_a_message(tmp_path, monkeypatch):
    """Does a group function that raises (part 1 left undone) score 0 with the error named?"""
    code = _GROUP_HEAD + (
        """        rows = df[df[column] == group]
        changes[group] = phase_change(rows, before, after)["satisfied_pp"]
    return changes
"""
    )
    score, printed = hidden_score(ASSIGNMENT, "test_group_changes", code, tmp_path, monkeypatch)
    assert score == 0
    assert "Ваш код завершился с ошибкой: NameError" in printed


@pytest.mark.parametrize(("digits", "expected"), [(1, 3), (0, 0)])
def test_hidden_tests_accept_exactly_the_rounding_the_task_allows(
    digits, expected, tmp_path, monkeypatch
):
    """Does a learner who rounds as the task text allows (one decimal, visits two) keep every
    point, while rounding to whole numbers costs them?"""
    code = _PHASE_HEAD + (
        f"""    share_old = (old["satisfaction"] >= 4).mean() * 100
    share_new = (new["satisfaction"] >= 4).mean() * 100
    return {{"satisfied_pp": round(share_new - share_old, {digits}),
            "time_min": round(new["time_min"].mean() - old["time_min"].mean(), {digits}),
            "visits": round(new["visits"].mean() - old["visits"].mean(), {digits + 1})}}
"""
    )
    score, _ = hidden_score(ASSIGNMENT, "test_phase_change", code, tmp_path, monkeypatch)
    assert score == expected
    groups = (
        code
        + "\n\n"
        + _GROUP_HEAD
        + (
            f"""        rows = df[df[column] == group]
        changes[group] = round(phase_change(rows, before, after)["satisfied_pp"], {digits})
    return changes
"""
        )
    )
    score, _ = hidden_score(ASSIGNMENT, "test_group_changes", groups, tmp_path, monkeypatch)
    assert score == expected


@pytest.mark.parametrize("test_id", ["test_pilot_decisions", "test_service_concepts"])
@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"format": "cxlab-answers", "version": 1, "answers": []}),
        json.dumps({"answers": {"pilot_decisions": {"value": ["scale"] * 6}}}),
        json.dumps({"answers": {"service_concepts": {"value": {"c1": ["standard"], "c2": 7}}}}),
        json.dumps({"answers": {"pilot_decisions": "scale", "service_concepts": "standard"}}),
        None,  # no answers file at all
    ],
    ids=["not_json", "answers_list", "value_list", "wrong_types", "no_value", "missing"],
)
def test_broken_answers_file_scores_zero_without_an_error(content, test_id, tmp_path, monkeypatch):
    """Does a missing or malformed answers file give 0 on the widget tests, not an error?"""
    score, _ = hidden_score(ASSIGNMENT, test_id, "pass\n", tmp_path, monkeypatch, content)
    assert score == 0


def test_partly_right_decisions_earn_half_a_point_each_with_the_hint(tmp_path, monkeypatch):
    """Do four right decisions of six earn 2 points, with the hint and no right answer?"""
    doc = {"answers": {"pilot_decisions": {"value": PARTIAL_DECISIONS}}}
    score, printed = hidden_score(
        ASSIGNMENT, "test_pilot_decisions", "pass\n", tmp_path, monkeypatch, json.dumps(doc)
    )
    assert score == 2
    assert "Баллы: 2 из 3." in printed
    assert "Смотрите на каждую группу" in printed
    assert "fix" not in printed and "доработать" not in printed


ANALYST_MISTAKES = {
    # name: (the function's body, expected hidden score out of 3)
    "fraction_not_percent": (
        'shares = (df["satisfaction"] >= 4).groupby(df["phase"]).mean()',
        0,
    ),
    "satisfied_from_three": (
        'shares = (df["satisfaction"] >= 3).groupby(df["phase"]).mean() * 100',
        0,
    ),
    "global_table_not_df": (
        'shares = (rollout["satisfaction"] >= 4).groupby(rollout["phase"]).mean() * 100',
        1,
    ),
}


@pytest.mark.parametrize("mistake", sorted(ANALYST_MISTAKES))
def test_analyst_hidden_test_catches_plausible_mistakes(mistake, tmp_path, monkeypatch):
    """Does the analyst part's hidden test take points from a plausible mistake, with nothing
    on stderr and a Russian hint, and give all three to a right function?"""
    body, expected = ANALYST_MISTAKES[mistake]
    code = "def satisfied_by_phase(df):\n    {}\n    return dict(shares)\n"
    score, printed = hidden_score(
        ASSIGNMENT, "test_satisfied_by_phase", code.format(body), tmp_path, monkeypatch
    )
    assert score == expected
    assert "Пересмотрите:" in printed
    right = 'shares = (df["satisfaction"] > 3).groupby(df["phase"]).mean() * 100'
    score, _ = hidden_score(
        ASSIGNMENT, "test_satisfied_by_phase", code.format(right), tmp_path, monkeypatch
    )
    assert score == 3
