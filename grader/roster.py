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

from grader.i18n import _

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
        lines = [
            _("{path}: список слушателей не принят (проблем: {n}):").format(
                path=path, n=len(problems)
            )
        ]
        for row, reason in problems:
            lines.append(
                _("  строка {row}: {reason}").format(row=row, reason=reason)
                if row
                else f"  {reason}"
            )
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


# Characters a Russian roster saved in Windows-1251 is made of, beyond ASCII.
_CP1251_TEXT = re.compile(r"^[\x00-\x7fА-яЁё№«»–—“”„’\xa0]*$")


def _decode(path: Path, raw: bytes, notes: list[str]) -> str:
    """The text of a CSV: UTF-8 (with or without a BOM) or, failing that, Windows-1251 when it
    reads as Russian text. Either of the last two is noted; anything else is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append(
            _("{path}: файл в UTF-8 с меткой BOM (так сохраняет Excel) — прочитан.").format(
                path=path
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1251")
        except UnicodeDecodeError:
            text = None
        if text is not None and _CP1251_TEXT.match(text):
            notes.append(
                _(
                    "{path}: файл не в UTF-8, а в кодировке Windows-1251 (cp1251), как сохраняет "
                    "«CSV» Excel в русской Windows, — прочитан как cp1251. Проверьте фамилии "
                    "в списке когорты; в следующий раз сохраняйте «CSV UTF-8»."
                ).format(path=path)
            )
            return text
        raise RosterError(
            path,
            [
                (
                    row,
                    _(
                        "файл не в UTF-8 (байт {byte}) и не похож на русский текст в cp1251. "
                        "Сохраните его как «CSV UTF-8»."
                    ).format(byte=exc.start),
                )
            ],
        ) from None


def _rows_csv(path: Path, notes: list[str]) -> list[list[str]]:
    text = _decode(path, path.read_bytes(), notes)
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
        raise RosterError(
            path, [(None, _("не читается как книга XLSX ({error})").format(error=exc))]
        ) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_roster(path: str | Path, notes: list[str] | None = None) -> list[Learner]:
    """Return the learners of a roster, or raise :class:`RosterError` listing every problem.

    ``notes`` (when given) receives what the operator should know about a roster that was
    read anyway, such as a cp1251 encoding.
    """
    path = Path(path)
    notes = [] if notes is None else notes
    if not path.is_file():
        raise RosterError(path, [(None, _("файл не найден"))])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _rows_xlsx(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _rows_csv(path, notes)
    else:
        raise RosterError(
            path,
            [
                (
                    None,
                    _("неизвестный формат «{suffix}»: нужен .csv или .xlsx").format(suffix=suffix),
                )
            ],
        )
    rows = [[cell.strip() for cell in row] for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise RosterError(path, [(None, _("файл пуст"))])

    header = [_ALIASES.get(_key(h), _key(h)) for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RosterError(
            path,
            [
                (
                    1,
                    _("нет столбцов: {missing} (найдены: {found})").format(
                        missing=", ".join(missing), found=", ".join(rows[0])
                    ),
                )
            ],
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
            problems.append((number, _("пустой id (логин)")))
        elif not ID_PATTERN.match(sid):
            problems.append(
                (
                    number,
                    _(
                        "недопустимый id «{id}»: нужны 1–32 строчные латинские буквы, цифры, "
                        "«_» или «-», первой — буква"
                    ).format(id=sid),
                )
            )
        elif sid in seen:
            problems.append(
                (
                    number,
                    _("повторный id «{id}» (впервые в строке {first})").format(
                        id=sid, first=seen[sid]
                    ),
                )
            )
        else:
            seen[sid] = number
        if not values["last_name"]:
            problems.append((number, _("пустая фамилия")))
        if not values["first_name"]:
            problems.append((number, _("пустое имя")))
        if not _EMAIL.match(values["email"]):
            problems.append(
                (number, _("недопустимый адрес почты «{email}»").format(email=values["email"]))
            )
        learners.append(Learner(**values))
    if problems:
        raise RosterError(path, problems)
    if not learners:
        raise RosterError(path, [(None, _("нет слушателей: в файле только заголовок"))])
    return learners
