"""``grader demo``: play a cohort's learners without a hub, to try the course's whole cycle.

Each active learner on the roster fetches the released assignment through the cohort's real
exchange into a home folder of their own (``<cohort>/demo-learners/<id>/``) and, by their place
on the roster, in turn:

1. submits the full solution (the source notebook and its answers file);
2. submits only the widget answers (the interactive parts done, the code left as released);
3. submits the release untouched (a blank attempt);
4. does not submit.

``late`` learners' submissions are dated ``late_days`` days after the assignment's due date
(the timestamp nbgrader reads), so the calendar and the late penalty can be tried too.
The instructor then runs ``grader collect``, ``autograde``, ``feedback`` and ``report`` as with
real learners. Nothing here is used in a real course.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.course import GraderError, Learner
from grader.i18n import _

__all__ = ["KINDS", "DemoError", "Played", "play"]

KINDS = ("full", "widgets", "blank", "absent")
KIND_NAMES = {
    "full": "полное решение",
    "widgets": "только ответы в виджетах",
    "blank": "пустая работа",
    "absent": "не сдаёт",
}


class DemoError(GraderError):
    """The demo cannot run as asked; the message says why (Russian)."""


@dataclass
class Played:
    student: str
    kind: str
    late: bool = False


def _inbound(exchange: Path, course_id: str, assignment: str, student: str) -> Path:
    folders = sorted((exchange / course_id / "inbound").glob(f"{student}+{assignment}+*"))
    if not folders:
        raise DemoError(_("не найдена сданная работа {student}").format(student=student))
    return folders[-1]


def play(cohort, assignment: str, *, late: list[str] = (), late_days: float = 2.0) -> list[Played]:
    """Fetch and submit ``assignment`` for every active learner, as described above."""
    from nbgrader.api import Gradebook, MissingEntry

    source = cohort.exercises / assignment
    learners = cohort.learners()
    unknown = sorted(set(late) - {x.id for x in learners})
    if unknown:
        raise DemoError(
            _("нет таких слушателей в когорте {cohort}: {ids}").format(
                cohort=cohort.id, ids=", ".join(unknown)
            )
        )
    due = None
    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            raise DemoError(
                _(
                    "задание {assignment} не выдано: сначала grader release {cohort} {assignment}"
                ).format(assignment=assignment, cohort=cohort.id)
            ) from None
    if late and due is None:
        raise DemoError(
            _(
                "у задания {assignment} нет срока сдачи, опоздать нельзя: задайте его "
                "командой grader deadline due"
            ).format(assignment=assignment)
        )
    played = []
    for number, learner in enumerate(learners):
        kind = KINDS[number % len(KINDS)]
        if kind == "absent":
            played.append(Played(learner.id, kind))
            continue
        home = cohort.root / "demo-learners" / learner.id
        player = Learner(learner.id, home, course_id=cohort.id, exchange_root=cohort.exchange)
        folder = player.assignment_dir(assignment)
        if not folder.is_dir():
            folder = player.fetch(assignment)
        if kind == "full":
            shutil.copy(source / f"{assignment}.ipynb", folder)
        if kind in ("full", "widgets"):
            for answers in source.glob("*.answers.json"):
                shutil.copy(answers, folder)
        player.submit(assignment)
        is_late = learner.id in late
        if is_late:
            when = due + dt.timedelta(days=late_days)
            stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f") + " UTC"
            inbound = _inbound(cohort.exchange, cohort.id, assignment, learner.id)
            (inbound / "timestamp.txt").write_text(stamp, encoding="utf-8")
        played.append(Played(learner.id, kind, is_late))
    return played
