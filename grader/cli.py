"""The ``grader`` command: cohorts, release, collect, parallel autograde, feedback, reports.

A thin layer over :mod:`grader.cohort`, :mod:`grader.parallel` and :mod:`grader.report`.
Exit status: 0 done; 1 some work failed (each failure is listed); 2 bad input (usage, roster,
unknown cohort or assignment).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grader.cohort import Cohort, CohortError, assignments
from grader.config import CELL_TIMEOUT
from grader.course import GraderError
from grader.roster import RosterError
from grader.trust.keys import KeyError_ as KeyBuildError

DEFAULT_HOME = os.environ.get("CXLAB_HOME", "cohorts")
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        default=argparse.SUPPRESS,
        help=f"folder that holds the cohorts (default: $CXLAB_HOME or ./{DEFAULT_HOME})",
    )
    return common


def _assignment_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cohort", help="cohort id")
    parser.add_argument(
        "assignments",
        nargs="*",
        metavar="ASSIGNMENT",
        help="assignment ids, e.g. 02_empathy (default: all assignments)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="grader",
        description="Run cxlab's graded course for cohorts of learners with nbgrader.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cohort = sub.add_parser("cohort", help="create and list cohorts", parents=[common])
    csub = cohort.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = csub.add_parser(
        "create",
        help="create a cohort's course folder and gradebook and import its roster",
        parents=[common],
        description="Create a cohort: its nbgrader course folder (source: the repository's "
        "exercises/), its own gradebook, and its learners from a roster (CSV or XLSX with "
        "columns id, last name, first name, email, agency). A bad roster is refused with the "
        "row and the reason, and nothing is created.",
    )
    create.add_argument("cohort", help="cohort id: lower-case Latin letters, digits, _ or -")
    create.add_argument("--roster", required=True, type=Path, help="roster file (.csv or .xlsx)")
    create.add_argument(
        "--db",
        metavar="URL",
        help="gradebook database URL, e.g. postgresql://user:pass@host/db "
        "(default: SQLite gradebook.db in the cohort folder)",
    )
    create.add_argument(
        "--exchange", type=Path, help="nbgrader exchange folder (default: <home>/exchange)"
    )
    csub.add_parser("list", help="list the cohorts", parents=[common])

    release = sub.add_parser(
        "release", help="generate and release assignments to the exchange", parents=[common]
    )
    _assignment_args(release)
    collect = sub.add_parser("collect", help="collect submissions", parents=[common])
    _assignment_args(collect)
    auto = sub.add_parser(
        "autograde",
        help="autograde collected submissions, in parallel",
        parents=[common],
        description="Autograde collected submissions with N worker processes. One submission "
        "that cannot be graded is reported with its reason; the others are graded anyway.",
    )
    _assignment_args(auto)
    auto.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=CORES,
        help=f"worker processes (default: the cores available, {CORES} here)",
    )
    auto.add_argument("--force", action="store_true", help="regrade already graded submissions")
    auto.add_argument("--student", action="append", help="grade only this learner (repeatable)")
    auto.add_argument("--quiet", action="store_true", help="no progress output")
    auto.add_argument(
        "--timeout",
        type=_positive_int,
        default=CELL_TIMEOUT,
        metavar="SECONDS",
        help="seconds one cell may run before it is interrupted and scored as failed; the "
        f"rest of the notebook is still graded (default {CELL_TIMEOUT})",
    )
    auto.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run learners' code without the bwrap sandbox (only for trusted submissions; "
        "without it a submission can read and change everything the grader can)",
    )
    feedback = sub.add_parser(
        "feedback",
        help="generate feedback and release it to learners",
        parents=[common],
        description="Generate Russian feedback (no hidden tests, mark schemes or model "
        "answers) and release it. Refused while written answers of the assignment are not "
        "graded yet, unless --partial.",
    )
    _assignment_args(feedback)
    feedback.add_argument(
        "--partial",
        action="store_true",
        help="release feedback although some written answers are not graded yet",
    )
    report = sub.add_parser(
        "report",
        help="grades to CSV and XLSX and an HTML report with plots",
        parents=[common],
    )
    report.add_argument("cohort", help="cohort id")
    report.add_argument("--out", type=Path, help="output folder (default: <cohort folder>/reports)")
    report.add_argument("--png", action="store_true", help="also write the plots as PNG files")
    return parser


def _pick(names: list[str], cohort: Cohort) -> list[str]:
    known = assignments(cohort.exercises)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CohortError(
            f"unknown assignment(s): {', '.join(unknown)} (known: {', '.join(known)})"
        )
    return names or known


def _released(cohort: Cohort) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        return sorted(a.name for a in gb.assignments)


def _run(args: argparse.Namespace) -> int:
    home = Path(getattr(args, "home", DEFAULT_HOME))
    if args.command == "cohort":
        if args.action == "list":
            for folder in sorted(home.glob("*/cohort.json")):
                print(folder.parent.name)
            return 0
        cohort = Cohort.create(
            home, args.cohort, args.roster, db_url=args.db, exchange=args.exchange
        )
        print(f"cohort {cohort.id}: {len(cohort.learners())} learners, folder {cohort.root}")
        return 0

    cohort = Cohort.load(home, args.cohort)
    course = cohort.course
    if args.command == "autograde":
        course.cell_timeout = args.timeout
        if args.no_sandbox:
            course.sandbox = False
            print(
                "grader: ВНИМАНИЕ: проверка без песочницы — код слушателей получает доступ ко "
                "всему, что доступно проверяющему. / WARNING: grading without the sandbox.",
                file=sys.stderr,
            )
        else:
            from grader.trust.sandbox import SandboxError, check_sandbox

            try:
                check_sandbox()
            except SandboxError as exc:
                print(
                    "grader: проверка невозможна: песочница для кода слушателей недоступна на "
                    "этой машине. Установите bubblewrap (apt-get install bubblewrap) или, только "
                    f"для доверенных работ, запустите с --no-sandbox.\ngrader: {exc}",
                    file=sys.stderr,
                )
                return 2
    if args.command == "report":
        out = args.out or cohort.root / "reports"
        from grader.report import write_report

        written = write_report(cohort, out, png=args.png)
        for kind, path in written.items():
            print(f"{kind}: {path}")
        return 0

    names = _pick(args.assignments, cohort)
    if args.command != "release" and not args.assignments:
        names = [n for n in names if n in _released(cohort)]  # "all" = all released
    failures = 0
    for name in names:
        if args.command == "release":
            course.generate(name)
            try:
                course.release(name)
            except GraderError as exc:
                if "already exists" not in str(exc):
                    raise
                print(f"{name}: already released (unchanged)")
                continue
            print(f"{name}: released")
        elif args.command == "collect":
            course.collect(name)
            from grader.parallel import submitted_students

            print(f"{name}: {len(submitted_students(course, name))} submission(s) collected")
        elif args.command == "autograde":
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
            failures += len(bad)
            print(f"{name}: {len(outcomes) - len(bad)} graded, {len(bad)} failed")
            for o in bad:
                print(f"  {o.student}: {o.reason}")
            for o in outcomes:
                if o.review:
                    print(f"  {o.student}: на проверку преподавателю / held for review: ")
                    for reason in o.review:
                        print(f"    - {reason}")
        elif args.command == "feedback":
            from grader.feedback import ungraded_answers

            pending = ungraded_answers(course, name)
            if pending and not args.partial:
                failures += 1
                print(
                    f"{name}: обратная связь не выпущена: {len(pending)} письменных ответов ещё "
                    "не проверены (formgrader). Проверьте их или выпустите частичную обратную "
                    "связь с --partial. / feedback not released: written answers are ungraded."
                )
                continue
            api = course.api
            result = api.generate_feedback(name)
            if not result.get("success"):
                failures += 1
                print(f"{name}: feedback generation failed:\n{result.get('log', '')}")
                continue
            result = api.release_feedback(name)
            if not result.get("success"):
                failures += 1
                print(f"{name}: releasing feedback failed:\n{result.get('log', '')}")
                continue
            print(f"{name}: feedback released")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except (RosterError, CohortError) as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 1
    except KeyBuildError as exc:
        print(f"grader: ключ ответов не построен / answer key not built: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
