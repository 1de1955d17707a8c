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

    def __init__(self, store: AnswerStore | None, qid: str | None) -> None:
        if (store is None) != (qid is None):
            raise ValueError("give both store and qid, or neither (a widget that saves nothing)")
        self.store = store
        self.qid = qid
        self.status = w.HTML(layout=w.Layout(min_height="1.5em"))
        self._loading = False

    def _restore(self) -> None:
        """Show the saved answer, if any; a saved answer that does not fit raises AnswerError.

        Raising (rather than showing an empty widget) is deliberate: an empty widget would
        overwrite the saved answer at the learner's first keystroke.
        """
        saved = None if self.store is None else self.store.get(self.qid)
        if saved is not None:
            self._silently(self._write_ui, saved)
            self._show("Ответ восстановлен из файла.", ok=True)
        self._update_view()

    def _silently(self, action: Any, *args: Any) -> None:
        """Run ``action`` with saving switched off (it changes many controls at once)."""
        self._loading = True
        try:
            action(*args)
        finally:
            self._loading = False

    @property
    def value(self) -> Any:
        """The current answer (what the controls show)."""
        return self._read_ui()

    @value.setter
    def value(self, new: Any) -> None:
        self._silently(self._write_ui, new)
        self._changed()

    def _changed(self, *_: Any) -> None:
        if self._loading:
            return
        self._update_view()
        if self.store is None:
            return
        try:
            self.store.set(self.qid, self._read_ui())
        except (AnswerError, OSError) as exc:
            self._show(f"Не сохранено: {exc}", ok=False)
        else:
            self._show("Сохранено.", ok=True)

    def _update_view(self) -> None:
        """Refresh what is derived from the answer (feedback, totals, a chart); default none."""

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


def _show_figure(output: w.Output, draw: Any) -> None:
    """Replace what ``output`` shows with the figure ``draw()`` returns (or nothing).

    The figure is closed after display so that it is neither shown twice by the inline
    backend nor kept in memory.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    output.clear_output(wait=True)
    fig = draw()
    if fig is None:
        return
    try:
        with output:
            display(fig)
    finally:
        plt.close(fig)
