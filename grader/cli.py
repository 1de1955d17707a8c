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
import os
import re
import sys
import warnings
from pathlib import Path

from grader.cohort import Cohort, CohortError, assignments
from grader.config import CELL_TIMEOUT
from grader.course import GraderError
from grader.deadlines import DeadlineError
from grader.demo import DemoError
from grader.i18n import N_, _
from grader.roster import RosterError
from grader.trust.keys import KeyError_ as KeyBuildError

FALLBACK_HOME = "cohorts"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_home() -> Path:
    """``$CXLAB_HOME`` or ``./cohorts``."""
    return Path(os.environ.get("CXLAB_HOME") or FALLBACK_HOME)


# -- argparse in Russian ------------------------------------------------------------------

# argparse's own error messages, matched and said again through the catalogue.
_ARGPARSE_ERRORS = [
    (re.compile(r"the following arguments are required: (.+)"), N_("не хватает аргументов: {0}")),
    (re.compile(r"unrecognized arguments: (.+)"), N_("непонятные аргументы: {0}")),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        N_("аргумент {0}: нет варианта {1} (есть: {2})"),
    ),
    (re.compile(r"argument (\S+): expected one argument"), N_("аргументу {0} нужно значение")),
    (re.compile(r"argument (\S+): invalid \S+ value: (.+)"), N_("аргумент {0}: не число: {1}")),
    (re.compile(r"argument (\S+): (.+)"), N_("аргумент {0}: {1}")),
]


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:  # "" when argparse builds a sub-command's prog from its parent's
            prefix = _("использование: ")
        return super().add_usage(usage, actions, groups, prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose fixed texts (usage, section titles, -h, errors) are Russian."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _("аргументы")
        self._optionals.title = _("параметры")
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS,
            help=_("показать эту справку и выйти"),
        )  # fmt: skip

    def error(self, message):
        for pattern, russian in _ARGPARSE_ERRORS:
            match = pattern.fullmatch(message)
            if match:
                message = _(russian).format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: ошибка: {message}\n").format(prog=self.prog, message=message))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("нужно целое число, а не «{text}»").format(text=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("нужно не меньше 1, а не {value}").format(value=value))
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("нужно число, а не «{text}»").format(text=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("нужно не меньше 0, а не {text}").format(text=text))
    return value


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        metavar=_("ПАПКА"),
        default=argparse.SUPPRESS,
        help=_("папка с когортами (по умолчанию $CXLAB_HOME, если задана, иначе ./{fallback})")
        .format(fallback=FALLBACK_HOME),
    )  # fmt: skip
    return common


def _assignment_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    parser.add_argument(
        "assignments",
        nargs="*",
        metavar=_("ЗАДАНИЕ"),
        help=_("id заданий, например 02_empathy (по умолчанию — все)"),
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = Parser(
        prog="grader",
        description=_("Курс cxlab для групп слушателей (когорт): nbgrader без рутины."),
        parents=[common],
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar=_("КОМАНДА"), title=_("команды"), parser_class=Parser
    )

    cohort = sub.add_parser("cohort", help=_("когорты и их слушатели"), parents=[common])
    csub = cohort.add_subparsers(
        dest="action",
        required=True,
        metavar=_("ДЕЙСТВИЕ"),
        title=_("действия"),
        parser_class=Parser,
    )
    create = csub.add_parser(
        "create",
        help=_("создать когорту: папку курса, журнал оценок, слушателей из списка"),
        parents=[common],
        description=_(
            "Создать когорту: её папку курса nbgrader (задания берутся из папки exercises/ "
            "этой копии репозитория, по абсолютному пути), свой журнал оценок и слушателей "
            "из списка (CSV или XLSX со столбцами id, фамилия, имя, почта, ведомство). "
            "Список с ошибками не принимается: названы строки и причины, ничего не создаётся."
        ),
    )
    create.add_argument(
        "cohort",
        metavar=_("КОГОРТА"),
        help=_("id когорты: строчные латинские буквы, цифры, _ или -"),
    )
    create.add_argument(
        "--roster",
        required=True,
        type=Path,
        metavar=_("ФАЙЛ"),
        help=_("список слушателей (.csv или .xlsx)"),
    )
    create.add_argument(
        "--db",
        metavar=_("АДРЕС"),
        help=_(
            "адрес базы журнала оценок, например postgresql://user:pass@host/db "
            "(по умолчанию SQLite gradebook.db в папке когорты)"
        ),
    )
    create.add_argument(
        "--exchange",
        type=Path,
        metavar=_("ПАПКА"),
        help=_("папка обмена nbgrader (по умолчанию <папка когорт>/exchange)"),
    )
    add = csub.add_parser(
        "add",
        help=_("добавить слушателей (или вернуть выбывших) из списка"),
        parents=[common],
        description=_(
            "Добавить в когорту слушателей из списка (тот же формат, что у create). Выбывший "
            "слушатель с тем же id возвращается со своими работами и оценками."
        ),
    )
    add.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    add.add_argument(
        "--roster", required=True, type=Path, metavar=_("ФАЙЛ"), help=_("список (.csv или .xlsx)")
    )
    remove = csub.add_parser(
        "remove",
        help=_("отметить слушателя выбывшим (работы и оценки сохраняются)"),
        parents=[common],
        description=_(
            "Отметить слушателей выбывшими. Ничего не удаляется: их работы и оценки остаются в "
            "журнале, в отчёте они видны как выбывшие, в хаб они больше не входят."
        ),
    )
    remove.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    remove.add_argument("learners", nargs="+", metavar=_("ЛОГИН"), help=_("id слушателей"))
    csub.add_parser("list", help=_("список когорт"), parents=[common])

    release = sub.add_parser(
        "release", help=_("подготовить и выдать задания слушателям"), parents=[common]
    )
    _assignment_args(release)
    collect = sub.add_parser("collect", help=_("собрать сданные работы"), parents=[common])
    _assignment_args(collect)
    auto = sub.add_parser(
        "autograde",
        help=_("автоматически проверить собранные работы, параллельно"),
        parents=[common],
        description=_(
            "Проверить собранные работы в N процессах. Работа, которую нельзя проверить, "
            "названа с причиной; остальные проверяются."
        ),
    )
    _assignment_args(auto)
    auto.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        metavar="N",
        default=CORES,
        help=_("число процессов (по умолчанию — число ядер, здесь {n})").format(n=CORES),
    )
    auto.add_argument("--force", action="store_true", help=_("проверить заново уже проверенное"))
    auto.add_argument(
        "--student",
        action="append",
        metavar=_("ЛОГИН"),
        help=_("проверить только этого слушателя (можно повторять)"),
    )
    auto.add_argument("--quiet", action="store_true", help=_("без индикатора хода"))
    auto.add_argument(
        "--timeout",
        type=_positive_int,
        default=CELL_TIMEOUT,
        metavar=_("СЕКУНДЫ"),
        help=_(
            "сколько секунд может выполняться одна ячейка, после чего она прерывается и "
            "получает 0; остальная тетрадь проверяется (по умолчанию {seconds})"
        ).format(seconds=CELL_TIMEOUT),
    )
    auto.add_argument(
        "--no-sandbox",
        action="store_true",
        help=_(
            "проверять код слушателей без песочницы bwrap (только для доверенных работ: без "
            "неё работа может прочитать и изменить всё, что доступно проверяющему)"
        ),
    )
    feedback = sub.add_parser(
        "feedback",
        help=_("сформировать отзывы и выдать их слушателям"),
        parents=[common],
        description=_(
            "Сформировать отзывы на русском (без скрытых проверок, критериев оценивания и "
            "образцов ответов) и выдать их. Пока письменные ответы задания не проверены, "
            "отзывы не выдаются, если не указан --partial."
        ),
    )
    _assignment_args(feedback)
    feedback.add_argument(
        "--partial",
        action="store_true",
        help=_("выдать отзывы, хотя часть письменных ответов ещё не проверена"),
    )
    report = sub.add_parser(
        "report",
        help=_("отчёт: таблицы CSV и XLSX, HTML с графиками, страницы слушателей, файл Moodle"),
        parents=[common],
    )
    report.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    report.add_argument(
        "--out",
        type=Path,
        metavar=_("ПАПКА"),
        help=_("папка отчёта (по умолчанию <папка когорты>/reports)"),
    )
    report.add_argument("--png", action="store_true", help=_("сохранить графики и как PNG"))

    deadline = sub.add_parser(
        "deadline", help=_("календарь: сроки сдачи, штраф за опоздание, продления"),
        parents=[common],
    )  # fmt: skip
    dsub = deadline.add_subparsers(
        dest="action",
        required=True,
        metavar=_("ДЕЙСТВИЕ"),
        title=_("действия"),
        parser_class=Parser,
    )
    due = dsub.add_parser(
        "due",
        help=_("задать срок сдачи задания"),
        parents=[common],
        description=_(
            "Записать срок сдачи в журнал оценок (его видит и formgrader). Время — в часовом "
            "поясе когорты (по умолчанию московское); дата без времени значит конец дня."
        ),
    )
    due.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    due.add_argument("assignment", metavar=_("ЗАДАНИЕ"), help=_("id задания"))
    due.add_argument(
        "when", metavar=_("СРОК"), nargs="?",
        help=_("«ГГГГ-ММ-ДД ЧЧ:ММ» или «ГГГГ-ММ-ДД»; без него срок снимается"),
    )  # fmt: skip
    extend = dsub.add_parser("extend", help=_("продлить срок одному слушателю"), parents=[common])
    extend.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    extend.add_argument("assignment", metavar=_("ЗАДАНИЕ"), help=_("id задания"))
    extend.add_argument("learner", metavar=_("ЛОГИН"), help=_("id слушателя"))
    extend.add_argument(
        "--days", type=_non_negative, metavar=_("ДНИ"), default=0, help=_("дней продления")
    )
    extend.add_argument(
        "--hours", type=_non_negative, metavar=_("ЧАСЫ"), default=0, help=_("часов продления")
    )
    penalty = dsub.add_parser(
        "penalty",
        help=_("штраф за опоздание для когорты"),
        parents=[common],
        description=_(
            "Штраф за опоздание (модуль nbgrader LateSubmissionPlugin): за каждый начатый день "
            "после срока (с учётом продления) снимается PER_DAY процентов баллов тетради, но не "
            "больше MAX процентов. --per-day 0 отключает штраф. Действует при автопроверке."
        ),
    )
    penalty.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    penalty.add_argument(
        "--per-day",
        type=_non_negative,
        metavar=_("ПРОЦЕНТ"),
        required=True,
        help=_("процентов за день"),
    )
    penalty.add_argument(
        "--max",
        type=_non_negative,
        metavar=_("ПРОЦЕНТ"),
        default=100.0,
        help=_("не больше процентов (по умолчанию 100)"),
    )
    show = dsub.add_parser("show", help=_("показать календарь когорты"), parents=[common])
    show.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))

    demo = sub.add_parser(
        "demo",
        help=_("сыграть слушателей без хаба: получить и сдать задание за каждого"),
        parents=[common],
        description=_(
            "Для пробы курса без хаба: каждый слушатель списка по очереди сдаёт полное "
            "решение, только ответы в виджетах, пустую работу или не сдаёт ничего. Работы "
            "идут через настоящую папку обмена; дальше — grader collect, autograde, feedback, "
            "report. В настоящем курсе не нужен."
        ),
    )
    demo.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))
    demo.add_argument("assignment", metavar=_("ЗАДАНИЕ"), help=_("id задания"))
    demo.add_argument(
        "--late", action="append", default=[], metavar=_("ЛОГИН"),
        help=_("этот слушатель сдаёт через --late-days дней после срока (можно повторять)"),
    )  # fmt: skip
    demo.add_argument(
        "--late-days", type=_non_negative, metavar=_("ДНИ"), default=2.0,
        help=_("на сколько дней опаздывают (по умолчанию 2)"),
    )  # fmt: skip
    return parser


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
