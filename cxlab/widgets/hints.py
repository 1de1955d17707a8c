"""Progressive hints: two or three hints to a task, opened one at a time.

The answer saved is how many hints the learner has opened (0 … the number of hints), so the
instructor sees in the submitted answers file who needed them. Opening a hint costs no points.

    Hints(store, "hints_journey", [
        "Сначала перечитайте таблицу с ключами …",
        "Пример из лекции: …",
        "Почти готовое выражение: …",
    ])
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget, hbox, html_part, vbox

__all__ = ["Hints"]

MAX_HINTS = 5


def _render(text: str) -> str:
    """Escape the hint and show `code` in backticks as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


class Hints(StoredWidget):
    """A button that opens the next hint; the saved answer is the number of hints opened."""

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        hints: Sequence[str],
        *,
        title: str = "Подсказки",
    ) -> None:
        hints = tuple(hints)
        if not 1 <= len(hints) <= MAX_HINTS or not all(isinstance(h, str) and h for h in hints):
            raise ValueError(f"give 1 to {MAX_HINTS} non-empty hints")
        super().__init__(store, qid)
        self.hints = hints
        self.opened = w.IntProgress(
            value=0,
            min=0,
            max=len(hints),
            description="Открыто:",
            layout=w.Layout(width="16em"),
        )
        self.count = html_part()
        self.button = w.Button(
            description="Показать подсказку",
            icon="lightbulb-o",
            tooltip="Подсказки не снижают баллы",
            layout=w.Layout(width="auto"),
        )
        self.shown = html_part()
        self.button.on_click(self._open_next)
        self.opened.observe(self._changed, names="value")
        heading = html_part(
            f"<b>{html.escape(title)}</b> — открываются по одной и не снижают баллы. "
            "Сначала попробуйте сами, потом откройте следующую подсказку."
        )
        self.box = vbox(
            [heading, hbox([self.button, self.opened, self.count]), self.shown, self.status]
        )
        self._restore()

    def _open_next(self, _button: Any = None) -> None:
        """Open the next hint (the button's action)."""
        if self.opened.value < len(self.hints):
            self.opened.value += 1

    def _snapshot(self) -> str:
        return f"<p>Открыто подсказок: {self.opened.value} из {len(self.hints)}.</p>"

    def _read_ui(self) -> int:
        return int(self.opened.value)

    def _write_ui(self, value: Any) -> None:
        if type(value) is not int or not 0 <= value <= len(self.hints):
            raise AnswerError(
                f"Число открытых подсказок должно быть целым от 0 до {len(self.hints)}."
            )
        self.opened.value = value

    def _update_view(self) -> None:
        n = self.opened.value
        total = len(self.hints)
        self.count.value = f"{n} из {total}"
        items = "".join(
            f"<li><b>Подсказка {i}.</b> {_render(text)}</li>"
            for i, text in enumerate(self.hints[:n], 1)
        )
        self.shown.value = f"<ol style='list-style:none;padding-left:0'>{items}</ol>" if n else ""
        if n < total:
            self.button.description = f"Показать подсказку {n + 1} из {total}"
            self.button.disabled = False
        else:
            self.button.description = "Все подсказки открыты"
            self.button.disabled = True
