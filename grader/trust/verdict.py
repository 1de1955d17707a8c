"""Decide a test cell's score outside the learner's kernel.

The key (``grader.trust.keys``) holds, per test cell, the rules and the observations the
instructor's solution produced. The learner's kernel supplies only its own observations, as
JSON. Nothing the kernel sends can change a rule, a point value or an expected value, and a
value that is not plain data (marked by ``cxlab.probe.plain``) matches nothing.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Verdict", "decide", "russian_number"]

_MARKERS = ("__unplain__", "__error__", "__nonfinite__")
_MISSING = object()


@dataclass
class Verdict:
    score: float
    max_points: float
    lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def russian_number(x: float) -> str:
    """0.5 -> «0,5»; 3.0 -> «3» (the course's one Russian number format, ``cxlab.fmt``)."""
    from cxlab.fmt import number

    return number(x)


def _is_number(x: Any) -> bool:
    return type(x) in (int, float) and math.isfinite(x)


def _marker(x: Any) -> str | None:
    if type(x) is dict and len(x) == 1:
        (k,) = x
        if k in _MARKERS:
            return k
    return None


def _resolve(values: Any, path: str) -> Any:
    node = values
    for part in path.split("/"):
        if type(node) is dict and part in node and _marker(node) is None:
            node = node[part]
        elif (
            type(node) is list
            and part.lstrip("-").isdigit()
            and -len(node) <= int(part) < len(node)
        ):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _close(got: Any, exp: Any, tol: float) -> bool:
    if not (_is_number(got) and _is_number(exp)):
        return False
    return abs(float(got) - float(exp)) <= tol + 1e-9 * max(1.0, abs(float(exp)))


def _equal(got: Any, exp: Any, tol: float) -> bool:
    if _marker(got) or _marker(exp):
        return False
    if _is_number(exp):
        return _close(got, exp, tol)
    if type(got) is not type(exp):
        return False
    if type(exp) is dict:
        return got.keys() == exp.keys() and all(_equal(got[k], exp[k], tol) for k in exp)
    if type(exp) is list:
        pairs = zip(got, exp, strict=False)
        return len(got) == len(exp) and all(_equal(g, e, tol) for g, e in pairs)
    if type(exp) is str:
        return got.strip() == exp.strip()
    return got == exp


def _canon(x: Any) -> str:
    return json.dumps(x, sort_keys=True, ensure_ascii=False)


def _shape(got: Any, exp: Any) -> bool:
    if _marker(got):
        return False
    if _is_number(exp):
        return _is_number(got)
    if type(got) is not type(exp):
        return False
    if type(exp) is dict:
        return got.keys() == exp.keys() and all(_shape(got[k], exp[k]) for k in exp)
    if type(exp) is list:
        if not exp:
            return True
        return all(_shape(g, exp[0]) for g in got) and (len(got) > 0)
    return True


def _filled(got: Any, options: dict[str, Any]) -> bool:
    if _marker(got) or got is None:
        return False
    if type(got) is str:
        return len(got.strip()) >= int(options.get("min_length", 1))
    if type(got) in (list, dict):
        items = [v for v in (got.values() if type(got) is dict else got) if _filled(v, {})]
        return len(items) >= int(options.get("min_items", 1))
    return _is_number(got) or type(got) is bool


def _match(rule: dict[str, Any], got: Any, exp: Any) -> bool:
    how = rule.get("match", "equal")
    tol = float(rule.get("tol") or 0.0)
    options = rule.get("options") or {}
    if got is _MISSING:
        return False
    if how == "equal":
        return exp is not _MISSING and _equal(got, exp, tol)
    if how == "number":
        return exp is not _MISSING and _close(got, exp, tol)
    if how == "set":
        if type(got) is not list or type(exp) is not list or any(map(_marker, got)):
            return False
        return Counter(map(_canon, got)) == Counter(map(_canon, exp))
    if how == "shape":
        return exp is not _MISSING and _shape(got, exp)
    if how == "filled":
        return _filled(got, options)
    if how == "range":
        low, high = options.get("low", -math.inf), options.get("high", math.inf)
        return _is_number(got) and low <= got <= high
    if how == "one_of":
        return any(_equal(got, option, tol) for option in options.get("options", []))
    raise ValueError(f"unknown match {how!r} in an answer key")


def _problems(values: dict[str, Any]) -> list[str]:
    """Russian lines about errors and non-plain results in the learner's observations."""
    lines: list[str] = []

    def walk(x: Any) -> None:
        kind = _marker(x)
        if kind == "__error__":
            line = f"Ваш код завершился с ошибкой: {x[kind]}"
        elif kind == "__unplain__":
            line = (
                "Ответ должен быть обычным значением Python (число, строка, список, словарь), "
                f"а получен объект другого типа ({x[kind]})."
            )
        elif kind == "__nonfinite__":
            line = "В ответе есть нечисловое значение (NaN или бесконечность)."
        elif type(x) is dict:
            for v in x.values():
                walk(v)
            return
        elif type(x) is list:
            for v in x:
                walk(v)
            return
        else:
            return
        if line not in lines:
            lines.append(line)

    walk(values)
    return lines[:5]


def decide(
    key_cell: dict[str, Any], learner: dict[str, Any] | None, max_points: float, *, why: str = ""
) -> Verdict:
    """Score one test cell: ``key_cell`` from the key, ``learner`` the kernel's payload
    (``None`` when the cell sent none; ``why`` then says what the cell printed instead)."""
    values = learner.get("values") if isinstance(learner, dict) else None
    if not isinstance(values, dict):
        values = {}
    expected = key_cell.get("values") or {}
    earned = 0.0
    failed: list[dict[str, Any]] = []
    for rule in key_cell.get("rules", []):
        ok = all(
            _match(rule, _resolve(values, path), _resolve(expected, path))
            for path in rule["observe"]
        )
        if ok:
            earned += float(rule["points"])
        else:
            failed.append(rule)
    score = round(min(max(earned, 0.0), float(max_points)), 4)
    lines = [f"Баллы: {russian_number(score)} из {russian_number(float(max_points))}."]
    if learner is None:
        lines.append(
            "Проверка не получила ответа от тетради"
            + (f": {why}" if why else ": ячейка проверки не выполнилась до конца.")
        )
    lines += _problems(values)
    if failed:
        labels = [r["label"] for r in failed if r.get("label")]
        if labels:
            lines.append("Пересмотрите: " + "; ".join(dict.fromkeys(labels)) + ".")
        for hint in dict.fromkeys(r.get("hint") for r in failed if r.get("hint")):
            lines.append(hint)
    lines += [n for n in key_cell.get("notes", []) if n]
    return Verdict(score, float(max_points), lines, [r.get("label", "") for r in failed])
