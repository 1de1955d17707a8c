"""Prototyping: the to-be journey / service blueprint editor, compared with the as-is data."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from cxlab import fmt
from cxlab.answers import AnswerStore
from cxlab.widgets.base import html_part
from cxlab.widgets.table import Field, TableEditor

__all__ = ["NOT_A_VISIT", "BlueprintEditor", "journey_measures"]

# Places that are not a visit to an office: being at home, on the way, or online.
NOT_A_VISIT = frozenset({"", "дом", "дома", "в пути", "дорога", "онлайн", "интернет", "телефон"})

PLACES = ("Дом", "В пути", "Онлайн")


def journey_measures(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Time, visits, payments and days of a journey given as blueprint rows.

    A visit is a distinct (day, place) pair at a place that is not in ``NOT_A_VISIT``; a
    payment is a row with a positive ``payment_rub``.
    """
    places = {
        (int(r["day"]), str(r["place"]).strip().lower())
        for r in rows
        if str(r["place"]).strip().lower() not in NOT_A_VISIT
    }
    return {
        "minutes": float(sum(r["minutes"] for r in rows)),
        "visits": len(places),
        "offices": len({p for _d, p in places}),
        "payments": sum(1 for r in rows if r["payment_rub"] > 0),
        "rubles": float(sum(r["payment_rub"] for r in rows)),
        "days": len({int(r["day"]) for r in rows}),
    }


def _dataset_rows(name: str) -> list[dict[str, Any]]:
    """A journey dataset as blueprint rows (front stage = the touchpoint)."""
    from cxlab import data

    df = data.load(name)
    return [
        {
            "day": int(r.day),
            "place": str(r.institution),
            "customer": str(r.step),
            "front": str(r.touchpoint),
            "back": "",
            "support": "",
            "minutes": float(r.travel_min + r.queue_min + r.service_min),
            "payment_rub": float(r.payment_rub),
        }
        for r in df.itertuples()
    ]


_MEASURES = (
    ("minutes", "Время заявителя, мин"),
    ("days", "Дней"),
    ("visits", "Визитов в учреждения"),
    ("offices", "Разных учреждений"),
    ("payments", "Отдельных оплат"),
    ("rubles", "Сумма оплат, ₽"),
)


def _times(ratio: float) -> str:
    return fmt.number(ratio, 1)


class BlueprintEditor(TableEditor):
    """A service blueprint of the to-be journey, compared live with the as-is journey.

    Each row is a step: the day, the place, what the applicant does (customer action), what
    they meet (front stage), what staff do out of sight (back stage), the support processes
    and systems, the minutes it takes the applicant and what they pay. Below the table:
    time, visits and payments of both journeys and how many times shorter the to-be is.

    The answer is a list of rows with keys ``day, place, customer, front, back, support,
    minutes, payment_rub``.
    """

    FIELDS = (
        Field("day", "День", kind="int", minimum=1, maximum=60, width="5em"),
        Field("place", "Где", kind="combo", options=PLACES, width="11em", placeholder="Онлайн"),
        Field("customer", "Действия заявителя", width="15em"),
        Field("front", "Фронт-офис (видно)", width="13em"),
        Field("back", "Бэк-офис (не видно)", width="13em"),
        Field("support", "Поддерживающие процессы", width="13em"),
        Field("minutes", "Минут", kind="float", minimum=0, maximum=1440, width="6em"),
        Field("payment_rub", "Оплата, ₽", kind="float", minimum=0, maximum=1_000_000, width="7em"),
    )
    ADD_LABEL = "Добавить шаг"
    ROW_LABEL = "Шаг"
    MAX_ROWS = 80

    def __init__(
        self,
        store: AnswerStore | None,
        qid: str | None,
        *,
        title: str = "Сервисный блупринт: путь «как должно быть»",
        baseline: str = "belgorod_journey_as_is",
        start_from: str | None = None,
    ) -> None:
        self.baseline = journey_measures(_dataset_rows(baseline))
        rows = _dataset_rows(start_from) if start_from else [{"day": 1, "place": "Онлайн"}]
        super().__init__(store, qid, title=title, rows=rows)
        self.comparison = html_part()
        self.extra.children = [self.comparison]
        self._build()

    def _new_row(self) -> dict[str, Any]:
        return self._last_day()

    def measures(self) -> dict[str, float]:
        """Time, visits, payments and days of the journey in the editor."""
        return journey_measures(self._read_ui())

    def ratio(self) -> float | None:
        """How many times less time the to-be takes than the as-is (None if 0 minutes)."""
        minutes = self.measures()["minutes"]
        return self.baseline["minutes"] / minutes if minutes else None

    def _update_view(self) -> None:
        super()._update_view()
        now = self.measures()
        rows = "".join(
            f"<tr><td>{label}</td><td style='text-align:right'>"
            f"{fmt.number(self.baseline[key], 0)}</td>"
            f"<td style='text-align:right'>{fmt.number(now[key], 0)}</td></tr>"
            for key, label in _MEASURES
        )
        ratio = self.ratio()
        verdict = (
            "Добавьте шаги с минутами, чтобы сравнить пути."
            if ratio is None
            else "По времени путь пока не изменился: удалите лишние шаги, объедините визиты."
            if _times(ratio) == "1,0"
            else f"Путь «как должно быть» занимает в {_times(ratio)} раза меньше времени заявителя."
            if ratio > 1
            else f"Путь «как должно быть» длиннее прежнего в {_times(1 / ratio)} раза: "
            "проверьте шаги."
        )
        self.comparison.value = (
            "<table><tr><th>Показатель</th><th>Как есть</th><th>Как должно быть</th></tr>"
            f"{rows}</table><p>{html.escape(verdict)}</p>"
        )
