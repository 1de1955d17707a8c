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


def _init_worker(settings: dict[str, Any], snapshot: str | None, scratch: str) -> None:
    """Set up one worker process: its own course object and, for SQLite, its own gradebook.

    The worker's own stderr (kernel start-up chatter, SQLAlchemy warnings from inside
    nbgrader) goes to a log file in the scratch folder: nbgrader's log of each submission is
    captured anyway, and the operator's terminal keeps only the progress bar.
    """
    log = open(Path(scratch) / f"worker-{os.getpid()}.log", "ab")  # lives with the process
    os.dup2(log.fileno(), 2)
    db_url = settings["db_url"]
    if snapshot:
        own = Path(scratch) / f"gradebook-{os.getpid()}.db"
        shutil.copyfile(snapshot, own)
        db_url = f"sqlite:///{own}"
    _WORKER["course"] = Course(**{**settings, "db_url": db_url})
    _WORKER["db_url"] = db_url


def _grade(assignment: str, student: str) -> tuple[str, bool, float, str, str]:
    course: Course = _WORKER["course"]
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():  # nbgrader's own SQLAlchemy warnings, not the operator's
            warnings.simplefilter("ignore")
            result = course.api.autograde(assignment, student, force=True, create=True)
    except Exception as exc:  # nbgrader raised instead of reporting
        result = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
    seconds = time.perf_counter() - start
    ok = bool(result.get("success"))
    return student, ok, seconds, "" if ok else _reason(result), _WORKER["db_url"]


# -- the parent side ----------------------------------------------------------------------


def _snapshot(db_url: str, folder: Path) -> str:
    """A consistent copy of a SQLite gradebook (sqlite3's online backup)."""
    source = db_url.removeprefix("sqlite:///")
    target = folder / "snapshot.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return str(target)


def _merge(main_url: str, worker_url: str, course_id: str, assignment: str, student: str) -> None:
    """Copy what autograde wrote for one submission from a worker's gradebook to the main one."""
    from nbgrader.api import Gradebook

    with Gradebook(worker_url, course_id) as wgb, Gradebook(main_url, course_id) as gb:
        done = wgb.find_submission(assignment, student)
        try:
            gb.find_student(student)
        except Exception:
            s = wgb.find_student(student)
            gb.update_or_create_student(
                student, first_name=s.first_name, last_name=s.last_name, email=s.email
            )
        gb.update_or_create_submission(assignment, student, timestamp=done.timestamp)
        for wnb in done.notebooks:
            nb = gb.find_submission_notebook(wnb.name, assignment, student)
            nb.late_submission_penalty = wnb.late_submission_penalty
            for wgrade in wnb.grades:
                grade = gb.find_grade(wgrade.name, wnb.name, assignment, student)
                grade.auto_score = wgrade.auto_score
                grade.needs_manual_grade = wgrade.needs_manual_grade
            for wcomment in wnb.comments:
                comment = gb.find_comment(wcomment.name, wnb.name, assignment, student)
                comment.auto_comment = wcomment.auto_comment
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
    bar = _Progress(len(students), progress)
    outcomes: dict[str, Outcome] = {}
    try:
        if jobs <= 1:
            _WORKER.update(course=course, db_url=main_url)
            for student in students:
                name, ok, seconds, reason, _ = _grade(assignment, student)
                outcomes[name] = Outcome(name, ok, seconds, reason)
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
    sqlite = main_url.startswith("sqlite")
    with tempfile.TemporaryDirectory(prefix="cxlab-autograde-") as scratch:
        snapshot = _snapshot(main_url, Path(scratch)) if sqlite else None
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
                    try:
                        name, ok, seconds, reason, worker_url = future.result()
                    except BrokenProcessPool:
                        crashed.append(student)
                        continue
                    except Exception as exc:
                        name, ok, seconds, reason = student, False, 0.0, f"{exc}"
                        worker_url = None
                    if ok and sqlite:
                        try:
                            _merge(main_url, worker_url, course.course_id, assignment, name)
                        except Exception as exc:
                            ok, reason = False, f"graded, but saving the grades failed: {exc}"
                    outcomes[name] = Outcome(name, ok, seconds, reason)
                    bar.update(outcomes[name])
            todo = crashed
        for student in todo:
            outcomes[student] = Outcome(student, False, 0.0, "the grading worker process crashed")
            bar.update(outcomes[student])
