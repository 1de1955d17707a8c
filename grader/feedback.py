"""What must be true before feedback reaches learners.

Feedback made while written answers are still ungraded shows them as 0 and misleads the
learner; ``grader feedback`` refuses then (unless ``--partial``), and says how many answers
wait for the instructor. A submission held for review counts as ungraded too.
"""

from __future__ import annotations

from grader.course import Course

__all__ = ["ungraded_answers"]


def ungraded_answers(course: Course, assignment: str) -> list[tuple[str, str]]:
    """``(learner, grade_id)`` of every graded cell still waiting for a manual grade."""
    from nbgrader.api import Gradebook, MissingEntry

    waiting: list[tuple[str, str]] = []
    with Gradebook(course.api.coursedir.db_url, course.course_id) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return []
        for submission in submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade and grade.manual_score is None:
                        waiting.append((submission.student.id, grade.name))
    return sorted(waiting)
