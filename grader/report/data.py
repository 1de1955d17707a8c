"""A cohort's grades read from its gradebook into tables, with statuses instead of zeros.

For every released assignment (an assignment in the gradebook) and every learner on the
roster, one record with a status:

- «не сдано»: nothing submitted (or only an extension recorded);
- «сдано, не проверено»: collected into ``submitted/`` but not autograded (yet, or autograde
  failed on it: then nbgrader leaves no ``autograded/`` notebook);
- «ожидает проверки»: autograded, some answers still wait for the instructor;
- «проверено»: every question has a score.

Points count only what has been graded: ``earned`` is the sum of the graded questions' scores
(the instructor's where given, else the autograder's) minus nbgrader's late penalty;
``graded_max`` is the maximum of those questions. Percentages are taken against that, or
against the points of everything released so far (``released_max``), never against the whole
course. Item difficulty uses graded answers only. Withdrawn learners stay in the tables,
marked, and out of the «не сдано» counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxlab import fmt
from grader.nbgrader_ext.review import read_review
from grader.report.labels import assignment_title, question_labels

__all__ = [
    "GRADED",
    "MISSING",
    "PENDING",
    "UNGRADED",
    "WITHDRAWN",
    "Grades",
    "collect_grades",
]

MISSING = "не сдано"
UNGRADED = "сдано, не проверено"
PENDING = "ожидает проверки"
GRADED = "проверено"
WITHDRAWN = "выбыл(а)"
ACTIVE = "учится"


RECORD_COLUMNS = [
    "assignment", "student", "status", "timestamp", "seconds_late", "extension", "penalty",
    "earned", "graded_max", "pending_max", "max", "review",
]  # fmt: skip
HELD = "отложено для проверки"  # the submission reached into the grading (grader.trust.scan)
QUESTION_COLUMNS = ["assignment", "student", "question", "label", "score", "max_score", "graded"]


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Grades:
    cohort: str
    timezone: dt.tzinfo
    learners: pd.DataFrame  # id, last_name, first_name, email, agency, withdrawn (date or "")
    assignments: list[str]
    titles: dict[str, str]
    max_points: dict[str, float]
    duedates: dict[str, dt.datetime | None]  # naive UTC, as in the gradebook
    # assignment, student, status, timestamp, seconds_late, extension, penalty, earned,
    # graded_max, pending_max, max
    records: pd.DataFrame
    # assignment, student, question, label, score, max_score, graded
    questions: pd.DataFrame
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    # the analyst track's questions per assignment (graded cells that say «аналитик»)
    analyst: dict[str, set[str]] = field(default_factory=dict)
    # hints opened per (assignment, learner), from the submitted answers files
    hints: dict[tuple[str, str], int] = field(default_factory=dict)

    # -- helpers -------------------------------------------------------------------------

    def local(self, when: dt.datetime | None) -> str:
        if when is None or pd.isna(when):
            return ""
        return when.replace(tzinfo=dt.UTC).astimezone(self.timezone).strftime("%Y-%m-%d %H:%M")

    @property
    def released_max(self) -> float:
        return float(sum(self.max_points.values()))

    def record(self, assignment: str, student: str) -> dict:
        if not hasattr(self, "_by_key"):  # one lookup table instead of a filter per cell
            self._by_key = {
                (r["assignment"], r["student"]): r for r in self.records.to_dict("records")
            }
        return self._by_key[(assignment, student)]

    def active(self) -> pd.DataFrame:
        return self.learners[self.learners["withdrawn"] == ""]

    # -- tables --------------------------------------------------------------------------

    def learner_totals(self) -> pd.DataFrame:
        """Per learner: points over what was graded and over what was released, counts."""
        rows = []
        for learner in self.learners.itertuples():
            mine = self.records[self.records["student"] == learner.id]
            done = mine[mine["status"].isin([GRADED, PENDING])]
            earned = float(done["earned"].sum())
            graded_max = float(done["graded_max"].sum())
            rows.append(
                {
                    "id": learner.id,
                    "earned": earned,
                    "graded_max": graded_max,
                    "pct_graded": _pct(earned, graded_max),
                    "released_max": self.released_max,
                    "pct_released": _pct(earned, self.released_max),
                    "missing": int((mine["status"] == MISSING).sum()),
                    "pending": int((mine["status"] == PENDING).sum()),
                    "ungraded": int((mine["status"] == UNGRADED).sum()),
                    "late": int((mine["seconds_late"] > 0).sum()),
                }
            )
        return pd.DataFrame(rows)

    def track_points(self, student: str) -> tuple[float, float]:
        """Graded points of the core track and of the optional analyst track (issue 15: the
        analyst part never decides a core-track pass)."""
        mine = self.questions[(self.questions["student"] == student) & self.questions["graded"]]
        core = analyst = 0.0
        for row in mine.itertuples():
            if row.question in self.analyst.get(row.assignment, set()):
                analyst += float(row.score)
            else:
                core += float(row.score)
        return round(core, 4), round(analyst, 4)

    def summary(self) -> pd.DataFrame:
        """One row per learner, Russian column names: each assignment's points (blank when
        there are none) and status, then the totals."""
        totals = self.learner_totals().set_index("id")
        out = []
        for learner in self.learners.itertuples():
            row = {
                "Логин": learner.id,
                "Фамилия": learner.last_name,
                "Имя": learner.first_name,
                "Ведомство": learner.agency,
                "Статус слушателя": (
                    f"{WITHDRAWN} {learner.withdrawn}" if learner.withdrawn else ACTIVE
                ),
            }
            for a in self.assignments:
                rec = self.record(a, learner.id)
                has_points = rec["status"] in (GRADED, PENDING)
                row[f"{self.titles[a]}: баллы"] = rec["earned"] if has_points else None
                row[f"{self.titles[a]}: из"] = rec["graded_max"] if has_points else None
                status = rec["status"]
                if learner.withdrawn and status == MISSING:
                    status = WITHDRAWN
                if rec["seconds_late"] > 0:
                    status += f", опоздание {_days(rec['seconds_late'])}"
                if rec.get("review"):
                    status += f"; {HELD}: {rec['review']}"
                row[f"{self.titles[a]}: статус"] = status
            t = totals.loc[learner.id]
            row["Баллы (проверено)"] = t["earned"]
            row["Из проверенного"] = t["graded_max"]
            row["% от проверенного"] = t["pct_graded"]
            row["Выдано баллов"] = t["released_max"]
            row["% от выданного"] = t["pct_released"]
            row["Не сдано работ"] = t["missing"] if not learner.withdrawn else None
            row["Ожидает проверки работ"] = t["pending"]
            core, analyst = self.track_points(learner.id)
            row["Основной трек: баллы"] = core
            row["Трек аналитика: баллы"] = analyst
            row["Подсказок открыто"] = sum(
                n for (a, who), n in self.hints.items() if who == learner.id
            )
            out.append(row)
        return pd.DataFrame(out)

    def assignment_table(self, assignment: str) -> pd.DataFrame:
        """One row per learner: each question's score by its Russian name, then the points,
        the status, the submission time, lateness and penalty."""
        labels = self.labels.get(assignment, {})
        q = self.questions[self.questions["assignment"] == assignment]
        order = list(dict.fromkeys([*labels, *q["question"]]))
        out = []
        for learner in self.learners.itertuples():
            rec = self.record(assignment, learner.id)
            row = {"Логин": learner.id, "Фамилия": learner.last_name, "Имя": learner.first_name}
            mine = q[q["student"] == learner.id].set_index("question")
            for question in order:
                name = labels.get(question, question)
                if question in mine.index and mine.loc[question, "graded"]:
                    row[name] = mine.loc[question, "score"]
                elif question in mine.index:
                    row[name] = PENDING
                else:
                    row[name] = None
            has_points = rec["status"] in (GRADED, PENDING)
            row["Штраф за опоздание"] = rec["penalty"] if has_points else None
            row["Баллы"] = rec["earned"] if has_points else None
            row["Из проверенного"] = rec["graded_max"] if has_points else None
            row["Максимум"] = self.max_points[assignment]
            row["Статус"] = (
                WITHDRAWN if learner.withdrawn and rec["status"] == MISSING else rec["status"]
            )
            if rec.get("review"):
                row["Статус"] += f"; {HELD}: {rec['review']}"
            row["Сдано"] = self.local(rec["timestamp"])
            row["Срок с продлением"] = self.local(_due(self.duedates[assignment], rec))
            row["Опоздание"] = _days(rec["seconds_late"]) if rec["seconds_late"] > 0 else ""
            out.append(row)
        return pd.DataFrame(out)

    def assignment_overview(self) -> pd.DataFrame:
        active = set(self.active()["id"])
        rows = []
        for a in self.assignments:
            r = self.records[self.records["assignment"] == a]
            done = r[r["status"].isin([GRADED, PENDING])]
            rows.append(
                {
                    "Задание": self.titles[a],
                    "Код": a,
                    "Срок сдачи": self.local(self.duedates[a]),
                    "Максимум": self.max_points[a],
                    "Сдано": int(r["status"].isin([GRADED, PENDING, UNGRADED]).sum()),
                    "Не сдано": int(((r["status"] == MISSING) & r["student"].isin(active)).sum()),
                    "Ожидает проверки": int((r["status"] == PENDING).sum()),
                    "Проверено": int((r["status"] == GRADED).sum()),
                    "С опозданием": int((r["seconds_late"] > 0).sum()),
                    "Средний % от проверенного": _pct(
                        float(done["earned"].sum()), float(done["graded_max"].sum())
                    ),
                }
            )
        return pd.DataFrame(rows)

    def agencies(self) -> pd.DataFrame:
        """Per agency (ведомство): learners, work handed in and missing, points over graded."""
        rows = []
        learners = self.learners.assign(agency=self.learners["agency"].replace("", "—"))
        for agency, group in learners.groupby("agency", sort=True):
            ids = set(group["id"])
            active = set(group[group["withdrawn"] == ""]["id"])
            r = self.records[self.records["student"].isin(ids)]
            done = r[r["status"].isin([GRADED, PENDING])]
            earned = float(done["earned"].sum())
            graded_max = float(done["graded_max"].sum())
            rows.append(
                {
                    "Ведомство": agency,
                    "Слушателей": len(active),
                    "Выбыли": len(ids) - len(active),
                    "Сдано работ": int(r["status"].isin([GRADED, PENDING, UNGRADED]).sum()),
                    "Не сдано работ": int(
                        ((r["status"] == MISSING) & r["student"].isin(active)).sum()
                    ),
                    "Ожидает проверки": int((r["status"] == PENDING).sum()),
                    "Баллы (проверено)": earned,
                    "Из проверенного": graded_max,
                    "% от проверенного": _pct(earned, graded_max),
                }
            )
        return pd.DataFrame(rows)

    def difficulty(self) -> pd.DataFrame:
        """Mean share of the points earned per question, over graded answers only."""
        q = self.questions[self.questions["graded"] & (self.questions["max_score"] > 0)]
        columns = ["assignment", "question", "label", "mean_share", "n"]
        if q.empty:
            return pd.DataFrame(columns=columns)
        q = q.assign(share=q["score"] / q["max_score"])
        out = q.groupby(["assignment", "question", "label"], sort=False)["share"].agg(
            ["mean", "count"]
        )
        return out.rename(columns={"mean": "mean_share", "count": "n"}).reset_index()[columns]

    def questions_table(self) -> pd.DataFrame:
        """The questions with their names, ids, points and difficulty (graded answers only)."""
        diff = self.difficulty().set_index(["assignment", "question"])
        rows = []
        for a in self.assignments:
            q = self.questions[self.questions["assignment"] == a]
            maxima = q.drop_duplicates("question").set_index("question")["max_score"]
            for question, label in self.labels.get(a, {}).items():
                key = (a, question)
                rows.append(
                    {
                        "Задание": self.titles[a],
                        "Вопрос": label,
                        "Код ячейки": question,
                        "Максимум": float(maxima.get(question, float("nan"))),
                        "Проверено ответов": int(diff.loc[key, "n"]) if key in diff.index else 0,
                        "Средний % балла": (
                            round(100 * diff.loc[key, "mean_share"], 1)
                            if key in diff.index
                            else None
                        ),
                    }
                )
        return pd.DataFrame(rows)


def _days(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} мин"
    if seconds < 86400:
        return f"{fmt.number(seconds / 3600, 1)} ч"
    return f"{fmt.number(seconds / 86400, 1)} дн"


def _due(duedate, rec) -> dt.datetime | None:
    if duedate is None:
        return None
    extension = rec["extension"]
    return duedate + extension if isinstance(extension, dt.timedelta) else duedate


def _collected(root: Path, assignment: str, student: str) -> bool:
    return (root / "submitted" / student / assignment).is_dir()


def _graded(root: Path, assignment: str, student: str) -> bool:
    return (root / "autograded" / student / assignment).is_dir()


def collect_grades(cohort) -> Grades:
    """Read the cohort's gradebook and roster (withdrawn learners included)."""
    from nbgrader.api import Gradebook

    from grader.deadlines import timezone

    roster = cohort.learners(include_withdrawn=True)
    gone = cohort.withdrawn()
    learners = pd.DataFrame(
        [{**x.__dict__, "withdrawn": gone.get(x.id, "")} for x in roster],
        columns=["id", "last_name", "first_name", "email", "agency", "withdrawn"],
    )
    records, questions = [], []
    titles, maxima, duedates, labels = {}, {}, {}, {}
    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        assignments = sorted(a.name for a in gb.assignments)
        students = list(learners["id"])
        extra = [s.id for s in gb.students if s.id not in set(students)]
        if extra:  # submitted without being on the roster (nbgrader created them)
            learners = pd.concat(
                [learners, pd.DataFrame({"id": extra}).assign(
                    last_name="", first_name="", email="", agency="", withdrawn=""
                )],
                ignore_index=True,
            )  # fmt: skip
            students += extra
        for name in assignments:
            assignment = gb.find_assignment(name)
            titles[name] = assignment_title(cohort.exercises, name)
            maxima[name] = float(assignment.max_score)
            duedates[name] = assignment.duedate
            labels[name] = dict(question_labels(cohort.exercises, name))
            subs = {s.student.id: s for s in gb.assignment_submissions(name)}
            for student in students:
                sub = subs.get(student)
                record = {
                    "assignment": name, "student": student, "status": MISSING,
                    "timestamp": None, "seconds_late": 0.0, "extension": None,
                    "penalty": 0.0, "earned": 0.0, "graded_max": 0.0, "pending_max": 0.0,
                    "max": maxima[name], "review": "",
                }  # fmt: skip
                if sub is not None:
                    record["extension"] = sub.extension
                # Autograde that failed (a broken notebook) can leave records without an
                # autograded notebook: that work is handed in, not graded.
                if sub is None or not sub.notebooks or not _graded(cohort.root, name, student):
                    if _collected(cohort.root, name, student):
                        record["status"] = UNGRADED
                    records.append(record)
                    continue
                earned = graded_max = pending_max = 0.0
                for notebook in sub.notebooks:
                    for grade in notebook.grades:
                        top = float(grade.max_score or 0.0)
                        if top <= 0:  # a task's description cell: worth nothing by itself
                            continue
                        graded = not grade.needs_manual_grade
                        score = float(grade.score or 0.0)
                        if graded:
                            earned += score
                            graded_max += top
                        else:
                            pending_max += top
                        labels[name].setdefault(grade.name, grade.name)
                        questions.append(
                            {"assignment": name, "student": student, "question": grade.name,
                             "label": labels[name][grade.name], "score": score,
                             "max_score": top, "graded": graded}
                        )  # fmt: skip
                penalty = float(sub.late_submission_penalty or 0.0)
                record.update(
                    status=PENDING if pending_max > 0 else GRADED,
                    timestamp=sub.timestamp,
                    seconds_late=float(sub.total_seconds_late or 0.0),
                    penalty=penalty,
                    earned=round(max(0.0, earned - penalty), 4),
                    graded_max=graded_max,
                    pending_max=pending_max,
                    review="; ".join(read_review(cohort.root / ".cxlab", name, student)),
                )
                records.append(record)
    return Grades(
        cohort=cohort.id,
        timezone=timezone(cohort),
        learners=learners,
        assignments=assignments,
        titles=titles,
        max_points=maxima,
        duedates=duedates,
        records=pd.DataFrame(records, columns=RECORD_COLUMNS),
        questions=pd.DataFrame(questions, columns=QUESTION_COLUMNS),
        labels=labels,
        analyst={name: _analyst_questions(cohort.exercises, name) for name in assignments},
        hints=_hints_opened(cohort.root, assignments),
    )


def _analyst_questions(exercises: Path, assignment: str) -> set[str]:
    """Graded cells of the analyst track: their text says «аналитик» (exercises/README.md)."""
    import json

    found: set[str] = set()
    for path in sorted((Path(exercises) / assignment).glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            text = "".join(cell.get("source", []))
            if meta.get("grade") and "аналитик" in text.lower():
                found.add(meta.get("grade_id", ""))
    return found


def _hints_opened(root: Path, assignments: list[str]) -> dict[tuple[str, str], int]:
    """How many hints each learner opened, from the answers files they submitted."""
    import json

    opened: dict[tuple[str, str], int] = {}
    for assignment in assignments:
        for path in sorted(Path(root).glob(f"submitted/*/{assignment}/*.answers.json")):
            student = path.parent.parent.name
            try:
                answers = json.loads(path.read_text(encoding="utf-8")).get("answers", {})
                count = sum(
                    int(v.get("value") or 0)
                    for k, v in answers.items()
                    if k.startswith("hints_")
                    and isinstance(v, dict)
                    and type(v.get("value")) is int
                )
            except (OSError, ValueError, AttributeError):
                continue
            opened[(assignment, student)] = opened.get((assignment, student), 0) + count
    return opened
