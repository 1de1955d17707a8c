"""Exercise 02 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets).

The partial learner answers only the widget task, with five of the eight observations right;
the first alternative solution computes the journey summary with other pandas idioms in a
function of its own; the second fills the core track's blanks of the release with other
idioms (rounding the share as the task allows) and writes the analyst's function with a loop.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from exercise_harness import Submission, source_answers, standard_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "02_empathy"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_SORT = {  # five right (o1, o2, o3, o5, o6), three wrong
    "o1": "says", "o2": "does", "o3": "thinks", "o4": "says",
    "o5": "says", "o6": "does", "o7": "feels", "o8": "does",
}  # fmt: skip

PARTIAL = Submission(
    base="release",
    answers={"empathy_sort": PARTIAL_SORT},
    expected={"test_empathy_sort_complete": 1.0, "test_empathy_sort": 2.5},
)
ALTERNATIVES = [
    Submission(
        base="source",
        cells={
            "journey_summary": """def journey_summary(df):
    minutes = df[["travel_min", "queue_min", "service_min"]].to_numpy().sum()
    places = set(df["institution"]) - {"Дом", "В пути"}
    paid = df.query("payment_rub > 0")
    return dict(
        waiting_share=df.queue_min.sum() / minutes,
        payments=len(paid),
        institutions=len(places),
        days=len(df.groupby("day")),
        total_minutes=minutes,
    )


journey_summary(journey)
"""
        },
    ),
    Submission(
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "journey_summary": [
                'total_minutes = df[["travel_min", "queue_min", "service_min"]].sum().sum()',
                'days = len(df["day"].unique())',
                'institutions = len(set(medical["institution"]))',
                'payments = len(df[df["payment_rub"] > 0])',
                'waiting_share = round(df["queue_min"].sum() / total_minutes, 3)',
            ],
            "minutes_by_day": [
                """per_day = {}
for _, row in df.iterrows():
    spent = row["travel_min"] + row["queue_min"] + row["service_min"]
    per_day[row["day"]] = per_day.get(row["day"], 0) + spent
return per_day"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def test_widget_answers_travel_with_the_submission_and_are_graded(graded):
    """Is partial graded on her own widget answers file (not the solution's)?"""
    course, scores = graded
    submitted = course.path("submitted", ASSIGNMENT, "partial") / ANSWERS
    saved = json.loads(submitted.read_text(encoding="utf-8"))
    assert saved["answers"]["empathy_sort"]["value"] == PARTIAL_SORT
    autograded = course.path("autograded", ASSIGNMENT, "partial") / ANSWERS
    assert json.loads(autograded.read_text(encoding="utf-8")) == saved
    assert scores["partial"]["test_empathy_sort_complete"] == 1
    assert scores["partial"]["test_empathy_sort"] == 2.5
    assert scores["partial"]["test_journey_summary"] == 0


def test_blank_learner_has_no_answers_file_smuggled_in(graded):
    """Does a learner who never touched the widget get no answers file from the source?"""
    course, _ = graded
    assert not (course.path("submitted", ASSIGNMENT, "blank") / ANSWERS).exists()
    assert not (course.path("autograded", ASSIGNMENT, "blank") / ANSWERS).exists()


def test_feedback_shows_the_learners_hints_and_score(graded):
    """Does the partial learner's feedback show the hint her hidden test printed and her
    partial score, with a note where the hidden code was?"""
    course, _ = graded
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Скрытые проверки: их код не показывается" in text
    assert "Вспомните: цитаты — «Говорит»" in text  # the hint the grader gave her
    assert "Баллы: 2,5 из 4." in text  # her partial score on that test
