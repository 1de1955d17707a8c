"""Keep mark schemes and model answers out of learners' feedback (generate_feedback step).

The autograded notebook carries every task cell's mark scheme (nbgrader restores locked cells
from the gradebook, which keeps them), and the model answers («Пример сильного ответа») live
inside those schemes. Cohorts take the same assignments at different times, so the first
cohort's feedback would be the next cohort's answer key. This preprocessor cuts every
``=== BEGIN MARK SCHEME === … === END MARK SCHEME ===`` region and leaves a Russian note.
``enabled = False`` (``grader feedback --reveal-mark-schemes``) is for a course whose every
cohort has finished the assignment.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from grader.nbgrader_ext.regions import cut_regions

NOTE = "*Критерии оценивания преподаватель применяет при проверке; здесь они не показываются.*"


class StripMarkSchemes(Preprocessor):
    """Replace mark-scheme regions by a note."""

    enabled = Bool(True).tag(config=True)
    begin = Unicode("=== BEGIN MARK SCHEME ===").tag(config=True)
    end = Unicode("=== END MARK SCHEME ===").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if self.begin in cell.source:
            cell.source = cut_regions(cell.source, self.begin, self.end, NOTE)
        return cell, resources
