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

from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget, html_part, shared, vbox

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


class Quiz(StoredWidget):
    """Displays questions with a «Проверить» button each; feedback appears at once.

    With ``store`` and ``qid`` the learner's choices (and which questions were checked) are
    saved as ``[{"response": …, "checked": bool}, …]`` and come back after a restart, with
    their feedback. Without them the quiz saves nothing (a lecture's warm-up).
    """

    def __init__(
        self,
        questions: Sequence[dict[str, Any]],
        *,
        title: str = "Самопроверка",
        store: AnswerStore | None = None,
        qid: str | None = None,
    ):
        super().__init__(store, qid)
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.questions = [Question.from_dict(q) for q in questions]
        self.inputs: list[w.Widget] = []
        self.feedback: list[w.HTML] = []
        self.checked: list[bool] = [False] * len(self.questions)
        blocks: list[w.Widget] = [html_part(f"<h4>{html.escape(title)}</h4>")]
        for number, q in enumerate(self.questions, 1):
            control = self._control(q, number)
            for part in control.children if q.kind == "multiple" else (control,):
                # a changed answer needs a new check: the old verdict would mislead
                part.observe(lambda _c, i=number - 1: self._unchecked(i), names="value")
                part.observe(self._changed, names="value")
            note = html_part()
            button = w.Button(
                description="Проверить",
                button_style="info",
                tooltip=f"Проверить ответ {number}",
                layout=shared(w.Layout),
                style=shared(w.ButtonStyle),
            )
            button.on_click(lambda _b, i=number - 1: self.check(i))
            self.inputs.append(control)
            self.feedback.append(note)
            heading = html_part(f"<b>{number}. {html.escape(q.text)}</b>")
            blocks.append(vbox([heading, control, button, note]))
        blocks.append(self.status)
        self.box = vbox(blocks)
        self._restore()

    @staticmethod
    def _control(q: Question, number: int) -> w.Widget:
        name = f"Ответ на вопрос {number}"
        if q.kind == "single":
            return w.RadioButtons(
                options=list(q.options), value=None, tooltip=name, layout={"width": "auto"}
            )
        if q.kind == "multiple":
            box = vbox(
                [
                    w.Checkbox(description=o, indent=False, layout={"width": "auto"})
                    for o in q.options
                ]
            )
            box.add_class("cxlab-quiz-multiple")  # the browser test finds the options by it
            return box
        return w.Text(placeholder="число", tooltip=name, continuous_update=False)

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
        if right is not None and not self.checked[index]:
            self.checked[index] = True
            self._changed()
        return right

    def _unchecked(self, index: int) -> None:
        if not self._loading and self.checked[index]:
            self.checked[index] = False
            self.feedback[index].value = ""

    def _snapshot(self) -> str:
        items = []
        for i, q in enumerate(self.questions):
            response = self.response(i)
            if q.kind == "single":
                shown = "—" if response is None else q.options[response]
            elif q.kind == "multiple":
                shown = "; ".join(q.options[k] for k in response) or "—"
            else:
                shown = response or "—"
            checked = " (проверено)" if self.checked[i] else ""
            items.append(
                f"<li><b>{html.escape(q.text)}</b><br>Ответ: {html.escape(shown)}{checked}</li>"
            )
        return f"<ol>{''.join(items)}</ol>"

    def _read_ui(self) -> list[dict[str, Any]]:
        out = []
        for i, q in enumerate(self.questions):
            response = self.response(i)
            out.append(
                {
                    "response": list(response) if q.kind == "multiple" else response,
                    "checked": self.checked[i],
                }
            )
        return out

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, list) or len(value) != len(self.questions):
            raise AnswerError("Ответы теста сохраняются как список по числу вопросов.")
        responses = []  # check everything before changing anything
        for i, (q, entry) in enumerate(zip(self.questions, value, strict=True)):
            if not isinstance(entry, dict):
                raise AnswerError(f"Вопрос {i + 1}: ответ сохранён в неверном виде.")
            responses.append(self._check_response(q, entry.get("response"), i + 1))
        for i, (q, response) in enumerate(zip(self.questions, responses, strict=True)):
            self._set_response(q, self.inputs[i], response)
        for i, entry in enumerate(value):
            self.checked[i] = bool(entry.get("checked"))
            if self.checked[i]:
                self.check(i)
            else:
                self.feedback[i].value = ""

    @staticmethod
    def _check_response(q: Question, response: Any, number: int) -> Any:
        """Return a saved response as the control takes it, or raise AnswerError."""
        bad = AnswerError(f"Вопрос {number}: сохранённый ответ не подходит к вопросу.")
        if q.kind == "single":
            if response is not None and (
                isinstance(response, bool)
                or not isinstance(response, int)
                or not 0 <= response < len(q.options)
            ):
                raise bad
            return response
        if q.kind == "multiple":
            chosen = response or []
            if not isinstance(chosen, list) or any(
                isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(q.options)
                for i in chosen
            ):
                raise bad
            return chosen
        if response is not None and not isinstance(response, str):
            raise bad
        return response or ""

    @staticmethod
    def _set_response(q: Question, control: w.Widget, response: Any) -> None:
        if q.kind == "single":
            control.index = response
        elif q.kind == "multiple":
            for i, box in enumerate(control.children):
                box.value = i in response
        else:
            control.value = response
