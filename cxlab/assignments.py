"""A Russian assignment panel for learners: list, fetch, check, submit, fetch feedback.

It replaces nbgrader's English «Assignment List» and «Validate» for learners, and is built on
nbgrader's own Python API, not a copy of it: the exchange's ``List``, ``FetchAssignment``,
``Submit`` and ``FetchFeedback`` (whatever exchange the course configures: the filesystem
exchange locally, the hub's per-course exchange, ngshare on Kubernetes) and nbgrader's
``Validator``. Configuration is read as nbgrader's learner tools read it (the Jupyter config
path and ``nbgrader_config.py`` in the working folder), or given as ``config``.

In a notebook::

    from cxlab import assignments
    assignments.panel()
"""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as w

from cxlab import fmt
from cxlab.widgets.base import STYLE

__all__ = ["Assignments", "panel"]

_PROBLEMS = ("не пройдено", "не вписаны", "изменён", "нет тетрадей", "не готов")
STATUS = {
    "released": "можно получить",
    "fetched": "получено, можно выполнять",
    "submitted": "отправлено",
}


def _when(stamp: str | None) -> str:
    """nbgrader's timestamp («2026-12-06 14:05:00.123456 UTC») as «6 декабря 2026, 14:05»."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace(" UTC", "").strip())
    except ValueError:
        return stamp
    if moment.tzinfo is None:  # nbgrader writes UTC; the learner reads the server's time
        moment = moment.replace(tzinfo=dt.UTC).astimezone()
    return f"{fmt.date(moment)}, {moment:%H:%M}"


def _config_from_jupyter(root: Path) -> Any:
    """nbgrader's configuration as its learner tools load it (Jupyter config path, then
    ``nbgrader_config.py`` in ``root``)."""
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.apps import NbGrader

    app = NbGrader()
    app.config_file_paths.append([str(root), *jupyter_config_path()])
    previous = Path.cwd()
    os.chdir(root)
    try:
        app.load_config_file()
    finally:
        os.chdir(previous)
    return app.config


def _explain(exc: Exception) -> str:
    """A Russian reason for an exchange failure (nbgrader's own messages are English)."""
    from nbgrader.exchange import ExchangeError

    if isinstance(exc, ExchangeError):
        return (
            "Папка обмена заданиями недоступна или задание там не найдено. "
            "Сообщите преподавателю; техническая причина: " + str(exc)
        )
    return f"Техническая причина: {exc}"


class Assignments:
    """The learner's side of nbgrader's exchange, with Russian messages.

    ``root`` is the learner's working folder (where assignments are fetched to);
    ``config`` a traitlets Config (default: read the way nbgrader's learner tools read it).
    """

    def __init__(self, root: str | os.PathLike[str] | None = None, config: Any = None) -> None:
        self.root = Path(root or Path.cwd()).resolve()
        self._config = config

    def config(self, assignment: str | None = None, course: str | None = None) -> Any:
        from traitlets.config import Config

        config = Config(self._config) if self._config is not None else None
        if config is None:
            config = _config_from_jupyter(self.root)
        config.Exchange.assignment_dir = str(self.root)
        if course:
            config.CourseDirectory.course_id = course
        if assignment:
            config.CourseDirectory.assignment_id = assignment
        return config

    def _step(self, kind: str, assignment: str | None = None, course: str | None = None, **kw):
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory

        config = self.config(assignment, course)
        for key, value in kw.items():
            setattr(config[f"Exchange{kind}" if kind == "List" else kind], key, value)
        coursedir = CourseDirectory(config=config)
        step = getattr(ExchangeFactory(config=config), kind)(
            coursedir=coursedir, authenticator=Authenticator(config=config), config=config
        )
        return step.start()

    def list(self) -> list[dict[str, Any]]:
        """Every assignment: released or fetched ones, and the submitted ones with their
        submissions and feedback, one dict per (course, assignment)."""
        released = self._step("List")
        submitted = self._step("List", cached=True)
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for item in released:
            out[(item["course_id"], item["assignment_id"])] = {**item, "submissions": []}
        for item in submitted:
            key = (item["course_id"], item["assignment_id"])
            entry = out.setdefault(key, {**item, "status": "submitted"})
            entry["submissions"] = sorted(item["submissions"], key=lambda s: s["timestamp"])
        return [out[key] for key in sorted(out)]

    def fetch(self, course: str, assignment: str) -> Path:
        self._step("FetchAssignment", assignment, course)
        return self.folder(course, assignment)

    def submit(self, course: str, assignment: str) -> None:
        self._step("Submit", assignment, course)

    def fetch_feedback(self, course: str, assignment: str) -> list[Path]:
        self._step("FetchFeedback", assignment, course)
        return sorted(self.folder(course, assignment).glob("feedback/*/*.html"))

    def folder(self, course: str, assignment: str) -> Path:
        config = self.config(assignment, course)
        includes = config.Exchange.get("path_includes_course", False)
        return self.root / course / assignment if includes else self.root / assignment

    def check(self, course: str, assignment: str) -> list[str]:
        """Run nbgrader's validation on every notebook of the fetched assignment and say in
        Russian what it found, one line per notebook."""
        from nbgrader.validator import Validator

        lines = []
        notebooks = sorted(self.folder(course, assignment).glob("*.ipynb"))
        if not notebooks:
            return ["В папке задания нет тетрадей: сначала получите задание."]
        for path in notebooks:
            result = Validator(config=self.config(assignment, course)).validate(str(path))
            if "type_changed" in result:
                lines.append(f"{path.name}: изменён тип ячеек задания; верните исходную тетрадь.")
            elif "changed" in result:
                lines.append(f"{path.name}: ответы ещё не вписаны (ячейки не изменены).")
            elif "failed" in result:
                lines.append(
                    f"{path.name}: не пройдено открытых проверок: {len(result['failed'])}. "
                    "Найдите ячейки с ошибкой и исправьте ответ."
                )
            else:
                lines.append(f"{path.name}: открытые проверки пройдены.")
        return lines


class Panel:
    """The ipywidgets panel over :class:`Assignments` (see :func:`panel`)."""

    def __init__(self, assignments: Assignments, *, load: bool = False) -> None:
        self.assignments = assignments
        self.rows = w.VBox()
        self.message = w.HTML(layout=w.Layout(min_height="1.5em"))
        refresh = w.Button(description="Обновить список", tooltip="Обновить список заданий")
        refresh.on_click(lambda _b: self.refresh())
        self.box = w.VBox(
            [
                w.HTML("<h4>Задания курса</h4>"),
                refresh,
                self.rows,
                self.message,
                w.HTML(STYLE, layout=w.Layout(display="none")),
            ]
        )
        self.box.add_class("cxlab-widget")
        if load:
            self.refresh()
        else:  # the exchange is asked only when the learner wants the list
            self._say("Нажмите «Обновить список», чтобы увидеть выданные вам задания.")

    def _say(self, text: str, *, ok: bool = True) -> None:
        color = "#1b5e20" if ok else "#b71c1c"
        lines = "<br>".join(html.escape(line) for line in text.split("\n"))
        self.message.value = f"<p style='color:{color}'>{lines}</p>"

    def _do(self, action: Any, done: str) -> None:
        try:
            result = action()
        except Exception as exc:  # the exchange's errors are shown, not raised at a learner
            self._say(f"Не получилось. {_explain(exc)}", ok=False)
            return
        if isinstance(result, list):
            text = "\n".join(map(str, result))
            self._say(text, ok=not any(word in text for word in _PROBLEMS))
        else:
            self._say(done)
        self.refresh(keep_message=True)

    def refresh(self, keep_message: bool = False) -> None:
        try:
            items = self.assignments.list()
        except Exception as exc:
            self.rows.children = ()
            self._say(f"Не удалось получить список заданий. {_explain(exc)}", ok=False)
            return
        if not keep_message:
            self.message.value = ""
        self.rows.children = [self._row(item) for item in items] or [
            w.HTML("<p>Заданий пока нет: преподаватель ещё не выдал ни одного.</p>")
        ]

    def _row(self, item: dict[str, Any]) -> w.Widget:
        course, name = item["course_id"], item["assignment_id"]
        status = STATUS.get(item["status"], item["status"])
        submissions = item.get("submissions", [])
        if submissions:
            last = submissions[-1]
            status = f"отправлено {_when(last['timestamp'])}"
            if last.get("has_local_feedback"):
                status += "; отзыв получен"
            elif last.get("has_exchange_feedback"):
                status += "; есть отзыв преподавателя"
        label = w.HTML(
            f"<b>{html.escape(name)}</b> <small>({html.escape(course)})</small><br>"
            f"<span style='color:#333'>{html.escape(status)}</span>",
            layout=w.Layout(flex="1 1 16em"),
        )
        buttons = []

        def button(text: str, tip: str, action: Any, done: str) -> None:
            b = w.Button(description=text, tooltip=f"{tip}: {name}", layout={"width": "auto"})
            b.on_click(lambda _b: self._do(action, done))
            buttons.append(b)

        a = self.assignments
        if item["status"] == "released":
            button("Получить", "Получить задание", lambda: a.fetch(course, name), "Получено.")
        if a.folder(course, name).is_dir():
            button("Проверить", "Проверить тетради задания", lambda: a.check(course, name), "")
            button(
                "Отправить",
                "Отправить задание преподавателю",
                lambda: a.submit(course, name),
                "Отправлено. Отправить ещё раз можно: при сборе берётся последняя отправка.",
            )
        if submissions and submissions[-1].get("has_exchange_feedback"):
            button(
                "Получить отзыв",
                "Получить отзыв преподавателя",
                lambda: (
                    [f"Отзыв: {p.relative_to(a.root)}" for p in a.fetch_feedback(course, name)]
                    or ["Отзыв пока не готов."]
                ),
                "",
            )
        return w.HBox([label, *buttons], layout=w.Layout(flex_flow="row wrap"))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


def panel(
    root: str | os.PathLike[str] | None = None, config: Any = None, *, load: bool = False
) -> Panel:
    """The assignment panel for the learner's folder ``root`` (default: the working
    folder); the list is loaded at once with ``load=True``, else at «Обновить список»."""
    return Panel(Assignments(root, config), load=load)
