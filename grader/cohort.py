"""Cohorts: one nbgrader course folder per group of learners, kept under a common home.

``<home>/<cohort>/`` holds the cohort's ``cohort.json`` (its settings), ``roster.csv`` (the
imported roster, UTF-8), an ``nbgrader_config.py`` (so stock ``nbgrader`` commands work in the
folder too), its gradebook (``gradebook.db`` unless a ``--db`` URL was given) and nbgrader's
``release/``, ``submitted/``, ``autograded/`` and ``feedback/`` folders. The source folder is
the repository's ``exercises/``. The exchange is shared by all cohorts of a home
(``<home>/exchange`` unless given), with one subfolder per cohort.

The roster can change after creation: :meth:`Cohort.add_learners` adds learners (or brings
back withdrawn ones) and :meth:`Cohort.withdraw` marks a learner as withdrawn. Nothing is
deleted: a withdrawn learner keeps their submissions and grades in the gradebook, stays in
``roster.csv`` and is listed in ``cohort.json``'s ``withdrawn`` with the date; reports show
them as withdrawn and the hub no longer lets them in.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from grader.config import EXERCISES
from grader.course import TEMPLATES, Course, GraderError
from grader.i18n import _
from grader.roster import COLUMNS, Learner, RosterError, read_roster

__all__ = ["COHORT_ID", "Cohort", "CohortError", "assignments"]

COHORT_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_SETTINGS = "cohort.json"


class CohortError(GraderError):
    """A cohort cannot be created or found; the message says why."""


def assignments(exercises: Path = EXERCISES) -> list[str]:
    """The assignments of the course: ``exercises/NN_topic/NN_topic.ipynb``."""
    return sorted(p.parent.name for p in exercises.glob("*/*.ipynb") if p.stem == p.parent.name)


_CONFIG = '''\
"""nbgrader settings of cohort {cohort} (written by `grader cohort create`)."""

from grader.config import apply

apply(
    c,  # noqa: F821 - provided by nbgrader
    root={root!r},
    course_id={cohort!r},
    exercises={exercises!r},
    exchange_root={exchange!r},
    db_url={db_url!r},
)
# Late penalties follow the cohort's own setting (cohort.json, `grader deadline penalty`).
c.AssignLatePenalties.plugin_class = "grader.deadlines.CohortLatePenalty"  # noqa: F821
# Feedback pages in Russian (grader/templates/feedback, nbgrader's own name for it).
c.HTMLExporter.template_name = "feedback"  # noqa: F821
c.HTMLExporter.extra_template_basedirs = [{templates!r}]  # noqa: F821
'''


@dataclass
class Cohort:
    id: str
    root: Path
    exchange: Path
    db_url: str | None = None
    exercises: Path = EXERCISES

    @property
    def course(self) -> Course:
        return Course(
            self.root,
            course_id=self.id,
            exchange_root=self.exchange,
            exercises=self.exercises,
            db_url=self.db_url,
        )

    @property
    def gradebook_url(self) -> str:
        return self.db_url or f"sqlite:///{self.root / 'gradebook.db'}"

    def auto_scores(self, assignment: str) -> dict[str, dict[str, float | None]]:
        """``{student: {grade_id: auto_score}}`` of every submission of ``assignment`` in the
        gradebook (``None`` where the autograder left a grade to the instructor)."""
        from nbgrader.api import Gradebook

        with Gradebook(self.gradebook_url, self.id) as gb:
            return {
                sub.student.id: {g.name: g.auto_score for nb in sub.notebooks for g in nb.grades}
                for sub in gb.assignment_submissions(assignment)
            }

    def learners(self, *, include_withdrawn: bool = False) -> list[Learner]:
        """The roster's learners; withdrawn ones only when asked for."""
        with (self.root / "roster.csv").open(encoding="utf-8", newline="") as f:
            everyone = [Learner(**row) for row in csv.DictReader(f)]
        if include_withdrawn:
            return everyone
        gone = self.withdrawn()
        return [x for x in everyone if x.id not in gone]

    # -- settings (cohort.json) -------------------------------------------------------------

    def settings(self) -> dict:
        return json.loads((self.root / _SETTINGS).read_text(encoding="utf-8"))

    def update_settings(self, **changes) -> dict:
        """Change keys of ``cohort.json`` (``None`` removes a key); written atomically."""
        settings = self.settings()
        for key, value in changes.items():
            if value is None:
                settings.pop(key, None)
            else:
                settings[key] = value
        _write_json(self.root / _SETTINGS, settings)
        return settings

    def withdrawn(self) -> dict[str, str]:
        """``{learner id: date withdrawn}``."""
        return dict(self.settings().get("withdrawn", {}))

    # -- changing the roster ----------------------------------------------------------------

    def add_learners(self, roster: str | Path, notes: list[str] | None = None) -> list[Learner]:
        """Add the learners of ``roster`` to the cohort (gradebook and ``roster.csv``).

        A learner already in the cohort with the same id is refused, unless withdrawn: then
        they come back with their work and grades. The whole roster is checked first; nothing
        is written when any row is refused.
        """
        new = read_roster(roster, notes)
        current = {x.id: x for x in self.learners(include_withdrawn=True)}
        gone = self.withdrawn()
        problems = [
            (None, _("«{id}» уже в когорте {cohort}").format(id=x.id, cohort=self.id))
            for x in new
            if x.id in current and x.id not in gone
        ]
        if problems:
            raise RosterError(Path(roster), problems)
        _import_roster(self, new, [], allow_existing=True)
        merged = {**current, **{x.id: x for x in new}}
        _write_roster(self.root / "roster.csv", list(merged.values()))
        back = {x.id for x in new} & set(gone)
        if back:
            self.update_settings(withdrawn={k: v for k, v in gone.items() if k not in back})
        return new

    def withdraw(self, learner_id: str) -> None:
        """Mark a learner as withdrawn; their submissions and grades stay."""
        ids = {x.id for x in self.learners(include_withdrawn=True)}
        if learner_id not in ids:
            raise CohortError(
                _("в когорте {cohort} нет слушателя «{id}»").format(cohort=self.id, id=learner_id)
            )
        gone = self.withdrawn()
        gone.setdefault(learner_id, datetime.now(UTC).date().isoformat())
        self.update_settings(withdrawn=gone)

    # -- creating and finding ---------------------------------------------------------------

    @classmethod
    def load(cls, home: str | Path, cohort: str) -> Cohort:
        root = Path(home).resolve() / cohort
        try:
            settings = json.loads((root / _SETTINGS).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CohortError(
                _("нет когорты «{cohort}» в {home} (создайте её: grader cohort create)").format(
                    cohort=cohort, home=root.parent
                )
            ) from None
        return cls(
            id=settings["id"],
            root=root,
            exchange=Path(settings["exchange"]),
            db_url=settings.get("db_url"),
            exercises=Path(settings.get("exercises", EXERCISES)),
        )

    @classmethod
    def create(
        cls,
        home: str | Path,
        cohort: str,
        roster: str | Path,
        *,
        db_url: str | None = None,
        exchange: str | Path | None = None,
        exercises: Path = EXERCISES,
        notes: list[str] | None = None,
    ) -> Cohort:
        """Create the cohort's course folder and gradebook and import the roster.

        The roster is checked before anything is written; the folder is assembled under a
        temporary name and renamed at the end, so a failure leaves nothing behind.
        """
        if not COHORT_ID.match(cohort):
            raise CohortError(
                _(
                    "недопустимый id когорты «{cohort}»: нужны строчные латинские буквы, цифры, "
                    "«_» или «-», первой — буква (id называет папки, группы и сервис хаба)"
                ).format(cohort=cohort)
            )
        learners = read_roster(roster, notes)  # raises RosterError with rows and reasons
        home = Path(home).resolve()
        root = home / cohort
        if root.exists():
            raise CohortError(
                _("когорта «{cohort}» уже есть: {root}").format(cohort=cohort, root=root)
            )
        exchange = Path(exchange).resolve() if exchange else home / "exchange"
        home.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{cohort}.creating-", dir=home))
        added: list[str] = []
        try:
            final = cls(cohort, root, exchange, db_url, Path(exercises).resolve())
            staged = cls(cohort, building, exchange, db_url, final.exercises)
            _import_roster(staged, learners, added)
            _write_files(staged, final, learners)
            exchange.mkdir(parents=True, exist_ok=True)
            os.rename(building, root)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            if db_url and added:
                _forget_students(db_url, cohort, added)
            raise
        return final


def _import_roster(
    cohort: Cohort, learners: list[Learner], added: list[str], *, allow_existing: bool = False
) -> None:
    from nbgrader.api import Gradebook

    try:
        with Gradebook(cohort.gradebook_url, cohort.id) as gb:
            if cohort.db_url and gb.students and not allow_existing:
                raise CohortError(
                    _(
                        "в базе данных уже есть слушатели курса «{cohort}»: возьмите другой id "
                        "когорты или другую базу"
                    ).format(cohort=cohort.id)
                )
            for learner in learners:
                gb.update_or_create_student(
                    learner.id,
                    first_name=learner.first_name,
                    last_name=learner.last_name,
                    email=learner.email,
                )
                added.append(learner.id)
    except CohortError:
        raise
    except Exception as exc:  # sqlalchemy.exc.OperationalError, missing driver, ...
        url = _safe(cohort.gradebook_url)
        raise CohortError(
            _("не удаётся записать журнал оценок {url}: {error}").format(url=url, error=exc)
        ) from exc


def _forget_students(db_url: str, cohort: str, students: list[str]) -> None:
    from nbgrader.api import Gradebook

    try:
        with Gradebook(db_url, cohort) as gb:
            for student in students:
                gb.remove_student(student)
    except Exception:  # best effort: the original error is what the operator needs to see
        pass


def _write_roster(path: Path, learners: list[Learner]) -> None:
    temp = path.with_name(path.name + ".tmp")
    with temp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for learner in learners:
            writer.writerow(learner.__dict__)
    os.replace(temp, path)


def _write_json(path: Path, data: dict) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temp.chmod(0o600)  # a database URL may carry a password
    os.replace(temp, path)


def _write_files(staged: Cohort, final: Cohort, learners: list[Learner]) -> None:
    _write_roster(staged.root / "roster.csv", learners)
    settings = {
        "id": final.id,
        "exchange": str(final.exchange),
        "exercises": str(final.exercises),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if final.db_url:
        settings["db_url"] = final.db_url
    _write_json(staged.root / _SETTINGS, settings)
    (staged.root / "nbgrader_config.py").write_text(
        _CONFIG.format(
            cohort=final.id,
            root=str(final.root),
            exercises=str(final.exercises),
            exchange=str(final.exchange),
            db_url=final.db_url,
            templates=str(TEMPLATES),
        ),
        encoding="utf-8",
    )
    # nbgrader's default SQLite gradebook lives in the course root: it was written while the
    # folder had its temporary name, and moves with it.


def _safe(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
