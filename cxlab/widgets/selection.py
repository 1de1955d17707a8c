"""Selection: the weighted criteria matrix with its ranking, and the impact/effort 2×2."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle

from cxlab import fmt
from cxlab.answers import AnswerError, AnswerStore
from cxlab.widgets.base import StoredWidget, _show_figure, html_part, shared, vbox

__all__ = ["SCORES", "CriteriaMatrix", "ImpactEffort", "quadrant"]

_SHORT = 20  # characters: a longer option name is shown on the chart by its number
SCORES = (("—", None), ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5))


def _cell() -> w.Layout:
    return shared(w.Layout, width="auto", min_width="5.5em")


def _grid(columns: int, cells: Sequence[w.Widget]) -> w.GridBox:
    """Option names in a wide first column, one column per criterion. A column is at least
    as wide as its longest word, so headers such as «Реализуемость» never run into the next;
    the grid scrolls inside itself if the cell is narrower than that."""
    return w.GridBox(
        cells,
        layout=w.Layout(
            grid_template_columns=f"minmax(12em, 2fr) repeat({columns}, minmax(min-content, 1fr))",
            grid_gap="2px 8px",
            align_items="center",
            overflow="auto",
            width="100%",
        ),
    )


def _num(x: float) -> str:
    """A number as Russian text shows it: two decimals after a comma."""
    return fmt.number(x, 2)


def _names(items: Sequence[str], what: str) -> tuple[str, ...]:
    names = tuple(str(i).strip() for i in items)
    if not names or any(not n for n in names):
        raise ValueError(f"{what}: give at least one non-empty name")
    if len(set(names)) != len(names):
        raise ValueError(f"{what}: names must be unique")
    return names


def _score(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise AnswerError(f"{where}: оценка должна быть целым числом от 1 до 5.")
    return value


class CriteriaMatrix(StoredWidget):
    """Weighted scoring of options against criteria, with the ranking shown at once.

    Weights are any non-negative numbers (they are normalised to sum to 1); scores are 1–5.
    An option is ranked when all its criteria are scored. The answer is
    ``{"weights": {criterion: weight}, "scores": {option: {criterion: score or None}}}``.
    """

    SNAPSHOT_LABELS: ClassVar[dict[str, str]] = {
        "weights": "Веса критериев",
        "scores": "Оценки вариантов",
    }

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        options: Sequence[str],
        criteria: Mapping[str, float] | Sequence[str],
        *,
        title: str = "Матрица критериев",
    ) -> None:
        super().__init__(store, qid)
        self.options = _names(options, "options")
        if isinstance(criteria, Mapping):
            self.criteria = _names(list(criteria), "criteria")
            defaults = {c: float(criteria[c]) for c in self.criteria}
        else:
            self.criteria = _names(criteria, "criteria")
            defaults = dict.fromkeys(self.criteria, 1.0)
        # Scores of options this matrix no longer shows (the notebook changed its list):
        # kept in the answer, so that changing the list back loses nothing.
        self._kept: dict[str, Any] = {}
        self.weights: dict[str, w.BoundedFloatText] = {}
        for c in self.criteria:
            box = w.BoundedFloatText(
                value=defaults[c],
                min=0,
                max=1000,
                step=1,
                layout=_cell(),
                style=shared(DescriptionStyle),
                tooltip=f"Вес: {c}",
            )
            box.observe(self._changed, names="value")
            self.weights[c] = box
        self.scores: dict[str, dict[str, w.Dropdown]] = {}
        for o in self.options:
            self.scores[o] = {}
            for c in self.criteria:
                dd = w.Dropdown(
                    options=SCORES,
                    value=None,
                    layout=_cell(),
                    style=shared(DescriptionStyle),
                    tooltip=f"{o}: {c}",
                )
                dd.observe(self._changed, names="value")
                self.scores[o][c] = dd
        cells: list[w.Widget] = [html_part("<b>Вариант</b>")]
        cells += [html_part(f"<b>{html.escape(c)}</b>") for c in self.criteria]
        cells += [html_part("<i>Вес критерия</i>"), *self.weights.values()]
        for o in self.options:
            cells += [html_part(html.escape(o)), *self.scores[o].values()]
        self.ranking = html_part()
        self.box = vbox(
            [
                html_part(f"<h4>{html.escape(title)}</h4>"),
                _grid(len(self.criteria), cells),
                self.status,
                self.ranking,
            ]
        )
        self._restore()

    def _read_ui(self) -> dict[str, Any]:
        return {
            "weights": {c: box.value for c, box in self.weights.items()},
            "scores": {
                **self._kept,
                **{o: {c: dd.value for c, dd in row.items()} for o, row in self.scores.items()},
            },
        }

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise AnswerError("Матрица сохраняется как словарь с весами и оценками.")
        weights = value.get("weights", {})
        scores = value.get("scores", {})
        if not isinstance(weights, Mapping) or not isinstance(scores, Mapping):
            raise AnswerError("Матрица сохраняется как словарь с весами и оценками.")
        checked_weights = {}
        for c in self.criteria:
            wv = weights.get(c, self.weights[c].value)
            if isinstance(wv, bool) or not isinstance(wv, int | float) or not 0 <= wv <= 1000:
                raise AnswerError(f"Вес критерия «{c}» должен быть числом от 0 до 1000.")
            checked_weights[c] = float(wv)
        checked_scores = {}
        for o in self.options:
            row = scores.get(o, {})
            if not isinstance(row, Mapping):
                raise AnswerError(f"Оценки варианта «{o}» должны быть словарём.")
            checked_scores[o] = {c: _score(row.get(c), f"«{o}», «{c}»") for c in self.criteria}
        self._kept = {o: row for o, row in scores.items() if o not in self.scores}
        for c, wv in checked_weights.items():
            self.weights[c].value = wv
        for o, row in checked_scores.items():
            for c, s in row.items():
                self.scores[o][c].value = s

    def normalised_weights(self) -> dict[str, float]:
        """Weights scaled to sum to 1 (all zero if every weight is zero)."""
        total = sum(box.value for box in self.weights.values())
        return {c: (box.value / total if total else 0.0) for c, box in self.weights.items()}

    def totals(self) -> dict[str, float | None]:
        """Weighted score (1–5) of every option; None while a criterion is unscored."""
        nw = self.normalised_weights()
        out: dict[str, float | None] = {}
        for o, row in self.scores.items():
            values = {c: dd.value for c, dd in row.items()}
            out[o] = (
                None
                if any(v is None for v in values.values())
                else round(sum(nw[c] * v for c, v in values.items()), 3)
            )
        return out

    def ranking_list(self) -> list[tuple[int, str, float]]:
        """``(place, option, score)`` for the fully scored options, best first; equal
        scores share a place."""
        scored = sorted(
            ((o, s) for o, s in self.totals().items() if s is not None), key=lambda x: -x[1]
        )
        out, place, previous = [], 0, None
        for i, (o, s) in enumerate(scored, 1):
            if s != previous:
                place, previous = i, s
            out.append((place, o, s))
        return out

    def _update_view(self) -> None:
        weight_sum = sum(box.value for box in self.weights.values())
        if not weight_sum:
            self.ranking.value = (
                "<p style='color:#b71c1c'>Все веса нулевые: задайте важность критериев.</p>"
            )
            return
        ranking = self.ranking_list()
        waiting = [o for o, s in self.totals().items() if s is None]
        rows = "".join(
            f"<tr><td>{p}</td><td>{html.escape(o)}</td><td>{_num(s)}</td></tr>"
            for p, o, s in ranking
        )
        nw = "; ".join(f"{html.escape(c)} {_num(v)}" for c, v in self.normalised_weights().items())
        text = f"<p>Веса после нормировки: {nw}.</p>"
        if rows:
            text += (
                "<table><tr><th>Место</th><th>Вариант</th><th>Взвешенная оценка</th></tr>"
                f"{rows}</table>"
            )
        if waiting:
            text += (
                "<p style='color:#555'>Ещё не оценены по всем критериям: "
                f"{html.escape(', '.join(waiting))}.</p>"
            )
        self.ranking.value = text


QUADRANTS = {
    (True, False): "Быстрые победы",
    (True, True): "Крупные проекты",
    (False, False): "Мелочи",
    (False, True): "Пустая трата сил",
}


def quadrant(impact: float, effort: float, threshold: float = 3.5) -> str:
    """The impact/effort quadrant of an idea: «high» means at least ``threshold``."""
    return QUADRANTS[(impact >= threshold, effort >= threshold)]


class ImpactEffort(StoredWidget):
    """Rate each option's impact and effort (1–5) and see it on the 2×2 matrix.

    The answer is ``{option: {"impact": 1–5 or None, "effort": 1–5 or None}}``.
    """

    SNAPSHOT_LABELS: ClassVar[dict[str, str]] = {"impact": "Влияние", "effort": "Усилия"}

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        options: Sequence[str],
        *,
        title: str = "Матрица «влияние — усилия»",
    ) -> None:
        super().__init__(store, qid)
        self.options = _names(options, "options")
        self._kept: dict[str, Any] = {}  # ratings of options no longer shown, as above
        self.ratings: dict[str, dict[str, w.Dropdown]] = {}
        cells: list[w.Widget] = [
            html_part("<b>Вариант</b>"),
            html_part("<b>Влияние</b>"),
            html_part("<b>Усилия</b>"),
        ]
        for o in self.options:
            pair = {
                axis: w.Dropdown(
                    options=SCORES,
                    value=None,
                    layout=_cell(),
                    style=shared(DescriptionStyle),
                    tooltip=f"{o}: {name}",
                )
                for axis, name in (("impact", "влияние"), ("effort", "усилия"))
            }
            for dd in pair.values():
                dd.observe(self._changed, names="value")
            self.ratings[o] = pair
            cells += [html_part(html.escape(o)), *pair.values()]
        self.summary = html_part()
        self.chart = w.Output()
        self.box = vbox(
            [
                html_part(f"<h4>{html.escape(title)}</h4>"),
                html_part(
                    "<small>1 — слабое влияние / легко, 5 — сильное влияние / очень трудно</small>"
                ),
                _grid(2, cells),
                self.status,
                self.summary,
                self.chart,
            ]
        )
        self._restore()

    def _read_ui(self) -> dict[str, dict[str, int | None]]:
        return {**self._kept, **self._shown()}

    def _shown(self) -> dict[str, dict[str, int | None]]:
        return {o: {a: dd.value for a, dd in pair.items()} for o, pair in self.ratings.items()}

    def _write_ui(self, value: Any) -> None:
        if not isinstance(value, Mapping) or not all(
            isinstance(value.get(o, {}), Mapping) for o in self.options
        ):
            raise AnswerError("Оценки сохраняются как словарь «вариант → влияние и усилия».")
        checked = {
            o: {a: _score(value.get(o, {}).get(a), f"«{o}»") for a in ("impact", "effort")}
            for o in self.options
        }
        self._kept = {o: r for o, r in value.items() if o not in self.ratings}
        for o, pair in checked.items():
            for a, s in pair.items():
                self.ratings[o][a].value = s

    def short_labels(self) -> dict[str, str]:
        """The label of each option on the chart: its number («I01» of «I01. Одна касса»),
        a short name as it is, or else its place in the list: long names would cover each
        other and the axes."""
        out = {}
        for place, o in enumerate(self.options, 1):
            found = re.match(r"^([^\W\d_]{0,3}\d+)[.)]\s", o)
            out[o] = found.group(1) if found else o if len(o) <= _SHORT else str(place)
        return out

    def quadrants(self) -> dict[str, str]:
        """The quadrant of every fully rated option."""
        return {
            o: quadrant(r["impact"], r["effort"])
            for o, r in self._shown().items()
            if r["impact"] is not None and r["effort"] is not None
        }

    def figure(self) -> Any:
        """The 2×2 matrix of the rated options as a matplotlib Figure (None if none rated)."""
        import matplotlib.pyplot as plt
        import pandas as pd

        from cxlab import plots

        short = self.short_labels()
        rated = [
            {"name": o, "label": short[o], **r}
            for o, r in self._shown().items()
            if r["impact"] is not None and r["effort"] is not None
        ]
        if not rated:
            return None
        fig, ax = plt.subplots(figsize=(8, 6.5), layout="constrained")
        plots.impact_effort(pd.DataFrame(rated), ax=ax)
        return fig

    def _update_view(self) -> None:
        by_quadrant: dict[str, list[str]] = {}
        for o, q in self.quadrants().items():
            by_quadrant.setdefault(q, []).append(o)
        self.summary.value = "".join(
            f"<p><b>{q}:</b> {html.escape(', '.join(by_quadrant[q]))}</p>"
            for q in QUADRANTS.values()
            if q in by_quadrant
        )
        short = self.short_labels()
        numbered = [o for o in self.quadrants() if short[o].isdigit() and short[o] != o]
        if numbered:  # a number on the chart that the names above do not show
            pairs = "; ".join(f"{short[o]} — {html.escape(o)}" for o in numbered)
            self.summary.value += f"<p><small>Номера на диаграмме: {pairs}.</small></p>"
        _show_figure(self.chart, self.figure)
