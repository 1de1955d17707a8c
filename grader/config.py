"""nbgrader configuration for cxlab courses, as data with the reason for each setting.

``apply(c, ...)`` fills a traitlets ``Config`` (the ``c`` of an ``nbgrader_config.py``);
``course_config(...)`` returns a fresh one for the Python API.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

REPO = Path(__file__).resolve().parent.parent
EXERCISES = REPO / "exercises"
TEMPLATES = Path(__file__).resolve().parent / "templates"

CODE_STUB = "# ВАШ КОД ЗДЕСЬ\nraise NotImplementedError('Замените эту строку своим решением')"
TEXT_STUB = "ВАШ ОТВЕТ ЗДЕСЬ: замените этот текст своим ответом."

CELL_TIMEOUT = 60  # seconds one cell may run at autograde
TIMEOUT_MESSAGE = (
    "ячейка выполнялась дольше {seconds} с и была остановлена при проверке. Проверьте циклы "
    "(`while`): возможно, условие выхода никогда не выполняется. Остальные ячейки проверены."
)


def answers_files(exercises: Path) -> dict[str, list[str]]:
    """Map each assignment to the answers files its source folder keeps (for the solution)."""
    found: dict[str, list[str]] = {}
    for path in sorted(exercises.glob("*/*.answers.json")):
        found.setdefault(path.parent.name, []).append(path.name)
    return found


def apply(
    c: Config,
    *,
    root: str | Path,
    course_id: str = "cxlab",
    exercises: str | Path = EXERCISES,
    exchange_root: str | Path | None = None,
    db_url: str | None = None,
    cell_timeout: int = CELL_TIMEOUT,
    sandbox: bool = True,
    reveal_mark_schemes: bool = False,
) -> Config:
    """Configure nbgrader for a cxlab course rooted at ``root``.

    ``cell_timeout`` is how many seconds one cell of a submission may run at autograde before
    the kernel is interrupted and the next cell runs. ``sandbox=False`` runs grading kernels
    without the bwrap sandbox (only for trusted submissions, e.g. the benchmark's baseline).
    """
    import nbgrader
    from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback
    from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells, SaveAutoGrades

    from grader.nbgrader_ext.duplicate_ids import ClearDuplicateIds
    from grader.nbgrader_ext.external_verdict import ExternalVerdict
    from grader.nbgrader_ext.hide_hidden_tests import HideHiddenTests
    from grader.nbgrader_ext.restore_cells import RestoreDeletedCells
    from grader.nbgrader_ext.review import FlagSuspicious, HoldForReview
    from grader.nbgrader_ext.strip_answers import StripAnswerFiles
    from grader.nbgrader_ext.strip_mark_schemes import StripMarkSchemes
    from grader.trust.execute import SandboxedExecute

    exercises = Path(exercises).resolve()
    root = Path(root).resolve()
    state = root / ".cxlab"  # keys and review notes: graders only, never released
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = course_id
    # The repository's exercises/ folder is the source tree itself: no copies to drift.
    c.CourseDirectory.source_directory = str(exercises)
    if db_url:
        c.CourseDirectory.db_url = db_url
    if exchange_root is not None:
        c.Exchange.root = str(exchange_root)
        # Several cohorts share one exchange; each course gets its own subfolder.
        c.Exchange.path_includes_course = True
    # Learners read Russian stubs in place of the solutions.
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = TEXT_STUB
    # The solution's widget answers stay in the source folder, never in the release ...
    defaults = list(GenerateAssignment.class_traits()["preprocessors"].default())
    c.GenerateAssignment.preprocessors = [*defaults, StripAnswerFiles]
    # Feedback shows results and hints, never the hidden tests' code (nbgrader #917).
    # Nor mark schemes or model answers, and its frame is Russian.
    feedback = list(GenerateFeedback.class_traits()["preprocessors"].default())
    c.GenerateFeedback.preprocessors = [*feedback, HideHiddenTests, StripMarkSchemes]
    c.StripMarkSchemes.enabled = not reveal_mark_schemes
    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions/formgrader/templates"
    # nbgrader's API forces the template name "feedback": ours shadows nbgrader's by coming first.
    c.HTMLExporter.template_name = "feedback"
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(nbgrader_templates)]
    # ... and at autograde the learner's answers file must not be replaced by the source's.
    c.Autograde.exclude_overwriting = answers_files(exercises)
    # Deleted cells are put back from the gradebook before grading (nbgrader's own option is
    # off by default and fails when a test follows a read-only cell): a learner who deletes a
    # test is graded by it anyway, with a Russian note at its top.
    sanitize = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    # A copy-pasted cell (duplicate grade_id) is made an ordinary cell, not a failure.
    swap = {OverwriteCells: RestoreDeletedCells, DeduplicateIds: ClearDuplicateIds}
    c.Autograde.sanitize_preprocessors = [swap.get(p, p) for p in sanitize]
    c.RestoreDeletedCells.missing_cell_notification = (
        "Эта ячейка (id:{cell_id}) была удалена из работы; при проверке её вернули на место.\n\n"
    )
    # A learner's infinite loop must not hang grading: interrupt the cell, then move on. The
    # learner reads why in the graded notebook and the feedback (nbgrader's own text is
    # English: "No reply from kernel before timeout").
    if int(cell_timeout) < 1:
        raise ValueError(f"cell_timeout must be at least 1 second, not {cell_timeout!r}")
    c.Execute.timeout = int(cell_timeout)
    c.Execute.interrupt_on_timeout = True
    c.Execute.error_on_timeout = {
        "ename": "CellTimeoutError",
        "evalue": TIMEOUT_MESSAGE.format(seconds=int(cell_timeout)),
        "traceback": [f"CellTimeoutError: {TIMEOUT_MESSAGE.format(seconds=int(cell_timeout))}"],
    }
    # Trusted grading (docs/ARCHITECTURE.md, "Threat model"): the learner's code is scanned
    # before it runs, runs in a sandboxed disposable kernel, and every test cell's score is
    # decided here, outside the kernel, from the answer key. Order matters: FlagSuspicious
    # sees the code before execution; ExternalVerdict must rewrite the test cells' outputs
    # before SaveAutoGrades reads them; HoldForReview must follow SaveAutoGrades.
    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        if step is Execute:
            steps += [FlagSuspicious, SandboxedExecute, ExternalVerdict]
        elif step is SaveAutoGrades:
            steps += [SaveAutoGrades, HoldForReview]
        else:
            steps.append(step)
    c.Autograde.autograde_preprocessors = steps
    c.SandboxedExecute.sandbox = bool(sandbox)
    c.SandboxedExecute.shutdown_kernel = "immediate"
    c.FlagSuspicious.source_dir = str(exercises)
    c.ExternalVerdict.source_dir = str(exercises)
    c.ExternalVerdict.keys_dir = str(state / "keys")
    c.ExternalVerdict.sandbox = bool(sandbox)
    c.HoldForReview.state_dir = str(state)
    return c


def course_config(root: str | Path, **kwargs) -> Config:
    """Return a new Config for a cxlab course rooted at ``root`` (see :func:`apply`)."""
    return apply(Config(), root=root, **kwargs)
