"""The common part of every stored widget: load on creation, save on change, show status."""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from cxlab.answers import AnswerError, AnswerStore

__all__ = [
    "STYLE",
    "StoredWidget",
    "TextAnswer",
    "hbox",
    "html_part",
    "name_controls",
    "shared",
    "vbox",
]

# The course's widget style, scoped to ``.cxlab-widget`` (each widget's box) and shipped
# inside it as a hidden HTML part: long quiz options wrap instead of overlapping or being
# cut with «…», and a control's accessible name (its description) is read by screen readers
# but not shown where a visible heading already says what the control is.
STYLE = (
    "<style>"
    ".cxlab-widget .widget-radio-box label{display:block;position:relative;height:auto;"
    "line-height:1.4;white-space:normal;padding:2px 0 2px 1.7em;margin-bottom:2px}"
    ".cxlab-widget .widget-radio-box input{position:absolute;left:0;top:0.3em;margin:0;"
    "float:none;height:1em;line-height:1}"
    ".cxlab-widget .widget-checkbox{width:auto;height:auto;line-height:1.4}"
    ".cxlab-widget .widget-checkbox .widget-label-basic{white-space:normal;overflow:visible;"
    "display:flex;align-items:flex-start;line-height:1.4;padding:2px 0}"
    ".cxlab-widget .widget-checkbox input[type=checkbox]{flex:0 0 auto;height:1.4em}"
    ".cxlab-widget .widget-html-content{white-space:normal;line-height:1.4}"
    ".cxlab-widget .widget-html-content td,.cxlab-widget .widget-html-content th"
    "{padding:2px 8px;vertical-align:top}"
    ".cxlab-sr-label>.widget-label{position:absolute!important;width:1px!important;"
    "height:1px!important;margin:0!important;padding:0!important;overflow:hidden;"
    "clip-path:inset(50%);white-space:nowrap}"
    "</style>"
)

# Widgets that many stored widgets would otherwise each create: identical layouts and styles
# (every ipywidgets control makes its own Layout and Style model unless given one) and the
# hidden style part. One instance is shared by every widget of the kernel; a closed one
# (``Widget.close_all()``) is replaced.
_SHARED: dict[Any, w.Widget] = {}


def shared(kind: type[w.Widget], **traits: Any) -> Any:
    """The kernel's one ``kind(**traits)`` (a Layout, a style, a static part), made once.

    Only for widgets nobody changes afterwards: a change would show in every widget that
    shares it.
    """
    key = (kind, tuple(sorted(traits.items())))
    widget = _SHARED.get(key)
    if widget is None or widget.comm is None:
        widget = _SHARED[key] = kind(**traits)
    return widget


def html_part(value: str = "", **layout: Any) -> w.HTML:
    """An HTML part with a shared Layout (``layout`` traits) and a shared style: two widget
    models fewer than ``w.HTML(value)``."""
    return w.HTML(value, layout=shared(w.Layout, **layout), style=shared(HTMLStyle))


def vbox(children: Any = (), **layout: Any) -> w.VBox:
    """A VBox with a shared Layout (``layout`` traits): one widget model fewer."""
    return w.VBox(children, layout=shared(w.Layout, **layout))


def hbox(children: Any = (), **layout: Any) -> w.HBox:
    """An HBox with a shared Layout (``layout`` traits): one widget model fewer."""
    return w.HBox(children, layout=shared(w.Layout, **layout))


_NAMED = (
    w.Text,
    w.Textarea,
    w.Dropdown,
    w.Combobox,
    w.BoundedIntText,
    w.BoundedFloatText,
    w.IntText,
    w.FloatText,
    w.RadioButtons,
    w.ToggleButtons,
)


def name_controls(widget: w.Widget, fallback: str = "") -> None:
    """Give every form control inside ``widget`` an accessible name: a control with no
    description gets its tooltip (or placeholder, or ``fallback``) as a description that
    only screen readers read (the ``cxlab-sr-label`` class hides it from sight)."""
    if isinstance(widget, w.Box):
        for child in widget.children:
            name_controls(child, fallback)
        return
    if isinstance(widget, _NAMED) and not widget.description:
        name = widget.tooltip or getattr(widget, "placeholder", "") or fallback
        if name:
            widget.description = name
            widget.add_class("cxlab-sr-label")


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
        self.status = html_part(min_height="1.5em")
        self._loading = False

    def _restore(self) -> None:
        """Show the saved answer, if any; a saved answer that does not fit raises AnswerError.

        Raising (rather than showing an empty widget) is deliberate: an empty widget would
        overwrite the saved answer at the learner's first keystroke.
        """
        self._finish_box()
        saved = None if self.store is None else self.store.get(self.qid)
        if saved is not None:
            self._silently(self._write_ui, saved)
            self._show("Ответ восстановлен из файла.", ok=True)
        self._update_view()

    def _finish_box(self) -> None:
        """Name the controls, and give the box the course's class and style (once)."""
        name_controls(self.box)
        if "cxlab-widget" not in self.box._dom_classes:
            self.box.add_class("cxlab-widget")
            style = shared(w.HTML, value=STYLE, layout=shared(w.Layout, display="none"))
            self.box.children = (*self.box.children, style)

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
        """The live widget, and a static HTML snapshot of the answer beside it.

        JupyterLab shows the widget; a notebook stored without widget state (graded
        notebooks, formgrader, feedback pages) shows the snapshot instead.
        """
        bundle = self.box._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            data, metadata = bundle
            return {**data, "text/html": self.snapshot()}, metadata
        if isinstance(bundle, dict):
            return {**bundle, "text/html": self.snapshot()}
        return bundle

    def snapshot(self) -> str:
        """The current answer as static HTML, every text escaped."""
        return f'<div class="cxlab-snapshot">{self._snapshot()}</div>'

    # Russian names of the answer's dict keys, for the snapshot (readers see no English keys)
    SNAPSHOT_LABELS: ClassVar[dict[str, str]] = {}

    def _snapshot(self) -> str:
        """The answer as HTML; by default the value itself (lists, dicts, texts, numbers)."""
        title = self._snapshot_title(getattr(self, "title", ""))
        return title + _value_html(self.value, self.SNAPSHOT_LABELS)

    @staticmethod
    def _snapshot_title(title: str) -> str:
        return f"<p><b>{html.escape(title)}</b></p>" if title else ""


class TextAnswer(StoredWidget):
    """A free-text answer (one text area) saved as a string."""

    def __init__(
        self, store: AnswerStore, qid: str, label: str, *, placeholder: str = "", rows: int = 4
    ) -> None:
        super().__init__(store, qid)
        self.text = w.Textarea(
            placeholder=placeholder,
            tooltip=label,
            rows=rows,
            continuous_update=False,
            layout=w.Layout(width="100%"),
        )
        self.text.observe(self._changed, names="value")
        self.label = label
        self.box = w.VBox([w.HTML(f"<b>{html.escape(label)}</b>"), self.text, self.status])
        self._restore()

    def _read_ui(self) -> str:
        return self.text.value

    def _snapshot(self) -> str:
        return self._snapshot_title(self.label) + _value_html(self.value)

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, str):
            raise AnswerError("Ответ должен быть текстом.")
        self.text.value = value


def _value_html(value: Any, labels: dict[str, str] | None = None) -> str:
    """A saved answer as escaped HTML: a list as a numbered list, a dict as a two-column
    table, a text with its line breaks, a number in Russian format, no answer as «—»."""
    from cxlab import fmt

    if value is None or value == "" or value == [] or value == {}:
        return "<p>—</p>"
    if isinstance(value, str):
        return "<p>" + html.escape(value).replace("\n", "<br>") + "</p>"
    if isinstance(value, bool):
        return f"<p>{'да' if value else 'нет'}</p>"
    if isinstance(value, int | float):
        return f"<p>{html.escape(fmt.number(value))}</p>"
    labels = labels or {}
    if isinstance(value, list):
        items = "".join(f"<li>{_value_html(item, labels)}</li>" for item in value)
        return f"<ol>{items}</ol>"
    if isinstance(value, dict):
        rows = "".join(
            f"<tr><th>{html.escape(labels.get(str(k), str(k)))}</th>"
            f"<td>{_value_html(v, labels)}</td></tr>"
            for k, v in value.items()
        )
        return f"<table>{rows}</table>"
    return f"<p>{html.escape(str(value))}</p>"


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
