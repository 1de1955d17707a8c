"""Charts for the course, with Russian titles, labels and numbers (:mod:`cxlab.fmt`).

Every function draws on the Axes it is given (or a new figure) and returns the Axes; none
changes matplotlib's global settings. Long labels wrap between words, never inside one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from cxlab import fmt

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with the module
    from matplotlib.axes import Axes

__all__ = ["bars", "compare_totals", "emotion_curve", "impact_effort", "journey_timeline"]

_PARTS = {
    "travel_min": ("Дорога", "#9e9e9e"),
    "queue_min": ("Ожидание в очереди", "#e57373"),
    "service_min": ("Обслуживание", "#64b5f6"),
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # a lecture that draws nothing never loads pyplot

    _fig, new_ax = plt.subplots(figsize=size, layout="constrained")
    return new_ax


def _label(text: str, width: int = 38) -> str:
    """``text`` wrapped into lines of about ``width`` characters, between words only."""
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or str(text)


def _days(days: pd.Series) -> list[tuple[int, int, int]]:
    """``(day, first, last)`` positions (0-based) of each run of equal days, in order: a
    step added for an earlier day after later ones starts a run of its own, so no two day
    labels are drawn over each other."""
    runs: list[tuple[int, int, int]] = []
    for position, day in enumerate(days):
        if runs and runs[-1][0] == day:
            runs[-1] = (day, runs[-1][1], position)
        else:
            runs.append((day, position, position))
    return runs


def journey_timeline(df: pd.DataFrame, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars: minutes of travel, queue and service for every step."""
    ax = _axes(ax, (10, 0.45 * len(df) + 1.5))
    labels = [f"День {d}. {_label(s)}" for d, s in zip(df["day"], df["step"], strict=True)]
    left = pd.Series(0.0, index=df.index)
    for column, (name, color) in _PARTS.items():
        ax.barh(labels, df[column], left=left, color=color, label=name)
        left = left + df[column]
    ax.invert_yaxis()
    ax.set_xlabel("Минуты")
    ax.set_title(title or "Время на каждом шаге пути заявителя")
    ax.legend(loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fmt.ticks(ax)
    return ax


def emotion_curve(df: pd.DataFrame, title: str | None = None, ax: Axes | None = None) -> Axes:
    """The emotion curve of a customer journey map, with the pains marked in red."""
    ax = _axes(ax, (11, 4.5))
    x = range(1, len(df) + 1)
    ax.plot(x, df["emotion"], marker="o", color="#37474f")
    ax.axhline(0, color="#bdbdbd", linewidth=1)
    pains = df["pain"].notna()
    ax.scatter(
        [i for i, p in zip(x, pains, strict=True) if p],
        df.loc[pains, "emotion"],
        color="#c62828",
        zorder=3,
        s=60,
        label="Шаг с «болью»",
    )
    for day, first, last in _days(df["day"]):
        start, end = first + 0.5, last + 1.5
        ax.axvspan(start, end, color="#eceff1" if day % 2 else "#ffffff", zorder=0)
        ax.text((start + end) / 2, 2.35, f"День {day}", ha="center", fontsize=9)
    ax.set_xticks(list(x), [_label(s, 22) for s in df["step"]], rotation=90, fontsize=8)
    ax.set_yticks(range(-2, 3), ["−2\nочень плохо", "−1", "0", "+1", "+2\nотлично"])
    ax.set_ylim(-2.6, 2.7)
    ax.set_ylabel("Эмоция заявителя")
    ax.set_title(title or "Кривая эмоций на пути заявителя")
    ax.legend(loc="lower right")
    return ax


def compare_totals(
    journeys: Mapping[str, pd.DataFrame], title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Stacked bars of total travel, queue and service minutes for several journeys."""
    ax = _axes(ax, (7, 4.5))
    names = list(journeys)
    bottom = pd.Series(0.0, index=names)
    for column, (name, color) in _PARTS.items():
        values = pd.Series({k: float(journeys[k][column].sum()) for k in names})
        ax.bar(names, values, bottom=bottom, color=color, label=name)
        bottom = bottom + values
    for i, total in enumerate(bottom):
        ax.text(i, total, f"{fmt.number(total, 0)} мин", ha="center", va="bottom")
    ax.set_ylabel("Минуты")
    ax.set_title(title or "Затраты времени заявителя: всего")
    ax.legend()
    fmt.ticks(ax)
    return ax


def bars(
    values: pd.Series | pd.DataFrame,
    title: str,
    xlabel: str,
    ylabel: str = "",
    *,
    colors: Sequence[str] | str | None = None,
    legend: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars, first row on top, for a Series (one bar per row) or a DataFrame
    (one bar per column in each row). Long row names wrap between words and the figure
    grows with the number of rows, so text stays readable at the width of a cell."""
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    frame = frame.rename(index=lambda name: _label(name, 34))
    lines = sum(str(name).count("\n") + 1 for name in frame.index)
    ax = _axes(ax, (8, 0.9 + 0.22 * lines + 0.06 * len(frame) * len(frame.columns)))
    # barh draws the first row and the first column at the bottom: reverse both, so that
    # the table reads top-down, and the colours with the columns. The bars are laid out as
    # pandas' ``plot.barh`` lays them out (rows 0.5 high, shared by the columns), drawn with
    # matplotlib alone: pandas' plotting machinery costs a lecture's kernel about 2 MiB.
    shown = frame.iloc[::-1, ::-1]
    if colors is None:
        import matplotlib as mpl

        palette = [style["color"] for style in mpl.rcParams["axes.prop_cycle"]]
    elif isinstance(colors, str):
        palette = [colors]
    else:
        palette = list(colors)[::-1]
    height = 0.5 / len(shown.columns)
    for i, column in enumerate(shown.columns):
        ax.barh(
            [row - 0.25 + (i + 0.5) * height for row in range(len(shown))],
            shown[column].fillna(0).to_numpy(dtype=float),
            height,
            color=palette[i % len(palette)],
            label=str(column),
        )
    ax.set_ylim(-0.5, len(shown) - 0.5)
    ax.set_yticks(range(len(shown)), [str(name) for name in shown.index])
    ax.set_title(_label(title, 70))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if isinstance(values, pd.DataFrame):
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], title=legend, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fmt.ticks(ax)
    return ax


_QUADRANT_TEXT = (
    (0.6, 5.7, "Быстрые победы", "#2e7d32", "left"),
    (5.4, 5.7, "Крупные проекты", "#1565c0", "right"),
    (0.6, 0.7, "Мелочи", "#616161", "left"),
    (5.4, 0.7, "Пустая трата сил", "#c62828", "right"),
)


def impact_effort(
    df: pd.DataFrame, title: str | None = None, ax: Axes | None = None, threshold: float = 3.5
) -> Axes:
    """The impact/effort 2×2: one point per row of ``df`` (columns name, impact, effort,
    both 1–5; an optional ``label`` column gives a short label, e.g. the idea's number);
    options with equal ratings share a point and a label. Labels stay inside the axes:
    points on the right half are labelled to their left."""
    ax = _axes(ax, (8, 6.5))
    names = df["label"] if "label" in df.columns else df["name"]
    labels = names.groupby([df["effort"], df["impact"]]).agg(lambda s: ", ".join(map(str, s)))
    ax.scatter(df["effort"], df["impact"], s=140, color="#455a64", zorder=3)
    for (effort, impact), text in labels.items():
        right = effort >= 3.5
        ax.annotate(
            _label(text, 24),
            (effort, impact),
            xytext=(-10 if right else 10, 6),
            textcoords="offset points",
            ha="right" if right else "left",
            va="bottom",
            fontsize=10,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "lw": 0},
            annotation_clip=True,
        )
    ax.axvline(threshold, color="#616161", linestyle="--")
    ax.axhline(threshold, color="#616161", linestyle="--")
    for x, y, text, color, align in _QUADRANT_TEXT:
        ax.text(x, y, text, fontsize=12, weight="bold", color=color, ha=align)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 6)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel("Усилия на реализацию (1 — легко, 5 — очень трудно)")
    ax.set_ylabel("Влияние на путь заявителя (1 — слабое, 5 — сильное)")
    ax.set_title(title or "Матрица «влияние — усилия»")
    ax.grid(alpha=0.2)
    return ax
