"""An editable table: the rows-and-columns tool behind the journey map, the idea board, the
blueprint editor and the test-session log.

A table is described by its :class:`Field` list (``cxlab.widgets.fields``; configuration
as data); the saved answer is a
list of ``{field key: value}`` dicts, one per row, in the order the learner arranged them.

The whole table is ONE widget model (:class:`TableView`, an anywidget drawing a plain HTML
``<table>`` in the browser: ``table.js``, ``table.css``) instead of a control, a layout and a
style per cell: a capstone notebook built over a thousand models with one control per cell.
The browser only draws the rows and sends what the learner did; the kernel checks every
value, saves and sends the rows back. Cells are native inputs, selects and buttons, so the
table is usable by keyboard: Tab moves between cells and buttons, Enter or Space presses a
button, and every input is named «<row> N: <column>» for screen readers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as t

from cxlab import fmt
from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget, html_part, shared, vbox
from cxlab.widgets.fields import Field

__all__ = ["Field", "TableEditor", "TableView"]

_HERE = Path(__file__).parent


class TableView(anywidget.AnyWidget):
    """The browser view of a :class:`TableEditor`: one widget model for the whole table.

    It holds what the browser draws (the columns, the rows, the notes beside them) and turns
    the browser's messages into calls on ``handler`` (the editor); it checks nothing itself.
    """

    _esm = (_HERE / "table.js").read_text(encoding="utf-8")
    _css = (_HERE / "table.css").read_text(encoding="utf-8")
    fields = t.List(t.Dict()).tag(sync=True)
    rows = t.List(t.Dict()).tag(sync=True)
    notes = t.List(t.Unicode()).tag(sync=True)
    row_label = t.Unicode("Строка").tag(sync=True)
    add_label = t.Unicode("Добавить строку").tag(sync=True)

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handler = handler
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, Mapping):
            self._handler._on_message(content)

    def redraw(self, focus: dict[str, Any] | None = None) -> None:
        """Ask the browser to draw the rows again (a corrected value may equal the old one,
        so no trait changed) and to move the keyboard focus to ``focus``."""
        self.send({"redraw": True, "focus": focus})


class Cell:
    """One cell of a :class:`TableEditor`, as ``table.rows[row][key]``: reading ``value``
    gives the saved value; setting it does what the browser does when the learner leaves
    a changed cell (checked, saved, feedback refreshed)."""

    def __init__(self, table: TableEditor, row: int, key: str) -> None:
        self._table, self._row, self._key = table, row, key

    @property
    def value(self) -> Any:
        return self._table._data[self._row][self._key]

    @value.setter
    def value(self, new: Any) -> None:
        self._table._edit(self._row, self._key, new)

    @property
    def options(self) -> list[Any]:
        """The column's options (a choice) or suggestions (a combo)."""
        return list(self._table._options.get(self._key, ()))


class TableEditor(StoredWidget):
    """Rows of cells with «Добавить», «↑» and «Удалить» buttons, drawn by one :class:`TableView`.

    Subclasses set ``FIELDS`` (and may set ``ADD_LABEL``, ``ROW_LABEL`` — how a row is named
    to screen readers, «Шаг 2: Эмоция» —, ``MAX_ROWS``), may override ``_row_note(row)`` to
    show feedback beside each row and ``_update_view()`` to refresh a summary or a chart,
    and must call ``self._restore()`` at the end of ``__init__`` (via :meth:`_build`).
    """

    FIELDS: tuple[Field, ...] = ()
    ADD_LABEL = "Добавить строку"
    ROW_LABEL = "Строка"
    MAX_ROWS = 200

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        *,
        title: str = "",
        rows: Sequence[Mapping[str, Any]] = (),
        fields: Sequence[Field] | None = None,
    ) -> None:
        super().__init__(store, qid)
        self.fields: tuple[Field, ...] = tuple(fields) if fields is not None else self.FIELDS
        if not self.fields:
            raise ValueError("a table needs at least one field")
        self.title = title
        self._initial = [dict(r) for r in rows]
        self._data: list[dict[str, Any]] = []
        self._options: dict[str, tuple[Any, ...]] = {f.key: f.options for f in self.fields}
        self.view = TableView(
            self,
            layout=shared(w.Layout),
            fields=[f.spec() for f in self.fields],
            row_label=self.ROW_LABEL,
            add_label=self.ADD_LABEL,
        )
        self.extra = vbox()  # summary, chart: filled by subclasses
        self.box = vbox(
            [
                *([html_part(f"<b>{html.escape(title)}</b>")] if title else []),
                self.view,
                self.status,
                self.extra,
            ]
        )

    def _build(self) -> None:
        """Finish construction: restore the saved rows, or show the initial ones."""
        if self._initial and (self.store is None or self.store.get(self.qid) is None):
            self._silently(self._write_ui, self._initial)
        self._restore()

    # -- rows ----------------------------------------------------------------------------
    @property
    def rows(self) -> list[dict[str, Cell]]:
        """The cells, row by row: ``table.rows[1]["day"].value = 2`` edits like a learner."""
        return [{f.key: Cell(self, i, f.key) for f in self.fields} for i in range(len(self))]

    @property
    def notes(self) -> list[str]:
        """The HTML note beside each row (``_row_note``), as the browser shows it."""
        return list(self.view.notes)

    def set_options(self, key: str, options: Sequence[Any]) -> None:
        """Change the suggestions of combo column ``key`` (e.g. the groups used so far)."""
        field = next(f for f in self.fields if f.key == key)
        if field.kind != "combo":
            raise ValueError(f"only a combo column has suggestions, not {key!r}")
        self._options[key] = tuple(options)
        self.view.fields = [f.spec(self._options[f.key]) for f in self.fields]

    def add_row(self, values: Mapping[str, Any] | None = None) -> None:
        """Append a row (empty, or with ``values``) and save."""
        if len(self._data) >= self.MAX_ROWS:
            self._show(
                f"Не добавлено: в таблице не может быть больше {self.MAX_ROWS} строк.", ok=False
            )
            return
        self._silently(self._append, values or self._new_row())
        self._changed()
        # Keyboard users continue in the new row rather than on the button.
        self.view.redraw({"row": len(self._data) - 1, "part": "cell"})

    def remove_row(self, index: int) -> None:
        """Delete row ``index`` and save."""
        del self._data[index]
        self._changed()
        # Keep the keyboard focus in the table: on the next row's «Удалить», or on «Добавить».
        following = {"row": index, "part": "delete"} if index < len(self._data) else None
        self.view.redraw(following or {"part": "add"})

    def move_up(self, index: int) -> None:
        """Swap row ``index`` with the row above it and save."""
        if index <= 0:
            return
        data = self._data
        data[index - 1], data[index] = data[index], data[index - 1]
        self._changed()
        self.view.redraw({"row": index - 1, "part": "up"})  # «Удалить» on the first row

    def _edit(self, index: int, key: str, value: Any) -> None:
        """A cell was changed (in the browser, or through ``rows``): check, store, save.

        A number out of the column's range is brought into it, as a bounded number field
        does; a value that still does not fit is refused and the cell shows the saved one.
        """
        field = next(f for f in self.fields if f.key == key)
        if field.kind in ("int", "float") and _is_number(value):
            if field.minimum is not None:
                value = max(value, field.minimum)
            if field.maximum is not None:
                value = min(value, field.maximum)
            if field.kind == "int":
                value = round(value)
        try:
            checked = field.check(value, index + 1)
        except AnswerError as exc:
            self._show(f"Не сохранено: {exc}", ok=False)
            self.view.redraw()
            return
        if checked == self._data[index][key] and type(checked) is type(self._data[index][key]):
            self.view.redraw()
            return
        self._data[index] = {**self._data[index], key: checked}
        self._changed()
        self.view.redraw()

    def _on_message(self, content: Mapping[str, Any]) -> None:
        """What the learner did in the browser (see ``table.js``)."""
        action, row = content.get("action"), content.get("row")
        in_table = isinstance(row, int) and not isinstance(row, bool) and 0 <= row < len(self)
        if action == "add":
            self.add_row()
        elif action == "delete" and in_table:
            self.remove_row(row)
        elif action == "up" and in_table:
            self.move_up(row)
        elif action == "edit" and in_table and str(content.get("key")) in self._options:
            field = next(f for f in self.fields if f.key == content["key"])
            value = content.get("value")
            if field.kind == "choice":  # the browser sends the option's position
                options = self._options[field.key]
                if not isinstance(value, int) or not 0 <= value < len(options):
                    self.view.redraw()
                    return
                value = options[value][1]
            self._edit(row, field.key, value)

    def _append(self, values: Mapping[str, Any]) -> None:
        number = len(self._data) + 1
        self._data.append(
            {f.key: f.check(values.get(f.key, f.empty()), number) for f in self.fields}
        )

    # -- the answer ----------------------------------------------------------------------
    def _read_ui(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._data]

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            raise AnswerError("Таблица сохраняется как список строк (словарей).")
        if len(value) > self.MAX_ROWS:
            raise AnswerError(f"В таблице не может быть больше {self.MAX_ROWS} строк.")
        for number, row in enumerate(value, 1):  # check everything before changing anything
            for field in self.fields:
                field.check(row.get(field.key, field.empty()), number)
        self._data = []
        for row in value:
            self._append(row)
        self.view.rows = self._read_ui()

    def _update_view(self) -> None:
        rows = self._read_ui()
        with self.view.hold_sync():
            self.view.rows = rows
            self.view.notes = [self._row_note(row) for row in rows]

    def _new_row(self) -> dict[str, Any]:
        """Values of a row added by «Добавить»; empty by default (each field's ``empty()``)."""
        return {}

    def _last_day(self) -> dict[str, Any]:
        """A new step continues on the day of the last step (not back on day 1)."""
        return {"day": self._data[-1]["day"]} if self._data else {}

    def _row_note(self, row: dict[str, Any]) -> str:
        """HTML shown under a row (feedback on it); none by default."""
        return ""

    def _snapshot(self) -> str:
        """The table as plain HTML (a choice shown by its label), for readers without the
        live widget."""
        labels = {
            f.key: {repr(v): text for text, v in f.options}
            for f in self.fields
            if f.kind == "choice"
        }
        head = "".join(f"<th>{html.escape(f.label)}</th>" for f in self.fields)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(_cell(row[f.key], labels.get(f.key)))}</td>" for f in self.fields
            )
            + "</tr>"
            for row in self._data
        )
        empty = "" if self._data else "<p>Таблица пуста.</p>"
        return (
            f"{self._snapshot_title(self.title)}<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{empty}"
        )

    def __len__(self) -> int:
        return len(self._data)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _cell(value: Any, labels: Mapping[str, str] | None) -> str:
    if labels is not None:
        return labels.get(repr(value), str(value))
    return fmt.number(value) if _is_number(value) else str(value)
