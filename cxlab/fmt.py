"""Numbers, dates and tables as a Russian reader expects them, in one place.

- ``number(1234567.5)`` → «1 234 567,5»: a decimal comma, thousands grouped with a narrow
  no-break space (U+202F) from five digits on (``2017``, ``1300`` stay whole), «−» for minus;
- ``percent(28.5)`` → «28,5%» (percentage points), ``share(0.285)`` → «28,5%» (a fraction);
- ``date(datetime.date(2026, 12, 6))`` → «6 декабря 2026»;
- ``ticks(ax)``: Russian numbers on a matplotlib Axes' tick labels;
- ``table(df)``: a DataFrame as learners read it: Russian headers (the code name of each
  column stays visible below it, small, because learners type it in their code), Russian
  numbers, and a frame that scrolls sideways inside itself instead of widening the cell;
- ``use_in_notebook()``: makes every DataFrame, Series and matplotlib figure a lecture shows
  go through ``table`` and ``ticks`` (and gives charts a text alternative for screen readers).
  It registers display formatters of the running IPython only; matplotlib's and pandas'
  global settings are left alone. Charts are shown as SVG: a vector image needs no pixel
  buffer, which keeps a learner's kernel within its memory budget (``docs/ARCHITECTURE.md``).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
import numbers
import sys
from collections.abc import Mapping
from typing import Any

__all__ = [
    "HEADERS",
    "date",
    "number",
    "percent",
    "share",
    "table",
    "ticks",
    "use_in_notebook",
]

GROUP = "\u202f"  # narrow no-break space: the thousands separator of Russian typography
MINUS = "\u2212"
MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

# Russian headers for the columns of the case data and of the tables the lectures compute.
HEADERS: dict[str, str] = {
    # journeys
    "step_no": "№ шага",
    "day": "День",
    "stage": "Этап",
    "step": "Шаг",
    "touchpoint": "Точка контакта",
    "institution": "Учреждение",
    "floor": "Этаж",
    "travel_min": "Дорога, мин",
    "queue_min": "Очередь, мин",
    "service_min": "Обслуживание, мин",
    "payment_rub": "Оплата, ₽",
    "bill": "Чек",
    "emotion": "Эмоция",
    "pain": "«Боль»",
    "pain_tag": "Код «боли»",
    "pain_tags": "Коды «болей»",
    "tag": "Код «боли»",
    "lost_min": "Потеряно, мин",
    "measure": "Мера",
    # survey, log, tests
    "period": "Период",
    "satisfaction": "Удовлетворённость",
    "satisfied": "Удовлетворён",
    "vk_time": "«Ваш контроль»: время",
    "vk_queue": "«Ваш контроль»: очередь",
    "vk_staff": "«Ваш контроль»: персонал",
    "vk_comfort": "«Ваш контроль»: комфорт",
    "vk_info": "«Ваш контроль»: информация",
    "ces": "CES",
    "nps": "NPS",
    "comment": "Комментарий",
    "respondent_id": "Респондент",
    "applicant_id": "Заявитель",
    "participant_id": "Участник",
    "visit_day": "День визита",
    "queued_at": "Встал в очередь",
    "served_at": "Принят",
    "finished_at": "Закончил",
    "round": "Раунд",
    "task": "Задание",
    "success": "Успех",
    "time_sec": "Время, с",
    "errors": "Ошибок",
    "month": "Месяц",
    "topic": "Тема",
    "count": "Число",
    # interviews
    "id": "Код",
    "role": "Роль",
    "name": "Имя",
    "age": "Возраст",
    "occupation": "Занятие",
    # ideas and selection
    "idea_id": "№ идеи",
    "idea": "Идея",
    "implemented_2017": "Принята в 2017",
    "c_value": "Ценность",
    "c_feasibility": "Реализуемость",
    "c_speed": "Скорость",
    "c_cost": "Стоимость",
    "impact": "Влияние",
    "effort": "Усилия",
    "votes": "Голоса",
    "score": "Взвешенная оценка",
    "rank": "Место",
    "my_score": "Моя оценка",
    "my_rank": "Моё место",
    "quadrant": "Квадрант",
    "decision": "Решение",
    "interviews": "Интервью",
    # statistics and practices
    "indicator": "Показатель",
    "group": "Группа",
    "value": "Значение",
    "unit": "Единица",
    "qualifier": "Уточнение",
    "year": "Год",
    "source": "Источник",
    "region": "Регион",
    "practice": "Практика",
    "steps": "Шагов",
    "bills": "Чеков",
}


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _group(digits: str) -> str:
    if len(digits) < 5:  # 1300, 2017: four-digit numbers are not split
        return digits
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return GROUP.join(parts)


def number(x: Any, decimals: int | None = None) -> str:
    """``x`` in Russian: «1 234 567,5», «0,25», «−3». ``decimals=None`` shows a whole number
    without decimals and any other with up to two (trailing zeros dropped)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if not _is_number(x):
        return str(x)
    value = float(x)
    if math.isinf(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    if decimals is None:
        text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.{decimals}f}"
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    if negative and not (whole.strip("0") or fraction.strip("0")):
        negative = False  # no «−0»
    out = _group(whole) + ("," + fraction if fraction else "")
    return (MINUS if negative else "") + out


def percent(points: Any, decimals: int | None = None) -> str:
    """Percentage points as «28,5%» (``points=28.5``)."""
    return f"{number(points, decimals)}%"


def share(fraction: Any, decimals: int | None = None) -> str:
    """A fraction as a percentage: ``share(0.285)`` → «28,5%»."""
    if not _is_number(fraction):
        return "—"
    return percent(float(fraction) * 100, decimals)


def date(day: dt.date | dt.datetime | str) -> str:
    """A date as «6 декабря 2026» (a ``date``, a ``datetime`` or an ISO string)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# -- charts --------------------------------------------------------------------------------


def ticks(ax: Any, *, x: bool = True, y: bool = True) -> Any:
    """Russian numbers on the tick labels of ``ax`` (only where matplotlib's default number
    formatter is in use: text labels and dates stay as they are). Returns ``ax``."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    def tick(value: float, _position: int) -> str:
        return number(round(value, 6))

    for use, axis in ((x, ax.xaxis), (y, ax.yaxis)):
        if use and type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(FuncFormatter(tick))
    return ax


def _alt_text(fig: Any) -> str:
    """A text alternative for a chart: its titles and axis labels."""
    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        title = ax.get_title() or ax.get_title(loc="left")
        bits = [b for b in (title,) if b]
        if ax.get_xlabel():
            bits.append(f"по горизонтали: {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"по вертикали: {ax.get_ylabel()}")
        if bits:
            parts.append("; ".join(bits))
    return "График. " + ". ".join(parts) if parts else "График"


def figure_svg(fig: Any) -> str:
    """The figure as SVG text with Russian tick numbers, cropped to what it shows (as the
    inline backend's ``bbox_inches="tight"``). Empty for a figure with nothing drawn.

    A vector image needs no pixel buffer: a PNG of the lectures' 13 × 8.5 in dashboard holds
    two of about 5 MB each while it is made (the whole figure, then the cropped one), which
    is what pushed a learner's kernel over its memory budget.
    """
    if not fig.axes and not fig.lines:
        return ""
    for ax in fig.axes:
        ticks(ax)
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        facecolor=fig.get_facecolor(),
        edgecolor=fig.get_edgecolor(),
        metadata={"Date": None},  # the same figure gives the same output
    )
    return buffer.getvalue().decode("utf-8")


def figure_html(fig: Any, svg: str | None = None) -> str:
    """The figure as an ``<img>`` with Russian tick numbers and a text alternative
    (``svg``: the figure's :func:`figure_svg`, if already made)."""
    svg = figure_svg(fig) if svg is None else svg
    if not svg:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(_alt_text(fig), quote=True)
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" style="max-width:100%">'


def _figure_bundle(fig: Any) -> dict[str, str]:
    """What a notebook stores for a figure, drawn once: the ``<img>`` with its text
    alternative (shown by JupyterLab) and the SVG itself (for exports that read no HTML)."""
    svg = figure_svg(fig)
    _release_raster(fig)
    if not svg:
        return {}
    return {"text/html": figure_html(fig, svg), "image/svg+xml": svg}


def _release_raster(fig: Any) -> None:
    """Drop the pixel buffer an Agg canvas keeps from its last draw (pyplot draws every open
    figure after each cell), about 5 bytes a pixel. Closing a pyplot figure gives it a new
    canvas, but the old one lives on in a reference cycle until the garbage collector's next
    full pass, and a figure shown without closing keeps it while a variable holds the figure.
    The canvas makes a new buffer when it is drawn again."""
    canvas = fig.canvas
    if getattr(canvas, "renderer", None) is not None and hasattr(canvas, "_lastKey"):
        canvas.renderer = None
        canvas._lastKey = None  # FigureCanvasAgg.get_renderer reuses the buffer while it matches


# -- tables --------------------------------------------------------------------------------

TABLE_STYLE = (
    "<style>.cxlab-table{overflow-x:auto;max-width:100%}"
    ".cxlab-table table{border-collapse:collapse}"
    ".cxlab-table th,.cxlab-table td{white-space:normal;max-width:28em;"
    "vertical-align:top;text-align:left}"
    ".cxlab-table td.cxlab-num{text-align:right;white-space:nowrap}"
    ".cxlab-table .cxlab-code{color:#555;font-weight:normal;font-size:85%}</style>"
)


def _cell(value: Any) -> tuple[str, bool]:
    """A table cell's HTML and whether it holds a number."""
    if isinstance(value, bool):
        return ("да" if value else "нет"), False
    if _is_number(value):
        return number(value), True
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—", False
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return "—", False
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(value, dt.datetime):
        return html.escape(f"{date(value)}, {value:%H:%M}"), False
    if isinstance(value, dt.date):
        return html.escape(date(value)), False
    if isinstance(value, list | tuple):
        return html.escape(", ".join(map(str, value))), False
    return html.escape(str(value)), False


def _header(name: Any, headers: Mapping[str, str]) -> str:
    if isinstance(name, tuple):
        return " / ".join(_header(n, headers) for n in name)
    text = "" if name is None else str(name)
    label = headers.get(text)
    if label is None or label == text:
        return html.escape(text)
    return f'{html.escape(label)}<br><span class="cxlab-code">{html.escape(text)}</span>'


class Table:
    """A table for display: ``_repr_html_`` renders it the Russian way (see :func:`table`)."""

    def __init__(
        self, data: Any, headers: Mapping[str, str] | None = None, max_rows: int | None = None
    ) -> None:
        import pandas as pd

        if isinstance(data, pd.Series):
            data = data.to_frame(name="Значение" if data.name is None else data.name)
        frame = data
        self.frame: pd.DataFrame = frame
        self.headers = {**HEADERS, **(headers or {})}
        self.max_rows = pd.get_option("display.max_rows") if max_rows is None else max_rows

    def _repr_html_(self) -> str:
        import pandas as pd

        frame, headers = self.frame, self.headers
        shown, note = frame, ""
        if self.max_rows and len(frame) > self.max_rows:
            shown = frame.iloc[list(range(5)) + list(range(len(frame) - 5, len(frame)))]
            note = f"<p>Показаны первые 5 и последние 5 строк из {number(len(frame))}.</p>"
        index_names = [n for n in frame.index.names if n is not None]
        show_index = bool(index_names) or not frame.index.equals(pd.RangeIndex(len(frame)))
        head = "".join(
            f"<th>{_header(n, headers)}</th>" for n in (frame.index.names if show_index else [])
        ) + "".join(f"<th>{_header(c, headers)}</th>" for c in frame.columns)
        rows = []
        for position, (key, row) in enumerate(
            zip(shown.index, shown.itertuples(index=False), strict=True)
        ):
            if note and position == 5:
                rows.append(f"<tr><td colspan='{len(frame.columns) + 1}'>…</td></tr>")
            keys = key if isinstance(key, tuple) else (key,)
            cells = [f"<th>{_cell(k)[0]}</th>" for k in (keys if show_index else ())]
            for value in row:
                text, numeric = _cell(value)
                cells.append(
                    f"<td class='cxlab-num'>{text}</td>" if numeric else f"<td>{text}</td>"
                )
            rows.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"Таблица: {number(len(frame))} строк, {number(len(frame.columns))} столбцов"
        return (
            f"{TABLE_STYLE}<div class='cxlab-table' tabindex='0' role='region' "
            f"aria-label='{caption}'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>{note}"
        )


def table(data: Any, headers: Mapping[str, str] | None = None) -> Table:
    """``data`` (a DataFrame or a Series) for display with Russian headers and numbers.

    ``headers`` adds or overrides Russian headers (column name → header); a known column
    shows its code name below the header, small, so the learner still knows what to type.
    """
    return Table(data, headers)


# -- the notebook hook ---------------------------------------------------------------------


def use_in_notebook() -> bool:
    """Show DataFrames, Series and matplotlib figures of this IPython session the Russian
    way (see the module's docstring). Returns False outside IPython (nothing to do)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return False
    shell = get_ipython()
    if shell is None:
        return False
    # Registered by name: pandas and matplotlib are imported by the lecture when it needs them,
    # not here.
    html_formatter = shell.display_formatter.formatters["text/html"]
    html_formatter.for_type_by_name("pandas", "DataFrame", lambda df: Table(df)._repr_html_())
    html_formatter.for_type_by_name("pandas", "Series", lambda s: Table(s)._repr_html_())
    # Figures go through the mime-bundle formatter: the inline backend resets the per-format
    # formatters of figures whenever it is set up (at the first plot), never this one.
    bundles = shell.display_formatter.mimebundle_formatter
    bundles.for_type_by_name("matplotlib.figure", "Figure", _figure_bundle)
    # The bundle already holds the SVG, so the inline backend's own SVG formatter is skipped;
    # left at its default (PNG) it would rasterise every figure as well. As
    # ``%config InlineBackend.figure_formats = {"svg"}`` does, without importing the backend
    # (its package imports matplotlib): read when the backend is set up, at the first plot.
    shell.config.InlineBackend.figure_formats = {"svg"}
    backend = sys.modules.get("matplotlib_inline.config")
    if backend is not None and backend.InlineBackend.initialized():
        backend.InlineBackend.instance().figure_formats = {"svg"}
    return True
