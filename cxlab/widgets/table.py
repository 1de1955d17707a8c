"""An editable table: the rows-and-columns tool behind the journey map, the idea board, the
blueprint editor and the test-session log.

A table is described by its :class:`Field` list (configuration as data); the saved answer is a
list of ``{field key: value}`` dicts, one per row, in the order the learner arranged them.
Every control is a standard ipywidgets control, so the table is usable by keyboard: Tab moves
between cells and buttons, Enter or Space presses a button.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget, name_controls

__all__ = ["Field", "TableEditor"]

KINDS = ("text", "int", "float", "choice", "combo")
_UP_WIDTH, _DELETE_WIDTH = "3em", "6.5em"
# the two buttons and their margins (ipywidgets gives every control a 2px margin each side)
_BUTTONS_WIDTH = f"calc({_UP_WIDTH} + {_DELETE_WIDTH} + 8px)"


_LONG_WORD = 13  # letters: a longer header word is hyphenated in the middle
_HYPHEN_BREAK = "-<br>"  # explicit: Chromium does not size a column by a soft hyphen
_VOWELS = set("аеёиоуыэюяaeiouy")


def _split(word: str) -> list[str]:
    """A long word in two at the vowel nearest its middle (Russian hyphenation allows a
    break after a vowel), or the word whole."""
    if len(word) < _LONG_WORD or "&" in word:
        return [word]
    middle = len(word) // 2
    for offset in range(middle - 2):
        for at in (middle + offset, middle - offset):
            if word[at - 1].lower() in _VOWELS and len(word) - at >= 3 and at >= 3:
                return [word[:at], word[at:]]
    return [word]


def _pieces(label: str) -> list[str]:
    """The parts of a header that cannot be broken across lines (a hyphenated part keeps
    its hyphen)."""
    out = []
    for word in label.split():
        for part in word.replace("-", "- ").split():
            halves = _split(part)
            out += [halves[0] + "-", halves[1]] if len(halves) == 2 else halves
    return out


def _half(width: str) -> str:
    number = width.rstrip("emx%")
    try:
        return f"{max(float(number) / 2, 3):g}{width[len(number) :]}"
    except ValueError:
        return width


@dataclass(frozen=True)
class Field:
    """One column of a :class:`TableEditor`.

    ``kind``: ``text`` (free text), ``int`` / ``float`` (a number between ``minimum`` and
    ``maximum``), ``choice`` (one of ``options``, given as ``(label, value)`` pairs) or
    ``combo`` (free text with ``options`` as suggestions, e.g. group names).
    """

    key: str
    label: str
    kind: str = "text"
    options: tuple[Any, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    width: str = "12em"
    placeholder: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}; use one of {KINDS}")
        if self.kind == "choice" and not self.options:
            raise ValueError(f"choice field {self.key!r} needs options")

    def empty(self) -> Any:
        """The value of this column in a new row."""
        if self.default is not None:
            return self.default
        if self.kind in ("int", "float"):
            return self.minimum if self.minimum is not None and self.minimum > 0 else 0
        if self.kind == "choice":
            return self.options[0][1]
        return ""

    def control(self) -> w.Widget:
        """A new, empty control for this column."""
        common = {"layout": self.layout(), "tooltip": self.label}
        if self.kind == "text":
            return w.Text(placeholder=self.placeholder, continuous_update=False, **common)
        if self.kind == "combo":
            return w.Combobox(
                options=list(self.options),
                placeholder=self.placeholder,
                ensure_option=False,
                continuous_update=False,
                **common,
            )
        if self.kind == "choice":
            return w.Dropdown(options=list(self.options), **common)
        low = -1e12 if self.minimum is None else self.minimum
        high = 1e12 if self.maximum is None else self.maximum
        if self.kind == "int":
            control = w.BoundedIntText(min=int(low), max=int(high), **common)
        else:
            control = w.BoundedFloatText(min=low, max=high, **common)
        return control

    def layout(self) -> w.Layout:
        """The column's share of the row: it grows and shrinks from ``width`` (the header
        cell has the same layout, so columns stay aligned) but never below half of it nor
        below the longest word of its header, so headers never run into each other and a
        narrow cell gets a table that scrolls inside itself rather than unreadable fields."""
        return w.Layout(width="auto", flex=f"1 1 {self.width}", min_width=self._min_width())

    def _min_width(self) -> str:
        half = _half(self.width)
        if not half.endswith("em"):
            return half
        longest = max((len(piece) for piece in _pieces(self.label)), default=0)
        # a bold Cyrillic letter is up to about 0.8em wide; 0.6em for the cell's margins
        return f"{max(float(half[:-2]), round(longest * 0.8 + 0.6, 1)):g}em"

    def header(self) -> str:
        """The column's header as HTML: bold, a very long word hyphenated in the middle."""
        words = [_HYPHEN_BREAK.join(_split(html.escape(w))) for w in self.label.split(" ")]
        return f"<b>{' '.join(words)}</b>"

    def check(self, value: Any, row: int) -> Any:
        """Return ``value`` as this column stores it, or raise AnswerError (in Russian)."""
        where = f"строка {row}, «{self.label}»"
        if self.kind in ("text", "combo"):
            if not isinstance(value, str):
                raise AnswerError(f"{where}: ожидался текст.")
            return value
        if self.kind == "choice":
            allowed = [v for _label, v in self.options]
            if value not in allowed:
                raise AnswerError(f"{where}: недопустимое значение {value!r}.")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerError(f"{where}: ожидалось число.")
        if not math.isfinite(value):
            raise AnswerError(f"{where}: число должно быть конечным.")
        if self.kind == "int" and value != int(value):
            raise AnswerError(f"{where}: ожидалось целое число.")
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise AnswerError(f"{where}: число {value} вне диапазона {self._range()}.")
        return int(value) if self.kind == "int" else float(value)

    def _range(self) -> str:
        low = "" if self.minimum is None else f"{self.minimum:g}"
        high = "" if self.maximum is None else f"{self.maximum:g}"
        return f"{low}…{high}"


class TableEditor(StoredWidget):
    """Rows of controls with «Добавить», «Выше» and «Удалить» buttons.

    Subclasses set ``FIELDS`` (and may set ``ADD_LABEL``, ``MAX_ROWS``), may override
    ``_row_note(row)`` to show feedback beside each row and ``_update_view()`` to refresh a
    summary or a chart, and must call ``self._restore()`` at the end of ``__init__``
    (via :meth:`_build`).
    """

    FIELDS: tuple[Field, ...] = ()
    ADD_LABEL = "Добавить строку"
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
        self.rows: list[dict[str, w.Widget]] = []
        self.notes: list[w.HTML] = []
        self._parts: list[tuple[w.VBox, w.Button, w.Button]] = []  # row box, «↑», «Удалить»
        self._lines = w.VBox()
        self.add_button = w.Button(
            description=f"+ {self.ADD_LABEL}", tooltip=self.ADD_LABEL, layout={"width": "auto"}
        )
        self.add_button.on_click(lambda _b: self.add_row())
        self.extra = w.VBox()  # summary, chart: filled by subclasses
        self.box = w.VBox(
            [
                *([w.HTML(f"<b>{html.escape(title)}</b>")] if title else []),
                # A wide table scrolls sideways inside the cell instead of being cut off.
                w.VBox([self._header(), self._lines], layout=w.Layout(overflow="auto")),
                self.add_button,
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
    def _header(self) -> w.HBox:
        cells = [w.HTML(f.header(), layout=f.layout()) for f in self.fields]
        # room for the row's «↑» and «Удалить» buttons, so the columns line up
        spacer = w.HTML(layout=w.Layout(width=_BUTTONS_WIDTH, flex="0 0 auto"))
        return w.HBox([*cells, spacer])

    def add_row(self, values: Mapping[str, Any] | None = None) -> None:
        """Append a row (empty, or with ``values``) and save."""
        if len(self.rows) >= self.MAX_ROWS:
            self._show(
                f"Не добавлено: в таблице не может быть больше {self.MAX_ROWS} строк.", ok=False
            )
            return
        self._silently(self._append, values or self._new_row())
        self._relayout()
        self._changed()
        # Keyboard users continue in the new row rather than on the button.
        first = next(iter(self.rows[-1].values()))
        if hasattr(first, "focus"):
            first.focus()

    def remove_row(self, index: int) -> None:
        """Delete row ``index`` and save."""
        del self.rows[index]
        del self.notes[index]
        del self._parts[index]
        self._relayout()
        self._changed()
        # Keep the keyboard focus in the table: on the next row's «Удалить», or on «Добавить».
        following = self._parts[index][2] if index < len(self._parts) else self.add_button
        following.focus()

    def move_up(self, index: int) -> None:
        """Swap row ``index`` with the row above it and save."""
        if index <= 0:
            return
        for items in (self.rows, self.notes, self._parts):
            items[index - 1], items[index] = items[index], items[index - 1]
        self._relayout()
        self._changed()
        up = self._parts[index - 1][1]
        (up if not up.disabled else self._parts[index - 1][2]).focus()

    def _append(self, values: Mapping[str, Any]) -> None:
        number = len(self.rows) + 1
        controls: dict[str, w.Widget] = {}
        for field in self.fields:
            control = field.control()
            control.value = field.check(values.get(field.key, field.empty()), number)
            control.observe(self._changed, names="value")
            name_controls(control)
            controls[field.key] = control
        note = w.HTML(layout=w.Layout(margin="0 0 0 1em"))
        # Buttons are made once per row and find their row when pressed, so reordering
        # moves the same widgets (a rebuilt button would drop the keyboard focus).
        up = w.Button(
            description="↑",
            tooltip="Переместить выше",
            layout=w.Layout(width=_UP_WIDTH, flex="0 0 auto"),
        )
        up.on_click(lambda _b, c=controls: self.move_up(self._index(c)))
        delete = w.Button(
            description="Удалить",
            tooltip="Удалить строку",
            layout=w.Layout(width=_DELETE_WIDTH, flex="0 0 auto"),
        )
        delete.on_click(lambda _b, c=controls: self.remove_row(self._index(c)))
        line = w.HBox([*controls.values(), up, delete], layout=w.Layout(flex_flow="row nowrap"))
        self.rows.append(controls)
        self.notes.append(note)
        self._parts.append((w.VBox([line, note]), up, delete))

    def _index(self, controls: dict[str, w.Widget]) -> int:
        return next(i for i, row in enumerate(self.rows) if row is controls)

    def _relayout(self) -> None:
        for i, (_box, up, delete) in enumerate(self._parts):
            up.disabled = i == 0  # nothing above the first row: out of the tab order
            delete.tooltip = f"Удалить строку {i + 1}"
        self._lines.children = [box for box, _up, _delete in self._parts]

    # -- the answer ----------------------------------------------------------------------
    def _read_ui(self) -> list[dict[str, Any]]:
        return [{key: c.value for key, c in controls.items()} for controls in self.rows]

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            raise AnswerError("Таблица сохраняется как список строк (словарей).")
        if len(value) > self.MAX_ROWS:
            raise AnswerError(f"В таблице не может быть больше {self.MAX_ROWS} строк.")
        for number, row in enumerate(value, 1):  # check everything before changing anything
            for field in self.fields:
                field.check(row.get(field.key, field.empty()), number)
        self.rows, self.notes, self._parts = [], [], []
        for row in value:
            self._append(row)
        self._relayout()

    def _update_view(self) -> None:
        for note, row in zip(self.notes, self._read_ui(), strict=True):
            note.value = self._row_note(row)

    def _new_row(self) -> dict[str, Any]:
        """Values of a row added by «Добавить»; empty by default (each field's ``empty()``)."""
        return {}

    def _last_day(self) -> dict[str, Any]:
        """A new step continues on the day of the last step (not back on day 1)."""
        return {"day": self.rows[-1]["day"].value} if self.rows else {}

    def _row_note(self, row: dict[str, Any]) -> str:
        """HTML shown to the right of a row (feedback on it); none by default."""
        return ""

    def __len__(self) -> int:
        return len(self.rows)
