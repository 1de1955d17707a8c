"""Grades of a cohort as tables (CSV, XLSX) and a report with plots (HTML with PNGs inside).

Everything is read from the cohort's gradebook through nbgrader's API: a learner's score on a
question is the manual score where a grader gave one, the automatic score otherwise.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from grader.cohort import Cohort

__all__ = ["Grades", "collect_grades", "write_report"]


@dataclass
class Grades:
    learners: pd.DataFrame  # id, last_name, first_name, email, agency
    questions: pd.DataFrame  # assignment, student, question, score, max_score
    submissions: pd.DataFrame  # assignment, student, score, max_score, submitted, timestamp
    assignments: list[str]

    def summary(self) -> pd.DataFrame:
        """One row per learner: each assignment's score, the total and the percentage."""
        table = self.learners.set_index("id")[["last_name", "first_name", "agency"]].copy()
        subs = self.submissions
        for assignment in self.assignments:
            rows = subs[(subs["assignment"] == assignment) & subs["submitted"]]
            table[assignment] = rows.set_index("student")["score"].reindex(table.index)
        maxima = self.max_scores()
        table["total"] = table[self.assignments].sum(axis=1, min_count=1).fillna(0)
        possible = float(sum(maxima.values())) or 1.0
        table["percent"] = (100 * table["total"] / possible).round(1)
        return table.reset_index().rename(columns={"index": "id"})

    def max_scores(self) -> dict[str, float]:
        subs = self.submissions.drop_duplicates("assignment").set_index("assignment")
        return {a: float(subs["max_score"].get(a, 0.0)) for a in self.assignments}

    def assignment_table(self, assignment: str) -> pd.DataFrame:
        """One row per learner, one column per question, then the total."""
        q = self.questions[self.questions["assignment"] == assignment]
        wide = q.pivot_table(index="student", columns="question", values="score", sort=False)
        order = list(dict.fromkeys(q["question"]))
        wide = wide.reindex(columns=order)
        subs = self.submissions[self.submissions["assignment"] == assignment].set_index("student")
        wide["total"] = subs["score"].where(subs["submitted"])
        learners = self.learners.set_index("id")[["last_name", "first_name"]]
        return learners.join(wide, how="left").rename_axis("id").reset_index()

    def difficulty(self) -> pd.DataFrame:
        """Mean share of the points earned per question, over submitted work."""
        q = self.questions[self.questions["submitted"] & (self.questions["max_score"] > 0)]
        if q.empty:
            return pd.DataFrame(columns=["assignment", "question", "mean_share", "n"])
        q = q.assign(share=q["score"] / q["max_score"])
        out = q.groupby(["assignment", "question"], sort=False)["share"].agg(["mean", "count"])
        return out.rename(columns={"mean": "mean_share", "count": "n"}).reset_index()


def collect_grades(cohort: Cohort) -> Grades:
    from nbgrader.api import Gradebook, MissingEntry

    learners = pd.DataFrame([x.__dict__ for x in cohort.learners()])
    questions, submissions = [], []
    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        assignments = [a.name for a in sorted(gb.assignments, key=lambda a: a.name)]
        students = list(learners["id"]) if not learners.empty else []
        students += [s.id for s in gb.students if s.id not in students]
        for assignment in assignments:
            for student in students:
                try:
                    sub = gb.find_submission(assignment, student)
                except MissingEntry:
                    submissions.append(
                        {"assignment": assignment, "student": student, "score": 0.0,
                         "max_score": gb.find_assignment(assignment).max_score,
                         "submitted": False, "timestamp": None}
                    )  # fmt: skip
                    continue
                submissions.append(
                    {"assignment": assignment, "student": student, "score": float(sub.score),
                     "max_score": float(sub.max_score), "submitted": True,
                     "timestamp": sub.timestamp}
                )  # fmt: skip
                for notebook in sub.notebooks:
                    for grade in notebook.grades:
                        questions.append(
                            {"assignment": assignment, "student": student,
                             "question": grade.name, "score": float(grade.score),
                             "max_score": float(grade.max_score), "submitted": True}
                        )  # fmt: skip
    missing = [s for s in students if s not in set(learners.get("id", []))]
    if missing:  # submitted without being on the roster (nbgrader created them)
        extra = pd.DataFrame({"id": missing, "last_name": "", "first_name": "", "email": ""})
        learners = pd.concat([learners, extra.assign(agency="")], ignore_index=True)
    columns_q = ["assignment", "student", "question", "score", "max_score", "submitted"]
    columns_s = ["assignment", "student", "score", "max_score", "submitted", "timestamp"]
    return Grades(
        learners=learners,
        questions=pd.DataFrame(questions, columns=columns_q),
        submissions=pd.DataFrame(submissions, columns=columns_s),
        assignments=assignments,
    )


# -- plots --------------------------------------------------------------------------------


def _figures(grades: Grades) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pngs: dict[str, bytes] = {}
    n = max(len(grades.learners), 1)
    names = grades.assignments or ["(none)"]
    subs = grades.submissions

    def save(name, fig):
        buffer = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buffer, format="png", dpi=110)
        plt.close(fig)
        pngs[name] = buffer.getvalue()

    # 1. Progress: share of learners who submitted each assignment.
    fig, ax = plt.subplots(figsize=(8, 3.5))
    shares = [
        100 * subs[(subs["assignment"] == a) & subs["submitted"]]["student"].nunique() / n
        for a in grades.assignments
    ] or [0]
    ax.bar(names, shares, color="#2f6f9f")
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of learners who submitted")
    ax.set_title("Cohort progress")
    ax.tick_params(axis="x", rotation=30)
    save("progress", fig)

    # 2. Score distributions: percentage of the maximum per assignment.
    fig, ax = plt.subplots(figsize=(8, 3.5))
    data = []
    for a in grades.assignments:
        rows = subs[(subs["assignment"] == a) & subs["submitted"] & (subs["max_score"] > 0)]
        data.append(list(100 * rows["score"] / rows["max_score"]))
    if any(data):
        ax.boxplot([d or [float("nan")] for d in data], tick_labels=names, showmeans=True)
    ax.set_ylim(-5, 105)
    ax.set_ylabel("% of the maximum score")
    ax.set_title("Score distributions (submitted work)")
    ax.tick_params(axis="x", rotation=30)
    save("scores", fig)

    # 3. Difficulty per question: mean share of the points earned.
    diff = grades.difficulty()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.28 * len(diff) + 1)))
    if not diff.empty:
        labels = [f"{a}: {q}" for a, q in zip(diff["assignment"], diff["question"], strict=True)]
        ax.barh(labels, 100 * diff["mean_share"], color="#c0504d")
        ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("mean % of the question's points earned (low = hard)")
    ax.set_title("Per-question difficulty")
    save("difficulty", fig)
    return pngs


def write_report(cohort: Cohort, out: str | Path, *, png: bool = False) -> dict[str, Path]:
    """Write grades.csv, one CSV per assignment, grades.xlsx and report.html into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    grades = collect_grades(cohort)
    written: dict[str, Path] = {}

    summary = grades.summary()
    summary.to_csv(out / "grades.csv", index=False, encoding="utf-8-sig")
    written["csv"] = out / "grades.csv"
    for assignment in grades.assignments:
        path = out / f"grades-{assignment}.csv"
        grades.assignment_table(assignment).to_csv(path, index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(out / "grades.xlsx", engine="openpyxl") as xlsx:
        summary.to_excel(xlsx, sheet_name="summary", index=False)
        for assignment in grades.assignments:
            table = grades.assignment_table(assignment)
            table.to_excel(xlsx, sheet_name=assignment[:31], index=False)
    written["xlsx"] = out / "grades.xlsx"

    pngs = _figures(grades)
    if png:
        for name, data in pngs.items():
            (out / f"{name}.png").write_bytes(data)
            written[name] = out / f"{name}.png"
    images = "\n".join(
        f'<figure><img alt="{name}" src="data:image/png;base64,'
        f'{base64.b64encode(data).decode()}"></figure>'
        for name, data in pngs.items()
    )
    table = summary.to_html(index=False, na_rep="—", float_format=lambda x: f"{x:g}")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>cxlab cohort {html.escape(cohort.id)}: grades</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px}}
img{{max-width:100%}}</style></head><body>
<h1>Cohort {html.escape(cohort.id)}</h1>
<p>{len(grades.learners)} learners, {len(grades.assignments)} assignments released; generated
{stamp}. A dash means the work was not submitted.</p>
{images}
<h2>Grades</h2>
{table}
</body></html>
"""
    (out / "report.html").write_text(page, encoding="utf-8")
    written["html"] = out / "report.html"
    return written
