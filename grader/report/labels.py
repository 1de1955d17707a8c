"""Human names for assignments and questions, read from the source notebooks in exercises/.

An assignment is named by its notebook's first heading up to the colon («Задание 2.
Эмпатия»). A question (an nbgrader grade cell) is named by the Russian docstring its test
cell opens with («Видимая проверка: …», points in brackets dropped) or, for an answer the
instructor grades, by the heading of its part («Часть 3. Вопросы для глубинного интервью»).
The grade id is the fallback, and names are made unique within an assignment.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

__all__ = ["assignment_title", "question_labels"]

_POINTS = re.compile(r"\s*\((?:[^()]*\bбалл\w*|[^()]*проверяет[^()]*)\)\s*", re.I)


def _notebook(exercises: Path, assignment: str):
    import nbformat

    path = Path(exercises) / assignment / f"{assignment}.ipynb"
    if not path.is_file():
        return None
    return nbformat.read(path, as_version=4)


def _clean(text: str) -> str:
    text = _POINTS.sub(" ", text).strip().rstrip(".").strip()
    return re.sub(r"\s+", " ", text)


def _heading(source: str) -> str | None:
    for line in source.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return None


@functools.cache
def assignment_title(exercises: Path, assignment: str) -> str:
    nb = _notebook(exercises, assignment)
    if nb is not None:
        for cell in nb.cells:
            if cell.cell_type == "markdown" and (title := _heading(cell.source)):
                return _clean(title.split(":")[0]) or assignment
    return assignment


def _docstring(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        match = re.match(r'\s*"""(.*?)"""', source, re.S)
        return match.group(1).strip() if match else None
    doc = ast.get_docstring(tree)
    return doc.strip().splitlines()[0] if doc else None


@functools.cache
def question_labels(exercises: Path, assignment: str) -> dict[str, str]:
    """``{grade_id: Russian name}`` for every graded cell of the assignment."""
    nb = _notebook(exercises, assignment)
    if nb is None:
        return {}
    labels: dict[str, str] = {}
    part = None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and (heading := _heading(cell.source)):
            part = heading
        if not meta.get("grade") or not meta.get("grade_id"):
            continue
        grade_id = meta["grade_id"]
        name = _docstring(cell.source) if cell.cell_type == "code" else None
        if not name and cell.cell_type == "markdown":
            name = part
        name = _clean(name or "") or grade_id
        if name in labels.values():
            name = f"{name} ({grade_id})"
        labels[grade_id] = name
    return labels
