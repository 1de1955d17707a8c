"""The course calendar of a cohort: due dates, late penalties and extensions.

Everything nbgrader itself knows lives in the gradebook, so the formgrader shows it too:
an assignment's due date is ``Assignment.duedate`` and an extension is
``SubmittedAssignment.extension`` (nbgrader adds it to the due date when it computes how late a
submission is). Times are given in the cohort's time zone (``cohort.json``'s ``timezone``,
Moscow unless set) and stored as nbgrader stores them: naive UTC.

The late penalty is the cohort's own setting (``cohort.json``'s ``late_penalty``:
``{"per_day": percent, "max": percent}``) applied by :class:`CohortLatePenalty`, a plugin for
nbgrader's ``AssignLatePenalties`` step of autograde: each started day late takes ``per_day``
percent of the notebook's score, up to ``max`` percent. Without a setting nothing is taken.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nbgrader.plugins import LateSubmissionPlugin

from grader.i18n import _

__all__ = [
    "DEFAULT_TIMEZONE",
    "CohortLatePenalty",
    "DeadlineError",
    "grant_extension",
    "late_penalty",
    "parse_local",
    "set_due",
    "set_penalty",
    "timezone",
]

DEFAULT_TIMEZONE = "Europe/Moscow"
DAY = 86400.0


class DeadlineError(ValueError):
    """A date, a penalty or an extension cannot be used; the message says why (Russian)."""


def timezone(cohort) -> ZoneInfo:
    name = cohort.settings().get("timezone", DEFAULT_TIMEZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeadlineError(
            _("неизвестный часовой пояс «{name}» в cohort.json").format(name=name)
        ) from None


def parse_local(text: str, zone: ZoneInfo) -> dt.datetime:
    """``'2027-03-01 18:00'`` (or a date alone: end of that day) in ``zone`` → naive UTC."""
    text = text.strip()
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DeadlineError(
            _("не понимаю дату «{text}»: пишите ГГГГ-ММ-ДД или «ГГГГ-ММ-ДД ЧЧ:ММ»").format(
                text=text
            )
        ) from None
    if len(text) == 10:  # a date alone means the end of that day
        when = when.replace(hour=23, minute=59, second=59)
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return when.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(when: dt.datetime | None, zone: ZoneInfo) -> str:
    """A naive UTC time from the gradebook as ``'2027-03-01 18:00'`` in ``zone``."""
    if when is None:
        return ""
    return when.replace(tzinfo=dt.UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def set_due(cohort, assignment: str, text: str | None) -> dt.datetime | None:
    """Set (or, with ``None``, remove) the due date of ``assignment`` in the gradebook."""
    from nbgrader.api import Gradebook

    when = parse_local(text, timezone(cohort)) if text else None
    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        gb.update_or_create_assignment(assignment, duedate=when)
    return when


def grant_extension(cohort, assignment: str, student: str, *, days: float = 0, hours: float = 0):
    """Give ``student`` more time on ``assignment`` (0 removes the extension).

    nbgrader keeps an extension on the learner's submission record, so one is created (without
    a timestamp: nothing submitted yet) when the learner has not submitted; autograde fills it
    in later and keeps the extension.
    """
    from nbgrader.api import Gradebook, MissingEntry

    if days < 0 or hours < 0:
        raise DeadlineError(_("продление не может быть отрицательным"))
    if student not in {x.id for x in cohort.learners(include_withdrawn=True)}:
        raise DeadlineError(
            _("в когорте {cohort} нет слушателя «{id}»").format(cohort=cohort.id, id=student)
        )
    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise DeadlineError(
                _("задание {assignment} ещё не выдано когорте {cohort}").format(
                    assignment=assignment, cohort=cohort.id
                )
            ) from None
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:
            gb.update_or_create_submission(assignment, student)
        gb.grant_extension(assignment, student, days=days, hours=hours)


def set_penalty(cohort, per_day: float, maximum: float = 100.0) -> dict | None:
    """Set the cohort's late penalty in percent of the score (``per_day=0`` switches it off)."""
    if not (0 <= per_day <= 100 and 0 <= maximum <= 100):
        raise DeadlineError(_("штраф задаётся в процентах: от 0 до 100"))
    value = {"per_day": float(per_day), "max": float(maximum)} if per_day else None
    cohort.update_settings(late_penalty=value)
    return value


def late_penalty(setting: dict | None, score: float, seconds_late: float) -> float:
    """Points taken from ``score`` for a notebook ``seconds_late`` seconds late."""
    if not setting or seconds_late <= 0 or score <= 0:
        return 0.0
    days = math.ceil(seconds_late / DAY)
    share = min(setting["max"], setting["per_day"] * days) / 100.0
    return round(score * share, 4)


class CohortLatePenalty(LateSubmissionPlugin):
    """nbgrader's late-submission plugin with the cohort's own penalty (``cohort.json``).

    The cohort folder is nbgrader's course root, so the setting is read from there each time;
    a course without one (or outside a cohort) gets nbgrader's default behaviour.
    """

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        root = self.config.CourseDirectory.get("root")
        setting = None
        if root:
            try:
                settings = json.loads((Path(root) / "cohort.json").read_text(encoding="utf-8"))
                setting = settings.get("late_penalty")
            except (OSError, ValueError):
                setting = None
        if setting is None:
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        penalty = late_penalty(setting, score, total_seconds_late)
        self.log.info("Late penalty for %s: %s of %s", student_id, penalty, score)
        return penalty
