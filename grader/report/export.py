"""Tables out of the report: CSV for Russian Excel, one XLSX workbook, Moodle's grade import.

Russian Excel opens a CSV as columns when it is separated by ``;``, starts with a UTF-8 BOM
and writes decimals with a comma; that is what :func:`write_csv` writes.

``moodle.csv`` is a file for Moodle's gradebook import («Импорт оценок» → «CSV-файл»):
one row per learner keyed by ``Email address`` and ``ID number`` (the learner's login), one
column per assignment with the points of work that is completely graded, blank otherwise
(Moodle leaves a blank grade unchanged). Comma-separated, UTF-8, decimal point.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from grader.report.data import GRADED, Grades

__all__ = ["MOODLE_EMAIL", "MOODLE_IDNUMBER", "write_csv", "write_moodle", "write_xlsx"]

MOODLE_EMAIL = "Email address"
MOODLE_IDNUMBER = "ID number"


def excel_number(value) -> object:
    """A number as Russian Excel reads it (``11``, ``27,8``); other values as they are."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        if pd.isna(value):
            return ""
        return f"{float(value):g}".replace(".", ",")
    return value


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """``;``-separated, UTF-8 with a BOM, decimal commas: Russian Excel opens it as columns."""
    table = table.astype(object).map(excel_number)
    table.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path


def _sheet_name(name: str, taken: set[str]) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    base, n = name, 2
    while name in taken:
        name = f"{base[:28]}~{n}"
        n += 1
    taken.add(name)
    return name


def write_xlsx(grades: Grades, path: Path) -> Path:
    """Sheets: «Итоги», «Ведомства», «Задания», «Вопросы», then one per assignment."""
    from openpyxl.utils import get_column_letter

    taken: set[str] = set()
    sheets = [
        ("Итоги", grades.summary()),
        ("Ведомства", grades.agencies()),
        ("Задания", grades.assignment_overview()),
        ("Вопросы", grades.questions_table()),
        *[(grades.titles[a], grades.assignment_table(a)) for a in grades.assignments],
    ]
    with pd.ExcelWriter(path, engine="openpyxl") as xlsx:
        for title, table in sheets:
            name = _sheet_name(title, taken)
            table.to_excel(xlsx, sheet_name=name, index=False)
            sheet = xlsx.sheets[name]
            sheet.freeze_panes = "B2"
            for i, column in enumerate(table.columns, start=1):
                width = min(40, max(10, len(str(column)) // 2 + 4))
                sheet.column_dimensions[get_column_letter(i)].width = width
    return path


def moodle_rows(grades: Grades) -> list[dict[str, object]]:
    rows = []
    for learner in grades.learners.itertuples():
        row: dict[str, object] = {MOODLE_EMAIL: learner.email, MOODLE_IDNUMBER: learner.id}
        for a in grades.assignments:
            rec = grades.record(a, learner.id)
            graded = rec["status"] == GRADED
            row[grades.titles[a]] = round(float(rec["earned"]), 2) if graded else ""
        rows.append(row)
    return rows


def write_moodle(grades: Grades, path: Path) -> Path:
    columns = [MOODLE_EMAIL, MOODLE_IDNUMBER, *[grades.titles[a] for a in grades.assignments]]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(moodle_rows(grades))
    return path
