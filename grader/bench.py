"""Benchmark: ``grader autograde --jobs N`` against stock sequential ``nbgrader autograde``.

    python -m grader.bench --assignment 02_empathy -n 20 --jobs 2

Creates a throwaway cohort, releases the assignment, makes N synthetic submissions through the
real exchange (a rotation of: the full solution, the blank release, widget answers only, the
solution with one computed task broken), collects them, then grades the same submissions
twice, each command started as its own process as an operator would: first stock
``nbgrader autograde`` (sequential, without the sandbox: the cohort's configuration with
``--SandboxedExecute.sandbox=False --SandboxedExecute.stock_kernels=True``: jupyter_client's
own kernels, and its scores decided the same way), then the
sandboxed ``grader autograde --jobs N``. The answer key is built before either is timed.
Prints both wall-clock times, the ratio, the per-submission p50/p95/max of the grader run,
the floor, and whether every learner's every score matched.

The floor is measured in the same run: a sample of the submitted notebooks is executed with
nothing but a plain kernel (start, run every cell, shut down; no nbgrader, no sandbox), and
``n x median / jobs`` is what a batch would cost if grading added nothing to that.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.cohort import Cohort
from grader.config import EXERCISES
from grader.course import Learner

KINDS = ("solution", "blank", "widget_only", "one_task_broken")


def _submit(cohort: Cohort, assignment: str, student: str, kind: str, homes: Path) -> None:
    source = EXERCISES / assignment
    learner = Learner(student, homes / student, course_id=cohort.id, exchange_root=cohort.exchange)
    folder = learner.fetch(assignment)
    answers = sorted(source.glob("*.answers.json"))
    if kind in ("solution", "one_task_broken"):
        shutil.copy(source / f"{assignment}.ipynb", folder)
    if kind != "blank":
        for path in answers:
            shutil.copy(path, folder)
    if kind == "one_task_broken":
        path = folder / f"{assignment}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] == "code" and meta.get("solution") and not meta.get("grade"):
                cell["source"] = "".join(cell["source"]).replace("return", "return None  #", 1)
                break
        path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    learner.submit(assignment)


def _timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done


def _floor(cohort: Cohort, assignment: str, sample: int) -> list[float]:
    """Seconds per submission with a plain kernel: start, execute every cell, shut down."""
    import nbformat
    from nbclient import NotebookClient

    seconds = []
    folders = sorted((cohort.root / "submitted").glob(f"*/{assignment}"))[:sample]
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="cxlab-floor-") as tmp:
            shutil.copytree(folder, tmp, dirs_exist_ok=True)
            nb = nbformat.read(Path(tmp) / f"{assignment}.ipynb", as_version=4)
            client = NotebookClient(
                nb,
                timeout=60,
                allow_errors=True,
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
                resources={"metadata": {"path": tmp}},
            )
            start = time.perf_counter()
            client.execute()
            seconds.append(time.perf_counter() - start)
    return sorted(seconds)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def run(assignment: str, n: int, jobs: int, keep: bool = False) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix="cxlab-bench-"))
    try:
        roster = home / "roster.csv"
        lines = ["id,last name,first name,email,agency"]
        lines += [f"s{i:03d},Учащийся,Номер {i},s{i}@example.ru,Бенчмарк" for i in range(n)]
        roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cohort = Cohort.create(home, "bench", roster)
        cohort.course.generate(assignment)
        cohort.course.release(assignment)
        for i in range(n):
            _submit(cohort, assignment, f"s{i:03d}", KINDS[i % len(KINDS)], home / "homes")
        cohort.course.collect(assignment)
        from grader.parallel import prepare_keys

        prepare_keys(cohort.course, assignment)  # once, as a batch does, before timing

        stock_s, stock = _timed(
            [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force",
             "--SandboxedExecute.sandbox=False", "--SandboxedExecute.stock_kernels=True",
             "--ExternalVerdict.sandbox=False"],
            cohort.root,
        )  # fmt: skip
        if stock.returncode:
            raise SystemExit(f"stock nbgrader autograde failed:\n{stock.stderr[-3000:]}")
        stock_scores = cohort.auto_scores(assignment)
        shutil.rmtree(cohort.root / "autograded")
        ours_s, ours = _timed(
            [sys.executable, "-m", "grader", "--home", str(home), "autograde", "bench",
             assignment, "--jobs", str(jobs), "--force"],
            home,
        )  # fmt: skip
        if ours.returncode:
            raise SystemExit(f"grader autograde failed:\n{ours.stdout}\n{ours.stderr[-3000:]}")
        our_scores = cohort.auto_scores(assignment)
        each = sorted(float(m.group(1)) for m in re.finditer(r": ok \(([\d.]+) s\)", ours.stderr))
        graded = list((cohort.root / "autograded").glob(f"*/{assignment}/{assignment}.ipynb"))
        largest = max((path.stat().st_size for path in graded), default=0)
        floor_each = _floor(cohort, assignment, min(n, 12))
        floor_s = n * _quantile(floor_each, 0.5) / jobs
        return {
            "floor_p50": _quantile(floor_each, 0.5),
            "largest_graded_mb": largest / 1e6,
            "floor_seconds": round(floor_s, 1),
            "retried": ours.stdout.count("ядро не запустилось с первого раза"),
            "p50": _quantile(each, 0.5),
            "p95": _quantile(each, 0.95),
            "max": each[-1] if each else float("nan"),
            "assignment": assignment,
            "submissions": n,
            "jobs": jobs,
            "cpus": os.cpu_count(),
            "stock_seconds": round(stock_s, 1),
            "grader_seconds": round(ours_s, 1),
            "speedup": round(stock_s / ours_s, 2),
            "scores_match": stock_scores == our_scores and len(our_scores) == n,
        }
    finally:
        if keep:
            print(f"kept: {home}", file=sys.stderr)
        else:
            shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--assignment", default="02_empathy")
    parser.add_argument("-n", type=int, default=20, help="synthetic submissions (default 20)")
    parser.add_argument("--jobs", type=int, default=2, help="grader worker processes (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary cohort")
    args = parser.parse_args(argv)
    result = run(args.assignment, args.n, args.jobs, args.keep)
    print(
        f"{result['submissions']} submissions of {result['assignment']} on {result['cpus']} CPUs\n"
        f"stock nbgrader autograde (sequential): {result['stock_seconds']:.1f} s\n"
        f"grader autograde --jobs {result['jobs']}:            {result['grader_seconds']:.1f} s\n"
        f"speed-up: {result['speedup']:.2f}x\n"
        f"grader, per submission: p50 {result['p50']:.2f} s, p95 {result['p95']:.2f} s, "
        f"max {result['max']:.2f} s (max/p50 {result['max'] / result['p50']:.1f})\n"
        f"floor (plain kernel: start, run, shut down): {result['floor_p50']:.2f} s per "
        f"submission, {result['floor_seconds']:.1f} s for the batch on {result['jobs']} jobs; "
        f"grader at {result['grader_seconds'] / result['floor_seconds']:.2f}x the floor\n"
        f"kernels that died before replying, retried: {result['retried']}\n"
        f"largest graded notebook: {result['largest_graded_mb']:.2f} MB\n"
        f"every score matched: {'yes' if result['scores_match'] else 'NO'}"
    )
    return 0 if result["scores_match"] else 1


if __name__ == "__main__":
    sys.exit(main())
