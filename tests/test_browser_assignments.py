"""A learner's assignment round in the local lab, in a real browser, through the Russian
panel (cxlab.assignments): «Обновить список», «Получить», «Проверить», «Отправить», and after
the instructor's grading «Получить отзыв». nbgrader's English learner tools are hidden.

JupyterLab and Chromium as in ``tests/lab.py``; the instructor's side is stock nbgrader
through ``grader.course.Course`` on the same filesystem exchange. Screenshots:
``artifacts/screenshots/assignments-*.png``.
"""

from __future__ import annotations

import nbformat
import pytest
from lab import (
    Notebook,
    assignment_panel,
    chromium,
    clear_screenshots,
    evidence_on_failure,
    jupyter_lab,
    press,
    screenshot,
)
from playwright.sync_api import expect

from grader.course import Course

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSIGNMENT = "01_client_centricity"
LEARNER = "ivanova"
PREFIX = "assignments"
ENGLISH = ("Fetch", "Submit", "Validate", "Assignment List", "Fetch Feedback")


def _lab_root(tmp_path, exchange):
    root = tmp_path / "home"
    root.mkdir()
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = 'cxlab'\n"
        f"c.CourseDirectory.student_id = '{LEARNER}'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n"
        f"c.Exchange.cache = {str(tmp_path / 'cache')!r}\n",
        "utf-8",
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell("from cxlab import assignments\nassignments.panel()")]
    nbformat.write(nb, root / "panel.ipynb")
    return root


def test_a_learner_does_the_assignment_round_in_russian(tmp_path):
    """Can a learner fetch, check, submit and fetch feedback with the Russian panel alone,
    with no English button of nbgrader's on the way?"""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    course = Course(tmp_path / "course", exchange_root=exchange)
    course.generate(ASSIGNMENT)
    course.release(ASSIGNMENT)
    root = _lab_root(tmp_path, exchange)
    clear_screenshots(PREFIX)

    with (
        jupyter_lab(root, tmp_path / "jupyter") as lab,
        chromium() as page,
        evidence_on_failure(page, lab, PREFIX),
    ):
        notebook = Notebook(page)
        notebook.open(lab.url("panel.ipynb"))
        notebook.run_all()
        assert notebook.errors() == []
        panel = assignment_panel(notebook)
        press(panel, "Обновить список", "можно получить")
        press(panel, "Получить", "получено, можно выполнять")
        assert (root / "cxlab" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        press(panel, "Проверить", "не пройдено открытых проверок")
        press(panel, "Отправить", "Отправлено.")
        expect(panel).to_contain_text("отправлено ")
        screenshot(page, f"{PREFIX}-1-submitted")

        course.collect(ASSIGNMENT)
        course.autograde(ASSIGNMENT, LEARNER)
        course.feedback(ASSIGNMENT, LEARNER)
        course.api.release_feedback(ASSIGNMENT, LEARNER)
        press(panel, "Обновить список", "есть отзыв преподавателя")
        press(panel, "Получить отзыв", "Отзыв: cxlab/01_client_centricity/feedback/")
        assert list((root / "cxlab" / ASSIGNMENT).glob("feedback/*/*.html"))
        screenshot(page, f"{PREFIX}-2-feedback")

        # nbgrader's English learner tools are switched off (scripts/learner-jupyter)
        for word in ENGLISH:
            expect(page.get_by_role("button", name=word, exact=True)).to_have_count(0)
        expect(page.get_by_text("Assignment List")).to_have_count(0)
