"""The common part of every stored widget: load on creation, save on change, show status."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from cxlab.answers import AnswerError, AnswerStore

__all__ = ["StoredWidget", "TextAnswer"]


class StoredWidget:
    """A widget whose value is the answer to one question of an :class:`AnswerStore`.

    Subclasses build ``self.box`` (what is displayed), implement ``_read_ui()`` (the value
    the controls show now) and ``_write_ui(value)``, and call ``self._changed()`` from their
    observers. Creating the widget restores the saved answer, so a kernel restart loses
    nothing.
    """

    def __init__(self, store: AnswerStore, qid: str) -> None:
        self.store = store
        self.qid = qid
        self.status = w.HTML(layout=w.Layout(min_height="1.5em"))
        self._loading = False

    def _restore(self) -> None:
        saved = self.store.get(self.qid)
        if saved is not None:
            self._loading = True
            try:
                self._write_ui(saved)
            finally:
                self._loading = False
            self._show("Ответ восстановлен из файла.", ok=True)

    @property
    def value(self) -> Any:
        """The current answer (what the controls show)."""
        return self._read_ui()

    @value.setter
    def value(self, new: Any) -> None:
        self._write_ui(new)
        self._changed()

    def _changed(self, *_: Any) -> None:
        if self._loading:
            return
        try:
            self.store.set(self.qid, self._read_ui())
        except (AnswerError, OSError) as exc:
            self._show(f"Не сохранено: {exc}", ok=False)
        else:
            self._show("Сохранено.", ok=True)

    def _show(self, text: str, *, ok: bool) -> None:
        color = "#1b5e20" if ok else "#b71c1c"
        self.status.value = f'<span style="color:{color}">{html.escape(text)}</span>'

    def _read_ui(self) -> Any:
        raise NotImplementedError

    def _write_ui(self, value: Any) -> None:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


class TextAnswer(StoredWidget):
    """A free-text answer (one text area) saved as a string."""

    def __init__(
        self, store: AnswerStore, qid: str, label: str, *, placeholder: str = "", rows: int = 4
    ) -> None:
        super().__init__(store, qid)
        self.text = w.Textarea(
            placeholder=placeholder,
            rows=rows,
            continuous_update=False,
            layout=w.Layout(width="100%"),
        )
        self.text.observe(self._changed, names="value")
        self.box = w.VBox([w.HTML(f"<b>{html.escape(label)}</b>"), self.text, self.status])
        self._restore()

    def _read_ui(self) -> str:
        return self.text.value

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, str):
            raise AnswerError("Ответ должен быть текстом.")
        self.text.value = value
