"""Load the course datasets by name, validated against their schemas.

Learners write ``data.load("belgorod_journey_as_is")``; nobody spells a path. The files live
in the repository's ``datasets/`` folder (described in ``datasets/README.md``); the folder is
found through ``$CXLAB_DATA_DIR`` if set, else next to the installed package.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["DatasetError", "data_dir", "describe", "load", "names"]


class DatasetError(ValueError):
    """A dataset is unknown, missing or does not match its schema (message in Russian)."""


@dataclass(frozen=True)
class Column:
    """One column of a CSV dataset: its type and the values it may take."""

    name: str
    kind: str  # "int", "float", "str", "datetime"
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    unique: bool = False


@dataclass(frozen=True)
class Dataset:
    """A named file in ``datasets/`` with its schema and a one-line Russian description."""

    name: str
    filename: str
    title: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    json_keys: tuple[str, ...] = field(default_factory=tuple)


def _c(name: str, kind: str, **kw: Any) -> Column:
    return Column(name, kind, **kw)


_PERIODS = ("до", "после")
_ROLLOUT_PHASES = ("исходный", "единая касса", "памятка", "только онлайн-запись")
_CRITERIA = ("c_value", "c_feasibility", "c_speed", "c_cost")
_JOURNEY = (
    _c("step_no", "int", min=1, unique=True),
    _c("day", "int", min=1, max=3),
    _c("stage", "str"),
    _c("step", "str"),
    _c("touchpoint", "str"),
    _c("institution", "str"),
    _c("floor", "int", nullable=True, min=1, max=9),
    _c("travel_min", "int", min=0, max=240),
    _c("queue_min", "int", min=0, max=240),
    _c("service_min", "int", min=0, max=240),
    _c("payment_rub", "int", min=0),
    _c("bill", "str", nullable=True),
    _c("emotion", "int", min=-2, max=2),
    _c("pain", "str", nullable=True),
    _c("pain_tag", "str", nullable=True),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "belgorod_journey_as_is",
            "belgorod_journey_as_is.csv",
            "Путь заявителя за медицинской справкой до изменений (типичный, иллюстрация)",
            _JOURNEY,
        ),
        Dataset(
            "belgorod_journey_to_be",
            "belgorod_journey_to_be.csv",
            "Путь заявителя за медицинской справкой после изменений 2017 г. (иллюстрация)",
            _JOURNEY,
        ),
        Dataset(
            "belgorod_applicants_log",
            "belgorod_applicants_log.csv",
            "Журнал заявителей до и после изменений: время каждого шага (синтетический)",
            (
                _c("applicant_id", "str"),
                _c("period", "str", choices=_PERIODS),
                _c("visit_day", "int", min=1, max=3),
                _c("step_no", "int", min=1),
                _c("step", "str"),
                _c("institution", "str"),
                _c("queued_at", "datetime"),
                _c("served_at", "datetime"),
                _c("finished_at", "datetime"),
                _c("payment_rub", "int", min=0),
            ),
        ),
        Dataset(
            "belgorod_survey",
            "belgorod_survey.csv",
            "Опрос заявителей до и после изменений: удовлетворенность и критерии «Ваш контроль»",
            (
                _c("respondent_id", "str", unique=True),
                _c("period", "str", choices=_PERIODS),
                _c("satisfaction", "int", min=1, max=5),
                _c("vk_time", "int", min=1, max=5),
                _c("vk_queue", "int", min=1, max=5),
                _c("vk_staff", "int", min=1, max=5),
                _c("vk_comfort", "int", min=1, max=5),
                _c("vk_info", "int", min=1, max=5),
                _c("ces", "int", min=1, max=7),
                _c("nps", "int", min=0, max=10),
                _c("comment", "str", nullable=True),
            ),
        ),
        Dataset(
            "belgorod_interviews",
            "belgorod_interviews.json",
            "Глубинные интервью с заявителями и сотрудниками, 2016 г. (иллюстрация)",
            json_keys=("pain_tags", "interviews"),
        ),
        Dataset(
            "belgorod_ideas",
            "belgorod_ideas.csv",
            "Идеи проектной команды для кейса с оценками по критериям (иллюстрация)",
            (
                _c("idea_id", "str", unique=True),
                _c("idea", "str"),
                _c("pain_tag", "str"),
                *(_c(n, "int", min=1, max=5) for n in _CRITERIA),
                _c("impact", "int", min=1, max=5),
                _c("effort", "int", min=1, max=5),
                _c("votes", "int", min=0, max=8),
                _c("implemented_2017", "int", min=0, max=1),
            ),
        ),
        Dataset(
            "belgorod_usability_tests",
            "belgorod_usability_tests.csv",
            "Тестирование прототипа: успех и время выполнения заданий, два раунда (синтетический)",
            (
                _c("participant_id", "str"),
                _c("round", "int", min=1, max=2),
                _c("task", "str"),
                _c("success", "int", min=0, max=1),
                _c("time_sec", "int", min=1, max=3600),
                _c("errors", "int", min=0, max=20),
            ),
        ),
        Dataset(
            "belgorod_sus",
            "belgorod_sus.csv",
            "Анкета SUS участников тестирования прототипа, два раунда (синтетический)",
            (
                _c("participant_id", "str", unique=True),
                _c("round", "int", min=1, max=2),
                *(_c(f"q{i}", "int", min=1, max=5) for i in range(1, 11)),
            ),
        ),
        Dataset(
            "belgorod_complaints",
            "belgorod_complaints.csv",
            "Жалобы на получение медицинской справки по месяцам и темам, 2016–2018 (синтетический)",
            (
                _c("month", "str"),
                _c("topic", "str"),
                _c("count", "int", min=0),
            ),
        ),
        Dataset(
            "rollout_region_2018",
            "rollout_region_2018.csv",
            "Внедрение трёх мер в условном регионе, 2018: заявители по месяцам (синтетический)",
            (
                _c("applicant_id", "str", unique=True),
                _c("month", "str"),
                _c("phase", "str", choices=_ROLLOUT_PHASES),
                _c("district", "str", choices=("город", "пригород", "отдалённый район")),
                _c("age_group", "str", choices=("18–34", "35–59", "60 и старше")),
                _c("booking", "str", choices=("онлайн", "телефон", "без записи")),
                _c("visits", "int", min=1, max=3),
                _c("time_min", "int", min=30, max=600),
                _c("satisfaction", "int", min=1, max=5),
            ),
        ),
        Dataset(
            "civil_service_stats",
            "civil_service_stats.csv",
            "Государственная служба в цифрах: Гайдаровский форум — 2022",
            (
                _c("indicator", "str"),
                _c("group", "str"),
                _c("value", "float", min=0),
                _c("unit", "str"),
                _c("qualifier", "str", nullable=True),
                _c("source", "str"),
            ),
        ),
        Dataset(
            "internal_clients_regions",
            "internal_clients_regions.csv",
            "Практики работы с внутренними клиентами: Амурская, Московская, Ленинградская области",
            (
                _c("region", "str"),
                _c("practice", "str"),
                _c("indicator", "str"),
                _c("year", "int", nullable=True, min=2000, max=2030),
                _c("value", "float", min=0),
                _c("unit", "str"),
                _c("qualifier", "str", nullable=True),
                _c("source", "str"),
            ),
        ),
    )
}


def data_dir() -> Path:
    """Return the folder holding the dataset files."""
    env = os.environ.get("CXLAB_DATA_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "datasets"


def names() -> list[str]:
    """Return the names :func:`load` accepts, sorted."""
    return sorted(DATASETS)


def describe(name: str) -> str:
    """Return the Russian one-line description of a dataset."""
    return _spec(name).title


def _spec(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(names())
        raise DatasetError(f"Набор данных «{name}» не найден. Доступные наборы: {known}.") from None


def load(name: str) -> pd.DataFrame | dict:
    """Load a dataset by name: a validated DataFrame for CSV, the parsed object for JSON.

    Raises :class:`DatasetError` (in Russian, naming the file and the problem) if the name is
    unknown, the file is missing or unreadable, or its content breaks the schema.
    """
    spec = _spec(name)
    path = data_dir() / spec.filename
    if not path.is_file():
        raise DatasetError(f"Файл {path} для набора «{name}» не найден.")
    if spec.filename.endswith(".json"):
        return _load_json(spec, path)
    return _load_csv(spec, path)


def _load_json(spec: Dataset, path: Path) -> dict:
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"Файл {path.name}: не удалось прочитать JSON ({exc}).") from exc
    if not isinstance(obj, dict):
        raise DatasetError(f"Файл {path.name}: ожидался объект JSON верхнего уровня.")
    missing = [k for k in spec.json_keys if k not in obj]
    if missing:
        raise DatasetError(f"Файл {path.name}: нет обязательных ключей {', '.join(missing)}.")
    return obj


def _read_columns(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Return the header, the values of each column and each record's first line as a text
    editor counts. The file is read as a stream into one list per column: no copy of the whole
    text and no list per row stays in memory while the columns are converted."""
    header: list[str] | None = None
    columns: list[list[str]] = []
    lines: list[int] = []
    last = 0
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.reader(file)
            for row in reader:
                start, last = last + 1, reader.line_num
                if not row:  # a blank line
                    continue
                if header is None:
                    header = row
                    columns = [[] for _ in header]
                    continue
                if len(row) != len(header):
                    raise DatasetError(
                        f"Файл {path.name}, строка {start}: {len(row)} полей вместо {len(header)}."
                    )
                for column, value in zip(columns, row, strict=True):
                    column.append(value)
                lines.append(start)
    except UnicodeDecodeError as exc:
        raise DatasetError(
            f"Файл {path.name}: не в кодировке UTF-8 ({exc}). Сохраните его как UTF-8."
        ) from exc
    except csv.Error as exc:
        raise DatasetError(f"Файл {path.name}: не удалось прочитать CSV ({exc}).") from exc
    if header is None:
        raise DatasetError(f"Файл {path.name} пуст.")
    return header, columns, lines


def _load_csv(spec: Dataset, path: Path) -> pd.DataFrame:
    header, columns, lines = _read_columns(path)
    expected = [c.name for c in spec.columns]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing or extra or repeated:
        parts = []
        if repeated:
            parts.append("повторяются столбцы " + ", ".join(repeated))
        if missing:
            parts.append("нет столбцов " + ", ".join(missing))
        if extra:
            parts.append("лишние столбцы " + ", ".join(extra))
        raise DatasetError(f"Файл {path.name}: " + "; ".join(parts) + ".")
    raw = dict(zip(header, columns, strict=True))
    del columns
    out = pd.DataFrame(index=pd.RangeIndex(len(lines)))
    for col in spec.columns:
        # each column's text is dropped as soon as it is converted
        out[col.name] = _convert(path.name, col, pd.Series(raw.pop(col.name), dtype=object), lines)
    return out


_INT_LIMIT = 2**53  # beyond this float64 (used while checking) loses integer precision


def _convert(filename: str, col: Column, raw: pd.Series, lines: list[int]) -> pd.Series:
    where = f"Файл {filename}, столбец «{col.name}»"
    empty = raw.str.strip() == ""
    if empty.any() and not col.nullable:
        row = lines[int(empty.idxmax())]
        raise DatasetError(f"{where}: пустое значение в строке {row}.")
    if col.kind == "str":
        values = raw.where(~empty, None).astype("object")
        if col.choices is not None:
            bad = values.notna() & ~values.isin(col.choices)
            if bad.any():
                row = lines[int(bad.idxmax())]
                raise DatasetError(
                    f"{where}: недопустимое значение «{raw[bad.idxmax()]}» в строке {row}; "
                    f"допустимы: {', '.join(col.choices)}."
                )
        result = values
    elif col.kind == "datetime":
        result = pd.to_datetime(raw.where(~empty, None), format="%Y-%m-%dT%H:%M", errors="coerce")
        bad = result.isna() & ~empty
        if bad.any():
            row = lines[int(bad.idxmax())]
            raise DatasetError(
                f"{where}: «{raw[bad.idxmax()]}» в строке {row} — не дата вида ГГГГ-ММ-ДДTЧЧ:ММ."
            )
    else:
        numbers = pd.to_numeric(raw.where(~empty, None), errors="coerce")
        bad = numbers.isna() & ~empty
        if col.kind == "int":
            bad |= numbers.notna() & ((numbers % 1 != 0) | (numbers.abs() >= _INT_LIMIT))
        if bad.any():
            row = lines[int(bad.idxmax())]
            kind = "целое число" if col.kind == "int" else "число"
            raise DatasetError(f"{where}: «{raw[bad.idxmax()]}» в строке {row} — не {kind}.")
        if col.min is not None and (numbers < col.min).any():
            row = lines[int((numbers < col.min).idxmax())]
            raise DatasetError(f"{where}: значение в строке {row} меньше {col.min:g}.")
        if col.max is not None and (numbers > col.max).any():
            row = lines[int((numbers > col.max).idxmax())]
            raise DatasetError(f"{where}: значение в строке {row} больше {col.max:g}.")
        if col.kind == "int":
            result = numbers.astype("Int64" if col.nullable else "int64")
        else:
            result = numbers.astype("float64")
    if col.unique and result.duplicated().any():
        row = lines[int(result.duplicated().idxmax())]
        raise DatasetError(f"{where}: повторяющееся значение в строке {row}.")
    return result
