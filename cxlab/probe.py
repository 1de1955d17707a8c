"""What an autograder test cell reports: plain observations and the rules that score them.

A test cell never decides a score inside the learner's kernel. It calls the learner's code,
records what came back as plain data (numbers, strings, lists, dicts) and states its rules;
``emit()`` sends that record out of the kernel. The grader (``grader.trust.verdict``) compares
the observations with the ones the instructor's solution produced on the same inputs, which
only the grader can read, and decides points and the Russian hints there.

Learners never need this module: it is used by the test cells of the assignments.

    _p = Probe()
    _p.call("as_is", journey_summary, as_is_df)          # the learner's result, made plain
    _p.rule(1, ["as_is/days"], match="number", label="число дней")
    _p.emit()

Observation paths are ``name/key/key``: a name given to ``call``/``observe`` and keys (or list
positions) inside the plain value.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import warnings
from typing import Any

__all__ = ["MIME", "Probe", "plain"]

MIME = "application/vnd.cxlab.probe+json"
_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON data, or a marker saying it was something else.

    Exact types only: a subclass of ``dict`` or ``float`` (for example an object whose ``==``
    is always true) becomes ``{"__unplain__": "<type>"}``, which matches nothing.
    numpy/pandas scalars become Python numbers.
    """
    if depth > 20:
        return {"__unplain__": "too deep"}
    kind = type(value)
    if kind in _SCALARS:
        if kind is float and not math.isfinite(value):
            return {"__nonfinite__": repr(value)}
        return value
    module = getattr(kind, "__module__", "") or ""
    if module.startswith("numpy") and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return plain(value.item(), depth + 1)
    if kind is dict:
        out = {}
        for key, item in list(value.items())[:1000]:
            if (getattr(type(key), "__module__", "") or "").startswith("numpy") and hasattr(
                key, "item"
            ):
                key = key.item()  # numpy int64 / str_ keys (from .unique()) are plain enough
            if type(key) not in (str, int):
                return {"__unplain__": f"dict key {type(key).__name__}"}
            out[str(key)] = plain(item, depth + 1)
        return out
    if kind in (list, tuple):
        return [plain(item, depth + 1) for item in list(value)[:1000]]
    return {"__unplain__": kind.__name__}


class Probe:
    """Collect observations and rules of one test cell and send them to the grader."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.rules: list[dict[str, Any]] = []
        self.notes: list[str] = []

    def observe(self, name: str, value: Any) -> Any:
        """Record ``value`` (made plain) under ``name``; return it unchanged."""
        self.values[name] = plain(value)
        return value

    def call(self, name: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the learner's ``func`` and record its result under ``name``.

        Warnings and stderr of the call are swallowed; an exception is recorded as
        ``{"__error__": "Type: message"}`` and ``None`` is returned.
        """
        try:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                result = func(*args, **kwargs)
        except Exception as exc:  # the learner's error costs points, not the whole cell
            self.values[name] = {"__error__": f"{type(exc).__name__}: {exc}"[:300]}
            return None
        self.values[name] = plain(result)
        return result

    def rule(
        self,
        points: float,
        observe: list[str] | str,
        *,
        label: str,
        match: str = "equal",
        tol: float = 0.0,
        hint: str = "",
        **options: Any,
    ) -> None:
        """Add a rule: ``points`` when every observed path matches under ``match``.

        ``match``: ``equal`` (same plain value, numbers within ``tol``), ``number``
        (a number within ``tol`` of the solution's), ``set`` (same items in any order),
        ``shape`` (same structure: keys and kinds of values), ``filled`` (a non-empty
        answer; ``min_length`` for text), ``range`` (a number within ``low``..``high``),
        ``one_of`` (the value is one of ``options=[...]``). ``label`` names the rule for the
        learner; ``hint`` is shown when the rule is not met.
        """
        paths = [observe] if isinstance(observe, str) else list(observe)
        self.rules.append(
            {
                "points": points,
                "observe": paths,
                "label": label,
                "match": match,
                "tol": tol,
                "hint": hint,
                "options": options,
            }
        )

    def note(self, text: str) -> None:
        """A line of feedback shown to the learner whatever the score."""
        self.notes.append(text)

    def payload(self) -> dict[str, Any]:
        return {"version": 1, "values": self.values, "rules": self.rules, "notes": self.notes}

    def emit(self) -> None:
        """Send the record to the grader (only while nbgrader grades or validates)."""
        if not os.environ.get("NBGRADER_EXECUTION"):
            return
        from IPython.display import display

        display({MIME: self.payload(), "text/plain": ""}, raw=True)
