"""Empathy-stage tools: the empathy map and sorting observations into categories."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w

from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget

__all__ = ["EMPATHY_QUADRANTS", "CategorySort", "EmpathyMap"]

EMPATHY_QUADRANTS: dict[str, str] = {
    "says": "Говорит",
    "thinks": "Думает",
    "does": "Делает",
    "feels": "Чувствует",
}
_HINTS = {
    "says": "Что человек говорит вслух — дословные цитаты из интервью",
    "thinks": "Что он думает, но может не говорить: сомнения, ожидания, опасения",
    "does": "Что он делает — наблюдаемые действия и поступки",
    "feels": "Что он чувствует: эмоции, настроение, переживания",
}


class EmpathyMap(StoredWidget):
    """An empathy map: four text areas saved as ``{"says": …, "thinks": …, …}``."""

    def __init__(self, store: AnswerStore, qid: str, *, persona: str = "") -> None:
        super().__init__(store, qid)
        self.areas: dict[str, w.Textarea] = {}
        cells = []
        for key, title in EMPATHY_QUADRANTS.items():
            area = w.Textarea(
                placeholder=_HINTS[key],
                rows=5,
                continuous_update=False,
                layout=w.Layout(width="98%"),
                description_allow_html=False,
            )
            area.observe(self._changed, names="value")
            self.areas[key] = area
            cells.append(w.VBox([w.HTML(f"<b>{title}</b>"), area]))
        header = f"Карта эмпатии: {html.escape(persona)}" if persona else "Карта эмпатии"
        grid = w.GridBox(cells, layout=w.Layout(grid_template_columns="1fr 1fr"))
        self.box = w.VBox([w.HTML(f"<h4>{header}</h4>"), grid, self.status])
        self._restore()

    def _read_ui(self) -> dict[str, str]:
        return {key: area.value for key, area in self.areas.items()}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise AnswerError("Карта эмпатии сохраняется как словарь из четырёх частей.")
        for key, area in self.areas.items():
            area.value = str(value.get(key, ""))

    def filled(self) -> list[str]:
        """Return the quadrants that have some text."""
        return [key for key, area in self.areas.items() if area.value.strip()]


class CategorySort(StoredWidget):
    """Sort items into categories with one dropdown per item.

    The answer is ``{item key: category key}`` for the items the learner has sorted; an
    unsorted item is absent.
    """

    _EMPTY = "— выберите —"

    def __init__(
        self,
        store: AnswerStore,
        qid: str,
        items: Mapping[str, str],
        categories: Mapping[str, str] | Sequence[str],
        *,
        title: str = "",
    ) -> None:
        super().__init__(store, qid)
        if not items:
            raise ValueError("CategorySort needs at least one item")
        cats = dict(categories) if isinstance(categories, Mapping) else {c: c for c in categories}
        self.categories = cats
        options = [(self._EMPTY, "")] + [(label, key) for key, label in cats.items()]
        self.dropdowns: dict[str, w.Dropdown] = {}
        rows = []
        for key, text in items.items():
            dd = w.Dropdown(options=options, value="", layout=w.Layout(width="14em"))
            dd.observe(self._changed, names="value")
            self.dropdowns[key] = dd
            label = w.HTML(html.escape(text), layout=w.Layout(flex="1"))
            rows.append(w.HBox([dd, label], layout=w.Layout(align_items="center")))
        head = [w.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.box = w.VBox([*head, *rows, self.status])
        self._restore()

    def _read_ui(self) -> dict[str, str]:
        return {key: dd.value for key, dd in self.dropdowns.items() if dd.value}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise AnswerError("Ответ сохраняется как словарь «элемент → категория».")
        unknown = [v for v in value.values() if v and v not in self.categories]
        if unknown:
            raise AnswerError(f"Неизвестная категория: {unknown[0]}.")
        for key, dd in self.dropdowns.items():
            dd.value = value.get(key, "") or ""
