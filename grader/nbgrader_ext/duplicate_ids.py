"""Copy-pasted cells must not fail a submission (autograde's sanitize step).

A learner who copies an answer or test cell in JupyterLab copies its nbgrader metadata, so
two cells carry one ``grade_id``. nbgrader's ``DeduplicateIds`` empties the metadata of the
earlier copies, and the next step then rejects the notebook with a misleading
"SchemaTooOldError: Outdated schema version" (nbgrader #1083). This step makes the earlier
copies ordinary cells instead: they still run (a definition in them still counts), the last
copy keeps the grade, and the log names the duplicated id.
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds


class ClearDuplicateIds(DeduplicateIds):
    """Like nbgrader's DeduplicateIds, but an earlier copy becomes a plain cell."""

    def preprocess_cell(self, cell, resources, cell_index):
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader["grade_id"]
        if grade_id in self.grade_ids:
            self.log.warning("Cell id %r appears more than once; the earlier copy is graded "
                             "as an ordinary cell", grade_id)  # fmt: skip
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources
