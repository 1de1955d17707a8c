"""The checks every assignment in ``exercises/`` must pass, through nbgrader itself.

A test module per assignment describes what is particular to it — a hand-written partial
submission with its expected scores, alternative correct solutions — and takes the standard
tests from :func:`standard_tests`::

    PARTIAL = Submission(base="release", cells={...}, answers={...}, expected={...})
    ALTERNATIVES = [Submission(base="source", cells={...})]
    globals().update(standard_tests("03_problem_definition", PARTIAL, ALTERNATIVES))

One module-scoped fixture runs the real pipeline once: generate, release, a learner per
submission fetching, replacing the notebook and answers file, submitting; collect; autograde
every submission; feedback for the partial one. Submissions every assignment gets:

- ``solution``: the source folder as it is (the reference full-marks submission);
- ``blank``: the release untouched (zero);
- ``tampered``: the release with every test cell rewritten to award full points (zero: the
  original tests are restored from the gradebook);
- ``deleted``: the source with every test cell and the first locked markdown cell deleted
  (full marks: nbgrader puts the cells back and grades them);
- ``cheater``: the source with every solution cell replaced by objects whose ``__eq__`` is
  always True and by monkey-patched builtins, and no answers file (zero).
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import json
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import nbformat
import pytest
from conftest import REPO

from grader.course import Course, Learner

EXERCISES = REPO / "exercises"
SAVED_AT = "2026-11-22T10:00:00+00:00"


@dataclass(frozen=True)
class Submission:
    """A submission built from the source or the release notebook.

    ``cells`` replaces the source of cells by grade_id; ``answers`` (if not None) becomes the
    whole answers file; ``delete`` drops cells by grade_id; ``expected`` maps test grade_ids
    to their autograded scores (None: full marks on every test cell).
    """

    base: str = "release"
    cells: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Any] | None = None
    delete: tuple[str, ...] = ()
    expected: dict[str, float] | None = None
    no_answers_file: bool = False
    # {grade_id: [code, ...]}: the k-th blank («ВАШ КОД ЗДЕСЬ» stub) of that cell of the
    # release notebook replaced by the k-th code, indented like the stub; nothing else changes
    blanks: dict[str, list[str]] = field(default_factory=dict)


def notebook_path(assignment: str) -> Path:
    return EXERCISES / assignment / f"{assignment}.ipynb"


def _nbgrader(cell) -> dict[str, Any]:
    return cell.metadata.get("nbgrader", {})


def auto_points(assignment: str) -> dict[str, float]:
    """``{grade_id: points}`` of the autograded test cells."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return {
        _nbgrader(c)["grade_id"]: float(_nbgrader(c)["points"])
        for c in nb.cells
        if c.cell_type == "code" and _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")
    }


def manual_points(assignment: str) -> float:
    """Points of the manually graded answer cells."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return sum(
        float(_nbgrader(c)["points"])
        for c in nb.cells
        if _nbgrader(c).get("grade") and _nbgrader(c).get("solution")
    )


def code_cells(assignment: str) -> dict[str, str]:
    """``{grade_id: source}`` of the code cells of the source notebook."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return {_nbgrader(c)["grade_id"]: c.source for c in nb.cells if c.cell_type == "code"}


class CellRun(NamedTuple):
    value: object  # the last expression's value (what nbgrader scores in a test cell), or None
    stdout: str
    stderr: str  # includes the warnings, as a kernel prints them
    warnings: list[warnings.WarningMessage]


def run_cell(source: str, namespace: dict, name: str = "<cell>") -> CellRun:
    """Run a notebook cell in this process as a kernel does (fast: no nbgrader, no kernel).

    Its body runs in ``namespace``; the value of a last expression is returned with what the
    cell wrote. A warning is recorded and also counted as stderr, as in a kernel, where
    nbgrader would score a test cell that warns as zero.
    """
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out, err = io.StringIO(), io.StringIO()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        warnings.simplefilter("always")
        exec(compile(tree, name, "exec"), namespace)
        value = None
        if last is not None:
            value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
    shown = "".join(
        warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught
    )
    return CellRun(value, out.getvalue(), err.getvalue() + shown, list(caught))


@contextlib.contextmanager
def captured_probes():
    """Collect what test cells send with ``Probe.emit`` (as JSON, like the kernel's output)."""
    from cxlab.probe import Probe

    sent: list[dict] = []
    original = Probe.emit
    Probe.emit = lambda self: sent.append(json.loads(json.dumps(self.payload())))
    try:
        yield sent
    finally:
        Probe.emit = original


_KEYS: dict[str, dict] = {}


def inprocess_key(assignment: str) -> dict:
    """The assignment's answer key built in this process: every code cell of the source
    notebook run in order, in a copy of the source folder (fast; the pipeline tests build the
    real key in the sandbox)."""
    if assignment in _KEYS:
        return _KEYS[assignment]
    import os
    import tempfile

    nb = nbformat.read(notebook_path(assignment), as_version=4)
    cells: dict[str, dict] = {}
    namespace: dict = {"__name__": "__main__"}
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        for path in (EXERCISES / assignment).glob("*.answers.json"):
            shutil.copy(path, Path(tmp) / path.name)
        os.chdir(tmp)
        try:
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                with captured_probes() as sent:
                    run_cell(cell.source, namespace, _nbgrader(cell).get("grade_id", "cell"))
                if sent:
                    cells[_nbgrader(cell)["grade_id"]] = sent[0]
        finally:
            os.chdir(old)
    _KEYS[assignment] = {"cells": cells}
    return _KEYS[assignment]


def run_source_cell(assignment: str, grade_id: str, namespace: dict) -> CellRun:
    """Run the cell ``grade_id`` of the assignment's source notebook with :func:`run_cell`
    (e.g. a hidden test cell against a stand-in learner function in ``namespace``).

    For a test cell, ``value`` is the score the grader decides outside the kernel from the
    probe the cell sent and the key (:func:`inprocess_key`), and ``stdout`` ends with the
    verdict's Russian text, as in the graded notebook."""
    from grader.trust.verdict import decide

    with captured_probes() as sent:
        try:
            run = run_cell(code_cells(assignment)[grade_id], namespace, grade_id)
        except Exception as exc:  # a visible check's assert: the probe was sent before it
            if not sent:
                raise
            run = CellRun(None, "", f"{type(exc).__name__}: {exc}\n", [])
    points = auto_points(assignment).get(grade_id)
    if points is None:
        return run
    key = inprocess_key(assignment)["cells"][grade_id]
    verdict = decide(key, sent[0] if sent else None, points)
    return CellRun(verdict.score, run.stdout + verdict.text, run.stderr, run.warnings)


_SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
_HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
_MARK_SCHEME = ("BEGIN MARK SCHEME", "END MARK SCHEME")


def hidden_score(
    assignment: str,
    test_id: str,
    learner_code: str,
    folder: Path,
    monkeypatch: Any,
    answers_text: str | None = None,
) -> tuple[object, str]:
    """Score the grader gives a hidden test cell for a learner cell (and the answers file the
    learner left after the setup cell ran); also what was printed, ending with the grader's
    verdict. Fails on anything written to stderr."""
    monkeypatch.chdir(folder)
    cells = code_cells(assignment)
    namespace: dict = {}
    runs = [run_cell(cells["setup"], namespace, "setup"), run_cell(learner_code, namespace)]
    if answers_text is not None:
        (folder / f"{assignment}.answers.json").write_text(answers_text, encoding="utf-8")
    runs.append(run_source_cell(assignment, test_id, namespace))
    assert "".join(r.stderr for r in runs) == ""
    return runs[-1].value, "".join(r.stdout for r in runs)


def _marked(cell, markers):
    """``(stripped line, inside a marked region)`` for every line of a cell (marker lines
    themselves left out)."""
    inside = False
    for line in cell.source.split("\n"):
        if any(begin in line for begin, _end in markers):
            inside = True
        elif any(end in line for _begin, end in markers):
            inside = False
        else:
            yield line.strip(), inside


def _region_lines(assignment: str, markers, min_length: int) -> list[str]:
    """Stripped lines of at least ``min_length`` characters inside the marked regions."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return [
        line
        for cell in nb.cells
        for line, inside in _marked(cell, markers)
        if inside and len(line) >= min_length
    ]


def _visible_lines(assignment: str) -> set[str]:
    """Stripped lines the release shows anyway (outside every secret region): shared
    boilerplate such as ``from cxlab.probe import Probe as _Probe`` is no secret."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    markers = (_SOLUTION, _HIDDEN, _MARK_SCHEME)
    return {
        line
        for cell in nb.cells
        if not (cell.cell_type == "markdown" and _nbgrader(cell).get("solution"))
        for line, inside in _marked(cell, markers)
        if not inside
    }


def secret_lines(assignment: str) -> list[str]:
    """Substantial lines of solutions, hidden tests, mark schemes and model answers (not
    those that also stand in the visible part of the notebook)."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    shown = _visible_lines(assignment)
    model_answers = [  # a whole markdown answer cell of the source is the model answer
        line.strip()
        for cell in nb.cells
        if cell.cell_type == "markdown" and _nbgrader(cell).get("solution")
        for line in cell.source.split("\n")
        if len(line.strip()) >= 16
    ]
    found = model_answers + _region_lines(assignment, (_SOLUTION, _HIDDEN, _MARK_SCHEME), 16)
    return [line for line in found if line not in shown]


def hidden_test_lines(assignment: str) -> list[str]:
    """Lines of the hidden tests (shorter ones too: feedback must show none of them)."""
    shown = _visible_lines(assignment)
    return [line for line in _region_lines(assignment, (_HIDDEN,), 12) if line not in shown]


def _page_text(path: Path) -> str:
    """What a person reads in an HTML page (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


# -- two tracks: core (scaffolded blanks) and analyst (optional, write the function) --------

ANALYST = re.compile("аналитик", re.I)
MAX_CORE_REGION_LINES = 3
MAX_ANALYST_SHARE = 0.2


def is_two_track(assignment: str) -> bool:
    """Has the assignment been converted to the two tracks (its header names both)?"""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return "**Трек аналитика" in nb.cells[0].source


def is_analyst(source: str) -> bool:
    """Does a cell belong to the analyst track (it says «аналитик» in its text)?"""
    return bool(ANALYST.search(source))


def analyst_points(assignment: str) -> float:
    """Points of the graded cells of the analyst track (autograded and manual)."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return sum(
        float(_nbgrader(c)["points"])
        for c in nb.cells
        if _nbgrader(c).get("grade") and is_analyst(c.source)
    )


def solution_regions(source: str) -> list[list[str]]:
    """The lines inside each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region."""
    regions: list[list[str]] = []
    inside = False
    for line in source.split("\n"):
        if "BEGIN SOLUTION" in line:
            inside = True
            regions.append([])
        elif "END SOLUTION" in line:
            inside = False
        elif inside:
            regions[-1].append(line)
    return regions


def _dedent(lines: list[str]) -> list[str]:
    import textwrap

    return textwrap.dedent("\n".join(lines)).split("\n")


def core_code_cells(assignment: str) -> dict[str, list[list[str]]]:
    """``{grade_id: regions}`` of the core track's code answer cells (not the analyst's)."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return {
        _nbgrader(c)["grade_id"]: solution_regions(c.source)
        for c in nb.cells
        if c.cell_type == "code" and _nbgrader(c).get("solution") and not is_analyst(c.source)
    }


def analyst_code_cells(assignment: str) -> dict[str, list[list[str]]]:
    """``{grade_id: regions}`` of the analyst track's code answer cells."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return {
        _nbgrader(c)["grade_id"]: solution_regions(c.source)
        for c in nb.cells
        if c.cell_type == "code" and _nbgrader(c).get("solution") and is_analyst(c.source)
    }


def solution_blanks(cells: dict[str, list[list[str]]]) -> dict[str, list[str]]:
    """``Submission.blanks`` that fill every blank with the source's own solution."""
    return {gid: ["\n".join(_dedent(r)) for r in regions] for gid, regions in cells.items()}


def fill_blanks(released: str, codes: list[str]) -> str:
    """The released cell with its k-th stub replaced by ``codes[k]`` (indented like the stub).

    Fails when the cell does not have exactly ``len(codes)`` stubs: a submission that fills
    blanks must fill the blanks the learner sees, no more."""
    from grader.config import CODE_STUB

    stub = CODE_STUB.split("\n")
    lines = released.split("\n")
    out: list[str] = []
    k = i = 0
    while i < len(lines):
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        if [ln.strip() for ln in lines[i : i + len(stub)]] == stub:
            assert k < len(codes), "the release has more blanks than the submission fills"
            out += [indent + ln if ln else ln for ln in codes[k].split("\n")]
            k += 1
            i += len(stub)
        else:
            out.append(lines[i])
            i += 1
    assert k == len(codes), f"the release has {k} blanks, the submission fills {len(codes)}"
    return "\n".join(out)


def source_answers(assignment: str) -> dict[str, Any]:
    """``{qid: value}`` of the solution's answers file in the source folder."""
    path = EXERCISES / assignment / f"{assignment}.answers.json"
    if not path.exists():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {qid: entry["value"] for qid, entry in doc["answers"].items()}


def _defined_names(source: str) -> set[str]:
    """Names an answer cell gives the learner's answer: its functions, and the top-level
    names assigned inside a solution region."""
    tree = ast.parse(re.sub(r"^\s*###.*$", "", source, flags=re.M))
    inside = "\n".join("\n".join(r) for r in solution_regions(source))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
            names |= {n for n in targets if re.search(rf"^\s*{n}\s*=", inside, re.M)}
    return names


def tests_of(assignment: str, cells: dict[str, Any]) -> set[str]:
    """The autograded test cells that use a name defined by one of ``cells``."""
    code = code_cells(assignment)
    names = set().union(*(_defined_names(code[gid]) for gid in cells)) if cells else set()
    return {
        gid
        for gid in auto_points(assignment)
        if any(re.search(rf"\b{re.escape(n)}\b", code[gid]) for n in names)
    }


def track_submissions(assignment: str) -> dict[str, Submission]:
    """The two-track submissions: ``core_blanks`` fills only the marked blanks of the core
    track (and answers the widgets as the solution does) and leaves the analyst part blank;
    ``core_empty`` leaves the core blanks empty and does everything else right."""
    points = auto_points(assignment)
    core, analyst = core_code_cells(assignment), analyst_code_cells(assignment)
    analyst_tests = {g for g in points if is_analyst(code_cells(assignment)[g])}
    core_code_tests = tests_of(assignment, core) - analyst_tests
    answers = source_answers(assignment)
    return {
        "core_blanks": Submission(
            base="release",
            blanks=solution_blanks(core),
            answers=answers,
            expected={g: 0.0 if g in analyst_tests else p for g, p in points.items()},
        ),
        "core_empty": Submission(
            base="release",
            blanks=solution_blanks(analyst),
            answers=answers,
            expected={g: 0.0 if g in core_code_tests else p for g, p in points.items()},
        ),
    }


# -- building submissions ------------------------------------------------------------------

_CHEAT_PRELUDE = '''\
import builtins


class _AlwaysEqual(dict):
    """Equal to everything, a number and a dict at once."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __float__(self):
        return 0.0

    def __int__(self):
        return 0


# Patches that beat naive checks (`abs(a - b) < tol`, `math.isclose`, `round(x, 2) == y`)
# without killing the kernel itself (patching `len` or `isinstance` hangs ipykernel, which
# nbgrader reports as a failed submission: a denial of service, not a pass).
import math

builtins.abs = lambda *args, **kwargs: 0
builtins.round = lambda value, *args, **kwargs: 0
builtins.sum = lambda *args, **kwargs: 0
math.isclose = lambda *args, **kwargs: True
'''


def _cheat_source(original: str) -> str:
    """A solution cell that defines the same names, all as always-equal objects."""
    names: list[str] = []
    try:
        tree = ast.parse(re.sub(r"^\s*###.*$", "", original, flags=re.M))
    except SyntaxError:
        tree = ast.Module(body=[], type_ignores=[])
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.append(f"def {node.name}(*args, **kwargs):\n    return _AlwaysEqual()\n")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.append(f"{target.id} = _AlwaysEqual()\n")
    return "\n".join(names) or "pass\n"


def _build(assignment: str, release_nb: Path, sub: Submission, folder: Path) -> None:
    """Write the submission's notebook (and answers file) into the learner's folder."""
    source_dir = EXERCISES / assignment
    if sub.base == "source":
        for item in source_dir.iterdir():
            if item.is_file():
                shutil.copy(item, folder / item.name)
        nb = nbformat.read(notebook_path(assignment), as_version=4)
    else:
        nb = nbformat.read(release_nb, as_version=4)
    ids = {_nbgrader(c).get("grade_id") for c in nb.cells}
    unknown = (set(sub.cells) | set(sub.delete)) - ids
    assert not unknown, f"no cells with grade_id {sorted(unknown)} in {assignment}"
    unknown = set(sub.blanks) - ids
    assert not unknown, f"no cells with grade_id {sorted(unknown)} in {assignment}"
    for cell in nb.cells:
        gid = _nbgrader(cell).get("grade_id")
        if gid in sub.cells:
            cell.source = sub.cells[gid]
        if gid in sub.blanks:
            cell.source = fill_blanks(cell.source, sub.blanks[gid])
    nb.cells = [c for c in nb.cells if _nbgrader(c).get("grade_id") not in sub.delete]
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    answers_file = folder / f"{assignment}.answers.json"
    if sub.no_answers_file:
        answers_file.unlink(missing_ok=True)
    elif sub.answers is not None:
        doc = {
            "format": "cxlab-answers",
            "version": 1,
            "answers": {q: {"value": v, "saved_at": SAVED_AT} for q, v in sub.answers.items()},
        }
        answers_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def standard_submissions(assignment: str) -> dict[str, Submission]:
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    points = auto_points(assignment)
    tests = {gid: f'"""Подменённая проверка."""\n{p}' for gid, p in points.items()}
    first_locked_md = next(
        _nbgrader(c)["grade_id"]
        for c in nb.cells
        if c.cell_type == "markdown" and _nbgrader(c).get("locked") and not _nbgrader(c).get("task")
    )
    solutions = {
        _nbgrader(c)["grade_id"]: _cheat_source(c.source)
        for c in nb.cells
        if c.cell_type == "code" and _nbgrader(c).get("solution")
    }
    first = next(iter(solutions), None)
    if first is not None:
        solutions[first] = _CHEAT_PRELUDE + "\n" + solutions[first]
    zero = dict.fromkeys(points, 0.0)
    return {
        "solution": Submission(base="source"),
        "blank": Submission(base="release", expected=zero),
        "tampered": Submission(base="release", cells=tests, expected=zero),
        "deleted": Submission(base="source", delete=(*points, first_locked_md)),
        "cheater": Submission(base="source", cells=solutions, no_answers_file=True, expected=zero),
    }


# -- the pipeline --------------------------------------------------------------------------


def run_pipeline(assignment: str, submissions: dict[str, Submission], tmp: Path):
    exchange = tmp / "exchange"
    exchange.mkdir()
    course = Course(tmp / "course", exchange_root=exchange)
    course.generate(assignment)
    course.release(assignment)
    release_nb = course.path("release", assignment) / f"{assignment}.ipynb"
    for name, sub in submissions.items():
        learner = Learner(name, tmp / name, exchange_root=exchange)
        learner.fetch(assignment)
        _build(assignment, release_nb, sub, learner.assignment_dir(assignment))
        learner.submit(assignment)
    course.collect(assignment)
    scores = {}
    for name in submissions:
        course.autograde(assignment, name)
        scores[name] = course.scores(assignment, name)
    course.feedback(assignment, "partial")
    return course, scores


def standard_tests(
    assignment: str, partial: Submission, alternatives: list[Submission]
) -> dict[str, Any]:
    """The standard fixture and tests for one assignment, to put into a test module."""
    assert alternatives, "every computed task needs at least one alternative solution"
    assert partial.expected is not None, "a partial submission states its expected scores"

    two_tracks = is_two_track(assignment)

    def submissions() -> dict[str, Submission]:
        subs = standard_submissions(assignment)
        if two_tracks:
            subs.update(track_submissions(assignment))
        subs["partial"] = partial
        subs.update({f"alternative_{i}": alt for i, alt in enumerate(alternatives, 1)})
        return subs

    @pytest.fixture(scope="module")
    def graded(tmp_path_factory):
        return run_pipeline(assignment, submissions(), tmp_path_factory.mktemp(assignment))

    def test_release_holds_no_solution_hidden_test_mark_scheme_or_answers(graded):
        """Does the release hide every solution, hidden test, mark scheme and answers file?"""
        course, _ = graded
        release = course.path("release", assignment)
        assert not list(release.glob("*.answers.json"))
        text = (release / f"{assignment}.ipynb").read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
            assert marker not in text
        released = json.loads(text)
        sources = "\n".join("".join(c["source"]) for c in released["cells"])
        secrets = secret_lines(assignment)
        assert secrets, "found no solution or hidden-test lines to look for"
        leaked = [line for line in secrets if line in sources]
        assert leaked == []

    def test_every_test_cell_opens_with_a_russian_docstring():
        """Does each test cell say in Russian, first thing, what it checks?"""
        nb = nbformat.read(notebook_path(assignment), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and _nbgrader(cell).get("grade"):
                first = cell.source.lstrip().split("\n", 1)[0]
                assert first.startswith('"""'), _nbgrader(cell)["grade_id"]
                assert re.search("[а-яё]", first, re.I), _nbgrader(cell)["grade_id"]

    @pytest.mark.parametrize(
        "name",
        ["solution", "deleted", *[f"alternative_{i}" for i in range(1, len(alternatives) + 1)]],
    )
    def test_full_marks(graded, name):
        """Do the source, the source with deleted cells and every alternative solution earn
        every autograded point?"""
        _, scores = graded
        got = {gid: scores[name][gid] for gid in auto_points(assignment)}
        assert got == auto_points(assignment), scores[name]

    @pytest.mark.parametrize(
        "name",
        ["blank", "tampered", "cheater", "partial"]
        + (["core_blanks", "core_empty"] if two_tracks else []),
    )
    def test_expected_scores(graded, name):
        """Do the blank release, a tampered one, a cheater and the partial submission get
        exactly their expected scores? And in a two-track assignment, does filling only the
        core track's marked blanks earn every point but the analyst's, and leaving them
        empty earn nothing on the core code tasks?"""
        _, scores = graded
        expected = submissions()[name].expected
        got = {gid: scores[name][gid] for gid in auto_points(assignment)}
        assert got == {gid: expected.get(gid, 0.0) for gid in auto_points(assignment)}

    def test_validate_passes_on_the_source_and_fails_on_the_release(graded, tmp_path):
        """Does ``nbgrader validate`` pass the source folder and fail the blank release?"""
        from nbgrader.validator import Validator

        course, _ = graded
        results = {}
        for name, folder in (
            ("source", EXERCISES / assignment),
            ("release", course.path("release", assignment)),
        ):
            copy = tmp_path / name
            shutil.copytree(folder, copy)
            validator = Validator(config=course.config)
            results[name] = validator.validate(str(copy / f"{assignment}.ipynb"))
        assert results["source"] == {}
        assert results["release"].get("failed")

    def test_tampered_test_cells_are_restored(graded):
        """Are the tampered test cells graded by their original source?"""
        course, _ = graded
        graded_nb = course.path("autograded", assignment, "tampered") / f"{assignment}.ipynb"
        text = graded_nb.read_text(encoding="utf-8")
        assert "Подменённая проверка" not in text

    def test_feedback_shows_results_but_not_hidden_tests(graded):
        """Does the partial learner's feedback keep hidden tests out?"""
        course, _ = graded
        page = course.path("feedback", assignment, "partial") / f"{assignment}.html"
        text = _page_text(page)
        hidden = hidden_test_lines(assignment)
        assert hidden, "the assignment has no hidden tests to keep out of the feedback"
        shown = [line for line in hidden if line in text]
        assert shown == []

    def test_feedback_has_no_mark_scheme_or_model_answer_and_is_russian(graded):
        """Does the feedback keep mark schemes and model answers (the next cohort's answer
        key) out, and speak Russian in its frame?"""
        course, _ = graded
        page = course.path("feedback", assignment, "partial") / f"{assignment}.html"
        text = _page_text(page)
        scheme = _region_lines(assignment, (_MARK_SCHEME,), 16)
        if any(_nbgrader(c).get("task") for c in nbformat.read(notebook_path(assignment), 4).cells):
            assert scheme, "the assignment has task cells but no mark-scheme lines to look for"
        assert [line for line in scheme if line in text] == []
        assert "Критерии оценивания преподаватель применяет при проверке" in text or not scheme
        for english in ("Score:", "Student's answer", "Test cell", "(Top)", "Comments:"):
            assert english not in text
        assert "Баллы" in text or "баллы" in text

    tests: dict[str, Any] = {}
    if two_tracks:
        tests = track_tests(assignment)
    return {
        **tests,
        "graded": graded,
        "test_feedback_has_no_mark_scheme_or_model_answer_and_is_russian": (
            test_feedback_has_no_mark_scheme_or_model_answer_and_is_russian
        ),
        "test_release_holds_no_solution_hidden_test_mark_scheme_or_answers": (
            test_release_holds_no_solution_hidden_test_mark_scheme_or_answers
        ),
        "test_every_test_cell_opens_with_a_russian_docstring": (
            test_every_test_cell_opens_with_a_russian_docstring
        ),
        "test_full_marks": test_full_marks,
        "test_expected_scores": test_expected_scores,
        "test_tampered_test_cells_are_restored": test_tampered_test_cells_are_restored,
        "test_validate_passes_on_the_source_and_fails_on_the_release": (
            test_validate_passes_on_the_source_and_fails_on_the_release
        ),
        "test_feedback_shows_results_but_not_hidden_tests": (
            test_feedback_shows_results_but_not_hidden_tests
        ),
    }


def track_tests(assignment: str) -> dict[str, Any]:
    """The checks of a two-track assignment that need no pipeline (fast, but kept with the
    assignment's module)."""

    def test_no_core_solution_region_is_longer_than_3_lines():
        """Does every blank of the core track take at most 3 lines, and is the analyst part
        the only place where a function is written from scratch?"""
        core = core_code_cells(assignment)
        long = {
            gid: len(region)
            for gid, regions in core.items()
            for region in regions
            if len([ln for ln in region if ln.strip()]) > MAX_CORE_REGION_LINES
        }
        assert long == {}
        for gid, regions in core.items():
            assert regions, f"{gid}: a core answer cell without a marked blank"

    def test_analyst_part_is_marked_optional_and_at_most_20_percent():
        """Are the analyst track's points at most 20% of the assignment's, its tests and
        headings marked «аналитик», and does the header state both tracks' points?"""
        total = sum(auto_points(assignment).values()) + manual_points(assignment)
        analyst = analyst_points(assignment)
        assert 0 < analyst <= MAX_ANALYST_SHARE * total, (analyst, total)
        nb = nbformat.read(notebook_path(assignment), as_version=4)
        header = nb.cells[0].source
        core_match = re.search(r"\*\*Основной трек \((\d+(?:,\d+)?) балл", header)
        analyst_match = re.search(r"\*\*Трек аналитика \(по желанию, (\d+(?:,\d+)?) балл", header)
        assert core_match and analyst_match, "the header must state both tracks' points"
        assert float(core_match[1].replace(",", ".")) == total - analyst
        assert float(analyst_match[1].replace(",", ".")) == analyst
        for gid in analyst_code_cells(assignment):
            index = next(i for i, c in enumerate(nb.cells) if _nbgrader(c).get("grade_id") == gid)
            heading = next(
                c.source
                for c in reversed(nb.cells[:index])
                if c.cell_type == "markdown" and c.source.startswith("## ")
            )
            assert is_analyst(heading.split("\n", 1)[0]), f"{gid}: heading without «аналитик»"

    def test_every_graded_task_has_a_step_check_and_hints():
        """Does every part with graded cells have its hints, and every autograded part its
        step check, in Russian?"""
        nb = nbformat.read(notebook_path(assignment), as_version=4)
        sections: list[list] = []
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source.startswith("## "):
                sections.append([cell])
            elif sections:
                sections[-1].append(cell)
        assert sections
        for cells in sections:
            title = cells[0].source.split("\n", 1)[0]
            graded = [c for c in cells if _nbgrader(c).get("grade")]
            if not graded:
                continue
            hints = [c for c in cells if "Hints(" in c.source]
            assert hints, f"no hints in {title}"
            # the hints' text is not on screen before the learner opens them one by one
            assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in hints), title
            if any(c.cell_type == "code" for c in graded):
                checks = [c for c in cells if "steps.check(" in c.source]
                assert checks, f"no step check in {title}"
                assert all(not _nbgrader(c).get("grade") for c in checks), title
                assert all(_nbgrader(c).get("locked") for c in checks), title

    return {
        "test_no_core_solution_region_is_longer_than_3_lines": (
            test_no_core_solution_region_is_longer_than_3_lines
        ),
        "test_analyst_part_is_marked_optional_and_at_most_20_percent": (
            test_analyst_part_is_marked_optional_and_at_most_20_percent
        ),
        "test_every_graded_task_has_a_step_check_and_hints": (
            test_every_graded_task_has_a_step_check_and_hints
        ),
    }
