"""Rosters: good ones are read in any usual shape, bad ones are refused with row and reason,
and a refused roster leaves no half-created cohort behind."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from grader.cli import main
from grader.cohort import Cohort, CohortError
from grader.roster import RosterError, read_roster

GOOD = (
    "id,last name,first name,email,agency\n"
    "ivanova,Иванова,Анна,anna@example.ru,МФЦ Белгорода\n"
    "petrov-2,Петров,Олег,oleg@example.ru,Минздрав\n"
)


def _write(tmp_path, text, name="roster.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_roster_is_read_in_full(tmp_path):
    """Are id, names, email and agency read from a plain UTF-8 CSV?"""
    learners = read_roster(_write(tmp_path, GOOD))
    assert [x.id for x in learners] == ["ivanova", "petrov-2"]
    assert learners[0].last_name == "Иванова" and learners[0].agency == "МФЦ Белгорода"


def test_excel_flavoured_csv_with_bom_semicolons_and_russian_headers(tmp_path):
    """Is the 'CSV UTF-8' Excel writes (BOM, semicolons, Russian headers) accepted?"""
    text = "\ufeffЛогин;Фамилия;Имя;Почта;Ведомство\nivanova;Иванова;Анна;anna@example.ru;МФЦ\n"
    learners = read_roster(_write(tmp_path, text))
    assert learners[0].id == "ivanova" and learners[0].email == "anna@example.ru"


def test_xlsx_roster(tmp_path):
    """Is an XLSX roster read from its first sheet?"""
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Last Name", "First Name", "Email", "Agency"])
    sheet.append(["smirnova", "Смирнова", "Ольга", "olga@example.ru", "ФНС"])
    sheet.append([None, None, None, None, None])
    book.save(tmp_path / "r.xlsx")
    assert [x.id for x in read_roster(tmp_path / "r.xlsx")] == ["smirnova"]


@pytest.mark.parametrize(
    ("text", "row", "reason"),
    [
        ("id,last name,first name,email\nivanova,И,А,a@b.ru\n", 1, "нет столбцов: agency"),
        (GOOD + "ivanova,Иванова,Мария,m@example.ru,МФЦ\n", 4, "повторный id «ivanova»"),
        (GOOD + "Ivan Ov,Иванов,Иван,i@example.ru,МФЦ\n", 4, "недопустимый id «Ivan Ov»"),
        (GOOD + "иванов,Иванов,Иван,i@example.ru,МФЦ\n", 4, "недопустимый id «иванов»"),
        (GOOD + ",Иванов,Иван,i@example.ru,МФЦ\n", 4, "пустой id"),
        (GOOD + "sidorov,Сидоров,Пётр,not-an-email,МФЦ\n", 4, "недопустимый адрес почты"),
        (GOOD + "sidorov,,Пётр,p@example.ru,МФЦ\n", 4, "пустая фамилия"),
    ],
)
def test_bad_rosters_are_refused_with_row_and_reason(tmp_path, text, row, reason):
    """Does each kind of bad roster name the row and the reason?"""
    with pytest.raises(RosterError) as caught:
        read_roster(_write(tmp_path, text))
    assert any(r == row and reason in why for r, why in caught.value.problems), caught.value
    assert f"строка {row}: " in str(caught.value)


def test_cp1251_roster_is_read_with_a_note(tmp_path):
    """Is a roster saved in Windows-1251 (Russian Excel's «CSV») read, with a note saying so?"""
    notes = []
    learners = read_roster(_write(tmp_path, GOOD, encoding="cp1251"), notes)
    assert learners[0].last_name == "Иванова" and learners[1].agency == "Минздрав"
    assert len(notes) == 1 and "cp1251" in notes[0] and "CSV UTF-8" in notes[0]


def test_utf8_bom_roster_is_read_with_a_note(tmp_path):
    """Is a UTF-8 roster with a BOM read, noted, and the BOM kept out of the first header?"""
    notes = []
    learners = read_roster(_write(tmp_path, "\ufeff" + GOOD), notes)
    assert learners[0].id == "ivanova"
    assert len(notes) == 1 and "BOM" in notes[0]
    notes.clear()
    read_roster(_write(tmp_path, GOOD), notes)
    assert notes == []  # plain UTF-8 needs no note


def test_undecodable_roster_is_refused_with_the_row(tmp_path):
    """Is a CSV that is neither UTF-8 nor Russian cp1251 text refused with its row?"""
    raw = GOOD.encode("utf-8") + b"x,\x81\x8d\x8f\x90,A,x@example.ru,M\n"
    path = tmp_path / "r.csv"
    path.write_bytes(raw)
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert caught.value.problems[0][0] == 4
    assert "CSV UTF-8" in str(caught.value)


def test_cli_prints_the_cp1251_note(tmp_path, capsys):
    """Does `grader cohort create` create the cohort from a cp1251 roster and print the note?"""
    roster = _write(tmp_path, GOOD, encoding="cp1251")
    assert (
        main(["--home", str(tmp_path / "h"), "cohort", "create", "c1", "--roster", str(roster)])
        == 0
    )
    captured = capsys.readouterr()
    assert "cp1251" in captured.err
    assert [x.last_name for x in Cohort.load(tmp_path / "h", "c1").learners()] == [
        "Иванова",
        "Петров",
    ]


def test_every_problem_is_listed_at_once(tmp_path):
    """Does the operator see all the problems of a roster in one go, not one per attempt?"""
    text = GOOD + "ivanova,И,А,bad,МФЦ\nX,И,А,x@example.ru,МФЦ\n"
    with pytest.raises(RosterError) as caught:
        read_roster(_write(tmp_path, text))
    assert {r for r, _ in caught.value.problems} == {4, 5}
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize("content", [b"", b"id,last name,first name,email,agency\n"])
def test_empty_rosters_are_refused(tmp_path, content):
    """Is a roster with no learners refused?"""
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(RosterError):
        read_roster(path)


def test_broken_xlsx_is_refused(tmp_path):
    """Is a file that only claims to be XLSX refused with a reason, not a traceback?"""
    path = _write(tmp_path, GOOD, name="r.xlsx")
    with pytest.raises(RosterError, match="не читается как книга XLSX"):
        read_roster(path)


def test_refused_roster_leaves_nothing_behind(tmp_path, capsys):
    """Does `grader cohort create` with a bad roster exit 2, explain, and create nothing?"""
    home = tmp_path / "home"
    bad = _write(tmp_path, GOOD + "petrov-2,Петров,Олег,o@example.ru,МФЦ\n")
    assert main(["--home", str(home), "cohort", "create", "c1", "--roster", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "строка 4: повторный id «petrov-2» (впервые в строке 3)" in err
    assert not home.exists() or not any(home.iterdir())


def test_cohort_is_created_with_its_gradebook_and_roster(tmp_path):
    """Does a good roster give a cohort folder, a gradebook with the learners, and settings?"""
    from nbgrader.api import Gradebook

    cohort = Cohort.create(tmp_path / "home", "c1", _write(tmp_path, GOOD))
    assert (cohort.root / "nbgrader_config.py").is_file()
    assert [x.id for x in cohort.learners()] == ["ivanova", "petrov-2"]
    with Gradebook(cohort.gradebook_url, "c1") as gb:
        assert sorted(s.id for s in gb.students) == ["ivanova", "petrov-2"]
        assert gb.find_student("ivanova").last_name == "Иванова"
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["c1", "exchange"]  # no temp
    assert Cohort.load(tmp_path / "home", "c1").root == cohort.root
    with pytest.raises(CohortError, match="уже есть"):
        Cohort.create(tmp_path / "home", "c1", _write(tmp_path, GOOD))


def test_bad_cohort_ids_and_unknown_cohorts(tmp_path, capsys):
    """Are an unusable cohort id and an unknown cohort refused with exit status 2?"""
    roster = _write(tmp_path, GOOD)
    assert (
        main(["--home", str(tmp_path), "cohort", "create", "Группа 1", "--roster", str(roster)])
        == 2
    )
    assert "недопустимый id когорты" in capsys.readouterr().err
    assert main(["--home", str(tmp_path), "release", "nope"]) == 2
    assert "нет когорты «nope»" in capsys.readouterr().err


def test_example_rosters_agree():
    """Do examples/roster.csv and examples/roster.xlsx (the README quick start's) hold the
    same valid learners?"""
    from conftest import REPO

    csv_learners = read_roster(REPO / "examples" / "roster.csv")
    assert read_roster(REPO / "examples" / "roster.xlsx") == csv_learners
    assert len(csv_learners) == 6 and len({x.agency for x in csv_learners}) == 3
