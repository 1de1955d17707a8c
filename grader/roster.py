"""Read a cohort's roster (CSV or XLSX) and refuse a bad one with the row and the reason.

Columns (case and spacing do not matter; Russian headers are accepted too):
``id, last name, first name, email, agency``. The id becomes the learner's nbgrader student id
and JupyterHub user name, so it must be a safe Unix-style login name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COLUMNS", "Learner", "RosterError", "read_roster"]

COLUMNS = ("id", "last_name", "first_name", "email", "agency")
_ALIASES = {
    "id": "id",
    "student_id": "id",
    "login": "id",
    "логин": "id",
    "last_name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "фамилия": "last_name",
    "first_name": "first_name",
    "firstname": "first_name",
    "name": "first_name",
    "имя": "first_name",
    "email": "email",
    "e_mail": "email",
    "mail": "email",
    "почта": "email",
    "электронная_почта": "email",
    "agency": "agency",
    "organisation": "agency",
    "organization": "agency",
    "ведомство": "agency",
    "организация": "agency",
}
# A login name JupyterHub, nbgrader's exchange and useradd all accept: lower-case Latin letters,
# digits, "_" and "-", starting with a letter, at most 32 characters.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(ValueError):
    """The roster cannot be used; ``problems`` lists ``(row, reason)`` pairs (row 1 = header)."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]):
        self.path = path
        self.problems = problems
        lines = [f"{path}: the roster is refused ({len(problems)} problem(s)):"]
        for row, reason in problems:
            lines.append(f"  row {row}: {reason}" if row else f"  {reason}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Learner:
    id: str
    last_name: str
    first_name: str
    email: str
    agency: str


def _key(header: str) -> str:
    return re.sub(r"[\s\-.]+", "_", header.strip().lower().replace("ё", "е"))


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("cp1251")
            hint = " It looks like Windows-1251 (cp1251), as Excel saves 'CSV' in Russian Windows."
        except UnicodeDecodeError:
            pass
        raise RosterError(
            path,
            [(row, f"the file is not UTF-8 (byte {exc.start}).{hint} Save it as 'CSV UTF-8'.")],
        ) from None


def _rows_csv(path: Path) -> list[list[str]]:
    text = _decode(path, path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _rows_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise RosterError(path, [(None, f"not a readable XLSX workbook ({exc})")]) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_roster(path: str | Path) -> list[Learner]:
    """Return the learners of a roster, or raise :class:`RosterError` listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(path, [(None, "no such file")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _rows_xlsx(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _rows_csv(path)
    else:
        raise RosterError(path, [(None, f"unknown roster format '{suffix}': use .csv or .xlsx")])
    rows = [[cell.strip() for cell in row] for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise RosterError(path, [(None, "the file is empty")])

    header = [_ALIASES.get(_key(h), _key(h)) for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RosterError(
            path,
            [(1, f"missing column(s): {', '.join(missing)} (found: {', '.join(rows[0])})")],
        )
    index = {c: header.index(c) for c in COLUMNS}
    problems: list[tuple[int | None, str]] = []
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values = {c: (row[i] if i < len(row) else "") for c, i in index.items()}
        sid = values["id"]
        if not sid:
            problems.append((number, "empty id"))
        elif not ID_PATTERN.match(sid):
            problems.append(
                (
                    number,
                    f"invalid id '{sid}': use 1-32 lower-case Latin letters, digits, '_' or '-', "
                    "starting with a letter",
                )
            )
        elif sid in seen:
            problems.append((number, f"duplicate id '{sid}' (first on row {seen[sid]})"))
        else:
            seen[sid] = number
        for column in ("last_name", "first_name"):
            if not values[column]:
                problems.append((number, f"empty {column.replace('_', ' ')}"))
        if not _EMAIL.match(values["email"]):
            problems.append((number, f"invalid email '{values['email']}'"))
        learners.append(Learner(**values))
    if problems:
        raise RosterError(path, problems)
    if not learners:
        raise RosterError(path, [(None, "no learners: the roster has only a header")])
    return learners
