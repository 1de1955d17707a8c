"""The ``grader`` command line, in Russian: the parser of every command and its arguments
(``grader.cli`` runs them), and argparse's own texts said again through the catalogue."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from grader.config import CELL_TIMEOUT
from grader.i18n import N_, _

__all__ = ["CORES", "FALLBACK_HOME", "Parser", "build_parser", "default_home"]

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
    _cohort_arg(parser)
    parser.add_argument(
        "assignments",
        nargs="*",
        metavar=_("ЗАДАНИЕ"),
        help=_("id заданий, например 02_empathy (по умолчанию — все)"),
    )


def _cohort_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cohort", metavar=_("КОГОРТА"), help=_("id когорты"))


def _one_assignment_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", metavar=_("ЗАДАНИЕ"), help=_("id задания"))


def _actions(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return parser.add_subparsers(
        dest="action",
        required=True,
        metavar=_("ДЕЙСТВИЕ"),
        title=_("действия"),
        parser_class=Parser,
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
    csub = _actions(cohort)
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
    _cohort_arg(add)
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
    _cohort_arg(remove)
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
    _cohort_arg(report)
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
    dsub = _actions(deadline)
    due = dsub.add_parser(
        "due",
        help=_("задать срок сдачи задания"),
        parents=[common],
        description=_(
            "Записать срок сдачи в журнал оценок (его видит и formgrader). Время — в часовом "
            "поясе когорты (по умолчанию московское); дата без времени значит конец дня."
        ),
    )
    _cohort_arg(due)
    _one_assignment_arg(due)
    due.add_argument(
        "when", metavar=_("СРОК"), nargs="?",
        help=_("«ГГГГ-ММ-ДД ЧЧ:ММ» или «ГГГГ-ММ-ДД»; без него срок снимается"),
    )  # fmt: skip
    extend = dsub.add_parser("extend", help=_("продлить срок одному слушателю"), parents=[common])
    _cohort_arg(extend)
    _one_assignment_arg(extend)
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
    _cohort_arg(penalty)
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
    _cohort_arg(show)

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
    _cohort_arg(demo)
    _one_assignment_arg(demo)
    demo.add_argument(
        "--late", action="append", default=[], metavar=_("ЛОГИН"),
        help=_("этот слушатель сдаёт через --late-days дней после срока (можно повторять)"),
    )  # fmt: skip
    demo.add_argument(
        "--late-days", type=_non_negative, metavar=_("ДНИ"), default=2.0,
        help=_("на сколько дней опаздывают (по умолчанию 2)"),
    )  # fmt: skip
    return parser
