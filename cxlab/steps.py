"""Step checks: an instant Russian answer to «is my answer in the right shape?».

A step check stands next to a graded task (in the spirit of Otter-Grader's ``grader.check``).
It runs in the learner's kernel and only looks at the *form* of the answer: is the blank
filled, does the function run, is each value a number in a sensible range, is every item of a
widget answered. It never knows or reveals an expected value, and it never grades: the score
is decided by the hidden tests outside the kernel (``docs/TEST_CELLS.md``).

    from cxlab import steps

    steps.check(
        "Часть 1",
        steps.run(journey_summary, journey),
        steps.Record({"days": steps.Number("число дней", low=1, whole=True), ...}),
    )

``check`` prints the report (never raises, never writes to stderr, so it can stand in a
locked cell that autograde also runs); ``report`` returns it as a :class:`StepReport`.
"""

from __future__ import annotations

import linecache
import numbers
import os
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cxlab import fmt

__all__ = [
    "Answered",
    "Choice",
    "Codes",
    "Failure",
    "Filled",
    "Number",
    "NumberMap",
    "Record",
    "Skipped",
    "StepReport",
    "Text",
    "check",
    "report",
    "run",
]

STUB_MARK = "ВАШ КОД ЗДЕСЬ"
OK, NO = "✔", "✘"


@dataclass(frozen=True)
class Failure:
    """The learner's code did not give an answer; ``reason`` says why, in Russian."""

    reason: str


def _blank_place(exc: BaseException, func: Any) -> str:
    """Where in ``func`` the error happened, as the comment above that line (if any)."""
    code = getattr(func, "__code__", None)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if code is not None and frame.name != code.co_name:
            continue
        comment: list[str] = []
        for back in range(1, 8):
            line = linecache.getline(frame.filename, frame.lineno - back).strip()
            if not line.startswith("#"):
                break
            if STUB_MARK not in line:
                comment.insert(0, line.lstrip("# ").strip())
        return f" Это пропуск под комментарием «{' '.join(comment)}»." if comment else ""
    return ""


def _explain(exc: BaseException, func: Any) -> str:
    """A Russian explanation of the learner's error, naming no expected value."""
    kind = type(exc).__name__
    if isinstance(exc, NotImplementedError):
        return (
            "остался незаполненный пропуск «ВАШ КОД ЗДЕСЬ»: замените строку "
            "`raise NotImplementedError(...)` своим выражением." + _blank_place(exc, func)
        )
    if isinstance(exc, NameError):
        name = getattr(exc, "name", None) or str(exc)
        return (
            f"имя «{name}» не определено. Проверьте, заполнен ли пропуск, где оно задаётся, "
            "нет ли опечатки и запущены ли ячейки выше." + _blank_place(exc, func)
        )
    if isinstance(exc, KeyError):
        return (
            f"в таблице нет столбца или ключа {exc}. Сверьте название с таблицей выше "
            "(регистр букв и кавычки важны)." + _blank_place(exc, func)
        )
    if isinstance(exc, SyntaxError):
        return f"синтаксическая ошибка: {exc.msg}. Проверьте скобки и кавычки."
    return f"ошибка {kind}: {exc}." + _blank_place(exc, func)


@dataclass(frozen=True)
class Skipped:
    """The step check did not run the learner's code (while nbgrader grades or validates)."""


def grading() -> bool:
    """Is nbgrader running the notebook (autograde or validate)? Step checks stand aside then:
    the learner's code is not run once more, and the score comes from the test cells."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def run(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``func`` on copies of tables; a failure becomes a :class:`Failure`.

    While nbgrader grades, the function is not called (:class:`Skipped`)."""
    if grading():
        return Skipped()
    if not callable(func):
        return Failure("это не функция: запустите ячейку с ней ещё раз, не меняя первую строку.")
    args = tuple(a.copy() if hasattr(a, "copy") and hasattr(a, "columns") else a for a in args)
    try:
        return func(*args, **kwargs)
    except Exception as exc:  # the learner's error is explained, not raised
        return Failure(_explain(exc, func))


# -- what an answer should look like ---------------------------------------------------------


class Spec:
    """What one answer (or part of one) should look like; ``problems`` lists what is off."""

    def problems(self, value: Any) -> list[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Number(Spec):
    """A real number (not text, not True/False), optionally whole and within low..high."""

    label: str
    low: float | None = None
    high: float | None = None
    whole: bool = False
    hint: str = ""

    def problems(self, value: Any) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            if isinstance(value, str):
                return ["это текст в кавычках, а нужно число (уберите кавычки)"]
            return [f"нужно число, а сейчас это {type(value).__name__}"]
        x = float(value)
        if x != x:
            return ["получилось «не число» (NaN): проверьте столбцы и деление"]
        found = []
        if self.whole and x != int(x):
            found.append("нужно целое число (это количество)")
        if self.low is not None and x < self.low:
            found.append(f"число не может быть меньше {_num(self.low)}")
        if self.high is not None and x > self.high:
            found.append(f"число не может быть больше {_num(self.high)}")
        if found and self.hint:
            found.append(self.hint)
        return found


@dataclass(frozen=True)
class Text(Spec):
    """A non-empty text of at least ``min_length`` characters."""

    label: str
    min_length: int = 1

    def problems(self, value: Any) -> list[str]:
        if not isinstance(value, str):
            return ["нужен текст"]
        if len(value.strip()) < self.min_length:
            return [f"текст слишком короткий (нужно не меньше {self.min_length} знаков)"]
        return []


@dataclass(frozen=True)
class Choice(Spec):
    """One of a few allowed values (e.g. ``True``/``False`` or a column's name)."""

    label: str
    options: tuple[Any, ...]

    def problems(self, value: Any) -> list[str]:
        for option in self.options:
            if isinstance(option, bool):
                if type(value).__name__ in ("bool", "bool_") and bool(value) is option:
                    return []
            elif type(value) is type(option) and value == option:
                return []
        shown = ", ".join(map(str, self.options[:6]))
        return [f"нужно одно из значений: {shown}"]


@dataclass(frozen=True)
class Codes(Spec):
    """A list of codes, each one of ``allowed``, none twice, in alphabetical order."""

    label: str
    allowed: tuple[str, ...]

    def problems(self, value: Any) -> list[str]:
        if type(value) is not list:
            kind = "ничего (None)" if value is None else type(value).__name__
            return [f"нужен список (list), а получилось {kind}"]
        found = []
        unknown = [v for v in value if v not in self.allowed]
        if unknown:
            shown = ", ".join(map(str, unknown[:3]))
            found.append(f"это не коды из справочника: {shown}")
        if len(set(map(str, value))) != len(value):
            found.append("некоторые коды повторяются")
        if not unknown and value != sorted(value):
            found.append("список не упорядочен по алфавиту")
        return found


@dataclass(frozen=True)
class Filled(Spec):
    """Any answer that is not empty (a widget part the learner has filled in)."""

    label: str

    def problems(self, value: Any) -> list[str]:
        if value in (None, "", [], {}) or (isinstance(value, str) and not value.strip()):
            return ["не заполнено"]
        return []


@dataclass(frozen=True)
class Answered(Spec):
    """A widget answer where each of ``items`` has one of ``options`` chosen."""

    label: str
    items: Mapping[str, str]
    options: Mapping[str, str] | tuple[str, ...] = ()

    def problems(self, value: Any) -> list[str]:
        value = value if isinstance(value, dict) else {}
        missing = [k for k in self.items if value.get(k) in (None, "", [])]
        if self.options:
            missing += [k for k in self.items if value.get(k) and value[k] not in self.options]
        if not missing:
            return []
        shown = "; ".join(_short(self.items[k]) for k in missing[:3])
        more = f" и ещё {len(missing) - 3}" if len(missing) > 3 else ""
        return [f"без ответа: {len(missing)} из {len(self.items)} ({shown}{more})"]


@dataclass(frozen=True)
class NumberMap(Spec):
    """A non-empty dictionary whose every value is a number (e.g. minutes by day)."""

    label: str
    value: Number = field(default_factory=lambda: Number("значение"))

    def problems(self, value: Any) -> list[str]:
        if type(value) is not dict:
            kind = "ничего (None)" if value is None else type(value).__name__
            return [f"нужен словарь (dict), а получилось {kind}"]
        if not value:
            return ["словарь пустой"]
        bad = [k for k, v in value.items() if self.value.problems(v)]
        if bad:
            shown = ", ".join(map(str, bad[:3]))
            return [
                f"значения при ключах {shown}: " + "; ".join(self.value.problems(value[bad[0]]))
            ]
        return []


@dataclass(frozen=True)
class Record(Spec):
    """A dictionary with these keys, each checked by its own spec."""

    fields: Mapping[str, Spec]
    label: str = "ответ"

    def problems(self, value: Any) -> list[str]:  # pragma: no cover - report() expands it
        return []


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(x: float) -> str:
    return fmt.number(x)


# -- the report ------------------------------------------------------------------------------


@dataclass
class StepReport:
    """The result of a step check: a line per part and the parts to reconsider."""

    title: str
    lines: list[str] = field(default_factory=list)
    reconsider: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reconsider

    @property
    def text(self) -> str:
        head = f"Проверка шага «{self.title}»"
        if self.ok:
            tail = (
                "Форма ответа верна. Верны ли сами значения, покажет проверка при сдаче "
                "работы. Можно переходить к следующему шагу."
            )
        else:
            tail = "Пересмотрите: " + ", ".join(self.reconsider) + "."
        return "\n".join([head, *self.lines, tail]) + "\n"

    def __str__(self) -> str:
        return self.text


def report(title: str, value: Any, spec: Spec) -> StepReport:
    """Check ``value`` against ``spec`` and return the report (nothing is printed)."""
    rep = StepReport(title)
    if isinstance(value, Skipped) or grading():
        rep.lines.append(
            "Проверка шага работает в тетради; при сдаче работы баллы ставят проверки ниже."
        )
        return rep
    if isinstance(value, Failure):
        rep.lines.append(f"{NO} Код не дал ответа: {value.reason}")
        rep.reconsider.append("пропуски в коде" if STUB_MARK in value.reason else "код задания")
        return rep
    if isinstance(spec, Record):
        if type(value) is not dict:
            kind = "ничего (None)" if value is None else type(value).__name__
            rep.lines.append(f"{NO} Нужен словарь с ответами, а получилось {kind}.")
            rep.reconsider.append("строку с return")
            return rep
        for key, part in spec.fields.items():
            label = getattr(part, "label", "")
            name = f"{key} ({label})" if label else key
            if key not in value:
                rep.lines.append(f"{NO} {name}: ключа нет в словаре")
                rep.reconsider.append(name)
                continue
            found = part.problems(value[key])
            if found:
                rep.lines.append(f"{NO} {name}: " + "; ".join(found))
                rep.reconsider.append(name)
            else:
                rep.lines.append(f"{OK} {name}: форма верна")
        extra = [k for k in value if k not in spec.fields]
        if extra:
            rep.lines.append("Лишние ключи (их не проверяют): " + ", ".join(map(str, extra)))
        return rep
    found = spec.problems(value)
    name = getattr(spec, "label", "") or "ответ"
    if found:
        rep.lines.append(f"{NO} {name}: " + "; ".join(found))
        rep.reconsider.append(name)
    else:
        rep.lines.append(f"{OK} {name}: форма верна")
    return rep


def check(title: str, value: Any, spec: Spec) -> None:
    """Print the step check's report in Russian (never raises: it only advises)."""
    try:
        text = report(title, value, spec).text
    except Exception as exc:  # a check must never stop the notebook
        text = f"Проверка шага «{title}» не смогла разобрать ответ: {type(exc).__name__}.\n"
    print(text, end="")
