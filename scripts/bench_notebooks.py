"""Time every lecture notebook and measure its kernel's peak memory (a benchmark, not a test).

    python scripts/bench_notebooks.py            every lecture, plus an empty kernel
    python scripts/bench_notebooks.py 02 09      only the lectures whose names start so

Each notebook runs in a scratch folder with a fresh kernel; the seconds include kernel
start-up. After the last cell the kernel reads its own peak resident memory (``VmHWM`` in
``/proc/self/status``, in MiB), which is what a hub node must hold for one learner with
that lecture open. The course's targets: under 20 s per notebook on 2 cores, and at most
150 MiB per kernel (an 8 GB node then holds 50 learners). The empty kernel's figure is the
floor no lecture can go below. The last column is the part of the kernel's memory at the end
that is its own (``RssAnon``); the rest is mostly pages of shared libraries, which the kernels
on one node share.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

COURSE = Path(__file__).resolve().parent.parent / "course"
SECONDS_TARGET = 20.0
MEMORY_TARGET_MIB = 150.0
# Run as the notebook's last cell: the kernel's peak resident set and its own part now, in kB.
_PEAK_CELL = (
    "with open('/proc/self/status') as _f:\n"
    "    print(*[l.split()[1] for l in _f if l.startswith(('VmHWM:', 'RssAnon:'))])"
)


def run(nb: nbformat.NotebookNode, name: str) -> tuple[float, float, float]:
    """Execute ``nb`` (a copy, in a scratch folder); return seconds, peak MiB, own MiB."""
    nb.cells.append(nbformat.v4.new_code_cell(_PEAK_CELL))
    with tempfile.TemporaryDirectory() as tmp:
        nbformat.write(nb, Path(tmp) / name)
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp}}
        ).execute()
        seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    peak, own = (int(kb) / 1024 for kb in text.split())
    return seconds, peak, own


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="run only notebooks starting with these")
    args = parser.parse_args(argv)
    paths = sorted(COURSE.glob("[0-9][0-9]_*.ipynb"))
    if args.prefixes:
        paths = [p for p in paths if p.name.startswith(tuple(args.prefixes))]
    print(f"{'notebook':34s} {'seconds':>8s} {'peak MiB':>9s} {'own MiB':>8s}")
    seconds, peak, own = run(nbformat.v4.new_notebook(), "empty.ipynb")
    print(f"{'(empty kernel)':34s} {seconds:8.1f} {peak:9.1f} {own:8.1f}")
    slowest, largest = 0.0, ("", 0.0)
    for path in paths:
        seconds, peak, own = run(nbformat.read(path, as_version=4), path.name)
        slowest = max(slowest, seconds)
        largest = max(largest, (path.name, peak), key=lambda item: item[1])
        print(f"{path.name:34s} {seconds:8.1f} {peak:9.1f} {own:8.1f}", flush=True)
    print(f"{'slowest':34s} {slowest:8.1f} s (target < {SECONDS_TARGET:g} s)")
    verdict = "met" if largest[1] <= MEMORY_TARGET_MIB else "NOT met"
    print(
        f"{'largest peak':34s} {largest[1]:8.1f} MiB, {largest[0]} "
        f"(target ≤ {MEMORY_TARGET_MIB:g} MiB: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
