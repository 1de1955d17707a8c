"""The report's plots (matplotlib, Agg), all labelled in Russian, returned as PNG bytes."""

from __future__ import annotations

import io

from grader.report.data import GRADED, MISSING, PENDING, UNGRADED, Grades

__all__ = ["figures", "learner_figure"]

COLORS = {GRADED: "#2f6f9f", PENDING: "#e0a030", UNGRADED: "#9fbfdf", MISSING: "#c0504d"}


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def figures(grades: Grades) -> dict[str, tuple[str, bytes]]:
    """``{name: (Russian caption, PNG)}``: statuses per assignment, scores over graded work,
    question difficulty (graded answers only) and agencies."""
    plt = _pyplot()
    out: dict[str, tuple[str, bytes]] = {}
    names = [grades.titles[a] for a in grades.assignments] or ["(нет заданий)"]
    active = set(grades.active()["id"])
    records = grades.records[grades.records["student"].isin(active)]

    # 1. Progress: how many learners are in each status, per assignment.
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bottom = [0] * len(grades.assignments)
    for status in (GRADED, PENDING, UNGRADED, MISSING):
        counts = [
            int(((records["assignment"] == a) & (records["status"] == status)).sum())
            for a in grades.assignments
        ]
        if grades.assignments:
            ax.bar(names, counts, bottom=bottom, color=COLORS[status], label=status)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_ylabel("слушателей")
    ax.set_title("Сдача работ по заданиям")
    ax.legend(fontsize=8)
    ax.set_xticks(range(len(names)), [_short(n) for n in names], rotation=20, ha="right")
    out["progress"] = ("Сколько слушателей сдали каждое задание и проверены ли работы", _png(fig))

    # 2. Scores: % of the graded points per submission, per assignment.
    fig, ax = plt.subplots(figsize=(8, 3.6))
    data = []
    for a in grades.assignments:
        r = records[(records["assignment"] == a) & (records["graded_max"] > 0)]
        data.append(list(100 * r["earned"] / r["graded_max"]))
    if any(data):
        ax.boxplot([d or [float("nan")] for d in data], showmeans=True)
        ax.set_xticks(range(1, len(names) + 1), [_short(n) for n in names], rotation=20, ha="right")
    ax.set_ylim(-5, 105)
    ax.set_ylabel("% от проверенных баллов")
    ax.set_title("Результаты по заданиям (только проверенное)")
    out["scores"] = ("Распределение результатов: процент от уже проверенных баллов", _png(fig))

    # 3. Difficulty per question, graded answers only.
    diff = grades.difficulty()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.3 * len(diff) + 1)))
    if not diff.empty:
        labels = [_short(label, 60) for label in diff["label"]]
        ax.barh(range(len(diff)), 100 * diff["mean_share"], color="#c0504d")
        ax.set_yticks(range(len(diff)), labels, fontsize=8)
        ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("средний % балла за вопрос (меньше — труднее)")
    ax.set_title("Трудность вопросов (по проверенным ответам)")
    caption = "Трудность вопросов: средний процент балла по проверенным ответам"
    out["difficulty"] = (caption, _png(fig))

    # 4. Agencies: % of the graded points.
    agencies = grades.agencies()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(agencies) + 1)))
    if not agencies.empty:
        values = agencies["% от проверенного"].fillna(0)
        ax.barh(range(len(agencies)), values, color="#2f6f9f")
        ax.set_yticks(range(len(agencies)), [_short(a, 40) for a in agencies["Ведомство"]])
        ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% от проверенных баллов")
    ax.set_title("Ведомства")
    out["agencies"] = ("Результаты ведомств: процент от проверенных баллов", _png(fig))
    return out


def learner_figure(grades: Grades, student: str) -> bytes:
    """One learner's % of the graded points per assignment (gaps where nothing is graded)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3))
    names, values, colors = [], [], []
    for a in grades.assignments:
        rec = grades.record(a, student)
        names.append(_short(grades.titles[a], 22))
        share = 100 * rec["earned"] / rec["graded_max"] if rec["graded_max"] else 0
        values.append(share)
        colors.append(COLORS.get(rec["status"], "#999999"))
    if names:
        ax.bar(range(len(names)), values, color=colors)
        ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% от проверенного")
    ax.set_title("Результаты по заданиям")
    return _png(fig)
