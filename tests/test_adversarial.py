"""Adversarial and pathological submissions through the real ``grader autograde --jobs 2``.

Every file of ``tests/files/adversarial/`` is one learner of a cohort taking 02_empathy (its
first line says what a fair grader does; see the folder's README). The whole corpus is graded
in one parallel batch, and the test fails on anything the sandbox allowed: a cheat scoring
above the honest blank without being held for review, a correct alternative losing points,
a pathological case costing its own honest points or another learner's, a ``LEAK:`` printed
from inside the kernel, a file planted outside the submission, or a process that outlived
its kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

from grader.cli import main
from grader.cohort import Cohort
from grader.course import Learner
from grader.nbgrader_ext.review import read_review

pytestmark = pytest.mark.slow

ASSIGNMENT = "02_empathy"
CORPUS = Path(__file__).parent / "files" / "adversarial"
CASES = sorted(p.stem for p in CORPUS.glob("*.py"))
# every core-track autograded point of 02_empathy (the corpus leaves the analyst part blank)
FULL = 11.0
CANARY = "CXLAB-ZOMBIE-CANARY"


def _case(name: str) -> tuple[str, bool, list[str]]:
    text = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    lines = text.split("\n")
    expect = lines[0].removeprefix("# expect: ").strip()
    answers = any(line.strip() == "# answers: solution" for line in lines[:3])
    cells = [c.strip("\n") + "\n" for c in text.split("\n# %%\n")]
    for line in lines[:4]:  # "# answer cell: NAME": the answer cell of another case
        if line.startswith("# answer cell: "):
            cells[0] = _case(line.removeprefix("# answer cell: ").strip())[2][0]
    return expect, answers, cells


def _submission(name: str, release: Path, folder: Path, secrets: list[str], port: int) -> None:
    _, answers, cells = _case(name)
    cells = [c.replace("{secret_paths}", repr(secrets)).replace("{port}", str(port)) for c in cells]
    nb = nbformat.read(release / f"{ASSIGNMENT}.ipynb", as_version=4)
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "journey_summary":
            cell.source = cells[0]
            out.append(cell)
            for extra in cells[1:]:
                out.append(nbformat.v4.new_code_cell(extra))
            if name == "duplicate_grade_id":  # a copy-pasted answer cell: same grade_id
                out.append(nbformat.from_dict(json.loads(json.dumps(cell))))
        else:
            out.append(cell)
    nb.cells = out
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    if answers:
        shutil.copy(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json", folder)
    if name == "shipped_cxlab":
        fake = folder / "cxlab"
        fake.mkdir()
        (fake / "__init__.py").write_text('print("LEAK: a shipped cxlab was imported")\n')
        (fake / "probe.py").write_text('print("LEAK: a shipped cxlab was imported")\n')


def _processes_with(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmd and "pytest" not in cmd:
                found.append(f"{entry.name}: {cmd[:120]}")
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("adversarial")
    exercises = tmp / "exercises"
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, exercises / ASSIGNMENT)
    roster = tmp / "roster.csv"
    rows = [f"{n.replace('_', '-')},Фамилия,Имя,{i}@example.ru,МФЦ" for i, n in enumerate(CASES)]
    roster.write_text("id,last name,first name,email,agency\n" + "\n".join(rows) + "\n")
    home = tmp / "home"
    cohort = Cohort.create(home, "adv", roster, exercises=exercises)
    assert main(["--home", str(home), "release", "adv", ASSIGNMENT]) == 0
    release = cohort.root / "release" / ASSIGNMENT
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    secrets = [
        str(exercises / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
        str(exercises / ASSIGNMENT),
        str(cohort.root),
        str(cohort.root / "gradebook.db"),
        str(cohort.exchange),
        str(REPO / "exercises"),
        str(home),
        str(tmp),
        os.path.expanduser("~"),
    ]
    for name in CASES:
        student = name.replace("_", "-")
        learner = Learner(student, tmp / "learners" / student, course_id="adv",
                          exchange_root=cohort.exchange)  # fmt: skip
        folder = learner.fetch(ASSIGNMENT)
        secrets.append(str(folder))
        _submission(name, release, folder, secrets, port)
        learner.submit(ASSIGNMENT)
    assert main(["--home", str(home), "collect", "adv", ASSIGNMENT]) == 0
    code = main(
        ["--home", str(home), "autograde", "adv", ASSIGNMENT, "--jobs", "2", "--timeout", "10",
         "--quiet"]
    )  # fmt: skip
    accepted = []
    try:
        while True:
            accepted.append(listener.accept())
    except OSError:
        pass
    listener.close()
    return {
        "code": code,
        "cohort": cohort,
        "scores": cohort.auto_scores(ASSIGNMENT),
        "tmp": tmp,
        "exercises": exercises,
        "accepted": accepted,
    }


def _total(scores: dict) -> float:
    return sum(v for v in scores.values() if v is not None)


def test_the_batch_finishes_with_every_submission_graded(batch):
    """Is every submission of the corpus graded, whatever the others did?"""
    assert batch["code"] == 0
    assert sorted(batch["scores"]) == sorted(n.replace("_", "-") for n in CASES)


@pytest.mark.parametrize("name", CASES)
def test_each_case_is_graded_as_a_fair_grader_would(batch, name):
    """Does each case get what a fair human grader would give?"""
    expect, _, _ = _case(name)
    student = name.replace("_", "-")
    scores = batch["scores"][student]
    held = read_review(batch["cohort"].root / ".cxlab", ASSIGNMENT, student)
    total = _total(scores)
    if expect == "full":
        assert total == FULL, scores
        if name in ("honest_solution", "alternative_rounded"):
            assert held == []
    elif expect == "cheat":
        assert total <= 0 or held, (scores, held)
    else:
        assert total == 0, scores


@pytest.mark.parametrize("name", CASES)
def test_nothing_outside_the_submission_was_reached(batch, name):
    """Did no cell print a LEAK (a path, port or module it must not reach)?"""
    student = name.replace("_", "-")
    graded = batch["cohort"].root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(graded, as_version=4)
    printed = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "LEAK:" not in printed


def test_no_file_was_planted_anywhere(batch):
    """Is there no file a submission tried to plant, in the source, the cohort or the home?"""
    names = {"planted_by_learner.py", "planted_by_learner.txt"}
    planted = []
    for top in (batch["tmp"], REPO / "exercises", Path("/tmp"), Path(os.path.expanduser("~"))):
        # os.walk, not glob: other test workers create and remove sandbox folders
        # under /tmp while this walks, and a vanished folder must not fail the test.
        for folder, _, files in os.walk(top, onerror=lambda error: None):
            planted += [os.path.join(folder, name) for name in names & set(files)]
    assert planted == []


def test_no_connection_reached_the_grader_machine(batch):
    """Did no submission connect to a port open on the grader's loopback?"""
    assert batch["accepted"] == []


def test_no_process_outlived_its_kernel(batch):
    """Did every process a submission started die with its sandbox?"""
    assert _processes_with(CANARY) == []
    assert _processes_with("sleep 300") == []


def test_graded_notebooks_stay_small(batch):
    """Does a flood of printed output leave a graded notebook of ordinary size?"""
    root = batch["cohort"].root / "autograded"
    for path in root.glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"):
        assert path.stat().st_size < 3 * 1024 * 1024, path


def test_suspicious_cases_name_their_reason(batch):
    """Are reaching cells held for review with a Russian reason the report can show?"""
    for name in ("settrace_scores", "input_transformer", "rebind_builtins", "frame_float"):
        held = read_review(batch["cohort"].root / ".cxlab", ASSIGNMENT, name.replace("_", "-"))
        assert held, name
        assert all(any("а" <= ch <= "я" for ch in reason) for reason in held)


def test_the_report_shows_held_submissions_with_their_reason(batch, tmp_path):
    """Does the instructor's report mark a held submission and say why, in Russian?"""
    from grader.report.data import HELD, collect_grades

    grades = collect_grades(batch["cohort"])
    record = grades.record(ASSIGNMENT, "settrace-scores")
    assert "перехват выполнения" in record["review"]
    table = grades.assignment_table(ASSIGNMENT)
    status = table.set_index(table.columns[0]).loc["settrace-scores", "Статус"]
    assert HELD in status
