"""The columns of an editable table (:class:`Field`): what a column stores, how it checks a
value (in Russian), and how its header is laid out (long Russian words hyphenated, since a
browser does not size a column by a soft hyphen)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cxlab.answers import AnswerError

__all__ = ["KINDS", "Field"]

KINDS = ("text", "int", "float", "choice", "combo")


_LONG_WORD = 13  # letters: a longer header word is hyphenated in the middle
_HYPHEN_BREAK = "-<br>"  # explicit: Chromium does not size a column by a soft hyphen
_VOWELS = set("аеёиоуыэюяaeiouy")


def _split(word: str) -> list[str]:
    """A long word in two at the vowel nearest its middle (Russian hyphenation allows a
    break after a vowel), or the word whole."""
    if len(word) < _LONG_WORD or "&" in word:
        return [word]
    middle = len(word) // 2
    for offset in range(middle - 2):
        for at in (middle + offset, middle - offset):
            if word[at - 1].lower() in _VOWELS and len(word) - at >= 3 and at >= 3:
                return [word[:at], word[at:]]
    return [word]


def _pieces(label: str) -> list[str]:
    """The parts of a header that cannot be broken across lines (a hyphenated part keeps
    its hyphen)."""
    out = []
    for word in label.split():
        for part in word.replace("-", "- ").split():
            halves = _split(part)
            out += [halves[0] + "-", halves[1]] if len(halves) == 2 else halves
    return out


def _half(width: str) -> str:
    number = width.rstrip("emx%")
    try:
        return f"{max(float(number) / 2, 3):g}{width[len(number) :]}"
    except ValueError:
        return width


@dataclass(frozen=True)
class Field:
    """One column of a :class:`TableEditor`.

    ``kind``: ``text`` (free text), ``int`` / ``float`` (a number between ``minimum`` and
    ``maximum``), ``choice`` (one of ``options``, given as ``(label, value)`` pairs) or
    ``combo`` (free text with ``options`` as suggestions, e.g. group names).
    """

    key: str
    label: str
    kind: str = "text"
    options: tuple[Any, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    width: str = "12em"
    placeholder: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}; use one of {KINDS}")
        if self.kind == "choice" and not self.options:
            raise ValueError(f"choice field {self.key!r} needs options")

    def empty(self) -> Any:
        """The value of this column in a new row."""
        if self.default is not None:
            return self.default
        if self.kind in ("int", "float"):
            return self.minimum if self.minimum is not None and self.minimum > 0 else 0
        if self.kind == "choice":
            return self.options[0][1]
        return ""

    def spec(self, options: Sequence[Any] | None = None) -> dict[str, Any]:
        """The column as the browser view draws it (JSON): a choice's options as ``[label,
        value]`` pairs (the view sends back the position), a combo's suggestions as text."""
        shown = self.options if options is None else options
        return {
            "key": self.key,
            "label": self.label,
            "header": self.header(),
            "kind": self.kind,
            "options": [list(o) for o in shown] if self.kind == "choice" else list(shown),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "placeholder": self.placeholder,
            # the column's share of the row; never below half of it nor below the longest
            # word of its header, so headers never run into each other and a narrow cell
            # gets a table that scrolls inside itself rather than unreadable fields
            "width": self.width,
            "min_width": self._min_width(),
        }

    def _min_width(self) -> str:
        half = _half(self.width)
        if not half.endswith("em"):
            return half
        longest = max((len(piece) for piece in _pieces(self.label)), default=0)
        # a bold Cyrillic letter is up to about 0.8em wide; 0.6em for the cell's margins
        return f"{max(float(half[:-2]), round(longest * 0.8 + 0.6, 1)):g}em"

    def header(self) -> str:
        """The column's header as HTML: bold, a very long word hyphenated in the middle."""
        words = [_HYPHEN_BREAK.join(_split(html.escape(w))) for w in self.label.split(" ")]
        return f"<b>{' '.join(words)}</b>"

    def check(self, value: Any, row: int) -> Any:
        """Return ``value`` as this column stores it, or raise AnswerError (in Russian)."""
        where = f"строка {row}, «{self.label}»"
        if self.kind in ("text", "combo"):
            if not isinstance(value, str):
                raise AnswerError(f"{where}: ожидался текст.")
            return value
        if self.kind == "choice":
            allowed = [v for _label, v in self.options]
            if value not in allowed:
                raise AnswerError(f"{where}: недопустимое значение {value!r}.")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerError(f"{where}: ожидалось число.")
        if not math.isfinite(value):
            raise AnswerError(f"{where}: число должно быть конечным.")
        if self.kind == "int" and value != int(value):
            raise AnswerError(f"{where}: ожидалось целое число.")
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise AnswerError(f"{where}: число {value} вне диапазона {self._range()}.")
        return int(value) if self.kind == "int" else float(value)

    def _range(self) -> str:
        low = "" if self.minimum is None else f"{self.minimum:g}"
        high = "" if self.maximum is None else f"{self.maximum:g}"
        return f"{low}…{high}"
