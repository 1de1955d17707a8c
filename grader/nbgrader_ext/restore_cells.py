"""Put back every locked cell a learner deleted, so the submission is graded as designed.

nbgrader's ``OverwriteCells.add_missing_cells`` (off by default) re-adds deleted grade cells
after "the previous grade or solution cell", and fails with a KeyError when the previous cell
is a read-only one (a widget or set-up cell) — which our assignments have. It also never
restores deleted read-only cells, without which the notebook cannot run. This subclass
restores every missing locked cell (tests, tasks, read-only set-up and widget cells) from the
gradebook, each after the nearest earlier cell the submission still has, in the order of the
source notebook (read from the course's source folder: the gradebook keeps no order).
"""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode, read
from nbgrader.preprocessors import OverwriteCells
from traitlets import Bool


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class RestoreDeletedCells(OverwriteCells):
    """OverwriteCells that restores every deleted locked cell, wherever it stood."""

    add_missing_cells = Bool(True).tag(config=True)

    def _source_order(self) -> list[str]:
        converter = self.parent.parent if self.parent is not None else None
        coursedir = getattr(converter, "coursedir", None)
        if coursedir is None:
            return []
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", self.assignment_id))
        path = folder / f"{self.notebook_id}.ipynb"
        if not path.exists():
            return []
        return [gid for cell in read(path, as_version=4).cells if (gid := _grade_id(cell))]

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source = {cell.name: cell for cell in source_nb.source_cells}
        grades = {cell.name: cell for cell in source_nb.grade_cells}
        tasks = {cell.name: cell for cell in source_nb.task_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        order = [name for name in self._source_order() if name in source] or list(source)
        present = {_grade_id(cell) for cell in nb.cells} - {None}
        for position, name in enumerate(order):
            if name in present:
                continue
            cell = source[name]
            if name in grades:
                new = self.missing_cell_transform(
                    cell, grades[name].max_score, is_solution=name in solutions
                )
            elif name in tasks:
                new = self.missing_cell_transform(cell, tasks[name].max_score, is_task=True)
            elif cell.locked:
                new = self._read_only(cell)
            else:
                continue  # a deleted answer cell stays deleted: there is nothing to grade
            new["id"] = f"restored-{name}"[:64]  # nbformat 4.5 cells carry an id
            before = next((n for n in reversed(order[:position]) if n in present), None)
            index = 0
            if before is not None:
                index = next(i for i, c in enumerate(nb.cells) if _grade_id(c) == before) + 1
            nb.cells.insert(index, new)
            present.add(name)
            self.log.warning("Restored deleted cell %s", name)
        return nb, resources

    def add_missing_task_cells(self, nb, resources):
        return nb, resources  # done above, in notebook order

    def _read_only(self, cell) -> NotebookNode:
        """A deleted read-only cell as the source had it (set-up code, a widget, a header)."""
        node = {
            "cell_type": cell.cell_type,
            "metadata": {
                "deletable": False,
                "editable": False,
                "nbgrader": {
                    "grade": False,
                    "grade_id": cell.name,
                    "locked": True,
                    "checksum": cell.checksum,
                    "schema_version": 3,
                    "solution": False,
                    "task": False,
                },
            },
            "source": cell.source,
        }
        if cell.cell_type == "code":
            node["execution_count"] = None
            node["outputs"] = []
        return NotebookNode(node)
