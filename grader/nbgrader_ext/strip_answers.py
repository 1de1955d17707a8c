"""Keep the solution's widget answers out of the release.

An assignment's source folder holds ``<notebook>.answers.json`` with the solution's widget
answers, so that the folder submitted as it is earns full marks. nbgrader's
``generate_assignment`` copies every non-notebook file into the release, and
``CourseDirectory.ignore`` cannot exclude the file there without also dropping the learners'
own answers files on submit and collect. This preprocessor runs inside
``generate_assignment`` (after nbgrader has copied the files) and deletes the answers files
from the release folder.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

ANSWERS_GLOB = "*.answers.json"


class StripAnswerFiles(Preprocessor):
    """Delete ``*.answers.json`` (and corrupt-file backups) from the release folder."""

    # nbconvert registers preprocessors disabled; nbgrader's own ones default to enabled.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        converter = self.parent.parent if self.parent is not None else None
        coursedir = getattr(converter, "coursedir", None)
        if coursedir is None:
            raise RuntimeError("StripAnswerFiles must run inside nbgrader generate_assignment")
        assignment = resources["nbgrader"]["assignment"]
        release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
        for pattern in (ANSWERS_GLOB, "*.answers.json.corrupt-*"):
            for path in release.rglob(pattern):
                self.log.info("Removing solution answers from the release: %s", path)
                path.unlink()
        return nb, resources
