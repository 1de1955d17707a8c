"""One nbgrader course (a cohort's folder) driven through nbgrader's Python API.

Calling the API in one process avoids paying nbgrader's start-up (about 3 s) per command.
Every step raises :class:`GraderError` with nbgrader's log when nbgrader reports a failure,
instead of returning a success flag that is easy to ignore.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.config import CELL_TIMEOUT, EXERCISES, course_config
from grader.i18n import _

__all__ = ["FEEDBACK_TEMPLATE", "TEMPLATES", "Course", "GraderError", "Learner"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
FEEDBACK_TEMPLATE = "feedback"  # the name nbgrader's API insists on; found in TEMPLATES first


class GraderError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's log."""


def _check(result: dict[str, Any], what: str) -> dict[str, Any]:
    if not result.get("success"):
        detail = "\n".join(x for x in (result.get("log"), result.get("error")) if x) or "—"
        raise GraderError(
            _("{what}: nbgrader сообщил об ошибке:\n{detail}").format(what=what, detail=detail)
        )
    return result


@dataclass
class Course:
    """A course folder with its gradebook, sourcing assignments from ``exercises``."""

    root: Path
    course_id: str = "cxlab"
    exchange_root: Path | None = None
    exercises: Path = EXERCISES
    db_url: str | None = None
    cell_timeout: int = CELL_TIMEOUT
    sandbox: bool = True
    _api: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def config(self):
        config = course_config(
            self.root,
            course_id=self.course_id,
            exercises=self.exercises,
            exchange_root=self.exchange_root,
            db_url=self.db_url,
            cell_timeout=self.cell_timeout,
            sandbox=self.sandbox,
        )
        # Late penalties by the cohort's own setting (grader.deadlines; none without one).
        config.AssignLatePenalties.plugin_class = "grader.deadlines.CohortLatePenalty"
        # Feedback pages in Russian (nbgrader's template with its labels translated).
        config.HTMLExporter.template_name = FEEDBACK_TEMPLATE
        config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
        return config

    @property
    def api(self):
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory

            config = self.config
            self._api = NbGraderAPI(CourseDirectory(config=config), config=config)
        return self._api

    def generate(self, assignment: str) -> None:
        """Build the learners' version of ``assignment`` into ``release/``."""
        _check(self.api.generate_assignment(assignment), f"generate_assignment {assignment}")

    def release(self, assignment: str) -> None:
        """Put the generated assignment into the exchange for learners to fetch."""
        _check(self.api.release_assignment(assignment), f"release_assignment {assignment}")

    def collect(self, assignment: str) -> None:
        """Copy the newest submission of every learner into ``submitted/``."""
        _check(self.api.collect(assignment), f"collect {assignment}")

    def autograde(self, assignment: str, student: str) -> None:
        """Execute and score one learner's submission."""
        _check(self.api.autograde(assignment, student), f"autograde {assignment} for {student}")

    def feedback(self, assignment: str, student: str) -> None:
        """Generate the HTML feedback of one learner's graded submission."""
        _check(
            self.api.generate_feedback(assignment, student),
            f"generate_feedback {assignment} for {student}",
        )

    def scores(self, assignment: str, student: str) -> dict[str, float]:
        """Return ``{grade_id: score}`` of the autograded cells of one submission."""
        from nbgrader.api import Gradebook

        with Gradebook(self.api.coursedir.db_url, self.course_id) as gb:
            submission = gb.find_submission(assignment, student)
            return {
                grade.name: float(grade.score)
                for notebook in submission.notebooks
                for grade in notebook.grades
                if grade.auto_score is not None
            }

    def path(self, kind: str, assignment: str, student: str = ".") -> Path:
        """The folder of ``kind`` (release, submitted, autograded, feedback) for a learner."""
        coursedir = self.api.coursedir
        directory = getattr(coursedir, f"{kind}_directory")
        return Path(coursedir.format_path(directory, student, assignment))


@dataclass
class Learner:
    """A learner's side of the filesystem exchange: fetch into a home folder, submit."""

    student_id: str
    home: Path
    course_id: str = "cxlab"
    exchange_root: Path | None = None

    def _config(self):
        from traitlets.config import Config

        c = Config()
        c.CourseDirectory.root = str(self.home)
        c.CourseDirectory.course_id = self.course_id
        c.CourseDirectory.student_id = self.student_id
        # The exchange fetches into and submits from Exchange.assignment_dir (default: cwd).
        c.Exchange.assignment_dir = str(self.home)
        if self.exchange_root is not None:
            c.Exchange.root = str(self.exchange_root)
            c.Exchange.path_includes_course = True
        return c

    def _run(self, kind: str, assignment: str) -> None:
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeError, ExchangeFactory

        config = self._config()
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = assignment
        factory = ExchangeFactory(config=config)
        cls = getattr(factory, kind)
        step = cls(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
        try:
            step.start()
        except ExchangeError as exc:
            raise GraderError(f"{kind} {assignment} for {self.student_id} failed: {exc}") from exc

    def assignment_dir(self, assignment: str) -> Path:
        """Where the fetched assignment lives in the learner's home."""
        if self.exchange_root is not None:
            return self.home / self.course_id / assignment
        return self.home / assignment

    def fetch(self, assignment: str) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        self._run("FetchAssignment", assignment)
        return self.assignment_dir(assignment)

    def submit(self, assignment: str) -> None:
        self._run("Submit", assignment)
