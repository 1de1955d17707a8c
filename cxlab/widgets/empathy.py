"""Empathy-stage tools: the interview guide, the empathy map, the persona card, the customer
journey map builder, and sorting observations into categories."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle

from cxlab.answers import AnswerError, AnswerStore
from cxlab.feedback import QUESTION_KINDS, classify_question, question_feedback
from cxlab.widgets.base import StoredWidget, _show_figure, hbox, html_part, shared, vbox
from cxlab.widgets.table import Field, TableEditor

__all__ = [
    "EMOTIONS",
    "EMPATHY_QUADRANTS",
    "PERSONA_FIELDS",
    "CategorySort",
    "EmpathyMap",
    "InterviewGuide",
    "JourneyMapBuilder",
    "PersonaCard",
]

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

    SNAPSHOT_LABELS: ClassVar[dict[str, str]] = EMPATHY_QUADRANTS

    def __init__(self, store: AnswerStore, qid: str, *, persona: str = "") -> None:
        super().__init__(store, qid)
        self.areas: dict[str, w.Textarea] = {}
        cells = []
        for key, title in EMPATHY_QUADRANTS.items():
            area = w.Textarea(
                placeholder=_HINTS[key],
                tooltip=title,
                rows=5,
                continuous_update=False,
                layout=w.Layout(width="98%"),
                description_allow_html=False,
            )
            area.observe(self._changed, names="value")
            self.areas[key] = area
            cells.append(vbox([html_part(f"<b>{title}</b>"), area]))
        header = f"Карта эмпатии: {html.escape(persona)}" if persona else "Карта эмпатии"
        grid = w.GridBox(cells, layout=w.Layout(grid_template_columns="1fr 1fr"))
        self.box = vbox([html_part(f"<h4>{header}</h4>"), grid, self.status])
        self._restore()

    def _read_ui(self) -> dict[str, str]:
        return {key: area.value for key, area in self.areas.items()}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise AnswerError("Карта эмпатии сохраняется как словарь из четырёх частей.")
        bad = [k for k in self.areas if not isinstance(value.get(k, ""), str)]
        if bad:
            raise AnswerError(
                f"Часть «{EMPATHY_QUADRANTS[bad[0]]}» карты эмпатии должна быть текстом."
            )
        for key, area in self.areas.items():
            area.value = value.get(key, "")

    def filled(self) -> list[str]:
        """Return the quadrants that have some text."""
        return [key for key, area in self.areas.items() if area.value.strip()]


class CategorySort(StoredWidget):
    """Sort items into categories with one dropdown per item.

    The answer is ``{item key: category key}`` for the items the learner has sorted; an
    unsorted item is absent.

    ``key`` (``{item key: right category key}``) makes the task formative: a «Проверить»
    button marks each item right or wrong, names the right category and shows the item's
    ``explanations`` text, and the marks follow later changes. Without ``key`` (graded
    tasks in the exercises) the widget says nothing about right and wrong.
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
        key: Mapping[str, str] | None = None,
        explanations: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(store, qid)
        if not items:
            raise ValueError("CategorySort needs at least one item")
        cats = dict(categories) if isinstance(categories, Mapping) else {c: c for c in categories}
        self.categories = cats
        self.items = dict(items)
        self.key = dict(key or {})
        self.explanations = dict(explanations or {})
        if set(self.key) - set(items) or set(self.key.values()) - set(cats):
            raise ValueError("key: every item must be one of items, every value a category")
        if self.key and set(self.key) != set(items):
            raise ValueError("key: give the right category of every item")
        options = [(self._EMPTY, "")] + [(label, key) for key, label in cats.items()]
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.marks: dict[str, w.HTML] = {}
        self.checked = False
        rows = []
        for item, text in items.items():
            dd = w.Dropdown(
                options=options,
                value="",
                tooltip=text,
                layout=shared(w.Layout, width="14em"),
                style=shared(DescriptionStyle),
            )
            dd.observe(self._changed, names="value")
            self.dropdowns[item] = dd
            label = html_part(html.escape(text), flex="1 1 20em")
            row = hbox([dd, label], align_items="center")
            if self.key:
                self.marks[item] = html_part(margin="0 0 0.5em 14.5em")
                row = vbox([row, self.marks[item]])
            rows.append(row)
        head = [html_part(f"<b>{html.escape(title)}</b>")] if title else []
        self.result = html_part()
        tail: list[w.Widget] = []
        if self.key:
            self.check_button = w.Button(
                description="Проверить",
                button_style="info",
                tooltip="Проверить, верно ли распределены утверждения",
            )
            self.check_button.on_click(lambda _b: self.check())
            tail = [self.check_button, self.result]
        self.box = vbox([*head, *rows, *tail, self.status])
        self._restore()

    def _read_ui(self) -> dict[str, str]:
        return {key: dd.value for key, dd in self.dropdowns.items() if dd.value}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise AnswerError("Ответ сохраняется как словарь «элемент → категория».")
        unknown = [
            v for v in value.values() if v and (not isinstance(v, str) or v not in self.categories)
        ]
        if unknown:
            raise AnswerError(f"Неизвестная категория: {unknown[0]}.")
        for key, dd in self.dropdowns.items():
            dd.value = value.get(key, "") or ""

    def _snapshot(self) -> str:
        chosen = self._read_ui()
        rows = "".join(
            f"<tr><td>{html.escape(text)}</td>"
            f"<td>{html.escape(self.categories.get(chosen.get(key, ''), '—'))}</td></tr>"
            for key, text in self.items.items()
        )
        return f"<table><tr><th>Утверждение</th><th>Категория</th></tr>{rows}</table>"

    def check(self) -> int | None:
        """Mark every item right or wrong (with the right category and why) and return the
        number of right ones; None if the task has no key (a graded task stays silent)."""
        if not self.key:
            return None
        self.checked = True
        chosen = self._read_ui()
        right = 0
        for item, mark in self.marks.items():
            correct = self.key[item]
            why = html.escape(self.explanations.get(item, ""))
            if item not in chosen:
                mark.value = "<span style='color:#555'>Выберите категорию.</span>"
            elif chosen[item] == correct:
                right += 1
                mark.value = f"<span style='color:#1b5e20'>✔ Верно.</span> {why}"
            else:
                name = html.escape(self.categories[correct])
                mark.value = f"<span style='color:#b71c1c'>✖ Правильно: «{name}».</span> {why}"
        missing = len(self.key) - len(chosen)
        text = f"Верно: {right} из {len(self.key)}."
        if missing:
            text += f" Не выбрано: {missing}."
        color = "#1b5e20" if right == len(self.key) else "#8d4e00"
        self.result.value = f"<p style='color:{color}'><b>{text}</b></p>"
        return right

    def _update_view(self) -> None:
        if self.checked:  # after the first check the marks follow every change
            self.check()


# -- the interview guide -------------------------------------------------------------------

_KIND_STYLE = {
    "open": ("✔", "#1b5e20"),
    "closed": ("⚠", "#8d6e00"),
    "leading": ("✖", "#b71c1c"),
}


class InterviewGuide(TableEditor):
    """An interview guide: one question per row, each judged at once (open / closed /
    leading) by :func:`cxlab.feedback.classify_question`. The feedback teaches; it is never
    a grade.

    The answer is ``[{"question": …}, …]``.
    """

    FIELDS = (
        Field(
            "question",
            "Вопрос",
            width="34em",
            placeholder="Например: Расскажите, как вы получали справку в последний раз",
        ),
    )
    ADD_LABEL = "Добавить вопрос"
    ROW_LABEL = "Вопрос"
    MAX_ROWS = 60

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        *,
        title: str = "Гайд интервью",
        questions: Sequence[str] = (),
    ) -> None:
        super().__init__(store, qid, title=title, rows=[{"question": q} for q in questions])
        self.summary = html_part()
        self.extra.children = [self.summary]
        self._build()

    def questions(self) -> list[str]:
        """The non-empty questions, in order."""
        return [row["question"].strip() for row in self._read_ui() if row["question"].strip()]

    def kinds(self) -> list[str | None]:
        """The verdict for every row (None for an empty row)."""
        out: list[str | None] = []
        for row in self._read_ui():
            text = row["question"]
            out.append(classify_question(text) if re.search(r"[^\W\d_]", text) else None)
        return out

    def _row_note(self, row: dict[str, Any]) -> str:
        text = row["question"]
        if not text.strip():
            return '<span style="color:#555">Пустая строка: напишите вопрос.</span>'
        if not re.search(r"[^\W\d_]", text):
            return '<span style="color:#555">Напишите вопрос словами.</span>'
        kind, advice = question_feedback(text)
        mark, color = _KIND_STYLE[kind]
        name = QUESTION_KINDS[kind]
        return (
            f'<span style="color:{color}" title="{html.escape(advice)}">{mark} {name}</span>'
            f'<br><small style="color:#555">{html.escape(advice.split(":", 1)[1].strip())}</small>'
        )

    def _update_view(self) -> None:
        super()._update_view()
        kinds = [k for k in self.kinds() if k is not None]
        if not kinds:
            self.summary.value = ""
            return
        counts = {k: kinds.count(k) for k in QUESTION_KINDS}
        parts = ", ".join(f"{QUESTION_KINDS[k]}: {n}" for k, n in counts.items())
        share = counts["open"] / len(kinds)
        verdict = (
            "Гайд опирается на открытые вопросы — хорошо."
            if share >= 0.7 and counts["leading"] == 0
            else "Сделайте большинство вопросов открытыми и уберите наводящие."
        )
        self.summary.value = (
            f"<p>Вопросов: {len(kinds)} ({parts}). {html.escape(verdict)} "
            "<small>Оценка автоматическая и может ошибаться: это подсказка, не отметка.</small></p>"
        )


# -- the persona card ----------------------------------------------------------------------

PERSONA_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("Имя", "Условное имя, например: Ольга"),
    "age": ("Возраст", "Например: 45 лет"),
    "occupation": ("Занятие", "Например: продавец, ездит в город из района"),
    "context": ("Ситуация", "Почему и когда ему нужна услуга, откуда он едет, с кем"),
    "goals": ("Цели", "Чего он хочет добиться"),
    "pains": ("Боли", "Что ему мешает, чего он боится"),
    "behaviour": ("Поведение", "Как он обычно действует: звонит, идёт лично, просит детей"),
    "quote": ("Цитата", "Его слова из интервью, дословно"),
}
_PERSONA_MULTILINE = {"context", "goals", "pains", "behaviour", "quote"}


class PersonaCard(StoredWidget):
    """A persona card: a form, a preview card, and a list of what is still empty.

    The answer is ``{"name": …, "age": …, …}`` (all text, keys of ``PERSONA_FIELDS``).
    """

    SNAPSHOT_LABELS: ClassVar[dict[str, str]] = {
        key: label for key, (label, _hint) in PERSONA_FIELDS.items()
    }

    def __init__(self, store: AnswerStore | None, qid: str | None, *, title: str = "") -> None:
        super().__init__(store, qid)
        self.inputs: dict[str, w.Widget] = {}
        rows = []
        for key, (label, hint) in PERSONA_FIELDS.items():
            if key in _PERSONA_MULTILINE:
                control = w.Textarea(
                    placeholder=hint, tooltip=label, rows=2, continuous_update=False
                )
            else:
                control = w.Text(placeholder=hint, tooltip=label, continuous_update=False)
            control.layout = w.Layout(width="96%")  # 100% plus margins overflows the column
            control.observe(self._changed, names="value")
            self.inputs[key] = control
            rows.append(vbox([html_part(f"<b>{label}</b>"), control]))
        self.preview = html_part()
        self.missing = html_part()
        head = f"<h4>{html.escape(title or 'Персона')}</h4>"
        form = vbox(rows, width="55%")
        card = vbox([self.preview], width="43%", margin="0 0 0 2%")
        self.box = vbox([html_part(head), hbox([form, card]), self.missing, self.status])
        self._restore()

    def _read_ui(self) -> dict[str, str]:
        return {key: control.value for key, control in self.inputs.items()}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise AnswerError("Персона сохраняется как словарь полей (имя, возраст, …).")
        bad = [k for k, v in value.items() if k in self.inputs and not isinstance(v, str)]
        if bad:
            raise AnswerError(f"Поле «{PERSONA_FIELDS[bad[0]][0]}» должно быть текстом.")
        for key, control in self.inputs.items():
            control.value = value.get(key, "")

    def empty_fields(self) -> list[str]:
        """Keys of the fields that are still empty."""
        return [key for key, control in self.inputs.items() if not control.value.strip()]

    def _update_view(self) -> None:
        v = {k: html.escape(s.strip()) for k, s in self._read_ui().items()}
        who = ", ".join(part for part in (v["age"], v["occupation"]) if part)
        lines = [
            f"<h3 style='margin:0'>{v['name'] or '…'}</h3>",
            f"<p style='color:#555;margin:0'>{who}</p>",
        ]
        if v["quote"]:
            lines.append(f"<blockquote style='font-style:italic'>«{v['quote']}»</blockquote>")
        for key in ("context", "goals", "pains", "behaviour"):
            if v[key]:
                text = v[key].replace("\n", "<br>")
                lines.append(f"<p><b>{PERSONA_FIELDS[key][0]}:</b> {text}</p>")
        self.preview.value = (
            "<div style='border:1px solid #90a4ae;border-radius:8px;padding:10px'>"
            + "".join(lines)
            + "</div>"
        )
        empty = [PERSONA_FIELDS[k][0].lower() for k in self.empty_fields()]
        self.missing.value = (
            f"<span style='color:#8d6e00'>Не заполнено: {', '.join(empty)}.</span>"
            if empty
            else "<span style='color:#1b5e20'>Все поля заполнены.</span>"
        )


# -- the customer journey map builder ------------------------------------------------------

EMOTIONS = (
    ("−2 очень плохо", -2),
    ("−1 плохо", -1),
    ("0 нейтрально", 0),
    ("+1 хорошо", 1),
    ("+2 отлично", 2),
)


class JourneyMapBuilder(TableEditor):
    """A customer journey map: steps with their stage, touchpoint, emotion and pain, and the
    emotion curve drawn from them (pains marked red).

    The answer is ``[{"day", "stage", "step", "touchpoint", "emotion", "pain"}, …]``.
    ``start_from`` names a dataset (``"belgorod_journey_as_is"``) whose steps fill an empty
    map, so a learner can start from the case and change it.
    """

    FIELDS = (
        Field("day", "День", kind="int", minimum=1, maximum=60, width="5em"),
        Field("stage", "Этап", kind="combo", width="10em", placeholder="Подготовка"),
        Field("step", "Шаг", width="16em", placeholder="Что делает заявитель"),
        Field("touchpoint", "Точка контакта", width="12em", placeholder="Окно, сайт, врач"),
        Field("emotion", "Эмоция", kind="choice", options=EMOTIONS, default=0, width="10em"),
        Field("pain", "Боль (если есть)", width="14em", placeholder="Что мешает"),
    )
    ADD_LABEL = "Добавить шаг"
    ROW_LABEL = "Шаг"
    MAX_ROWS = 80

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        *,
        title: str = "Карта пути клиента",
        start_from: str | None = None,
    ) -> None:
        rows: list[dict[str, Any]] = []
        if start_from:
            from cxlab import data

            frame = data.load(start_from)
            rows = [
                {
                    "day": int(r.day),
                    "stage": str(r.stage),
                    "step": str(r.step),
                    "touchpoint": str(r.touchpoint),
                    "emotion": int(r.emotion),
                    "pain": "" if r.pain is None or r.pain != r.pain else str(r.pain),
                }
                for r in frame.itertuples()
            ]
        super().__init__(store, qid, title=title, rows=rows)
        self.summary = html_part()
        self.chart = w.Output()
        self.extra.children = [self.summary, self.chart]
        self._build()

    def _new_row(self) -> dict[str, Any]:
        return self._last_day()

    def frame(self) -> Any:
        """The map as a pandas DataFrame (steps with an empty name left out)."""
        import pandas as pd

        rows = [r for r in self._read_ui() if r["step"].strip()]
        df = pd.DataFrame(rows, columns=[f.key for f in self.fields])
        df["pain"] = df["pain"].where(df["pain"].str.strip() != "")
        return df

    def figure(self) -> Any:
        """Draw the emotion curve and return the matplotlib Figure (None if no steps)."""
        import matplotlib.pyplot as plt

        from cxlab import plots

        df = self.frame()
        if df.empty:
            return None
        fig, ax = plt.subplots(figsize=(11, 4.5), layout="constrained")
        plots.emotion_curve(df, title="Кривая эмоций: ваша карта", ax=ax)
        return fig

    def _update_view(self) -> None:
        super()._update_view()
        df = self.frame()
        pains = int(df["pain"].notna().sum())
        self.summary.value = (
            f"<p>Шагов: {len(df)}, из них с «болью»: {pains}, дней: {df['day'].nunique()}.</p>"
        )
        _show_figure(self.chart, self.figure)
