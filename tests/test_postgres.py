"""A cohort whose gradebook lives in a real PostgreSQL server (started by the test).

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system user
that Debian's package creates. ``scripts/test.sh`` installs the package when it is missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REPO

from grader.cli import main
from grader.cohort import Cohort, CohortError
from grader.course import Learner

pytestmark = pytest.mark.slow

ASSIGNMENT = "02_empathy"
SOURCE = REPO / "exercises" / ASSIGNMENT


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    assert found[-1], f"PostgreSQL's {name} is missing: scripts/test.sh installs postgresql"
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on loopback; yields its URL prefix."""
    # Not under pytest's own temporary folder: that one is private to root (0700).
    root = Path(tempfile.mkdtemp(prefix="cxlab-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        for folder in (root, sockets):
            shutil.chown(folder, "postgres")
    port = _free_port()
    subprocess.run(
        [*as_user, _bin("initdb"), "-D", str(data), "-A", "trust", "-U", "cxlab", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*as_user, _bin("pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options,
         "-w", "start"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    try:
        for name in ("cohort_a", "cohort_b"):
            subprocess.run(
                [_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "cxlab", name],
                check=True,
                capture_output=True,
            )
        yield f"postgresql://cxlab@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_user, _bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def cohort(postgres, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pgcohort")
    roster = tmp / "roster.csv"
    roster.write_text(
        "id,last name,first name,email,agency\n"
        "full,Полнова,Анна,a@example.ru,МФЦ\n"
        "blank,Пустов,Борис,b@example.ru,МФЦ\n"
        "widget,Виджетова,Вера,v@example.ru,ФНС\n",
        encoding="utf-8",
    )
    home = tmp / "home"
    url = f"{postgres}/cohort_a"
    args = ["--home", str(home), "cohort", "create", "pg1", "--roster", str(roster), "--db", url]
    assert main(args) == 0
    assert main(["--home", str(home), "release", "pg1", ASSIGNMENT]) == 0
    c = Cohort.load(home, "pg1")
    for student in ("full", "blank", "widget"):
        learner = Learner(student, tmp / student, course_id="pg1", exchange_root=c.exchange)
        folder = learner.fetch(ASSIGNMENT)
        if student == "full":
            shutil.copy(SOURCE / f"{ASSIGNMENT}.ipynb", folder)
        if student != "blank":
            shutil.copy(SOURCE / f"{ASSIGNMENT}.answers.json", folder)
        learner.submit(ASSIGNMENT)
    assert main(["--home", str(home), "collect", "pg1"]) == 0
    start = time.perf_counter()
    assert main(["--home", str(home), "autograde", "pg1", "--jobs", "2", "--quiet"]) == 0
    return c, roster, time.perf_counter() - start


def test_gradebook_is_in_postgres(cohort):
    """Are the roster and the autograded scores stored in the PostgreSQL database, with no
    SQLite file beside the cohort?"""
    from nbgrader.api import Gradebook

    c, _, _ = cohort
    assert c.gradebook_url.startswith("postgresql://")
    assert not (c.root / "gradebook.db").exists()
    with Gradebook(c.gradebook_url, "pg1") as gb:
        assert sorted(s.id for s in gb.students) == ["blank", "full", "widget"]
        scores = {
            s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)
        }  # fmt: skip
    assert scores == {"full": 14.0, "blank": 0.0, "widget": 5.0}  # 11 core + 3 analyst


def test_report_reads_postgres(cohort, tmp_path):
    """Does the report work from a PostgreSQL gradebook?"""
    c, _, _ = cohort
    assert main(["--home", str(c.root.parent), "report", "pg1", "--out", str(tmp_path)]) == 0
    assert "full;Полнова;Анна;МФЦ;учится;14;14;ожидает проверки" in (
        tmp_path / "grades.csv"
    ).read_text("utf-8-sig")


def test_a_database_with_another_cohort_is_refused(cohort, postgres, tmp_path):
    """Is a second cohort in a database that already holds learners refused, with nothing
    created?"""
    _, roster, _ = cohort
    with pytest.raises(CohortError, match="в базе данных уже есть слушатели"):
        Cohort.create(tmp_path, "pg2", roster, db_url=f"{postgres}/cohort_a")
    assert not (tmp_path / "pg2").exists()


def test_unreachable_database_is_refused_cleanly(tmp_path, cohort):
    """Does a wrong database URL give a clear error with the password hidden, and no folder?"""
    _, roster, _ = cohort
    url = f"postgresql://cxlab:secret@127.0.0.1:{_free_port()}/nope"
    with pytest.raises(CohortError) as caught:
        Cohort.create(tmp_path, "pg3", roster, db_url=url)
    assert "не удаётся записать журнал оценок" in str(caught.value)
    assert "secret" not in str(caught.value).split("\n")[0]
    assert not (tmp_path / "pg3").exists()
