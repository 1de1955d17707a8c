"""Exercise 04 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets).

The partial learner lists only the pains that occur in the ideas table (right on the case data,
wrong when a pain has no idea or the catalogue is shorter), leaves the costs function as the
stub (it raises), sorts five of the eight brainstorm scenes right and has an answers entry of
the wrong shape for the legal levels. The alternatives compute both functions with other
pandas idioms (sets and a groupby; plain loops over rows, the minutes as floats, which the
task text allows); the last fills only the core track's blanks of the release, with other
idioms, and writes the analyst's function with a loop.
"""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from exercise_harness import Submission, source_answers, standard_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "04_ideation"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_RULES = {  # five right (s1, s2, s3, s4, s8), three wrong
    "s1": "crosstalk", "s2": "none", "s3": "criticism", "s4": "not_visual",
    "s5": "criticism", "s6": "no_bold", "s7": "criticism", "s8": "off_topic",
}  # fmt: skip
PARTIAL_LEVELS = ["own", "agreement", "federal"]  # a list where a dict belongs

PARTIAL = Submission(
    base="release",
    cells={
        "pains_without_measure": """def pains_without_measure(ideas, pain_tags):
    result = []
    for tag in ideas["pain_tag"].unique():
        if ideas[ideas["pain_tag"] == tag]["implemented_2017"].max() == 0:
            result.append(tag)
    return sorted(result)


pains_without_measure(ideas, pain_tags)
"""
    },
    answers={"brainstorm_rules": PARTIAL_RULES, "legal_levels": PARTIAL_LEVELS},
    expected={
        "test_brainstorm_rules_complete": 1.0,
        "test_brainstorm_rules": 2.5,
        "test_pains_without_measure_format": 1.0,
        "test_pains_without_measure": 1.0,
    },
)
ALTERNATIVES = [
    Submission(
        base="source",
        cells={
            "pains_without_measure": """def pains_without_measure(ideas, pain_tags):
    taken = ideas.query("implemented_2017 == 1")["pain_tag"].unique()
    return sorted(set(pain_tags) - set(taken))


pains_without_measure(ideas, pain_tags)
""",
            "measure_costs": """def measure_costs(ideas, journey):
    lost = journey.assign(lost=journey.travel_min + journey.queue_min)
    per_tag = lost.groupby("pain_tag")["lost"].sum()
    taken = ideas[ideas.implemented_2017.eq(1)]
    return {row.idea_id: per_tag.get(row.pain_tag, 0) for row in taken.itertuples()}


measure_costs(ideas, journey)
""",
        },
    ),
    Submission(
        base="source",
        cells={
            "pains_without_measure": """def pains_without_measure(ideas, pain_tags):
    result = []
    for tag in pain_tags:
        rows = ideas[(ideas["pain_tag"] == tag) & (ideas["implemented_2017"] == 1)]
        if rows.empty:
            result.append(tag)
    result.sort()
    return result


pains_without_measure(ideas, pain_tags)
""",
            "measure_costs": """def measure_costs(ideas, journey):
    costs = {}
    for idea_id, tag, done in zip(ideas["idea_id"], ideas["pain_tag"], ideas["implemented_2017"]):
        if done == 1:
            minutes = 0
            for _, step in journey.iterrows():
                if step["pain_tag"] == tag:
                    minutes = minutes + step["travel_min"] + step["queue_min"]
            costs[idea_id] = float(minutes)  # the task accepts 95.0 for 95
    return costs


measure_costs(ideas, journey)
""",
        },
    ),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "pains_without_measure": [
                'implemented = ideas.query("implemented_2017 == 1")',
                "uncovered = not (tag in covered)",
            ],
            "measure_costs": [
                'implemented = ideas.loc[ideas["implemented_2017"].eq(1)]',
                'minutes = pain_steps[["travel_min", "queue_min"]].to_numpy().sum()',
            ],
            "votes_by_pain": [
                """totals = {}
for _, row in ideas.iterrows():
    totals[row["pain_tag"]] = totals.get(row["pain_tag"], 0) + row["votes"]
return totals"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def _test_cell_outputs(course, grade_id):
    path = course.path("autograded", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return cell.outputs


def test_wrong_shape_answer_and_raising_function_cost_points_not_errors(graded):
    """Do a widget answer of the wrong shape and a learner function that raises give 0 on
    their hidden tests with a Russian verdict, the test cells still reporting to the grader
    (rather than failing before they send their observations)?"""
    course, scores = graded
    submitted = course.path("submitted", ASSIGNMENT, "partial") / ANSWERS
    saved = json.loads(submitted.read_text(encoding="utf-8"))
    assert saved["answers"]["legal_levels"]["value"] == PARTIAL_LEVELS
    for grade_id, points in (("test_legal_levels", 3), ("test_measure_costs", 3)):
        outputs = _test_cell_outputs(course, grade_id)
        assert [o for o in outputs if o.output_type == "error"] == [], grade_id
        assert [o for o in outputs if o.get("name") == "stderr"] == [], grade_id
        printed = "".join(o.get("text", "") for o in outputs)
        assert printed.startswith(f"Баллы: 0 из {points}."), printed
        assert "Проверка не получила ответа" not in printed, printed
        assert scores["partial"][grade_id] == 0
    printed = "".join(o.get("text", "") for o in _test_cell_outputs(course, "test_measure_costs"))
    assert "Ваш код завершился с ошибкой: NotImplementedError" in printed
    assert "Пересмотрите: минуты на данных кейса;" in printed
    printed = "".join(o.get("text", "") for o in _test_cell_outputs(course, "test_legal_levels"))
    assert "Пересмотрите: уровни правовых ограничений идей." in printed
    assert scores["partial"]["test_pains_without_measure"] == 1.0  # her other part still counts


def test_feedback_shows_the_learners_hints_and_score(graded):
    """Does the partial learner's feedback show the grader's hints for her hidden tests
    (which pains to add, how to judge a scene) and her partial scores?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "такие «боли» тоже остались без меры" in text
    assert "Баллы: 1 из 2." in text  # two of the four pain lists right
    assert "Для каждой сцены спросите себя" in text
    assert "Баллы: 2,5 из 4." in text  # five of the eight scenes right


def test_blank_learner_has_no_answers_file_smuggled_in(graded):
    """Does a learner who never touched the widgets get no answers file from the source?"""
    course, _ = graded
    assert not (course.path("submitted", ASSIGNMENT, "blank") / ANSWERS).exists()
    assert not (course.path("autograded", ASSIGNMENT, "blank") / ANSWERS).exists()
