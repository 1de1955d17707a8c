"""Answer keys: what the instructor's solution observes in every test cell.

A key is built by running the *source* notebook (solutions and the solution's answers file)
in the same sandbox as learners' submissions, and reading the probe each test cell sends
(``cxlab.probe``). It is cached under the course folder's ``.cxlab/keys/``, a folder only
graders can read, and rebuilt when the source notebook, its answers file, the case data or
the course library change. No key is ever written where a learner or a grading kernel can
read it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import nbformat

from cxlab.probe import MIME

__all__ = ["KeyError_", "build_key", "grade_cells", "load_key", "probes"]

REPO = Path(__file__).resolve().parents[2]


class KeyError_(RuntimeError):
    """The answer key of an assignment cannot be built (the message lists every problem)."""


def probes(cell: Any) -> list[dict[str, Any]]:
    """The probe payloads a cell's outputs carry, in order."""
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data") if output.get("output_type") == "display_data" else None
        if isinstance(data, dict) and MIME in data:
            payload = data[MIME]
            if isinstance(payload, str):
                try:
                    payload = json.loads(payload)
                except ValueError:
                    continue
            if isinstance(payload, dict):
                # nbformat hands out dict subclasses; the verdict accepts exact types only.
                found.append(json.loads(json.dumps(payload)))
    return found


def grade_cells(nb: Any) -> list[Any]:
    """The autograder test cells of a notebook (graded code cells that are not answers)."""
    cells = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cells.append(cell)
    return cells


def _fingerprint(source_nb: Path) -> str:
    digest = hashlib.sha256()
    files = [source_nb, *sorted(source_nb.parent.glob("*.answers.json"))]
    data_dir = Path(os.environ.get("CXLAB_DATA_DIR") or REPO / "datasets")
    files += sorted(p for p in data_dir.glob("*") if p.is_file())
    files += sorted((REPO / "cxlab").rglob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_key(source_nb: Path, *, sandbox: bool = True, timeout: int = 120) -> dict[str, Any]:
    """Run the source notebook and return its key: ``{"cells": {grade_id: {...}}}``."""
    from grader.trust.execute import SandboxedExecute

    source_nb = Path(source_nb)
    nb = nbformat.read(source_nb, as_version=4)
    with tempfile.TemporaryDirectory(prefix="cxlab-key-") as tmp:
        for path in source_nb.parent.glob("*.answers.json"):
            shutil.copyfile(path, Path(tmp) / path.name)
        with _env(NBGRADER_EXECUTION="autograde"):
            ep = SandboxedExecute(sandbox=sandbox, timeout=timeout, startup_timeout=120)
            ep.extra_arguments = ["--HistoryManager.hist_file=:memory:"]
            ep.preprocess(nb, {"metadata": {"path": tmp}})
    problems: list[str] = []
    cells: dict[str, Any] = {}
    for cell in grade_cells(nb):
        meta = cell.metadata["nbgrader"]
        grade_id, points = meta["grade_id"], float(meta.get("points", 0))
        found = probes(cell)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            e = errors[0]
            problems.append(
                f"{grade_id}: решение завершилось с ошибкой {e.get('ename')}: {e.get('evalue')}"
            )
        if len(found) != 1:
            problems.append(f"{grade_id}: ячейка проверки отправила {len(found)} ответов вместо 1")
            continue
        payload = found[0]
        total = sum(float(r["points"]) for r in payload.get("rules", []))
        if abs(total - points) > 1e-9:
            problems.append(f"{grade_id}: правила дают {total} баллов, а у ячейки {points}")
        if "__error__" in json.dumps(payload.get("values", {})):
            problems.append(f"{grade_id}: код решения упал внутри проверки")
        cells[grade_id] = {
            "points": points,
            "rules": payload.get("rules", []),
            "values": payload.get("values", {}),
            "notes": payload.get("notes", []),
        }
    if problems:
        raise KeyError_(
            f"ключ ответов к {source_nb.name} не построить:\n- " + "\n- ".join(problems)
        )
    return {"version": 1, "notebook": source_nb.stem, "cells": cells}


@contextlib.contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def load_key(
    keys_dir: Path, source_nb: Path, *, sandbox: bool = True, timeout: int = 120
) -> dict[str, Any]:
    """The key of ``source_nb``, from the cache in ``keys_dir`` or built now (one builder at a
    time; parallel graders wait for it)."""
    keys_dir = Path(keys_dir)
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fingerprint = _fingerprint(Path(source_nb))
    path = keys_dir / f"{Path(source_nb).parent.name}--{Path(source_nb).stem}.json"
    with open(keys_dir / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            if cached.get("fingerprint") == fingerprint:
                return cached
        except (OSError, ValueError):
            pass
        key = build_key(Path(source_nb), sandbox=sandbox, timeout=timeout)
        key["fingerprint"] = fingerprint
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(key, fh, ensure_ascii=False)
        os.replace(tmp, path)
        return key
