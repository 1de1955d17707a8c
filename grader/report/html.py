"""The report's HTML: the cohort page and a page per learner, in Russian.

Tables never overflow the page: each sits in a box that scrolls sideways, headers wrap, and
the first column (the learner) stays in view while scrolling.
"""

from __future__ import annotations

import base64
import html
from datetime import UTC, datetime

import pandas as pd

from cxlab import fmt
from grader.report.data import GRADED, MISSING, PENDING, UNGRADED, WITHDRAWN, Grades

__all__ = ["cohort_page", "learner_page"]

STYLE = """
body{font-family:system-ui,sans-serif;max-width:72em;margin:1em auto;padding:0 1em;color:#222}
.table-box{max-width:100%;overflow-x:auto;border:1px solid #ddd;margin:0.5em 0 1.5em}
table{border-collapse:collapse;font-size:0.9em}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3;white-space:normal;min-width:5em;max-width:14em;text-align:left}
td{white-space:nowrap}
tr>:first-child{position:sticky;left:0;background:#fff}
tr>th:first-child{background:#f3f3f3}
.st-missing{color:#a12}.st-pending{color:#a60}.st-graded{color:#264}.st-withdrawn{color:#777}
img{max-width:100%}figure{margin:1em 0}figcaption{font-size:0.9em;color:#555}
"""

_CLASSES = {
    MISSING: "st-missing",
    PENDING: "st-pending",
    UNGRADED: "st-pending",
    GRADED: "st-graded",
    WITHDRAWN: "st-withdrawn",
}


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return fmt.number(value)
    text = html.escape(str(value))
    for status, css in _CLASSES.items():
        if str(value).startswith(status):
            return f'<span class="{css}">{text}</span>'
    return text


def table(frame: pd.DataFrame, links: dict[str, str] | None = None) -> str:
    """An HTML table in a scrolling box; ``links`` turns first-column values into links."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for i, value in enumerate(values):
            text = _cell(value)
            if i == 0 and links and str(value) in links:
                text = f'<a href="{html.escape(links[str(value)])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "\n".join(rows)
    return (
        f'<div class="table-box"><table><thead><tr>{head}</tr></thead>\n'
        f"<tbody>{body}</tbody></table></div>"
    )


def _image(caption: str, png: bytes) -> str:
    data = base64.b64encode(png).decode()
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
{body}
</body></html>
"""


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


EXPLAIN = (
    "<p>Баллы считаются только за проверенное: «% от проверенного» — доля баллов за уже "
    "проверенные ответы, «% от выданного» — доля от всех баллов выданных заданий "
    "({released:g}). «{missing}» и «{pending}» — статусы, а не ноль: несданная работа и "
    "ответы, которые ждут преподавателя, в «% от проверенного» не входят. Штраф за "
    "опоздание уже вычтен из баллов. Трудность вопросов считается только по проверенным "
    "ответам.</p>"
)


def cohort_page(grades: Grades, images: dict[str, tuple[str, bytes]], links: dict[str, str]) -> str:
    learners = grades.learners
    active = int((learners["withdrawn"] == "").sum())
    gone = len(learners) - active
    body = [
        f"<h1>Когорта {html.escape(grades.cohort)}: успеваемость</h1>",
        f"<p>Слушателей: {active}"
        + (f" (и выбыли: {gone})" if gone else "")
        + f"; выдано заданий: {len(grades.assignments)}. Отчёт составлен {_stamp()}.</p>",
        EXPLAIN.format(released=grades.released_max, missing=MISSING, pending=PENDING),
        "<h2>Задания</h2>",
        table(grades.assignment_overview()),
        "<h2>Ведомства</h2>",
        table(grades.agencies()),
        "<h2>Слушатели</h2>",
        "<p>Имя слушателя ведёт на его страницу.</p>",
        table(grades.summary(), links),
        "<h2>Графики</h2>",
        *[_image(caption, png) for caption, png in images.values()],
        "<h2>Вопросы</h2>",
        table(grades.questions_table()),
    ]
    return _page(f"Когорта {grades.cohort}: успеваемость", "\n".join(body))


def learner_page(grades: Grades, student: str, png: bytes | None) -> str:
    learner = grades.learners.set_index("id").loc[student]
    name = f"{learner['last_name']} {learner['first_name']}".strip() or student
    body = [
        f'<p><a href="../report.html">← Когорта {html.escape(grades.cohort)}</a></p>',
        f"<h1>{html.escape(name)}</h1>",
        f"<p>Логин: {html.escape(student)}; ведомство: {html.escape(learner['agency'] or '—')}"
        f"; почта: {html.escape(learner['email'] or '—')}.</p>",
    ]
    if learner["withdrawn"]:
        body.append(f'<p class="st-withdrawn">{WITHDRAWN} {html.escape(learner["withdrawn"])}.</p>')
    rows = []
    for a in grades.assignments:
        rec = grades.record(a, student)
        has_points = rec["status"] in (GRADED, PENDING)
        rows.append(
            {
                "Задание": grades.titles[a],
                "Статус": rec["status"],
                "Баллы": rec["earned"] if has_points else None,
                "Из проверенного": rec["graded_max"] if has_points else None,
                "Ожидает проверки, баллов": rec["pending_max"] if has_points else None,
                "Максимум": grades.max_points[a],
                "Срок": grades.local(grades.duedates[a]),
                "Продление": _extension(rec["extension"]),
                "Сдано": grades.local(rec["timestamp"]),
                "Штраф": rec["penalty"] if rec["penalty"] else None,
            }
        )
    body += ["<h2>Задания</h2>", table(pd.DataFrame(rows))]
    if png is not None:
        body.append(_image("Процент от проверенных баллов по заданиям", png))
    q = grades.questions[grades.questions["student"] == student]
    for a in grades.assignments:
        mine = q[q["assignment"] == a]
        if mine.empty:
            continue
        detail = pd.DataFrame(
            {
                "Вопрос": mine["label"],
                "Баллы": [
                    s if g else PENDING for s, g in zip(mine["score"], mine["graded"], strict=True)
                ],
                "Максимум": mine["max_score"],
            }
        )
        body += [f"<h3>{html.escape(grades.titles[a])}</h3>", table(detail)]
    return _page(f"{name}: успеваемость", "\n".join(body))


def _extension(value) -> str:
    if value is None or (not isinstance(value, pd.Timedelta) and pd.isna(value)):
        return ""
    days = value.total_seconds() / 86400
    return f"+{fmt.number(days)} дн"
