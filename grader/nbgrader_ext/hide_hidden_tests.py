"""Keep hidden tests out of the feedback learners receive.

nbgrader's ``generate_feedback`` renders the autograded notebook, whose test cells were
restored from the gradebook with their hidden tests inside (upstream issue #917: by design).
A learner who reads the feedback would see the reference values and the checks. This
preprocessor runs inside ``generate_feedback``: in every cell with a hidden-test region it
replaces the region with a one-line Russian note and cuts error tracebacks down to the error
line (a traceback quotes the failing source line, which may be hidden code). What the tests
printed for the learner — the Russian hints — and the points stay.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from grader.nbgrader_ext.regions import cut_regions

NOTE = "# Скрытые проверки: их код не показывается; результат и подсказки — ниже."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def learner_traceback(output) -> list[str]:
    """A traceback cut to the learner's own cell frames and the error line: library and
    grader internals (pandas, IPython, the hidden checks) are not the learner's business."""
    frames = [_ANSI.sub("", t) for t in output.get("traceback", [])]
    own = [f for f in frames if "Cell In[" in f or "Input In [" in f][-1:]
    last = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return [*own, last]


class HideHiddenTests(Preprocessor):
    """Replace hidden-test regions with a note and strip tracebacks of those cells."""

    enabled = Bool(True).tag(config=True)
    begin = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("END HIDDEN TESTS").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self.begin not in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = learner_traceback(output)
            return cell, resources
        cell.source = cut_regions(cell.source, self.begin, self.end, NOTE)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [
                    f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                ]
        return cell, resources
