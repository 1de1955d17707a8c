"""Testing: the SUS questionnaire (0–100 score) and the usability test-session logger."""

from __future__ import annotations

import html
import statistics
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from cxlab import fmt
from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget, html_part, vbox
from cxlab.widgets.table import Field, TableEditor

__all__ = ["OUTCOMES", "SUS_ITEMS", "SUSQuestionnaire", "TestSessionLog", "sus_score"]

# The ten standard SUS statements (Brooke, 1986) in the wording of lecture 07; odd items are
# positive, even items negative.
SUS_ITEMS = (
    "Думаю, что я хотел(а) бы пользоваться этой системой регулярно.",
    "Система показалась мне неоправданно сложной.",
    "Мне было легко пользоваться этой системой.",
    "Думаю, чтобы пользоваться этой системой, мне понадобилась бы помощь специалиста.",
    "Различные функции этой системы, на мой взгляд, хорошо связаны между собой.",
    "На мой взгляд, в этой системе слишком много несогласованности.",
    "Думаю, большинство людей очень быстро научились бы пользоваться этой системой.",
    "Пользоваться этой системой, на мой взгляд, очень неудобно.",
    "Пользуясь этой системой, я чувствовал(а) себя уверенно.",
    "Мне пришлось многому научиться, прежде чем я смог(ла) пользоваться этой системой.",
)
_SCALE = (
    ("1 — совершенно не согласен", 1),
    ("2", 2),
    ("3", 3),
    ("4", 4),
    ("5 — полностью согласен", 5),
)


def sus_score(responses: Sequence[int | None]) -> float | None:
    """The SUS score (0–100) of one questionnaire, or None until all ten items are answered."""
    if len(responses) != 10:
        raise ValueError("SUS has exactly 10 items")
    if any(r is None for r in responses):
        return None
    if any(isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= 5 for r in responses):
        raise ValueError("SUS responses are integers 1-5")
    odd = sum(r - 1 for r in responses[0::2])
    even = sum(5 - r for r in responses[1::2])
    return (odd + even) * 2.5


def _sus_words(score: float) -> str:
    """A plain-language reading of a SUS score (68 is the usual average)."""
    if score >= 80.3:
        return "отличное удобство — выше, чем у большинства систем"
    if score >= 68:
        return "выше среднего (средний балл SUS около 68)"
    if score >= 51:
        return "ниже среднего: есть заметные проблемы удобства"
    return "плохое удобство: решение нужно серьёзно дорабатывать"


class SUSQuestionnaire(StoredWidget):
    """The System Usability Scale: ten statements rated 1–5, the score 0–100 shown at once.

    ``product`` replaces the word «система» in the title only (the statements keep the
    standard wording so that scores stay comparable). The answer is a list of ten ratings,
    None where not yet answered.
    """

    def __init__(
        self, store: AnswerStore | None, qid: str | None, *, product: str = "систему"
    ) -> None:
        super().__init__(store, qid)
        self.items: list[w.ToggleButtons] = []
        rows = []
        for number, text in enumerate(SUS_ITEMS, 1):
            buttons = w.ToggleButtons(
                options=[str(v) for _label, v in _SCALE],
                value=None,
                tooltip=f"Утверждение {number}",
                tooltips=[label for label, _v in _SCALE],
                style={"button_width": "3em"},
            )
            buttons.observe(self._changed, names="value")
            self.items.append(buttons)
            rows.append(vbox([html_part(f"{number}. {html.escape(text)}"), buttons]))
        self.result = html_part()
        title = f"Анкета SUS: оцените {html.escape(product)}"
        scale = "1 — совершенно не согласен, 5 — полностью согласен"
        self.box = vbox(
            [html_part(f"<h4>{title}</h4><small>{scale}</small>"), *rows, self.status, self.result]
        )
        self._restore()

    def _read_ui(self) -> list[int | None]:
        return [None if b.value is None else int(b.value) for b in self.items]

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, list) or len(value) != 10:
            raise AnswerError("Ответы SUS сохраняются как список из десяти оценок.")
        for number, v in enumerate(value, 1):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5):
                raise AnswerError(f"Утверждение {number}: оценка должна быть от 1 до 5.")
        for buttons, v in zip(self.items, value, strict=True):
            buttons.value = None if v is None else str(v)

    def score(self) -> float | None:
        """The SUS score, or None while some statement is unanswered."""
        return sus_score(self._read_ui())

    def _update_view(self) -> None:
        missing = [str(i) for i, v in enumerate(self._read_ui(), 1) if v is None]
        score = self.score()
        if score is None:
            self.result.value = (
                f"<p style='color:#555'>Осталось ответить: {', '.join(missing)}.</p>"
            )
        else:
            shown = fmt.number(score, 1)
            self.result.value = (
                f"<p><b>Балл SUS: {shown} из 100</b> — {html.escape(_sus_words(score))}.</p>"
            )


OUTCOMES = (("успех", "success"), ("с подсказкой", "assisted"), ("неудача", "fail"))


class TestSessionLog(TableEditor):
    """A usability test log: one row per participant and task — outcome, time on task,
    errors, notes — with success rate and median time per task.

    Success rate counts only «успех» (done without help); «с подсказкой» is shown apart.
    The answer is a list of rows with keys ``participant, task, outcome, seconds, errors,
    notes``.
    """

    __test__ = False  # not a pytest test class, despite the name

    ADD_LABEL = "Добавить попытку"
    ROW_LABEL = "Попытка"
    MAX_ROWS = 400

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        tasks: Sequence[str],
        *,
        title: str = "Журнал тестирования",
    ) -> None:
        self.tasks = tuple(str(t).strip() for t in tasks)
        if not self.tasks or any(not t for t in self.tasks) or len(set(self.tasks)) != len(tasks):
            raise ValueError("tasks: give at least one non-empty, unique task")
        fields = (
            Field("participant", "Участник", width="7em", placeholder="P01"),
            Field(
                "task",
                "Задание",
                kind="choice",
                options=tuple((t, t) for t in self.tasks),
                width="20em",
            ),
            Field("outcome", "Результат", kind="choice", options=OUTCOMES, width="10em"),
            Field("seconds", "Время, с", kind="int", minimum=0, maximum=36_000, width="7em"),
            Field("errors", "Ошибок", kind="int", minimum=0, maximum=1000, width="6em"),
            Field("notes", "Наблюдения", width="18em", placeholder="Где затруднился, что сказал"),
        )
        super().__init__(store, qid, title=title, fields=fields)
        self.summary = html_part()
        self.extra.children = [self.summary]
        self._build()

    def task_summary(self) -> dict[str, dict[str, float]]:
        """Per task: attempts, success rate (0–1), assisted share and median seconds."""
        out: dict[str, dict[str, float]] = {}
        rows = self._read_ui()
        for task in self.tasks:
            mine = [r for r in rows if r["task"] == task]
            if not mine:
                continue
            n = len(mine)
            out[task] = {
                "attempts": n,
                "success_rate": sum(r["outcome"] == "success" for r in mine) / n,
                "assisted_rate": sum(r["outcome"] == "assisted" for r in mine) / n,
                "median_seconds": float(statistics.median(r["seconds"] for r in mine)),
            }
        return out

    def _update_view(self) -> None:
        super()._update_view()
        summary = self.task_summary()
        if not summary:
            self.summary.value = "<p style='color:#555'>Пока нет записей.</p>"
            return

        rows = "".join(
            f"<tr><td>{html.escape(t)}</td><td>{fmt.number(s['attempts'], 0)}</td>"
            f"<td>{fmt.share(s['success_rate'], 0)}</td>"
            f"<td>{fmt.share(s['assisted_rate'], 0)}</td>"
            f"<td>{fmt.number(s['median_seconds'], 0)}</td></tr>"
            for t, s in summary.items()
        )
        self.summary.value = (
            "<table><tr><th>Задание</th><th>Попыток</th><th>Успех</th><th>С подсказкой</th>"
            f"<th>Медиана времени, с</th></tr>{rows}</table>"
            "<p><small>При малом числе участников один человек меняет долю успеха на много "
            "процентных пунктов: смотрите на проблемы, а не на точные проценты.</small></p>"
        )
