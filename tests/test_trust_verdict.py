"""The verdict decided outside the kernel (``grader.trust.verdict``) and the probe that feeds it
(``cxlab.probe``): plain data only, the key's rules only, Russian text."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cxlab.probe import Probe, plain
from grader.trust.verdict import decide, russian_number


def _key(probe: Probe) -> dict:
    return json.loads(json.dumps(probe.payload()))


def _solution() -> Probe:
    p = Probe()
    p.observe("r", {"days": 3, "share": 0.4923, "name": "МФЦ", "ids": [1, 2, 3]})
    p.rule(1, "r/days", match="number", label="число дней")
    p.rule(1, "r/share", match="number", tol=0.0005, label="доля ожидания")
    p.rule(0.5, "r/name", label="учреждение")
    p.rule(0.5, "r/ids", match="set", label="номера")
    return p


def _learner(value) -> dict:
    p = Probe()
    p.observe("r", value)
    return _key(p)


def test_the_solution_gets_every_point_and_rounding_within_tolerance_too():
    """Does the solution's own record, and one rounded as allowed, earn full marks?"""
    key = _key(_solution())
    assert decide(key, key, 3).score == 3
    rounded = {"days": 3.0, "share": 0.492, "name": " МФЦ ", "ids": [3, 1, 2]}
    assert decide(key, _learner(rounded), 3).score == 3


def test_wrong_parts_cost_their_points_and_are_named_in_russian():
    """Does each failed rule cost its points, with its label and no expected value shown?"""
    key = _key(_solution())
    verdict = decide(key, _learner({"days": 2, "share": 0.49, "name": "МФЦ", "ids": [1]}), 3)
    assert verdict.score == 0.5
    assert "Баллы: 0,5 из 3." in verdict.text
    assert "Пересмотрите: число дней; доля ожидания; номера." in verdict.text
    assert "0.4923" not in verdict.text and "3 " not in verdict.text.split("\n", 1)[1]


def test_objects_that_are_not_plain_data_match_nothing():
    """Do an always-equal object, a float subclass and a bool-for-number score zero?"""

    class Always(dict):
        def __eq__(self, other):
            return True

    class Sneaky(float):
        pass

    key = _key(_solution())
    for value in (Always(days=3), {"days": Sneaky(3.0)}, {"days": True}):
        assert decide(key, _learner(value), 3).score == 0
    assert plain(Always()) == {"__unplain__": "Always"}


def test_the_learners_rules_and_points_are_ignored():
    """Can a probe that sends its own rules, points or expected values buy points?"""
    key = _key(_solution())
    forged = _learner({"days": 0})
    forged["rules"] = [{"points": 100, "observe": ["r/days"], "match": "filled", "label": ""}]
    forged["values"]["expected"] = {"days": 0}
    assert decide(key, forged, 3).score == 0


def test_numpy_and_pandas_scalars_and_keys_become_plain():
    """Are numpy numbers and numpy keys (from .unique()) plain enough to match?"""
    s = pd.Series([1, 2, 2])
    value = {k: v for k, v in s.value_counts().items()}
    assert plain(value) == {"2": 2, "1": 1}  # keys become strings, as in JSON
    assert plain(np.float64(0.5)) == 0.5 and type(plain(np.int64(3))) is int
    assert plain(float("nan")) == {"__nonfinite__": "nan"}


def test_a_missing_probe_and_an_error_are_explained():
    """Does a cell that sent nothing, or whose function raised, get zero with a reason?"""
    key = _key(_solution())
    assert "не получила ответа" in decide(key, None, 3, why="NameError: x").text
    p = Probe()
    p.call("r", lambda: 1 / 0)
    text = decide(key, _key(p), 3).text
    assert "ZeroDivisionError" in text


def test_filled_range_and_one_of_judge_the_learners_value_alone():
    """Do the rules that need no solution value work on the learner's answer?"""
    p = Probe()
    p.observe("t", "")
    p.rule(1, "t", match="filled", min_length=5, label="текст")
    p.rule(1, "n", match="range", low=1, high=5, label="оценка")
    p.rule(1, "c", match="one_of", options=["a", "b"], label="выбор")
    key = _key(p)
    learner = {"values": {"t": "Пять слов тут", "n": 4, "c": "b"}}
    assert decide(key, learner, 3).score == 3
    assert decide(key, {"values": {"t": "ой", "n": 6, "c": "z"}}, 3).score == 0


def test_russian_numbers():
    assert russian_number(2.5) == "2,5" and russian_number(3.0) == "3"
