"""The ``grader`` command: cohorts, release, collect, parallel autograde, feedback, reports,
the course calendar and a demo that plays learners.

A thin layer over :mod:`grader.cohort`, :mod:`grader.parallel`, :mod:`grader.deadlines`,
:mod:`grader.demo` and :mod:`grader.report`. Everything it prints, its help included, goes
through :mod:`grader.i18n` (Russian; ``GRADER_LANG=en`` for English logs). Exit status: 0
done; 1 some work failed (each failure is listed); 2 bad input (usage, roster, unknown cohort
or assignment, a bad date).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from grader.cli_parser import build_parser, default_home
from grader.cohort import Cohort, CohortError, assignments
from grader.course import GraderError
from grader.deadlines import DeadlineError
from grader.demo import DemoError
from grader.i18n import _
from grader.roster import RosterError
from grader.trust.keys import KeyError_ as KeyBuildError


def _pick(names: list[str], cohort: Cohort) -> list[str]:
    known = assignments(cohort.exercises)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CohortError(
            _("неизвестные задания: {unknown} (есть: {known})").format(
                unknown=", ".join(unknown), known=", ".join(known)
            )
        )
    return names or known


def _released(cohort: Cohort) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        return sorted(a.name for a in gb.assignments)


def _notes(notes: list[str]) -> None:
    for note in notes:
        print(_("примечание: {note}").format(note=note), file=sys.stderr)


def _cohort_command(args, home: Path) -> int:
    if args.action == "list":
        for folder in sorted(home.glob("*/cohort.json")):
            print(folder.parent.name)
        return 0
    notes: list[str] = []
    if args.action == "create":
        try:
            cohort = Cohort.create(
                home, args.cohort, args.roster, db_url=args.db, exchange=args.exchange, notes=notes
            )
        finally:
            _notes(notes)
        print(
            _("когорта {cohort}: слушателей {n}, папка {root}").format(
                cohort=cohort.id, n=len(cohort.learners()), root=cohort.root
            )
        )
        return 0
    cohort = Cohort.load(home, args.cohort)
    if args.action == "add":
        try:
            added = cohort.add_learners(args.roster, notes)
        finally:
            _notes(notes)
        print(
            _("когорта {cohort}: добавлено слушателей {n} ({ids}); всего {total}").format(
                cohort=cohort.id, n=len(added), ids=", ".join(x.id for x in added),
                total=len(cohort.learners()),
            )
        )  # fmt: skip
        return 0
    for learner in args.learners:
        cohort.withdraw(learner)
        print(_("{id}: отмечен(а) выбывшим(ей); работы и оценки сохранены").format(id=learner))
    return 0


def _deadline_command(args, cohort: Cohort) -> int:
    from grader import deadlines

    zone = deadlines.timezone(cohort)
    if args.action == "penalty":
        value = deadlines.set_penalty(cohort, args.per_day, args.max)
        if value:
            print(
                _(
                    "когорта {cohort}: штраф за опоздание {per_day:g}% баллов за каждый начатый "
                    "день, не больше {max:g}%"
                ).format(cohort=cohort.id, per_day=value["per_day"], max=value["max"])
            )
        else:
            print(_("когорта {cohort}: штрафа за опоздание нет").format(cohort=cohort.id))
        return 0
    if args.action == "show":
        return _show_calendar(cohort, zone)
    _pick([args.assignment], cohort)
    if args.action == "due":
        when = deadlines.set_due(cohort, args.assignment, args.when)
        if when is None:
            print(_("{assignment}: срок сдачи снят").format(assignment=args.assignment))
        else:
            print(
                _("{assignment}: срок сдачи {when} ({zone})").format(
                    assignment=args.assignment, when=deadlines.to_local(when, zone), zone=zone.key
                )
            )
        return 0
    deadlines.grant_extension(
        cohort, args.assignment, args.learner, days=args.days, hours=args.hours
    )
    print(
        _("{id}: продление по {assignment}: {days:g} дн. {hours:g} ч").format(
            id=args.learner, assignment=args.assignment, days=args.days, hours=args.hours
        )
    )
    return 0


def _show_calendar(cohort: Cohort, zone) -> int:
    from nbgrader.api import Gradebook

    from grader.deadlines import to_local

    penalty = cohort.settings().get("late_penalty")
    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            due = to_local(assignment.duedate, zone) or _("без срока")
            print(f"{assignment.name}: {due}")
            for sub in gb.assignment_submissions(assignment.name):
                if sub.extension:
                    print(
                        _("  {id}: продление до {when}").format(
                            id=sub.student.id, when=to_local(sub.duedate, zone)
                        )
                    )
    if penalty:
        print(
            _("штраф: {per_day:g}% за день, не больше {max:g}%").format(
                per_day=penalty["per_day"], max=penalty["max"]
            )
        )
    else:
        print(_("штрафа за опоздание нет"))
    return 0


def _run(args: argparse.Namespace) -> int:
    home = Path(getattr(args, "home", None) or default_home())
    if args.command == "cohort":
        return _cohort_command(args, home)

    cohort = Cohort.load(home, args.cohort)
    if args.command == "deadline":
        return _deadline_command(args, cohort)
    if args.command == "demo":
        from grader.demo import KIND_NAMES, play

        _pick([args.assignment], cohort)
        for played in play(cohort, args.assignment, late=args.late, late_days=args.late_days):
            late = _(", с опозданием") if played.late else ""
            print(f"{played.student}: {KIND_NAMES[played.kind]}{late}")
        return 0
    if args.command == "report":
        from grader.report import write_report

        out = args.out or cohort.root / "reports"
        written = write_report(cohort, out, png=args.png)
        kinds = {
            "csv": _("таблица слушателей (CSV для Excel)"),
            "agencies_csv": _("ведомства (CSV)"),
            "progress": _("график: сдача работ (PNG)"),
            "scores": _("график: результаты по заданиям (PNG)"),
            "difficulty": _("график: трудность вопросов (PNG)"),
            "agencies": _("график: ведомства (PNG)"),
            "xlsx": _("все таблицы (XLSX)"),
            "moodle": _("оценки для импорта в Moodle (CSV)"),
            "learners": _("страницы слушателей"),
            "html": _("отчёт с графиками (HTML)"),
        }
        for kind, path in written.items():
            print(f"{kinds.get(kind, kind)}: {path}")
        return 0

    course = cohort.course
    if args.command == "autograde":
        course.cell_timeout = args.timeout
        refused = _sandbox(course, args.no_sandbox)
        if refused:
            return refused
    names = _pick(args.assignments, cohort)
    if args.command != "release" and not args.assignments:
        names = [n for n in names if n in _released(cohort)]  # "all" = all released
    failures = 0
    for name in names:
        if args.command == "release":
            failures += _release(course, name)
        elif args.command == "collect":
            from grader.parallel import submitted_students

            course.collect(name)
            n = len(submitted_students(course, name))
            print(_("{name}: собрано работ: {n}").format(name=name, n=n))
        elif args.command == "autograde":
            failures += _autograde(course, name, args)
        elif args.command == "feedback":
            failures += _feedback(course, name, partial=args.partial)
    return 1 if failures else 0


def _sandbox(course, off: bool) -> int:
    """Switch the sandbox off on request (with a warning), or refuse to grade without it."""
    if off:
        course.sandbox = False
        print(
            _(
                "grader: ВНИМАНИЕ: проверка без песочницы — код слушателей получает доступ ко "
                "всему, что доступно проверяющему."
            ),
            file=sys.stderr,
        )
        return 0
    from grader.trust.sandbox import SandboxError, check_sandbox

    try:
        check_sandbox()
    except SandboxError as exc:
        print(
            _(
                "grader: проверка невозможна: песочница для кода слушателей недоступна на этой "
                "машине. Установите bubblewrap (apt-get install bubblewrap) или, только для "
                "доверенных работ, запустите с --no-sandbox."
            ),
            file=sys.stderr,
        )
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    return 0


def _release(course, name: str) -> int:
    course.generate(name)
    try:
        course.release(name)
    except GraderError as exc:
        if "already exists" not in str(exc):
            raise
        print(_("{name}: уже выдано (без изменений)").format(name=name))
        return 0
    print(_("{name}: выдано").format(name=name))
    return 0


def _autograde(course, name: str, args) -> int:
    from grader.parallel import autograde

    outcomes = autograde(
        course,
        name,
        args.student,
        jobs=args.jobs,
        force=args.force or bool(args.student),
        progress=not args.quiet,
    )
    bad = [o for o in outcomes if not o.ok]
    print(
        _("{name}: проверено {ok}, с ошибкой {bad}").format(
            name=name, ok=len(outcomes) - len(bad), bad=len(bad)
        )
    )
    for o in bad:
        print(f"  {o.student}: {o.reason}")
    for o in outcomes:
        if o.retried:
            print(
                _(
                    "  {student}: ядро не запустилось с первого раза, работа проверена повторно"
                ).format(student=o.student)
            )
        if o.review:
            print(_("  {student}: отложено для проверки преподавателем:").format(student=o.student))
            for reason in o.review:
                print(f"    - {reason}")
    return len(bad)


def _feedback(course, name: str, partial: bool = False) -> int:
    graded = course.path("autograded", name, "*").parent.parent
    if not any(graded.glob(f"*/{name}")):
        print(
            _(
                "{name}: отзывы не из чего делать — нет проверенных работ. Сначала grader "
                "collect и grader autograde (без хаба работы слушателей можно сыграть: "
                "grader demo)."
            ).format(name=name)
        )
        return 1
    from grader.feedback import ungraded_answers

    pending = ungraded_answers(course, name)
    if pending and not partial:
        print(
            _(
                "{name}: отзывы не выданы: {n} ответов ещё не проверены преподавателем "
                "(письменные ответы или работы, отложенные для проверки). Проверьте их в "
                "formgrader или выдайте отзывы сейчас с --partial."
            ).format(name=name, n=len(pending))
        )
        return 1
    api = course.api
    for step, what in (
        (api.generate_feedback, _("сформировать")),
        (api.release_feedback, _("выдать")),
    ):
        result = step(name)
        if not result.get("success"):
            log = (result.get("log") or result.get("error") or "").strip().splitlines()
            print(
                _("{name}: не удалось {what} отзывы: {reason}").format(
                    name=name, what=what, reason=log[-1] if log else "?"
                )
            )
            return 1
    print(_("{name}: отзывы выданы").format(name=name))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            # nbgrader 0.9's gradebook trips SQLAlchemy 2's autoflush warning: upstream,
            # harmless, and meaningless to an instructor.
            warnings.filterwarnings("ignore", message=".*not in session.*")
            return _run(args)
    except (RosterError, CohortError, DeadlineError, DemoError) as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 1
    except KeyBuildError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
