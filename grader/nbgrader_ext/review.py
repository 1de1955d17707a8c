"""Hold suspicious submissions for the instructor's review (autograde steps).

``FlagSuspicious`` runs before execution: it scans every code cell the learner could edit
(any cell whose source is not one of the assignment's own locked cells) with
``grader.trust.scan`` and records the reasons. ``HoldForReview`` runs after nbgrader's
``SaveAutoGrades``: when there are reasons (from the scan, or from ``ExternalVerdict``), every
autograded test of the notebook is marked as needing a manual grade, so the formgrader lists
the submission and the report shows it as held, and the reasons are written to
``<course>/.cxlab/review/<assignment>/<student>.json`` (graders only) for ``grader``'s
output and report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from grader.nbgrader_ext.external_verdict import REVIEW_KEY
from grader.trust.scan import scan

__all__ = ["FlagSuspicious", "HoldForReview", "read_review", "review_path"]


def review_path(state_dir: str | Path, assignment: str, student: str) -> Path:
    return Path(state_dir) / "review" / assignment / f"{student}.json"


def read_review(state_dir: str | Path, assignment: str, student: str) -> list[str]:
    """The reasons a submission is held for review (empty when it is not)."""
    try:
        data = json.loads(review_path(state_dir, assignment, student).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    reasons = data.get("reasons") if isinstance(data, dict) else None
    return [str(r) for r in reasons] if isinstance(reasons, list) else []


class FlagSuspicious(NbGraderPreprocessor):
    """Scan the learner's cells before they run."""

    source_dir = Unicode("", help="The exercises (source) folder.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        source = Path(self.source_dir) / info["assignment"] / f"{info['notebook']}.ipynb"
        own: set[str] = set()
        try:
            src = nbformat.read(source, as_version=4)
            for cell in src.cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if cell.cell_type == "code" and not meta.get("solution"):
                    own.add(cell.source)
        except (OSError, ValueError) as exc:
            self.log.warning("Cannot read the source notebook %s: %s", source, exc)
        reasons = resources.setdefault(REVIEW_KEY, [])
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or cell.source in own:
                continue
            for reason in scan(cell.source):
                line = f"{reason} (ячейка {index + 1})"
                if not any(r.startswith(reason) for r in reasons):
                    reasons.append(line)
        return nb, resources


class HoldForReview(NbGraderPreprocessor):
    """Mark a flagged submission's autograded tests for manual review; record why."""

    state_dir = Unicode("", help="The course's private state folder (.cxlab).").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        reasons = list(dict.fromkeys(resources.get(REVIEW_KEY, [])))
        path = review_path(self.state_dir, info["assignment"], info["student"])
        if not reasons:
            path.unlink(missing_ok=True)
            return nb, resources
        self.log.warning(
            "Submission %s/%s held for review: %s",
            info["assignment"],
            info["student"],
            "; ".join(reasons),
        )
        with Gradebook(info["db_url"], info.get("course_id", "default_course")) as gb:
            notebook = gb.find_submission_notebook(
                info["notebook"], info["assignment"], info["student"]
            )
            for grade in notebook.grades:
                if grade.cell.cell_type == "code" and grade.auto_score is not None:
                    grade.needs_manual_grade = True
            gb.db.commit()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"notebook": info["notebook"], "reasons": reasons}, fh, ensure_ascii=False)
        os.replace(tmp, path)
        return nb, resources
