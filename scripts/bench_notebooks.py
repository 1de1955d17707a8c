"""Time the headless execution of every lecture notebook (a benchmark, not a test).

    python scripts/bench_notebooks.py

Each notebook runs in a scratch folder with a fresh kernel; the figures printed include
kernel start-up. The course's target is under 20 s per notebook on 2 cores.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

COURSE = Path(__file__).resolve().parent.parent / "course"


def main() -> int:
    worst = 0.0
    for path in sorted(COURSE.glob("[0-9][0-9]_*.ipynb")):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / path.name
            shutil.copy(path, work)
            nb = nbformat.read(work, as_version=4)
            start = time.perf_counter()
            NotebookClient(nb, timeout=120, resources={"metadata": {"path": tmp}}).execute()
            seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        print(f"{path.name:34s} {seconds:6.1f} s")
    print(f"{'slowest':34s} {worst:6.1f} s (target < 20 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
