"""Charts for the course, with Russian titles and labels.

Every function draws on the Axes it is given (or a new figure) and returns the Axes; none
changes matplotlib's global settings.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

__all__ = ["compare_totals", "emotion_curve", "journey_timeline"]

_PARTS = {
    "travel_min": ("Дорога", "#9e9e9e"),
    "queue_min": ("Ожидание в очереди", "#e57373"),
    "service_min": ("Обслуживание", "#64b5f6"),
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _fig, new_ax = plt.subplots(figsize=size, layout="constrained")
    return new_ax


def _label(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


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
    for day, group in df.reset_index(drop=True).groupby("day"):
        start, end = group.index.min() + 0.5, group.index.max() + 1.5
        ax.axvspan(start, end, color="#eceff1" if day % 2 else "#ffffff", zorder=0)
        ax.text((start + end) / 2, 2.35, f"День {day}", ha="center", fontsize=9)
    ax.set_xticks(list(x), [_label(s, 16) for s in df["step"]], rotation=90, fontsize=8)
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
        ax.text(i, total, f"{total:.0f} мин", ha="center", va="bottom")
    ax.set_ylabel("Минуты")
    ax.set_title(title or "Затраты времени заявителя: всего")
    ax.legend()
    return ax
