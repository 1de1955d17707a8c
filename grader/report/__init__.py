"""A cohort's report, in Russian: tables for Excel, an HTML page with plots, a page per learner
and a file for Moodle's gradebook import.

- :mod:`grader.report.data` reads the gradebook into tables with statuses (not zeros);
- :mod:`grader.report.labels` gives assignments and questions their Russian names;
- :mod:`grader.report.plots` draws the plots; :mod:`grader.report.html` writes the pages;
- :mod:`grader.report.export` writes CSV (``;``, UTF-8 with BOM), XLSX and Moodle's CSV.
"""

from __future__ import annotations

from pathlib import Path

from grader.report.data import GRADED, MISSING, PENDING, UNGRADED, WITHDRAWN, Grades, collect_grades

__all__ = [
    "GRADED",
    "MISSING",
    "PENDING",
    "UNGRADED",
    "WITHDRAWN",
    "Grades",
    "collect_grades",
    "write_report",
]


def write_report(cohort, out: str | Path, *, png: bool = False) -> dict[str, Path]:
    """Write the report of ``cohort`` into ``out``; return ``{kind: path}`` of the main files.

    ``grades.csv`` (learners), ``agencies.csv``, ``assignments.csv``, ``questions.csv`` and
    ``grades-<assignment>.csv``; ``grades.xlsx`` with all of them; ``report.html`` with the
    plots; ``learners/<id>.html``; ``moodle.csv``; with ``png`` the plots as PNG files too.
    """
    from grader.report import export, html, plots

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    grades = collect_grades(cohort)
    written: dict[str, Path] = {}
    written["csv"] = export.write_csv(grades.summary(), out / "grades.csv")
    written["agencies_csv"] = export.write_csv(grades.agencies(), out / "agencies.csv")
    export.write_csv(grades.assignment_overview(), out / "assignments.csv")
    export.write_csv(grades.questions_table(), out / "questions.csv")
    for a in grades.assignments:
        export.write_csv(grades.assignment_table(a), out / f"grades-{a}.csv")
    written["xlsx"] = export.write_xlsx(grades, out / "grades.xlsx")
    written["moodle"] = export.write_moodle(grades, out / "moodle.csv")

    images = plots.figures(grades)
    if png:
        for name, (_caption, data) in images.items():
            (out / f"{name}.png").write_bytes(data)
            written[name] = out / f"{name}.png"
    pages = out / "learners"
    pages.mkdir(exist_ok=True)
    links = {}
    for student in grades.learners["id"]:
        page = html.learner_page(grades, student, plots.learner_figure(grades, student))
        (pages / f"{student}.html").write_text(page, encoding="utf-8")
        links[student] = f"learners/{student}.html"
    written["learners"] = pages
    page = html.cohort_page(grades, images, links)
    (out / "report.html").write_text(page, encoding="utf-8")
    written["html"] = out / "report.html"
    return written
