"""A cohort's roster after creation: learners added later, withdrawn learners kept with their
grades (and shown as withdrawn), and withdrawn learners brought back."""

from __future__ import annotations

import pytest

from grader.cli import main
from grader.cohort import Cohort
from grader.report import WITHDRAWN, collect_grades
from grader.roster import RosterError

HEADER = "id,last name,first name,email,agency\n"
FIRST = HEADER + "ivanova,Иванова,Анна,anna@example.ru,МФЦ\npetrov,Петров,Олег,o@example.ru,ФНС\n"


def _roster(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cohort(tmp_path):
    return Cohort.create(tmp_path / "home", "c1", _roster(tmp_path, FIRST, "first.csv"))


def _students(cohort):
    from nbgrader.api import Gradebook

    with Gradebook(cohort.gradebook_url, cohort.id) as gb:
        return sorted(s.id for s in gb.students)


def test_add_learners_later(cohort, tmp_path):
    """Does `cohort add` put new learners into the roster and the gradebook?"""
    late = _roster(tmp_path, HEADER + "orlov,Орлов,Денис,d@example.ru,ГИБДД\n", "late.csv")
    cohort.add_learners(late)
    assert [x.id for x in cohort.learners()] == ["ivanova", "petrov", "orlov"]
    assert _students(cohort) == ["ivanova", "orlov", "petrov"]


def test_adding_someone_already_there_changes_nothing(cohort, tmp_path):
    """Is a roster naming a current learner refused whole, with nothing written?"""
    before = (cohort.root / "roster.csv").read_bytes()
    text = HEADER + "orlov,Орлов,Денис,d@example.ru,ГИБДД\npetrov,Петров,О,o@example.ru,ФНС\n"
    with pytest.raises(RosterError, match="«petrov» уже в когорте c1"):
        cohort.add_learners(_roster(tmp_path, text, "again.csv"))
    assert (cohort.root / "roster.csv").read_bytes() == before
    assert _students(cohort) == ["ivanova", "petrov"]


def test_withdrawn_learner_is_kept_and_marked(cohort, tmp_path, capsys):
    """Does `cohort remove` keep the learner in the gradebook and the roster file, take them
    off the active list (and so off the hub), and show them as withdrawn in the report? And
    does `cohort add` bring them back?"""
    home = str(cohort.root.parent)
    assert main(["--home", home, "cohort", "remove", "c1", "petrov"]) == 0
    assert "работы и оценки сохранены" in capsys.readouterr().out
    assert [x.id for x in cohort.learners()] == ["ivanova"]
    assert [x.id for x in cohort.learners(include_withdrawn=True)] == ["ivanova", "petrov"]
    assert _students(cohort) == ["ivanova", "petrov"]
    summary = collect_grades(cohort).summary().set_index("Логин")
    assert summary.loc["petrov", "Статус слушателя"].startswith(WITHDRAWN)
    assert summary.loc["ivanova", "Статус слушателя"] == "учится"
    assert main(["--home", home, "cohort", "remove", "c1", "nobody"]) == 2
    assert "нет слушателя «nobody»" in capsys.readouterr().err
    back = _roster(tmp_path, HEADER + "petrov,Петров,Олег,o@example.ru,ФНС\n", "back.csv")
    assert main(["--home", home, "cohort", "add", "c1", "--roster", str(back)]) == 0
    assert [x.id for x in cohort.learners()] == ["ivanova", "petrov"]
    assert cohort.withdrawn() == {}
