"""Score every autograder test cell outside the learner's kernel (autograde step).

Runs right after the sandboxed ``Execute``. For each test cell it reads the probe the cell
sent (``cxlab.probe``), compares it with the answer key (``grader.trust.keys``, built from
the source notebook and readable only by graders) and replaces the cell's outputs with the
Russian verdict and the score as the cell's result, which nbgrader's ``SaveAutoGrades``
records. Whatever else the cell printed or raised cannot change that score.

A cell that sent more than one probe is suspicious (something in the kernel printed one of
its own): the verdict uses the first, and the submission is held for the instructor's review.
"""

from __future__ import annotations

from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer, Unicode

from grader.trust import keys as keylib
from grader.trust.verdict import decide

__all__ = ["REVIEW_KEY", "ExternalVerdict"]

REVIEW_KEY = "cxlab_review"
SEVERAL = "проверка получила несколько ответов из одной ячейки (вывод проверки подменён)"
NO_KEY = "для этой проверки нет ключа ответов; сообщите преподавателю"


def _last_error(cell) -> str:
    for output in reversed(cell.get("outputs", [])):
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"[:300]
    return ""


class ExternalVerdict(NbGraderPreprocessor):
    """Replace each test cell's outputs by the verdict decided here, from the key."""

    enabled = Bool(True).tag(config=True)
    source_dir = Unicode("", help="The exercises (source) folder.").tag(config=True)
    keys_dir = Unicode("", help="Where built answer keys are cached (graders only).").tag(
        config=True
    )
    sandbox = Bool(True, help="Build keys in the sandbox too.").tag(config=True)
    timeout = Integer(120, help="Cell timeout when a key is built.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        source = Path(self.source_dir) / info["assignment"] / f"{info['notebook']}.ipynb"
        key = keylib.load_key(
            Path(self.keys_dir), source, sandbox=self.sandbox, timeout=self.timeout
        )
        review = resources.setdefault(REVIEW_KEY, [])
        for cell in keylib.grade_cells(nb):
            meta = cell.metadata["nbgrader"]
            grade_id = meta["grade_id"]
            points = float(meta.get("points", 0))
            found = keylib.probes(cell)
            if len(found) > 1 and SEVERAL not in review:
                review.append(SEVERAL)
            entry = key["cells"].get(grade_id)
            if entry is None:
                self.log.error("No answer-key entry for test cell %s: scored 0", grade_id)
                text, score = f"Баллы: 0. {NO_KEY}.\n", 0.0
            else:
                verdict = decide(entry, found[0] if found else None, points, why=_last_error(cell))
                text, score = verdict.text, verdict.score
            cell.outputs = [
                new_output("stream", name="stdout", text=text),
                new_output(
                    "execute_result",
                    data={"text/plain": repr(score)},
                    execution_count=cell.get("execution_count"),
                ),
            ]
        return nb, resources
