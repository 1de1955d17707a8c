"""Autograde many submissions at once (nbgrader has no parallel autograde: its issue #174).

Every submission is graded by nbgrader's own ``Autograde`` converter, with the cohort's
configuration, in a pool of worker processes. SQLite allows one writer at a time, so with a
SQLite gradebook each worker grades into its own copy of the gradebook (taken when the batch
starts) and the parent process, the only writer of the real gradebook, copies each result
across as soon as that submission is done: the fields nbgrader's autograde writes (submission
timestamp, late penalty, auto scores, needs-manual-grade flags, "No response." comments). A
server database (PostgreSQL) takes concurrent writers, so workers write to it directly.

A submission that cannot be graded (malformed notebook, a crashed worker, ...) is reported
with its reason and never stops the batch.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from grader.course import Course

__all__ = ["Outcome", "autograde", "pending_submissions", "submitted_students"]


@dataclass
class Outcome:
    student: str
    ok: bool
    seconds: float
    reason: str = ""
    review: list[str] = field(default_factory=list)  # why it is held for review, if it is
    retried: bool = False  # its kernel died before replying once and it was graded again


def submitted_students(course: Course, assignment: str) -> list[str]:
    """Learners with a collected submission of ``assignment`` (sorted)."""
    submitted = course.path("submitted", assignment, "*").parent.parent
    return sorted(
        p.parent.name
        for p in submitted.glob(f"*/{assignment}")
        if p.is_dir() and not p.parent.name.startswith(".")
    )


def _timestamp(folder: Path) -> str | None:
    try:
        return (folder / "timestamp.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def pending_submissions(course: Course, assignment: str) -> list[str]:
    """Submissions not yet autograded, or resubmitted since they were."""
    pending = []
    for student in submitted_students(course, assignment):
        graded = course.path("autograded", assignment, student)
        stamp = _timestamp(course.path("submitted", assignment, student))
        if not graded.is_dir() or _timestamp(graded) != stamp:
            pending.append(student)
    return pending


_EXCEPTION = re.compile(r"^\s*(?:[\w.]+\.)?(\w*(?:Error|Exception|Timeout)\w*): (.+)$")


def _reason(result: dict[str, Any]) -> str:
    """The most telling line of a failed nbgrader run: the last exception raised inside it
    (e.g. ``NotJSONError: Notebook does not appear to be JSON``), else nbgrader's error line."""
    lines = ((result.get("log") or "") + "\n" + (result.get("error") or "")).splitlines()
    found = [
        f"{m[1]}: {m[2].strip()}"
        for m in map(_EXCEPTION.match, lines)
        if m and m[1] != "NbGraderException"
    ]
    if found:
        return found[-1][:300]
    errors = [
        re.sub(r"^\[[^\]]*\]\s*", "", line).strip()
        for line in lines
        if "ERROR" in line or "CRITICAL" in line
    ]
    return errors[0][:300] if errors else "nbgrader reported a failure without a message"


# -- the worker side ----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


class _CachedJsonschema:
    """``jsonschema`` for nbgrader's cell-metadata check, with one validator per schema.

    nbgrader validates every cell's metadata with ``jsonschema.validate``, which checks the
    schema and builds a validator for each call: about 0.1 s of a 02 submission and 0.2 s of
    a 09 one. Same schema, same instance, same ``ValidationError`` on bad metadata; only the
    repeated set-up is gone. Installed in the grader's own processes (not through the
    cohort's configuration, so ``nbgrader autograde`` stays stock).
    """

    def __init__(self) -> None:
        import jsonschema

        self._module = jsonschema
        self._validators: dict[int, tuple[Any, Any]] = {}

    def validate(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            self._module.validate(instance, schema, *args, **kwargs)
            return
        held = self._validators.get(id(schema))
        if held is None or held[0] is not schema:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            held = self._validators[id(schema)] = (schema, cls(schema))
        error = self._module.exceptions.best_match(held[1].iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def _cache_schema_validators() -> None:
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _CachedJsonschema):
        common.jsonschema = _CachedJsonschema()  # type: ignore[assignment]


def _init_worker(settings: dict[str, Any], snapshot: str | None, scratch: str) -> None:
    """Set up one worker process: its own course object and, for SQLite, its own gradebook.

    The worker's own stderr (kernel start-up chatter, SQLAlchemy warnings from inside
    nbgrader) goes to a log file in the scratch folder: nbgrader's log of each submission is
    captured anyway, and the operator's terminal keeps only the progress bar.
    """
    log = open(Path(scratch) / f"worker-{os.getpid()}.log", "ab")  # lives with the process
    os.dup2(log.fileno(), 2)
    _cache_schema_validators()
    db_url = settings["db_url"]
    if snapshot:
        own = Path(scratch) / f"gradebook-{os.getpid()}.db"
        shutil.copyfile(snapshot, own)
        db_url = f"sqlite:///{own}"
    _WORKER["course"] = Course(**{**settings, "db_url": db_url})
    _WORKER["db_url"] = db_url
    _WORKER["own_db"] = bool(snapshot)


_KERNEL_START = "Kernel died before replying"  # a kernel that never came up: retried once


def _autograde_once(course: Course, assignment: str, student: str) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():  # nbgrader's own SQLAlchemy warnings, not the operator's
            warnings.simplefilter("ignore")
            return course.api.autograde(assignment, student, force=True, create=True)
    except Exception as exc:  # nbgrader raised instead of reporting
        return {"success": False, "error": f"{type(exc).__name__}: {exc}"}


def _grade(assignment: str, student: str) -> tuple[str, bool, float, str, Any, bool]:
    """Grade one submission; return (student, ok, seconds, reason, result, retried), where
    ``result`` is what the worker's own gradebook holds for it (None without one)."""
    course: Course = _WORKER["course"]
    start = time.perf_counter()
    result, retried = _autograde_once(course, assignment, student), False
    if not result.get("success") and _KERNEL_START in _reason(result):
        result, retried = _autograde_once(course, assignment, student), True
    seconds = time.perf_counter() - start
    ok = bool(result.get("success"))
    reason = "" if ok else _reason(result)
    payload = None
    if ok and _WORKER.get("own_db"):
        try:
            payload = _read_result(_WORKER["db_url"], course.course_id, assignment, student)
        except Exception as exc:
            ok, reason = False, f"graded, but reading the grades failed: {exc}"
    return student, ok, seconds, reason, payload, retried


# -- the parent side ----------------------------------------------------------------------


def _snapshot(db_url: str, folder: Path) -> str:
    """A consistent copy of a SQLite gradebook (sqlite3's online backup)."""
    source = db_url.removeprefix("sqlite:///")
    target = folder / "snapshot.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return str(target)


def _read_result(worker_url: str, course_id: str, assignment: str, student: str) -> dict:
    """What autograde wrote for one submission in a worker's gradebook, as plain data (read
    in the worker, so the parent only writes)."""
    from nbgrader.api import Gradebook

    with Gradebook(worker_url, course_id) as wgb:
        done = wgb.find_submission(assignment, student)
        s = wgb.find_student(student)
        return {
            "student": {"first_name": s.first_name, "last_name": s.last_name, "email": s.email},
            "timestamp": done.timestamp,
            "notebooks": {
                nb.name: {
                    "penalty": nb.late_submission_penalty,
                    "grades": {g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
                for nb in done.notebooks
            },
        }


def _merge(gb, assignment: str, student: str, result: dict) -> None:
    """Write one submission's autograde result into the main gradebook ``gb`` (kept open by
    the parent for the whole batch): exactly the fields nbgrader's autograde writes."""
    try:
        gb.find_student(student)
    except Exception:
        gb.update_or_create_student(student, **result["student"])
    gb.update_or_create_submission(assignment, student, timestamp=result["timestamp"])
    for name, notebook in result["notebooks"].items():
        nb = gb.find_submission_notebook(name, assignment, student)
        nb.late_submission_penalty = notebook["penalty"]
        for grade_name, (auto_score, needs_manual) in notebook["grades"].items():
            grade = gb.find_grade(grade_name, name, assignment, student)
            grade.auto_score = auto_score
            grade.needs_manual_grade = needs_manual
        for comment_name, auto_comment in notebook["comments"].items():
            comment = gb.find_comment(comment_name, name, assignment, student)
            comment.auto_comment = auto_comment
    gb.db.commit()


class _Progress:
    """A tqdm bar on a terminal; one line per submission otherwise (logs, CI)."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        self.enabled = enabled
        self.done = 0
        self.total = total
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="submission", file=sys.stderr)

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        status = "ok" if outcome.ok else f"FAILED: {outcome.reason}"
        if self.bar is not None:
            self.bar.set_postfix_str(f"{outcome.student} {status}"[:60])
            self.bar.update(1)
        elif self.enabled:
            print(
                f"[{self.done}/{self.total}] {outcome.student}: {status} ({outcome.seconds:.1f} s)",
                file=sys.stderr,
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def autograde(
    course: Course,
    assignment: str,
    students: list[str] | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    progress: bool = False,
) -> list[Outcome]:
    """Autograde the submissions of ``assignment`` with ``jobs`` worker processes.

    ``students`` defaults to the submissions not yet autograded (all of them with ``force``).
    Returns one :class:`Outcome` per submission, in the order of ``students``.
    """
    if students is None:
        students = (
            submitted_students(course, assignment)
            if force
            else pending_submissions(course, assignment)
        )
    if not students:
        return []
    main_url = course.api.coursedir.db_url
    settings = {
        "root": course.root,
        "course_id": course.course_id,
        "exchange_root": course.exchange_root,
        "exercises": course.exercises,
        "db_url": main_url,
        "cell_timeout": course.cell_timeout,
        "sandbox": course.sandbox,
    }
    prepare_keys(course, assignment)
    _cache_schema_validators()
    bar = _Progress(len(students), progress)
    outcomes: dict[str, Outcome] = {}
    try:
        if jobs <= 1:
            _WORKER.update(course=course, db_url=main_url, own_db=False)
            for student in students:
                name, ok, seconds, reason, _, retried = _grade(assignment, student)
                outcomes[name] = Outcome(name, ok, seconds, reason, retried=retried)
                bar.update(outcomes[name])
        else:
            _run_pool(course, assignment, students, jobs, settings, main_url, outcomes, bar)
    finally:
        bar.close()
    from grader.nbgrader_ext.review import read_review

    for outcome in outcomes.values():
        if outcome.ok:
            outcome.review = read_review(course.root / ".cxlab", assignment, outcome.student)
    return [outcomes[s] for s in students]


def prepare_keys(course: Course, assignment: str) -> None:
    """Build (or find cached) the answer keys of ``assignment`` once, before the workers start
    (each worker would otherwise wait for the first one to build them)."""
    from grader.trust.keys import load_key

    for source in sorted((Path(course.exercises) / assignment).glob("*.ipynb")):
        load_key(
            course.root / ".cxlab" / "keys",
            source,
            sandbox=course.sandbox,
            timeout=max(course.cell_timeout, 60),
        )


def _context():
    """Fork where the platform has it: workers inherit the imported nbgrader (about 3 s of
    start-up each) instead of importing it again; spawn elsewhere."""
    import multiprocessing

    return get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def _run_pool(course, assignment, students, jobs, settings, main_url, outcomes, bar) -> None:
    from nbgrader.api import Gradebook

    sqlite = main_url.startswith("sqlite")
    with (
        tempfile.TemporaryDirectory(prefix="cxlab-autograde-") as scratch,
        contextlib.ExitStack() as stack,
    ):
        snapshot = _snapshot(main_url, Path(scratch)) if sqlite else None
        # The parent is the only writer of a SQLite gradebook: one session for the batch.
        main = stack.enter_context(Gradebook(main_url, course.course_id)) if sqlite else None
        todo = list(students)
        for _attempt in (1, 2):  # a crashed worker breaks the pool: retry its work once
            if not todo:
                break
            crashed: list[str] = []
            with ProcessPoolExecutor(
                max_workers=min(jobs, len(todo)),
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(settings, snapshot, scratch),
            ) as pool:
                futures = {pool.submit(_grade, assignment, s): s for s in todo}
                for future in as_completed(futures):
                    student = futures[future]
                    retried = False
                    try:
                        name, ok, seconds, reason, payload, retried = future.result()
                    except BrokenProcessPool:
                        crashed.append(student)
                        continue
                    except Exception as exc:
                        name, ok, seconds, reason, payload = student, False, 0.0, f"{exc}", None
                    if ok and main is not None:
                        try:
                            _merge(main, assignment, name, payload)
                        except Exception as exc:
                            main.db.rollback()
                            ok, reason = False, f"graded, but saving the grades failed: {exc}"
                    outcomes[name] = Outcome(name, ok, seconds, reason, retried=retried)
                    bar.update(outcomes[name])
            todo = crashed
        for student in todo:
            outcomes[student] = Outcome(student, False, 0.0, "the grading worker process crashed")
            bar.update(outcomes[student])
