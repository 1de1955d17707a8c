"""Problem definition and ideation: the problem statement, «Как мы могли бы…» with format
feedback, and the idea board."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import ipywidgets as w

from cxlab.answers import AnswerError, AnswerStore
from cxlab.feedback import hmw_feedback, insight_is_solution
from cxlab.widgets.base import StoredWidget, html_part, vbox
from cxlab.widgets.table import Field, TableEditor

__all__ = ["PROBLEM_PARTS", "HowMightWe", "IdeaBoard", "ProblemStatement"]

PROBLEM_PARTS: dict[str, tuple[str, str]] = {
    "user": ("Пользователь", "Кто? Например: пожилой водитель из района"),
    "need": ("Нуждается в том, чтобы…", "Чего он хочет добиться? Не решение, а потребность"),
    "insight": ("Потому что… (инсайт)", "Что вы узнали в интервью: настоящая причина"),
}


def _ok(text: str) -> str:
    return f'<span style="color:#1b5e20">✔ {html.escape(text)}</span>'


def _warn(text: str) -> str:
    return f'<span style="color:#8d6e00">⚠ {html.escape(text)}</span>'


class ProblemStatement(StoredWidget):
    """A point-of-view problem statement: user + need + insight, assembled into one sentence.

    The answer is ``{"user": …, "need": …, "insight": …}``.
    """

    SNAPSHOT_LABELS: ClassVar[dict[str, str]] = {
        key: label for key, (label, _hint) in PROBLEM_PARTS.items()
    }

    def __init__(self, store: AnswerStore | None, qid: str | None, *, title: str = "") -> None:
        super().__init__(store, qid)
        self.inputs: dict[str, w.Textarea] = {}
        rows = []
        for key, (label, hint) in PROBLEM_PARTS.items():
            area = w.Textarea(
                placeholder=hint,
                tooltip=label,
                rows=2,
                continuous_update=False,
                layout={"width": "100%"},
            )
            area.observe(self._changed, names="value")
            self.inputs[key] = area
            rows.append(vbox([html_part(f"<b>{label}</b>"), area]))
        self.sentence = html_part()
        self.feedback = html_part()
        head = html_part(f"<h4>{html.escape(title or 'Формулировка проблемы')}</h4>")
        self.box = vbox([head, *rows, self.sentence, self.feedback, self.status])
        self._restore()

    def _read_ui(self) -> dict[str, str]:
        return {key: area.value for key, area in self.inputs.items()}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping) or not all(
            isinstance(value.get(k, ""), str) for k in PROBLEM_PARTS
        ):
            raise AnswerError(
                "Формулировка сохраняется как три текста: пользователь, потребность, инсайт."
            )
        for key, area in self.inputs.items():
            area.value = value.get(key, "")

    def text(self) -> str:
        """The statement as one sentence (empty parts shown as «…»)."""
        v = {k: s.strip().rstrip(".") or "…" for k, s in self._read_ui().items()}
        return f"{v['user']} нуждается в том, чтобы {v['need']}, потому что {v['insight']}."

    def _update_view(self) -> None:
        v = self._read_ui()
        self.sentence.value = f"<p><i>{html.escape(self.text())}</i></p>"
        notes = []
        for key, (label, _hint) in PROBLEM_PARTS.items():
            if not v[key].strip():
                notes.append(_warn(f"Не заполнено: «{label}»."))
        # The need alone: a colon or a comma after the user would be read as an insight and
        # hide the need from the solution check.
        check = hmw_feedback(f"Как мы могли бы {v['need']}")
        if v["need"].strip() and check.solution:
            notes.append(
                _warn("Потребность похожа на готовое решение: чего человек хочет добиться?")
            )
        if insight_is_solution(v["insight"]):
            notes.append(
                _warn(
                    "Инсайт похож на готовое решение: что нужно сделать — это идея для "
                    "следующего этапа. Объясните, почему человеку это важно: что вы узнали "
                    "в интервью о его жизни и трудностях."
                )
            )
        elif v["insight"].strip() and len(v["insight"].split()) < 4:
            notes.append(_warn("Инсайт короткий: объясните причину, которую вы узнали в интервью."))
        self.feedback.value = "<br>".join(notes) or _ok("Все три части на месте.")


class HowMightWe(TableEditor):
    """«Как мы могли бы…» statements, one per row, each checked at once for a user, a need
    and an insight (:func:`cxlab.feedback.hmw_feedback`). The answer is
    ``[{"statement": …}, …]``.
    """

    FIELDS = (
        Field(
            "statement",
            "Как мы могли бы…",
            width="40em",
            placeholder="Как мы могли бы помочь [кому] [сделать что], потому что [инсайт]?",
        ),
    )
    ADD_LABEL = "Добавить формулировку"
    ROW_LABEL = "Формулировка"
    MAX_ROWS = 40

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        *,
        title: str = "Формулировки «Как мы могли бы…»",
        statements: Sequence[str] = (),
    ) -> None:
        rows = [{"statement": s} for s in statements] or [{"statement": ""}]
        super().__init__(store, qid, title=title, rows=rows)
        self._build()

    def statements(self) -> list[str]:
        """The non-empty statements, in order."""
        return [r["statement"].strip() for r in self._read_ui() if r["statement"].strip()]

    def _row_note(self, row: dict[str, Any]) -> str:
        if not row["statement"].strip():
            return ""
        fb = hmw_feedback(row["statement"])
        marks = " ".join(
            f"{'✔' if present else '✖'} {name}"
            for name, present in (
                ("пользователь", fb.user),
                ("потребность", fb.need),
                ("инсайт", fb.insight),
            )
        )
        color = "#1b5e20" if fb.ok else "#8d6e00"
        tips = "<br>".join(html.escape(m) for m in fb.messages)
        return f'<span style="color:{color}">{marks}</span><br><small>{tips}</small>'


class IdeaBoard(TableEditor):
    """An idea board: add ideas, edit them, put them into groups, see the counts.

    The answer is ``[{"idea": …, "group": …}, …]``; the group is free text with the groups
    already used (and ``groups`` given by the notebook) offered as suggestions.
    """

    ADD_LABEL = "Добавить идею"
    ROW_LABEL = "Идея"
    MAX_ROWS = 200

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        *,
        title: str = "Доска идей",
        groups: Sequence[str] = (),
    ) -> None:
        self.groups = tuple(groups)
        fields = (
            Field("idea", "Идея", width="32em", placeholder="Одна идея — одна строка"),
            Field(
                "group",
                "Группа",
                kind="combo",
                options=self.groups,
                width="14em",
                placeholder="Например: запись",
            ),
        )
        super().__init__(store, qid, title=title, fields=fields, rows=[{"idea": ""}])
        self.summary = html_part()
        self.extra.children = [self.summary]
        self._build()

    def ideas(self) -> list[dict[str, str]]:
        """Ideas that have text, with their group («Без группы» if none)."""
        return [
            {"idea": r["idea"].strip(), "group": r["group"].strip() or "Без группы"}
            for r in self._read_ui()
            if r["idea"].strip()
        ]

    def counts(self) -> dict[str, int]:
        """Number of ideas in every group, largest group first."""
        return dict(Counter(i["group"] for i in self.ideas()).most_common())

    def _update_view(self) -> None:
        super()._update_view()
        used = sorted({r["group"].strip() for r in self._read_ui() if r["group"].strip()})
        suggestions = list(dict.fromkeys([*self.groups, *used]))
        self.set_options("group", suggestions)
        counts = self.counts()
        if not counts:
            self.summary.value = "<p>Пока нет идей. Количество важнее качества: пишите всё.</p>"
            return
        items = "".join(f"<li>{html.escape(g)}: {n}</li>" for g, n in counts.items())
        total = sum(counts.values())
        self.summary.value = f"<p>Идей: {total}, групп: {len(counts)}.</p><ul>{items}</ul>"
