"""The autograding benchmark (``python -m grader.bench``) still runs end to end.

Timings are the benchmark's output, never asserted here: this only checks that both graders
ran on the same synthetic submissions and that the comparison of their scores is real.
"""

from __future__ import annotations

import pytest

from grader import bench
from grader.cohort import Cohort

pytestmark = pytest.mark.slow


def test_the_benchmark_grades_every_kind_of_submission_both_ways(monkeypatch):
    """Do four synthetic submissions (one of each kind) get the same scores from stock nbgrader
    and from ``grader autograde --jobs 2``, and are those scores read from the gradebook
    rather than assumed?"""
    seen: list[dict] = []
    original = Cohort.auto_scores

    def spy(self, assignment):
        scores = original(self, assignment)
        seen.append(scores)
        return scores

    monkeypatch.setattr(Cohort, "auto_scores", spy)
    result = bench.run("02_empathy", n=len(bench.KINDS), jobs=2)
    assert result["submissions"] == 4 and result["jobs"] == 2
    assert result["stock_seconds"] > 0 and result["grader_seconds"] > 0
    assert result["scores_match"] is True
    stock, ours = seen
    assert stock == ours
    totals = {s: sum(v for v in grades.values() if v) for s, grades in ours.items()}
    # s000 the solution, s001 blank, s002 widget answers only, s003 one task broken.
    assert totals["s001"] == 0
    assert totals["s000"] > totals["s003"] > 0
    assert totals["s000"] > totals["s002"] > 0
    # The floor was measured in the same run, on the same submissions.
    assert result["floor_p50"] > 0 and result["floor_seconds"] > 0
    assert result["retried"] == 0 and 0 < result["largest_graded_mb"] < 1
