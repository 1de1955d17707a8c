"""A self-check quiz with instant explanations. It teaches; it never grades.

Questions are plain dicts, so a lecture notebook reads like a list of questions::

    Quiz([
        {"kind": "single", "text": "…?", "options": ["а", "б"], "answer": 1,
         "explanation": "…"},
        {"kind": "multiple", "text": "…?", "options": [...], "answer": [0, 2],
         "explanation": "…"},
        {"kind": "numeric", "text": "…?", "answer": 3.0, "tolerance": 0.1,
         "explanation": "…"},
    ])
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

__all__ = ["Question", "Quiz"]


@dataclass(frozen=True)
class Question:
    """One self-check question, validated on creation."""

    kind: str
    text: str
    explanation: str
    answer: Any
    options: tuple[str, ...] = ()
    tolerance: float = 0.0

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> Question:
        kind = spec.get("kind", "single")
        options = tuple(spec.get("options", ()))
        q = cls(
            kind=kind,
            text=spec["text"],
            explanation=spec.get("explanation", ""),
            answer=spec["answer"],
            options=options,
            tolerance=float(spec.get("tolerance", 0.0)),
        )
        q._validate()
        return q

    def _validate(self) -> None:
        if self.kind == "single":
            ok = isinstance(self.answer, int) and 0 <= self.answer < len(self.options)
        elif self.kind == "multiple":
            ok = isinstance(self.answer, list | tuple) and all(
                isinstance(i, int) and 0 <= i < len(self.options) for i in self.answer
            )
        elif self.kind == "numeric":
            ok = isinstance(self.answer, int | float) and math.isfinite(self.answer)
        else:
            raise ValueError(f"unknown question kind {self.kind!r}")
        if not ok:
            raise ValueError(f"answer {self.answer!r} does not fit question {self.text!r}")

    def check(self, response: Any) -> tuple[bool | None, str]:
        """Judge a response: (True/False, Russian feedback), or (None, a hint) if empty."""
        if response is None or (isinstance(response, str | tuple | list) and len(response) == 0):
            return None, "Сначала выберите или введите ответ."
        if self.kind == "single":
            right = response == self.answer
        elif self.kind == "multiple":
            right = set(response) == set(self.answer)
        else:
            try:
                number = float(str(response).replace(",", ".").replace(" ", ""))
            except ValueError:
                return None, "Введите число (дробную часть можно отделить запятой)."
            right = math.isclose(number, float(self.answer), abs_tol=(self.tolerance or 0) + 1e-9)
        verdict = "Верно." if right else "Пока неверно."
        return right, f"{verdict} {self.explanation}".strip()


class Quiz:
    """Displays questions with a «Проверить» button each; feedback appears at once."""

    def __init__(self, questions: Sequence[dict[str, Any]], *, title: str = "Самопроверка"):
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.questions = [Question.from_dict(q) for q in questions]
        self.inputs: list[w.Widget] = []
        self.feedback: list[w.HTML] = []
        blocks: list[w.Widget] = [w.HTML(f"<h4>{html.escape(title)}</h4>")]
        for number, q in enumerate(self.questions, 1):
            control = self._control(q)
            note = w.HTML()
            button = w.Button(description="Проверить", button_style="info")
            button.on_click(lambda _b, i=number - 1: self.check(i))
            self.inputs.append(control)
            self.feedback.append(note)
            heading = w.HTML(f"<b>{number}. {html.escape(q.text)}</b>")
            blocks.append(w.VBox([heading, control, button, note]))
        self.box = w.VBox(blocks)

    @staticmethod
    def _control(q: Question) -> w.Widget:
        if q.kind == "single":
            return w.RadioButtons(options=list(q.options), value=None, layout={"width": "auto"})
        if q.kind == "multiple":
            return w.VBox([w.Checkbox(description=o, indent=False) for o in q.options])
        return w.Text(placeholder="число")

    def response(self, index: int) -> Any:
        """Return what the learner has chosen or typed for question ``index``."""
        q, control = self.questions[index], self.inputs[index]
        if q.kind == "single":
            return control.index
        if q.kind == "multiple":
            return tuple(i for i, box in enumerate(control.children) if box.value)
        return control.value.strip()

    def check(self, index: int) -> bool | None:
        """Show feedback for question ``index`` and return whether it is right."""
        right, text = self.questions[index].check(self.response(index))
        color = {True: "#1b5e20", False: "#b71c1c", None: "#555"}[right]
        self.feedback[index].value = f'<span style="color:{color}">{html.escape(text)}</span>'
        return right

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)
